// check --public-key: a GCS GOOG4-RSA-SHA256 form verified with the service account's public key only.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { gcsRsaSign } from '../../src/providers/gcs/sign.js';

function io(): Io & { out: () => string } {
  let out = '';
  return {
    stdout: (s) => void (out += s),
    stderr: () => undefined,
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: {},
    cwd: process.cwd(),
    out: () => out,
  };
}

function form(dir: string, privateKey: string, tamper = false): string {
  const date = '20260101T000000Z';
  const credential = 'uploader@project.iam.gserviceaccount.com/20260101/auto/storage/goog4_request';
  const policy = {
    expiration: '2026-01-01T01:00:00Z',
    conditions: [{ bucket: 'my-bucket' }, ['starts-with', '$key', 'uploads/'], { 'x-goog-algorithm': 'GOOG4-RSA-SHA256' }, { 'x-goog-credential': credential }, { 'x-goog-date': date }],
  };
  const policyBase64 = Buffer.from(JSON.stringify(policy)).toString('base64');
  let signature = gcsRsaSign({ privateKey, policyBase64 });
  if (tamper) signature = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
  const doc = {
    url: 'https://storage.googleapis.com/my-bucket',
    fields: [
      ['key', 'uploads/photo.jpg'],
      ['x-goog-algorithm', 'GOOG4-RSA-SHA256'],
      ['x-goog-credential', credential],
      ['x-goog-date', date],
      ['x-goog-signature', signature],
      ['policy', policyBase64],
    ],
    file: { name: 'photo.jpg', size: 1000, contentType: 'image/jpeg' },
  };
  const p = join(dir, tamper ? 'bad.json' : 'good.json');
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

describe('check --public-key (GCS RSA)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'pd-pubkey-'));
  const pub = join(dir, 'key.pub.pem');
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  test('a form signed by the key verifies with the public key alone', async () => {
    const o = io();
    const code = await run(['node', 'pd', 'check', form(dir, priv), '--public-key', pub, '--now', '2026-01-01T00:10:00Z', '--format', 'json'], o);
    const doc = JSON.parse(o.out());
    expect(doc.signature.checked).toBe(true);
    expect(doc.signature.valid).toBe(true);
    expect(code).toBe(0);
  });

  test('a tampered signature is invalid', async () => {
    const o = io();
    const code = await run(['node', 'pd', 'check', form(dir, priv, true), '--public-key', pub, '--now', '2026-01-01T00:10:00Z', '--format', 'json'], o);
    const doc = JSON.parse(o.out());
    expect(doc.signature.valid).toBe(false);
    expect(doc.findings.map((f: { id: string }) => f.id)).toContain('signature.invalid');
    expect(code).toBe(1);
  });
});
