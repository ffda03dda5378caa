// Input parsers for `post-doctor check`: raw HTTP, HAR, "Copy as cURL", JSON form.
// Every parser returns the one request model, UploadRequest (src/core/types.ts), and
// throws nothing but InputError.
import { accessSync, statSync, constants as fsc } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { FilePart, UploadRequest } from '../core/types.js';
import { parseCurl } from './curl.js';
import { isHar, parseHar } from './har.js';
import { parseJson } from './json.js';
import { parseJsonForm } from './jsonform.js';
import { looksLikeFetch, parseFetch } from './fetch.js';
import { looksLikePowerShell, parsePowerShell } from './powershell.js';
import { isPostmanCollection, parsePostman } from './postman.js';
import { REQUEST_LINE, parseRawHttp } from './raw.js';
import { MAX_PARTS } from './multipart.js';
import { MAX_HEADERS, NOTE, basename, resolvePath } from './util.js';
import type { InputOptions, InputSource } from './types.js';

export type { InputOptions, InputSource } from './types.js';
export { parseRawHttp } from './raw.js';
export { parseHar, isHar } from './har.js';
export { parseCurl, parseCurlWords } from './curl.js';
export { parseJsonForm } from './jsonform.js';
export { parseFetch } from './fetch.js';
export { parsePowerShell } from './powershell.js';
export { parsePostman, isPostmanCollection } from './postman.js';
export { parseJson } from './json.js';
export { parseMultipart, sniffBoundary, INLINE_LIMIT, FIELD_LIMIT, FIELDS_TOTAL_LIMIT, MAX_PARTS, type BodyInput, type MultipartOptions, type MultipartResult } from './multipart.js';
export { tokenize, tokenizeBash, tokenizeCmd, tokenizePowerShell, detectShell, type Shell, type Word } from './shell.js';
export { NOTE, MAX_HEADERS } from './util.js';

/** Largest `policy` field (characters of base64) read; larger ones are refused. */
export const POLICY_LIMIT = 1024 * 1024;

export const UNKNOWN_FORMAT = 'not a raw HTTP request, HAR, curl command, fetch call, PowerShell Invoke-WebRequest, Postman collection or JSON form description';

/** Which parser an input needs ('har', 'postman' and 'json' are told apart after parsing: see readUploadRequest). */
export function detectFormat(text: string): 'raw' | 'json' | 'curl' | 'fetch' | 'powershell' | null {
  const t = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (t.startsWith('{')) return 'json';
  if (/^(\$ )?curl(\.exe)?(\s|$)/i.test(t)) return 'curl';
  if (looksLikeFetch(t)) return 'fetch';
  if (looksLikePowerShell(t)) return 'powershell';
  const firstLine = t.split(/\r?\n/, 1)[0] ?? '';
  if (REQUEST_LINE.test(firstLine)) return 'raw';
  return null;
}

/**
 * --file: the real file behind a placeholder. Replaces the first file part's source and
 * size (or adds a "file" part at the end when the request has none).
 */
export async function applyFileOption(req: UploadRequest, file: string, cwd?: string): Promise<UploadRequest> {
  const path = resolvePath(file, cwd);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    accessSync(path, fsc.R_OK);
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the file given for the file part: ${code ?? (e as Error).message}`, { source: file });
  }
  const idx = req.parts.findIndex((p) => p.kind === 'file');
  if (idx < 0) {
    req.parts.push({ kind: 'file', name: 'file', filename: basename(path), contentType: null, size, source: { type: 'path', path } });
    req.notes.push({ id: NOTE.filePartAdded, facts: { path } });
    return req;
  }
  const part = req.parts[idx] as FilePart;
  const oldPath = part.source.type === 'path' ? part.source.path : undefined;
  part.source = { type: 'path', path };
  part.size = size;
  req.notes = req.notes.filter((n) => !((n.id === NOTE.placeholderFile && n.facts.field === part.name) || (n.id === NOTE.fileMissing && oldPath !== undefined && n.facts.path === oldPath)));
  return req;
}

async function dispatch(src: InputSource, opts: InputOptions): Promise<UploadRequest> {
  const format = detectFormat(src.text);
  if (format === null) {
    // an error answer given to check: point to explain
    const head = src.text.slice(0, 4096);
    if (/<\s{0,4}(?:Error|Code)\s{0,4}>|An error occurred \(|"Code"\s{0,4}:|^\s*HTTP\/\d(?:\.\d)? [45]\d\d\b/.test(head)) {
      throw new InputError(`${UNKNOWN_FORMAT}; it looks like an error answer: run post-doctor explain on it`, { source: src.source, line: 1 });
    }
    throw new InputError(UNKNOWN_FORMAT, { source: src.source, line: 1 });
  }
  if (format === 'json') {
    const doc = parseJson(src.text, src.source);
    if (isHar(doc)) return parseHar(doc, src.source, opts);
    if (isPostmanCollection(doc)) return parsePostman(doc, src.source, opts);
    return parseJsonForm(doc, src.source, opts);
  }
  if (format === 'fetch') return parseFetch(src.text.replace(/^\uFEFF/, ''), src.source, opts);
  if (format === 'powershell') return parsePowerShell(src.text.replace(/^\uFEFF/, '').replace(/^\s+/, ''), src.source);
  if (format === 'curl') return parseCurl(src.text, src.source, { ...opts, cwd: opts.cwd });
  return parseRawHttp(src);
}

/**
 * Read any supported input (raw HTTP, HAR, curl command, JSON form) into an UploadRequest.
 * `src` is what readInputText (src/cli/io.ts) returns. Throws only InputError.
 */
export async function readUploadRequest(src: InputSource, opts: InputOptions = {}): Promise<UploadRequest> {
  try {
    const req = await dispatch(src, opts);
    // (multipart bodies stop at MAX_PARTS while streaming; JSON forms and HAR params here)
    if (req.parts.length > MAX_PARTS) throw new InputError(`the form has ${req.parts.length} parts, more than post-doctor reads (${MAX_PARTS})`, { source: src.source, field: 'fields' });
    if (req.headers.length > MAX_HEADERS) throw new InputError(`the request has ${req.headers.length} headers, more than post-doctor reads (${MAX_HEADERS})`, { source: src.source, field: 'headers' });
    const policy = req.parts.find((p) => p.kind === 'field' && p.name.toLowerCase() === 'policy');
    if (policy?.kind === 'field' && policy.value.length > POLICY_LIMIT) {
      // every condition can yield a finding: a policy this size would make a report of hundreds of MB
      throw new InputError(
        `the policy is ${(policy.value.length / 1048576).toFixed(1)} MiB of base64; post-doctor reads policies up to ${POLICY_LIMIT / 1048576} MiB (a real one is a few kilobytes)`,
        { source: src.source, field: policy.name },
      );
    }
    if (opts.file !== undefined) await applyFileOption(req, opts.file, opts.cwd);
    return req;
  } catch (e) {
    if (e instanceof InputError) {
      if (e.where.source === undefined) (e.where as { source?: string }).source = src.source;
      throw e;
    }
    // A parser bug must not surface as a crash on odd input; report it as unreadable input.
    throw new InputError(`cannot read input: ${(e as Error)?.message ?? String(e)}`, { source: src.source });
  }
}
