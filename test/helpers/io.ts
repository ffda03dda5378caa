// The in-process Io of the CLI tests: what a command prints, kept in memory.
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

export interface MemoryIoOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What stdin holds (none: stdin is a terminal, unless `stdinTTY` says otherwise). */
  stdin?: string;
  /** stdout is a terminal. */
  tty?: boolean;
  stdinTTY?: boolean;
}

export type MemoryIo = Io & { out: () => string; err: () => string };

/** An Io whose stdout and stderr are kept (out(), err()); nothing reaches the real terminal. */
export function memoryIo(opts: MemoryIoOptions = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    isTTY: opts.tty ?? false,
    stdinIsTTY: opts.stdinTTY ?? (opts.stdin === undefined || opts.stdin === ''),
    readStdin: async () => Buffer.from(opts.stdin ?? '', 'utf8'),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `post-doctor <args>` in-process, on a memoryIo. */
export async function runCli(args: string[], opts: MemoryIoOptions = {}): Promise<CliResult> {
  const io = memoryIo({ ...opts, env: { ...(opts.env ?? {}) } });
  const code = await run(['node', 'post-doctor', ...args], io);
  return { code, out: io.out(), err: io.err() };
}
