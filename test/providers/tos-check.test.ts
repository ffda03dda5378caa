// Volcengine TOS through `check`, end to end (issue 16): forms the official SDK (@volcengine/tos-sdk
// preSignedPostSignature) signs, turned into a JSON form input, pass `check` with the secret; forms
// `post-doctor sign --provider tos` writes are signed the same by the SDK's own signing; each kind
// of tampering gets its finding and the answer predicted for it: TOS documents most POST refusals
// by their EC only, so the prediction is the EC (and the status where an SDK test shows it), and
// none where nothing is documented; and TOS's JSON answers are recognised by `explain`.
// Only the SDK's local signing helper is called, never a request method; the clock is fixed.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { resolvePrediction } from '../../src/core/catalogue.js';
import type { Finding, ResolvedPrediction } from '../../src/core/types.js';
import { explain } from '../../src/explain/index.js';
import { sign, type SignOptions } from '../../src/sign/index.js';
import { b64json, checkJson, cli, errors, LATER, NOW, policyOf, replaced, uploadOf, useFixedClock, withPolicyText, without, writeForm, type JsonForm } from './obs-tos-cli.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();

const require = createRequire(import.meta.url);
const { TosClient } = require('@volcengine/tos-sdk') as { TosClient: new (o: Record<string, unknown>) => any };

useFixedClock();

const AK = 'AKLTEXAMPLE';
const SK = 'TOSSECRETEXAMPLEKEY0000000000000000';
const REGION = 'cn-beijing';
const BUCKET = 'examplebucket';
const URL = `https://${BUCKET}.tos-${REGION}.volces.com/`;
const tosClient = (o: Record<string, unknown> = {}) => new TosClient({ accessKeyId: AK, accessKeySecret: SK, region: REGION, endpoint: `tos-${REGION}.volces.com`, ...o });

const SIG_MESSAGE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** Each error with the answer predicted for it: [finding, entry, EC, status] (null: no answer predicted). */
const predicted = (fs: readonly Finding[]): Array<[string, string | null, string | null, number | null]> =>
  errors(fs).map((f) => {
    const p: ResolvedPrediction | null = f.predicts ? resolvePrediction(f.predicts) : null;
    return [f.id, p?.rule ?? null, p?.ec ?? null, p?.status ?? null];
  });

/** The SigV4 chain TOS signs with (no key prefix, service "tos", terminator "request"), written out independently. */
function tosSignature(secret: string, day: string, region: string, policyBase64: string): string {
  const h = (k: string | Buffer, m: string): Buffer => createHmac('sha256', k).update(m).digest();
  return createHmac('sha256', h(h(h(h(secret, day), region), 'tos'), 'request'))
    .update(policyBase64)
    .digest('hex');
}

// ---------------------------------------------------------------------------

