// Reading an error answer from whatever the user pasted: an XML error body, a whole HTTP
// response (status line, headers, body), a JSON error, an SDK's one-line error, a bare
// message, a bare error code or an OSS EC code. Tolerant of text copied out of PDFs
// (tags and words split by stray spaces) and of HTML entities.

import { InputError } from '../core/errors.js';
import type { ErrorAnswer } from '../providers/types.js';
import { decodeEntities, normaliseSpace, squash } from './text.js';
import { headerValue } from '../providers/answer.js';
import { cleanMessage, readCodeInProse, readHints, readKeyValues, readSdkShapes, unescapeJsonText, unwrapPaste, type CorsLine, type Found, type TextHints } from './extract.js';

export type InputKind = 'xml' | 'http' | 'json' | 'code' | 'ec' | 'message' | 'sdk' | 'console' | 'text';

export interface ParsedInput {
  kind: InputKind;
  answer: ErrorAnswer;
  /** The input needed lenient reading (tags with stray spaces, mismatched closing tags). */
  tolerant: boolean;
  /** The text the answer was read from (the input unwrapped, or its JSON escapes undone). */
  text: string;
  /** What the text around the error tells (hosts, operation, SDK, a console CORS line). */
  hints: TextHints;
  /** The printout shape recognised (botocore, aws-java, object, console-cors-chrome, ...), if any. */
  shape: string | null;
  /** The message is the whole text, for want of anything better. */
  fallback: boolean;
  /** The input was longer than MAX_INPUT_CHARS: only its beginning was read. */
  truncated: boolean;
}

/** Elements whose text never holds meaningful spaces (spaces there come from PDF mangling). */
const SPACELESS = new Set([
  'code',
  'requestid',
  'hostid',
  'ec',
  'traceid',
  'endpoint',
  'bucket',
  'bucketname',
  'resourcetype',
  'method',
  'header',
  'argumentname',
  'region',
  'proposedsize',
  'maxsizeallowed',
  'minsizeallowed',
  'recommenddoc',
  'awsaccesskeyid',
  'ossaccesskeyid',
]);

/** Names the answer keeps in dedicated fields rather than in `elements`. */
const CORE = new Set(['code', 'message', 'requestid', 'hostid', 'ec']);

const EC_RE = /^\d{4}-\d{8}$/;

export function emptyAnswer(body: string): ErrorAnswer {
  return { status: null, headers: [], code: null, message: null, requestId: null, hostId: null, ec: null, elements: {}, body };
}

export { headerValue };

// ---------------------------------------------------------------------------
// XML: a small reader for flat error documents, strict when it can be, lenient when not.

interface XmlLeaf {
  name: string;
  raw: string;
}

interface XmlRead {
  leaves: XmlLeaf[];
  tolerant: boolean;
}

const NAME_OK = /^[A-Za-z_][\w:.-]*$/;

/** Longest tag (between `<` and `>`) the reader takes as a tag; a longer one is text. */
const MAX_TAG = 1024;

/**
 * `indexOf` for a needle searched from increasing positions: remembers the last answer, so that
 * a text with many openers and no closer costs one scan, not one per opener.
 */
function finder(text: string, needle: string): (from: number) => number {
  let last = -2;
  let lastFrom = -1;
  return (from: number): number => {
    if (last === -1 && from >= lastFrom) return -1;
    if (last >= from && from >= lastFrom) return last;
    lastFrom = from;
    last = text.indexOf(needle, from);
    return last;
  };
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';
}

/**
 * Remove comments, processing instructions and DOCTYPE, and escape CDATA content, in one pass
 * of index searches (no regular expression, so nothing backtracks on unclosed delimiters): an
 * unclosed comment or CDATA section runs to the end of the text.
 */
function prepareXml(text: string): string {
  if (!text.includes('<')) return text;
  const cdataEnd = finder(text, ']]>');
  const commentEnd = finder(text, '-->');
  const piEnd = finder(text, '?>');
  const gtAt = finder(text, '>');
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, lt);
    let j = lt + 1;
    // "< ?xml" in text copied from a PDF
    while (j < n && j - lt <= 4 && isSpace(text[j])) j++;
    if (text.startsWith('![CDATA[', j)) {
      const end = cdataEnd(j + 8);
      const body = text.slice(j + 8, end < 0 ? n : end);
      out += body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      i = end < 0 ? n : end + 3;
    } else if (text.startsWith('!--', j)) {
      const end = commentEnd(j + 3);
      i = end < 0 ? n : end + 3;
    } else if (text[j] === '?') {
      const end = piEnd(j + 1);
      const gt = gtAt(j + 1);
      i = end >= 0 ? end + 2 : gt >= 0 ? gt + 1 : n;
    } else if (text[j] === '!') {
      const gt = gtAt(j + 1);
      i = gt >= 0 ? gt + 1 : n;
    } else {
      out += '<';
      i = lt + 1;
    }
  }
  return out;
}

