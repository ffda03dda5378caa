import type { FindingId, KbId } from '../../src/generated/ids.js';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { resolvePrediction } from '../../src/core/catalogue.js';
import { InputError } from '../../src/core/errors.js';
import type { Check } from '../../src/check/types.js';
import { b64, cosPolicy, cosRequest, COS_AK, COS_SECRET, field, file, ossPolicy, ossRequest, request } from './helpers.js';

/** The policy field of the COS POST Object document (555 bytes decoded). */
export const COS_DOC_POLICY =
  'ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9';

const ids = (r: { findings: Array<{ id: string }> }): string[] => r.findings.map((f) => f.id);
const before = new Date('2019-08-30T09:00:00Z');

describe('provider detection', () => {
  test('COS and OSS forms are detected', async () => {
    expect((await check(cosRequest(cosPolicy()), { now: before })).provider).toBe('cos');
    expect((await check(ossRequest(ossPolicy()), { now: before })).provider).toBe('oss');
  });
  test('--provider overrides detection', async () => {
    const r = await check(cosRequest(cosPolicy()), { now: before, provider: 's3' });
    expect(r.provider).toBe('s3');
    expect(r.detection.by).toBe('option');
  });
  test('an unrecognisable form is an InputError', async () => {
    const req = request(null, [field('foo', 'bar'), file(1)]);
    await expect(check(req, { now: before })).rejects.toThrow(InputError);
    await expect(check(req, { now: before })).rejects.toThrow('cannot tell the provider');
    await expect(check(req, { now: before })).rejects.not.toThrow(/--provider/);
  });
});

describe('COS document example', () => {
  const docReq = () =>
    request('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', [
      field('key', 'folder/subfolder/photo.jpg'),
      field('Content-Type', 'image/jpeg'),
      field('success_action_redirect', 'https://my.website/success.html'),
      field('x-cos-server-side-encryption', 'AES256'),
      field('acl', 'default'),
      field('policy', COS_DOC_POLICY),
      field('q-sign-algorithm', 'sha1'),
      field('q-ak', COS_AK),
      field('q-key-time', '1567150692;1567157892'),
      field('q-signature', '7758dc9a832e9d301dca704cacbf9d9f8172fdef'),
      file(1024),
    ]);
  test('signature valid with the secret, pass before expiry', async () => {
    const r = await check(docReq(), { now: new Date('2019-08-30T08:00:00Z'), secret: COS_SECRET });
    expect(r.signature?.valid).toBe(true);
    expect(ids(r)).toContain('signature.valid');
    expect(r.verdict).toBe('pass');
    expect(r.policy?.json.length).toBe(555);
    expect(r.request).toMatchObject({ key: 'folder/subfolder/photo.jpg', file: { name: 'photo.jpg', size: 1024, contentType: 'image/jpeg' } });
  });
  test('wrong secret: signature.invalid predicting COS SignatureDoesNotMatch', async () => {
    const r = await check(docReq(), { now: new Date('2019-08-30T08:00:00Z'), secret: 'x'.repeat(32) });
    const f = r.findings.find((x) => x.id === 'signature.invalid');
    expect(f?.predicts?.rule).toBe('cos.post.signature-invalid');
    expect(f?.field).toBe('q-signature');
    expect(r.verdict).toBe('fail');
  });
  test('expired: the predicted message reads like the server', async () => {
    const r = await check(docReq(), { now: new Date('2019-08-31T00:00:00Z') });
    const f = r.findings.find((x) => x.id === 'time.expired')!;
    expect(f.facts).toMatchObject({ expirationEpoch: 1567157892, nowEpoch: 1567209600, expiredBySeconds: 1567209600 - 1567157892 });
    expect(resolvePrediction(f.predicts!)).toEqual({
      rule: 'cos.post.expired',
      status: 403,
      code: 'AccessDenied',
      message: 'You post object request has been expired, expiration time: 1567157892 but the time now : 1567209600',
    });
  });
});