describe('oracle: forms @volcengine/tos-sdk preSignedPostSignature signs pass `check` (JSON form input, CLI)', () => {
  const input = {
    bucket: BUCKET,
    key: 'uploads/d.png',
    expiresIn: 900,
    conditions: [
      ['content-length-range', 1, 1048576],
      ['starts-with', '$Content-Type', 'image/'],
    ],
  };
  const formOf = (f: Record<string, string>, extra: Array<[string, string]> = [['Content-Type', 'image/png']]): JsonForm => ({
    url: URL,
    // the SDK's fields in its order; the Content-Type its starts-with condition asks for before the policy
    fields: [...Object.entries(f).filter(([k]) => k !== 'policy' && k !== 'x-tos-signature'), ...extra, ['policy', f.policy!], ['x-tos-signature', f['x-tos-signature']!]],
    file: { name: 'd.png', size: 2048, contentType: 'image/png' },
  });

  it('exit 0, tos-v4 signature valid, nothing wrong; detected as TOS without --provider', async () => {
    const f = (await tosClient().preSignedPostSignature(input)) as Record<string, string>;
    const res = await checkJson(writeForm(formOf(f), 'tos-sdk'), SK, LATER);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.verdict).toBe('pass');
    expect(res.json!.provider).toBe('tos');
    expect(res.json!.signature).toMatchObject({ scheme: 'tos-v4', checked: true, valid: true });
    expect(res.json!.findings.filter((x) => x.severity !== 'info')).toEqual([]);
    expect(res.json!.findings.map((x) => x.id)).toContain('signature.valid');
  });

  it('with fields the SDK pins (x-tos-acl, success_action_status) and temporary credentials (x-tos-security-token)', async () => {
    const f = (await tosClient({ stsToken: 'tos-sts-token' }).preSignedPostSignature({ ...input, fields: { 'x-tos-acl': 'private', success_action_status: '201' } })) as Record<string, string>;
    expect(f['x-tos-security-token']).toBe('tos-sts-token');
    expect(f['x-tos-acl']).toBe('private');
    const res = await checkJson(writeForm(formOf(f)), SK, LATER, ['--provider', 'tos']);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.signature).toMatchObject({ scheme: 'tos-v4', valid: true });
    // the token is pinned: a form without it fails that condition (EC 0017-00000415)
    const r = await check(uploadOf(URL, without(formOf(f).fields, 'x-tos-security-token')), { provider: 'tos', now: LATER, secret: SK });
    expect(predicted(r.findings)).toEqual([['tos.condition-field-missing', 'tos.post.condition-field-missing', '0017-00000415', null]]);
  });

  it('with another secret: signature.invalid, 403 SignatureDoesNotMatch (the wording of a real TOS answer, to a pre-signed URL: inferred for a form)', async () => {
    const f = (await tosClient().preSignedPostSignature(input)) as Record<string, string>;
    const res = await checkJson(writeForm(formOf(f)), 'AnotherSecretKey0000000000000000000', LATER);
    expect(res.code).toBe(1);
    expect(res.json!.signature).toMatchObject({ valid: false });
    expect(res.json!.findings.filter((x) => x.severity === 'error').map((x) => [x.id, x.predicts])).toEqual([
      ['signature.invalid', { status: 403, code: 'SignatureDoesNotMatch', message: SIG_MESSAGE, basis: 'inferred' }],
    ]);
  });

  it('a Content-Type outside the starts-with condition: tos.condition-failed, 403 with EC 0017-00000416', async () => {
    const f = (await tosClient().preSignedPostSignature(input)) as Record<string, string>;
    const res = await checkJson(writeForm(formOf(f, [['Content-Type', 'text/plain']])), SK, LATER);
    expect(res.code).toBe(1);
    expect(res.json!.signature).toMatchObject({ valid: true });
    expect(res.json!.findings.filter((x) => x.severity === 'error').map((x) => [x.id, x.predicts])).toEqual([
      ['tos.condition-failed', { status: 403, code: null, message: null, ec: '0017-00000416' }],
    ]);
    // the text says what is known and that the rest is not documented
    const text = await cli(['check', writeForm(formOf(f, [['Content-Type', 'text/plain']])), '--secret-env', 'PD_SECRET', '--now', LATER.toISOString()], { PD_SECRET: SK });
    expect(text.out).toContain('403 EC 0017-00000416 (the rest of its answer is not documented)');
  });
});

// ---------------------------------------------------------------------------

describe('`post-doctor sign --provider tos` forms: the SDK signs the same policy text the same', () => {
  const signArgs = [
    'sign',
    '--provider',
    'tos',
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
    ['long-term credentials', {}, []],
    ['temporary credentials', { stsToken: 'tos-sts-token' }, ['--token-env', 'PD_TOKEN']],
  ] as const)('%s', async (_label, client, extra) => {
    const out = await cli([...signArgs, ...extra], { PD_SECRET: SK, PD_TOKEN: 'tos-sts-token' });
    expect(out.code, out.err).toBe(0);
    const signed = JSON.parse(out.out) as { scheme: string; url: string; fields: Array<[string, string]> };
    expect(signed.scheme).toBe('tos-v4');
    expect(signed.url).toBe(URL);
    const field = (n: string): string | undefined => signed.fields.find(([k]) => k === n)?.[1];
    const policyJson = Buffer.from(field('policy')!, 'base64').toString('utf8');

    // the SDK's key chain and HMAC over post-doctor's policy text (its own text swapped for ours)
    const { result, swapped } = await withPolicyText(policyJson, () => tosClient(client).preSignedPostSignature({ bucket: BUCKET, key: 'uploads/x' }) as Promise<Record<string, string>>);
    expect(swapped).toBeGreaterThan(0);
    expect(result.policy).toBe(field('policy'));
    expect(result['x-tos-signature']).toBe(field('x-tos-signature'));
    for (const name of ['x-tos-algorithm', 'x-tos-date', 'x-tos-credential', 'x-tos-security-token']) expect(result[name], name).toBe(field(name));

    const res = await checkJson(writeForm({ url: signed.url, fields: signed.fields, file: { name: 'a.txt', size: 100, contentType: 'text/plain' } }), SK, LATER);
    expect(res.code, res.out).toBe(0);
    expect(res.json!.signature).toMatchObject({ scheme: 'tos-v4', valid: true });
  });
});

