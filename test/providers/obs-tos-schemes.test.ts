// The Huawei OBS and Volcengine TOS scheme descriptions (src/providers/schemes/{obs,tos}.ts),
// with the official SDKs as oracles: esdk-obs-nodejs (createPostSignatureSync,
// createV4PostSignatureSync) and @volcengine/tos-sdk (preSignedPostSignature). Only the SDKs'
// local signing helpers are called, never a request method; the network guard counts any socket,
// look-up or fetch. The clock is fixed so the SDKs' policies are known answers.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findMistake } from '../../src/crypto/search.js';
import { OBS_NATIVE, OBS_S3_V2, OBS_S3_V4, obsHostRegion } from '../../src/providers/schemes/obs.js';
import { PROVIDER_SCHEMES, SCHEMES } from '../../src/providers/schemes/index.js';
import { S3_V2, S3_V4 } from '../../src/providers/schemes/s3.js';
import { TOS_ALGORITHM, TOS_V4, tosHostRegion } from '../../src/providers/schemes/tos.js';
import type { SigningScheme } from '../../src/providers/schemes/types.js';
import type { FieldReader } from '../../src/providers/schemes/types.js';
import { b64, makeContext, makeRequest } from './helpers.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();

const require = createRequire(import.meta.url);
const ObsClient = require('esdk-obs-nodejs') as new (o: Record<string, unknown>) => any;
const { TosClient } = require('@volcengine/tos-sdk') as { TosClient: new (o: Record<string, unknown>) => any };

// The SDKs read the clock; only Date is faked (the OBS client finishes its set-up on a later tick).
const NOW = new Date('2030-01-01T00:00:00Z');
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

type Rep = ReturnType<SigningScheme['verify']> & { facts: Record<string, any> };
type Scheme = SigningScheme;
const check = (s: Scheme, url: string, fields: Array<[string, string]>, secret: string) => s.verify(makeContext(makeRequest(url, fields), secret, NOW)) as Rep;
const reader =
  (fields: Record<string, string>): FieldReader =>
  (name) =>
    Object.entries(fields).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const signOf = (s: Scheme, secret: string, policyBase64: string, fields: Record<string, string> = {}) =>
  s.sign({ secret, policy: { base64: policyBase64, bytes: Buffer.from(policyBase64, 'base64') }, field: reader(fields) }).signature;

// Independent primitives for the deliberately wrong signatures.
const h1 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha1', k).update(m).digest();
const h256 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha256', k).update(m).digest();
function chainSign(prefix: string, secret: string, date: string, region: string, service: string, terminator: string, msg: string): string {
  return h256(h256(h256(h256(h256(prefix + secret, date), region), service), terminator), msg).toString('hex');
}

// ---------------------------------------------------------------------------
// Huawei Cloud OBS

const OBS_AK = 'OBSACCESSKEYEXAMPLE0';
const OBS_SK = 'OBSSECRETEXAMPLEKEY000000000000000000000';
const OBS_URL = 'https://examplebucket.obs.cn-north-4.myhuaweicloud.com';

async function obsClient(o: Record<string, unknown> = {}): Promise<any> {
  const c = new ObsClient({ access_key_id: OBS_AK, secret_access_key: OBS_SK, server: 'https://obs.cn-north-4.myhuaweicloud.com', ...o });
  // initFactory is async (it awaits refresh()): the signature context is set a tick later
  await new Promise((r) => setImmediate(r));
  return c;
}

// Self-computed in docs/research/obs-tos.md (Node crypto, not an official vector); the SDK writes
// exactly this policy text at 2030-01-01T00:00:00Z with Expires 3600.
const OBS_VECTOR_JSON = '{"expiration":"2030-01-01T01:00:00Z", "conditions":[{"bucket":"examplebucket"},{"key":"uploads/a.txt"},{"x-obs-acl":"private"}]}';
const OBS_VECTOR_POLICY =
  'eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMTowMDowMFoiLCAiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsia2V5IjoidXBsb2Fkcy9hLnR4dCJ9LHsieC1vYnMtYWNsIjoicHJpdmF0ZSJ9XX0=';
const OBS_VECTOR_SIGNATURE = '/09r/2fMGRfAx1gQTr2K395/9ng=';

