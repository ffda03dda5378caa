// The Amazon S3 / Ceph RGW checks, each through the engine with hand-built forms; predictions
// resolved against AWS's verbatim wording (reference protocols.md) and RGW's recorded wording.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import type { Check } from '../../src/check/types.js';
import { renderFinding, resolvePrediction } from '../../src/core/catalogue.js';
import type { Finding, Part, ServerFlavour, UploadRequest } from '../../src/core/types.js';
import { s3SignatureFields } from '../../src/checks/s3-signature-fields.js';
import { s3PolicyFields } from '../../src/checks/s3-policy-fields.js';
import { s3Conditions } from '../../src/checks/s3-conditions.js';
import { s3Credential } from '../../src/checks/s3-credential.js';
import { s3PreData } from '../../src/checks/s3-pre-data.js';

const b64 = (doc: unknown): string => Buffer.from(JSON.stringify(doc)).toString('base64');
const f = (name: string, value: string): Part => ({ kind: 'field', name, value });
const file = (filename = 'photo.jpg', contentType = 'image/jpeg'): Part => ({ kind: 'file', name: 'file', filename, contentType, size: 1024, source: { type: 'generated', size: 1024 } });

const URL_US = 'https://examplebucket.s3.us-east-1.amazonaws.com/';
const RGW_URL = 'http://localhost:8000/examplebucket';
const AKID = 'AKIAIOSFODNN7EXAMPLE';
const DATE = '20300101T000000Z';
const cred = (akid = AKID, day = '20300101', region = 'us-east-1', service = 's3'): string => `${akid}/${day}/${region}/${service}/aws4_request`;
const NOW = new Date('2030-01-01T00:05:00Z');

interface S3FormOptions {
  url?: string;
  conditions?: unknown[];
  /** replaces the default conditions entirely */
  policyDoc?: unknown;
  fields?: Part[];
  after?: Part[];
  omit?: string[];
  credential?: string;
  date?: string;
  algorithm?: string;
  filename?: string;
  headers?: Array<[string, string]>;
}

function signingConditions(o: S3FormOptions): unknown[] {
  return [{ 'x-amz-algorithm': o.algorithm ?? 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': o.credential ?? cred() }, { 'x-amz-date': o.date ?? DATE }];
}

/** A SigV4 form as the AWS SDKs build it (X-Amz-* / Policy names). */
function s3Form(o: S3FormOptions = {}): UploadRequest {
  const doc = o.policyDoc ?? {
    expiration: '2030-01-01T01:00:00.000Z',
    conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/'], ...signingConditions(o), ...(o.conditions ?? [])],
  };
  const parts: Part[] = [
    f('key', 'user/photo.jpg'),
    ...(o.fields ?? []),
    f('X-Amz-Algorithm', o.algorithm ?? 'AWS4-HMAC-SHA256'),
    f('X-Amz-Credential', o.credential ?? cred()),
    f('X-Amz-Date', o.date ?? DATE),
    f('Policy', b64(doc)),
    f('X-Amz-Signature', 'a'.repeat(64)),
  ].filter((p) => !(o.omit ?? []).includes(p.name));
  parts.push(file(o.filename));
  parts.push(...(o.after ?? []));
  return { method: 'POST', url: o.url ?? URL_US, headers: o.headers ?? [['Content-Type', 'multipart/form-data; boundary=----b']], parts, boundary: '----b', bodyProblems: [], notes: [] };
}

/** A SigV2 form. */
function s3V2Form(omit: string[] = []): UploadRequest {
  const doc = { expiration: '2030-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/']] };
  const parts = [f('key', 'user/a.txt'), f('AWSAccessKeyId', AKID), f('policy', b64(doc)), f('signature', 'bm90LWEtc2lnbmF0dXJl')].filter((p) => !omit.includes(p.name));
  return { method: 'POST', url: URL_US, headers: [], parts: [...parts, file()], boundary: '----b', bodyProblems: [], notes: [] };
}

