// "Copy as cURL" commands (bash, cmd, PowerShell) -> UploadRequest.
import { promises as fsp } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { FilePart, Part, UploadRequest } from '../core/types.js';
import { INLINE_LIMIT, parseMultipart, type BodyInput, MAX_PARTS } from './multipart.js';
import { tokenize, type Shell, type Word } from './shell.js';
import { declaredLength, restoreEmptyFileParts, settleFileSize } from './copied-body.js';
import { MAX_HEADERS, NOTE, WHOLE_INPUT_LIMIT, basename, curlContentTypeFor, fileSize, resolvePath } from './util.js';
import { FIELD_LIMIT } from './multipart.js';
import type { InputOptions } from './types.js';

/** curl options that take an argument (long names). */
const LONG_WITH_ARG = new Set([
  'header',
  'form',
  'form-string',
  'data',
  'data-raw',
  'data-binary',
  'data-ascii',
  'data-urlencode',
  'json',
  'request',
  'url',
  'user-agent',
  'referer',
  'cookie',
  'cookie-jar',
  'user',
  'output',
  'proxy',
  'max-time',
  'connect-timeout',
  'upload-file',
  'write-out',
  'config',
  'cacert',
  'capath',
  'cert',
  'cert-type',
  'key',
  'key-type',
  'resolve',
  'connect-to',
  'retry',
  'retry-delay',
  'retry-max-time',
  'limit-rate',
  'range',
  'proxy-user',
  'interface',
  'speed-limit',
  'speed-time',
  'time-cond',
  'local-port',
  'max-filesize',
  'oauth2-bearer',
  'aws-sigv4',
  'dump-header',
  'telnet-option',
  'unix-socket',
  'abstract-unix-socket',
  'proto',
  'proto-redir',
  'proto-default',
  'max-redirs',
  'quote',
  'trace',
  'trace-ascii',
  'stderr',
  'ciphers',
  'dns-servers',
  'noproxy',
  'pinnedpubkey',
  'preproxy',
  'request-target',
  'sasl-authzid',
  'tls13-ciphers',
  'variable',
  'url-query',
  'happy-eyeballs-timeout-ms',
  'expect100-timeout',
  'keepalive-time',
  'login-options',
  'mail-from',
  'mail-rcpt',
  'netrc-file',
  'output-dir',
  'pass',
  'proxy-header',
  'socks4',
  'socks4a',
  'socks5',
  'socks5-hostname',
  'ftp-port',
  'krb',
  'hostpubmd5',
  'hostpubsha256',
  'engine',
  'egd-file',
  'random-file',
  'delegation',
  'alt-svc',
  'hsts',
  'etag-save',
  'etag-compare',
  'doh-url',
  'ech',
]);
/** Short options that take an argument. */
const SHORT_WITH_ARG = new Set('HFdXAebcuoxmTwKErUyYzDtQC'.split(''));
const SHORT_TO_LONG: Record<string, string> = {
  H: 'header',
  F: 'form',
  d: 'data',
  X: 'request',
  A: 'user-agent',
  e: 'referer',
  b: 'cookie',
  T: 'upload-file',
};

interface Ctx {
  source: string;
  cwd: string | undefined;
  notes: UploadRequest['notes'];
}

function wordError(msg: string, w: Word, ctx: Ctx, field?: string): InputError {
  const where: ConstructorParameters<typeof InputError>[1] = { source: ctx.source, line: w.line, column: w.column };
  if (field !== undefined) where.field = field;
  return new InputError(msg, where);
}

interface FormParams {
  value: string;
  type?: string;
  filename?: string;
}

/** Read `"quoted \" value"` starting at s[i] === '"'; returns [value, next index]. */
function readQuoted(s: string, i: number): [string, number] {
  let out = '';
  i++;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    out += s[i];
    i++;
  }
  return [out, i + 1];
}

const KNOWN_PARAM = /^;\s*(type|filename|headers|encoder)=/i;