describe('OBS descriptions', () => {
  it('carry the future ids and provider, and reuse S3 SigV2 / SigV4 names and chain for the S3-compatible forms', () => {
    expect(PROVIDER_SCHEMES.obs.schemes.map((id) => [SCHEMES[id].id, SCHEMES[id].provider])).toEqual([
      ['obs-s3-v4', 'obs'],
      ['obs-s3-v2', 'obs'],
      ['obs-native', 'obs'],
    ]);
    expect(OBS_NATIVE.fields).toEqual({ policy: 'policy', signature: 'signature', accessKeyId: 'AccessKeyId', token: 'x-obs-security-token' });
    expect(OBS_S3_V2.fields).toEqual(S3_V2.fields);
    expect(OBS_S3_V4.fields).toEqual(S3_V4.fields);
    expect(OBS_S3_V4.chain).toEqual(S3_V4.chain);
    expect(OBS_S3_V4.algorithm).toBe(S3_V4.algorithm);
    expect(OBS_S3_V4.credential?.pattern).toBe('<AK>/<yyyymmdd>/<region>/s3/aws4_request');
    expect(OBS_NATIVE.layout).toEqual({ fields: ['accessKeyId', 'token', 'policy', 'signature'], pinned: ['token'] });
  });

  it('host regions', () => {
    expect(obsHostRegion('examplebucket.obs.cn-north-4.myhuaweicloud.com')).toBe('cn-north-4');
    expect(obsHostRegion('obs.eu-west-101.myhuaweicloud.eu')).toBe('eu-west-101');
    expect(obsHostRegion('obs.eu-de.otc.t-systems.com')).toBe('eu-de');
    expect(obsHostRegion('examplebucket.s3.amazonaws.com')).toBeNull();
  });

  it('known answer (self-computed vector of docs/research/obs-tos.md), and the SDK writes that very policy', async () => {
    expect(b64(OBS_VECTOR_JSON)).toBe(OBS_VECTOR_POLICY);
    expect(signOf(OBS_NATIVE, OBS_SK, OBS_VECTOR_POLICY)).toBe(OBS_VECTOR_SIGNATURE);
    const r = (await obsClient()).createPostSignatureSync({
      Bucket: 'examplebucket',
      Key: 'uploads/a.txt',
      Expires: 3600,
      FormParams: { bucket: 'examplebucket', key: 'uploads/a.txt', 'x-obs-acl': 'private' },
    });
    expect(r).toEqual({ OriginPolicy: OBS_VECTOR_JSON, Policy: OBS_VECTOR_POLICY, Signature: OBS_VECTOR_SIGNATURE, Token: `${OBS_AK}:${OBS_VECTOR_SIGNATURE}:${OBS_VECTOR_POLICY}` });
  });
});