async function run(c: Check, req: UploadRequest, server: ServerFlavour = 'aws'): Promise<Finding[]> {
  const res = await check(req, { provider: 's3', server, checks: [c], now: NOW });
  for (const x of res.findings) for (const lang of ['en', 'ja', 'zh'] as const) renderFinding(x, lang);
  return res.findings;
}

const messages = (fs: Finding[]): Array<string | null> => fs.map((x) => (x.predicts ? resolvePrediction(x.predicts).message : '(none)'));
const one = (fs: Finding[]): Finding => {
  expect(fs).toHaveLength(1);
  return fs[0] as Finding;
};

describe('s3.signature-fields', () => {
  test('a complete SigV4 form, a complete SigV2 form and an anonymous form: nothing', async () => {
    expect(await run(s3SignatureFields, s3Form())).toEqual([]);
    expect(await run(s3SignatureFields, s3V2Form())).toEqual([]);
    const anon: UploadRequest = { ...s3Form(), parts: [f('key', 'user/a'), file()] };
    expect(await run(s3SignatureFields, anon)).toEqual([]);
  });

  test('key missing: AWS names the field, RGW says "Key not specified"', async () => {
    const req = s3Form({ omit: ['key'] });
    const aws = one(await run(s3SignatureFields, req));
    expect(aws).toMatchObject({ id: 's3.field-missing', facts: { field: 'key', afterFile: false } });
    expect(resolvePrediction(aws.predicts!)).toEqual({
      rule: 's3.post.missing-field',
      status: 400,
      code: 'InvalidArgument',
      message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    });
    expect(messages(await run(s3SignatureFields, req, 'rgw'))).toEqual(['Key not specified']);
  });

  test('X-Amz-Signature after the file counts as missing', async () => {
    const req = s3Form({ omit: ['X-Amz-Signature'], after: [f('X-Amz-Signature', 'a'.repeat(64))] });
    const aws = one(await run(s3SignatureFields, req));
    expect(aws.facts).toMatchObject({ field: 'X-Amz-Signature', afterFile: true, scheme: 'v4' });
    expect(messages([aws])).toEqual(["Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields."]);
    expect(messages(await run(s3SignatureFields, req, 'rgw'))).toEqual(['Missing aws4 signature']);
  });

  test('each SigV4 field, in AWS and RGW wording', async () => {
    const cases: Array<[string, string, string]> = [
      ['X-Amz-Credential', "Bucket POST must contain a field named 'X-Amz-Credential'.  If it is specified, please check the order of the fields.", 'Missing aws4 credential'],
      ['X-Amz-Date', "Bucket POST must contain a field named 'X-Amz-Date'.  If it is specified, please check the order of the fields.", 'Missing aws4 date'],
      ['X-Amz-Algorithm', "Bucket POST must contain a field named 'X-Amz-Algorithm'.  If it is specified, please check the order of the fields.", 'Missing aws2 access key'],
      ['Policy', "Bucket POST must contain a field named 'Policy'.  If it is specified, please check the order of the fields.", ''],
    ];
    for (const [field, aws, rgw] of cases) {
      const req = s3Form({ omit: [field] });
      expect(messages(await run(s3SignatureFields, req)), field).toEqual([aws]);
      const r = one(await run(s3SignatureFields, req, 'rgw'));
      expect(resolvePrediction(r.predicts!).message, field).toBe(rgw);
    }
    // RGW without a policy takes the form as anonymous: AccessDenied with an empty message
    const r = one(await run(s3SignatureFields, s3Form({ omit: ['Policy'] }), 'rgw'));
    expect(resolvePrediction(r.predicts!)).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  test('SigV2: Signature and AWSAccessKeyId', async () => {
    expect(messages(await run(s3SignatureFields, s3V2Form(['signature'])))).toEqual(["Bucket POST must contain a field named 'Signature'.  If it is specified, please check the order of the fields."]);
    expect(messages(await run(s3SignatureFields, s3V2Form(['signature']), 'rgw'))).toEqual(['Missing aws2 signature']);
    expect(messages(await run(s3SignatureFields, s3V2Form(['AWSAccessKeyId'])))).toEqual([
      "Bucket POST must contain a field named 'AWSAccessKeyId'.  If it is specified, please check the order of the fields.",
    ]);
    expect(messages(await run(s3SignatureFields, s3V2Form(['AWSAccessKeyId']), 'rgw'))).toEqual(['Missing aws2 access key']);
  });

  test('a misspelt algorithm: RGW falls back to SigV2', async () => {
    const req = s3Form({ algorithm: 'aws4-hmac-sha256' });
    const aws = one(await run(s3SignatureFields, req));
    expect(aws).toMatchObject({ id: 's3.algorithm-invalid', predicts: null, facts: { value: 'aws4-hmac-sha256', caseOnly: true } });
    expect(messages(await run(s3SignatureFields, req, 'rgw'))).toEqual(['Missing aws2 access key']);
  });

  test('SigV2 fields next to SigV4 ones: a warning', async () => {
    const out = await run(s3SignatureFields, s3Form({ fields: [f('AWSAccessKeyId', AKID)] }));
    expect(out).toEqual([expect.objectContaining({ id: 's3.schemes-mixed', severity: 'warning', facts: expect.objectContaining({ otherFields: ['AWSAccessKeyId'] }) })]);
  });
});

describe('s3.policy-fields', () => {
  test('every field covered, x-ignore- fields exempt, fields after the file not counted: nothing', async () => {
    expect(await run(s3PolicyFields, s3Form({ fields: [f('x-ignore-tracking', '1')], after: [f('Content-Type', 'image/png')] }))).toEqual([]);
    expect(await run(s3PolicyFields, s3Form({ fields: [f('x-ignore-tracking', '1')] }), 'rgw')).toEqual([]);
  });

  test('Content-Type without a condition: AWS lowercases the name, RGW keeps it', async () => {
    const req = s3Form({ fields: [f('Content-Type', 'image/jpeg')] });
    const aws = one(await run(s3PolicyFields, req));
    expect(aws).toMatchObject({ id: 's3.extra-input-field', facts: { field: 'Content-Type', name: 'content-type' } });
    expect(resolvePrediction(aws.predicts!)).toEqual({
      rule: 's3.post.extra-input-fields',
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: content-type',
    });
    expect(messages(await run(s3PolicyFields, req, 'rgw'))).toEqual(['Policy missing condition: Content-Type']);
  });

  test('names are compared case-insensitively', async () => {
    const req = s3Form({ fields: [f('Content-Type', 'image/jpeg')], conditions: [['starts-with', '$content-type', 'image/']] });
    expect(await run(s3PolicyFields, req)).toEqual([]);
  });

  test('a named submit button is an extra field, said so', async () => {
    const out = one(await run(s3PolicyFields, s3Form({ fields: [f('submit', 'Upload')] })));
    expect(out).toMatchObject({ id: 's3.submit-button-field', facts: { field: 'submit', value: 'Upload' } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Extra input fields: submit']);
  });

  test('the security token needs its own condition', async () => {
    const out = one(await run(s3PolicyFields, s3Form({ fields: [f('X-Amz-Security-Token', 'FwoGZXIvYXdzEXAMPLE')] })));
    expect(out).toMatchObject({ id: 's3.signing-condition-missing', facts: { name: 'x-amz-security-token' } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Extra input fields: x-amz-security-token']);
  });

  test('a policy without x-amz-date condition', async () => {
    const doc = {
      expiration: '2030-01-01T01:00:00.000Z',
      conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/'], { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': cred() }],
    };
    const out = one(await run(s3PolicyFields, s3Form({ policyDoc: doc })));
    expect(out).toMatchObject({ id: 's3.signing-condition-missing', facts: { field: 'X-Amz-Date' } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Extra input fields: x-amz-date']);
    expect(messages(await run(s3PolicyFields, s3Form({ policyDoc: doc }), 'rgw'))).toEqual(['Policy missing condition: X-Amz-Date']);
  });

  test('RGW needs a bucket condition even when the form sends no bucket field; AWS does not', async () => {
    const doc = { expiration: '2030-01-01T01:00:00.000Z', conditions: [['starts-with', '$key', 'user/'], ...signingConditions({})] };
    expect(await run(s3PolicyFields, s3Form({ policyDoc: doc }))).toEqual([]);
    const r = one(await run(s3PolicyFields, s3Form({ url: RGW_URL, policyDoc: doc }), 'rgw'));
    expect(r).toMatchObject({ id: 's3.bucket-condition-missing', facts: { bucket: 'examplebucket' } });
    expect(messages([r])).toEqual(['Policy missing condition: bucket']);
  });

  test('RGW exempts only the fields of the scheme it uses', async () => {
    const req = s3Form({ fields: [f('AWSAccessKeyId', AKID)] });
    expect(await run(s3PolicyFields, req)).toEqual([]);
    expect(messages(await run(s3PolicyFields, req, 'rgw'))).toEqual(['Policy missing condition: AWSAccessKeyId']);
  });
});

describe('s3.conditions', () => {
  test('all conditions met: nothing (AWS and RGW)', async () => {
    const req = s3Form({ fields: [f('success_action_status', '201'), f('Content-Type', 'image/jpeg')], conditions: [{ success_action_status: '201' }, ['starts-with', '$Content-Type', 'image/']] });
    expect(await run(s3Conditions, req)).toEqual([]);
    expect(await run(s3Conditions, { ...req, url: RGW_URL }, 'rgw')).toEqual([]);
  });

  test('success_action_redirect exact match (AWS verbatim example)', async () => {
    const req = s3Form({ fields: [f('success_action_redirect', 'http://localhost.test/random/')], conditions: [['eq', '$success_action_redirect', 'http://localhost.test/random']] });
    const aws = one(await run(s3Conditions, req));
    expect(aws).toMatchObject({ id: 's3.condition-failed', facts: { field: 'success_action_redirect', value: 'http://localhost.test/random/', expected: 'http://localhost.test/random' } });
    expect(resolvePrediction(aws.predicts!)).toEqual({
      rule: 's3.post.condition-failed',
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$success_action_redirect", "http://localhost.test/random"]',
    });
    expect(messages(await run(s3Conditions, req, 'rgw'))).toEqual(['Policy condition failed: eq: $success_action_redirect, http://localhost.test/random']);
  });

  test("starts-with (AWS verbatim example) and RGW's starts-with on key", async () => {
    const req = s3Form({ fields: [f('success_action_redirect', 'https://example.test/done')], conditions: [['starts-with', '$success_action_redirect', 'http://localhost']] });
    expect(messages(await run(s3Conditions, req))).toEqual(['Invalid according to Policy: Policy Condition failed: ["starts-with", "$success_action_redirect", "http://localhost"]']);
    const keyReq = s3Form({ url: RGW_URL });
    const k = keyReq.parts.find((p) => p.name === 'key');
    if (k?.kind === 'field') k.value = 'other/photo.jpg';
    expect(messages(await run(s3Conditions, keyReq, 'rgw'))).toEqual(['Policy condition failed: starts-with: $key, user/']);
  });

  test('a simple condition: AWS prints it as ["eq", ...], RGW names the field', async () => {
    const req = s3Form({ fields: [f('success_action_status', '200')], conditions: [{ success_action_status: '201' }] });
    expect(messages(await run(s3Conditions, req))).toEqual(['Invalid according to Policy: Policy Condition failed: ["eq", "$success_action_status", "201"]']);
    expect(messages(await run(s3Conditions, req, 'rgw'))).toEqual(['Policy check failed, variable not met condition: success_action_status']);
  });

  test('starts-with "" still needs the field on AWS; RGW compares the empty string', async () => {
    const req = s3Form({ conditions: [['starts-with', '$x-amz-meta-tag', '']] });
    const aws = one(await run(s3Conditions, req));
    expect(aws).toMatchObject({ id: 's3.condition-field-missing', facts: { field: 'x-amz-meta-tag', afterFile: false } });
    expect(messages([aws])).toEqual(['Invalid according to Policy: Policy Condition failed: ["starts-with", "$x-amz-meta-tag", ""]']);
    expect(await run(s3Conditions, req, 'rgw')).toEqual([]);
    // a non-empty prefix fails on RGW too
    const req2 = s3Form({ conditions: [['starts-with', '$x-amz-meta-tag', 'a']] });
    expect(messages(await run(s3Conditions, req2, 'rgw'))).toEqual(['Policy condition failed: starts-with: $x-amz-meta-tag, a']);
  });

  test('a field sent only after the file fails its condition', async () => {
    const out = one(await run(s3Conditions, s3Form({ after: [f('x-amz-meta-tag', 'a')], conditions: [['eq', '$x-amz-meta-tag', 'a']] })));
    expect(out.facts).toMatchObject({ afterFile: true });
  });

  test('Content-Type sent as a header / only on the file part, not as a field', async () => {
    const req = s3Form({ conditions: [['starts-with', '$Content-Type', 'image/']], headers: [['Content-Type', 'image/jpeg']] });
    const out = one(await run(s3Conditions, req));
    expect(out).toMatchObject({ id: 's3.content-type-not-field', facts: { fileContentType: 'image/jpeg', requestContentType: 'image/jpeg', headerNotMultipart: true } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]']);
  });

  test('a Content-Type list: every item must match (AWS)', async () => {
    const cond = [['starts-with', '$Content-Type', 'image/']];
    expect(await run(s3Conditions, s3Form({ fields: [f('Content-Type', 'image/png, image/jpeg')], conditions: cond }))).toEqual([]);
    const out = one(await run(s3Conditions, s3Form({ fields: [f('Content-Type', 'image/png, text/plain')], conditions: cond })));
    expect(out).toMatchObject({ id: 's3.content-type-list-failed', facts: { failing: ['text/plain'] } });
  });

  test('${filename} is replaced before the key is evaluated', async () => {
    const ok = s3Form({ conditions: [['eq', '$key', 'user/photo.jpg']] });
    const k = ok.parts.find((p) => p.name === 'key');
    if (k?.kind === 'field') k.value = 'user/${filename}';
    expect(await run(s3Conditions, ok)).toEqual([]);
    const bad = s3Form({ policyDoc: { expiration: '2030-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }, { key: 'user/${filename}' }, ...signingConditions({})] } });
    const k2 = bad.parts.find((p) => p.name === 'key');
    if (k2?.kind === 'field') k2.value = 'user/${filename}';
    const out = one(await run(s3Conditions, bad));
    expect(out).toMatchObject({ id: 's3.key-filename-condition', facts: { sent: 'user/${filename}', value: 'user/photo.jpg', fileName: 'photo.jpg' } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Policy Condition failed: ["eq", "$key", "user/${filename}"]']);
  });

  test('the bucket condition is checked against the URL', async () => {
    const req = s3Form({ url: 'https://otherbucket.s3.us-east-1.amazonaws.com/' });
    const out = one(await run(s3Conditions, req));
    expect(out).toMatchObject({ id: 's3.bucket-condition-failed', facts: { value: 'otherbucket', expected: 'examplebucket' } });
    expect(messages([out])).toEqual(['Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "examplebucket"]']);
    expect(messages(await run(s3Conditions, { ...req, url: 'http://localhost:8000/otherbucket' }, 'rgw'))).toEqual(['Policy check failed, variable not met condition: bucket']);
  });

  test('success_action_status takes exact matches only (AWS)', async () => {
    const out = one(await run(s3Conditions, s3Form({ fields: [f('success_action_status', '201')], conditions: [['starts-with', '$success_action_status', '20']] })));
    expect(out.id).toBe('s3.condition-exact-only');
  });

  test("x-amz-date must equal the policy's value", async () => {
    const req = s3Form({ date: '20300101T000500Z' });
    const doc = JSON.parse(Buffer.from((req.parts.find((p) => p.name === 'Policy') as { value: string }).value, 'base64').toString());
    doc.conditions[4] = { 'x-amz-date': DATE };
    (req.parts.find((p) => p.name === 'Policy') as { value: string }).value = b64(doc);
    expect(messages(await run(s3Conditions, req))).toEqual([`Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-date", "${DATE}"]`]);
  });
});

describe('s3.credential', () => {
  test("a well-formed credential in the endpoint's region: nothing", async () => {
    expect(await run(s3Credential, s3Form())).toEqual([]);
  });

  test('credential region differs from the endpoint region (AWS answer to a POST form)', async () => {
    const out = one(await run(s3Credential, s3Form({ url: 'https://examplebucket.s3.eu-central-1.amazonaws.com/' })));
    expect(out).toMatchObject({ id: 's3.wrong-region', facts: { region: 'us-east-1', expectedRegion: 'eu-central-1' } });
    // a POST form gets 400 InvalidArgument (ArgumentName X-Amz-Credential), not the header-signed AuthorizationHeaderMalformed
    expect(resolvePrediction(out.predicts!)).toEqual({
      rule: 's3.post.wrong-region-argument',
      status: 400,
      code: 'InvalidArgument',
      message: "the region 'us-east-1' is wrong; expecting 'eu-central-1'",
    });
  });

  test('custom endpoints (RGW) carry no region to compare', async () => {
    expect(await run(s3Credential, s3Form({ url: RGW_URL, credential: cred(AKID, '20300101', 'default') }), 'rgw')).toEqual([]);
  });

  test('x-amz-date on another day than the credential, and a malformed date', async () => {
    expect(one(await run(s3Credential, s3Form({ date: '20300102T000000Z' })))).toMatchObject({ id: 's3.date-credential-day', facts: { credentialDate: '20300101' } });
    expect(one(await run(s3Credential, s3Form({ date: '2030-01-01T00:00:00Z' })))).toMatchObject({ id: 's3.date-malformed' });
  });

  test('a credential with the wrong service or shape', async () => {
    expect(one(await run(s3Credential, s3Form({ credential: cred(AKID, '20300101', 'us-east-1', 'execute-api') })))).toMatchObject({
      id: 's3.credential-malformed',
      facts: { part: 'service', found: 'execute-api' },
    });
    const shape = one(await run(s3Credential, s3Form({ credential: `${AKID}/20300101/us-east-1` })));
    expect(shape).toMatchObject({ id: 's3.credential-malformed', facts: { part: 'shape' } });
    expect(String(shape.facts.credential)).not.toContain(AKID);
  });

  test('a temporary key without x-amz-security-token', async () => {
    const temp = 'ASIAIOSFODNN7EXAMPLE';
    const req = s3Form({ credential: cred(temp) });
    const out = one(await run(s3Credential, req));
    expect(out).toMatchObject({ id: 's3.security-token-missing', facts: { empty: false, afterFile: false } });
    expect(resolvePrediction(out.predicts!)).toEqual({
      rule: 's3.post.invalid-access-key-id',
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    });
    expect(resolvePrediction(one(await run(s3Credential, req, 'rgw')).predicts!)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await run(s3Credential, s3Form({ credential: cred(temp), fields: [f('x-amz-security-token', 'FwoGZXIvYXdzEXAMPLE')] }))).toEqual([]);
  });
});

describe('s3.pre-data', () => {
  test('a normal form: nothing', async () => {
    expect(await run(s3PreData, s3Form())).toEqual([]);
  });
  test('over 20 KB before the file (AWS); RGW has no such limit', async () => {
    const req = s3Form({ fields: [f('x-amz-meta-notes', 'x'.repeat(21 * 1024))] });
    const out = one(await run(s3PreData, req));
    expect(out).toMatchObject({ id: 's3.pre-data-too-large', facts: { largestField: 'x-amz-meta-notes', limit: 20480 } });
    expect(resolvePrediction(out.predicts!)).toMatchObject({ code: 'MaxPostPreDataLengthExceeded', message: 'Your POST request fields preceeding the upload file was too large.' });
    expect(await run(s3PreData, req, 'rgw')).toEqual([]);
  });
  test('just under the limit with framing: a warning', async () => {
    const out = one(await run(s3PreData, s3Form({ fields: [f('x-amz-meta-notes', 'x'.repeat(20 * 1024 - 800))] })));
    expect(out.severity).toBe('warning');
  });
  test('content-length-range bounds written as strings are normalised to numbers', async () => {
    const res = await check(s3Form({ conditions: [['content-length-range', '0', '1048576']] }), { provider: 's3', now: NOW, checks: [] });
    expect(res.policy?.conditions.find((c) => c.type === 'content-length-range')).toMatchObject({ min: 0, max: 1048576 });
  });
});

describe('through the default check list', () => {
  test('a form shaped like the AWS SigV4 POST example passes every S3 check (AWS and RGW)', async () => {
    const conditions = [
      { bucket: 'examplebucket' },
      ['starts-with', '$key', 'user/user1/'],
      { acl: 'public-read' },
      { success_action_redirect: 'http://examplebucket.s3.amazonaws.com/successful_upload.html' },
      ['starts-with', '$Content-Type', 'image/'],
      { 'x-amz-meta-uuid': '14365123651274' },
      { 'x-amz-server-side-encryption': 'AES256' },
      ['starts-with', '$x-amz-meta-tag', ''],
      { 'x-amz-credential': cred(AKID, '20300101') },
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-date': DATE },
    ];
    const policy = b64({ expiration: '2030-01-01T12:00:00.000Z', conditions });
    const parts = [
      f('key', 'user/user1/${filename}'),
      f('acl', 'public-read'),
      f('success_action_redirect', 'http://examplebucket.s3.amazonaws.com/successful_upload.html'),
      f('Content-Type', 'image/jpeg'),
      f('x-amz-meta-uuid', '14365123651274'),
      f('x-amz-server-side-encryption', 'AES256'),
      f('X-Amz-Credential', cred(AKID, '20300101')),
      f('X-Amz-Algorithm', 'AWS4-HMAC-SHA256'),
      f('X-Amz-Date', DATE),
      f('x-amz-meta-tag', ''),
      f('Policy', policy),
      f('X-Amz-Signature', 'c'.repeat(64)),
      file(),
    ];
    const req: UploadRequest = { method: 'POST', url: URL_US, headers: [['Content-Type', 'multipart/form-data; boundary=----b']], parts, boundary: '----b', bodyProblems: [], notes: [] };
    const aws = await check(req, { now: NOW });
    expect(aws.provider).toBe('s3');
    expect(aws.findings.filter((x) => x.severity !== 'info' && x.id.startsWith('s3.'))).toEqual([]);
    const rgw = await check({ ...req, url: RGW_URL }, { provider: 's3', server: 'rgw', now: NOW });
    expect(rgw.findings.filter((x) => x.severity !== 'info' && x.id.startsWith('s3.'))).toEqual([]);
    // the same form with a named submit button and no Content-Type condition
    const broken = { ...req, parts: [...parts.slice(0, -1), f('submit', 'Upload to Amazon S3'), file()] };
    const r = await check(broken, { now: NOW });
    expect(r.verdict).toBe('fail');
    expect(r.findings.filter((x) => x.id.startsWith('s3.')).map((x) => x.id)).toEqual(['s3.submit-button-field']);
  });
});
