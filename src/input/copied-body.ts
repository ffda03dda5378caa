// Multipart text copied out of a browser or a tool (a HAR's postData.text, DevTools "Copy as
// cURL" --data-raw, "Copy as fetch", "Copy as PowerShell"): read it like any body, then settle
// what the copy can say about the file's size. Browsers leave a file's bytes out of these copies,
// so an empty file part there means "not recorded", never "empty".
import type { FilePart, UploadRequest } from '../core/types.js';
import { MAX_PARTS, parseMultipart } from './multipart.js';
import { NOTE, findHeader } from './util.js';

/** The request's Content-Length header as a number, or null. */
export function declaredLength(headers: Array<[string, string]>): number | null {
  const v = findHeader(headers, 'content-length');
  return v !== undefined && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : null;
}

/**
 * Parse `text` (a copied multipart body) into `req`, then settle the file's size:
 * - the file's bytes left out and a Content-Length known: the size is the declared length minus
 *   the text's bytes, said to be inferred (sizeSource 'content-length');
 * - left out, no Content-Length: unknown (sizeSource 'unknown'), never zero;
 * - text decoded and re-encoded (replacement characters, more bytes than declared): unknown;
 * - the bytes there and a Content-Length that disagrees: the note input.content-length-mismatch.
 */
export async function readCopiedBody(req: UploadRequest, text: string, contentType: string | null): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  const mp = await parseMultipart({ kind: 'buffer', data }, contentType, { lfTranscription: 'auto', maxParts: MAX_PARTS });
  req.parts = mp.parts;
  req.boundary = mp.boundary;
  req.bodyProblems = mp.bodyProblems;
  req.notes.push(...mp.notes);
  settleFileSize(req, data.length, declaredLength(req.headers), text.includes('\uFFFD'));
}

export function settleFileSize(req: UploadRequest, textBytes: number, declared: number | null, reencoded: boolean): void {
  const file = req.parts.find((p): p is FilePart => p.kind === 'file');
  if (!file) return;
  // a placeholder such as "(binary)" stands where the bytes were: it is in the text, the bytes are not
  const placeholder = file.source.type === 'placeholder';
  const recorded = placeholder ? -Buffer.byteLength(file.source.type === 'placeholder' && file.source.text ? file.source.text : '') : (file.size ?? 0);
  if (reencoded || (declared !== null && declared < textBytes)) {
    // the text is not the bytes that were sent: no byte count taken from it can be trusted
    file.size = null;
    file.sizeSource = 'unknown';
    if (!placeholder) file.source = { type: 'placeholder' };
    req.notes.push({ id: NOTE.bodyReencoded, facts: declared !== null ? { field: file.name, declared, actual: textBytes, replacement: reencoded } : { field: file.name, replacement: reencoded } });
    return;
  }
  if (declared !== null && recorded <= 0 && declared > textBytes + recorded) {
    file.size = declared - textBytes + recorded;
    file.sizeSource = 'content-length';
    if (!placeholder) file.source = { type: 'placeholder' };
    return;
  }
  if (placeholder) {
    file.size = null;
    file.sizeSource = 'unknown';
    return;
  }
  if (recorded === 0 && declared === null) {
    // the bytes may simply be missing: unknown, not empty
    file.size = null;
    file.sizeSource = 'unknown';
    file.source = { type: 'placeholder' };
    req.notes.push({ id: NOTE.placeholderFile, facts: { field: file.name } });
    return;
  }
  // the file's bytes are in the text: a Content-Length that disagrees is worth saying
  if (declared !== null && declared !== textBytes) req.notes.push({ id: NOTE.contentLengthMismatch, facts: { declared, actual: textBytes } });
  file.sizeSource = 'bytes';
}
