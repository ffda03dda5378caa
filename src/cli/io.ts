// Process I/O seen by commands: injectable so tests can run the CLI in-process.
import { Chalk, type ChalkInstance } from 'chalk';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { isPlainArgument, shownArgument } from '../core/mask.js';
import { openSpool, own, type Spool } from './spool.js';
import { type WrapOptions, wrapText } from '../core/wrap.js';

/** Values learned while a command runs (a secret read from a file, a header's token) that
 * every later line of output must mask. */
export interface OutputGuard {
  /** Never printed, not even a prefix. */
  secret(value: string | null | undefined): void;
  /** Printed only as a masked prefix (on stderr). */
  sensitive(value: string | null | undefined): void;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stdout is a terminal (spinners, colour). */
  isTTY: boolean;
  /** The terminal's width in columns, when stdout is a terminal that says it (human text is wrapped to it: writeText). */
  columns?: number;
  /** stdin is a terminal (nothing piped). */
  stdinIsTTY: boolean;
  /** stdin whole (in-process runs); the CLI process gives `stdinStream` as well. */
  readStdin: () => Promise<Buffer>;
  /** stdin as a stream of chunks: read like a file (spooled to disk when large), never whole. */
  stdinStream?: () => AsyncIterable<Buffer | string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Set by run(): masks what commands learn while running (see OutputGuard). */
  guard?: OutputGuard;
}

/**
 * How the CLI writes to fd 1 or 2. A file, a pipe, a socket or /dev/null is written with
 * writeSync (what process.stdout does for files and, on POSIX, pipes), without making
 * process.stdout: that loads Node's stream machinery (net for a pipe), a few milliseconds of
 * every start-up. A terminal, or anything fstat cannot tell (Windows), goes through the stream.
 * A closed pipe (`post-doctor ... | head`) drops the rest of the output; the command still ends
 * with its own exit code.
 */
function fdOutput(fd: 1 | 2, stream: () => NodeJS.WriteStream): { write: (s: string) => void; isTTY: () => boolean; columns: () => number | undefined } {
  const plain = process.platform !== 'win32' && notTerminal(fd);
  if (!plain) return { write: (s) => void stream().write(s), isTTY: () => Boolean(stream().isTTY), columns: () => stream().columns };
  let closed = false;
  return {
    write(s) {
      if (closed || s.length === 0) return;
      const bytes = Buffer.from(s, 'utf8');
      for (let off = 0; off < bytes.length; ) {
        try {
          off += writeSync(fd, bytes, off, bytes.length - off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // a non-blocking pipe that is full: wait for the reader
          if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          else if (code === 'EPIPE') {
            closed = true;
            return;
          } else throw e;
        }
      }
    },
    isTTY: () => false,
    columns: () => undefined,
  };
}

/** fd is a regular file, a pipe, a socket or /dev/null (never a terminal). */
function notTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (st.isFile() || st.isFIFO() || st.isSocket()) return true;
    return st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

export function processIo(): Io {
  const out = fdOutput(1, () => process.stdout);
  const err = fdOutput(2, () => process.stderr);
  const isTTY = out.isTTY();
  const columns = isTTY ? out.columns() : undefined;
  return {
    stdout: out.write,
    stderr: err.write,
    isTTY,
    ...(columns !== undefined && columns > 0 ? { columns } : {}),
    // read when asked (process.stdin, made on first access, costs a few milliseconds of start-up)
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    set stdinIsTTY(value: boolean) {
      Object.defineProperty(this, 'stdinIsTTY', { value, writable: true, enumerable: true, configurable: true });
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    stdinStream: () => process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Write human text (a text report, not JSON, SARIF, GitHub annotations, a curl command or HTML) to
 * stdout: on a terminal whose width is known it is wrapped to that width (./wrap.ts); piped, or
 * when the width is unknown, it is written as it is.
 */
export function writeText(io: Io, text: string, opts?: WrapOptions): void {
  io.stdout(io.columns ? wrapText(text, io.columns, opts) : text);
}

/**
 * `io` with some members replaced, its getters kept as getters (a spread would read them all:
 * stdinIsTTY asks the terminal, which start-up does not need).
 */
export function withIo<T extends object>(io: Io, over: T): Io & T {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(io), ...Object.getOwnPropertyDescriptors(over) }) as Io & T;
}

/** A report as its format wants it: human text wrapped to a terminal, machine formats as they are. */
export function writeReport(io: Io, format: string, text: string): void {
  if (format === 'text') writeText(io, text);
  else io.stdout(text);
}

/** The width commander formats help to (configureOutput({ getOutHelpWidth })): the terminal's, else 80. */
export function helpWidth(io: Io): number {
  return io.columns ?? 80;
}

/**
 * Colour: --no-color and NO_COLOR (any non-empty value) always win; FORCE_COLOR (1, 2, 3, true or
 * empty) turns it on when piped, as CI logs want; FORCE_COLOR=0 or false turns it off; otherwise
 * only on a terminal.
 */
export function makeChalk(io: Io, colorOption: boolean | undefined): ChalkInstance {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (colorOption === false || noColorEnv) return new Chalk({ level: 0 });
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) {
    const v = force.trim().toLowerCase();
    if (v === '0' || v === 'false') return new Chalk({ level: 0 });
    const level = v === '3' ? 3 : v === '1' ? 1 : 2;
    return new Chalk({ level });
  }
  return new Chalk({ level: io.isTTY ? 2 : 0 });
}

export interface InputText {
  /** Where the input came from, for error messages ("stdin", a path, "argument"). */
  source: string;
  /** Path on disk when the input is a file (parsers may stream it). */
  path: string | null;
  text: string;
}

/** Inputs up to this size are read whole; larger ones must be raw captures, streamed. */
export const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
/**
 * What check and replay read of a large capture first: the parsers read a raw capture from disk
 * and look at its text only for the format (its first line after leading whitespace), so that
 * line is enough; the head is HEAD_BYTES only when that line does not end within this many
 * bytes (making a one-megabyte string costs several milliseconds).
 */
const FIRST_LINE_BYTES = 64 * 1024;

/** Whether `buf` holds a line break after its leading whitespace (what \s matches in latin1 text). */
function holdsFirstLine(buf: Buffer): boolean {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || (buf[i]! >= 0x09 && buf[i]! <= 0x0d) || buf[i] === 0xa0)) i++;
  return buf.indexOf(10, i) >= 0;
}

