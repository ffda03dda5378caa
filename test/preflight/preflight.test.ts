// preflight against a local signing server, for every answer shape and for signers that are
// wrong in the common ways (clock, region, missing condition, wrong secret).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sign, type SignOptions } from '../../src/sign/index.js';
import { cosSign } from '../../src/providers/cos/sign.js';
import { parseSignerAnswer, buildPreflightUpload, fittingSize, contentTypeFor } from '../../src/preflight/index.js';
import { analysePolicy } from '../../src/policy/index.js';
import { cli } from '../report/helpers.js';
import { startServer, type TestServer } from './server.js';

const AWS_AK = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OSS_AK = 'LTAI5tPreflightKey01';
const OSS_SECRET = 'OssPreflightSecret000000000000';
const COS_AK = 'AKIDPreflightKeyId0000000000000000';
const COS_SECRET = 'CosPreflightSecret00000000000000';
const WRONG = 'NotTheRightSecretAtAll0000000000';

function signed(o: Partial<SignOptions> & Pick<SignOptions, 'provider' | 'bucket' | 'accessKeyId' | 'secret'>, skewSeconds = 0, validSeconds = 900) {
  const now = new Date(Date.now() + skewSeconds * 1000);
  return sign({ now, expiresAt: new Date(now.getTime() + validSeconds * 1000), keyPrefix: 'uploads/', minSize: 1, maxSize: 10 * 1024 * 1024, ...o });
}
const obj = (pairs: Array<[string, string]>) => Object.fromEntries(pairs);
const without = (pairs: Array<[string, string]>, ...names: string[]) => pairs.filter(([k]) => !names.includes(k));

let srv: TestServer;
let storage: TestServer;

