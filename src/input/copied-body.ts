// Multipart text copied out of a browser or a tool (a HAR's postData.text, DevTools "Copy as
// cURL" --data-raw, "Copy as fetch", "Copy as PowerShell"): read it like any body, then settle
// what the copy can say about the file's size. Browsers leave a file's bytes out of these copies,
// so an empty file part there means "not recorded", never "empty".
import { isUtf8 } from 'node:buffer';
import type { FilePart, UploadRequest } from '../core/types.js';
import { MAX_PARTS, parseMultipart } from './multipart.js';
import { NOTE, findHeader, getParam, parseParamHeader } from './util.js';

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
export async function readCopiedBody(req: UploadRequest, body: string | CopiedBytes, contentType: string | null): Promise<void> {
  const copied = typeof body === 'string' ? { data: Buffer.from(body, 'utf8'), reencoded: body.includes('\uFFFD'), cut: false } : body;
  const { reencoded, cut } = copied;
  const data = restoreEmptyFileParts(copied.data, contentType);
  const mp = await parseMultipart({ kind: 'buffer', data }, contentType, { lfTranscription: 'auto', maxParts: MAX_PARTS });
  req.parts = mp.parts;
  req.boundary = mp.boundary;
  req.bodyProblems = mp.bodyProblems;
  req.notes.push(...mp.notes);
  const declared = declaredLength(req.headers);
  if (cut || (declared !== null && declared > data.length && mp.bodyProblems.some((p) => p.kind === 'no-closing-delimiter'))) {
    // the capture tool kept only the start of the body (Firefox stops at 1 MiB): the missing end is
    // the capture's, not the request's
    req.bodyProblems = req.bodyProblems.filter((p) => p.kind !== 'no-closing-delimiter');
    req.notes.push({ id: NOTE.bodyTruncated, facts: declared !== null ? { declared, actual: data.length } : { actual: data.length } });
    const last = req.parts.at(-1);
    if (last?.kind === 'file') {
      last.size = null;
      last.sizeSource = 'unknown';
      last.source = { type: 'placeholder' };
    }
    return;
  }
  settleFileSize(req, data.length, declared, reencoded);
}

/** A copied body already turned back into bytes (see harBytes). */
export interface CopiedBytes {
  data: Buffer;
  /** The text had replacement characters: the bytes are not the ones sent. */
  reencoded: boolean;
  /** The capture tool cut the body short. */
  cut: boolean;
}

/** Every character is one byte (U+0000-U+00FF). */
function allLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * A HAR's postData.text back to the bytes that were sent. The text is a string, not bytes:
 * `encoding: "base64"` (Reqable, some proxies) is decoded; mitmproxy decodes a multipart body as
 * Latin-1 (one character per byte); Firefox keeps invalid UTF-8 as one character per byte; every
 * other writer decoded UTF-8. When a character-per-byte reading and the UTF-8 reading differ, the
 * one whose length is the request's Content-Length wins.
 */
export function harBytes(text: string, o: { encoding?: string; creator?: string; declared: number | null; limit?: number }): CopiedBytes {
  if (o.encoding !== undefined && /^base64$/i.test(o.encoding)) return { data: Buffer.from(text, 'base64'), reencoded: false, cut: false };
  const creator = (o.creator ?? '').toLowerCase();
  const cut = creator.startsWith('firefox') && text.length >= FIREFOX_BODY_LIMIT;
  const utf8 = Buffer.from(text, 'utf8');
  if (allLatin1(text) && utf8.length !== text.length) {
    const latin1 = Buffer.from(text, 'latin1');
    // C1 controls (U+0080-U+009F) are never in decoded text, always in binary kept byte for byte
    const byteForByte = creator.startsWith('mitmproxy') || (/[\u0080-\u009f]/.test(text) && !isUtf8(latin1));
    if (o.declared === latin1.length || (o.declared !== utf8.length && byteForByte)) return { data: latin1, reencoded: false, cut };
    // Firefox (and unknown writers) may hold one character per byte: without a Content-Length to
    // tell, the byte count of such a text is not to be trusted
    const ambiguous = o.declared !== utf8.length && !isUtf8(latin1) && !creator.startsWith('webinspector');
    return { data: utf8, reencoded: ambiguous || text.includes('\uFFFD'), cut };
  }
  return { data: utf8, reencoded: text.includes('\uFFFD'), cut };
}

/** Firefox cuts request bodies at devtools.netmonitor.requestBodyLimit characters (default 1 MiB). */
const FIREFOX_BODY_LIMIT = 1024 * 1024;

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

/**
 * Firefox's "Copy as cURL" drops a file part's bytes together with the line break before the next
 * delimiter (`…Content-Type: image/png\r\n\r\n--BOUNDARY`): put the line break back, so the part
 * reads as a file part with its bytes left out instead of a body without delimiters.
 */
export function restoreEmptyFileParts(data: Buffer, contentType: string | null): Buffer {
  const boundary = contentType === null ? undefined : getParam(parseParamHeader(contentType), 'boundary');
  if (!boundary) return data;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const glued = Buffer.concat([Buffer.from('\r\n\r\n'), delimiter]);
  let at = data.indexOf(glued);
  if (at < 0) return data;
  const pieces: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    // only where the blank line ends a part's header block: no blank line since the previous delimiter
    const prev = data.lastIndexOf(delimiter, at);
    const headerBlock = prev < 0 ? null : data.subarray(prev, at + 4);
    if (headerBlock !== null && headerBlock.indexOf('\r\n\r\n') === headerBlock.length - 4) {
      pieces.push(data.subarray(from, at + 4), Buffer.from('\r\n'));
      from = at + 4;
    }
    at = data.indexOf(glued, at + 4);
  }
  if (!pieces.length) return data;
  pieces.push(data.subarray(from));
  return Buffer.concat(pieces);
}
