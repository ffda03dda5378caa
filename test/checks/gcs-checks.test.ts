// The Google Cloud Storage checks, each through the engine with hand-built V4 POST forms.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import type { Check } from '../../src/check/types.js';
import { renderFinding, resolvePrediction } from '../../src/core/catalogue.js';
import type { Finding, Part, UploadRequest } from '../../src/core/types.js';
import { gcsFields } from '../../src/checks/gcs-fields.js';
import { gcsPolicyFields } from '../../src/checks/gcs-policy-fields.js';
import { gcsConditions } from '../../src/checks/gcs-conditions.js';
import { gcsCredential } from '../../src/checks/gcs-credential.js';

const b64 = (doc: unknown): string => Buffer.from(JSON.stringify(doc)).toString('base64');
const f = (name: string, value: string): Part => ({ kind: 'field', name, value });
const file = (): Part => ({ kind: 'file', name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', size: 1024, source: { type: 'generated', size: 1024 } });

const URL = 'https://storage.googleapis.com/examplebucket';
const DATE = '20300101T000000Z';
const CRED = 'GOOG1EXAMPLEHMACACCESSID/20300101/auto/storage/goog4_request';
const NOW = new Date('2030-01-01T00:05:00Z');

interface GcsFormOptions {
  url?: string;
  conditions?: unknown[];
  expiration?: string;
  fields?: Part[];
  omit?: string[];
  credential?: string;
  date?: string;
  algorithm?: string;
}

function gcsForm(o: GcsFormOptions = {}): UploadRequest {
  const algorithm = o.algorithm ?? 'GOOG4-HMAC-SHA256';
  const credential = o.credential ?? CRED;
  const date = o.date ?? DATE;
  const doc = {
    expiration: o.expiration ?? '2030-01-01T01:00:00Z',
    conditions: [
      { bucket: 'examplebucket' },
      ['starts-with', '$key', 'user/'],
      { 'x-goog-algorithm': algorithm },
      { 'x-goog-credential': credential },
      { 'x-goog-date': date },
      ...(o.conditions ?? []),
    ],
  };
  const parts = [
    f('key', 'user/photo.jpg'),
    ...(o.fields ?? []),
    f('x-goog-algorithm', algorithm),
    f('x-goog-credential', credential),
    f('x-goog-date', date),
    f('policy', b64(doc)),
    f('x-goog-signature', 'b'.repeat(64)),
  ].filter((p) => !(o.omit ?? []).includes(p.name));
  return { method: 'POST', url: o.url ?? URL, headers: [], parts: [...parts, file()], boundary: '----b', bodyProblems: [], notes: [] };
}

async function run(c: Check, req: UploadRequest): Promise<Finding[]> {
  const res = await check(req, { provider: 'gcs', checks: [c], now: NOW });
  for (const x of res.findings) for (const lang of ['en', 'ja', 'zh'] as const) renderFinding(x, lang);
  return res.findings;
}

const GCS_MESSAGE = 'The content of the form does not meet the conditions specified in the policy document.';

describe('gcs.fields', () => {
  test('a complete V4 form: nothing', async () => {
    expect(await run(gcsFields, gcsForm())).toEqual([]);
  });
  test('no policy: InvalidPolicyDocument, details "Missing policy"', async () => {
    const out = await run(gcsFields, gcsForm({ omit: ['policy'] }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.field-missing', facts: expect.objectContaining({ field: 'policy', details: 'Missing policy' }) })]);
    expect(resolvePrediction(out[0]!.predicts!)).toEqual({ rule: 'gcs.post.invalid-policy-document', status: 400, code: 'InvalidPolicyDocument', message: GCS_MESSAGE });
  });
  test('a missing signature or key is reported without a predicted wording', async () => {
    const out = await run(gcsFields, gcsForm({ omit: ['x-goog-signature', 'key'] }));
    expect(out.map((x) => [x.facts.field, x.predicts])).toEqual([
      ['key', null],
      ['x-goog-signature', null],
    ]);
  });
  test('an unknown algorithm', async () => {
    const out = await run(gcsFields, gcsForm({ algorithm: 'GOOG4-HMAC-SHA1' }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.algorithm-invalid', facts: expect.objectContaining({ value: 'GOOG4-HMAC-SHA1', caseOnly: false }) })]);
    expect(await run(gcsFields, gcsForm({ algorithm: 'GOOG4-RSA-SHA256', credential: 'uploader@proj.iam.gserviceaccount.com/20300101/auto/storage/goog4_request' }))).toEqual([]);
  });
});

describe('gcs.policy-fields', () => {
  test('x-ignore- fields are exempt: nothing', async () => {
    expect(await run(gcsPolicyFields, gcsForm({ fields: [f('x-ignore-submit', 'Upload')] }))).toEqual([]);
  });
  test('a named submit button: "Policy did not reference these fields: submit"', async () => {
    const out = await run(gcsPolicyFields, gcsForm({ fields: [f('submit', 'Upload')] }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.submit-button-field', facts: expect.objectContaining({ details: 'Policy did not reference these fields: submit' }) })]);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe(GCS_MESSAGE);
  });
  test('another unreferenced field; a referenced one passes', async () => {
    const out = await run(gcsPolicyFields, gcsForm({ fields: [f('Content-Type', 'image/jpeg')] }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.field-not-in-policy', facts: expect.objectContaining({ field: 'Content-Type' }) })]);
    expect(await run(gcsPolicyFields, gcsForm({ fields: [f('Content-Type', 'image/jpeg')], conditions: [['starts-with', '$content-type', 'image/']] }))).toEqual([]);
  });
});

describe('gcs.conditions', () => {
  test('all conditions met: nothing', async () => {
    expect(await run(gcsConditions, gcsForm())).toEqual([]);
  });
  test('the bucket condition against the URL, and a bucket field naming another bucket', async () => {
    const out = await run(gcsConditions, gcsForm({ url: 'https://storage.googleapis.com/otherbucket' }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.bucket-mismatch', facts: { bucket: 'otherbucket', expected: 'examplebucket', source: 'condition' } })]);
    expect(resolvePrediction(out[0]!.predicts!).code).toBe('InvalidPolicyDocument');
    const field = await run(gcsConditions, gcsForm({ fields: [f('bucket', 'otherbucket')], conditions: [['starts-with', '$bucket', '']] }));
    expect(field.map((x) => x.id)).toEqual(['gcs.bucket-mismatch']);
    expect(field[0]?.facts.source).toBe('field');
  });
  test('a failed condition and a missing field', async () => {
    const out = await run(gcsConditions, gcsForm({ fields: [f('success_action_status', '200')], conditions: [{ success_action_status: '201' }, ['eq', '$x-goog-meta-owner', 'me']] }));
    expect(out.map((x) => x.id)).toEqual(['gcs.condition-failed', 'gcs.condition-field-missing']);
  });
});

describe('gcs.credential', () => {
  test('a well-formed credential and date: nothing', async () => {
    expect(await run(gcsCredential, gcsForm())).toEqual([]);
  });
  test('region other than auto', async () => {
    const out = await run(gcsCredential, gcsForm({ credential: 'GOOG1EXAMPLEHMACACCESSID/20300101/us-central1/storage/goog4_request' }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.region-not-auto', facts: expect.objectContaining({ region: 'us-central1' }) })]);
  });
  test('malformed credential parts', async () => {
    const out = await run(gcsCredential, gcsForm({ credential: 'GOOG1EXAMPLEHMACACCESSID/20300101/auto/s3/aws4_request' }));
    expect(out.map((x) => x.facts.part)).toEqual(['service', 'terminator']);
  });
  test('x-goog-date: format and day', async () => {
    expect((await run(gcsCredential, gcsForm({ date: '2030-01-01T00:00:00Z' })))[0]?.id).toBe('gcs.date-malformed');
    expect((await run(gcsCredential, gcsForm({ date: '20291231T235900Z' })))[0]).toMatchObject({ id: 'gcs.date-credential-day', facts: { credentialDate: '20300101' } });
  });
  test('expiration more than 7 days after x-goog-date', async () => {
    // signed long ago: from now the policy is within 7 days, from x-goog-date it is not
    const out = await run(gcsCredential, gcsForm({ date: '20291220T000000Z', credential: 'GOOG1EXAMPLEHMACACCESSID/20291220/auto/storage/goog4_request', expiration: '2030-01-02T00:00:00Z' }));
    expect(out).toEqual([expect.objectContaining({ id: 'gcs.validity-too-long', facts: expect.objectContaining({ limitSeconds: 604800, validitySeconds: 13 * 86400 }) })]);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe(GCS_MESSAGE);
    expect(await run(gcsCredential, gcsForm({ expiration: '2030-01-07T00:00:00Z' }))).toEqual([]);
  });
});

describe('through the default check list', () => {
  test('a complete V4 form passes every GCS check; a submit button fails it', async () => {
    const ok = await check(gcsForm(), { now: NOW });
    expect(ok.provider).toBe('gcs');
    expect(ok.findings.filter((x) => x.severity !== 'info' && x.id.startsWith('gcs.'))).toEqual([]);
    const bad = await check(gcsForm({ fields: [f('submit', 'Upload')] }), { now: NOW });
    expect(bad.findings.filter((x) => x.id.startsWith('gcs.')).map((x) => x.id)).toEqual(['gcs.submit-button-field']);
  });
});
