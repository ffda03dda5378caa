// Streaming scan of multipart/form-data framing with byte offsets.
//
// busboy decodes parts but reports no positions, accepts only CRLF, and silently skips
// some malformed parts. This scanner walks the same bytes and records where every
// delimiter, part header and part content starts and ends, plus the framing problems
// (bare LF line breaks, missing closing delimiter). It keeps at most `captureLimit`
// bytes of each part in memory, so a huge file part costs nothing but its offsets.
//
// A delimiter is "--" + boundary at the start of a line (body start, or after LF), followed
// by optional spaces/tabs and a line break; the close delimiter is followed by "--".
// The line break before a delimiter belongs to the delimiter, not to the part content.
//
// Content (and the preamble) is searched for LF + "--" + boundary with Buffer.indexOf, at
// memory speed; only the bytes around a candidate delimiter are walked one by one. Chunks may
// be views of a buffer the caller reuses (`volatileChunks`): what is kept is copied.

export interface ScannedPart {
  /** Offset of the first header byte (just after the delimiter line). */
  headerStart: number;
  /** Offset of the first content byte, or -1 when the headers never ended. */
  contentStart: number;
  /** Offset just past the last content byte. */
  contentEnd: number;
  /** Header block bytes (without the blank line), when captured. */
  headerBytes: Buffer;
  /** Whole content, when it fit in the capture limit; null otherwise. */
  content: Buffer | null;
  /** First bytes of the content (up to 64), always available. */
  head: Buffer;
  /** The part was ended by a delimiter (false: body ended inside it). */
  terminated: boolean;
  /** Headers exceeded the header limit. */
  headerOverflow: boolean;
}

enum S {
  Preamble,
  Match, // matching "--boundary" after a line start
  AfterP,
  CloseDash,
  Pad,
  ExpectLf,
  Headers,
  Content,
  Epilogue,
}

const HEADER_LIMIT = 16 * 1024;

/** The first `n` bytes of a list of chunks (copies only those). */
function firstBytes(chunks: Buffer[], n: number): Buffer {
  if (chunks.length === 1 || (chunks.length > 0 && chunks[0]!.length >= n)) return chunks[0]!.subarray(0, n);
  const out: Buffer[] = [];
  let have = 0;
  for (const c of chunks) {
    if (have >= n) break;
    const piece = c.subarray(0, n - have);
    out.push(piece);
    have += piece.length;
  }
  return Buffer.concat(out, have);
}

export class FramingScanner {
  readonly parts: ScannedPart[] = [];
  delimiters = 0;
  closed = false;
  /** Offset of the close delimiter's line start, when found. */
  closeOffset = -1;
  /** Line breaks inside the framing without CR: first offset and count. */
  firstBareLf = -1;
  bareLfCount = 0;
  /** Framing line breaks with CR. */
  crlfCount = 0;
  /** LF without CR after the close delimiter (not framing, but counted for length estimates). */
  epilogueBareLf = 0;
  /** Total bytes seen. */
  length = 0;
  /** Parts seen, kept or not. */
  partCount = 0;
  /** Header offset of the first part not kept because `maxParts` were kept already (-1: none). */
  firstDroppedAt = -1;
  /** Content bytes kept in memory over all parts (bounded by `keepBudget`). */
  keptBytes = 0;
  /** Header offset of the first part whose content was not kept because the budget was spent (-1: none). */
  budgetSpentAt = -1;

  private readonly pat: Buffer;
  private state: S = S.Match; // the body start is a line start
  private resume: S.Preamble | S.Content = S.Preamble;
  private k = 0;
  /** Offset of the LF before the candidate delimiter (-1 at body start). */
  private lfPos = -1;
  private crBefore = false;
  private candidateStart = 0;
  private lineEndsCr = false;
  private lastByte = -1;
  private cur: {
    headerStart: number;
    contentStart: number;
    chunks: Buffer[];
    captured: number;
    headerLineStart: number;
    headerOverflow: boolean;
    /** Content bytes kept for this part (decided when its headers end). */
    limit: number;
    /** The last line read (delimiter or header line) ended with CR LF. */
    lineCr: boolean;
    /** The headers ended with a blank line, CR LF after CR LF (where a strict reader ends them too). */
    crlfEnd: boolean;
  } | null = null;
  /** The line break at lfPos was already counted (end of a header block). */
  private lfCounted = false;
  /** LF + "--" + boundary, searched for in content (null: the boundary holds an LF, walk byte by byte). */
  private readonly needle: Buffer | null;
  /** Offset just past the last "--boundary" seen after a line break (delimiter or not). */
  private lastCandidateEnd = 0;
  /** Chunks given to push() are views of a buffer that is reused: copy what is kept. */
  volatileChunks = false;

