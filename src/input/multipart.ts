// multipart/form-data bodies -> parts and body problems, streamed.
//
// Two readers walk the same bytes in one pass:
//  - busboy (imported lazily: it is external in the bundle) decodes the parts the way a
//    lenient server does; its errors ("Malformed part header", "Unexpected end of form")
//    are kept as a cross-check;
//  - FramingScanner (./framing.ts) records byte offsets, the part boundaries busboy does
//    not report (a part without Content-Disposition is silently skipped by busboy), bare LF
//    line breaks and a missing close delimiter.
// The parts returned come from the scanner's offsets, so a file part inside a capture on
// disk is described as a byte range of that file and never held in memory.
import { closeSync, openSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { BodyProblem, BodyProblemKind, FilePart, Part } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { FramingScanner, type ScannedPart } from './framing.js';
import { NOTE, decodeExtValue, getParam, parseParamHeader, placeholderText, readFully, type Note } from './util.js';

/** Content kept in memory for in-memory bodies; larger file parts are counted and dropped. */
export const INLINE_LIMIT = 1024 * 1024;

/** Largest form field value read (whole, from memory or from a capture on disk); a larger one
 * is refused (InputError naming the field and its offset), never cut. */
export const FIELD_LIMIT = 1024 * 1024;

/** Field bytes held in memory over the whole form; past it the form is refused. */
export const FIELDS_TOTAL_LIMIT = 64 * 1024 * 1024;

/** Bytes kept of a file part inside a capture on disk (enough to tell a placeholder). */
const FILE_HEAD = 64;

export type BodyInput =
  /** Body bytes in memory (HAR text, stdin, curl --data-raw). */
  | { kind: 'buffer'; data: Uint8Array }
  /** Body inside a file on disk, from byte `start` (e.g. after a capture's header block). */
  | { kind: 'file'; path: string; start?: number };

export interface MultipartOptions {
  /**
   * The text is a transcription with LF line endings: LF framing is accepted as CRLF and
   * reported as the note input.lf-transcription instead of bare-lf. 'auto' decides from the
   * body itself (no CR anywhere in the framing). Default 'auto'.
   */
  lfTranscription?: boolean | 'auto';
  /**
   * Refuse bodies with more parts than this (InputError naming the byte offset of the first
   * part over the limit), instead of holding them all. Default: no limit.
   */
  maxParts?: number;
}

/** The most parts the input parsers read (a browser form has a few dozen). */
export const MAX_PARTS = 10_000;

export interface MultipartResult {
  parts: Part[];
  /** Boundary declared in the Content-Type (null when there was none). */
  boundary: string | null;
  bodyProblems: BodyProblem[];
  notes: Note[];
  /** Body length in bytes. */
  bodyLength: number;
  /** Body length with LF framing counted as CRLF (what the request would be once normalised). */
  normalisedLength: number;
  /** The framing was read as an LF-only transcription. */
  lfTranscription: boolean;
}

function problem(kind: BodyProblemKind, offset?: number, detail?: string): BodyProblem {
  const p: BodyProblem = { kind };
  if (offset !== undefined) p.offset = offset;
  if (detail !== undefined) p.detail = detail;
  return p;
}

async function bodyLength(body: BodyInput): Promise<number> {
  if (body.kind === 'buffer') return body.data.length;
  try {
    const st = statSync(body.path);
    return Math.max(0, st.size - (body.start ?? 0));
  } catch {
    return 0;
  }
}

/** First bytes of the body (for sniffing the boundary and line endings). */
async function bodyHead(body: BodyInput, n: number): Promise<Buffer> {
  if (body.kind === 'buffer') return Buffer.from(body.data.buffer, body.data.byteOffset, Math.min(n, body.data.length));
  const fd = openSync(body.path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readFully(fd, buf, body.start ?? 0));
  } finally {
    closeSync(fd);
  }
}

