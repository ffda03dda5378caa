// Browser HAR 1.2 exports (Chrome, Firefox): pick a POST multipart entry and read its form.
import { InputError } from '../core/errors.js';
import type { FilePart, Part, UploadRequest } from '../core/types.js';
import { jget, jscalar, type JValue } from '../core/json.js';
import { INLINE_LIMIT } from './multipart.js';
import { declaredLength, harBytes, readCopiedBody } from './copied-body.js';
import { NOTE, findHeader, getParam, parseParamHeader, placeholderText } from './util.js';
import type { InputOptions } from './types.js';

/** True when a parsed JSON document has the shape of a HAR (`log.entries` array). */
export function isHar(doc: JValue): boolean {
  return jget(jget(doc, 'log'), 'entries')?.kind === 'array';
}

function isMultipart(v: string | undefined): boolean {
  return v !== undefined && parseParamHeader(v).type === 'multipart/form-data';
}

function harHeaders(request: JValue | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const hs = jget(request, 'headers');
  if (hs?.kind !== 'array') return out;
  for (const h of hs.items) {
    const name = jscalar(jget(h, 'name'));
    const value = jscalar(jget(h, 'value'));
    if (name !== undefined) out.push([name, value ?? '']);
  }
  return out;
}

interface Candidate {
  request: JValue;
  index: number;
}

/** Parsed HAR document -> UploadRequest of the chosen POST multipart entry. */
export async function parseHar(doc: JValue, source: string, opts: InputOptions = {}): Promise<UploadRequest> {
  const entries = jget(jget(doc, 'log'), 'entries');
  if (entries?.kind !== 'array') throw new InputError('not a HAR file: no log.entries array', { source, line: doc.line, column: doc.column });
  const candidates: Candidate[] = [];
  entries.items.forEach((e, index) => {
    const request = jget(e, 'request');
    if (request?.kind !== 'object') return;
    if ((jscalar(jget(request, 'method')) ?? '').toUpperCase() !== 'POST') return;
    const pd = jget(request, 'postData');
    const mime = jscalar(jget(pd, 'mimeType'));
    if (isMultipart(mime) || isMultipart(findHeader(harHeaders(request), 'content-type'))) candidates.push({ request, index });
  });
  const count = candidates.length;
  if (count === 0) throw new InputError('the HAR has no POST entry with a multipart/form-data body', { source, line: entries.line, column: entries.column });
  let pick: number;
  const notes: UploadRequest['notes'] = [];
  if (opts.entry !== undefined) {
    if (!Number.isInteger(opts.entry) || opts.entry < 1 || opts.entry > count) {
      throw new InputError(`entry ${opts.entry} is out of range: the HAR has ${count} POST multipart ${count === 1 ? 'entry' : 'entries'} (1-${count})`, { source, option: 'entry' });
    }
    pick = opts.entry;
  } else {
    pick = count;
    if (count > 1) notes.push({ id: NOTE.harEntryPicked, facts: { entry: pick, count } });
  }
  const { request } = candidates[pick - 1]!;
  const headers = harHeaders(request);
  const url = jscalar(jget(request, 'url')) ?? null;
  const pd = jget(request, 'postData');
  const mime = jscalar(jget(pd, 'mimeType'));
  const headerCt = findHeader(headers, 'content-type');
  // The Content-Type the browser sent; postData.mimeType when the header is absent.
  let contentType = headerCt ?? mime ?? null;
  if (contentType !== null && mime !== undefined && getParam(parseParamHeader(contentType), 'boundary') === undefined && getParam(parseParamHeader(mime), 'boundary') !== undefined) contentType = mime;

  const req: UploadRequest = { method: 'POST', url, headers, parts: [], boundary: null, bodyProblems: [], notes };
  const text = jget(pd, 'text');
  const params = jget(pd, 'params');
  const hasText = text?.kind === 'string' && text.value.length > 0;
  const hasParams = params?.kind === 'array' && params.items.length > 0;
  // HTTP Toolkit keeps a body that is not valid UTF-8 as base64 in request._content instead
  const content = jget(request, '_content');
  const contentText = jscalar(jget(content, 'text'));
  if (!hasText && contentText !== undefined && contentText !== '') {
    await readCopiedBody(req, harBytes(contentText, { encoding: jscalar(jget(content, 'encoding')) ?? 'base64', declared: declaredLength(headers) }), contentType);
    return req;
  }
  if (!hasText && !hasParams) {
    // A HAR recorded without the body (Playwright without routing, a navigation answered 204):
    // never judged as an empty form.
    throw new InputError(
      `HAR entry ${pick} (log.entries[${candidates[pick - 1]!.index}]): no request body: the browser did not record it; export a HAR "with content", use DevTools "Copy as cURL", or post the form to post-doctor serve`,
      { source, line: request.line, column: request.column },
    );
  }
  if (hasText && text?.kind === 'string') {
    const encoding = jscalar(jget(pd, 'encoding')) ?? jscalar(jget(pd, '_encoding'));
    const creator = jscalar(jget(jget(jget(doc, 'log'), 'creator'), 'name'));
    await readCopiedBody(req, harBytes(text.value, { ...(encoding !== undefined ? { encoding } : {}), ...(creator !== undefined ? { creator } : {}), declared: declaredLength(headers) }), contentType);
    return req;
  }
  // No text: the form as the browser listed it in params.
  req.boundary = contentType ? (getParam(parseParamHeader(contentType), 'boundary') ?? null) : null;
  if (params?.kind === 'array') {
    for (const p of params.items) {
      const name = jscalar(jget(p, 'name'));
      if (name === undefined) continue;
      const value = jscalar(jget(p, 'value'));
      const fileName = jscalar(jget(p, 'fileName'));
      // a value the browser put where the bytes were ("(binary)") is a file part even without fileName
      if (fileName === undefined && (value === undefined || placeholderText(value) === null)) {
        req.parts.push({ kind: 'field', name, value: value ?? '' });
        continue;
      }
      req.parts.push(paramFile(name, fileName ?? null, jscalar(jget(p, 'contentType')) ?? null, value, req.notes));
    }
  }
  return req;
}

function paramFile(name: string, filename: string | null, contentType: string | null, value: string | undefined, notes: UploadRequest['notes']): Part {
  const part: FilePart = { kind: 'file', name, filename, contentType, size: null, source: { type: 'placeholder' } };
  const ph = value === undefined || value === '' ? null : placeholderText(value);
  if (value === undefined || value === '' || ph !== null) {
    // Browsers leave the file's bytes out of the HAR.
    part.source = ph !== null ? { type: 'placeholder', text: ph } : { type: 'placeholder' };
    notes.push({ id: NOTE.placeholderFile, facts: ph !== null ? { field: name, text: ph } : { field: name } });
    return part;
  }
  const data = Buffer.from(value, 'utf8');
  part.size = data.length;
  part.source = data.length < INLINE_LIMIT ? { type: 'inline', data: new Uint8Array(data) } : { type: 'placeholder' };
  return part;
}
