// Huawei Cloud OBS through `check`, end to end (issue 16): forms the official SDK (esdk-obs-nodejs)
// signs, turned into a JSON form input, pass `check` with the secret; forms `post-doctor sign
// --provider obs` writes are signed the same by the SDK's own signing; each kind of tampering gets
// its finding and the answer predicted for it (none where OBS documents none: post-doctor says it
// does not know rather than guessing); and OBS's answers are recognised by `explain`.
// Only the SDK's local signing helpers are called, never a request method; the clock is fixed.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { resolvePrediction } from '../../src/core/catalogue.js';
import type { Finding } from '../../src/core/types.js';
import { explain } from '../../src/explain/index.js';
import { sign, type SignOptions } from '../../src/sign/index.js';
import { b64json, checkJson, cli, errors, LATER, NOW, policyOf, replaced, uploadOf, useFixedClock, withPolicyText, without, writeForm, type JsonForm } from './obs-tos-cli.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();

const require = createRequire(import.meta.url);
const ObsClient = require('esdk-obs-nodejs') as new (o: Record<string, unknown>) => any;

useFixedClock();

const AK = 'OBSACCESSKEYEXAMPLE0';
const SK = 'OBSSECRETEXAMPLEKEY000000000000000000000';
const REGION = 'cn-north-4';
const BUCKET = 'examplebucket';
const URL = `https://${BUCKET}.obs.${REGION}.myhuaweicloud.com/`;
const FILE = { name: 'photo.png', size: 2048, contentType: 'image/png' };

async function obsClient(o: Record<string, unknown> = {}): Promise<any> {
  const c = new ObsClient({ access_key_id: AK, secret_access_key: SK, server: `https://obs.${REGION}.myhuaweicloud.com`, region: REGION, ...o });
  // the client finishes its set-up a tick later (initFactory awaits refresh())
  await new Promise((r) => setImmediate(r));
  return c;
}

/** Each error with the knowledge-base entry it predicts (null: no answer predicted). */
const predicted = (fs: readonly Finding[]): Array<[string, string | null]> => errors(fs).map((f) => [f.id, f.predicts?.rule ?? null]);

// ---------------------------------------------------------------------------