beforeAll(async () => {
  srv = await startServer({
    // S3: {url, fields} from the AWS SDK's presigned-post helper
    '/s3/sdk': () => ({ json: s3Sdk }),
    // S3: {url, fields} from our signer
    '/s3/ok': () => {
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: AWS_SECRET, contentTypePrefix: 'image/' });
      return { json: { url: f.url, fields: obj(f.fields) } };
    },
    '/s3/clock': () => {
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: AWS_SECRET }, -7200, 3600);
      return { json: { url: f.url, fields: obj(f.fields) } };
    },
    '/s3/region': () => {
      const f = signed({
        provider: 's3',
        bucket: 'preflight-bucket',
        region: 'us-west-2',
        endpoint: 'https://preflight-bucket.s3.eu-central-1.amazonaws.com/',
        accessKeyId: AWS_AK,
        secret: AWS_SECRET,
      });
      return { json: { url: f.url, fields: obj(f.fields) } };
    },
    '/s3/uncovered-field': () => {
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: AWS_SECRET });
      return { json: { url: f.url, fields: { ...obj(f.fields), 'x-amz-meta-owner': 'alice' } } };
    },
    '/s3/wrong-secret': () => {
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: WRONG });
      return { json: { url: f.url, fields: obj(f.fields) } };
    },
    // OSS web-upload sample shape
    '/oss/ok': () => ({ json: ossShape(OSS_SECRET) }),
    '/oss/wrong-secret': () => ({ json: ossShape(WRONG) }),
    '/oss/v4': () => {
      const f = signed({ provider: 'oss', bucket: 'preflight-bucket', region: 'cn-hangzhou', signatureVersion: 'v4', accessKeyId: OSS_AK, secret: OSS_SECRET });
      const v = (n: string) => f.fields.find(([k]) => k === n)![1];
      return {
        json: {
          host: f.url,
          dir: 'uploads/',
          policy: v('policy'),
          x_oss_signature_version: v('x-oss-signature-version'),
          x_oss_credential: v('x-oss-credential'),
          x_oss_date: v('x-oss-date'),
          signature: v('x-oss-signature'),
        },
      };
    },
    // COS: field names as sent, and the camelCase of the COS samples, in an envelope
    '/cos/ok': () => ({ json: cosShape(COS_SECRET) }),
    '/cos/camel': () => {
      const c = cosShape(COS_SECRET);
      return {
        json: {
          code: 0,
          data: {
            cosHost: c.url!.replace(/^https:\/\//, '').replace(/\/$/, ''),
            cosKey: 'uploads/preflight.txt',
            policy: c.policy,
            qSignAlgorithm: c['q-sign-algorithm'],
            qAk: c['q-ak'],
            qKeyTime: c['q-key-time'],
            qSignature: c['q-signature'],
          },
        },
      };
    },
    '/cos/wrong-secret': () => ({ json: cosShape(WRONG) }),
    '/cos/no-sign-time': () => {
      const now = Math.floor(Date.now() / 1000);
      const keyTime = `${now};${now + 900}`;
      const json = JSON.stringify({ expiration: new Date((now + 900) * 1000).toISOString(), conditions: [['starts-with', '$key', 'uploads/'], { 'q-sign-algorithm': 'sha1' }, { 'q-ak': COS_AK }] });
      const s = cosSign({ secretKey: COS_SECRET, keyTime, policyJson: json });
      return {
        json: {
          url: 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/',
          policy: Buffer.from(json).toString('base64'),
          'q-sign-algorithm': 'sha1',
          'q-ak': COS_AK,
          'q-key-time': keyTime,
          'q-signature': s.signature,
        },
      };
    },
    // an envelope with the fields somewhere else (--fields-path)
    '/nested': () => {
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: AWS_SECRET });
      return { json: { ok: true, payload: { upload: { action: f.url, form: { items: [{ list: f.fields.map(([name, value]) => ({ name, value })) }] } } } } };
    },
    // POST with a JSON body and an auth header
    '/auth': (req, body) => {
      if (req.method !== 'POST' || req.headers.authorization !== 'Bearer t0ken' || JSON.parse(body || '{}').filename !== 'a.png') return { status: 401, json: { error: 'unauthorised' } };
      const f = signed({ provider: 's3', bucket: 'preflight-bucket', region: 'eu-central-1', accessKeyId: AWS_AK, secret: AWS_SECRET });
      return { json: { url: f.url, fields: obj(f.fields) } };
    },
    '/broken': () => ({ status: 500, text: 'boom' }),
    '/not-json': () => ({ status: 200, text: '<html>login</html>' }),
  });
  storage = await startServer({
    '/ok-bucket/': () => ({ status: 204, text: '' }),
    '/denied-bucket/': () => ({
      status: 403,
      text: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>1</RequestId><HostId>2</HostId></Error>',
    }),
  });
  const client = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: AWS_AK, secretAccessKey: AWS_SECRET } });
  s3Sdk = await createPresignedPost(client, {
    Bucket: 'preflight-sdk-bucket',
    Key: 'uploads/${filename}',
    Conditions: [
      ['content-length-range', 100, 5000],
      ['starts-with', '$Content-Type', 'image/'],
    ],
    Fields: { acl: 'private' },
    Expires: 600,
  });
  client.destroy();
});
afterAll(async () => {
  await srv?.close();
  await storage?.close();
});

let s3Sdk: unknown;

function ossShape(secret: string) {
  const f = signed({ provider: 'oss', bucket: 'preflight-bucket', region: 'cn-hangzhou', signatureVersion: 'v1', accessKeyId: OSS_AK, secret });
  const v = (n: string) => f.fields.find(([k]) => k === n)![1];
  return { accessid: OSS_AK, host: f.url, policy: v('policy'), signature: v('Signature'), expire: Math.floor(Date.now() / 1000) + 900, dir: 'uploads/' };
}

function cosShape(secret: string) {
  const f = signed({ provider: 'cos', bucket: 'examplebucket-1250000000', region: 'ap-beijing', accessKeyId: COS_AK, secret });
  return { url: f.url, ...obj(without(f.fields, 'key')) } as Record<string, string>;
}

const ENV = { AWS_SECRET_ACCESS_KEY: AWS_SECRET, OSS_ACCESS_KEY_SECRET: OSS_SECRET, COS_SECRET_KEY: COS_SECRET };