/** Parse a -F value's content after the leading @ or < (or a plain value): value and ;params. */
function parseFormContent(s: string, plain: boolean): FormParams {
  let i = 0;
  let value = '';
  if (s[0] === '"') {
    [value, i] = readQuoted(s, 0);
    while (i < s.length && s[i] !== ';') i++;
  } else {
    // a ';' only starts parameters when a known parameter follows (plain values may contain ';')
    let j = 0;
    for (;;) {
      const k = s.indexOf(';', j);
      if (k < 0) {
        j = s.length;
        break;
      }
      if (!plain || KNOWN_PARAM.test(s.slice(k))) {
        j = k;
        break;
      }
      j = k + 1;
    }
    value = s.slice(0, j);
    i = j;
  }
  const out: FormParams = { value };
  while (i < s.length && s[i] === ';') {
    i++;
    while (s[i] === ' ') i++;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const pname = s.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let pval: string;
    if (s[i] === '"') [pval, i] = readQuoted(s, i);
    else {
      const k = s.indexOf(';', i);
      pval = s.slice(i, k < 0 ? s.length : k);
      i = k < 0 ? s.length : k;
    }
    while (i < s.length && s[i] !== ';') i++;
    if (pname === 'type') out.type = pval.trim();
    else if (pname === 'filename') out.filename = pval;
  }
  return out;
}