describe('oracle: esdk-obs-nodejs createPostSignatureSync (native OBS form)', () => {
  it('sign() gives the SDK signature; verify() accepts the SDK form and refuses tampered ones', async () => {
    const r = (await obsClient()).createPostSignatureSync({
      Bucket: 'examplebucket',
      Key: 'uploads/b.png',
      Expires: 600,
      FormParams: { 'x-obs-acl': 'public-read', 'content-type': 'image/png' },
    }) as { OriginPolicy: string; Policy: string; Signature: string; Token: string };
    // 3.26.8 strips the trailing comma of this helper's policy ("Fix the policy error issue")
    expect(JSON.parse(r.OriginPolicy)).toEqual({
      expiration: '2030-01-01T00:10:00Z',
      conditions: [{ 'x-obs-acl': 'public-read' }, { 'content-type': 'image/png' }, { bucket: 'examplebucket' }, { key: 'uploads/b.png' }],
    });
    expect(Buffer.from(r.Policy, 'base64').toString('utf8')).toBe(r.OriginPolicy);
    expect(signOf(OBS_NATIVE, OBS_SK, r.Policy)).toBe(r.Signature);
    expect(r.Token).toBe(`${OBS_AK}:${r.Signature}:${r.Policy}`);

    const form = (policy = r.Policy, sig = r.Signature, akName = 'AccessKeyId'): Array<[string, string]> => [
      ['key', 'uploads/b.png'],
      ['x-obs-acl', 'public-read'],
      ['content-type', 'image/png'],
      ['policy', policy],
      [akName, OBS_AK],
      ['signature', sig],
    ];
    const rep = check(OBS_NATIVE, OBS_URL, form(), OBS_SK);
    expect(rep).toMatchObject({ scheme: 'obs-native', checked: true, valid: true, expected: r.Signature, provided: r.Signature, mistake: null });
    expect(rep.steps).toEqual([
      { name: 'StringToSign', value: r.Policy },
      { name: 'Signature', value: r.Signature },
    ]);
    // the SDK's sample posts "Accesskeyid": names are matched in any case
    expect(check(OBS_NATIVE, OBS_URL, form(r.Policy, r.Signature, 'Accesskeyid'), OBS_SK).valid).toBe(true);
    const tampered = b64(r.OriginPolicy.replace('2030-01-01T00:10:00Z', '2031-01-01T00:10:00Z'));
    expect(check(OBS_NATIVE, OBS_URL, form(tampered), OBS_SK)).toMatchObject({ valid: false, mistake: null });
    expect(check(OBS_NATIVE, OBS_URL, form(), 'AnotherSecretKey000000000000000000000000')).toMatchObject({ valid: false, mistake: null });
    expect(check(OBS_NATIVE, OBS_URL, form().slice(0, 5), OBS_SK)).toMatchObject({ checked: false, reason: 'signature.fields-missing' });
  });

  it('temporary credentials: the SDK pins x-obs-security-token, as the description says', async () => {
    const r = (await obsClient({ security_token: 'obs-sts-token' })).createPostSignatureSync({ Bucket: 'examplebucket', Key: 'k.txt', Expires: 60 });
    const conditions = JSON.parse(Buffer.from(r.Policy, 'base64').toString('utf8')).conditions as unknown[];
    expect(conditions).toContainEqual({ [OBS_NATIVE.fields.token as string]: 'obs-sts-token' });
    const form: Array<[string, string]> = [
      ['key', 'k.txt'],
      ['AccessKeyId', OBS_AK],
      ['x-obs-security-token', 'obs-sts-token'],
      ['policy', r.Policy],
      ['signature', r.Signature],
    ];
    expect(check(OBS_NATIVE, OBS_URL, form, OBS_SK)).toMatchObject({ scheme: 'obs-native', valid: true });
  });

  it("S3-compatible V2 (client signature 'v2'): x-amz-* names, the same signature", async () => {
    const r = (await obsClient({ signature: 'v2', security_token: 'obs-sts-token' })).createPostSignatureSync({
      Bucket: 'examplebucket',
      Key: 'k.txt',
      Expires: 60,
      FormParams: { 'x-amz-acl': 'private' },
    });
    const conditions = JSON.parse(Buffer.from(r.Policy, 'base64').toString('utf8')).conditions as unknown[];
    expect(conditions).toContainEqual({ 'x-amz-acl': 'private' });
    expect(conditions).toContainEqual({ [OBS_S3_V2.fields.token as string]: 'obs-sts-token' });
    const form: Array<[string, string]> = [
      ['key', 'k.txt'],
      ['x-amz-acl', 'private'],
      ['AWSAccessKeyId', OBS_AK],
      ['x-amz-security-token', 'obs-sts-token'],
      ['policy', r.Policy],
      ['signature', r.Signature],
    ];
    expect(check(OBS_S3_V2, OBS_URL, form, OBS_SK)).toMatchObject({ scheme: 'obs-s3-v2', valid: true, expected: r.Signature });
    expect(signOf(OBS_S3_V2, OBS_SK, r.Policy)).toBe(r.Signature);
  });

  it('mistakes are named as for OSS V1 / S3 SigV2', () => {
    const form = (sig: string): Array<[string, string]> => [
      ['key', 'uploads/a.txt'],
      ['AccessKeyId', OBS_AK],
      ['policy', OBS_VECTOR_POLICY],
      ['signature', sig],
    ];
    const mistake = (sig: string) => check(OBS_NATIVE, OBS_URL, form(sig), OBS_SK).mistake;
    expect(mistake(h1(OBS_SK, OBS_VECTOR_POLICY).toString('hex'))).toBe('signature.mistake.hex-output');
    expect(mistake(h1(OBS_SK, OBS_VECTOR_JSON).toString('base64'))).toBe('signature.mistake.signed-json');
    expect(mistake(h256(OBS_SK, OBS_VECTOR_POLICY).toString('base64'))).toBe('signature.mistake.sha256');
    expect(mistake(h1(`${OBS_SK}\n`, OBS_VECTOR_POLICY).toString('base64'))).toBe('signature.mistake.secret-whitespace');
  });
});