interface Tag {
  index: number;
  length: number;
  closing: boolean;
  selfClosing: boolean;
  inner: string;
  /** The tag had stray spaces ("< Code>", "</ Code>", "<Co de>"): text copied from a PDF. */
  spaced: boolean;
}

/** Every tag of the text, left to right, in linear time: `<`, at most MAX_TAG characters without `<`, `>`. */
function* tags(text: string): Generator<Tag> {
  const gtAt = finder(text, '>');
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return;
    const gt = gtAt(lt + 1);
    if (gt < 0) return;
    const nextLt = text.indexOf('<', lt + 1);
    if ((nextLt >= 0 && nextLt < gt) || gt - lt - 1 > MAX_TAG) {
      i = nextLt >= 0 && nextLt < gt ? nextLt : lt + 1;
      continue;
    }
    let a = lt + 1;
    let b = gt;
    let spaced = false;
    while (a < b && isSpace(text[a])) {
      a++;
      spaced = true;
    }
    let closing = false;
    if (text[a] === '/') {
      closing = true;
      a++;
      while (a < b && isSpace(text[a])) {
        a++;
        spaced = true;
      }
    }
    while (b > a && isSpace(text[b - 1])) b--;
    let selfClosing = false;
    if (!closing && b > a && text[b - 1] === '/') {
      selfClosing = true;
      b--;
      while (b > a && isSpace(text[b - 1])) b--;
    }
    yield { index: lt, length: gt - lt + 1, closing, selfClosing, inner: text.slice(a, b), spaced };
    i = gt + 1;
  }
}

/** The element name of a tag's inner text (attributes dropped, stray spaces removed), or null. */
function tagName(inner: string): { name: string; spaced: boolean } | null {
  // the name ends where the first attribute (`name=`) begins: find the first `=` and step back
  // over spaces and the attribute's name
  let head = inner;
  const eq = inner.indexOf('=');
  if (eq >= 0) {
    let k = eq;
    while (k > 0 && isSpace(inner[k - 1])) k--;
    while (k > 0 && /[\w:.-]/.test(inner[k - 1]!)) k--;
    if (k > 0 && isSpace(inner[k - 1])) head = inner.slice(0, k);
  }
  const name = squash(head);
  if (!NAME_OK.test(name)) return null;
  let spaced = false;
  const t = head.trim();
  for (let k = 0; k < t.length; k++) if (isSpace(t[k])) spaced = true;
  return { name, spaced };
}

export function readXml(source: string): XmlRead {
  const text = prepareXml(source);
  const leaves: XmlLeaf[] = [];
  let tolerant = false;
  const stack: Array<{ key: string; name: string; start: number; child: boolean }> = [];
  for (const tag of tags(text)) {
    if (tag.inner.startsWith('!') || tag.inner.startsWith('?')) continue;
    const t = tagName(tag.inner);
    if (!t) continue;
    if (tag.spaced || t.spaced) tolerant = true;
    const key = t.name.toLowerCase();
    if (tag.closing) {
      // closing tag: close the nearest open element with this name (case-insensitive)
      let i = stack.length - 1;
      while (i >= 0 && stack[i]!.key !== key) i--;
      if (i < 0) {
        tolerant = true;
      } else {
        const el = stack[i]!;
        if (el.name !== t.name || i !== stack.length - 1) tolerant = true;
        // elements left open above it were never closed: they end at their first tag
        for (let j = stack.length - 1; j > i; j--) {
          const open = stack[j]!;
          if (!open.child) leaves.push({ name: open.name, raw: text.slice(open.start, nextTag(text, open.start)) });
        }
        if (!el.child) leaves.push({ name: el.name, raw: text.slice(el.start, tag.index) });
        stack.length = i;
      }
    } else if (tag.selfClosing) {
      if (stack.length) stack[stack.length - 1]!.child = true;
      leaves.push({ name: t.name, raw: '' });
    } else {
      if (stack.length) stack[stack.length - 1]!.child = true;
      if (stack.length >= MAX_DEPTH) {
        tolerant = true;
        continue;
      }
      stack.push({ key, name: t.name, start: tag.index + tag.length, child: false });
    }
    if (leaves.length >= MAX_LEAVES) break;
  }
  // truncated input: open leaves run to the next tag or the end
  for (const open of stack) {
    if (!open.child) {
      tolerant = true;
      leaves.push({ name: open.name, raw: text.slice(open.start, nextTag(text, open.start)) });
    }
  }
  return { leaves, tolerant };
}