describe('policy findings and predictions per provider', () => {
  test('missing conditions', async () => {
    const doc = { expiration: '2030-01-01T00:00:00.000Z' };
    const cos = await check(cosRequest(doc), { now: before });
    expect(cos.findings[0]).toMatchObject({ id: 'policy.conditions-missing', predicts: { rule: 'cos.post.policy-no-condition' } });
    const oss = await check(ossRequest(doc), { now: before });
    expect(oss.findings[0]).toMatchObject({ id: 'policy.conditions-missing', predicts: { rule: 'oss.ec.policy-conditions-missing' } });
  });
  test('simple condition with two properties: S3 and OSS wording', async () => {
    const doc = { expiration: '2030-01-01T00:00:00.000Z', conditions: [{ bucket: 'b', key: 'k' }] };
    const s3 = await check(ossRequest(doc), { now: before, provider: 's3' });
    const f = s3.findings.find((x) => x.id === 'policy.simple-condition-properties')!;
    expect(resolvePrediction(f.predicts!).message).toBe('Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const oss = await check(ossRequest(doc), { now: before });
    expect(oss.findings.find((x) => x.id === 'policy.simple-condition-properties')?.predicts?.rule).toBe('oss.post.simple-condition');
  });
  test('bad JSON on OSS: unknown character vs expected', async () => {
    const unknown = await check(ossRequest(b64("{'expiration': '2030-01-01T00:00:00.000Z'}")), { now: before });
    expect(unknown.findings[0]).toMatchObject({ id: 'policy.json-invalid', predicts: { rule: 'oss.post.invalid-json-unknown-character' }, facts: { line: 1, column: 2 } });
    const expected = await check(ossRequest(b64('{"expiration": "2030-01-01T00:00:00.000Z" "conditions": []}')), { now: before });
    expect(expected.findings[0]).toMatchObject({ id: 'policy.json-invalid', predicts: { rule: 'oss.post.invalid-json-expected' } });
    expect(expected.verdict).toBe('fail');
  });
  test('S3: invalid JSON and invalid expiration; RGW wording with --server rgw', async () => {
    const bad = await check(ossRequest(b64('{"expiration": }')), { now: before, provider: 's3' });
    expect(resolvePrediction(bad.findings[0]!.predicts!).message).toBe('Invalid Policy: Invalid JSON.');
    const exp = await check(ossRequest({ expiration: 'tomorrow', conditions: [{ a: 'b' }] }), { now: before, provider: 's3' });
    expect(exp.findings[0]).toMatchObject({ id: 'policy.expiration-invalid', predicts: { rule: 's3.post.invalid-expiration' } });
    const rgw = await check(ossRequest({ expiration: 'tomorrow', conditions: [{ a: 'b' }] }), { now: before, provider: 's3', server: 'rgw' });
    expect(rgw.server).toBe('rgw');
    expect(rgw.findings[0]?.predicts?.rule).toBe('rgw.post.invalid-expiration');
  });
  test('base64 problems become findings on the policy field', async () => {
    const r = await check(ossRequest('not%base64'), { now: before });
    expect(r.findings[0]).toMatchObject({ id: 'policy.base64-bad-char', field: 'policy', facts: { char: '%', offset: 3 }, predicts: { rule: 'oss.ec.policy-invalid' } });
    expect(r.policy).toBeNull();
  });
  test('warnings carry no prediction; duplicate keys reported', async () => {
    const r = await check(ossRequest(b64('{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [["starts-with", "$key", "user/"]], "conditions": [["starts-with", "$key", "user/"]]}')), {
      now: new Date('2029-12-31T00:00:00Z'),
    });
    expect(r.findings.map((f) => [f.id, f.predicts])).toContainEqual(['policy.duplicate-key', null]);
    expect(r.verdict).toBe('pass');
  });
  test('no policy field: info only', async () => {
    const req = cosRequest(cosPolicy());
    req.parts = req.parts.filter((p) => p.name !== 'policy');
    const r = await check(req, { now: before });
    expect(ids(r)).toContain('policy.missing');
    expect(r.policy).toBeNull();
  });
});

describe('time checks', () => {
  const exp = '2030-01-01T12:00:00.000Z';
  const doc = ossPolicy({ expiration: exp });
  test('expired by --now', async () => {
    const r = await check(ossRequest(doc), { now: new Date('2030-01-01T12:00:01Z') });
    expect(r.findings[0]).toMatchObject({ id: 'time.expired', predicts: { rule: 'oss.post.policy-expired' }, facts: { expiredBySeconds: 1, clock: 'local' } });
    const s3 = await check(ossRequest(doc), { now: new Date('2030-01-02T12:00:00Z'), provider: 's3' });
    expect(resolvePrediction(s3.findings[0]!.predicts!).message).toBe('Invalid according to Policy: Policy expired.');
    const rgw = await check(ossRequest(doc), { now: new Date('2030-01-02T12:00:00Z'), provider: 's3', server: 'rgw' });
    expect(rgw.findings[0]?.predicts?.rule).toBe('rgw.post.policy-expired');
  });
  test('not expired one second before', async () => {
    const r = await check(ossRequest(doc), { now: new Date('2030-01-01T11:59:59Z') });
    expect(ids(r)).not.toContain('time.expired');
  });
  test('server time wins for expiry; skew warning beyond 15 minutes', async () => {
    const r = await check(ossRequest(doc), { now: new Date('2030-01-01T11:00:00Z'), serverTime: new Date('2030-01-01T13:00:00Z') });
    expect(ids(r)).toEqual(['time.expired-server', 'time.clock-behind', 'signature.not-checked']);
    expect(r.findings[0]?.facts).toMatchObject({ clock: 'server', expiredBySeconds: 3600, now: '2030-01-01T13:00:00.000Z' });
    expect(r.findings[1]).toMatchObject({ severity: 'warning', facts: { skewSeconds: 7200 }, predicts: { rule: 'oss.code.request-time-too-skewed' } });
    const ahead = await check(ossRequest(doc), { now: new Date('2030-01-01T11:00:00Z'), serverTime: new Date('2030-01-01T10:40:00Z') });
    expect(ids(ahead)).toContain('time.clock-ahead');
    const fine = await check(ossRequest(doc), { now: new Date('2030-01-01T11:00:00Z'), serverTime: new Date('2030-01-01T10:46:00Z') });
    expect(ids(fine).filter((i) => i.startsWith('time.'))).toEqual([]);
  });
  test('long validity: warning on COS/OSS V1, error on OSS V4 and GCS', async () => {
    const now = new Date('2029-12-20T00:00:00Z');
    const v1 = await check(ossRequest(doc), { now });
    expect(v1.findings.find((f) => f.id === 'time.long-validity')).toMatchObject({ severity: 'warning', facts: { limitSeconds: 604800 } });
    const v4req = ossRequest(doc, { extra: [field('x-oss-signature-version', 'OSS4-HMAC-SHA256')] });
    const v4 = await check(v4req, { now });
    expect(v4.findings.find((f) => f.id === 'time.validity-too-long')?.severity).toBe('error');
    const gcs = await check(ossRequest(doc), { now, provider: 'gcs' });
    expect(ids(gcs)).toContain('time.validity-too-long');
    const week = await check(ossRequest(doc), { now: new Date('2029-12-25T12:00:00Z') });
    expect(ids(week)).not.toContain('time.long-validity');
  });
});

describe('file checks', () => {
  const doc = ossPolicy({ conditions: [['content-length-range', 10, 100]] });
  const now = new Date('2029-12-31T00:00:00Z');
  test('inclusive bounds', async () => {
    for (const size of [10, 100]) expect(ids(await check(ossRequest(doc, { fileSize: size }), { now }))).not.toContain('file.too-large');
    const big = await check(ossRequest(doc, { fileSize: 101 }), { now });
    expect(big.findings[0]).toMatchObject({ id: 'file.too-large', facts: { size: 101, max: 100, overBy: 1 }, predicts: { rule: 'oss.code.entity-too-large' } });
    const small = await check(ossRequest(doc, { fileSize: 9 }), { now, provider: 's3' });
    expect(small.findings[0]).toMatchObject({ id: 'file.too-small', facts: { underBy: 1 }, predicts: { rule: 's3.post.entity-too-small' } });
    const cos = await check(cosRequest(cosPolicy({ expiration: '2030-01-01T00:00:00.000Z' }), { fileSize: 20 * 1024 * 1024 }), { now });
    expect(cos.findings[0]).toMatchObject({ id: 'file.too-large', predicts: { rule: 'cos.code.entity-too-large' } });
  });
  test('unknown size: info, range not checked', async () => {
    const r = await check(ossRequest(doc, { fileSize: null }), { now });
    expect(r.findings.find((f) => f.id === 'file.size-unknown')).toMatchObject({ severity: 'info', facts: { min: 10, max: 100 } });
    expect(r.verdict).toBe('pass');
  });
  test('provider size limit', async () => {
    const r = await check(ossRequest(ossPolicy(), { fileSize: 5 * 1024 ** 3 + 1 }), { now });
    expect(ids(r)).toContain('file.over-provider-limit');
    expect(ids(await check(ossRequest(ossPolicy(), { fileSize: 5 * 1024 ** 3 }), { now }))).not.toContain('file.over-provider-limit');
  });
  test('no file, two files', async () => {
    const none = ossRequest(ossPolicy());
    none.parts = none.parts.filter((p) => p.kind !== 'file');
    expect((await check(none, { now })).findings[0]).toMatchObject({ id: 'file.missing', predicts: { rule: 'oss.code.incorrect-number-of-files-in-post-request' } });
    const two = ossRequest(ossPolicy());
    two.parts.push(file(5, 'file2'));
    const r = await check(two, { now, provider: 's3' });
    expect(r.findings[0]).toMatchObject({ id: 'file.multiple', facts: { count: 2, fields: ['file', 'file2'] }, predicts: { rule: 's3.post.one-file' } });
  });
  test('fields after the file: error on COS/OSS, warning on S3', async () => {
    const req = ossRequest(ossPolicy());
    req.parts.push(field('x-oss-meta-a', '1'), field('success_action_status', '201'));
    const oss = await check(req, { now });
    expect(oss.findings.find((f) => f.id === 'file.not-last')).toMatchObject({ severity: 'error', facts: { fields: ['x-oss-meta-a', 'success_action_status'], count: 2 } });
    const s3 = await check(req, { now, provider: 's3' });
    expect(s3.findings.find((f) => f.id === 'file.fields-ignored')?.severity).toBe('warning');
  });
});

describe('body problems, notes, engine behaviour', () => {
  const now = new Date('2029-12-31T00:00:00Z');
  test('body problems predict the malformed-body answer', async () => {
    const req = cosRequest(cosPolicy({ expiration: '2030-01-01T00:00:00.000Z' }));
    req.bodyProblems = [
      { kind: 'no-closing-delimiter', offset: 812 },
      { kind: 'not-multipart', detail: 'text/plain' },
    ];
    const r = await check(req, { now });
    expect(r.findings.slice(0, 2)).toMatchObject([
      { id: 'body.no-closing-delimiter', facts: { offset: 812 }, predicts: { rule: 'cos.post.malformed-body' } },
      { id: 'body.not-multipart', facts: { offset: '?', detail: 'text/plain' }, predicts: { rule: 'cos.post.malformed-body' } },
    ]);
    const s3 = await check(req, { now, provider: 's3' });
    expect(s3.findings[1]?.predicts?.rule).toBe('s3.post.not-multipart');
  });
  test('notes become info findings; unknown notes are kept', async () => {
    const req = ossRequest(ossPolicy());
    req.notes = [
      { id: 'input.lf-transcription', facts: {} },
      { id: 'input.something-new' as FindingId, facts: {} },
    ];
    const r = await check(req, { now });
    expect(r.findings.filter((f) => f.severity === 'info').map((f) => f.id)).toEqual(['signature.not-checked', 'input.lf-transcription', 'internal.unknown-note']);
  });
  test('a throwing check becomes internal.check-failed; others still run; sorted by severity', async () => {
    const boom: Check = {
      id: 'test.boom',
      providers: ['oss'],
      emits: [],
      run: () => {
        throw new Error('kaboom');
      },
    };
    const warn: Check = { id: 'test.warn', providers: ['oss'], emits: ['policy.duplicate-key'], run: () => [{ id: 'policy.duplicate-key', severity: 'warning', facts: {}, predicts: null }] };
    const cosOnly: Check = { id: 'test.cos', providers: ['cos'], emits: ['file.missing'], run: () => [{ id: 'file.missing', severity: 'error', facts: {}, predicts: null }] };
    const r = await check(ossRequest(ossPolicy()), { now, checks: [warn, boom, cosOnly] });
    expect(r.findings).toEqual([
      { id: 'internal.check-failed', severity: 'error', facts: { check: 'test.boom', message: 'kaboom' }, predicts: null },
      { id: 'policy.duplicate-key', severity: 'warning', facts: {}, predicts: null },
    ]);
    expect(r.verdict).toBe('fail');
  });
  test('a prediction naming no KB entry is dropped rather than crashing', async () => {
    const bad: Check = { id: 'test.bad', providers: ['oss'], emits: ['file.missing'], run: () => [{ id: 'file.missing', severity: 'error', facts: {}, predicts: { rule: 'no.such.entry' as KbId } }] };
    const r = await check(ossRequest(ossPolicy()), { now, checks: [bad] });
    expect(r.findings[0]?.predicts).toBeNull();
  });
  test("a finding a check does not declare is reported as the check's defect; a left-out severity is the catalogue's", async () => {
    const sneaky: Check = { id: 'test.sneaky', providers: ['oss'], emits: ['file.missing'], run: () => [{ id: 'file.multiple', facts: {}, predicts: null }] };
    const plain: Check = { id: 'test.plain', providers: ['oss'], emits: ['policy.duplicate-key'], run: () => [{ id: 'policy.duplicate-key', facts: {}, predicts: null }] };
    const r = await check(ossRequest(ossPolicy()), { now, checks: [sneaky, plain] });
    expect(r.findings).toEqual([
      { id: 'internal.check-failed', severity: 'error', facts: { check: 'test.sneaky', message: 'emitted file.multiple, which it does not declare' }, predicts: null },
      { id: 'policy.duplicate-key', severity: 'warning', facts: {}, predicts: null },
    ]);
  });
  test('verdict is fail exactly when there is an error finding', async () => {
    const warnOnly: Check = { id: 'w', providers: ['oss'], emits: ['policy.duplicate-key'], run: () => [{ id: 'policy.duplicate-key', severity: 'warning', facts: {}, predicts: null }] };
    expect((await check(ossRequest(ossPolicy()), { now, checks: [warnOnly] })).verdict).toBe('pass');
  });
  test('signature not checked without a secret names the env variable', async () => {
    const r = await check(cosRequest(cosPolicy({ expiration: '2030-01-01T00:00:00.000Z' })), { now });
    expect(r.findings.find((f) => f.id === 'signature.not-checked')?.facts).toEqual({ provider: 'cos', envVars: ['COS_SECRET_KEY'] });
    expect(r.signature).toBeNull();
  });
});
