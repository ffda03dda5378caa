// How the built CLI writes its output: to a file, a pipe or /dev/null with writeSync (src/cli/io.ts
// fdOutput), never making process.stdout; a reader that closed the pipe ends the output, not the
// command (no stack trace, the command's own exit code).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'post-doctor.js');
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };

describe('CLI output', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pd-output-'));
  const answer = join(tmp, 'answer.xml');
  writeFileSync(answer, '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>');
  const piped = spawnSync(process.execPath, [bin, 'explain', answer], { encoding: 'utf8', env });

  it('writes the same bytes to a file as to a pipe', () => {
    expect(piped.stdout).toContain('AccessDenied');
    const out = join(tmp, 'out.txt');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" explain "${answer}" > "${out}"`], { encoding: 'utf8', env });
    expect(r.status).toBe(piped.status);
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
  });

  it('a closed pipe ends the output quietly, with the command exit code', () => {
    // `true` exits at once: the pipe has no reader by the time node writes
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `"${process.execPath}" "${bin}" explain "${answer}" | true; echo "exit \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', env });
    expect(r.stderr).toBe(`exit ${piped.status}\n`);
    const bad = spawnSync('bash', ['--norc', '--noprofile', '-c', `"${process.execPath}" "${bin}" explain --format nope "${answer}" 2>&1 | true; echo "exit \${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      env,
    });
    expect(bad.stderr).toBe('exit 2\n');
    rmSync(tmp, { recursive: true, force: true });
  });
});