/** The first `bytes` bytes of a file as latin1 text; with `firstLine`, only as many as hold its first line. */
function readHead(path: string, bytes: number, firstLine = false): string {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(firstLine ? Math.min(bytes, FIRST_LINE_BYTES) : bytes);
    let n = readSync(fd, buf, 0, buf.length, 0);
    if (firstLine && n === buf.length && buf.length < bytes && !holdsFirstLine(buf)) {
      buf = Buffer.allocUnsafe(bytes);
      n = readSync(fd, buf, 0, bytes, 0);
    }
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Text of an input file: UTF-16 with a byte-order mark (what Windows PowerShell 5's `>` and
 * `Out-File` write) is read like UTF-8; everything else is UTF-8.
 */
export function decodeText(b: Buffer): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const le = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    return le.swap16().toString('utf16le');
  }
  return b.toString('utf8');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** One word shaped like a path or a file name with an extension ("error.xml", "./cap.har", "C:\\x"). */
function looksLikePath(arg: string): boolean {
  if (arg.length > 4096 || /\s/.test(arg) || /^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(arg)) return false;
  return /[/\\]/.test(arg) || /^[^<>{}[\]()'"`]{1,200}\.[A-Za-z][A-Za-z0-9]{0,4}$/.test(arg);
}

/** The text of a capture rather than a path: a request line, a curl / fetch / PowerShell command, a JSON document, or several lines. */
function looksLikeCapture(arg: string): boolean {
  return arg.includes('\n') || /^\s*(?:curl(?:\.exe)?\s|(?:await\s+)?fetch\s*\(|(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\s|(?:POST|PUT|GET)\s+\S+\s+HTTP\/|[{[])/i.test(arg);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The head of an input over WHOLE_FILE_LIMIT must be a raw HTTP request (streamed from disk). */
const RAW_HEAD = /^\s*[A-Z]+ \S+ HTTP\/\d/;

function tooLarge(size: string, source: string): InputError {
  return new InputError(`input is ${size}: only raw HTTP captures over ${WHOLE_FILE_LIMIT / 1048576} MiB are read (streamed); export a smaller HAR, or give the file with --file`, { source });
}

/** stdin kept in memory up to this size; beyond it, it is spooled to a temporary file. */
const SPOOL_AFTER = 1024 * 1024;

async function* stdinChunks(io: Io): AsyncGenerator<Buffer> {
  if (io.stdinStream) {
    for await (const c of io.stdinStream()) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    return;
  }
  yield await io.readStdin();
}

/**
 * stdin, read like a file: up to WHOLE_FILE_LIMIT it is the text; beyond, it is spooled to a
 * temporary file (removed when the run ends, on every exit path) and must be a raw HTTP
 * capture, streamed from there like a capture file. Never held whole in memory.
 */
async function readStdinInput(io: Io): Promise<InputText> {
  const mem: Buffer[] = [];
  let memBytes = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  let total = 0;
  let spool: Spool | null = null;
  let checked = false;
  try {
    for await (const chunk of stdinChunks(io)) {
      if (chunk.length === 0) continue;
      total += chunk.length;
      if (headBytes < HEAD_BYTES) {
        const piece = chunk.subarray(0, HEAD_BYTES - headBytes);
        head.push(piece);
        headBytes += piece.length;
      }
      if (spool === null) {
        mem.push(chunk);
        memBytes += chunk.length;
        if (memBytes <= SPOOL_AFTER) continue;
        spool = await openSpool('stdin');
        for (const m of mem) await spool.write(m);
        mem.length = 0;
        memBytes = 0;
      } else {
        await spool.write(chunk);
      }
      if (!checked && total > WHOLE_FILE_LIMIT) {
        checked = true;
        // the same limit as for a file: only a raw capture is read past it (streamed)
        if (!RAW_HEAD.test(Buffer.concat(head).toString('latin1'))) throw tooLarge(`over ${WHOLE_FILE_LIMIT / 1048576} MiB`, 'stdin');
      }
    }
    if (total === 0) throw new InputError('stdin is empty', { source: 'stdin' });
    if (spool === null) return { source: 'stdin', path: null, text: Buffer.concat(mem).toString('utf8') };
    await spool.close();
    if (total <= WHOLE_FILE_LIMIT) {
      const text = decodeText(readFileSync(spool.path));
      spool.remove();
      return { source: 'stdin', path: null, text };
    }
    own(io, spool);
    return { source: 'stdin', path: spool.path, text: Buffer.concat(head).toString('latin1') };
  } catch (e) {
    spool?.remove();
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read stdin: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { source: 'stdin' });
  }
}

/**
 * Resolve a command's input: "-" or nothing with piped stdin reads stdin; an existing
 * file path reads the file; otherwise, when `literalAllowed`, the argument is the text.
 */
export async function readInputText(io: Io, arg: string | undefined, literalAllowed: boolean): Promise<InputText> {
  if (arg === undefined || arg === '-') {
    if (arg === undefined && io.stdinIsTTY) throw new InputError('no input: give a file, text, or pipe it on stdin (see --help)');
    return readStdinInput(io);
  }
  // relative to the command's directory (the process's own, except for in-process runs)
  const file = resolve(arg) === resolve(io.cwd, arg) ? arg : resolve(io.cwd, arg);
  if (isDirectory(file)) throw new InputError('is a directory: give a file', { source: arg });
  if (isFile(file)) {
    try {
      const size = statSync(file).size;
      if (size === 0) throw new InputError('empty file', { source: arg });
      if (size > WHOLE_FILE_LIMIT) {
        // Large inputs are streamed from disk by the parsers: only the head is read here.
        // (explain reads the text itself: all of the head)
        const head = readHead(file, HEAD_BYTES, !literalAllowed);
        if (!RAW_HEAD.test(head)) throw tooLarge(`${Math.round(size / 1048576)} MiB`, arg);
        return { source: arg, path: file, text: head };
      }
      return { source: arg, path: file, text: decodeText(readFileSync(file)) };
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read file: ${(e as Error).message}`, { source: arg });
    }
  }
  // the capture's own text given as the argument (as explain accepts it): read it as the input
  if (!literalAllowed && looksLikeCapture(arg)) return { source: 'argument', path: null, text: arg };
  // a word that looks like a file name or path, with no such file: say so, rather than reading the name as text
  if (!literalAllowed || looksLikePath(arg)) throw new InputError(`no such file: ${shownArgument(arg)}`, { source: isPlainArgument(arg) ? arg : 'argument' });
  return { source: 'argument', path: null, text: arg };
}