async function pf(path: string, extra: string[] = [], env: Record<string, string> = ENV) {
  const r = await cli(['preflight', '--signer-url', `${srv.url}${path}`, '--format', 'json', ...extra], { env });
  let doc: any = null;
  try {
    doc = JSON.parse(r.out);
  } catch {
    // not JSON: the assertions below show r
  }
  return {
    ...r,
    doc,
    ids: (doc?.check?.findings ?? []).map((f: any) => f.id) as string[],
    errors: (doc?.check?.findings ?? []).filter((f: any) => f.severity === 'error').map((f: any) => f.id) as string[],
  };
}

describe('preflight: correct signers pass', () => {
  test.each([
    ['/s3/sdk', 's3', 's3'],
    ['/s3/ok', 's3', 's3'],
    ['/oss/ok', 'oss', 'oss'],
    ['/oss/v4', 'oss', 'oss'],
    ['/cos/ok', 'cos', 'cos'],
    ['/cos/camel', 'cos', 'cos'],
  ])('%s', async (path, shape, provider) => {
    const r = await pf(path);
    expect(r.err).toBe('');
    expect(r.errors, JSON.stringify(r.doc?.check?.findings?.map((f: any) => [f.id, f.detail]))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.doc.schema).toBe('post-doctor/preflight@1');
    expect(r.doc.signer.shape).toBe(shape);
    expect(r.doc.check.provider).toBe(provider);
    expect(r.doc.check.signature.checked).toBe(true);
    expect(r.doc.check.signature.valid).toBe(true);
    // the generated file fits the policy
    const key = r.doc.upload.key as string;
    expect(key.startsWith('uploads/')).toBe(true);
    const policyField = r.doc.check.request.fields.find((f: string[]) => f[0]!.toLowerCase() === 'policy');
    expect(policyField).toBeDefined();
  });

  test('the SDK answer: size inside content-length-range, image type, key with ${filename}', async () => {
    const r = await pf('/s3/sdk');
    expect(r.doc.upload.size).toBeGreaterThanOrEqual(100);
    expect(r.doc.upload.size).toBeLessThanOrEqual(5000);
    expect(r.doc.upload.contentType).toMatch(/^image\//);
    expect(r.doc.upload.added).toContain('Content-Type');
    expect(r.doc.check.request.key).toBe('uploads/${filename}');
  });

  test('text output names the shape and the test file', async () => {
    const r = await cli(['preflight', '--signer-url', `${srv.url}/oss/ok`], { env: ENV });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/oss/);
    expect(r.out).toContain('uploads/post-doctor-preflight.txt');
    expect(r.out).not.toContain(OSS_SECRET);
  });
});

describe('preflight: signers wrong in the common ways', () => {
  test('clock: an expired policy', async () => {
    const r = await pf('/s3/clock');
    expect(r.code).toBe(1);
    expect(r.errors).toContain('time.expired');
  });

  test('region: credential region differs from the endpoint', async () => {
    const r = await pf('/s3/region');
    expect(r.code).toBe(1);
    expect(r.errors).toContain('s3.wrong-region');
  });

  test('missing condition: a field the policy does not cover (S3)', async () => {
    const r = await pf('/s3/uncovered-field');
    expect(r.code).toBe(1);
    expect(r.errors).toContain('s3.extra-input-field');
  });

  test('missing condition: q-sign-time absent from a COS policy', async () => {
    const r = await pf('/cos/no-sign-time');
    expect(r.code).toBe(1);
    expect(r.errors).toContain('cos.policy-required-condition-missing');
  });

  test.each(['/s3/wrong-secret', '/oss/wrong-secret', '/cos/wrong-secret'])('wrong secret: %s', async (path) => {
    const r = await pf(path);
    expect(r.code).toBe(1);
    expect(r.errors).toContain('signature.invalid');
    expect(r.out).not.toContain(WRONG);
    expect(r.out).not.toContain(AWS_SECRET);
  });

  test('without the secret the signature is not checked, and --fail-on never exits 0', async () => {
    const r = await pf('/s3/wrong-secret', [], {});
    expect(r.doc.check.signature.checked).toBe(false);
    expect(r.errors).not.toContain('signature.invalid');
    expect((await pf('/s3/clock', ['--fail-on', 'never'])).code).toBe(0);
  });
});

