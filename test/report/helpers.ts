// In-process CLI runner for the report, preflight and config tests.
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], opts: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const stdin = opts.stdin ?? '';
  const io: Io = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    isTTY: false,
    stdinIsTTY: stdin === '',
    readStdin: async () => Buffer.from(stdin),
    env: { ...(opts.env ?? {}) },
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await run(['node', 'post-doctor', ...args], io);
  return { code, out, err };
}