/** The boundary a body actually uses: its first line that starts with "--". */
export function sniffBoundary(head: Buffer): string | null {
  let pos = 0;
  while (pos < head.length) {
    const nl = head.indexOf(10, pos);
    const lineEnd = nl < 0 ? head.length : nl;
    const line = head.subarray(pos, lineEnd).toString('utf8').replace(/\r$/, '');
    if (line.startsWith('--') && line.length > 2) {
      let b = line.slice(2);
      let bEnd = b.length;
      while (bEnd > 0 && (b[bEnd - 1] === ' ' || b[bEnd - 1] === '\t')) bEnd--;
      b = b.slice(0, bEnd);
      if (b.endsWith('--')) b = b.slice(0, -2);
      if (b.length > 0 && b.length <= 200) return b;
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  return null;
}

interface BusboyOutcome {
  names: string[];
  error: string | null;
}

/** Bytes read from disk at a time. */
const READ_SIZE = 1024 * 1024;

/**
 * Chunks of the body, in order. A body on disk is read into three buffers in turn: a chunk is
 * valid until the caller has taken two more (no allocation or copy per chunk; what is kept longer
 * must be copied). Reads are synchronous: an asynchronous read costs a trip through libuv's
 * thread pool and back per chunk, which on a large capture takes longer than the reading
 * (bench/run.mjs check-large); the search of a chunk takes longer than its read anyway, so
 * reading the next one meanwhile saves little, and the CLI has nothing else to do meanwhile.
 */
async function* chunksOf(body: BodyInput): AsyncGenerator<Buffer> {
  if (body.kind === 'buffer') {
    const data = Buffer.from(body.data.buffer, body.data.byteOffset, body.data.length);
    const step = 64 * 1024;
    for (let i = 0; i < data.length; i += step) yield data.subarray(i, i + step);
    return;
  }
  const fd = openSync(body.path, 'r');
  try {
    const bufs = [Buffer.allocUnsafeSlow(READ_SIZE), Buffer.allocUnsafeSlow(READ_SIZE), Buffer.allocUnsafeSlow(READ_SIZE)];
    let pos = body.start ?? 0;
    for (let k = 0; ; k++) {
      const buf = bufs[k % 3]!;
      const n = readFully(fd, buf, pos);
      if (n === 0) break;
      pos += n;
      yield buf.subarray(0, n);
      if (n < buf.length) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Insert CR before each LF not already preceded by CR (for busboy on LF transcriptions). */
function crlfNormaliser(): (chunk: Buffer) => Buffer {
  const CR = Buffer.from([13]);
  let last = -1;
  return (chunk) => {
    const pieces: Buffer[] = [];
    let from = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      const prev = i > 0 ? chunk[i - 1] : last;
      if (prev !== 13) {
        pieces.push(chunk.subarray(from, i), CR);
        from = i;
      }
    }
    if (chunk.length) last = chunk[chunk.length - 1]!;
    if (pieces.length === 0) return chunk;
    pieces.push(chunk.subarray(from));
    return Buffer.concat(pieces);
  };
}

async function startBusboy(boundary: string): Promise<{ sink: Writable; done: Promise<BusboyOutcome> } | null> {
  try {
    const mod = (await import('busboy')) as unknown as { default?: unknown };
    const create = (mod.default ?? mod) as (cfg: unknown) => Writable;
    const quoted = `"${boundary.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    const bb = create({
      headers: { 'content-type': `multipart/form-data; boundary=${quoted}` },
      preservePath: true,
      defParamCharset: 'utf8',
      limits: { fieldSize: INLINE_LIMIT },
    });
    const outcome: BusboyOutcome = { names: [], error: null };
    const done = new Promise<BusboyOutcome>((resolve) => {
      let settled = false;
      const finish = () => {
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
      };
      bb.on('field', (name: string) => outcome.names.push(name));
      bb.on('file', (name: string, stream: NodeJS.ReadableStream) => {
        outcome.names.push(name);
        stream.on('error', () => undefined);
        stream.resume();
      });
      bb.on('error', (e: unknown) => {
        outcome.error = (e as Error)?.message ?? String(e);
        finish();
      });
      bb.on('close', finish);
      bb.on('finish', () => setImmediate(finish));
    });
    return { sink: bb, done };
  } catch {
    return null;
  }
}

/**
 * busboy is only a cross-check, and on some malformed bodies it stops consuming without an error
 * (it keeps matching delimiters after the closing one): without a bound the read would wait for
 * a 'drain' that never comes, and the process would run out of work and exit with no output.
 * After this long without progress busboy's verdict is given up.
 */
const BUSBOY_STALL_MS = 2000;

/** Write to busboy; resolves false when busboy stalled (no 'drain' within BUSBOY_STALL_MS). */
function writeTo(sink: Writable, chunk: Buffer, failed: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    if (failed() || sink.destroyed || sink.writableEnded) return resolve(true);
    let ok: boolean;
    try {
      ok = sink.write(chunk);
    } catch {
      return resolve(true);
    }
    if (ok) return resolve(true);
    const timer = setTimeout(() => finish(false), BUSBOY_STALL_MS);
    const done = () => finish(true);
    const finish = (progressed: boolean) => {
      clearTimeout(timer);
      sink.off('drain', done);
      sink.off('error', done);
      sink.off('close', done);
      resolve(progressed);
    };
    sink.on('drain', done);
    sink.on('error', done);
    sink.on('close', done);
  });
}

/** busboy's outcome, or null when it does not finish within BUSBOY_STALL_MS of the end of the body. */
function outcomeOrStall(done: Promise<BusboyOutcome>): Promise<BusboyOutcome | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), BUSBOY_STALL_MS);
    void done.then((o) => {
      clearTimeout(timer);
      resolve(o);
    });
  });
}

interface ScanOutcome {
  scanner: FramingScanner;
  busboy: BusboyOutcome | null;
}

/** Content bytes to keep of a part of a body on disk: fields whole (up to FIELD_LIMIT), files only their head. */
function diskPartLimit(headerBytes: Buffer): number {
  const cd = headerOf(parsePartHeaders(headerBytes), 'content-disposition');
  if (cd === undefined) return FIELD_LIMIT;
  const disp = parseParamHeader(cd);
  return getParam(disp, 'filename') !== undefined || getParam(disp, 'filename*') !== undefined ? FILE_HEAD : FIELD_LIMIT;
}

/** A byte that busboy's delimiter (CR LF "--" boundary) does not contain. */
function separatorByte(boundary: string): number {
  const used = new Set(Buffer.from(`\r\n--${boundary}`, 'utf8'));
  let b = 0;
  while (used.has(b)) b++;
  return b;
}

/** The pieces busboy is given: what createReadStream (highWaterMark 256 KiB) gave it from a body
 * on disk, and the 64 KiB steps of a body in memory. */
const DISK_GRID = 256 * 1024;
const MEMORY_GRID = 64 * 1024;

async function scan(body: BodyInput, boundary: string, transcription: boolean, useBusboy: boolean, captureLimit: number, maxParts = Infinity): Promise<ScanOutcome> {
  const scanner = new FramingScanner(boundary, captureLimit, maxParts, body.kind === 'file' ? diskPartLimit : null, FIELDS_TOTAL_LIMIT);
  // a body on disk comes in reused buffers: what is kept past the chunk is copied
  const volatile = body.kind === 'file';
  scanner.volatileChunks = volatile;
  const bb = useBusboy ? await startBusboy(boundary) : null;
  let bbFailed = false;
  const normalise = transcription ? crlfNormaliser() : null;
  let bbOutcome: BusboyOutcome | null = null;
  if (bb) {
    void bb.done.then((o) => {
      bbFailed = true;
      bbOutcome = o;
    });
    bb.sink.on('error', () => {
      bbFailed = true;
    });
  }
  // busboy is a cross-check of the framing. It is given the body in the pieces it has always
  // been given (GRID bytes from the body start: on some malformed bodies its verdict depends on
  // where a write ends, e.g. whether bytes after a close delimiter come in the same write),
  // except the pieces that lie wholly inside a long part's content, which tell it nothing but
  // their length: each run of those is replaced by one byte that its delimiter does not contain,
  // so that no delimiter can appear or disappear. That inside is never near the part's start, its
  // end or any "--boundary" after a line break (FramingScanner.contentInterior). Not for LF
  // transcriptions: busboy reads those through the CR-inserting normaliser, which sees every byte.
  // A chunk is given to busboy once the scanner has read the next one too, so that the inside
  // is known past the chunk's end (a delimiter may begin in its last bytes).
  const grid = body.kind === 'file' ? DISK_GRID : MEMORY_GRID;
  const margin = Buffer.byteLength(boundary, 'utf8') + 64;
  const sep = Buffer.from([separatorByte(boundary)]);
  let skipping = false;
  const feed = async (chunk: Buffer, base: number): Promise<void> => {
    if (!bb) return;
    const inside = normalise ? null : scanner.contentInterior(margin);
    for (let off = 0; off < chunk.length && !bbFailed; ) {
      const next = Math.min(chunk.length, (Math.floor((base + off) / grid) + 1) * grid - base);
      if (inside && base + off >= inside[0] && base + next <= inside[1]) {
        if (!skipping && !(await writeTo(bb.sink, sep, () => bbFailed))) bbFailed = true;
        skipping = true;
      } else {
        let piece = chunk.subarray(off, next);
        if (volatile) {
          // busboy may hold on to what it is given: never a view of a reused read buffer
          const own = Buffer.allocUnsafe(piece.length);
          piece.copy(own);
          piece = own;
        }
        if (!(await writeTo(bb.sink, normalise ? normalise(piece) : piece, () => bbFailed))) bbFailed = true;
        skipping = false;
      }
      off = next;
    }
  };
  let held: { chunk: Buffer; base: number } | null = null;
  try {
    for await (const chunk of chunksOf(body)) {
      const base = scanner.length;
      scanner.push(chunk);
      if (held && bb && !bbFailed) await feed(held.chunk, held.base);
      held = { chunk, base };
    }
    if (held && bb && !bbFailed) await feed(held.chunk, held.base);
  } finally {
    scanner.end();
    if (bb) {
      try {
        if (!bb.sink.writableEnded && !bb.sink.destroyed) bb.sink.end();
      } catch {
        /* busboy already failed */
      }
    }
  }
  if (bb) bbOutcome = await outcomeOrStall(bb.done);
  return { scanner, busboy: bbOutcome };
}

// ---------------------------------------------------------------------------
// Part headers

interface PartHeaders {
  list: Array<[string, string]>;
  malformed: boolean;
}

function parsePartHeaders(bytes: Buffer): PartHeaders {
  const text = bytes.toString('utf8');
  const lines = text.split(/\r?\n/);
  const list: Array<[string, string]> = [];
  let malformed = false;
  for (const line of lines) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && list.length > 0) {
      const last = list[list.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) {
      malformed = true;
      continue;
    }
    const name = line.slice(0, c);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) malformed = true;
    list.push([name.trim(), line.slice(c + 1).trim()]);
  }
  return { list, malformed };
}

function headerOf(h: PartHeaders, name: string): string | undefined {
  for (const [k, v] of h.list) if (k.toLowerCase() === name) return v;
  return undefined;
}

export interface PartBuildContext {
  /** The body lives in this file from byte `base`: file parts become path ranges. */
  file: { path: string; base: number } | null;
  problems: BodyProblem[];
  notes: Note[];
}

function buildPart(sp: ScannedPart, ctx: PartBuildContext): Part | null {
  const h = parsePartHeaders(sp.headerBytes);
  const cd = headerOf(h, 'content-disposition');
  if (sp.headerOverflow) ctx.problems.push(problem('parse-error', sp.headerStart, 'part header too long'));
  if (cd === undefined) {
    ctx.problems.push(problem('no-content-disposition', sp.headerStart));
    return null;
  }
  const disp = parseParamHeader(cd);
  let name = getParam(disp, 'name');
  const nameExt = getParam(disp, 'name*');
  if (name === undefined && nameExt !== undefined) name = decodeExtValue(nameExt);
  if (disp.type !== 'form-data' || name === undefined) {
    ctx.problems.push(problem('no-content-disposition', sp.headerStart, cd));
    return null;
  }
  if (h.malformed) ctx.problems.push(problem('parse-error', sp.headerStart, 'malformed part header'));
  let filename = getParam(disp, 'filename');
  const fnExt = getParam(disp, 'filename*');
  if (fnExt !== undefined) filename = decodeExtValue(fnExt) ?? filename;
  const contentStart = sp.contentStart < 0 ? sp.contentEnd : sp.contentStart;
  const size = Math.max(0, sp.contentEnd - contentStart);
  if (filename === undefined) {
    if (sp.content === null && !sp.headerOverflow && size > FIELD_LIMIT) {
      // a value this size is not read at all (never cut: a cut policy would look broken)
      throw new InputError(`the value is ${(size / 1048576).toFixed(1)} MiB (${size} bytes); post-doctor reads form field values up to ${FIELD_LIMIT / 1048576} MiB`, {
        field: name,
        offset: contentStart,
      });
    }
    const bytes = sp.content ?? sp.head;
    return { kind: 'field', name, value: Buffer.from(bytes).toString('utf8'), offset: sp.headerStart };
  }
  const contentType = headerOf(h, 'content-type') ?? null;
  const ph = size <= 64 ? placeholderText(sp.head.subarray(0, size)) : null;
  const part: FilePart = { kind: 'file', name, filename, contentType, size, source: { type: 'placeholder' }, offset: sp.headerStart };
  if (ph !== null) {
    part.size = null;
    part.source = { type: 'placeholder', text: ph };
    ctx.notes.push({ id: NOTE.placeholderFile, facts: { field: name, text: ph } });
  } else if (ctx.file) {
    part.source = { type: 'path', path: ctx.file.path, start: ctx.file.base + contentStart, end: ctx.file.base + contentStart + size };
  } else if (sp.content && size < INLINE_LIMIT) {
    part.source = { type: 'inline', data: new Uint8Array(sp.content) };
  }
  return part;
}

// ---------------------------------------------------------------------------

/**
 * Read a multipart/form-data body. Never throws for malformed bodies: problems become
 * `bodyProblems` (offsets relative to the body start) and the readable parts are returned.
 * `contentType` is the request's Content-Type header (undefined/null when there was none).
 */
export async function parseMultipart(body: BodyInput, contentType: string | null | undefined, opts: MultipartOptions = {}): Promise<MultipartResult> {
  const problems: BodyProblem[] = [];
  const notes: Note[] = [];
  const length = await bodyLength(body);
  let declared: string | null = null;
  if (contentType === undefined || contentType === null) {
    problems.push(problem('no-content-type'));
  } else {
    const ct = parseParamHeader(contentType);
    if (ct.type !== 'multipart/form-data') {
      problems.push(problem('not-multipart', undefined, ct.type || contentType));
    }
    const b = getParam(ct, 'boundary');
    if (b === undefined || b === '') {
      if (ct.type === 'multipart/form-data') problems.push(problem('missing-boundary'));
    } else declared = b;
  }
  const result: MultipartResult = { parts: [], boundary: declared, bodyProblems: problems, notes, bodyLength: length, normalisedLength: length, lfTranscription: false };

  let head: Buffer;
  try {
    head = await bodyHead(body, 64 * 1024);
  } catch (e) {
    problems.push(problem('parse-error', 0, `cannot read body: ${(e as Error).message}`));
    return result;
  }
  let transcription: boolean;
  if (opts.lfTranscription === true || opts.lfTranscription === false) transcription = opts.lfTranscription;
  else transcription = head.length > 0 && !head.includes(13) && head.includes(10);

  const file = body.kind === 'file' ? { path: body.path, base: body.start ?? 0 } : null;
  // fields are read whole up to FIELD_LIMIT either way; in a body on disk, file parts keep only their head
  const captureLimit = body.kind === 'file' ? FIELD_LIMIT : INLINE_LIMIT;

  let boundary = declared;
  let outcome: ScanOutcome | null = null;
  if (boundary !== null) {
    try {
      outcome = await scan(body, boundary, transcription, true, captureLimit, opts.maxParts);
    } catch (e) {
      problems.push(problem('parse-error', 0, (e as Error).message));
      return result;
    }
    if (outcome.scanner.delimiters === 0) {
      if (length > 0) problems.push(problem('boundary-mismatch', 0, sniffBoundary(head) ?? undefined));
      outcome = null;
      boundary = null;
    }
  }
  if (outcome === null) {
    // Read what we can with the boundary the body actually uses.
    if (length === 0) {
      if (declared !== null) problems.push(problem('no-closing-delimiter', 0));
      return result;
    }
    const sniffed = sniffBoundary(head);
    if (sniffed === null) return result;
    boundary = sniffed;
    try {
      outcome = await scan(body, sniffed, transcription, false, captureLimit, opts.maxParts);
    } catch (e) {
      problems.push(problem('parse-error', 0, (e as Error).message));
      return result;
    }
  }

  const sc = outcome.scanner;
  if (sc.firstDroppedAt >= 0) {
    throw new InputError(`the form has ${sc.partCount} parts, more than post-doctor reads (${opts.maxParts}); the headers of part ${(opts.maxParts ?? 0) + 1} start at this offset of the body`, {
      offset: sc.firstDroppedAt,
    });
  }
  if (sc.budgetSpentAt >= 0) {
    throw new InputError(`the form's field values add up to more than ${FIELDS_TOTAL_LIMIT / 1048576} MiB, more than post-doctor reads; the part that goes past it starts at this offset of the body`, {
      offset: sc.budgetSpentAt,
    });
  }
  const ctx: PartBuildContext = { file, problems, notes };
  const before = problems.length;
  for (const sp of sc.parts) {
    const part = buildPart(sp, ctx);
    if (part) result.parts.push(part);
  }
  if (!sc.closed) problems.push(problem('no-closing-delimiter', sc.length));

  // Line endings of the framing.
  if (sc.bareLfCount > 0) {
    if (transcription && sc.crlfCount === 0) {
      result.lfTranscription = true;
      result.normalisedLength = length + sc.bareLfCount + sc.epilogueBareLf;
      if (!notes.some((n) => n.id === NOTE.lfTranscription)) notes.push({ id: NOTE.lfTranscription, facts: {} });
    } else {
      problems.push(problem('bare-lf', sc.firstBareLf, String(sc.bareLfCount)));
    }
  }

  // busboy's verdict, when the scan did not already explain it.
  const bbo = outcome.busboy;
  if (bbo?.error) {
    const own = problems.length > before;
    // (a bare LF or a skipped part already explains why a strict reader stumbles)
    if (own) {
      /* explained */
    } else if (/unexpected end of form/i.test(bbo.error)) {
      problems.push(problem('no-closing-delimiter', sc.length));
    } else {
      const failedAt = sc.parts[bbo.names.length]?.headerStart;
      problems.push(problem('parse-error', failedAt, bbo.error));
    }
  }
  problems.sort((a, b) => (a.offset ?? -1) - (b.offset ?? -1));
  return result;
}
