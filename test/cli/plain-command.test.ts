// The plain-argument fast path of explain and check (main.ts plainCommand) must hand the command
// exactly what commander would: both read the same option specs; this runs both on many argument
// lists and compares what the command receives.
import * as commander from 'commander';
import { describe, expect, test } from 'vitest';
import { plainCommand } from '../../src/cli/main.js';
import { buildProgram, COMMANDS } from '../../src/cli/program/index.js';
import type { CommandSpec } from '../../src/cli/program/types.js';
import type { Io } from '../../src/cli/io.js';

const io: Io = { stdout: () => {}, stderr: () => {}, isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: {}, cwd: process.cwd() };

async function viaCommander(argv: string[]): Promise<{ command: string; args: unknown[]; opts: Record<string, unknown> } | null> {
  let seen: { command: string; args: unknown[]; opts: Record<string, unknown> } | null = null;
  const specs: CommandSpec[] = COMMANDS.map((s) => ({
    ...s,
    run: async (_io, args, opts) => {
      seen = { command: s.name, args, opts };
      return 0;
    },
  }));
  const program = buildProgram(commander, io, () => {}, specs);
  await program.parseAsync(argv);
  return seen;
}

const cases: string[][] = [
  ['explain', 'SignatureDoesNotMatch'],
  ['explain', 'Access', 'Denied', '--provider', 'oss'],
  ['explain', '--format', 'json', 'a.xml'],
  ['explain', '--format=sarif', '--fail-on', 'warning', '--redact', 'x'],
  ['--no-color', 'explain', '--lang', 'ja', '--now', '2024-01-01T00:00:00Z', '-'],
  ['--debug', 'check', 'capture.har', '--entry', '2', '--provider', 'tos'],
  ['check', 'form.json', '--server', 'minio', '--endpoint-style', 'path', '--secret-env', 'X'],
  ['check', '--cors-config', 'c.json', '--origin', 'https://a.example', 'f.http', '--no-color'],
  ['check', 'f.http', '--server-time', 'Tue, 01 Jan 2030 00:00:00 GMT', '--file', 'a.jpg', '--public-key', 'k.pem'],
  ['check'],
];

describe('plainCommand agrees with commander', () => {
  test.each(cases)('%s …', async (...args) => {
    const argv = ['node', 'post-doctor', ...args];
    const plain = plainCommand(argv);
    expect(plain, 'plain path taken').not.toBeNull();
    const c = await viaCommander(argv);
    expect(c?.command).toBe(plain!.command);
    expect(c?.args[0] ?? (plain!.command === 'explain' ? [] : undefined)).toEqual(plain!.command === 'explain' ? plain!.input : plain!.input[0]);
    // commander's options object: the same keys and values, in the same order
    const fromCommander = { ...c!.opts };
    expect(Object.entries(fromCommander)).toEqual(Object.entries(plain!.opts).filter(([k]) => k in fromCommander));
    expect(Object.keys(plain!.opts).filter((k) => !(k in fromCommander))).toEqual([]);
  });

  test('anything else goes to commander', () => {
    for (const args of [
      ['explain', '--help'],
      ['check', 'a', 'b'],
      ['check', '--provider', 'azure', 'x'],
      ['check', '--format'],
      ['sign', '--provider', 'cos'],
      ['explain', '--provider', 'cos', '--provider', 'oss', 'x'],
      ['explain', '--', 'x'],
    ]) {
      expect(plainCommand(['node', 'post-doctor', ...args]), args.join(' ')).toBeNull();
    }
  });
});