describe('oracle: forms esdk-obs-nodejs signs pass `check` (JSON form input, CLI)', () => {
  it("createPostSignatureSync, signature 'obs' (the native form): exit 0, obs-native signature valid, nothing wrong", async () => {
    const r = (await obsClient()).createPostSignatureSync({
      Bucket: BUCKET,
      Key: 'uploads/photo.png',
      Expires: 600,
      FormParams: { 'x-obs-acl': 'public-read', 'content-type': 'image/png' },
    }) as { Policy: string; Signature: string; Token: string };
    const form: JsonForm = {
      url: URL,
      fields: [
        ['key', 'uploads/photo.png'],
        ['x-obs-acl', 'public-read'],
        ['content-type', 'image/png'],
        ['AccessKeyId', AK],
        ['policy', r.Policy],
        ['signature', r.Signature],
      ],
      file: FILE,
    };
    const res = await checkJson(writeForm(form, 'obs-sdk'), SK, LATER);
    expect(res.code, res.err).toBe(0);
    expect(res.json!.verdict).toBe('pass');
    expect(res.json!.provider).toBe('obs');
    expect(res.json!.signature).toMatchObject({ scheme: 'obs-native', checked: true, valid: true });
    expect(res.json!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(res.json!.findings.map((f) => f.id)).toContain('signature.valid');

    // the SDK's own sample posts the field as "Accesskeyid": OBS field names are matched in any case
    const sample = await checkJson(writeForm({ ...form, fields: form.fields.map(([k, v]) => [k === 'AccessKeyId' ? 'Accesskeyid' : k, v]) }), SK, LATER);
    expect(sample.code, sample.err).toBe(0);
    expect(sample.json!.signature).toMatchObject({ scheme: 'obs-native', valid: true });

    // the SDK's Token (AccessKeyId:signature:policy) in place of the three fields
    const tokenForm: JsonForm = { ...form, fields: [...form.fields.filter(([k]) => !['AccessKeyId', 'policy', 'signature'].includes(k)), ['token', r.Token]] };
    const token = await checkJson(writeForm(tokenForm), SK, LATER);
    expect(token.code, token.out).toBe(0);
    expect(token.json!.signature).toMatchObject({ scheme: 'obs-native', valid: true });

    // with another secret: the signature mismatch and OBS's documented answer
    const wrong = await checkJson(writeForm(form), 'AnotherSecretKey000000000000000000000000', LATER);
    expect(wrong.code).toBe(1);
    expect(wrong.json!.signature).toMatchObject({ valid: false });
    expect(wrong.json!.findings.find((f) => f.severity === 'error')).toMatchObject({
      id: 'signature.invalid',
      predicts: { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' },
    });
  });

  it('createPostSignatureSync with temporary credentials: x-obs-security-token sent and pinned', async () => {
    const r = (await obsClient({ security_token: 'obs-sts-token' })).createPostSignatureSync({ Bucket: BUCKET, Key: 'uploads/photo.png', Expires: 600 }) as { Policy: string; Signature: string };
    expect(policyOf([['policy', r.Policy]]).conditions).toContainEqual({ 'x-obs-security-token': 'obs-sts-token' });
    const fields: Array<[string, string]> = [
      ['key', 'uploads/photo.png'],
      ['AccessKeyId', AK],
      ['x-obs-security-token', 'obs-sts-token'],
      ['policy', r.Policy],
      ['signature', r.Signature],
    ];
    const res = await checkJson(writeForm({ url: URL, fields, file: FILE }), SK, LATER);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.signature).toMatchObject({ scheme: 'obs-native', valid: true });
    // the token not sent: the policy's condition on it fails (OBS documents no wording for it)
    const r2 = await check(uploadOf(URL, without(fields, 'x-obs-security-token')), { provider: 'obs', now: LATER, secret: SK });
    expect(predicted(r2.findings)).toEqual([['obs.condition-field-missing', null]]);
  });

  it("createPostSignatureSync, signature 'v2' (S3-compatible SigV2, x-amz- prefix): exit 0, obs-s3-v2, detected as OBS by its host", async () => {
    const r = (await obsClient({ signature: 'v2' })).createPostSignatureSync({
      Bucket: BUCKET,
      Key: 'uploads/a.txt',
      Expires: 600,
      FormParams: { 'x-amz-acl': 'private', 'content-type': 'text/plain' },
    }) as { Policy: string; Signature: string };
    expect(policyOf([['policy', r.Policy]]).conditions).toContainEqual({ 'x-amz-acl': 'private' });
    const form: JsonForm = {
      url: URL,
      fields: [
        ['key', 'uploads/a.txt'],
        ['x-amz-acl', 'private'],
        ['content-type', 'text/plain'],
        ['AWSAccessKeyId', AK],
        ['policy', r.Policy],
        ['signature', r.Signature],
      ],
      file: { name: 'a.txt', size: 10, contentType: 'text/plain' },
    };
    // no --provider: the OBS host outweighs Amazon's field names
    const res = await checkJson(writeForm(form, 'obs-v2'), SK, LATER);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.provider).toBe('obs');
    expect(res.json!.signature).toMatchObject({ scheme: 'obs-s3-v2', valid: true });
    expect(res.json!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // and with --provider obs given
    const given = await checkJson(writeForm(form), SK, LATER, ['--provider', 'obs']);
    expect(given.code).toBe(0);
    expect(given.json!.signature).toMatchObject({ scheme: 'obs-s3-v2', valid: true });
  });

  describe('createV4PostSignatureSync (S3-compatible SigV4): its policy ends ",]}"', () => {
    const sdkV4 = async (client: Record<string, unknown>) =>
      (await obsClient(client)).createV4PostSignatureSync({ Bucket: BUCKET, Key: 'uploads/c.txt', Expires: 3600, FormParams: { 'content-type': 'text/plain' } }) as {
        OriginPolicy: string;
        Policy: string;
        Algorithm: string;
        Credential: string;
        Date: string;
        Signature: string;
      };
    const v4Form = (r: { Policy: string; Algorithm: string; Credential: string; Date: string; Signature: string }, contentType = 'text/plain'): JsonForm => ({
      url: URL,
      fields: [
        ['key', 'uploads/c.txt'],
        ['content-type', contentType],
        ['x-amz-algorithm', r.Algorithm],
        ['x-amz-credential', r.Credential],
        ['x-amz-date', r.Date],
        ['policy', r.Policy],
        ['x-amz-signature', r.Signature],
      ],
      file: { name: 'c.txt', size: 10, contentType: 'text/plain' },
    });

    it('check warns obs.policy-trailing-comma, still verifies the signature and passes (exit 0)', async () => {
      const r = await sdkV4({ signature: 'v4' });
      expect(r.OriginPolicy.endsWith(',]}')).toBe(true);
      const res = await checkJson(writeForm(v4Form(r), 'obs-v4'), SK, LATER);
      expect(res.code, res.out).toBe(0);
      expect(res.json!.provider).toBe('obs');
      expect(res.json!.signature).toMatchObject({ scheme: 'obs-s3-v4', checked: true, valid: true });
      const notInfo = res.json!.findings.filter((f) => f.severity !== 'info');
      expect(notInfo.map((f) => [f.id, f.severity, f.field, f.predicts])).toEqual([['obs.policy-trailing-comma', 'warning', 'policy', null]]);
      // the policy read without the comma: no JSON error is reported for it
      expect(res.json!.findings.map((f) => f.id).filter((id) => id.startsWith('policy.'))).toEqual([]);
    });

    it('and evaluates its conditions: a Content-Type that differs from the pinned one fails', async () => {
      const r = await sdkV4({ signature: 'v4' });
      const res = await checkJson(writeForm(v4Form(r, 'image/png')), SK, LATER);
      expect(res.code).toBe(1);
      expect(res.json!.signature).toMatchObject({ valid: true });
      expect(res.json!.findings.filter((f) => f.severity !== 'info').map((f) => [f.id, f.severity, f.predicts])).toEqual([
        ['obs.condition-failed', 'error', null],
        ['obs.policy-trailing-comma', 'warning', null],
      ]);
      const api = await check(uploadOf(URL, v4Form(r, 'image/png').fields), { provider: 'obs', now: LATER, secret: SK });
      expect(api.findings.find((f) => f.id === 'obs.condition-failed')?.facts).toMatchObject({ field: 'content-type', expected: 'text/plain', value: 'image/png' });
      // and an expired one is found too
      const late = await check(uploadOf(URL, v4Form(r).fields), { provider: 'obs', now: new Date('2030-01-01T02:00:00Z'), secret: SK });
      expect(predicted(late.findings)).toEqual([['time.expired', null]]);
    });

    it("on a client left at signature 'obs' the helper pins no x-amz-* field: each is reported as not in the policy", async () => {
      const r = await sdkV4({});
      expect(r.OriginPolicy).not.toContain('x-amz-');
      const res = await check(uploadOf(URL, v4Form(r).fields), { provider: 'obs', now: LATER, secret: SK });
      expect(res.signature).toMatchObject({ scheme: 'obs-s3-v4', valid: true });
      expect(predicted(res.findings)).toEqual([
        ['obs.field-not-in-policy', null],
        ['obs.field-not-in-policy', null],
        ['obs.field-not-in-policy', null],
      ]);
      expect(errors(res.findings).map((f) => f.field)).toEqual(['x-amz-algorithm', 'x-amz-credential', 'x-amz-date']);
    });
  });
});

// ---------------------------------------------------------------------------

describe('`post-doctor sign --provider obs` forms: the SDK signs the same policy text the same', () => {
  const signArgs = [
    'sign',
    '--provider',
    'obs',
    '--bucket',
    BUCKET,
    '--region',
    REGION,
    '--access-key',
    AK,
    '--secret-env',
    'PD_SECRET',
    '--key-prefix',
    'uploads/',
    '--max-size',
    '4096',
    '--now',
    NOW.toISOString(),
  ];

  it.each([
    ['obs', 'obs-native'],
    ['v2', 'obs-s3-v2'],
    ['v4', 'obs-s3-v4'],
  ] as const)('--signature-version %s (%s)', async (version, scheme) => {
    const out = await cli([...signArgs, '--signature-version', version], { PD_SECRET: SK });
    expect(out.code, out.err).toBe(0);
    const signed = JSON.parse(out.out) as { scheme: string; url: string; fields: Array<[string, string]> };
    expect(signed.scheme).toBe(scheme);
    expect(signed.url).toBe(URL);
    const field = (n: string): string => signed.fields.find(([k]) => k.toLowerCase() === n)![1];
    const policyJson = Buffer.from(field('policy'), 'base64').toString('utf8');

    // the SDK's signing over post-doctor's policy text (the helper builds its own text; it is swapped for ours)
    const client = await obsClient({ signature: version });
    const call = (): Record<string, string> =>
      version === 'v4' ? client.createV4PostSignatureSync({ Bucket: BUCKET, Expires: 3600 }) : client.createPostSignatureSync({ Bucket: BUCKET, Expires: 3600 });
    const { result, swapped } = await withPolicyText(policyJson, call);
    expect(swapped).toBe(1);
    expect(result.Policy).toBe(field('policy'));
    if (version === 'v4') {
      expect(result.Signature).toBe(field('x-amz-signature'));
      expect(result.Credential).toBe(field('x-amz-credential'));
      expect(result.Date).toBe(field('x-amz-date'));
      expect(result.Algorithm).toBe(field('x-amz-algorithm'));
    } else {
      expect(result.Signature).toBe(field('signature'));
      expect(signed.fields.map(([k]) => k)).toContain(version === 'v2' ? 'AWSAccessKeyId' : 'AccessKeyId');
    }

    // and the form passes check
    const res = await checkJson(writeForm({ url: signed.url, fields: signed.fields, file: { name: 'a.txt', size: 100, contentType: 'text/plain' } }), SK, LATER);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.signature).toMatchObject({ scheme, valid: true });
  });
});