/** Elements deeper than this are not followed (an error document is two levels deep). */
const MAX_DEPTH = 64;
/** Leaves read from one document at most. */
const MAX_LEAVES = 4096;

function nextTag(text: string, from: number): number {
  const i = text.indexOf('<', from);
  return i < 0 ? text.length : i;
}

function cleanValue(key: string, raw: string, tolerant: boolean): string {
  const v = normaliseSpace(decodeEntities(raw.replace(/<[^<>]*>/g, ' ')));
  if (key === 'code' || key === 'requestid' || key === 'hostid' || key === 'ec') return squash(v);
  if (tolerant && SPACELESS.has(key)) return squash(v);
  return v;
}

/** Fill an answer from an XML document; false when it holds no Code or Message. */
function answerFromXml(text: string, a: ErrorAnswer): { ok: boolean; tolerant: boolean } {
  const { leaves, tolerant } = readXml(text);
  const byKey = new Map<string, XmlLeaf>();
  for (const l of leaves) {
    const k = l.name.toLowerCase();
    if (!byKey.has(k)) byKey.set(k, l);
  }
  const get = (k: string): string | null => {
    const l = byKey.get(k);
    return l ? cleanValue(k, l.raw, tolerant) : null;
  };
  let code = get('code');
  let message = get('message');
  if (code === null && message === null) {
    // an HTML error page (proxy, gateway): its title is the message
    const title = get('title') ?? get('h1');
    if (title === null) return { ok: false, tolerant };
    message = title;
    code = null;
  }
  a.code = code || null;
  a.message = message;
  a.requestId = get('requestid') || a.requestId;
  a.hostId = get('hostid') || a.hostId;
  const ec = get('ec');
  if (ec && EC_RE.test(ec)) a.ec = ec;
  for (const l of leaves) {
    const k = l.name.toLowerCase();
    if (CORE.has(k) || l.name in a.elements) continue;
    if (k === 'title' || k === 'h1') continue;
    a.elements[l.name] = cleanValue(k, l.raw, tolerant);
  }
  return { ok: true, tolerant };
}

// ---------------------------------------------------------------------------
// JSON errors: {"Code":..}, {"code":..}, {"error":{"code":403,"message":..,"errors":[..]}}, SDK error objects.

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(o: Obj, ...names: string[]): unknown {
  const lower = new Map<string, string>();
  for (const k of Object.keys(o)) lower.set(k.toLowerCase(), k);
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined && o[k] !== undefined && o[k] !== null && o[k] !== '') return o[k];
  }
  return undefined;
}

function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function asStatus(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}