async function formPart(w: Word, literal: boolean, ctx: Ctx): Promise<Part> {
  const s = w.text;
  const eq = s.indexOf('=');
  if (eq <= 0) throw wordError(`-F needs name=content, got ${JSON.stringify(s.slice(0, 40))}`, w, ctx);
  const name = s.slice(0, eq);
  const content = s.slice(eq + 1);
  if (literal) return { kind: 'field', name, value: content };
  if (content.startsWith('@')) {
    const p = parseFormContent(content.slice(1), false);
    const filename = p.filename ?? (p.value === '-' ? '-' : basename(p.value));
    const contentType = p.type ?? curlContentTypeFor(p.value === '-' ? '' : p.value);
    const part: FilePart = { kind: 'file', name, filename, contentType, size: null, source: { type: 'placeholder' } };
    if (p.value === '-') {
      part.source = { type: 'placeholder', text: '-' };
      ctx.notes.push({ id: NOTE.placeholderFile, facts: { field: name, text: '-' } });
      return part;
    }
    const path = resolvePath(p.value, ctx.cwd);
    part.source = { type: 'path', path };
    part.size = await fileSize(path);
    if (part.size === null) ctx.notes.push({ id: NOTE.fileMissing, facts: { path } });
    return part;
  }
  if (content.startsWith('<')) {
    const p = parseFormContent(content.slice(1), false);
    const path = resolvePath(p.value, ctx.cwd);
    if (p.filename !== undefined) {
      // sent as a file part: small files inline, larger ones streamed from disk
      const size = await fileSize(path);
      if (size === null) throw wordError(`cannot read ${path} for -F ${name}=<...`, w, ctx, name);
      if (size >= INLINE_LIMIT) return { kind: 'file', name, filename: p.filename, contentType: p.type ?? 'text/plain', size, source: { type: 'path', path } };
    }
    let data: Buffer;
    try {
      // a field value is read whole, up to the limit of a form field
      data = await readBounded(path, FIELD_LIMIT);
    } catch (e) {
      if (e instanceof InputError) throw wordError(`${path} for -F ${name}=<...: ${e.message}`, w, ctx, name);
      throw wordError(`cannot read ${path} for -F ${name}=<...: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, w, ctx, name);
    }
    const value = data.toString('utf8');
    if (p.filename !== undefined) {
      const bytes = Buffer.from(value, 'utf8');
      return {
        kind: 'file',
        name,
        filename: p.filename,
        contentType: p.type ?? 'text/plain',
        size: bytes.length,
        source: bytes.length < INLINE_LIMIT ? { type: 'inline', data: new Uint8Array(bytes) } : { type: 'path', path },
      };
    }
    return { kind: 'field', name, value };
  }
  const p = parseFormContent(content, true);
  if (p.filename !== undefined) {
    const data = Buffer.from(p.value, 'utf8');
    return { kind: 'file', name, filename: p.filename, contentType: p.type ?? 'text/plain', size: data.length, source: { type: 'inline', data: new Uint8Array(data) } };
  }
  return { kind: 'field', name, value: p.value };
}

interface DataItem {
  word: Word;
  kind: 'raw' | 'data' | 'binary';
}

/** A file read whole, refused (InputError) when it holds more than `limit` bytes; only that much is read. */
async function readBounded(path: string, limit: number): Promise<Buffer> {
  const fh = await fsp.open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, Math.max(0, limit + 1 - total)), null);
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
      total += bytesRead;
      if (total > limit) throw new InputError(`more than ${limit} bytes; post-doctor reads up to ${limit} bytes from it`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** Tokens of a curl command line -> UploadRequest. */
export async function parseCurlWords(words: Word[], source: string, opts: InputOptions = {}): Promise<UploadRequest> {
  const ctx: Ctx = { source, cwd: opts.cwd, notes: [] };
  if (words.length === 0 || !/^curl(\.exe)?$/i.test(words[0]!.text)) {
    throw new InputError('not a curl command', { source, line: words[0]?.line ?? 1, column: words[0]?.column ?? 1 });
  }
  let method: string | null = null;
  let url: string | null = null;
  const headers: Array<[string, string]> = [];
  const parts: Part[] = [];
  const data: DataItem[] = [];
  let hasForm = false;

  const handle = async (name: string, arg: Word | undefined, optWord: Word): Promise<void> => {
    const need = (): Word => {
      if (!arg) throw wordError(`option ${optWord.text} needs a value`, optWord, ctx);
      return arg;
    };
    switch (name) {
      case 'request':
        method = need().text.toUpperCase();
        break;
      case 'url':
        url ??= need().text;
        break;
      case 'header': {
        const h = need().text;
        if (headers.length >= MAX_HEADERS) throw wordError(`more than ${MAX_HEADERS} headers (-H); post-doctor reads up to ${MAX_HEADERS}`, optWord, ctx);
        const c = h.indexOf(':');
        if (c > 0) headers.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
        else if (h.endsWith(';')) headers.push([h.slice(0, -1).trim(), '']);
        break;
      }
      case 'user-agent':
        headers.push(['User-Agent', need().text]);
        break;
      case 'referer':
        headers.push(['Referer', need().text]);
        break;
      case 'cookie': {
        const v = need().text;
        if (v.includes('=')) headers.push(['Cookie', v]);
        break;
      }
      case 'form':
        hasForm = true;
        parts.push(await formPart(need(), false, ctx));
        break;
      case 'form-string':
        hasForm = true;
        parts.push(await formPart(need(), true, ctx));
        break;
      case 'data':
      case 'data-ascii':
        data.push({ word: need(), kind: 'data' });
        break;
      case 'data-binary':
        data.push({ word: need(), kind: 'binary' });
        break;
      case 'data-raw':
        data.push({ word: need(), kind: 'raw' });
        break;
      default:
        break;
    }
  };

  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (t.startsWith('--') && t.length > 2) {
      const name = t.slice(2);
      if (LONG_WITH_ARG.has(name)) {
        await handle(name, words[i + 1], w);
        i++;
      }
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      for (let k = 1; k < t.length; k++) {
        const letter = t[k]!;
        if (!SHORT_WITH_ARG.has(letter)) continue;
        const rest = t.slice(k + 1);
        let arg: Word | undefined;
        if (rest.length > 0) {
          const bytes = Buffer.from(rest, 'utf8');
          arg = { bytes, text: rest, line: w.line, column: w.column + k + 1 };
        } else {
          arg = words[i + 1];
          i++;
        }
        await handle(SHORT_TO_LONG[letter] ?? '', arg, w);
        break;
      }
      continue;
    }
    url ??= t;
  }

  if (url !== null && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  const req: UploadRequest = {
    method: method ?? (hasForm || data.length > 0 ? 'POST' : 'GET'),
    url,
    headers,
    parts: [],
    boundary: null,
    bodyProblems: [],
    notes: ctx.notes,
  };
  if (hasForm) {
    // curl builds the multipart body itself, with a boundary of its own.
    req.parts = parts;
    return req;
  }
  let contentType: string | null = null;
  for (const [k, v] of headers) if (k.toLowerCase() === 'content-type') contentType = v;
  if (data.length === 0 && contentType !== null && /^\s*multipart\/form-data/i.test(contentType)) {
    // DevTools copies an upload it holds no body for (a form answered 204) without --data
    throw new InputError(
      'no request body: the command has a multipart Content-Type but no --data/-F; the browser did not keep the body. Export a HAR "with content", copy the request again before the page navigates, or post the form to post-doctor serve',
      { source, line: words[0]!.line, column: words[0]!.column },
    );
  }
  if (contentType === null && data.length > 0) contentType = 'application/x-www-form-urlencoded';
  let body: BodyInput;
  if (data.length === 1 && data[0]!.kind !== 'raw' && data[0]!.word.text.startsWith('@') && data[0]!.word.text !== '@-') {
    const d = data[0]!;
    const path = resolvePath(d.word.text.slice(1), opts.cwd);
    if ((await fileSize(path)) === null) throw wordError(`cannot read the body file ${path}`, d.word, ctx);
    body = { kind: 'file', path };
  } else {
    const pieces: Buffer[] = [];
    let total = 0;
    for (const [n, d] of data.entries()) {
      if (n > 0) pieces.push(Buffer.from('&'));
      if (d.kind !== 'raw' && d.word.text.startsWith('@')) {
        const path = resolvePath(d.word.text.slice(1), opts.cwd);
        try {
          const piece = await readBounded(path, WHOLE_INPUT_LIMIT - total);
          pieces.push(piece);
          total += piece.length;
        } catch (e) {
          if (e instanceof InputError) throw wordError(`the body file ${path}: ${e.message}`, d.word, ctx);
          throw wordError(`cannot read the body file ${path}`, d.word, ctx);
        }
      } else pieces.push(d.word.bytes);
    }
    body = { kind: 'buffer', data: data.every((d) => d.kind === 'raw' || !d.word.text.startsWith('@')) ? restoreEmptyFileParts(Buffer.concat(pieces), contentType) : Buffer.concat(pieces) };
  }
  const mp = await parseMultipart(body, contentType, { lfTranscription: 'auto', maxParts: MAX_PARTS });
  req.parts = mp.parts;
  req.boundary = mp.boundary;
  req.bodyProblems = mp.bodyProblems;
  req.notes.push(...mp.notes);
  if (body.kind === 'buffer' && data.every((d) => d.kind === 'raw' || !d.word.text.startsWith('@'))) {
    // text written into the command (DevTools "Copy as cURL" --data-raw): the file's bytes are left out
    settleFileSize(req, body.data.length, declaredLength(headers), Buffer.from(body.data).includes(REPLACEMENT));
  }
  return req;
}

/** U+FFFD in UTF-8: where a browser decoded bytes that were not valid UTF-8. */
const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

/** A "Copy as cURL" command (bash, cmd or PowerShell) -> UploadRequest. */
export async function parseCurl(text: string, source: string, opts: InputOptions = {}, shell?: Shell): Promise<UploadRequest> {
  const t = text.replace(/^\uFEFF/, '').replace(/^(\s*)\$ (?=curl)/, '$1  ');
  return parseCurlWords(tokenize(t, source, shell), source, opts);
}
