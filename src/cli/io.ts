// Process I/O seen by commands: injectable so tests can run the CLI in-process.
import { Chalk, type ChalkInstance } from 'chalk';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stdout is a terminal (spinners, colour). */
  isTTY: boolean;
  /** stdin is a terminal (nothing piped). */
  stdinIsTTY: boolean;
  readStdin: () => Promise<Buffer>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only on a TTY, never with NO_COLOR (any value) or --no-color. */
export function makeChalk(io: Io, colorOption: boolean | undefined): ChalkInstance {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const on = colorOption !== false && !noColorEnv && io.isTTY;
  return new Chalk({ level: on ? 2 : 0 });
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

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolve a command's input: "-" or nothing with piped stdin reads stdin; an existing
 * file path reads the file; otherwise, when `literalAllowed`, the argument is the text.
 */
export async function readInputText(io: Io, arg: string | undefined, literalAllowed: boolean): Promise<InputText> {
  if (arg === undefined || arg === '-') {
    if (arg === undefined && io.stdinIsTTY) throw new InputError('no input: give a file, text, or pipe it on stdin (see --help)');
    const buf = await io.readStdin();
    if (buf.length === 0) throw new InputError('stdin is empty', { source: 'stdin' });
    return { source: 'stdin', path: null, text: buf.toString('utf8') };
  }
  if (isFile(arg)) {
    try {
      const size = statSync(arg).size;
      if (size > WHOLE_FILE_LIMIT) {
        // Large inputs are streamed from disk by the parsers: only the head is read here.
        const head = readHead(arg, HEAD_BYTES);
        if (!/^\s*[A-Z]+ \S+ HTTP\/\d/.test(head)) {
          throw new InputError(
            `input is ${Math.round(size / 1048576)} MiB: only raw HTTP captures over ${WHOLE_FILE_LIMIT / 1048576} MiB are read (streamed); export a smaller HAR, or give the file with --file`,
            { source: arg },
          );
        }
        return { source: arg, path: arg, text: head };
      }
      return { source: arg, path: arg, text: readFileSync(arg, 'utf8') };
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read file: ${(e as Error).message}`, { source: arg });
    }
  }
  if (!literalAllowed) throw new InputError(`no such file: ${arg}`, { source: arg });
  return { source: 'argument', path: null, text: arg };
}
