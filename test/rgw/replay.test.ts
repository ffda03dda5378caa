// `post-doctor replay` against a real Ceph RGW: dry run sends nothing, --send streams the file
// and the object arrives byte for byte, refusals are explained and compared with check, --resign
// revives an expired form, and a 303 is reported, not followed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { sign } from '../../src/sign/index.js';
import { startRgw, type Rgw } from './harness.js';
import { rgwGate } from './gate.js';

const gate = rgwGate();

function fakeIo(env: Record<string, string> = {}): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(env);
  const code = await run(['node', 'post-doctor', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

if (gate.mustFail) {
  test('RGW binaries are installed (required under CI)', () => {
    throw new Error(gate.reason ?? 'RGW binaries missing');
  });
}

describe.skipIf(!gate.run)('replay against a real Ceph RGW', () => {
  let rgw: Rgw;
  let dir: string;
  let filePath: string;
  let fileBytes: Buffer;

  beforeAll(async () => {
    rgw = await startRgw({ bucket: 'pd-replay', log: (l) => console.log(l) });
    dir = mkdtempSync(join(tmpdir(), 'pd-replay-rgw-'));
    fileBytes = randomBytes(3 * 1024 * 1024 + 17);
    filePath = join(dir, 'photo.bin');
    writeFileSync(filePath, fileBytes);
  }, 300_000);

  afterAll(async () => {
    await rgw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  function formFile(name: string, opts: { key: string; now?: Date; expiresAt?: Date; fields?: Array<[string, string]> }): string {
    const now = opts.now ?? new Date();
    const f = sign({
      provider: 's3',
      bucket: rgw.bucket,
      region: rgw.region,
      key: opts.key,
      now,
      expiresAt: opts.expiresAt ?? new Date(now.getTime() + 10 * 60_000),
      accessKeyId: rgw.accessKey,
      secret: rgw.secret,
      endpoint: `${rgw.endpoint}/${rgw.bucket}`,
      fields: opts.fields ?? [],
      minSize: 1,
      maxSize: 16 * 1024 * 1024,
    });
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({ url: f.url, method: 'POST', fields: f.fields, file: { field: 'file', name: 'photo.bin', path: filePath, contentType: 'application/octet-stream' } }));
    return p;
  }

  const env = (): Record<string, string> => ({ PD_RGW_SECRET: rgw.secret });

  test('without --send it prints the request and sends nothing', async () => {
    const form = formFile('dry.json', { key: 'replay/dry.bin' });
    const r = await cli(['replay', form, '--provider', 's3', '--server', 'rgw']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`POST ${rgw.endpoint}/${rgw.bucket}`);
    expect(r.out).toMatch(/Content-Type: multipart\/form-data; boundary=\S+/);
    expect(r.out).toContain(`Content-Length: `);
    expect(r.out).toContain(`<${fileBytes.length} bytes from ${filePath}>`);
    expect((await rgw.getObject('replay/dry.bin')).status).toBe(404);
  });

  test('--send streams the file; the object arrives byte for byte; check agreed', async () => {
    const form = formFile('ok.json', { key: 'replay/ok.bin' });
    const r = await cli(['replay', form, '--send', '--provider', 's3', '--server', 'rgw', '--secret-env', 'PD_RGW_SECRET', '--format', 'json'], env());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe('post-doctor/replay@1');
    expect(doc.sent).toBe(true);
    expect(doc.response.status).toBe(204);
    expect(doc.prediction.accept).toBe(true);
    expect(doc.agree).toBe(true);
    expect(r.out).not.toContain(rgw.secret);
    const got = await rgw.getObject('replay/ok.bin');
    expect(got.status).toBe(200);
    expect(createHash('sha256').update(got.body).digest('hex')).toBe(createHash('sha256').update(fileBytes).digest('hex'));
  });

  test('an expired form is refused as predicted; --resign makes it go through', async () => {
    const past = new Date(Date.now() - 3600_000);
    const form = formFile('expired.json', { key: 'replay/expired.bin', now: past, expiresAt: new Date(past.getTime() + 600_000) });
    const r = await cli(['replay', form, '--send', '--provider', 's3', '--server', 'rgw', '--secret-env', 'PD_RGW_SECRET'], env());
    expect(r.code).toBe(1);
    expect(r.out).toContain('<Code>AccessDenied</Code>');
    expect(r.out).toMatch(/Predicted 403 AccessDenied, server said 403 AccessDenied \(agree\)/);
    expect(r.out).toContain('rgw.post.policy-expired');
    expect((await rgw.getObject('replay/expired.bin')).status).toBe(404);

    const again = await cli(['replay', form, '--send', '--resign', '--provider', 's3', '--server', 'rgw', '--secret-env', 'PD_RGW_SECRET', '--format', 'json'], env());
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.out);
    expect(doc.resigned.fields).toEqual(expect.arrayContaining(['x-amz-date', 'policy', 'x-amz-signature']));
    expect(doc.resigned.conditions).toContain('x-amz-date');
    expect(doc.prediction.accept).toBe(true);
    expect(doc.agree).toBe(true);
    expect((await rgw.getObject('replay/expired.bin')).status).toBe(200);
  });

  test('a 303 from success_action_redirect is reported, not followed', async () => {
    const target = 'http://127.0.0.1:9/never-contacted';
    const form = formFile('redirect.json', { key: 'replay/redirect.bin', fields: [['success_action_redirect', target]] });
    const r = await cli(['replay', form, '--send', '--provider', 's3', '--server', 'rgw', '--secret-env', 'PD_RGW_SECRET'], env());
    // following it would have failed with a network error (exit 3) on the discard port
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Answer: HTTP 303/);
    expect(r.out).toContain(`Redirect to ${target}`);
  });

  test('--endpoint sends to another URL, keeping its path', async () => {
    const form = formFile('elsewhere.json', { key: 'replay/elsewhere.bin' });
    const r = await cli(['replay', form, '--send', '--endpoint', `${rgw.endpoint}/no-such-bucket-here`, '--provider', 's3', '--server', 'rgw', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.request.url).toBe(`${rgw.endpoint}/no-such-bucket-here`);
    expect(doc.response.status).toBe(404);
    expect(doc.response.code).toBe('NoSuchBucket');
  });
});