  constructor(
    boundary: string,
    private readonly captureLimit: number,
    /** Keep at most this many parts (the rest are counted, not kept). */
    private readonly maxParts = Infinity,
    /** Content bytes to keep of a part, from its header bytes (default: captureLimit). */
    private readonly partLimit: ((headers: Buffer) => number) | null = null,
    /** Content bytes kept over all parts; past it, parts keep their first bytes only. */
    private readonly keepBudget = Infinity,
  ) {
    this.pat = Buffer.from(`--${boundary}`, 'utf8');
    this.needle = this.pat.includes(10) ? null : Buffer.concat([Buffer.from([10]), this.pat]);
  }

  /**
   * The bytes seen so far that a strict multipart reader learns nothing from but their count:
   * the absolute range [start, end) inside the content of the current part (whose headers ended
   * with CR LF CR LF), past what this scanner keeps of it, and at least `margin` bytes away from
   * the part's start, from any "--boundary" after a line break seen in it, and from a delimiter
   * that may be pending. null when there is no such range.
   */
  contentInterior(margin: number): [number, number] | null {
    const c = this.cur;
    // (after headers that a strict reader may still be reading, every byte counts)
    if (!c || c.contentStart < 0 || !c.crlfEnd) return null;
    let end: number;
    if (this.state === S.Content) end = this.length;
    else if (this.resume === S.Content && this.state !== S.Headers && this.state !== S.Epilogue && this.state !== S.Preamble && this.lfPos >= c.contentStart) end = this.lfPos;
    else return null;
    const start = Math.max(c.contentStart + c.limit, this.lastCandidateEnd) + margin;
    end -= margin;
    return end > start ? [start, end] : null;
  }

  private bareLf(at: number): void {
    if (this.firstBareLf < 0) this.firstBareLf = at;
    this.bareLfCount++;
  }

  /**
   * Keep bytes [from, to) of the chunk for the current part (as many as it may use). Bytes are
   * taken as late as possible (flushCapture), once the part's limit is known from its headers,
   * so that a file part does not copy the chunk it starts in.
   */
  private capture(chunk: Buffer, from: number, to: number): void {
    const c = this.cur;
    if (!c || from >= to) return;
    const room = c.limit + HEADER_LIMIT + this.pat.length + 8 - c.captured;
    if (room > 0) {
      const view = chunk.subarray(from, from + Math.min(room, to - from));
      let piece = view;
      if (this.volatileChunks) {
        piece = Buffer.allocUnsafe(view.length);
        view.copy(piece);
      }
      c.chunks.push(piece);
      c.captured += piece.length;
    } else {
      c.captured += to - from; // counted, not kept
    }
  }

  /** The chunk being pushed, and where in it the current part's bytes not yet kept start (-1: none). */
  private chunk: Buffer | null = null;
  private pendingFrom = -1;

  /** Keep the current part's pending bytes of the chunk being pushed, up to index `to`. */
  private flushCapture(to: number): void {
    if (this.pendingFrom < 0 || !this.chunk) return;
    if (to > this.pendingFrom) {
      this.capture(this.chunk, this.pendingFrom, to);
      this.pendingFrom = to;
    }
  }

  private finishPart(end: number, terminated: boolean): void {
    const c = this.cur;
    if (!c) return;
    this.cur = null;
    this.partCount++;
    if (this.parts.length >= this.maxParts) {
      if (this.firstDroppedAt < 0) this.firstDroppedAt = c.headerStart;
      return;
    }
    const base = c.headerStart;
    const contentStart = c.contentStart;
    let contentEnd = end;
    // only the bytes this part can use: its headers and the content it may keep
    const wanted = contentStart < 0 ? end - base : contentStart - base + Math.max(64, Math.min(Math.max(0, end - contentStart), c.limit));
    const all = firstBytes(c.chunks, Math.max(0, wanted));
    if (contentStart < 0) {
      // headers never ended: everything is header bytes, no content
      const hb = all.subarray(0, Math.max(0, Math.min(all.length, end - base)));
      this.parts.push({ headerStart: base, contentStart: -1, contentEnd: end, headerBytes: Buffer.from(hb), content: null, head: Buffer.alloc(0), terminated, headerOverflow: c.headerOverflow });
      return;
    }
    if (contentEnd < contentStart) contentEnd = contentStart;
    const hEnd = contentStart - base;
    const headerBytes = all.subarray(0, Math.min(all.length, hEnd));
    const len = contentEnd - contentStart;
    let content: Buffer | null = null;
    if (len <= c.limit && hEnd + len <= all.length) {
      if (this.keptBytes + len > this.keepBudget) {
        if (this.budgetSpentAt < 0) this.budgetSpentAt = base;
      } else {
        content = Buffer.from(all.subarray(hEnd, hEnd + len));
        this.keptBytes += len;
      }
    }
    const head = all.length > hEnd ? Buffer.from(all.subarray(hEnd, Math.min(hEnd + Math.min(len, 64), all.length))) : Buffer.alloc(0);
    this.parts.push({ headerStart: base, contentStart, contentEnd, headerBytes: Buffer.from(headerBytes), content, head, terminated, headerOverflow: c.headerOverflow });
  }