describe('oracle: esdk-obs-nodejs createV4PostSignatureSync (S3-compatible SigV4)', () => {
  const region = 'cn-north-4';
  const sdkV4 = async (o: Record<string, unknown> = { signature: 'v4' }) =>
    (await obsClient({ region, ...o })).createV4PostSignatureSync({ Bucket: 'examplebucket', Key: 'uploads/c.txt', Expires: 3600, FormParams: { 'content-type': 'text/plain' } }) as {
      OriginPolicy: string;
      Policy: string;
      Algorithm: string;
      Credential: string;
      Date: string;
      Signature: string;
    };
  const form = (r: { Policy: string; Algorithm: string; Credential: string; Date: string }, sig: string, policy = r.Policy): Array<[string, string]> => [
    ['key', 'uploads/c.txt'],
    ['content-type', 'text/plain'],
    ['x-amz-algorithm', r.Algorithm],
    ['x-amz-credential', r.Credential],
    ['x-amz-date', r.Date],
    ['policy', policy],
    ['x-amz-signature', sig],
  ];

  it('verifies the SDK signature over its policy, which is not valid JSON (known quirk: it ends ",]}")', async () => {
    const r = await sdkV4();
    // Known fact of esdk-obs-nodejs 3.26.8: this helper still pushes "]}" after the last comma.
    expect(r.OriginPolicy.endsWith(',]}')).toBe(true);
    expect(() => JSON.parse(r.OriginPolicy)).toThrow(SyntaxError);
    expect(Buffer.from(r.Policy, 'base64').toString('utf8')).toBe(r.OriginPolicy);
    expect(r.OriginPolicy).toBe(
      `{"expiration":"2030-01-01T01:00:00Z", "conditions":[{"content-type":"text/plain"},{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-date":"20300101T000000Z"},{"x-amz-credential":"${OBS_AK}/20300101/cn-north-4/s3/aws4_request"},{"bucket":"examplebucket"},{"key":"uploads/c.txt"},]}`,
    );
    expect(r).toMatchObject({ Algorithm: OBS_S3_V4.algorithm, Date: '20300101T000000Z', Credential: OBS_S3_V4.credential?.format(OBS_AK, '20300101', region) });
    expect(OBS_S3_V4.credential?.parse(r.Credential)).toEqual({ accessKeyId: OBS_AK, date: r.Date.slice(0, 8), region, service: 's3', terminator: 'aws4_request' });
    expect(OBS_S3_V4.time?.format(NOW)).toBe(r.Date);

    // the signature is over the base64 text as sent, whatever it decodes to
    expect(signOf(OBS_S3_V4, OBS_SK, r.Policy, { 'x-amz-credential': r.Credential })).toBe(r.Signature);
    const rep = check(OBS_S3_V4, OBS_URL, form(r, r.Signature), OBS_SK);
    expect(rep).toMatchObject({ scheme: 'obs-s3-v4', checked: true, valid: true, expected: r.Signature, mistake: null });
    expect(rep.facts).toMatchObject({ region, service: 's3', terminator: 'aws4_request', endpointRegion: region, algorithm: 'AWS4-HMAC-SHA256', amzDate: r.Date });
    expect(rep.facts.regionMismatch).toBeUndefined();
    expect(rep.steps.map((s) => s.name)).toEqual(['date', 'region', 'service', 'scope', 'DateKey', 'RegionKey', 'ServiceKey', 'SigningKey', 'StringToSign', 'Signature']);

    const tampered = b64(r.OriginPolicy.replace(',]}', ']}'));
    expect(check(OBS_S3_V4, OBS_URL, form(r, r.Signature, tampered), OBS_SK)).toMatchObject({ valid: false, mistake: null });
    expect(check(OBS_S3_V4, OBS_URL, form(r, r.Signature), 'AnotherSecretKey000000000000000000000000')).toMatchObject({ valid: false, mistake: null });
  });

  it("on a client left at signature 'obs', the helper does not pin the x-amz-* fields (prefix x-obs-); the signature is the same", async () => {
    const r = await sdkV4({});
    expect(r.OriginPolicy).not.toContain('x-amz-');
    expect(r.OriginPolicy.endsWith(',]}')).toBe(true);
    expect(check(OBS_S3_V4, OBS_URL, form(r, r.Signature), OBS_SK)).toMatchObject({ valid: true });
  });

  it('mistakes: the AWS4 prefix left out, another region', async () => {
    const r = await sdkV4();
    const noPrefix = chainSign('', OBS_SK, '20300101', region, 's3', 'aws4_request', r.Policy);
    const rep = check(OBS_S3_V4, OBS_URL, form(r, noPrefix), OBS_SK);
    expect(rep.mistake).toBe('signature.mistake.v4-prefix-missing');
    expect(rep.facts.mistakeFacts).toEqual({ prefix: 'AWS4' });
    const otherRegion = chainSign('AWS4', OBS_SK, '20300101', 'ap-southeast-1', 's3', 'aws4_request', r.Policy);
    const rep2 = check(OBS_S3_V4, OBS_URL, form(r, otherRegion), OBS_SK);
    expect(rep2.mistake).toBe('signature.mistake.wrong-region');
    expect(rep2.facts.mistakeFacts).toEqual({ signedRegion: 'ap-southeast-1', credentialRegion: region, source: 'other-region' });
  });
});