// ---------------------------------------------------------------------------

describe('mutations: the finding and the predicted answer (the EC; none where TOS documents none)', () => {
  const base = (o: Partial<SignOptions> = {}) =>
    sign({
      provider: 'tos',
      bucket: BUCKET,
      region: REGION,
      keyPrefix: 'uploads/',
      minSize: 1,
      maxSize: 1000,
      now: NOW,
      expiresAt: new Date('2030-01-01T01:00:00Z'),
      accessKeyId: AK,
      secret: SK,
      fields: [['x-tos-acl', 'private']],
      ...o,
    });
  const run = (fields: Array<[string, string]>, o: { size?: number; file?: boolean; now?: Date } = {}) => check(uploadOf(URL, fields, o), { provider: 'tos', now: o.now ?? LATER, secret: SK });
  /** The form with another policy, signed again (a valid signature: only the policy's content is wrong). */
  const resigned = (fields: Array<[string, string]>, policy: unknown): Array<[string, string]> => {
    const pol = typeof policy === 'string' ? policy : b64json(policy);
    return replaced(replaced(fields, 'policy', pol), 'x-tos-signature', tosSignature(SK, '20300101', REGION, pol));
  };
  const withCondition = (c: unknown) => {
    const f = base();
    const doc = policyOf(f.fields);
    return resigned(f.fields, { ...doc, conditions: [...doc.conditions, c] });
  };

  it('the signed form passes', async () => {
    const r = await run(base().fields);
    expect(r.verdict).toBe('pass');
    expect(r.signature).toMatchObject({ scheme: 'tos-v4', valid: true });
    // and re-signing the same policy with the independent chain gives the same form
    const f = base();
    expect(resigned(f.fields, policyOf(f.fields))).toEqual(replaced(f.fields, 'policy', b64json(policyOf(f.fields))));
  });

  it('the policy changed after signing: signature.invalid, 403 SignatureDoesNotMatch (its POST EC is not documented)', async () => {
    const f = base();
    const doc = policyOf(f.fields);
    doc.expiration = '2030-01-01T05:00:00.000Z';
    const r = await run(replaced(f.fields, 'policy', b64json(doc)));
    expect(predicted(r.findings)).toEqual([['signature.invalid', 'tos.post.signature-mismatch', null, 403]]);
    // the wording was seen on a pre-signed URL (coze-studio#2272), not a POST form: said as "probably"
    expect(resolvePrediction(errors(r.findings)[0]!.predicts!)).toEqual({ rule: 'tos.post.signature-mismatch', status: 403, code: 'SignatureDoesNotMatch', message: SIG_MESSAGE, basis: 'inferred' });
  });

  it('an expired policy: time.expired, 403 with EC 0017-00000407', async () => {
    const r = await run(base().fields, { now: new Date('2030-01-01T01:30:00Z') });
    expect(predicted(r.findings)).toEqual([['time.expired', 'tos.post.policy-expired', '0017-00000407', 403]]);
  });

  it('a condition failed: tos.condition-failed, 403 with EC 0017-00000416', async () => {
    const f = base();
    const key = await run(replaced(f.fields, 'key', 'other/photo.png'));
    expect(predicted(key.findings)).toEqual([['tos.condition-failed', 'tos.post.condition-failed', '0017-00000416', 403]]);
    expect(errors(key.findings)[0]!.facts).toMatchObject({ field: 'key', operator: 'starts-with', expected: 'uploads/', value: 'other/photo.png' });
    const acl = await run(replaced(f.fields, 'x-tos-acl', 'public-read'));
    expect(predicted(acl.findings)).toEqual([['tos.condition-failed', 'tos.post.condition-failed', '0017-00000416', 403]]);
  });

  it('a condition on a field the form does not send: tos.condition-field-missing, EC 0017-00000415', async () => {
    const r = await run(without(base().fields, 'x-tos-acl'));
    expect(predicted(r.findings)).toEqual([['tos.condition-field-missing', 'tos.post.condition-field-missing', '0017-00000415', null]]);
  });

  it('a field not in the policy: tos.field-not-in-policy, EC 0017-00000417; x-ignore-* is exempt, x-tos-date is not', async () => {
    const f = base();
    const at = f.fields.findIndex(([k]) => k === 'policy');
    const extra: Array<[string, string]> = [...f.fields.slice(0, at), ['Content-Type', 'image/png'], ['x-ignore-note', 'anything'], ...f.fields.slice(at)];
    const r = await run(extra);
    expect(predicted(r.findings)).toEqual([['tos.field-not-in-policy', 'tos.post.field-not-in-policy', '0017-00000417', null]]);
    expect(errors(r.findings)[0]!.field).toBe('Content-Type');
    // the EC page's own example: x-tos-date sent without a condition
    const doc = policyOf(f.fields);
    const unpinned = resigned(f.fields, { ...doc, conditions: doc.conditions.filter((c) => !(c && typeof c === 'object' && 'x-tos-date' in c)) });
    expect(predicted((await run(unpinned)).findings)).toEqual([['tos.field-not-in-policy', 'tos.post.field-not-in-policy', '0017-00000417', null]]);
  });

  it('a signing field missing: tos.field-missing, no answer predicted for it (not documented)', async () => {
    const f = base();
    for (const name of ['x-tos-algorithm', 'x-tos-credential', 'x-tos-date', 'policy', 'x-tos-signature', 'key']) {
      const r = await run(without(f.fields, name));
      const missing = errors(r.findings).filter((x) => x.id === 'tos.field-missing');
      expect(
        missing.map((x) => [x.field, x.predicts]),
        name,
      ).toEqual([[name, null]]);
      // what else is predicted is what TOS documents: the pinned field's condition (EC 0017-00000415)
      const pinned = ['x-tos-algorithm', 'x-tos-credential', 'x-tos-date'].includes(name);
      expect(
        predicted(r.findings).filter(([, rule]) => rule !== null),
        name,
      ).toEqual(pinned ? [['tos.condition-field-missing', 'tos.post.condition-field-missing', '0017-00000415', null]] : []);
    }
  });

  it('the wrong algorithm: tos.algorithm-invalid, EC 0002-00000030 (and the pinned condition fails)', async () => {
    const f = base();
    // an S3 signer's algorithm, pinned by the policy as well and signed again: only the algorithm is wrong
    const doc = policyOf(f.fields);
    const aws = resigned(replaced(f.fields, 'x-tos-algorithm', 'AWS4-HMAC-SHA256'), {
      ...doc,
      conditions: doc.conditions.map((c) => (c && typeof c === 'object' && 'x-tos-algorithm' in c ? { 'x-tos-algorithm': 'AWS4-HMAC-SHA256' } : c)),
    });
    const r = await run(aws);
    expect(r.signature).toMatchObject({ valid: true });
    expect(predicted(r.findings)).toEqual([['tos.algorithm-invalid', 'tos.post.algorithm-invalid', '0002-00000030', null]]);
    // only the field changed: the policy's condition on it fails too
    const r2 = await run(replaced(f.fields, 'x-tos-algorithm', 'AWS4-HMAC-SHA256'));
    expect(predicted(r2.findings)).toEqual([
      ['tos.algorithm-invalid', 'tos.post.algorithm-invalid', '0002-00000030', null],
      ['tos.condition-failed', 'tos.post.condition-failed', '0017-00000416', 403],
    ]);
  });

  it('form data over 20 KB before the file: tos.form-too-large, EC 0017-00000419', async () => {
    const f = base({ fields: [['x-tos-meta-note', 'x'.repeat(21_000)]] });
    const r = await run(f.fields);
    expect(r.signature).toMatchObject({ valid: true });
    expect(predicted(r.findings)).toEqual([['tos.form-too-large', 'tos.post.form-too-large', '0017-00000419', null]]);
    // the value is in the form and, pinned, in the policy: the policy (base64) is the largest field
    expect(errors(r.findings)[0]!.facts).toMatchObject({ limit: 20 * 1024, largest: 'policy' });
    // under: nothing
    const under = base({ fields: [['x-tos-meta-note', 'x'.repeat(6_000)]] });
    expect(errors((await run(under.fields)).findings)).toEqual([]);
  });

  it('a file outside content-length-range: file.too-large / too-small, EC 0005-00000030', async () => {
    expect(predicted((await run(base().fields, { size: 5000 })).findings)).toEqual([['file.too-large', 'tos.post.size-out-of-range', '0005-00000030', null]]);
    expect(predicted((await run(base().fields, { size: 0 })).findings)).toEqual([['file.too-small', 'tos.post.size-out-of-range', '0005-00000030', null]]);
  });

  it('no file part: file.missing, EC 0017-00000421', async () => {
    expect(predicted((await run(base().fields, { file: false })).findings)).toEqual([['file.missing', 'tos.post.file-missing', '0017-00000421', null]]);
  });

  it('the policy document: each documented EC', async () => {
    const f = base();
    const doc = policyOf(f.fields);
    const cases: Array<[string, Array<[string, string]>, [string, string, string]]> = [
      ['not base64', resigned(f.fields, '%%not base64%%'), ['policy.base64-bad-char', 'tos.post.policy-not-base64', '0017-00000402']],
      ['a member besides expiration and conditions', resigned(f.fields, { ...doc, version: '1' }), ['tos.policy-unknown-property', 'tos.post.policy-unsupported-field', '0017-00000403']],
      ['conditions not a list', resigned(f.fields, { ...doc, conditions: { key: 'uploads/' } }), ['policy.conditions-not-array', 'tos.post.policy-conditions-not-list', '0017-00000404']],
      ['not JSON', resigned(f.fields, Buffer.from('{"expiration":').toString('base64')), ['policy.json-invalid', 'tos.post.policy-invalid-json', '0017-00000405']],
      ['expiration not ISO 8601', resigned(f.fields, { ...doc, expiration: '2030/01/01 01:00' }), ['policy.expiration-invalid', 'tos.post.policy-expiration-format', '0017-00000406']],
      ['an object condition with two members', withCondition({ a: 'x', b: 'y' }), ['policy.simple-condition-properties', 'tos.post.condition-map-size', '0017-00000408']],
      // volcengine/ve-tos-python-sdk#45: the SDK wrote content-length-range as an object condition
      [
        'an object condition whose value is not a string',
        withCondition({ 'content-length-range': [0, 1048576] }),
        ['tos.condition-value-not-string', 'tos.post.condition-value-not-string', '0017-00000409'],
      ],
      ['an object condition whose value is a number', withCondition({ success_action_status: 201 }), ['tos.condition-value-not-string', 'tos.post.condition-value-not-string', '0017-00000409']],
      ['an array condition of two', withCondition(['eq', '$key']), ['policy.condition-arity', 'tos.post.condition-list-length', '0017-00000410']],
      ['an unknown operator', withCondition(['matches', '$key', 'x']), ['policy.condition-unknown-operator', 'tos.post.condition-operator', '0017-00000411']],
      ['a field without $', withCondition(['eq', 'key', 'uploads/']), ['policy.condition-field-prefix', 'tos.post.condition-field-name', '0017-00000413']],
      ['a third element that is not a string', withCondition(['eq', '$success_action_status', 201]), ['tos.condition-value-not-string', 'tos.post.condition-value-type', '0017-00000414']],
    ];
    for (const [label, fields, [id, rule, ec]] of cases) {
      const r = await run(fields);
      // the first error that predicts an answer is what serve answers
      const first = errors(r.findings).find((x) => x.predicts);
      expect(first?.id, label).toBe(id);
      expect(first && resolvePrediction(first.predicts!), label).toMatchObject({ rule, ec });
      // a condition TOS cannot read is not evaluated as well
      expect(
        errors(r.findings).map((x) => x.id),
        label,
      ).not.toContain('tos.condition-failed');
    }
    // the real wording reported for the object form (volcengine/ve-tos-python-sdk#45)
    const r = await run(withCondition({ 'content-length-range': [0, 1048576] }));
    expect(resolvePrediction(errors(r.findings).find((x) => x.id === 'tos.condition-value-not-string')!.predicts!)).toMatchObject({
      code: 'InvalidPolicy',
      message: 'Invalid Policy: Invalid Simple-Condition: value must be a string',
    });
  });

  // TOS documents min > max of content-length-range under EC 0017-00000412
  it('content-length-range with its minimum above its maximum: EC 0017-00000412', async () => {
    const r = await run(withCondition(['content-length-range', 10, 1]));
    const first = errors(r.findings).find((x) => x.predicts);
    expect(first && resolvePrediction(first.predicts!)).toMatchObject({ rule: 'tos.post.content-length-range-invalid', ec: '0017-00000412' });
  });

  it('bounds that are not numbers: policy.content-length-range-invalid, EC 0017-00000412', async () => {
    const r = await run(withCondition(['content-length-range', 'a', 'b']));
    const first = errors(r.findings).find((x) => x.predicts);
    expect(first?.id).toBe('policy.content-length-range-invalid');
    expect(resolvePrediction(first!.predicts!)).toMatchObject({ rule: 'tos.post.content-length-range-invalid', ec: '0017-00000412' });
  });

  it('several file parts: not documented for TOS, no answer predicted', async () => {
    const f = base();
    const req = uploadOf(URL, f.fields);
    req.parts.push({ kind: 'file', name: 'file', filename: 'b.png', contentType: 'image/png', size: 10, source: { type: 'generated', size: 10 } });
    const r = await check(req, { provider: 'tos', now: LATER, secret: SK });
    expect(errors(r.findings).filter((x) => x.predicts)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// explain. The answers below are constructed for these tests (not captured). Their wordings and
// EC are the knowledge base's (rules/kb/tos/post.yaml), whose sources are real answers:
// coze-dev/coze-studio#2272 (SignatureDoesNotMatch with this Message and EC 0002-00000024, a
// pre-signed URL) and bytedance/Protenix#296 (AccessDenied "Access Denied", EC 0003-00000015, a
// download); the request-id shape is the one docs/research/obs-tos.md §2.2 records from them.

const TOS_RID = 'b17801d4f4dcc15c68d4f4dc-bbe8b18-1v1gmi-GO-cs-tos-front-aza-19';
const sigDoc = JSON.stringify({ Code: 'SignatureDoesNotMatch', RequestId: TOS_RID, HostId: 'sandboxHostId0123456789', Message: SIG_MESSAGE, EC: '0002-00000024' });

describe('explain: TOS JSON answers are recognised as TOS, with the right entry', () => {
  it('a JSON SignatureDoesNotMatch answer with Server: TosServer, x-tos-request-id and x-tos-ec', () => {
    const text = ['HTTP/1.1 403 Forbidden', 'Server: TosServer', `x-tos-request-id: ${TOS_RID}`, 'x-tos-ec: 0002-00000024', 'Content-Type: application/json', '', sigDoc].join('\r\n');
    const ex = explain(text);
    expect(ex.provider).toBe('tos');
    expect(ex.error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', message: SIG_MESSAGE, requestId: TOS_RID, ec: '0002-00000024' });
    expect(ex.matches[0]).toMatchObject({ rule: 'tos.post.signature-mismatch', via: 'message' });
  });

  it('the same JSON document pasted alone: TOS by its request id and JSON shape (OSS shares the EC shape, not the document)', () => {
    const ex = explain(sigDoc);
    expect(ex.provider).toBe('tos');
    expect(ex.matches[0]?.rule).toBe('tos.post.signature-mismatch');
    expect(ex.detection.scores.tos).toBeGreaterThan(ex.detection.scores.oss);
  });

  it('AccessDenied after a curl command line to a TOS host: TOS, "Access Denied"', () => {
    const text = [
      `$ curl -L 'https://${BUCKET}.tos-${REGION}.volces.com/uploads/a.bin'`,
      JSON.stringify({ Code: 'AccessDenied', RequestId: '...', Message: 'Access Denied', EC: '0003-00000015', DetailErrCode: 14006 }),
    ].join('\n');
    const ex = explain(text);
    expect(ex.provider).toBe('tos');
    expect(ex.error).toMatchObject({ code: 'AccessDenied', message: 'Access Denied', ec: '0003-00000015' });
    expect(ex.matches[0]?.rule).toBe('tos.post.access-denied');
  });

  it('an answer TOS documents by its EC only (x-tos-ec 0017-00000407): the expired-policy entry', () => {
    const text = [
      'HTTP/1.1 403 Forbidden',
      'Server: TosServer',
      `x-tos-request-id: ${TOS_RID}`,
      'x-tos-ec: 0017-00000407',
      'Content-Type: application/json',
      '',
      JSON.stringify({ RequestId: TOS_RID, HostId: 'h', EC: '0017-00000407' }),
    ].join('\r\n');
    const ex = explain(text);
    expect(ex.provider).toBe('tos');
    expect(ex.error).toMatchObject({ status: 403, ec: '0017-00000407', code: null });
    expect(ex.matches[0]).toMatchObject({ rule: 'tos.post.policy-expired', via: 'ec' });
  });

  // a JSON error document without a Message member has no message (not the document's text)
  it('an EC-only JSON document has no message', () => {
    const ex = explain(JSON.stringify({ RequestId: TOS_RID, HostId: 'h', EC: '0017-00000407' }));
    expect(ex.error.message).toBeNull();
  });
});

it('made no network request', () => {
  expect(network.attempts()).toBe(0);
});
