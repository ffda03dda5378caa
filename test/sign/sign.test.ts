import { describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { sign, signWalkThrough, compactDate, isFullMimeType, resolveScheme, type SignOptions, type SignedForm } from '../../src/sign/index.js';
import { cosSign } from '../../src/providers/cos/sign.js';
import { UsageError } from '../../src/core/errors.js';

// Independent primitives: the tests recompute every signature without the providers' code.
const sha1hex = (d: string | Buffer): string => createHash('sha1').update(d).digest('hex');
const hmac = (alg: 'sha1' | 'sha256', k: string | Buffer, m: string | Buffer): Buffer => createHmac(alg, k).update(m).digest();
const chain = (first: string, parts: string[]): Buffer => parts.reduce<Buffer | string>((k, p) => hmac('sha256', k, p), first) as Buffer;

const get = (f: SignedForm, name: string): string | undefined => f.fields.find(([k]) => k === name)?.[1];
const names = (f: SignedForm): string[] => f.fields.map(([k]) => k);
const decoded = (f: SignedForm): { expiration: string; conditions: unknown[] } => JSON.parse(Buffer.from(get(f, 'policy')!, 'base64').toString('utf8'));

// The worked example of the COS POST Object API page (seed 004).
const COS_SECRET = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const COS_AK = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const KEY_TIME = '1567150692;1567157892';
const DOC_POLICY =
  'ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9';

const cosDoc: SignOptions = {
  provider: 'cos',
  bucket: 'examplebucket-1250000000',
  region: 'ap-beijing',
  keyPrefix: 'folder/subfolder/',
  contentTypePrefix: 'image/',
  fields: [
    ['acl', 'default'],
    ['x-cos-server-side-encryption', 'AES256'],
  ],
  now: new Date(1567150692 * 1000),
  expiresAt: new Date(1567157892 * 1000),
  accessKeyId: COS_AK,
  secret: COS_SECRET,
};

describe('sign: COS', () => {
  it('cosSign gives the documented values for the documented policy', () => {
    const r = cosSign({ secretKey: COS_SECRET, keyTime: KEY_TIME, policyJson: Buffer.from(DOC_POLICY, 'base64') });
    expect(r.signKey).toBe('39acc8c9f34ba5b19bce4e965b370cd3f62d2fba');
    expect(r.stringToSign).toBe('d5d903b8360468bc81c1311f134989bc8c8b5b89');
    expect(r.signature).toBe('7758dc9a832e9d301dca704cacbf9d9f8172fdef');
  });

  it("reproduces the worked example's inputs with a self-consistent signature", () => {
    const f = sign(cosDoc);
    expect(f.url).toBe('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
    expect(f.method).toBe('POST');
    expect(get(f, 'q-key-time')).toBe(KEY_TIME);
    expect(get(f, 'q-ak')).toBe(COS_AK);
    expect(get(f, 'q-sign-algorithm')).toBe('sha1');
    // same SignKey as the document (it depends only on the secret and KeyTime)
    const signKey = createHmac('sha1', COS_SECRET).update(KEY_TIME).digest('hex');
    expect(signKey).toBe('39acc8c9f34ba5b19bce4e965b370cd3f62d2fba');
    const policyBytes = Buffer.from(get(f, 'policy')!, 'base64');
    expect(JSON.parse(policyBytes.toString('utf8'))).toEqual(f.policy);
    const expected = createHmac('sha1', signKey).update(sha1hex(policyBytes)).digest('hex');
    expect(get(f, 'q-signature')).toBe(expected);
    expect(f.scheme).toBe('cos-sha1');
    expect(signWalkThrough(cosDoc).steps.find((s) => s.name === 'SignKey')).toEqual({ name: 'SignKey', value: signKey, secret: true });
  });

  it('writes the documented policy conditions and field order', () => {
    const f = sign(cosDoc);
    const doc = decoded(f);
    expect(doc.expiration).toBe('2019-08-30T09:38:12.000Z');
    expect(doc.conditions).toEqual([
      { bucket: 'examplebucket-1250000000' },
      ['starts-with', '$key', 'folder/subfolder/'],
      ['starts-with', '$Content-Type', 'image/'],
      { acl: 'default' },
      { 'x-cos-server-side-encryption': 'AES256' },
      { 'q-sign-algorithm': 'sha1' },
      { 'q-ak': COS_AK },
      { 'q-sign-time': KEY_TIME },
    ]);
    expect(names(f)).toEqual(['key', 'Content-Type', 'acl', 'x-cos-server-side-encryption', 'policy', 'q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature']);
    expect(get(f, 'key')).toBe('folder/subfolder/${filename}');
    // "image/" is only a prefix: the user's form must send the real type
    expect(f.needs).toEqual([{ field: 'Content-Type', startsWith: 'image/' }]);
  });

  it('a token is a condition and the last field', () => {
    const f = sign({ ...cosDoc, token: 'tok"en/+=' });
    expect(names(f).at(-1)).toBe('x-cos-security-token');
    expect(get(f, 'x-cos-security-token')).toBe('tok"en/+=');
    expect(decoded(f).conditions).toContainEqual({ 'x-cos-security-token': 'tok"en/+=' });
  });

  it('refuses a bucket without APPID and a missing region', () => {
    expect(() => sign({ ...cosDoc, bucket: 'examplebucket' })).toThrow(UsageError);
    const { region: _r, ...noRegion } = cosDoc;
    expect(() => sign(noRegion)).toThrow(/region is required/);
  });
});

describe('sign: key conditions', () => {
  const base: SignOptions = { ...cosDoc, keyPrefix: undefined, contentTypePrefix: undefined, fields: [] };
  const keyCond = (o: Partial<SignOptions>): unknown => decoded(sign({ ...base, ...o })).conditions[1];

  it('exact key', () => expect(keyCond({ key: 'a/b.jpg' })).toEqual({ key: 'a/b.jpg' }));
  it('${filename}: starts-with the part before it', () => {
    expect(keyCond({ key: 'up/${filename}' })).toEqual(['starts-with', '$key', 'up/']);
    expect(keyCond({ key: 'up/x-${filename}.bin' })).toEqual(['starts-with', '$key', 'up/x-']);
  });
  it('prefix only: key is prefix + ${filename}', () => {
    const f = sign({ ...base, keyPrefix: 'p/' });
    expect(get(f, 'key')).toBe('p/${filename}');
    expect(decoded(f).conditions[1]).toEqual(['starts-with', '$key', 'p/']);
  });
  it('nothing given: any key', () => expect(keyCond({})).toEqual(['starts-with', '$key', '']));
  it('key and prefix: the key must start with the prefix', () => {
    expect(keyCond({ key: 'p/q.txt', keyPrefix: 'p/' })).toEqual(['starts-with', '$key', 'p/']);
    expect(() => sign({ ...base, key: 'q/q.txt', keyPrefix: 'p/' })).toThrow(UsageError);
  });
  it('content-length-range from the sizes', () => {
    expect(decoded(sign({ ...base, minSize: 1, maxSize: 100 })).conditions).toContainEqual(['content-length-range', 1, 100]);
    expect(decoded(sign({ ...base, maxSize: 100 })).conditions).toContainEqual(['content-length-range', 0, 100]);
    expect(decoded(sign({ ...base, minSize: 5 })).conditions).toContainEqual(['content-length-range', 5, 5 * 1024 ** 3]);
    expect(decoded(sign(base)).conditions.some((c) => Array.isArray(c) && c[0] === 'content-length-range')).toBe(false);
    expect(() => sign({ ...base, minSize: 10, maxSize: 1 })).toThrow(UsageError);
  });
  it('a full Content-Type is sent as it is and needs nothing', () => {
    const f = sign({ ...base, contentTypePrefix: 'image/png' });
    expect(get(f, 'Content-Type')).toBe('image/png');
    expect(f.needs).toEqual([]);
    expect(isFullMimeType('image/')).toBe(false);
    expect(isFullMimeType('text')).toBe(false);
  });
  it("extra fields may not replace the signer's own fields, nor repeat", () => {
    expect(() => sign({ ...base, fields: [['Policy', 'x']] })).toThrow(UsageError);
    expect(() => sign({ ...base, fields: [['q-ak', 'x']] })).toThrow(UsageError);
    expect(() =>
      sign({
        ...base,
        fields: [
          ['a', '1'],
          ['A', '2'],
        ],
      }),
    ).toThrow(UsageError);
    expect(() => sign({ ...base, contentTypePrefix: 'image/', fields: [['content-type', 'image/png']] })).toThrow(UsageError);
  });
  it('the expiry must be after now', () => {
    expect(() => sign({ ...base, expiresAt: base.now })).toThrow(UsageError);
  });
});

const NOW = new Date('2024-03-05T07:08:09.500Z');
const HOUR = (h: number): Date => new Date(NOW.getTime() + h * 3600_000);

describe('sign: OSS', () => {
  const oss: SignOptions = {
    provider: 'oss',
    bucket: 'examplebucket',
    region: 'cn-hangzhou',
    key: 'user/${filename}',
    now: NOW,
    expiresAt: HOUR(1),
    accessKeyId: 'LTAI5tExampleKeyId0001',
    secret: 'OssSecretExample0000000000000000',
    minSize: 0,
    maxSize: 1048576,
  };

  it('V4 by default: credential, date, conditions and hex signature', () => {
    const f = sign(oss);
    expect(f.url).toBe('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
    expect(f.scheme).toBe('oss-v4');
    expect(names(f)).toEqual(['key', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'policy', 'x-oss-signature']);
    expect(get(f, 'x-oss-credential')).toBe('LTAI5tExampleKeyId0001/20240305/cn-hangzhou/oss/aliyun_v4_request');
    expect(get(f, 'x-oss-date')).toBe('20240305T070809Z');
    const doc = decoded(f);
    expect(doc.expiration).toBe('2024-03-05T08:08:09.000Z');
    expect(doc.conditions).toEqual([
      { bucket: 'examplebucket' },
      ['starts-with', '$key', 'user/'],
      ['content-length-range', 0, 1048576],
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'LTAI5tExampleKeyId0001/20240305/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20240305T070809Z' },
    ]);
    const key = chain(`aliyun_v4${oss.secret}`, ['20240305', 'cn-hangzhou', 'oss', 'aliyun_v4_request']);
    expect(get(f, 'x-oss-signature')).toBe(hmac('sha256', key, get(f, 'policy')!).toString('hex'));
  });

  it('accepts the region with its "oss-" prefix', () => {
    const f = sign({ ...oss, region: 'oss-cn-hangzhou' });
    expect(f.url).toBe('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
    expect(get(f, 'x-oss-credential')).toContain('/cn-hangzhou/oss/');
  });

  it('V4 with a token: condition and field', () => {
    const f = sign({ ...oss, accessKeyId: 'STS.NexampleKey', token: 'CAIS-token' });
    expect(get(f, 'x-oss-security-token')).toBe('CAIS-token');
    expect(decoded(f).conditions).toContainEqual({ 'x-oss-security-token': 'CAIS-token' });
    expect(names(f).slice(-2)).toEqual(['policy', 'x-oss-signature']);
  });

  it('V1: OSSAccessKeyId, policy, base64 Signature, token last', () => {
    const f = sign({ ...oss, signatureVersion: 'v1', token: 'tok' });
    expect(f.scheme).toBe('oss-v1');
    expect(names(f)).toEqual(['key', 'OSSAccessKeyId', 'policy', 'Signature', 'x-oss-security-token']);
    expect(get(f, 'Signature')).toBe(hmac('sha1', oss.secret, get(f, 'policy')!).toString('base64'));
  });

  it('V4 validity is at most 7 days; V1 is not limited', () => {
    expect(() => sign({ ...oss, expiresAt: HOUR(24 * 7 + 1) })).toThrow(/7 days/);
    expect(() => sign({ ...oss, expiresAt: HOUR(24 * 7) })).not.toThrow();
    expect(() => sign({ ...oss, signatureVersion: 'v1', expiresAt: HOUR(24 * 30) })).not.toThrow();
  });

  it('refuses keys and fields OSS would refuse', () => {
    expect(() => sign({ ...oss, key: '/abs' })).toThrow(UsageError);
    expect(() => sign({ ...oss, bucket: 'Bad_Bucket' })).toThrow(UsageError);
    expect(() => sign({ ...oss, fields: [['x-oss-meta-big', 'x'.repeat(5000)]] })).toThrow(/4096/);
  });
});

describe('sign: S3', () => {
  const s3: SignOptions = {
    provider: 's3',
    bucket: 'my-bucket',
    region: 'eu-central-1',
    keyPrefix: 'uploads/',
    contentTypePrefix: 'image/',
    fields: [['success_action_status', '201']],
    now: NOW,
    expiresAt: HOUR(2),
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    token: 'FwoGZXIvYXdzE//token',
  };

  it('SigV4: every field is covered by a condition', () => {
    const f = sign(s3);
    expect(f.url).toBe('https://my-bucket.s3.eu-central-1.amazonaws.com/');
    expect(f.scheme).toBe('s3-v4');
    expect(names(f)).toEqual(['key', 'Content-Type', 'success_action_status', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-security-token', 'policy', 'x-amz-signature']);
    const conds = decoded(f).conditions;
    expect(conds[0]).toEqual({ bucket: 'my-bucket' });
    const covered = new Set(conds.map((c) => (Array.isArray(c) ? String(c[1]).replace(/^\$/, '') : Object.keys(c as object)[0]!).toLowerCase()));
    for (const n of names(f)) {
      if (['policy', 'x-amz-signature'].includes(n)) continue;
      expect(covered.has(n.toLowerCase()), n).toBe(true);
    }
    expect(get(f, 'x-amz-credential')).toBe('AKIAIOSFODNN7EXAMPLE/20240305/eu-central-1/s3/aws4_request');
    expect(conds).toContainEqual({ 'x-amz-date': '20240305T070809Z' });
    const key = chain(`AWS4${s3.secret}`, ['20240305', 'eu-central-1', 's3', 'aws4_request']);
    expect(get(f, 'x-amz-signature')).toBe(hmac('sha256', key, get(f, 'policy')!).toString('hex'));
  });

  it('SigV2: AWSAccessKeyId and a base64 HMAC-SHA1 signature', () => {
    const f = sign({ ...s3, signatureVersion: 'v2' });
    expect(names(f)).toEqual(['key', 'Content-Type', 'success_action_status', 'AWSAccessKeyId', 'x-amz-security-token', 'policy', 'signature']);
    expect(get(f, 'signature')).toBe(hmac('sha1', s3.secret, get(f, 'policy')!).toString('base64'));
    expect(decoded(f).conditions).toContainEqual({ 'x-amz-security-token': s3.token });
  });

  it('--endpoint replaces the URL; the region then defaults to us-east-1', () => {
    const { region: _r, ...rest } = s3;
    const f = sign({ ...rest, endpoint: 'http://localhost:9000/my-bucket' });
    expect(f.url).toBe('http://localhost:9000/my-bucket');
    expect(get(f, 'x-amz-credential')).toContain('/us-east-1/s3/');
    expect(() => sign(rest)).toThrow(/region is required/);
    expect(() => sign({ ...s3, endpoint: 'not a url' })).toThrow(UsageError);
  });

  it('signature versions', () => {
    expect(resolveScheme('s3', undefined)).toBe('s3-v4');
    expect(resolveScheme('s3', 'V2')).toBe('s3-v2');
    expect(resolveScheme('oss', '1')).toBe('oss-v1');
    expect(() => resolveScheme('s3', 'v3')).toThrow(UsageError);
    expect(() => resolveScheme('cos', 'v4')).toThrow(UsageError);
  });
});

describe('sign: GCS', () => {
  const gcs: SignOptions = {
    provider: 'gcs',
    bucket: 'travel-maps',
    key: 'maps/${filename}',
    now: NOW,
    expiresAt: HOUR(10),
    accessKeyId: 'GOOG1EXAMPLEHMACKEYID',
    secret: 'gcsHmacSecretExample0000000000000000000',
    maxSize: 1000,
  };

  it('V4 HMAC: goog fields, auto region, policy references every field', () => {
    const f = sign(gcs);
    expect(f.url).toBe('https://storage.googleapis.com/travel-maps');
    expect(f.scheme).toBe('gcs-hmac');
    expect(names(f)).toEqual(['key', 'x-goog-algorithm', 'x-goog-credential', 'x-goog-date', 'policy', 'x-goog-signature']);
    expect(get(f, 'x-goog-credential')).toBe('GOOG1EXAMPLEHMACKEYID/20240305/auto/storage/goog4_request');
    expect(get(f, 'x-goog-algorithm')).toBe('GOOG4-HMAC-SHA256');
    const doc = decoded(f);
    expect(doc.expiration).toBe('2024-03-05T17:08:09Z');
    expect(doc.conditions).toEqual([
      { bucket: 'travel-maps' },
      ['starts-with', '$key', 'maps/'],
      ['content-length-range', 0, 1000],
      { 'x-goog-algorithm': 'GOOG4-HMAC-SHA256' },
      { 'x-goog-credential': 'GOOG1EXAMPLEHMACKEYID/20240305/auto/storage/goog4_request' },
      { 'x-goog-date': '20240305T070809Z' },
    ]);
    const key = chain(`GOOG4${gcs.secret}`, ['20240305', 'auto', 'storage', 'goog4_request']);
    expect(get(f, 'x-goog-signature')).toBe(hmac('sha256', key, get(f, 'policy')!).toString('hex'));
  });

  it('at most 7 days, and no token', () => {
    expect(() => sign({ ...gcs, expiresAt: HOUR(24 * 7 + 1) })).toThrow(UsageError);
    expect(() => sign({ ...gcs, token: 't' })).toThrow(UsageError);
  });
});

describe('sign: helpers', () => {
  it('compactDate', () => expect(compactDate(new Date('2015-12-29T00:00:00.999Z'))).toBe('20151229T000000Z'));
  it('the policy field decodes to the policy returned', () => {
    const f = sign(cosDoc);
    expect(JSON.parse(Buffer.from(get(f, 'policy')!, 'base64').toString('utf8'))).toEqual(f.policy);
  });
});