// ---------------------------------------------------------------------------

describe('mutations: the finding and the predicted answer (none where OBS documents none)', () => {
  const base = (o: Partial<SignOptions> = {}) =>
    sign({
      provider: 'obs',
      bucket: BUCKET,
      region: REGION,
      keyPrefix: 'uploads/',
      minSize: 1,
      maxSize: 1000,
      now: NOW,
      expiresAt: new Date('2030-01-01T01:00:00Z'),
      accessKeyId: AK,
      secret: SK,
      // OBS's own header prefix in the native form, Amazon's in the S3-compatible ones
      fields: [[aclOf(o.signatureVersion), 'private']],
      ...o,
    });
  const aclOf = (v: string | undefined): string => (v === 'v2' || v === 'v4' ? 'x-amz-acl' : 'x-obs-acl');
  const run = (fields: Array<[string, string]>, o: { size?: number; file?: boolean; now?: Date } = {}) => check(uploadOf(URL, fields, o), { provider: 'obs', now: o.now ?? LATER, secret: SK });
  const VERSIONS = ['obs', 'v2', 'v4'] as const;
  const SIG_MISMATCH = {
    rule: 'obs.post.signature-mismatch',
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  };

  it.each(VERSIONS)('%s: the signed form passes', async (v) => {
    const r = await run(base({ signatureVersion: v }).fields);
    expect(r.verdict).toBe('pass');
    expect(errors(r.findings)).toEqual([]);
  });

  it.each(VERSIONS)('%s: the policy changed after signing: signature.invalid, 403 SignatureDoesNotMatch', async (v) => {
    const f = base({ signatureVersion: v });
    const doc = policyOf(f.fields);
    doc.expiration = '2030-01-01T05:00:00.000Z';
    const r = await run(replaced(f.fields, 'policy', b64json(doc)));
    expect(r.signature).toMatchObject({ valid: false });
    expect(predicted(r.findings)).toEqual([['signature.invalid', 'obs.post.signature-mismatch']]);
    expect(resolvePrediction(errors(r.findings)[0]!.predicts!)).toEqual(SIG_MISMATCH);
  });

  it.each(VERSIONS)('%s: an expired policy: time.expired, no answer predicted (not documented)', async (v) => {
    const r = await run(base({ signatureVersion: v }).fields, { now: new Date('2030-01-01T01:30:00Z') });
    expect(predicted(r.findings)).toEqual([['time.expired', null]]);
    expect(r.verdict).toBe('fail');
  });

  it.each(VERSIONS)('%s: a condition failed (key outside the prefix, another ACL): obs.condition-failed, no answer predicted', async (v) => {
    const f = base({ signatureVersion: v });
    const key = await run(replaced(f.fields, 'key', 'other/photo.png'));
    expect(predicted(key.findings)).toEqual([['obs.condition-failed', null]]);
    expect(errors(key.findings)[0]!.facts).toMatchObject({ field: 'key', operator: 'starts-with', expected: 'uploads/', value: 'other/photo.png' });
    const acl = await run(replaced(f.fields, aclOf(v), 'public-read'));
    expect(predicted(acl.findings)).toEqual([['obs.condition-failed', null]]);
    expect(errors(acl.findings)[0]).toMatchObject({ field: aclOf(v), facts: { expected: 'private', value: 'public-read' } });
    // the same field not sent at all
    const gone = await run(without(f.fields, aclOf(v)));
    expect(predicted(gone.findings)).toEqual([['obs.condition-field-missing', null]]);
  });

  it.each(VERSIONS)('%s: a field the policy does not name: obs.field-not-in-policy, no answer predicted; x-ignore-* is exempt', async (v) => {
    const f = base({ signatureVersion: v });
    const at = f.fields.findIndex(([k]) => k.toLowerCase() === 'policy');
    const extra = [...f.fields.slice(0, at), ['Content-Type', 'image/png'] as [string, string], ['x-ignore-note', 'anything'] as [string, string], ...f.fields.slice(at)];
    const r = await run(extra);
    expect(predicted(r.findings)).toEqual([['obs.field-not-in-policy', null]]);
    expect(errors(r.findings)[0]!.field).toBe('Content-Type');
  });

  it.each([
    ['obs', ['AccessKeyId', 'policy', 'signature']],
    ['v2', ['AWSAccessKeyId', 'policy', 'signature']],
    ['v4', ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'policy', 'x-amz-signature']],
  ] as const)('%s: each signing field missing: obs.field-missing, no answer predicted', async (v, names) => {
    const f = base({ signatureVersion: v });
    for (const name of names) {
      const r = await run(without(f.fields, name));
      const missing = errors(r.findings).filter((x) => x.id === 'obs.field-missing');
      expect(
        missing.map((x) => [x.field, x.predicts]),
        name,
      ).toEqual([[name, null]]);
      // nothing else guessed for it
      expect(
        errors(r.findings).filter((x) => x.predicts),
        name,
      ).toEqual([]);
    }
    // key too
    const r = await run(without(f.fields, 'key'));
    expect(errors(r.findings).map((x) => [x.id, x.field, x.predicts])).toContainEqual(['obs.field-missing', 'key', null]);
  });

  it('obs: the token field (AccessKeyId:signature:policy) stands for the three it joins', async () => {
    const f = base();
    const field = (n: string): string => f.fields.find(([k]) => k === n)![1];
    const tokenForm: Array<[string, string]> = [...without(f.fields, 'AccessKeyId', 'policy', 'signature'), ['token', `${AK}:${field('signature')}:${field('policy')}`]];
    const r = await run(tokenForm);
    expect(errors(r.findings).filter((x) => x.id === 'obs.field-missing')).toEqual([]);
  });

  // the token's three parts are read as the fields they stand for (an info note says so)
  it('obs: a token form is verified, and its policy conditions evaluated', async () => {
    const f = base();
    const field = (n: string): string => f.fields.find(([k]) => k === n)![1];
    const token = (sig: string): Array<[string, string]> => [...without(f.fields, 'AccessKeyId', 'policy', 'signature'), ['token', `${AK}:${sig}:${field('policy')}`]];
    const good = await run(token(field('signature')));
    expect(good.signature).toMatchObject({ checked: true, valid: true });
    expect(errors(good.findings)).toEqual([]);
    expect(good.findings.map((x) => x.id)).toContain('obs.token-field');
    const bad = await run(replaced(token('AAAAAAAAAAAAAAAAAAAAAAAAAAA='), 'key', 'other/a.png'));
    expect(predicted(bad.findings)).toEqual([
      ['signature.invalid', 'obs.post.signature-mismatch'],
      ['obs.condition-failed', null],
    ]);
  });

  it.each(VERSIONS)('%s: a file over content-length-range: file.too-large, 400 EntityTooLarge (the wording is not documented)', async (v) => {
    const r = await run(base({ signatureVersion: v }).fields, { size: 5000 });
    expect(predicted(r.findings)).toEqual([['file.too-large', 'obs.code.entity-too-large']]);
    expect(resolvePrediction(errors(r.findings)[0]!.predicts!)).toEqual({ rule: 'obs.code.entity-too-large', status: 400, code: 'EntityTooLarge', message: null });
    const small = await run(base({ signatureVersion: v }).fields, { size: 0 });
    expect(predicted(small.findings)).toEqual([['file.too-small', 'obs.code.entity-too-small']]);
  });

  it('the CLI says what it knows of a partly documented answer, and nothing for an undocumented one', async () => {
    const f = base();
    const big = await checkJson(writeForm({ url: URL, fields: f.fields, file: { name: 'a.txt', size: 5000, contentType: 'text/plain' } }), SK, LATER);
    expect(big.code).toBe(1);
    expect(big.json!.findings.find((x) => x.id === 'file.too-large')!.predicts).toEqual({ status: 400, code: 'EntityTooLarge', message: null });
    const text = await cli(
      ['check', writeForm({ url: URL, fields: f.fields, file: { name: 'a.txt', size: 5000, contentType: 'text/plain' } }), '--secret-env', 'PD_SECRET', '--now', LATER.toISOString()],
      { PD_SECRET: SK },
    );
    expect(text.out).toContain('400 EntityTooLarge (the rest of its answer is not documented)');
    const expired = await checkJson(writeForm({ url: URL, fields: f.fields, file: { name: 'a.txt', size: 10, contentType: 'text/plain' } }), SK, new Date('2030-01-01T02:00:00Z'));
    expect(expired.code).toBe(1);
    expect(expired.json!.findings.find((x) => x.id === 'time.expired')!.predicts).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// explain. The answers below are constructed for these tests (not captured): their wordings are the
// knowledge base's (rules/kb/obs, sources obs_faq_0173 and the error-code table), their shape is
// the one docs/research/obs-tos.md §1.2-1.3 describes (OBS API reference "返回结果").

const OBS_SIG_MESSAGE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const OBS_RID = '00000188BF3A36EE5306427D000FEE0A';
const OBS_ID2 = '32AAAQAAEAABAAAQAAEAABAAAQAAEAABCSxAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('explain: OBS answers are recognised as OBS, with the right entry', () => {
  it('an OBS XML error with Server: OBS and x-obs-request-id', () => {
    const text = [
      'HTTP/1.1 403 Forbidden',
      'Server: OBS',
      `x-obs-request-id: ${OBS_RID}`,
      `x-obs-id-2: ${OBS_ID2}`,
      'Content-Type: application/xml',
      '',
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<Error><Code>SignatureDoesNotMatch</Code><Message>${OBS_SIG_MESSAGE}</Message><RequestId>${OBS_RID}</RequestId><HostId>${OBS_ID2}</HostId><StringToSign>eyJleHBpcmF0aW9uIjoi</StringToSign></Error>`,
    ].join('\r\n');
    const ex = explain(text);
    expect(ex.provider).toBe('obs');
    expect(ex.error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', message: OBS_SIG_MESSAGE, requestId: OBS_RID });
    expect(ex.matches[0]).toMatchObject({ rule: 'obs.post.signature-mismatch', via: 'message' });
    // the request id's first 16 hex digits are the time in milliseconds
    expect(ex.facts).toMatchObject({ stringToSign: 'eyJleHBpcmF0aW9uIjoi', requestTime: '2023-06-15T13:24:03.438Z' });
  });

  it('an OBS answer in S3-compatible mode (x-amz-request-id, Server: OBS, the x-reserved header)', () => {
    const text = [
      'HTTP/1.1 403 Forbidden',
      'Server: OBS',
      `x-amz-request-id: ${OBS_RID}`,
      `x-amz-id-2: ${OBS_ID2}`,
      'x-reserved: amazon, aws and amazon web services are trademarks or registered trademarks of Amazon Technologies, Inc',
      'Content-Type: application/xml',
      '',
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${OBS_SIG_MESSAGE}</Message><RequestId>${OBS_RID}</RequestId><HostId>${OBS_ID2}</HostId></Error>`,
    ].join('\r\n');
    const ex = explain(text);
    expect(ex.provider).toBe('obs');
    expect(ex.candidates).toEqual(['obs']);
    expect(ex.matches[0]).toMatchObject({ rule: 'obs.post.signature-mismatch', via: 'message' });
    // Amazon's wording alone would say S3: the OBS evidence outweighs it
    expect(ex.detection.scores.obs).toBeGreaterThan(ex.detection.scores.s3);
  });

  it('OBS wordings of its own: the V4 credential date, the inactive access key (with its id), the typo of MethodNotAllowed', () => {
    const xml = (code: string, message: string): string =>
      [
        'HTTP/1.1 403 Forbidden',
        'Server: OBS',
        `x-obs-request-id: ${OBS_RID}`,
        '',
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${OBS_RID}</RequestId></Error>`,
      ].join('\r\n');
    expect(explain(xml('RequestTimeTooSkewed', 'Http Request signed date is too skewed.')).matches[0]?.rule).toBe('obs.post.v4-signed-date-too-skewed');
    const inactive = explain(xml('InvalidAccessKeyId', 'the access key OBSACCESSKEYEXAMPLE0 is inactive.'));
    expect(inactive.matches[0]).toMatchObject({ rule: 'obs.post.access-key-inactive' });
    expect(inactive.matches[0]!.facts).toMatchObject({ accessKeyId: 'OBSACCESSKEYEXAMPLE0' });
    // the real answer spells "suppoted" (rules/kb/obs/post.yaml)
    expect(explain(xml('MethodNotAllowed', 'Specified method is not suppoted.')).matches[0]?.rule).toBe('obs.post.method-not-allowed');
  });
});

it('made no network request', () => {
  expect(network.attempts()).toBe(0);
});