// ---------------------------------------------------------------------------
// Volcengine TOS

const TOS_AK = 'AKLTEXAMPLE';
const TOS_SK = 'TOSSECRETEXAMPLEKEY0000000000000000';
const TOS_URL = 'https://examplebucket.tos-cn-beijing.volces.com';
const tosClient = (o: Record<string, unknown> = {}) => new TosClient({ accessKeyId: TOS_AK, accessKeySecret: TOS_SK, region: 'cn-beijing', endpoint: 'tos-cn-beijing.volces.com', ...o });

// Self-computed in docs/research/obs-tos.md (Node crypto, not an official vector); the SDK writes
// exactly this policy at 2030-01-01T00:00:00Z with expiresIn 3600 and no conditions of its caller.
const TOS_VECTOR_JSON =
  '{"expiration":"2030-01-01T01:00:00.000Z","conditions":[{"bucket":"examplebucket"},{"key":"uploads/a.txt"},{"x-tos-algorithm":"TOS4-HMAC-SHA256"},{"x-tos-date":"20300101T000000Z"},{"x-tos-credential":"AKLTEXAMPLE/20300101/cn-beijing/tos/request"}]}';
const TOS_VECTOR_SIGNATURE = '438eafdbb3927aff4e46bc5b0d5590e6ee9972608693d29621196ab6f8664ab4';
const TOS_CREDENTIAL = 'AKLTEXAMPLE/20300101/cn-beijing/tos/request';

const tosForm = (fields: Record<string, unknown>, over: Record<string, string> = {}): Array<[string, string]> => Object.entries({ ...fields, ...over }).map(([k, v]) => [k, String(v)]);