  /** A delimiter line ended at offset `lfAt` (the LF). */
  private delimiterLine(lfAt: number, _chunk: Buffer, idx: number): void {
    this.delimiters++;
    // the line break before the delimiter
    this.countBreakBefore();
    const contentEnd = this.lfPos < 0 ? this.candidateStart : this.crBefore ? this.lfPos - 1 : this.lfPos;
    this.flushCapture(idx);
    this.finishPart(contentEnd, true);
    if (this.lineEndsCr) this.crlfCount++;
    else this.bareLf(lfAt);
    const start = lfAt + 1;
    this.cur = { headerStart: start, contentStart: -1, chunks: [], captured: 0, headerLineStart: start, headerOverflow: false, limit: this.captureLimit, lineCr: this.lineEndsCr, crlfEnd: false };
    this.pendingFrom = idx + 1;
    this.state = S.Headers;
  }

  private countBreakBefore(): void {
    if (this.lfPos >= 0 && !this.lfCounted) {
      if (this.crBefore) this.crlfCount++;
      else this.bareLf(this.lfPos);
    }
  }

  push(chunk: Buffer): void {
    const base = this.length;
    this.chunk = chunk;
    this.pendingFrom = this.cur ? 0 : -1;
    let i = 0;
    const n = chunk.length;
    const pat = this.pat;
    while (i < n) {
      switch (this.state) {
        case S.Epilogue:
          for (let j = chunk.indexOf(10, i); j >= 0; j = chunk.indexOf(10, j + 1)) {
            if ((j > 0 ? chunk[j - 1] : this.lastByte) !== 13) this.epilogueBareLf++;
          }
          i = n;
          break;
        case S.Preamble:
        case S.Content: {
          if (this.needle) {
            // the next LF followed by the whole "--boundary" (a boundary holds no LF, so no
            // candidate is ever skipped: the byte-by-byte walk below finds the same one)
            const j = chunk.indexOf(this.needle, i);
            if (j >= 0) {
              this.resume = this.state;
              this.lfPos = base + j;
              this.crBefore = j > 0 ? chunk[j - 1] === 13 : this.lastByte === 13;
              this.candidateStart = base + j + 1;
              this.lfCounted = false;
              this.k = pat.length;
              this.state = S.AfterP;
              i = j + 1 + pat.length;
              this.lastCandidateEnd = base + i;
              break;
            }
            // only the last LF of the chunk can start a delimiter that ends in the next chunk
            const tail = Math.max(i, n - pat.length);
            const t = chunk.subarray(tail, n).lastIndexOf(10);
            const q = t < 0 ? -1 : tail + t;
            if (q >= 0 && chunk.subarray(q + 1, n).equals(pat.subarray(0, n - 1 - q))) {
              this.resume = this.state;
              this.lfPos = base + q;
              this.crBefore = q > 0 ? chunk[q - 1] === 13 : this.lastByte === 13;
              this.candidateStart = base + q + 1;
              this.lfCounted = false;
              this.k = n - 1 - q;
              this.state = S.Match;
            }
            i = n;
            break;
          }
          const j = chunk.indexOf(10, i);
          if (j < 0) {
            i = n;
            break;
          }
          this.resume = this.state;
          this.lfPos = base + j;
          this.crBefore = j > 0 ? chunk[j - 1] === 13 : this.lastByte === 13;
          this.candidateStart = base + j + 1;
          this.lfCounted = false;
          this.k = 0;
          this.state = S.Match;
          i = j + 1;
          break;
        }
        case S.Match: {
          const b = chunk[i]!;
          if (b === pat[this.k]) {
            this.k++;
            i++;
            if (this.k === pat.length) {
              this.state = S.AfterP;
              this.lastCandidateEnd = base + i;
            }
          } else {
            this.state = this.resume; // re-examine this byte as content
          }
          break;
        }
        case S.AfterP: {
          const b = chunk[i]!;
          if (b === 0x2d) {
            this.state = S.CloseDash;
            i++;
          } else if (b === 0x20 || b === 0x09) {
            this.state = S.Pad;
            i++;
          } else if (b === 13) {
            this.state = S.ExpectLf;
            i++;
          } else if (b === 10) {
            this.lineEndsCr = false;
            this.delimiterLine(base + i, chunk, i);
            i++;
          } else {
            this.state = this.resume;
          }
          break;
        }
        case S.CloseDash: {
          const b = chunk[i]!;
          if (b === 0x2d) {
            this.delimiters++;
            this.countBreakBefore();
            const contentEnd = this.lfPos < 0 ? this.candidateStart : this.crBefore ? this.lfPos - 1 : this.lfPos;
            this.flushCapture(i);
            this.finishPart(contentEnd, true);
            this.closed = true;
            this.closeOffset = this.candidateStart;
            this.state = S.Epilogue;
            i++;
          } else {
            this.state = this.resume;
          }
          break;
        }
        case S.Pad: {
          const b = chunk[i]!;
          if (b === 0x20 || b === 0x09) i++;
          else if (b === 13) {
            this.state = S.ExpectLf;
            i++;
          } else if (b === 10) {
            this.lineEndsCr = false;
            this.delimiterLine(base + i, chunk, i);
            i++;
          } else this.state = this.resume;
          break;
        }
        case S.ExpectLf: {
          const b = chunk[i]!;
          if (b === 10) {
            this.lineEndsCr = true;
            this.delimiterLine(base + i, chunk, i);
            i++;
          } else this.state = this.resume;
          break;
        }
        case S.Headers: {
          const c = this.cur!;
          const j = chunk.indexOf(10, i);
          if (j < 0) {
            if (base + n - c.headerStart > HEADER_LIMIT) this.headerOverflow(base + n, chunk, n);
            i = n;
            break;
          }
          const lfAt = base + j;
          const cr = j > 0 ? chunk[j - 1] === 13 : this.lastByte === 13;
          if (cr) this.crlfCount++;
          else this.bareLf(lfAt);
          const lineLen = lfAt - c.headerLineStart - (cr ? 1 : 0);
          if (lineLen <= 0) {
            // blank line: headers end
            c.contentStart = lfAt + 1;
            c.crlfEnd = cr && c.lineCr;
            this.flushCapture(j + 1);
            if (this.partLimit) c.limit = this.partLimit(firstBytes(c.chunks, c.contentStart - c.headerStart));
            this.resume = S.Content;
            this.lfPos = lfAt;
            this.crBefore = cr;
            this.candidateStart = lfAt + 1;
            this.lfCounted = true;
            this.k = 0;
            this.state = S.Match;
          } else if (lfAt + 1 - c.headerStart > HEADER_LIMIT) {
            this.headerOverflow(lfAt + 1, chunk, j + 1);
          } else {
            c.headerLineStart = lfAt + 1;
            c.lineCr = cr;
          }
          i = j + 1;
          break;
        }
      }
    }
    this.flushCapture(n);
    this.chunk = null;
    this.pendingFrom = -1;
    if (n > 0) this.lastByte = chunk[n - 1]!;
    this.length = base + n;
  }

  private headerOverflow(at: number, _chunk: Buffer, _idx: number): void {
    const c = this.cur!;
    c.headerOverflow = true;
    c.contentStart = at;
    this.resume = S.Content;
    this.state = S.Content;
  }

  end(): void {
    if (this.state === S.Epilogue) return;
    if (this.cur) {
      // Body ended inside a part: its content runs to the end, minus a final line break.
      let end = this.length;
      if (this.state === S.Match || this.state === S.AfterP || this.state === S.Pad || this.state === S.ExpectLf || this.state === S.CloseDash) {
        // a partial delimiter at the very end: the content stops at its line break
        if (this.lfPos >= 0 && this.lfPos >= (this.cur.contentStart < 0 ? this.cur.headerStart : this.cur.contentStart)) end = this.crBefore ? this.lfPos - 1 : this.lfPos;
      }
      this.finishPart(end, false);
    }
  }
}
