// OBS shorthand: a `token` field (AK:signature:policy, as esdk-obs-nodejs returns Token) stands for
// the three signing fields; ObsAccessKeyId is a spelling whose acceptance OBS does not document.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import type { UploadRequest } from '../../src/core/types.js';
import { sign } from '../../src/sign/index.js';

const now = new Date('2030-01-01T00:00:00Z');
const secret = 'obssecretexamplekey0000000000000000000000';
const form = sign({
  provider: 'obs',
  bucket: 'examplebucket',
  region: 'cn-north-4',
  accessKeyId: 'OBSAKEXAMPLE000000',
  secret,
  key: 'uploads/a.txt',
  now,
  expiresAt: new Date('2030-01-01T01:00:00Z'),
});

function request(fields: Array<[string, string]>): UploadRequest {
  return {
    method: 'POST',
    url: form.url,
    headers: [['Content-Type', 'multipart/form-data; boundary=b']],
    parts: [
      ...fields.map(([name, value]) => ({ kind: 'field' as const, name, value })),
      { kind: 'file', name: 'file', filename: 'a.txt', contentType: 'text/plain', size: 3, source: { type: 'inline', data: new Uint8Array([1, 2, 3]) } },
    ],
    boundary: 'b',
    bodyProblems: [],
    notes: [],
  };
}

const value = (n: string): string => form.fields.find(([k]) => k === n)![1];

describe('OBS token and field spellings', () => {
  test('a token stands for AccessKeyId, signature and policy: the signature verifies', async () => {
    const token = [value('AccessKeyId'), value('signature'), value('policy')].join(':');
    const r = await check(
      request([
        ['key', 'uploads/a.txt'],
        ['token', token],
      ]),
      { now, secret },
    );
    expect(r.provider).toBe('obs');
    expect(r.verdict).toBe('pass');
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['signature.valid', 'obs.token-field']));
  });

  test('a token next to the fields it stands for is not read (the fields are)', async () => {
    const r = await check(request([['key', 'uploads/a.txt'], ...form.fields.filter(([k]) => k !== 'key'), ['token', 'a:b:c']]), { now, secret });
    expect(r.findings.map((f) => f.id)).not.toContain('obs.token-field');
  });

  test('a malformed token is not read: the signing fields are missing', async () => {
    const r = await check(
      request([
        ['key', 'uploads/a.txt'],
        ['token', 'only:two'],
      ]),
      { now, secret },
    );
    expect(r.findings.filter((f) => f.id === 'obs.field-missing').map((f) => f.facts.field)).toEqual(['policy', 'AccessKeyId', 'signature']);
  });

  test('ObsAccessKeyId: a warning that its acceptance is undocumented, not a missing field', async () => {
    const fields = form.fields.map(([k, v]): [string, string] => (k === 'AccessKeyId' ? ['ObsAccessKeyId', v] : [k, v]));
    const r = await check(request(fields), { now });
    expect(r.findings.map((f) => f.id)).toContain('obs.access-key-spelling');
    expect(r.findings.map((f) => f.id)).not.toContain('obs.field-missing');
    expect(r.findings.map((f) => f.id)).not.toContain('obs.field-not-in-policy');
  });
});

describe('OBS and TOS credentials never reach an output unmasked', () => {
  test('replay and check of a form with token, AccessKeyId and TOS signing fields mask them', async () => {
    const { run } = await import('../../src/cli/main.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pd-obs-mask-'));
    const sig = value('signature');
    const token = [value('AccessKeyId'), sig, value('policy')].join(':');
    const tosSig = 'f8d190aa'.repeat(8);
    const doc = {
      url: form.url,
      fields: [
        ['key', 'uploads/a.txt'],
        ['token', token],
        ['x-obs-security-token', 'SECURITYTOKENEXAMPLE0000000000'],
        ['x-tos-credential', 'AKLTEXAMPLE0000/20300101/cn-beijing/tos/request'],
        ['x-tos-signature', tosSig],
      ],
      file: { field: 'file', content: 'abc' },
    };
    const path = join(dir, 'form.json');
    writeFileSync(path, JSON.stringify(doc));
    for (const argv of [
      ['replay', path],
      ['check', path, '--provider', 'obs', '--format', 'json'],
      ['check', path, '--provider', 'obs'],
    ]) {
      let out = '';
      const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (out += s), isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: {}, cwd: dir };
      await run(['node', 'post-doctor', ...argv], io);
      expect(out, argv.join(' ')).not.toContain(sig);
      expect(out, argv.join(' ')).not.toContain(tosSig);
      expect(out, argv.join(' ')).not.toContain('SECURITYTOKENEXAMPLE0000000000');
      expect(out, argv.join(' ')).not.toContain('AKLTEXAMPLE0000/');
    }
  });
});

describe('replay --send: an answer quoting one part of the OBS token', () => {
  test("'the access key … is inactive.' shows the key id of the token masked", async () => {
    const { run } = await import('../../src/cli/main.js');
    const { createServer } = await import('node:http');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const ak = 'QWERTYUIOPASDFGHJKL2';
    const token = [ak, value('signature'), value('policy')].join(':');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(403, { 'Content-Type': 'application/xml', Server: 'OBS' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>the access key ${ak} is inactive.</Message></Error>`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const dir = mkdtempSync(join(tmpdir(), 'pd-obs-token-'));
      const path = join(dir, 'form.json');
      writeFileSync(
        path,
        JSON.stringify({
          url: `http://127.0.0.1:${port}/`,
          fields: [
            ['key', 'uploads/a.txt'],
            ['token', token],
          ],
          file: { field: 'file', content: 'abc' },
        }),
      );
      for (const format of ['text', 'json']) {
        let out = '';
        const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (out += s), isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: {}, cwd: dir };
        await run(['node', 'post-doctor', 'replay', path, '--provider', 'obs', '--send', '--format', format], io);
        expect(out, format).toContain('InvalidAccessKeyId');
        expect(out, format).not.toContain(ak);
      }
    } finally {
      server.close();
    }
  });
});