function answerFromJson(doc: unknown, a: ErrorAnswer): boolean {
  if (!isObj(doc)) return false;
  const layers: Obj[] = [doc];
  for (const k of ['error', 'Error', 'details', 'Details', 'body', 'response']) {
    const v = doc[k];
    if (isObj(v)) {
      layers.push(v);
      for (const k2 of ['error', 'Error']) if (isObj(v[k2])) layers.push(v[k2] as Obj);
    }
  }
  const meta = isObj(doc.$metadata) ? (doc.$metadata as Obj) : null;
  // innermost layer first: it holds the server's own words
  const order = [...layers].reverse();
  let code: string | null = null;
  let message: string | null = null;
  let status: number | null = null;
  for (const o of order) {
    const c = pick(o, 'Code', 'ErrorCode', 'errorCode', 'error_code');
    if (code === null) {
      if (typeof c === 'string') code = c;
      else if (typeof o.error === 'string') code = o.error; // OAuth style {"error":"invalid_grant"}
    }
    if (status === null && typeof c === 'number') status = asStatus(c);
    if (message === null) message = asText(pick(o, 'Message', 'ErrorMessage', 'error_description', 'errorMessage', 'msg'));
    if (status === null) status = asStatus(pick(o, 'status', 'statusCode', 'httpStatusCode', 'StatusCode', 'HttpStatusCode'));
  }
  if (status === null && meta) status = asStatus(meta.httpStatusCode);
  // GCS JSON API: {"error":{"code":403,"message":..,"errors":[{"message":..,"domain":..,"reason":..}]}}
  for (const o of order) {
    const errs = o.errors;
    if (Array.isArray(errs) && isObj(errs[0])) {
      const first = errs[0] as Obj;
      const reason = asText(first.reason);
      if (reason) a.elements.reason = reason;
      const domain = asText(first.domain);
      if (domain) a.elements.domain = domain;
      const em = asText(first.message);
      if (message === null && em) message = em;
      else if (em && em !== message) a.elements.detail = em;
      break;
    }
  }
  // an error document with only an EC (TOS answers some refusals that way) is still one
  const hasEc = order.some((o) => EC_RE.test(asText(pick(o, 'EC', 'ecCode'))?.trim() ?? ''));
  if (code === null && message === null && !hasEc) return false;
  a.code = code ? squash(code) : null;
  a.message = message === null ? null : normaliseSpace(decodeEntities(message));
  a.status = status ?? a.status;
  const all = [...order, ...(meta ? [meta] : [])];
  for (const o of all) {
    if (a.requestId === null) {
      const r = asText(pick(o, 'RequestId', 'requestId', 'request_id', 'x-oss-request-id', 'x-cos-request-id', 'x-amz-request-id'));
      if (r) a.requestId = squash(r);
    }
    if (a.hostId === null) {
      const h = asText(pick(o, 'HostId', 'hostId', 'host_id', 'extendedRequestId'));
      if (h) a.hostId = squash(h);
    }
    if (a.ec === null) {
      const e = asText(pick(o, 'EC', 'ecCode'));
      if (e && EC_RE.test(e.trim())) a.ec = e.trim();
    }
  }
  // headers carried by SDK error objects
  for (const o of all) {
    const h = pick(o, 'headers');
    if (isObj(h)) for (const [k, v] of Object.entries(h)) if (asText(v) !== null) a.headers.push([k, asText(v)!]);
  }
  // remaining scalar members of the innermost layer with the code: provider-specific facts
  const skip = new Set(['code', 'errorcode', 'message', 'errormessage', 'requestid', 'hostid', 'ec', 'status', 'statuscode', 'headers', 'errors', 'error', 'name', 'stack']);
  const home = order.find((o) => pick(o, 'Code', 'ErrorCode', 'Message') !== undefined) ?? order[0]!;
  for (const [k, v] of Object.entries(home)) {
    if (skip.has(k.toLowerCase()) || k in a.elements) continue;
    const t = asText(v);
    if (t !== null) a.elements[k] = t;
  }
  return true;
}