describe('TOS description', () => {
  it('fields, chain and credential format', () => {
    expect([TOS_V4.id, TOS_V4.provider, TOS_V4.algorithm]).toEqual(['tos-v4', 'tos', TOS_ALGORITHM]);
    expect(TOS_V4.chain).toEqual({ keyPrefix: '', service: 'tos', terminator: 'request' });
    expect(TOS_V4.credential?.pattern).toBe('<AK>/<yyyymmdd>/<region>/tos/request');
    expect(TOS_V4.credential?.format(TOS_AK, '20300101', 'cn-beijing')).toBe(TOS_CREDENTIAL);
    expect(TOS_V4.layout.pinned).toEqual(['algorithm', 'credential', 'date', 'token']);
    expect(tosHostRegion('examplebucket.tos-cn-beijing.volces.com')).toBe('cn-beijing');
    expect(tosHostRegion('examplebucket.tos-s3-ap-southeast-1.ivolces.com')).toBe('ap-southeast-1');
    expect(tosHostRegion('examplebucket.obs.cn-north-4.myhuaweicloud.com')).toBeNull();
  });

  it('known answer (self-computed vector of docs/research/obs-tos.md), and the SDK reproduces it', async () => {
    const policy = b64(TOS_VECTOR_JSON);
    expect(signOf(TOS_V4, TOS_SK, policy, { 'x-tos-credential': TOS_CREDENTIAL })).toBe(TOS_VECTOR_SIGNATURE);
    const f = await tosClient().preSignedPostSignature({ bucket: 'examplebucket', key: 'uploads/a.txt', expiresIn: 3600 });
    expect(f).toEqual({
      key: 'uploads/a.txt',
      'x-tos-algorithm': TOS_ALGORITHM,
      'x-tos-date': '20300101T000000Z',
      'x-tos-credential': TOS_CREDENTIAL,
      policy,
      'x-tos-signature': TOS_VECTOR_SIGNATURE,
    });
  });
});