describe('preflight: signer access', () => {
  test('--method POST with --body and --header', async () => {
    const ok = await pf('/auth', ['--method', 'POST', '--body', '{"filename":"a.png"}', '--header', 'Authorization: Bearer t0ken']);
    expect(ok.code).toBe(0);
    const last = srv.requests.filter((x) => x.path === '/auth').at(-1)!;
    expect(last.headers['content-type']).toBe('application/json');
    const denied = await pf('/auth', ['--method', 'POST', '--body', '{"filename":"a.png"}']);
    expect(denied.code).toBe(2);
    expect(denied.err).toMatch(/401/);
  });

  test('--fields-path reads fields from a list of {name, value} and finds the URL above them', async () => {
    const r = await pf('/nested', ['--fields-path', 'payload.upload.form.items[0].list']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.doc.signer.shape).toBe('path');
    expect(r.doc.check.request.url).toBe('https://preflight-bucket.s3.eu-central-1.amazonaws.com/');
    const bad = await pf('/nested', ['--fields-path', 'payload.nothing.here']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('$.payload.nothing');
  });

  test('--signer-cmd runs a command and reads its stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-pf-'));
    const f = signed({ provider: 'cos', bucket: 'examplebucket-1250000000', region: 'ap-beijing', accessKeyId: COS_AK, secret: COS_SECRET });
    writeFileSync(join(dir, 'answer.json'), JSON.stringify({ url: f.url, ...obj(without(f.fields, 'key')) }));
    const r = await cli(['preflight', '--signer-cmd', `node -e "process.stdout.write(require('fs').readFileSync('answer.json','utf8'))"`, '--format', 'json'], {
      env: { ...ENV, PATH: process.env.PATH ?? '' },
      cwd: dir,
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).signer.source).toBe('command');
    const failing = await cli(['preflight', '--signer-cmd', 'echo nope >&2; exit 3'], { env: { PATH: process.env.PATH ?? '' }, cwd: dir });
    expect(failing.code).toBe(2);
    expect(failing.err).toMatch(/exited with 3: nope/);
  });

  test('bad signer answers and usage are exit 2; an unreachable signer is exit 3', async () => {
    expect((await pf('/broken')).code).toBe(2);
    const nj = await pf('/not-json');
    expect(nj.code).toBe(2);
    expect(nj.err).toMatch(/not JSON/);
    expect((await cli(['preflight'])).code).toBe(2);
    expect((await cli(['preflight', '--signer-url', `${srv.url}/s3/ok`, '--signer-cmd', 'true'])).code).toBe(2);
    const closed = await startServer({});
    const url = closed.url;
    await closed.close();
    expect((await cli(['preflight', '--signer-url', `${url}/x`])).code).toBe(3);
  });
});

describe('preflight --send', () => {
  test('sends the test upload to --endpoint; accepted → 0, refused → 1 with the explanation', async () => {
    const ok = await pf('/s3/ok', ['--send', '--endpoint', `${storage.url}/ok-bucket/`]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.doc.sent.status).toBe(204);
    expect(ok.doc.sent.accepted).toBe(true);
    expect(ok.doc.sent.agrees).toBe(true);
    const got = storage.requests.filter((x) => x.path === '/ok-bucket/').at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(got.body).toContain('name="x-amz-signature"');
    expect(got.body).toContain('filename="post-doctor-preflight');
    // the file part is last and has the generated size
    expect(got.body.lastIndexOf('name="file"')).toBeGreaterThan(got.body.lastIndexOf('name="policy"'));

    const denied = await pf('/s3/ok', ['--send', '--endpoint', `${storage.url}/denied-bucket/`]);
    expect(denied.code).toBe(1);
    expect(denied.doc.sent.accepted).toBe(false);
    expect(denied.doc.sent.code).toBe('AccessDenied');
    expect(denied.doc.sent.agrees).toBe(false);
    const gh = await cli(['preflight', '--signer-url', `${srv.url}/s3/ok`, '--send', '--endpoint', `${storage.url}/denied-bucket/`, '--format', 'github'], { env: ENV });
    expect(gh.code).toBe(1);
    expect(gh.out).toMatch(/^::error title=.*AccessDenied/m);
  });
});

