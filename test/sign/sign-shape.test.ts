// The library's sign() and `post-doctor sign --format json` give the same document, and either
// feeds check: the JSON through the CLI, the object through requestFromSignedForm.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check, requestFromSignedForm, sign, SIGN_SCHEMA, type SignOptions } from '../../src/api.js';
import { run } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'pd-sign-shape-'));

const io = (env: Record<string, string>): MemoryIo => memoryIo({ env, cwd: dir });

const NOW = '2030-01-01T00:00:00Z';
const cases: Array<{ opts: SignOptions; env: string; args: string[] }> = [
  {
    opts: {
      provider: 'tos',
      bucket: 'examplebucket',
      region: 'cn-beijing',
      accessKeyId: 'AKLTEXAMPLE',
      secret: 'tossecretexamplekey000000000000000',
      keyPrefix: 'uploads/',
      now: new Date(NOW),
      expiresAt: new Date('2030-01-01T01:00:00Z'),
    },
    env: 'TOS_SECRET_KEY',
    args: ['--provider', 'tos', '--bucket', 'examplebucket', '--region', 'cn-beijing', '--access-key', 'AKLTEXAMPLE', '--key-prefix', 'uploads/'],
  },
  {
    opts: {
      provider: 'cos',
      bucket: 'examplebucket-1250000000',
      region: 'ap-beijing',
      accessKeyId: 'AKIDEXAMPLE',
      secret: 'cossecretexample0000000000000000',
      key: 'a.txt',
      now: new Date(NOW),
      expiresAt: new Date('2030-01-01T01:00:00Z'),
    },
    env: 'COS_SECRET_KEY',
    args: ['--provider', 'cos', '--bucket', 'examplebucket-1250000000', '--region', 'ap-beijing', '--access-key', 'AKIDEXAMPLE', '--key', 'a.txt'],
  },
];

describe('sign: one shape for the library and the CLI', () => {
  test.each(cases)('$opts.provider: sign --format json equals sign()', async ({ opts, env, args }) => {
    const f = io({ [env]: opts.secret });
    const code = await run(['node', 'post-doctor', 'sign', ...args, '--now', NOW, '--expires', '1h', '--format', 'json'], f);
    expect(code, f.err()).toBe(0);
    const fromCli = JSON.parse(f.out());
    const fromLibrary = sign(opts);
    expect(fromLibrary.schema).toBe(SIGN_SCHEMA);
    expect(fromCli).toEqual(JSON.parse(JSON.stringify(fromLibrary)));
  });

  test.each(cases)('$opts.provider: either feeds check', async ({ opts, env }) => {
    const form = sign(opts);
    // the library object
    const r = await check(await requestFromSignedForm(form), { now: opts.now, secret: opts.secret });
    expect(r.verdict).toBe('pass');
    expect(r.signature?.valid).toBe(true);
    // the CLI's JSON, on the command line
    const path = join(dir, `${opts.provider}.json`);
    writeFileSync(path, JSON.stringify(form));
    const f = io({ [env]: opts.secret });
    expect(await run(['node', 'post-doctor', 'check', path, '--now', NOW, '--format', 'json'], f), f.err()).toBe(0);
    expect(JSON.parse(f.out()).findings.some((x: { id: string }) => x.id === 'signature.valid')).toBe(true);
  });
});