/** Lenient reading of broken JSON or a Python dict repr: "Code": "...", 'Message': '...' pairs. */
function answerFromBrokenJson(text: string, a: ErrorAnswer): boolean {
  const get = (names: string): string | null => {
    const re = new RegExp(`["'](?:${names})["']\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'((?:[^'\\\\]|\\\\.)*)'|(\\d+))`, 'i');
    const m = re.exec(text);
    if (!m) return null;
    if (m[3] !== undefined) return m[3];
    const raw = m[1] ?? m[2] ?? '';
    try {
      return JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/"/g, '\\"').replace(/\\\\"/g, '\\"')}"`) as string;
    } catch {
      return raw;
    }
  };
  const code = get('Code|ErrorCode');
  const message = get('Message|ErrorMessage');
  if (code === null && message === null) return false;
  if (code !== null && /^\d{3}$/.test(code)) a.status = Number(code);
  else a.code = code ? squash(code) : null;
  a.message = message === null ? null : normaliseSpace(decodeEntities(message));
  const status = get('status|statusCode');
  if (status && asStatus(status) !== null) a.status = asStatus(status);
  const rid = get('RequestId|request_id|x-oss-request-id|x-cos-request-id|x-amz-request-id');
  if (rid) a.requestId = squash(rid);
  const hid = get('HostId');
  if (hid) a.hostId = squash(hid);
  const ec = get('EC');
  if (ec && EC_RE.test(ec)) a.ec = ec;
  return true;
}

// ---------------------------------------------------------------------------
// HTTP responses.

const STATUS_LINE = /^\s*HTTP\s*\/\s*\d(?:\s*\.\s*\d)?\s+(\d)\s?(\d)\s?(\d)\b/i;

interface HttpSplit {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** `curl -v` transcripts: keep the response lines ("< ..."), drop request and info lines. */
function unCurlVerbose(text: string): string {
  if (!/^<\s?HTTP\/\d/m.test(text)) return text;
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[*>{}] /.test(line) || line === '>' || line === '*') continue;
    if (/^<(\s|$)/.test(line) && (/^<\s?HTTP\//.test(line) || /^< [\w-]+\s*:/.test(line) || /^<\s*$/.test(line))) out.push(line.replace(/^<\s?/, ''));
    else out.push(line);
  }
  return out.join('\n');
}

function splitHttp(text: string): HttpSplit | null {
  let lines = text.split(/\r?\n/);
  let start = lines.findIndex((l) => l.trim() !== '');
  if (start < 0 || !STATUS_LINE.test(lines[start]!)) return null;
  for (;;) {
    const m = STATUS_LINE.exec(lines[start]!)!;
    const status = Number(`${m[1]}${m[2]}${m[3]}`);
    const headers: Array<[string, string]> = [];
    let i = start + 1;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') {
        i++;
        break;
      }
      if (/^\s*[<{[]/.test(line)) break; // body begins without a blank line (copied text)
      const c = line.indexOf(':');
      if (c > 0 && !/^\s/.test(line)) {
        headers.push([squash(line.slice(0, c)), line.slice(c + 1).trim()]);
      } else if (headers.length) {
        const last = headers[headers.length - 1]!;
        last[1] = `${last[1]} ${line.trim()}`.trim();
      }
    }
    // "HTTP/1.1 100 Continue" followed by the real answer
    if (status >= 100 && status < 200) {
      const next = lines.findIndex((l, j) => j >= i && STATUS_LINE.test(l));
      if (next >= 0) {
        lines = lines.slice(next);
        start = 0;
        continue;
      }
    }
    return { status, headers, body: lines.slice(i).join('\n') };
  }
}

// ---------------------------------------------------------------------------
// One-line and key-value text: SDK messages, tables copied from documents.

function answerFromLabelledText(text: string, a: ErrorAnswer, knownCode: (c: string) => boolean): boolean {
  const one = normaliseSpace(text);
  // "ErrorCode: AccessDenied ErrorMessage: Invalid according to Policy: Policy expired."
  const multiLine = /\n[ \t]*(?:Error\s*)?(?:Message|Request\s*-?\s*Id|Host\s*-?\s*Id|EC|Status)\s*[:=]/i.test(text.trim());
  let m = multiLine ? null : /^(?:Error\s*)?Code\s*:\s*(\S+)\s+(?:Error\s*)?Message\s*:\s*(.*)$/i.exec(one);
  if (m) {
    a.code = squash(m[1]!);
    a.message = m[2]!.trim();
    return true;
  }
  // boto: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied"
  m = /^An error occurred \(([\w.-]+)\)(?: when calling the [\w-]+ operation)?(?: \(reached max retries: \d+\))?\s*:\s*(.*)$/i.exec(one);
  if (m) {
    a.code = m[1]!;
    a.message = m[2]!.trim();
    return true;
  }
  // key: value lines
  const lines = text.split(/\r?\n/);
  let found = false;
  for (const line of lines) {
    const kv = /^\s*(Error\s*Code|Code|Error\s*Message|Message|Request\s*-?\s*Id|Host\s*-?\s*Id|EC|Status(?:\s*Code)?)\s*[:=]\s*(.*?)\s*$/i.exec(line);
    if (!kv) continue;
    const k = squash(kv[1]!).toLowerCase();
    const v = kv[2]!;
    if (k === 'code' || k === 'errorcode') a.code = squash(v);
    else if (k === 'message' || k === 'errormessage') a.message = normaliseSpace(v);
    else if (k.startsWith('request')) a.requestId = squash(v);
    else if (k.startsWith('host')) a.hostId = squash(v);
    else if (k === 'ec' && EC_RE.test(squash(v))) a.ec = squash(v);
    else if (k.startsWith('status') && asStatus(v) !== null) a.status = asStatus(v);
    else continue;
    found = true;
  }
  if (found && (a.code !== null || a.message !== null)) return true;
  a.code = a.message = a.requestId = a.hostId = a.ec = null;
  a.status = null;
  // Go SDK style: "AccessDenied: Access Denied\n\tstatus code: 403, request id: X, host id: Y"
  m = /^([A-Z][A-Za-z0-9]+):\s+(.+?)(?:\s+status code:\s*(\d{3})(?:,\s*request id:\s*([^,\s]*))?(?:,\s*host id:\s*(\S*))?)?$/.exec(one);
  if (m && knownCode(m[1]!)) {
    a.code = m[1]!;
    a.message = m[2]!.trim();
    if (m[3]) a.status = Number(m[3]);
    if (m[4]) a.requestId = m[4];
    if (m[5]) a.hostId = m[5];
    return true;
  }
  return false;
}

/** A CamelCase code cut by stray spaces ("AccessDeni ed", "MethodNotA llowed"), not words ("Access Denied"). */
function splitCodeShape(one: string): boolean {
  const pieces = one.split(' ');
  return pieces.slice(1).some((p) => /^[a-z]/.test(p)) || pieces.some((p) => /[a-z][A-Z]/.test(p));
}

// ---------------------------------------------------------------------------

/** Text explain reads at most (characters); the rest of a larger input is ignored (and said so). */
export const MAX_INPUT_CHARS = 262_144;

function fill(a: ErrorAnswer, f: Found | null): boolean {
  if (!f) return false;
  let any = false;
  if (a.code === null && f.code) {
    a.code = squash(f.code);
    any = true;
  }
  if (a.message === null && f.message) {
    a.message = cleanMessage(f.message);
    any = any || a.message !== null;
  }
  if (a.status === null && typeof f.status === 'number') a.status = f.status;
  if (f.headers?.length && !a.headers.length) a.headers.push(...f.headers);
  if (a.requestId === null && f.requestId) a.requestId = squash(f.requestId);
  if (a.hostId === null && f.hostId) a.hostId = squash(f.hostId);
  if (a.ec === null && f.ec) a.ec = f.ec;
  for (const [k, v] of Object.entries(f.elements ?? {})) if (!(k in a.elements)) a.elements[k] = v;
  return any;
}

/** The first balanced `{...}` of the text starting at `from` (strings respected), or null. */
function balancedObject(text: string, from: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  const end = Math.min(text.length, from + 262_144);
  for (let i = from; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  return null;
}

/** A JSON error document inside the text (a log line, a stack trace), read into the answer. */
function embeddedJson(text: string, a: ErrorAnswer): boolean {
  let from = 0;
  for (let tries = 0; tries < 6; tries++) {
    const i = text.indexOf('{', from);
    if (i < 0) return false;
    const obj = balancedObject(text, i);
    if (obj === null) return false;
    if (/"(?:code|message|error|errorcode|errormessage)"/i.test(obj)) {
      try {
        const doc = JSON.parse(obj) as unknown;
        const trial = emptyAnswer(a.body);
        if (answerFromJson(doc, trial)) {
          fill(a, { ...trial, shape: 'json', elements: trial.elements });
          if (trial.headers.length) a.headers.push(...trial.headers);
          return true;
        }
      } catch {
        // not JSON: go on after it
      }
    }
    from = i + 1;
  }
  return false;
}

const PROSE_STATUS =
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: ?code)?|statusCode|error(?: code)?|code|response|got|returned?|returns|responded with)[ :=(]{1,3}(4\d\d|5\d\d)(?![\d.])|\b(4\d\d|5\d\d) (?:\(?Forbidden|Bad Request|Not Found|Conflict|Precondition Failed|Method Not Allowed|Request Entity Too Large|Payload Too Large|Length Required|Internal Server Error|Service Unavailable|Moved Permanently)/i;

const STATUS_NAMES: Record<string, number> = {
  forbidden: 403,
  badrequest: 400,
  notfound: 404,
  methodnotallowed: 405,
  conflict: 409,
  preconditionfailed: 412,
  lengthrequired: 411,
  requestentitytoolarge: 413,
  internalservererror: 500,
  serviceunavailable: 503,
  movedpermanently: 301,
  temporaryredirect: 307,
};

/** What one reading of the input holds. */
interface Reading {
  kind: InputKind;
  answer: ErrorAnswer;
  tolerant: boolean;
  shape: string | null;
  /** The message is the whole text, for want of anything better. */
  fallback: boolean;
  jsonError: InputError | null;
}

function quality(r: Reading): number {
  const a = r.answer;
  return (a.code ? 4 : 0) + (a.message && !r.fallback ? 4 : 0) + (a.status ? 1 : 0) + (a.requestId ? 1 : 0) + (a.ec ? 2 : 0);
}

function readOne(text: string, knownCode: (c: string) => boolean, where: { source?: string }, original: string, cors: CorsLine | null): Reading {
  const a = emptyAnswer(original);
  let kind: InputKind = 'message';
  let tolerant = false;
  let shape: string | null = null;
  let fallback = false;
  let jsonError: InputError | null = null;
  let body = text.trim();

  let http = splitHttp(unCurlVerbose(body));
  if (!http) {
    // a status line further down: prose, a command or request headers before the answer
    const lines = body.split(/\r?\n/);
    const at = lines.findIndex((l, i) => i > 0 && i < 400 && STATUS_LINE.test(l) && /^\s*HTTP/i.test(l));
    if (at > 0) http = splitHttp(lines.slice(at).join('\n'));
  }
  if (http) {
    kind = 'http';
    a.status = http.status;
    a.headers = http.headers;
    body = http.body.trim();
  }

  let done = false;
  // a JSON error document: a member it lacks (no Message) stays unknown, never the document's text
  let readAsJson = false;
  if (body.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (e) {
      jsonError = jsonInputError(e as Error, body, where);
    }
    if (jsonError === null && answerFromJson(doc, a)) {
      done = true;
      readAsJson = true;
      if (kind !== 'http') kind = 'json';
    } else if (answerFromBrokenJson(body, a)) {
      done = true;
      tolerant = true;
      if (kind !== 'http') kind = 'json';
    }
  }
  if (!done) {
    const xmlAt = body.search(/<\s{0,4}(?:\?\s{0,4}xml|Error\s{0,4}>|Code\s{0,4}>|Message\s{0,4}>|html\b|title\s{0,4}>)/i);
    if (xmlAt >= 0 || /^\s*<\s*[A-Za-z]/.test(body)) {
      const r = answerFromXml(xmlAt >= 0 ? body.slice(xmlAt) : body, a);
      if (r.ok) {
        done = true;
        tolerant = tolerant || r.tolerant;
        if (kind !== 'http') kind = xmlAt > 0 ? 'text' : 'xml';
      }
    }
  }
  if (!done && body.includes('{') && embeddedJson(body, a)) {
    done = a.code !== null || a.message !== null;
    if (kind !== 'http') kind = 'text';
    shape = 'json';
  }
  // SDK printouts and key-value objects complete (or supply) what the structure gave
  const sdk = readSdkShapes(body);
  if (sdk) {
    if (fill(a, sdk) || !done) shape = shape ?? sdk.shape;
    if (!done && (a.code !== null || a.message !== null)) {
      done = true;
      if (kind !== 'http') kind = 'sdk';
    }
  }
  const kv = readKeyValues(body);
  if (kv) {
    fill(a, kv);
    if (!done && (a.code !== null || a.message !== null)) {
      done = true;
      shape = shape ?? 'object';
      if (kind !== 'http') kind = 'sdk';
    }
  }
  if (!done && body !== '') {
    const trial = emptyAnswer(original);
    if (answerFromLabelledText(body, trial, knownCode)) {
      fill(a, { code: trial.code, message: trial.message, status: trial.status, requestId: trial.requestId, hostId: trial.hostId, ec: trial.ec, shape: 'labelled' });
      done = a.code !== null || a.message !== null;
    }
  }
  if (!done && body !== '') {
    if (cors) {
      a.message = cors.line;
      done = true;
      if (kind !== 'http') kind = 'console';
      shape = `console-cors-${cors.browser}`;
    }
  }
  if (!done && body !== '') {
    const one = normaliseSpace(decodeEntities(body));
    const ec = /^(?:EC ?[:=]? ?)?(\d{4} ?- ?\d{8})$/i.exec(one);
    if (ec) {
      a.ec = squash(ec[1]!);
      if (kind !== 'http') kind = 'ec';
      done = true;
    } else if (/^[A-Za-z][A-Za-z0-9]*$/.test(one) && (knownCode(one) || /^[A-Z][a-z0-9]*[A-Z]/.test(one) || /^[A-Z][a-z]+$/.test(one))) {
      a.code = one;
      if (kind !== 'http') kind = 'code';
      done = true;
    } else if (one.length <= 80 && /^[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+){1,3}$/.test(one) && knownCode(squash(one)) && splitCodeShape(one)) {
      // a code split by stray spaces (text copied from a PDF): "AccessDeni ed"
      a.code = squash(one);
      tolerant = true;
      if (kind !== 'http') kind = 'code';
      done = true;
    }
  }
  if (!done || a.code === null) {
    const prose = readCodeInProse(body, knownCode);
    if (prose) {
      fill(a, prose);
      shape = shape ?? prose.shape;
      if (kind !== 'http' && kind !== 'console') kind = 'text';
      done = true;
    }
  }
  if (a.message === null && body !== '' && kind !== 'ec' && kind !== 'code' && !readAsJson) {
    // nothing better: the text itself is the message (cut to what a pattern may see)
    let one = normaliseSpace(decodeEntities(body));
    if (one.length > 4096) one = one.slice(0, 4096);
    if (one !== '' && (a.code === null || one.toLowerCase() !== a.code.toLowerCase())) {
      a.message = one;
      fallback = a.code !== null || jsonError !== null || /\n/.test(body.trim()) || one.length > 300;
    }
  }
  if (a.status === null) {
    const m = PROSE_STATUS.exec(body.length > 262_144 ? body.slice(0, 262_144) : body);
    if (m) a.status = Number(m[1] ?? m[2]);
  }
  if (a.status === null) {
    // .NET and Java print the status by name: "Http Status Code Forbidden", "StatusCode: BadRequest"
    const m =
      /\b(?:Http ?Status ?Code|StatusCode|status code)[ :=]{1,3}(Forbidden|BadRequest|NotFound|MethodNotAllowed|Conflict|PreconditionFailed|LengthRequired|RequestEntityTooLarge|InternalServerError|ServiceUnavailable|MovedPermanently|TemporaryRedirect)\b/i.exec(
        body.slice(0, 262_144),
      );
    if (m) a.status = STATUS_NAMES[m[1]!.toLowerCase()] ?? null;
  }
  // an EC named inside the message ("... EC: 0002-00000705")
  if (a.ec === null && a.message) {
    const m = /\bEC\s*[:=]\s*(\d{4}-\d{8})\b/.exec(a.message);
    if (m) a.ec = m[1]!;
  }
  // headers complete what the body lacks
  if (a.headers.length) {
    if (a.requestId === null) {
      const rid = ['x-cos-request-id', 'x-oss-request-id', 'x-amz-request-id', 'x-request-id'].map((h) => headerValue(a.headers, h)).find((v) => v);
      if (rid) a.requestId = squash(rid);
    }
    if (a.ec === null) {
      const ec = headerValue(a.headers, 'x-oss-ec');
      if (ec && EC_RE.test(squash(ec))) a.ec = squash(ec);
    }
  }
  if (a.message !== null && a.message === '') a.message = null;
  if (a.code !== null && a.code === '') a.code = null;
  // COS's JSON API answers a numeric code and puts the error's name in the message
  if (a.code === null && a.message !== null && /^[A-Z][A-Z0-9]{1,30}(?:_[A-Z0-9]{1,30}){1,8}$/.test(a.message)) a.code = a.message;
  return { kind, answer: a, tolerant, shape, fallback, jsonError };
}

function jsonInputError(jsonError: Error, body: string, where: { source?: string }): InputError {
  const pos = /position (\d+)/.exec(jsonError.message);
  const at: { line?: number; column?: number } = {};
  // "Unexpected end of JSON input" names no position: it is the end of the text
  const offset = pos ? Number(pos[1]) : /end of (JSON )?input/i.test(jsonError.message) ? body.length : null;
  if (offset !== null) {
    const before = body.slice(0, offset);
    const lines = before.split('\n');
    at.line = lines.length;
    at.column = lines[lines.length - 1]!.length + 1;
  }
  let why = jsonError.message
    .replace(/\(line \d{1,9} column \d{1,9}\)$/, '')
    .trimEnd()
    .replace(/\s+/g, ' ');
  if (why.length > 160) why = `${why.slice(0, 157)}...`;
  return new InputError(`not a JSON error: ${why}`, { ...where, ...at });
}

/**
 * Parse what the user gave into a provider-neutral answer. `knownCode` tells whether a word
 * is an error code of the knowledge base (used to read "Code: message" one-liners and codes in
 * prose). Throws InputError for empty or binary input, and for a JSON document that is broken
 * and holds nothing else to read.
 */
export function parseInput(input: string, knownCode: (c: string) => boolean = () => false, source?: string): ParsedInput {
  const where = source === undefined ? {} : { source };
  let text0 = input.replace(/^\uFEFF/, '');
  if (text0.trim() === '') throw new InputError('empty input: nothing to explain', where);
  const nul = text0.indexOf('\u0000');
  if (nul >= 0)
    throw new InputError('binary input: expected text (an error body, response, message or code)', { ...where, offset: Buffer.byteLength(input.slice(0, input.length - text0.length + nul), 'utf8') });
  let truncated = false;
  if (text0.length > MAX_INPUT_CHARS) {
    text0 = text0.slice(0, MAX_INPUT_CHARS);
    truncated = true;
  }
  const clean = unwrapPaste(text0);
  const readings: string[] = [clean];
  const unescaped = unescapeJsonText(clean);
  if (unescaped !== null) readings.push(unescaped);
  // what the text around the error shows, read once for every reading
  const hints = readHints(unescaped !== null ? `${clean}\n${unescaped}` : clean);
  let best: Reading | null = null;
  let bestText = clean;
  for (const r of readings) {
    const one = readOne(r, knownCode, where, text0, hints.cors);
    if (best === null || quality(one) > quality(best)) {
      best = one;
      bestText = r;
    }
  }
  const r = best!;
  const a = r.answer;
  if (a.code === null && a.message === null && a.ec === null && a.status === null) {
    if (r.jsonError) throw r.jsonError;
    throw new InputError('no error code, message or status found in the input', where);
  }
  if (r.jsonError && quality(r) === 0) throw r.jsonError;
  // the printout recognised names the SDK when the text's own markers did not
  if (hints.sdk === null && r.shape && /^aws-|^botocore$/.test(r.shape)) hints.sdk = r.shape;
  return { kind: r.kind, answer: a, tolerant: r.tolerant, text: bestText, hints, shape: r.shape, fallback: r.fallback, truncated };
}