describe('oracle: @volcengine/tos-sdk preSignedPostSignature', () => {
  const input = {
    bucket: 'examplebucket',
    key: 'uploads/d.png',
    expiresIn: 900,
    conditions: [
      ['content-length-range', 1, 1048576],
      ['starts-with', '$Content-Type', 'image/'],
    ],
  };

  it('verify() accepts the SDK form, sign() reproduces its signature, the credential parses to its date and region', async () => {
    const f = (await tosClient().preSignedPostSignature(input)) as Record<string, string>;
    expect(Object.keys(f)).toEqual(['key', 'x-tos-algorithm', 'x-tos-date', 'x-tos-credential', 'policy', 'x-tos-signature']);
    expect(f['x-tos-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(TOS_V4.credential?.parse(f['x-tos-credential'] as string)).toEqual({
      accessKeyId: TOS_AK,
      date: (f['x-tos-date'] as string).slice(0, 8),
      region: 'cn-beijing',
      service: 'tos',
      terminator: 'request',
    });
    expect(TOS_V4.time?.format(NOW)).toBe(f['x-tos-date']);
    expect(TOS_V4.time?.parse(f['x-tos-date'] as string)).toBe(NOW.getTime());
    // valid JSON, and it pins every field the description says a new form's policy pins
    const policy = JSON.parse(Buffer.from(f.policy as string, 'base64').toString('utf8'));
    expect(policy.expiration).toBe('2030-01-01T00:15:00.000Z');
    for (const role of TOS_V4.layout.pinned.filter((r) => r !== 'token')) {
      const name = TOS_V4.fields[role] as string;
      expect(policy.conditions).toContainEqual({ [name]: f[name] });
    }

    expect(signOf(TOS_V4, TOS_SK, f.policy as string, f)).toBe(f['x-tos-signature']);
    const rep = check(TOS_V4, TOS_URL, tosForm(f, { 'Content-Type': 'image/png' }), TOS_SK);
    expect(rep).toMatchObject({ scheme: 'tos-v4', checked: true, valid: true, expected: f['x-tos-signature'], mistake: null });
    expect(rep.facts).toMatchObject({
      credentialDate: '20300101',
      region: 'cn-beijing',
      service: 'tos',
      terminator: 'request',
      algorithm: TOS_ALGORITHM,
      xTosDate: f['x-tos-date'],
      endpointRegion: 'cn-beijing',
    });
    expect(rep.facts.credentialScopeInvalid).toBeUndefined();
    expect(rep.facts.regionMismatch).toBeUndefined();
    expect(rep.steps.find((s) => s.name === 'scope')?.value).toBe('20300101/cn-beijing/tos/request');

    const tampered = b64(JSON.stringify({ ...policy, expiration: '2031-01-01T00:15:00.000Z' }));
    expect(check(TOS_V4, TOS_URL, tosForm(f, { policy: tampered }), TOS_SK)).toMatchObject({ valid: false, mistake: null });
    expect(check(TOS_V4, TOS_URL, tosForm(f), 'AnotherSecretKey0000000000000000000')).toMatchObject({ valid: false, mistake: null });
    const noCred = tosForm(f).filter(([k]) => k !== 'x-tos-credential');
    expect(check(TOS_V4, TOS_URL, noCred, TOS_SK)).toMatchObject({ checked: false, reason: 'signature.fields-missing' });
  });

  it('temporary credentials: x-tos-security-token is sent and pinned', async () => {
    const f = (await tosClient({ stsToken: 'tos-sts-token' }).preSignedPostSignature(input)) as Record<string, string>;
    expect(f[TOS_V4.fields.token as string]).toBe('tos-sts-token');
    const policy = JSON.parse(Buffer.from(f.policy as string, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual({ 'x-tos-security-token': 'tos-sts-token' });
    const rep = check(TOS_V4, TOS_URL, tosForm(f), TOS_SK);
    expect(rep).toMatchObject({ valid: true });
    expect(rep.facts.securityToken).toBe(true);
  });

  it('mistakes: the AWS4 or TOS4 key prefix, the S3 scope, another region, base64 output', async () => {
    const f = (await tosClient().preSignedPostSignature(input)) as Record<string, string>;
    const policy = f.policy as string;
    const form = (sig: string) => tosForm(f, { 'x-tos-signature': sig });
    const ctxFor = (sig: string) => makeContext(makeRequest(TOS_URL, form(sig)), TOS_SK, NOW);
    const expected = f['x-tos-signature'] as string;
    const named = (sig: string) => findMistake(sig, TOS_V4.mistakes(ctxFor(sig), expected, sig));

    const aws4 = chainSign('AWS4', TOS_SK, '20300101', 'cn-beijing', 'tos', 'request', policy);
    expect(named(aws4)).toEqual({ mistake: 'signature.mistake.wrong-key-chain', facts: { usedPrefix: 'AWS4', usedService: 'tos', usedTerminator: 'request' } });
    expect(check(TOS_V4, TOS_URL, form(aws4), TOS_SK).mistake).toBe('signature.mistake.wrong-key-chain');

    const tos4 = chainSign('TOS4', TOS_SK, '20300101', 'cn-beijing', 'tos', 'request', policy);
    expect(named(tos4)?.facts).toEqual({ usedPrefix: 'TOS4', usedService: 'tos', usedTerminator: 'request' });

    const s3Signer = chainSign('AWS4', TOS_SK, '20300101', 'cn-beijing', 's3', 'aws4_request', policy);
    expect(named(s3Signer)?.facts).toEqual({ usedPrefix: 'AWS4', usedService: 's3', usedTerminator: 'aws4_request' });

    const wrongService = chainSign('', TOS_SK, '20300101', 'cn-beijing', 's3', 'aws4_request', policy);
    expect(named(wrongService)).toEqual({ mistake: 'signature.mistake.wrong-key-chain', facts: { usedPrefix: '', usedService: 's3', usedTerminator: 'aws4_request' } });

    const shanghai = chainSign('', TOS_SK, '20300101', 'cn-shanghai', 'tos', 'request', policy);
    expect(named(shanghai)).toEqual({ mistake: 'signature.mistake.wrong-region', facts: { signedRegion: 'cn-shanghai', credentialRegion: 'cn-beijing', source: 'other-region' } });

    const asBase64 = Buffer.from(expected, 'hex').toString('base64');
    expect(check(TOS_V4, TOS_URL, form(asBase64), TOS_SK).mistake).toBe('signature.mistake.base64-output');
    // no prefix to leave out
    expect([...TOS_V4.mistakes(ctxFor(aws4), expected, aws4)].some((c) => c.mistake === 'signature.mistake.v4-prefix-missing')).toBe(false);
  });

  it('a form signed for another region than its endpoint is flagged', async () => {
    const f = (await tosClient({ region: 'cn-guangzhou', endpoint: 'tos-cn-guangzhou.volces.com' }).preSignedPostSignature(input)) as Record<string, string>;
    const rep = check(TOS_V4, TOS_URL, tosForm(f), TOS_SK);
    expect(rep).toMatchObject({ valid: true });
    expect(rep.facts).toMatchObject({ region: 'cn-guangzhou', endpointRegion: 'cn-beijing', regionMismatch: true });
  });
});

it('made no network request', () => {
  expect(network.attempts()).toBe(0);
});
