// The multipart/form-data body of a replay: the framing written from the request model, in the
// captured order and with the captured boundary, and file parts streamed from disk. The exact
// length is known before the first byte is sent; no file is ever held in memory.

import { closeSync, openSync, read, readSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { InputError } from '../core/errors.js';
import type { FilePart, Part, UploadRequest } from '../core/types.js';

/** One piece of the body: bytes in memory, a byte range of a file, or generated filler. */
export type Segment = { kind: 'bytes'; data: Buffer } | { kind: 'file'; path: string; start: number; end: number } | { kind: 'fill'; size: number; byte: number };

export interface BodyPlan {
  boundary: string;
  /** The Content-Type header value: multipart/form-data; boundary=... */
  contentType: string;
  /** Exact body length in bytes. */
  length: number;
  segments: Segment[];
}

const CRLF = '\r\n';

export function segmentLength(s: Segment): number {
  if (s.kind === 'bytes') return s.data.length;
  if (s.kind === 'file') return s.end - s.start;
  return s.size;
}

/**
 * `n` random bytes from the system's generator: /dev/urandom where there is one (node:crypto,
 * which loads a dozen modules and the TLS stack with it, costs a replay more start-up than
 * anything else it does before sending), else node:crypto.
 */
function systemRandom(n: number): Buffer {
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      const buf = Buffer.alloc(n);
      if (readSync(fd, buf, 0, n, null) === n) return buf;
    } finally {
      closeSync(fd);
    }
  } catch {
    /* no /dev/urandom (Windows) */
  }
  return randomBytes(n);
}

/** A fresh boundary in the style browsers use. */
export function newBoundary(): string {
  return `----PostDoctorBoundary${systemRandom(12).toString('hex')}`;
}

/** Quote a name or filename for Content-Disposition the way browsers do (", CR, LF percent-encoded). */
export function quoteParam(s: string): string {
  return `"${s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
}

export function partHeader(p: Part): string {
  let h = `Content-Disposition: form-data; name=${quoteParam(p.name)}`;
  if (p.kind === 'file') {
    if (p.filename !== null) h += `; filename=${quoteParam(p.filename)}`;
    h += CRLF;
    if (p.contentType !== null) h += `Content-Type: ${p.contentType}${CRLF}`;
  } else {
    h += CRLF;
  }
  return h;
}

/** The file bytes of a part as a segment; throws InputError when there are none to send. */
export async function fileSegment(p: FilePart): Promise<Segment> {
  const src = p.source;
  switch (src.type) {
    case 'inline':
      return { kind: 'bytes', data: Buffer.from(src.data) };
    case 'generated':
      return { kind: 'fill', size: src.size, byte: src.byte ?? 0x61 };
    case 'placeholder':
      throw new InputError(`the capture holds no content for the file part '${p.name}'${src.text ? ` (${src.text})` : ''}: give the real file`, { field: p.name, option: 'file' });
    case 'path': {
      let size: number;
      try {
        const st = statSync(src.path);
        if (!st.isFile()) throw new Error('not a regular file');
        size = st.size;
      } catch (e) {
        throw new InputError(`cannot read the file of part '${p.name}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { source: src.path });
      }
      const start = src.start ?? 0;
      const end = src.end ?? size;
      if (start < 0 || end < start || end > size) throw new InputError(`file part '${p.name}' names bytes ${start}-${end} but the file has ${size}`, { source: src.path });
      return { kind: 'file', path: src.path, start, end };
    }
  }
}

/** Plan the body of `req`: its parts in order, framed with its boundary (or a fresh one). */
export async function planBody(req: Pick<UploadRequest, 'parts' | 'boundary'>, boundary?: string): Promise<BodyPlan> {
  const b = boundary ?? req.boundary ?? newBoundary();
  const segments: Segment[] = [];
  let text = '';
  const flush = (): void => {
    if (text) segments.push({ kind: 'bytes', data: Buffer.from(text, 'utf8') });
    text = '';
  };
  for (const p of req.parts) {
    text += `--${b}${CRLF}${partHeader(p)}${CRLF}`;
    if (p.kind === 'field') {
      text += p.value;
    } else {
      flush();
      segments.push(await fileSegment(p));
    }
    text += CRLF;
  }
  text += `--${b}--${CRLF}`;
  flush();
  const length = segments.reduce((n, s) => n + segmentLength(s), 0);
  return { boundary: b, contentType: `multipart/form-data; boundary=${b}`, length, segments };
}

const FILL_CHUNK = 64 * 1024;

/** Bytes of a file read at a time. */
const FILE_CHUNK = 1024 * 1024;
/**
 * Buffers a file is read into, in turn. A buffer is filled again only after RING - 1 later chunks
 * have been taken: a sender takes the next chunk only once the previous one is written out (or
 * its socket drained), so by then the bytes of the buffer are gone. Reusing them spares a fresh
 * megabyte (and its page faults) per chunk, which costs more than the copy to the socket.
 */
const FILE_RING = 4;

/** One read into `buf` at `pos`, in libuv's thread pool: the bytes read. */
function readAt(fd: number, buf: Buffer, length: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, 0, length, pos, (err, n) => (err ? reject(err) : resolve(n))));
}

/**
 * The bytes [start, end) of a file, in chunks (each valid until FILE_RING - 1 more are taken).
 * The next chunk is read (in the thread pool) while the caller sends this one: reading and
 * sending each copy every byte once, and done one after the other they take twice as long.
 */
async function* fileChunks(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  let pending: Promise<number> | null = null;
  try {
    const ring: Buffer[] = [];
    const size = Math.min(FILE_CHUNK, end - start);
    const next = (k: number, pos: number): Promise<number> | null => {
      if (pos >= end) return null;
      const buf = (ring[k % FILE_RING] ??= Buffer.allocUnsafeSlow(size));
      return readAt(fd, buf, Math.min(buf.length, end - pos), pos);
    };
    let pos = start;
    pending = next(0, pos);
    for (let k = 0; pending; k++) {
      const n = await pending;
      pending = null;
      if (n === 0) break; // the file got shorter: the body ends here (the server sees it short)
      const buf = ring[k % FILE_RING]!;
      pos += n;
      pending = next(k + 1, pos);
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    // never close the file under a read still running
    if (pending) await pending.catch(() => undefined);
    closeSync(fd);
  }
}

/** Stream the segments in order: memory pieces as they are, files read in chunks from disk. */
export async function* streamSegments(segments: readonly Segment[]): AsyncGenerator<Buffer> {
  for (const s of segments) {
    if (s.kind === 'bytes') {
      if (s.data.length) yield s.data;
    } else if (s.kind === 'fill') {
      const chunk = Buffer.alloc(Math.min(FILL_CHUNK, s.size), s.byte);
      let left = s.size;
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        yield n === chunk.length ? chunk : chunk.subarray(0, n);
        left -= n;
      }
    } else if (s.end > s.start) {
      yield* fileChunks(s.path, s.start, s.end);
    }
  }
}

/** Collect the whole body in memory (tests and the dry-run preview of small bodies only). */
export async function collect(segments: readonly Segment[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of streamSegments(segments)) {
    // (file chunks are read into reused buffers)
    const copy = Buffer.allocUnsafe(c.length);
    c.copy(copy);
    out.push(copy);
  }
  return Buffer.concat(out);
}
