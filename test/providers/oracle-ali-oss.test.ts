// Oracle: Alibaba's own SDK (ali-oss) signs PostObject policies, V1 (calculatePostSignature) and
// V4 (signPostObjectPolicyV4); our OSS verifier must agree and refuse tampered forms. Local only.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/providers/oss/sign.js';
import { makeContext, makeRequest } from './helpers.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OSS = require('ali-oss') as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { policy2Str } = require('ali-oss/lib/common/utils/policy2Str.js') as { policy2Str: (p: unknown) => string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const signUtils = require('ali-oss/lib/common/signUtils.js') as any;

const AK = 'LTAI5tOracleExample';
const SECRET = 'OracleSecret0123456789abcdefABCD';
const URL = 'https://oracle-bucket.oss-cn-hangzhou.aliyuncs.com';
const client = (secret = SECRET) => new OSS({ region: 'oss-cn-hangzhou', accessKeyId: AK, accessKeySecret: secret, bucket: 'oracle-bucket' });

type Rep = ReturnType<typeof verifySignature> & { facts: Record<string, any> };
const check = (fields: Array<[string, string]>, secret = SECRET) => verifySignature(makeContext(makeRequest(URL, fields), secret)) as Rep;

describe('oracle: ali-oss calculatePostSignature (V1)', () => {
  const policy = {
    expiration: '2030-01-01T00:00:00.000Z',
    conditions: [
      ['content-length-range', 0, 1048576],
      ['starts-with', '$key', 'user/'],
    ],
  };
  it('verifies; tampered policy and wrong secret do not', () => {
    const r = client().calculatePostSignature(policy) as { OSSAccessKeyId: string; Signature: string; policy: string };
    const form = (p = r.policy, sig = r.Signature): Array<[string, string]> => [
      ['key', 'user/a.png'],
      ['OSSAccessKeyId', r.OSSAccessKeyId],
      ['policy', p],
      ['Signature', sig],
    ];
    expect(check(form())).toMatchObject({ scheme: 'oss-v1', valid: true, expected: r.Signature });
    const tampered = Buffer.from(JSON.stringify({ ...policy, expiration: '2031-01-01T00:00:00.000Z' })).toString('base64');
    expect(check(form(tampered))).toMatchObject({ valid: false, mistake: null });
    expect(check(form(), 'SomeOtherSecret0123456789abcdef')).toMatchObject({ valid: false, mistake: null });
    // ali-oss trims the secret it is given, so the whitespace can only be on our side: a secret
    // file with a final newline must be named as such, not as an unknown mismatch.
    const rep = check(form(), `${SECRET}\n`);
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trimmed' });
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
  });
});

describe('oracle: ali-oss signPostObjectPolicyV4 (V4)', () => {
  it('verifies, with the SDK credential scope', () => {
    const date = new Date('2024-05-30T08:30:00Z');
    const credential = signUtils.getCredential('20240530', 'cn-hangzhou', AK) as string;
    expect(credential).toBe(`${AK}/20240530/cn-hangzhou/oss/aliyun_v4_request`);
    const policy = {
      expiration: '2024-05-31T00:00:00.000Z',
      conditions: [
        { bucket: 'oracle-bucket' },
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        { 'x-oss-credential': credential },
        { 'x-oss-date': '20240530T083000Z' },
        ['content-length-range', 1, 1048576],
      ],
    };
    const signature = client().signPostObjectPolicyV4(policy, date) as string;
    const policyBase64 = Buffer.from(policy2Str(policy), 'utf8').toString('base64');
    const form = (p = policyBase64): Array<[string, string]> => [
      ['key', 'user/a.png'],
      ['policy', p],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', credential],
      ['x-oss-date', '20240530T083000Z'],
      ['x-oss-signature', signature],
    ];
    expect(check(form())).toMatchObject({ scheme: 'oss-v4', valid: true, expected: signature });
    const tampered = Buffer.from(policy2Str({ ...policy, expiration: '2024-06-01T00:00:00.000Z' })).toString('base64');
    expect(check(form(tampered))).toMatchObject({ valid: false, mistake: null });
    expect(check(form(), 'SomeOtherSecret0123456789abcdef')).toMatchObject({ valid: false, mistake: null });
  });
  it('made no network request', () => {
    expect(network.attempts()).toBe(0);
  });
});
