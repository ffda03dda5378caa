// Raw HTTP request as captured or transcribed: request line, headers, blank line, body.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { UploadRequest } from '../core/types.js';
import { parseMultipart, type BodyInput, MAX_PARTS } from './multipart.js';
import { MAX_HEADERS, NOTE, findHeader, readFully } from './util.js';
import type { InputSource } from './types.js';

export const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/\d/;

/** Largest header block read from a capture on disk. */
const HEAD_LIMIT = 1024 * 1024;

interface HeadScan {
  /** Byte offset where the request line starts. */
  start: number;
  /** Byte offset of the body (just past the blank line), or the input length. */
  bodyStart: number;
  /** Lines of the header block (request line first), without line breaks. */
  lines: Array<{ text: string; line: number }>;
  /** The header block contains no CR at all. */
  lfOnly: boolean;
  /** A blank line ended the header block. */
  complete: boolean;
}

function scanHead(buf: Buffer): HeadScan {
  let pos = 0;
  let line = 1;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
  // skip blank lines before the request line
  for (;;) {
    let p = pos;
    while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x09 || buf[p] === 0x0d)) p++;
    if (buf[p] === 0x0a) {
      pos = p + 1;
      line++;
      continue;
    }
    pos = p;
    break;
  }
  const start = pos;
  const lines: HeadScan['lines'] = [];
  let cr = false;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const end = nl < 0 ? buf.length : nl;
    let textEnd = end;
    if (nl >= 0 && textEnd > pos && buf[textEnd - 1] === 13) {
      textEnd--;
      cr = true;
    }
    const text = buf.subarray(pos, textEnd).toString('utf8');
    if (buf.subarray(pos, textEnd).includes(13)) cr = true;
    if (text === '' && nl >= 0) {
      return { start, bodyStart: nl + 1, lines, lfOnly: !cr, complete: true };
    }
    lines.push({ text, line });
    line++;
    if (nl < 0) break;
    pos = nl + 1;
  }
  return { start, bodyStart: buf.length, lines, lfOnly: !cr, complete: false };
}

function defaultPort(host: string, scheme: string): string {
  if (scheme === 'https' && host.endsWith(':443')) return host.slice(0, -4);
  if (scheme === 'http' && host.endsWith(':80')) return host.slice(0, -3);
  return host;
}

/** Raw HTTP request text (or capture file) -> UploadRequest. */
export async function parseRawHttp(src: InputSource): Promise<UploadRequest> {
  const source = src.source;
  let head: Buffer;
  let fileSize = -1;
  if (src.path !== null) {
    try {
      // (synchronous: a CLI reads one input at a time, and fs.promises costs start-up time)
      const fd = openSync(src.path, 'r');
      try {
        fileSize = fstatSync(fd).size;
        const buf = Buffer.alloc(Math.min(HEAD_LIMIT, fileSize));
        head = buf.subarray(0, readFully(fd, buf, 0));
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw new InputError(`cannot read file: ${(e as Error).message}`, { source });
    }
  } else {
    head = Buffer.from(src.text, 'utf8');
  }
  const hs = scanHead(head);
  if (!hs.complete && fileSize > head.length) {
    throw new InputError(`no blank line after the headers in the first ${HEAD_LIMIT} bytes`, { source, offset: head.length });
  }
  const first = hs.lines[0];
  const m = first ? /^([A-Za-z]+)[ \t]+(\S+)[ \t]+HTTP\/\S+\s*$/.exec(first.text) : null;
  if (!first || !m) {
    throw new InputError('not an HTTP request line (expected e.g. "POST / HTTP/1.1")', { source, line: first?.line ?? 1, column: 1 });
  }
  const method = m[1]!.toUpperCase();
  const target = m[2]!;
  const headers: Array<[string, string]> = [];
  for (const l of hs.lines.slice(1)) {
    if ((l.text.startsWith(' ') || l.text.startsWith('\t')) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${l.text.trim()}`.trim();
      continue;
    }
    if (headers.length >= MAX_HEADERS) throw new InputError(`more than ${MAX_HEADERS} header lines; post-doctor reads up to ${MAX_HEADERS}`, { source, line: l.line, column: 1 });
    const c = l.text.indexOf(':', l.text.startsWith(':') ? 1 : 0);
    if (c <= 0) throw new InputError(`header line without ':' (a blank line must separate the headers from the body)`, { source, line: l.line, column: 1 });
    headers.push([l.text.slice(0, c).trim(), l.text.slice(c + 1).trim()]);
  }

  // URL
  let url: string | null = null;
  if (/^https?:\/\//i.test(target)) {
    url = target;
  } else {
    const host = findHeader(headers, 'host') ?? findHeader(headers, ':authority');
    if (host) {
      const pseudo = findHeader(headers, ':scheme')?.toLowerCase();
      const scheme = pseudo === 'https' || pseudo === 'http' ? pseudo : host.endsWith(':443') ? 'https' : 'http';
      const path = target.startsWith('/') ? target : `/${target === '*' ? '' : target}`;
      url = `${scheme}://${defaultPort(host, scheme)}${path}`;
    }
  }

  const req: UploadRequest = { method, url, headers, parts: [], boundary: null, bodyProblems: [], notes: [] };
  if (hs.lfOnly) req.notes.push({ id: NOTE.lfTranscription, facts: {} });

  const body: BodyInput = src.path !== null ? { kind: 'file', path: src.path, start: hs.bodyStart } : { kind: 'buffer', data: head.subarray(hs.bodyStart) };
  const mp = await parseMultipart(body, findHeader(headers, 'content-type') ?? null, { lfTranscription: hs.lfOnly, maxParts: MAX_PARTS });
  req.parts = mp.parts;
  req.boundary = mp.boundary;
  req.bodyProblems = mp.bodyProblems;
  for (const n of mp.notes) if (!req.notes.some((x) => x.id === n.id && n.id === NOTE.lfTranscription)) req.notes.push(n);

  const cl = findHeader(headers, 'content-length');
  if (cl !== undefined && /^\s*\d+\s*$/.test(cl)) {
    const declared = Number(cl.trim());
    const actual = hs.lfOnly ? mp.normalisedLength : mp.bodyLength;
    if (declared !== actual) req.notes.push({ id: NOTE.contentLengthMismatch, facts: { declared, actual } });
  }
  return req;
}
