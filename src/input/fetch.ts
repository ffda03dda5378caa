// DevTools "Copy as fetch" and "Copy as fetch (Node.js)" (Chromium), Firefox "Copy as Fetch":
// `fetch("URL", {JSON options});` (Firefox prefixes `await`; "Copy all" joins several calls).
// The options are JSON (written by JSON.stringify): headers, referrer, body, method, mode,
// credentials. The copy leaves out what the browser adds itself (Origin, Content-Length, Cookie
// except in the Node.js variant) and the bytes of a file part.
import { InputError } from '../core/errors.js';
import type { UploadRequest } from '../core/types.js';
import { declaredLength, harBytes, readCopiedBody } from './copied-body.js';
import { jget, jscalar, type JValue } from '../core/json.js';
import { parseJson } from './json.js';
import { MAX_HEADERS, findHeader, getParam, lineCol, parseParamHeader } from './util.js';
import type { InputOptions } from './types.js';

/** True when the text starts like a fetch call. */
export function looksLikeFetch(text: string): boolean {
  return /^(?:await\s+)?fetch\s*\(\s*["'`]/.test(text);
}

interface Call {
  url: string;
  options: JValue | null;
  line: number;
  column: number;
}

function fail(msg: string, text: string, index: number, source: string): InputError {
  return new InputError(msg, { source, ...lineCol(text, index) });
}

/** Index just past a quoted string starting at s[i] (JSON double quotes, or ' / ` as people edit them). */
function stringEnd(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === q) return j + 1;
  }
  return -1;
}

/** Index just past the object starting at s[i] === '{' (strings skipped), or -1. */
function objectEnd(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"' || c === "'" || c === '`') {
      const e = stringEnd(s, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

function readUrl(lit: string): string | null {
  if (lit.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(lit);
      return typeof v === 'string' ? v : null;
    } catch {
      return null;
    }
  }
  return lit.slice(1, -1);
}

/** Every `fetch("URL", {...})` call in the text, in order. */
function readCalls(text: string, source: string): Call[] {
  const calls: Call[] = [];
  const re = /(?:^|[\s;(])fetch\s*\(\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const at = m.index + m[0].length;
    const q = text[at];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    const end = stringEnd(text, at);
    if (end < 0) throw fail("the fetch call's URL string is not closed", text, at, source);
    const url = readUrl(text.slice(at, end));
    if (url === null) throw fail("the fetch call's URL is not a valid string", text, at, source);
    let j = end;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    let options: JValue | null = null;
    if (text[j] === ',') {
      j++;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '{') {
        const oe = objectEnd(text, j);
        if (oe < 0) throw fail('the fetch options object is not closed', text, j, source);
        // blank everything before the object so that positions in errors are the input's own
        const padded = text.slice(0, j).replace(/[^\n]/g, ' ') + text.slice(j, oe);
        options = parseJson(padded, source);
        j = oe;
      }
    }
    calls.push({ url, options, ...lineCol(text, m.index + m[0].indexOf('fetch')) });
    re.lastIndex = j;
  }
  return calls;
}

function headersOf(options: JValue | null): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const hs = jget(options ?? undefined, 'headers');
  if (hs?.kind === 'object') {
    for (const [k, v] of hs.entries) {
      const value = jscalar(v);
      if (value !== undefined) out.push([k, value]);
    }
  } else if (hs?.kind === 'array') {
    // new Headers([[name, value], ...]) style
    for (const pair of hs.items) {
      if (pair.kind !== 'array' || pair.items.length < 2) continue;
      const k = jscalar(pair.items[0]);
      const v = jscalar(pair.items[1]);
      if (k !== undefined && v !== undefined) out.push([k, v]);
    }
  }
  return out;
}

function isMultipartCall(c: Call): boolean {
  const method = (jscalar(jget(c.options ?? undefined, 'method')) ?? 'GET').toUpperCase();
  if (method !== 'POST') return false;
  const ct = findHeader(headersOf(c.options), 'content-type');
  return ct !== undefined && parseParamHeader(ct).type === 'multipart/form-data';
}

/** A "Copy as fetch" text -> UploadRequest of its (last, or --entry) POST multipart call. */
export async function parseFetch(text: string, source: string, opts: InputOptions = {}): Promise<UploadRequest> {
  const calls = readCalls(text, source);
  if (calls.length === 0) throw new InputError('no fetch("URL", {...}) call found', { source, line: 1 });
  const candidates = calls.filter(isMultipartCall);
  const count = candidates.length;
  if (count === 0) {
    const c = calls[calls.length - 1]!;
    throw new InputError('the fetch call is not a POST with a multipart/form-data body (its headers need the Content-Type the browser sent)', { source, line: c.line, column: c.column });
  }
  const notes: UploadRequest['notes'] = [];
  let pick = count;
  if (opts.entry !== undefined) {
    if (!Number.isInteger(opts.entry) || opts.entry < 1 || opts.entry > count) {
      throw new InputError(`entry ${opts.entry} is out of range: the input has ${count} POST multipart fetch ${count === 1 ? 'call' : 'calls'} (1-${count})`, { source, option: 'entry' });
    }
    pick = opts.entry;
  }
  const call = candidates[pick - 1]!;
  const headers = headersOf(call.options);
  if (headers.length > MAX_HEADERS) throw new InputError(`the request has ${headers.length} headers, more than post-doctor reads (${MAX_HEADERS})`, { source, field: 'headers' });
  // DevTools moves Referer out of the headers into `referrer` (the Node.js variant keeps it as a header)
  const referrer = jscalar(jget(call.options ?? undefined, 'referrer'));
  if (referrer !== undefined && referrer !== '' && referrer !== 'about:client' && findHeader(headers, 'referer') === undefined) headers.push(['Referer', referrer]);
  const req: UploadRequest = { method: 'POST', url: call.url, headers, parts: [], boundary: null, bodyProblems: [], notes };
  const contentType = findHeader(headers, 'content-type') ?? null;
  const body = jget(call.options ?? undefined, 'body');
  if (body?.kind !== 'string' || body.value === '') {
    throw new InputError(`fetch call ${pick}: no request body: DevTools did not copy it; use DevTools "Copy as cURL", export a HAR "with content", or post the form to post-doctor serve`, {
      source,
      line: call.line,
      column: call.column,
    });
  }
  // Firefox keeps a body that is not valid UTF-8 one character per byte, Chromium a Blob's bytes
  await readCopiedBody(req, harBytes(body.value, { declared: declaredLength(headers) }), contentType);
  if (req.boundary === null && contentType !== null) req.boundary = getParam(parseParamHeader(contentType), 'boundary') ?? null;
  return req;
}
