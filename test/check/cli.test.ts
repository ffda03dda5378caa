import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { parseTimeOption } from '../../src/cli/commands/check.js';
import { b64, COS_AK, COS_SECRET } from './helpers.js';

const OSS_SECRET = 'ExampleSecretKey0000000000000000';
const OSS_AK = 'LTAI5tExampleKeyId0001';
const OSS_SIG = '5XtMIvVSrFWVrZQzVZGuLxbCFP4=';

const fakeIo = (env: Record<string, string> = {}, stdin = ''): MemoryIo => memoryIo({ env, stdin });

async function cli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(env, stdin);
  const code = await run(['node', 'post-doctor', 'check', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const dir = mkdtempSync(join(tmpdir(), 'pd-check-'));
function jsonForm(policy: unknown, extra: Array<[string, string]> = [], size = 24): string {
  const p = join(dir, `form-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    p,
    JSON.stringify({
      url: 'http://examplebucket.oss-cn-hangzhou.aliyuncs.com/',
      method: 'POST',
      fields: [['key', 'user/hello.txt'], ['OSSAccessKeyId', OSS_AK], ['policy', typeof policy === 'string' ? policy : b64(policy)], ['Signature', OSS_SIG], ...extra],
      file: { field: 'file', name: 'hello.txt', contentType: 'text/plain', content: 'x'.repeat(size) },
    }),
  );
  return p;
}

describe('check command', () => {
  test('exit 0 on a good OSS capture, JSON schema and field names', async () => {
    const r = await cli(['examples/oss/postobject-v1.json', '--format', 'json', '--now', '2029-12-31T00:00:00Z'], { OSS_ACCESS_KEY_SECRET: OSS_SECRET });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('post-doctor/check@1');
    expect(j).toMatchObject({ provider: 'oss', verdict: 'pass' });
    expect(Object.keys(j.request).sort()).toEqual(['bucket', 'fields', 'file', 'key', 'method', 'url']);
    expect(j.request.fields[0]).toEqual(['key', 'user/hello.txt']);
    expect(j.request.file).toMatchObject({ name: 'hello.txt', size: 24, contentType: 'text/plain' });
    expect(j.policy.expiration).toBe('2030-01-01T12:00:00.000Z');
    expect(j.policy.conditions).toContainEqual({ index: 2, type: 'content-length-range', min: 0, max: 10485760 });
    expect(j.signature).toMatchObject({ checked: true, valid: true, mistake: null });
    expect(j.signature.steps.length).toBeGreaterThan(0);
    for (const s of j.signature.steps) expect(Object.keys(s)).toEqual(expect.arrayContaining(['name', 'value']));
    for (const f of j.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'severity', 'title', 'detail', 'fix', 'rule', 'predicts']));
    }
  });

  test('exit 1 with a wrong secret; prediction in JSON and text; nothing secret printed', async () => {
    const wrong = 'TotallyWrongSecret000000000000000';
    const r = await cli(['examples/oss/postobject-v1.json', '--format', 'json', '--now', '2029-12-31T00:00:00Z'], { OSS_ACCESS_KEY_SECRET: wrong });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('fail');
    const f = j.findings.find((x: { id: string }) => x.id === 'signature.invalid');
    expect(f.predicts).toMatchObject({ status: 403 });
    expect(f.predicts.message).toMatch(/signature/i);
    expect(f.rule).toBe('oss.post.signature-mismatch');
    for (const s of [r.out, r.err]) {
      expect(s).not.toContain(wrong);
      expect(s).not.toContain(OSS_AK);
      expect(s).not.toContain(OSS_SIG);
      expect(s).not.toContain(createHmac('sha1', wrong).update(j.request.fields[2][1]).digest('base64'));
    }
    const text = await cli(['examples/oss/postobject-v1.json', '--now', '2029-12-31T00:00:00Z', '--secret-env', 'MY_SECRET'], { MY_SECRET: wrong });
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^FAIL/);
    expect(text.out).toContain('server would answer: 403 ');
    expect(text.out).not.toContain(wrong);
    expect(text.out).not.toContain(OSS_AK);
    expect(text.out).not.toContain(OSS_SIG);
    expect(text.out).toContain('LTAI5t****');
  });

  test('COS worked example: valid signature, secret-derived SignKey masked', async () => {
    const r = await cli(['examples/cos/worked-example.json', '--now', '2019-08-30T08:00:00Z', '--format', 'json'], { COS_SECRET_KEY: COS_SECRET });
    expect(r.code).toBe(0);
    expect(r.out).not.toContain(COS_SECRET);
    expect(r.out).not.toContain(COS_AK);
    expect(r.out).not.toContain('39acc8c9f34ba5b19bce4e965b370cd3f62d2fba'); // SignKey
    expect(r.out).not.toContain('7758dc9a832e9d301dca704cacbf9d9f8172fdef'); // signature
    const j = JSON.parse(r.out);
    expect(j.signature.valid).toBe(true);
    expect(j.signature.steps.find((s: { name: string }) => s.name === 'SignKey')).toMatchObject({ value: '39acc8****', secret: true });
  });

  test('expired COS policy: the predicted message is the server wording', async () => {
    const r = await cli(['examples/cos/worked-example.json', '--now', '2019-08-31T00:00:00Z', '--format', 'json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.out).findings.find((x: { id: string }) => x.id === 'time.expired');
    expect(f.predicts.message).toBe('You post object request has been expired, expiration time: 1567157892 but the time now : 1567209600');
  });

  test('--server-time as an HTTP date wins for expiry', async () => {
    const r = await cli(['examples/cos/worked-example.json', '--now', '2019-08-30T08:00:00Z', '--server-time', 'Fri, 30 Aug 2019 10:00:00 GMT', '--format', 'json']);
    expect(r.code).toBe(1);
    const ids = JSON.parse(r.out).findings.map((f: { id: string }) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['time.expired-server', 'time.clock-behind']));
  });

  test('--secret-file strips one trailing newline', async () => {
    const p = join(dir, 'secret.txt');
    writeFileSync(p, `${OSS_SECRET}\n`);
    const r = await cli(['examples/oss/postobject-v1.json', '--now', '2029-12-31T00:00:00Z', '--secret-file', p, '--format', 'json']);
    expect(JSON.parse(r.out).signature.valid).toBe(true);
  });

  test('policy problems through the CLI; --lang ja', async () => {
    const f = jsonForm({ expiration: '2030-01-01T00:00:00.000Z', conditions: [{ bucket: 'examplebucket', key: 'x' }] });
    const r = await cli([f, '--now', '2029-12-31T00:00:00Z', '--format', 'json', '--lang', 'ja']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    const finding = j.findings.find((x: { id: string }) => x.id === 'policy.simple-condition-properties');
    expect(finding.title).toContain('条件 #1');
    expect(finding.rule).toBe('oss.post.simple-condition');
  });

  test('stdin input; file size against content-length-range', async () => {
    const body = JSON.stringify({
      url: 'http://examplebucket.oss-cn-hangzhou.aliyuncs.com/',
      fields: [
        ['key', 'user/a'],
        ['OSSAccessKeyId', OSS_AK],
        ['policy', b64({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['content-length-range', 1, 10]] })],
        ['Signature', OSS_SIG],
      ],
      file: { field: 'file', name: 'a.txt', content: 'x'.repeat(11) },
    });
    const r = await cli(['-', '--now', '2029-12-31T00:00:00Z', '--format', 'json'], {}, body);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings[0]).toMatchObject({ id: 'file.too-large', rule: 'oss.code.entity-too-large' });
  });

  test('exit 2: unreadable input, bad --now, unknown secret env, undetectable provider', async () => {
    expect((await cli(['no/such/file.http'])).code).toBe(2);
    const badNow = await cli(['examples/oss/postobject-v1.json', '--now', 'yesterday']);
    expect(badNow.code).toBe(2);
    expect(badNow.err).toContain('--now');
    expect((await cli(['examples/oss/postobject-v1.json', '--secret-env', 'NOPE'])).code).toBe(2);
    const p = join(dir, 'anon.json');
    writeFileSync(p, JSON.stringify({ url: null, fields: [['foo', 'bar']], file: { field: 'file', name: 'a', content: 'x' } }));
    const anon = await cli([p]);
    expect(anon.code).toBe(2);
    expect(anon.err).toContain('cannot tell the provider; use --provider');
  });

  test('every example runs and gives exit 0 or 1 with text and JSON', async () => {
    const files = [
      'cos/sample1-simple.http',
      'cos/sample2-metadata-acl.http',
      'cos/sample3-sse-cos.http',
      'cos/sample4-sse-c.http',
      'cos/sample5-versioning-enabled.http',
      'cos/sample6-versioning-suspended.http',
      'cos/sample7-filename-wildcard.http',
      'cos/sample8-success-action-redirect.http',
      'cos/sample9-success-action-status.http',
      'cos/worked-example.json',
      'oss/postobject-v1.http',
      'oss/postobject-v1.har',
      'oss/postobject-v1.curl.sh',
      'oss/postobject-v1.json',
    ];
    for (const f of files) {
      for (const format of ['text', 'json']) {
        const r = await cli([`examples/${f}`, '--now', '2019-08-29T08:00:00Z', '--format', format]);
        expect([0, 1], `${f} ${format}: ${r.err}`).toContain(r.code);
        if (format !== 'json') continue;
        const j = JSON.parse(r.out);
        expect(j.schema).toBe('post-doctor/check@1');
        for (const fd of j.findings) {
          for (const s of [fd.title, fd.detail, ...fd.fix]) expect(s, `${f} ${fd.id}`).not.toMatch(/(?<!\$)\{[A-Za-z_][\w.-]*(\|[a-z]+)?\}/);
        }
      }
    }
  });

  test('output is stable: same input, same bytes', async () => {
    const a = await cli(['examples/oss/postobject-v1.har', '--now', '2029-12-31T00:00:00Z', '--format', 'json']);
    const b = await cli(['examples/oss/postobject-v1.har', '--now', '2029-12-31T00:00:00Z', '--format', 'json']);
    expect(a.out).toBe(b.out);
  });
});

describe('time options', () => {
  test('ISO 8601 and HTTP dates', () => {
    expect(parseTimeOption('--now', '2019-08-30T09:38:12.414Z')?.toISOString()).toBe('2019-08-30T09:38:12.414Z');
    expect(parseTimeOption('--now', '2019-08-30T17:38:12+08:00')?.toISOString()).toBe('2019-08-30T09:38:12.000Z');
    expect(parseTimeOption('--now', '2019-08-30T09:38:12')?.toISOString()).toBe('2019-08-30T09:38:12.000Z');
    expect(parseTimeOption('--now', 'Fri, 30 Aug 2019 09:38:12 GMT')?.toISOString()).toBe('2019-08-30T09:38:12.000Z');
    expect(parseTimeOption('--now', undefined)).toBeUndefined();
    expect(() => parseTimeOption('--now', 'tomorrow')).toThrow(/--now/);
    expect(() => parseTimeOption('--now', '2019-02-30T00:00:00Z')).toThrow();
  });
});