describe('preflight: answer shapes and the fitting upload (unit)', () => {
  test('shapes', () => {
    expect(
      parseSignerAnswer(
        JSON.stringify({
          url: 'https://b.s3.amazonaws.com',
          fields: [
            ['key', 'k'],
            ['policy', 'p'],
          ],
        }),
      ).shape,
    ).toBe('s3');
    const oss = parseSignerAnswer(JSON.stringify({ accessid: 'LTAI', host: 'b.oss-cn-hangzhou.aliyuncs.com', policy: 'p', signature: 's', dir: 'd/', expire: 1, callback: 'cb' }));
    expect(oss).toMatchObject({ shape: 'oss', url: 'https://b.oss-cn-hangzhou.aliyuncs.com', dir: 'd/' });
    expect(oss.fields).toEqual([
      ['OSSAccessKeyId', 'LTAI'],
      ['policy', 'p'],
      ['Signature', 's'],
      ['callback', 'cb'],
    ]);
    const cos = parseSignerAnswer(JSON.stringify({ result: { bucket: 'b-1250000000', region: 'ap-guangzhou', policy: 'p', qAk: 'a', qKeyTime: '1;2', qSignature: 's', securityToken: 't' } }));
    expect(cos.url).toBe('https://b-1250000000.cos.ap-guangzhou.myqcloud.com/');
    expect(cos.fields).toEqual([
      ['policy', 'p'],
      ['q-ak', 'a'],
      ['q-key-time', '1;2'],
      ['q-signature', 's'],
      ['x-cos-security-token', 't'],
    ]);
    expect(cos.at).toBe('$.result');
    expect(() => parseSignerAnswer('{"hello": "world"}')).toThrow(expect.objectContaining({ where: expect.objectContaining({ option: 'fieldsPath' }) }));
  });

  test('fitting size, content type and key', () => {
    const pol = (conditions: unknown[]) => Buffer.from(JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions })).toString('base64');
    const p = (conds: unknown[]) => analysePolicy(pol(conds)).policy;
    expect(fittingSize(p([]))).toBe(1024);
    expect(fittingSize(p([['content-length-range', 10, 20]]))).toBe(15);
    expect(fittingSize(p([['content-length-range', 0, 5368709120]]))).toBeLessThanOrEqual(1024 * 1024);
    expect(fittingSize(p([['content-length-range', 2000000, 5368709120]]))).toBe(2000000);
    expect(contentTypeFor('image/')).toBe('image/png');
    expect(contentTypeFor('video')).toBe('video/mp4');
    expect(contentTypeFor('application/pd')).toBe('application/pdf');
    expect(contentTypeFor('text/markdown')).toBe('text/markdown');
    const u = buildPreflightUpload({
      shape: 'form',
      url: 'https://x',
      at: '$',
      fields: [['policy', pol([['starts-with', '$key', 'user/42/'], { 'Content-Type': 'application/pdf' }, { 'x-amz-meta-tag': 'v' }, { success_action_status: '201' }])]],
    });
    expect(u.key).toBe('user/42/post-doctor-preflight.pdf');
    expect(u.contentType).toBe('application/pdf');
    expect(u.added.sort()).toEqual(['Content-Type', 'key', 'success_action_status', 'x-amz-meta-tag']);
    const file = u.request.parts.at(-1)!;
    expect(file).toMatchObject({ kind: 'file', name: 'file', filename: 'post-doctor-preflight.pdf', contentType: 'application/pdf', size: 1024, source: { type: 'generated', size: 1024 } });
  });
});
