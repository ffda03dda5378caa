import { describe, expect, test } from 'vitest';
import { resolvePrediction } from '../../src/core/catalogue.js';
import { ossSignatureFields } from '../../src/checks/oss-signature-fields.js';
import { ossFieldNames } from '../../src/checks/oss-field-names.js';
import { ossKey } from '../../src/checks/oss-key.js';
import { ossFieldSize } from '../../src/checks/oss-field-size.js';
import { ossConditions } from '../../src/checks/oss-conditions.js';
import { ossV4Fields } from '../../src/checks/oss-v4-fields.js';
import { ossV4Policy } from '../../src/checks/oss-v4-policy.js';
import { ossSecurityToken } from '../../src/checks/oss-security-token.js';
import { ossCallback } from '../../src/checks/oss-callback.js';
import { ossSuccessAction } from '../../src/checks/oss-success-action.js';
import { OSS_AK, V4_CRED, V4_DATE, V4_NOW, b64, f, filePart, ids, ossForm, ossPolicy, ossV4Form, request, run } from './helpers.js';

describe('oss.signature-fields', () => {
  test('all three: nothing; none at all (public-read-write): nothing', async () => {
    expect(await run(ossSignatureFields, ossForm(), 'oss')).toEqual([]);
    expect(await run(ossSignatureFields, ossForm({ omit: ['OSSAccessKeyId', 'policy', 'Signature'] }), 'oss')).toEqual([]);
  });
  test('one missing names it with its EC', async () => {
    const out = await run(ossSignatureFields, ossForm({ omit: ['Signature'] }), 'oss');
    expect(out).toEqual([
      expect.objectContaining({ id: 'oss.signature-field-missing', facts: expect.objectContaining({ field: 'Signature', ec: '0002-00000703', present: ['OSSAccessKeyId', 'policy'] }) }),
    ]);
    const ak = await run(ossSignatureFields, ossForm({ omit: ['OSSAccessKeyId'] }), 'oss');
    expect(ak[0]?.facts.ec).toBe('0002-00000706');
  });
  test('a wrong-case name is left to oss.field-names', async () => {
    const req = ossForm({ omit: ['OSSAccessKeyId'], fields: [f('ossaccesskeyid', OSS_AK)] });
    expect(await run(ossSignatureFields, req, 'oss')).toEqual([]);
    const names = await run(ossFieldNames, req, 'oss');
    expect(names).toEqual([expect.objectContaining({ id: 'oss.field-name-case', severity: 'error', facts: { found: 'ossaccesskeyid', expected: 'OSSAccessKeyId' } })]);
  });
  test('empty Signature', async () => {
    const req = ossForm();
    const sig = req.parts.find((p) => p.name === 'Signature');
    if (sig?.kind === 'field') sig.value = '';
    const out = await run(ossSignatureFields, req, 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.signature-field-empty', facts: { field: 'Signature', ec: '0002-00000704' } })]);
  });
  test('V4 forms are left to oss.v4-fields', async () => {
    expect(await run(ossSignatureFields, ossV4Form(), 'oss')).toEqual([]);
  });
});

describe('oss.field-names', () => {
  test('documented spellings: nothing', async () => {
    expect(await run(ossFieldNames, ossForm({ fields: [f('success_action_status', '201'), f('Content-Type', 'image/png')] }), 'oss')).toEqual([]);
  });
  test('Key predicts the key-missing answer; signature is only a warning', async () => {
    const req = ossForm({ key: null, omit: ['Signature'], fields: [f('Key', 'user/a'), f('signature', 'x')] });
    const out = await run(ossFieldNames, req, 'oss');
    expect(out.map((x) => [x.facts.found, x.severity])).toEqual([
      ['Key', 'error'],
      ['signature', 'warning'],
    ]);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe("The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields");
  });
  test('a file part named File', async () => {
    const req = request('https://b1.oss-cn-hangzhou.aliyuncs.com/', [f('key', 'a'), filePart('a.jpg', 'File')]);
    expect((await run(ossFieldNames, req, 'oss'))[0]?.facts).toEqual({ found: 'File', expected: 'file' });
  });
});

describe('oss.key', () => {
  test('present before the file: nothing', async () => {
    expect(await run(ossKey, ossForm(), 'oss')).toEqual([]);
  });
  test('missing, or after the file, predicts InvalidArgument with the handbook wording', async () => {
    const out = await run(ossKey, ossForm({ key: null }), 'oss');
    expect(out[0]).toMatchObject({ id: 'oss.key-missing', facts: { afterFile: false } });
    expect(resolvePrediction(out[0]!.predicts!)).toEqual({
      rule: 'oss.post.key-missing',
      status: 400,
      code: 'InvalidArgument',
      message: "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
    });
    const req = ossForm({ key: null });
    req.parts.push(f('key', 'user/a'));
    expect((await run(ossKey, req, 'oss'))[0]?.facts).toEqual({ afterFile: true });
  });
  test('naming rules: empty, too long, leading slash', async () => {
    for (const [key, reason] of [
      ['', 'empty'],
      ['a'.repeat(1024), 'too-long'],
      ['/user/a', 'leading-slash'],
      ['\\a', 'leading-slash'],
    ] as const) {
      const out = await run(ossKey, ossForm({ key }), 'oss');
      expect(out).toEqual([expect.objectContaining({ id: 'oss.key-invalid', facts: expect.objectContaining({ reason }) })]);
    }
    expect(await run(ossKey, ossForm({ key: 'a'.repeat(1023) }), 'oss')).toEqual([]);
  });
});

describe('oss.field-size', () => {
  test('4096 bytes pass, 4097 fail', async () => {
    expect(await run(ossFieldSize, ossForm({ fields: [f('x-oss-meta-a', 'a'.repeat(4096))] }), 'oss')).toEqual([]);
    const out = await run(ossFieldSize, ossForm({ fields: [f('x-oss-meta-a', 'a'.repeat(4097))] }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.field-too-long', facts: { field: 'x-oss-meta-a', bytes: 4097, limit: 4096 } })]);
  });
  test('many fields before the file: warning without prediction', async () => {
    const fields = Array.from({ length: 8 }, (_, i) => f(`x-oss-meta-m${i}`, 'v'.repeat(3000)));
    const out = await run(ossFieldSize, ossForm({ fields }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.pre-data-large', severity: 'warning', predicts: null })]);
  });
});

describe('oss.conditions', () => {
  test('satisfied conditions: nothing', async () => {
    const policy = ossPolicy([['eq', '$bucket', 'examplebucket'], ['starts-with', '$key', 'user/'], { 'x-oss-meta-prop': 'prop-1' }]);
    expect(await run(ossConditions, ossForm({ policy, fields: [f('x-oss-meta-prop', 'prop-1')] }), 'oss')).toEqual([]);
  });
  test('bucket condition against the endpoint, printed as OSS prints it', async () => {
    const policy = ossPolicy([['eq', '$bucket', 'mingdi-bjx']]);
    const out = await run(ossConditions, ossForm({ policy }), 'oss');
    expect(out[0]).toMatchObject({ id: 'oss.bucket-condition-failed', facts: { bucket: 'examplebucket', condition: '["eq", "$bucket", "mingdi-bjx"]' } });
    expect(resolvePrediction(out[0]!.predicts!)).toMatchObject({
      rule: 'oss.post.condition-failed-bucket',
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "mingdi-bjx"]',
    });
  });
  test('a simple condition is printed in eq form', async () => {
    const out = await run(ossConditions, ossForm({ policy: ossPolicy([{ bucket: 'other' }]) }), 'oss');
    expect(out[0]?.facts.condition).toBe('["eq", "$bucket", "other"]');
  });
  test('key, meta and other conditions pick their KB entries', async () => {
    const policy = ossPolicy([
      ['starts-with', '$key', 'user/eric/'],
      ['starts-with', '$x-oss-meta-prop', 'prop-'],
      ['eq', '$Content-Encoding', 'ZLIB'],
    ]);
    const out = await run(ossConditions, ossForm({ policy, fields: [f('x-oss-meta-prop', 'other'), f('Content-Encoding', 'gzip')] }), 'oss');
    expect(out.map((x) => x.predicts?.rule)).toEqual(['oss.post.condition-failed-key', 'oss.post.condition-failed-meta', 'oss.post.condition-failed']);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe('Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/eric/"]');
  });
  test('a restricted field not sent fails too', async () => {
    const out = await run(ossConditions, ossForm({ policy: ossPolicy([['eq', '$success_action_status', '201']]) }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.condition-field-missing', predicts: expect.objectContaining({ rule: 'oss.post.condition-failed' }) })]);
  });
  test('${filename} in the key is replaced before evaluation', async () => {
    const policy = ossPolicy([['eq', '$key', 'user/photo.jpg']]);
    expect(await run(ossConditions, ossForm({ key: 'user/${filename}', policy }), 'oss')).toEqual([]);
  });
  test('names differing in case: warning', async () => {
    const out = await run(ossConditions, ossForm({ policy: ossPolicy([['eq', '$content-type', 'image/png']]), fields: [f('Content-Type', 'image/png')] }), 'oss');
    expect(ids(out)).toEqual(['oss.condition-field-case']);
  });
});

describe('oss.v4-fields', () => {
  test('a well-formed V4 form: nothing', async () => {
    expect(await run(ossV4Fields, ossV4Form(), 'oss')).toEqual([]);
  });
  test('wrong version, missing signature', async () => {
    const out = await run(ossV4Fields, ossV4Form({ version: 'OSS4-HMAC-SHA1', omit: ['x-oss-signature'] }), 'oss');
    expect(ids(out)).toEqual(['oss.v4.field-missing', 'oss.v4.signature-version-invalid']);
    expect(out[0]?.facts).toMatchObject({ field: 'x-oss-signature', ec: '0002-00000703' });
  });
  test('malformed credential; oss- prefix on the region', async () => {
    expect(ids(await run(ossV4Fields, ossV4Form({ credential: `${OSS_AK}/20291231/cn-hangzhou/s3/aws4_request` }), 'oss'))).toEqual(['oss.v4.credential-malformed']);
    const out = await run(ossV4Fields, ossV4Form({ credential: `${OSS_AK}/20291231/oss-cn-hangzhou/oss/aliyun_v4_request` }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.v4.credential-region-prefix', facts: { region: 'oss-cn-hangzhou', expected: 'cn-hangzhou' } })]);
  });
  test('region differs from the endpoint', async () => {
    const out = await run(ossV4Fields, ossV4Form({ credential: `${OSS_AK}/20291231/cn-beijing/oss/aliyun_v4_request` }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.v4.region-endpoint-mismatch', facts: expect.objectContaining({ region: 'cn-beijing', endpointRegion: 'cn-hangzhou' }) })]);
  });
  test('date format and day', async () => {
    expect(ids(await run(ossV4Fields, ossV4Form({ date: '2029-12-31T12:00:00Z' }), 'oss'))).toEqual(['oss.v4.date-malformed']);
    expect(ids(await run(ossV4Fields, ossV4Form({ date: '20291301T120000Z' }), 'oss'))).toEqual(['oss.v4.date-malformed']);
    const out = await run(ossV4Fields, ossV4Form({ date: '20300101T000500Z' }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.v4.date-credential-day', facts: expect.objectContaining({ day: '20300101', credentialDay: '20291231' }) })]);
  });
  test('V1 forms are not V4', async () => {
    expect(await run(ossV4Fields, ossForm(), 'oss')).toEqual([]);
  });
});

describe('oss.v4-policy', () => {
  test('conditions present, date close to now, short validity: nothing', async () => {
    expect(await run(ossV4Policy, ossV4Form(), 'oss', { now: V4_NOW })).toEqual([]);
  });
  test('policy without the V4 conditions', async () => {
    const out = await run(ossV4Policy, ossV4Form({ policy: ossPolicy([], { expiration: '2029-12-31T13:00:00.000Z' }) }), 'oss', { now: V4_NOW });
    expect(out.map((x) => x.facts.field)).toEqual(['x-oss-signature-version', 'x-oss-credential', 'x-oss-date']);
  });
  test('x-oss-date more than 15 minutes ahead', async () => {
    const ok = await run(ossV4Policy, ossV4Form(), 'oss', { now: new Date('2029-12-31T11:45:00Z') });
    expect(ok).toEqual([]);
    const out = await run(ossV4Policy, ossV4Form(), 'oss', { now: new Date('2029-12-31T11:44:00Z') });
    expect(out).toEqual([expect.objectContaining({ id: 'oss.v4.date-in-future', facts: expect.objectContaining({ aheadSeconds: 960 }) })]);
  });
  test('valid more than 7 days after signing (when now is later)', async () => {
    const policy = ossPolicy([{ 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }, { 'x-oss-credential': V4_CRED }, { 'x-oss-date': V4_DATE }], { expiration: '2030-01-07T12:00:01.000Z' });
    const out = await run(ossV4Policy, ossV4Form({ policy }), 'oss', { now: new Date('2030-01-02T00:00:00Z') });
    expect(out).toEqual([expect.objectContaining({ id: 'oss.v4.validity-too-long', facts: expect.objectContaining({ validitySeconds: 7 * 86400 + 1 }) })]);
  });
});

describe('oss.security-token', () => {
  test('STS key with token, or a permanent key: nothing', async () => {
    expect(await run(ossSecurityToken, ossForm({ ak: 'STS.MpsSonrqGM8bGjR6CRKNMoHXe', fields: [f('x-oss-security-token', 'tok')] }), 'oss')).toEqual([]);
    expect(await run(ossSecurityToken, ossForm(), 'oss')).toEqual([]);
  });
  test('STS key without token (V1 and V4)', async () => {
    const out = await run(ossSecurityToken, ossForm({ ak: 'STS.MpsSonrqGM8bGjR6CRKNMoHXe' }), 'oss');
    expect(out[0]).toMatchObject({ id: 'oss.security-token-missing', facts: { from: 'OSSAccessKeyId' } });
    expect(resolvePrediction(out[0]!.predicts!).message).toBe('The OSS Access Key Id you provided does not exist in our records.');
    const v4 = await run(ossSecurityToken, ossV4Form({ credential: 'STS.abc/20291231/cn-hangzhou/oss/aliyun_v4_request' }), 'oss');
    expect(v4[0]?.facts.from).toBe('x-oss-credential');
  });
});

describe('oss.callback', () => {
  const cb = (doc: unknown) => ossForm({ fields: [f('callback', b64(doc))] });
  test('a complete callback: nothing', async () => {
    expect(await run(ossCallback, cb({ callbackUrl: 'http://abc.com/test.php', callbackBody: 'bucket=${bucket}&object=${object}', callbackBodyType: 'application/json' }), 'oss')).toEqual([]);
  });
  test('not base64 / not JSON', async () => {
    const bad = await run(ossCallback, ossForm({ fields: [f('callback', 'not base64!')] }), 'oss');
    expect(bad).toEqual([expect.objectContaining({ id: 'oss.callback-not-json', facts: expect.objectContaining({ reason: 'base64' }) })]);
    const notJson = await run(ossCallback, cb('callbackUrl=http://a'), 'oss');
    expect(notJson[0]?.facts.reason).toBe('json');
    expect(resolvePrediction(notJson[0]!.predicts!).message).toBe('The callback configuration is not json format.');
  });
  test('a missing member, and a similar name', async () => {
    const out = await run(ossCallback, cb({ callbackURL: 'http://a', callbackBody: 'x' }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.callback-member-missing', facts: expect.objectContaining({ member: 'callbackUrl', found: 'callbackURL' }) })]);
    expect(resolvePrediction(out[0]!.predicts!)).toMatchObject({ status: 203, code: 'CallbackFailed', message: 'Error status : 502.' });
    const body = await run(ossCallback, cb({ callbackUrl: 'http://a' }), 'oss');
    expect(body).toEqual([expect.objectContaining({ id: 'oss.callback-member-missing', facts: expect.objectContaining({ member: 'callbackBody' }), predicts: null })]);
  });
  test('callbackBodyType not allowed: warning', async () => {
    const out = await run(ossCallback, cb({ callbackUrl: 'http://a', callbackBody: 'x', callbackBodyType: 'text/plain' }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'oss.callback-body-type', severity: 'warning' })]);
  });
});

describe('oss.success-action', () => {
  test('201 passes, 302 warns, a redirect makes the status irrelevant', async () => {
    expect(await run(ossSuccessAction, ossForm({ fields: [f('success_action_status', '201')] }), 'oss')).toEqual([]);
    expect(ids(await run(ossSuccessAction, ossForm({ fields: [f('success_action_status', '302')] }), 'oss'))).toEqual(['oss.success-action-status-invalid']);
    expect(await run(ossSuccessAction, ossForm({ fields: [f('success_action_status', '302'), f('success_action_redirect', 'https://a/')] }), 'oss')).toEqual([]);
  });
});
