import { describe, expect, test } from 'vitest';
import { resolvePrediction } from '../../src/core/catalogue.js';
import { cosSignatureFields } from '../../src/checks/cos-signature-fields.js';
import { cosSignAlgorithm } from '../../src/checks/cos-sign-algorithm.js';
import { cosPolicyRequiredConditions } from '../../src/checks/cos-policy-required-conditions.js';
import { cosQAk } from '../../src/checks/cos-q-ak.js';
import { cosKeyTime } from '../../src/checks/cos-key-time.js';
import { cosBucket } from '../../src/checks/cos-bucket.js';
import { cosKey } from '../../src/checks/cos-key.js';
import { cosKeyCondition } from '../../src/checks/cos-key-condition.js';
import { cosConditions } from '../../src/checks/cos-conditions.js';
import { cosSuccessAction } from '../../src/checks/cos-success-action.js';
import { cosTrafficLimit } from '../../src/checks/cos-traffic-limit.js';
import { cosSecurityToken } from '../../src/checks/cos-security-token.js';
import { COS_AK, COS_HOST, KEY_TIME, cosForm, cosPolicy, f, filePart, fixture, ids, request, run } from './helpers.js';

const NOW = new Date('2019-08-29T08:00:00Z'); // inside KEY_TIME

describe('cos.signature-fields', () => {
  test('all five before the file: nothing', async () => {
    expect(await run(cosSignatureFields, cosForm(), 'cos')).toEqual([]);
  });
  test('each missing field is named', async () => {
    const out = await run(cosSignatureFields, cosForm({ omit: ['q-signature', 'q-ak'] }), 'cos');
    expect(out.map((x) => [x.id, x.facts.field])).toEqual([
      ['cos.signature-field-missing', 'q-ak'],
      ['cos.signature-field-missing', 'q-signature'],
    ]);
  });
  test('a field after the file', async () => {
    const req = cosForm({ omit: ['q-signature'] });
    req.parts.push(f('q-signature', 'abc'));
    const out = await run(cosSignatureFields, req, 'cos');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: 'cos.signature-field-after-file', facts: { field: 'q-signature', position: 7, filePosition: 6 } });
  });
  test('an empty field', async () => {
    const out = await run(cosSignatureFields, cosForm({ keyTime: '' }), 'cos');
    expect(ids(out)).toEqual(['cos.signature-field-empty']);
  });
});

describe('cos.sign-algorithm', () => {
  test('sha1 passes', async () => {
    expect(await run(cosSignAlgorithm, cosForm(), 'cos')).toEqual([]);
  });
  test('SHA1 and hmac-sha1 fail', async () => {
    for (const v of ['SHA1', 'hmac-sha1', 'sha256']) {
      const out = await run(cosSignAlgorithm, cosForm({ algorithm: v }), 'cos');
      expect(out).toEqual([expect.objectContaining({ id: 'cos.sign-algorithm-invalid', facts: expect.objectContaining({ value: v }) })]);
    }
  });
});

describe('cos.policy-required-conditions', () => {
  test('all three exact conditions: nothing', async () => {
    expect(await run(cosPolicyRequiredConditions, cosForm(), 'cos')).toEqual([]);
  });
  test('missing q-ak and q-sign-time', async () => {
    const policy = { expiration: '2019-08-29T09:39:34.000Z', conditions: [{ 'q-sign-algorithm': 'sha1' }, { bucket: 'examplebucket-1250000000' }] };
    const out = await run(cosPolicyRequiredConditions, cosForm({ policy }), 'cos');
    expect(out.map((x) => [x.id, x.facts.field, x.facts.formField])).toEqual([
      ['cos.policy-required-condition-missing', 'q-ak', 'q-ak'],
      ['cos.policy-required-condition-missing', 'q-sign-time', 'q-key-time'],
    ]);
  });
  test('q-key-time used as the condition name', async () => {
    const policy = { expiration: 'x', conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': COS_AK }, { 'q-key-time': KEY_TIME }] };
    const out = await run(cosPolicyRequiredConditions, cosForm({ policy }), 'cos');
    expect(ids(out)).toEqual(['cos.policy-q-key-time-condition']);
  });
  test('starts-with is not exact; algorithm other than sha1', async () => {
    const policy = { expiration: 'x', conditions: [{ 'q-sign-algorithm': 'md5' }, ['starts-with', '$q-ak', 'AKID'], { 'q-sign-time': KEY_TIME }] };
    const out = await run(cosPolicyRequiredConditions, cosForm({ policy }), 'cos');
    expect(ids(out)).toEqual(['cos.policy-required-condition-not-exact', 'cos.policy-sign-algorithm-invalid']);
    expect(out[0]?.facts).toMatchObject({ field: 'q-ak', operator: 'starts-with', number: 2 });
  });
  test('no conditions at all is left to the generic policy checks', async () => {
    expect(await run(cosPolicyRequiredConditions, cosForm({ policy: { expiration: 'x', conditions: [] } }), 'cos')).toEqual([]);
  });
});

describe('cos.q-ak', () => {
  test('equal: nothing', async () => {
    expect(await run(cosQAk, cosForm(), 'cos')).toEqual([]);
  });
  test('different: predicts the server message with the form value', async () => {
    const other = 'AKIDzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
    const out = await run(cosQAk, cosForm({ qak: other }), 'cos');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: 'cos.q-ak-mismatch', severity: 'error' });
    expect(resolvePrediction(out[0]!.predicts!)).toEqual({
      rule: 'cos.post.q-ak-mismatch',
      status: 403,
      code: 'AccessDenied',
      message: `Condition key q-ak doesn't match the value ${other}`,
    });
    expect(JSON.stringify(out[0]!.facts)).not.toContain(COS_AK); // policy value masked
  });
  test('case differs only', async () => {
    const out = await run(cosQAk, cosForm({ qak: COS_AK.toLowerCase() }), 'cos');
    expect(out[0]?.facts.caseOnly).toBe(true);
  });
  test('masked capture compares by prefix: info', async () => {
    const out = await run(cosQAk, cosForm({ qak: `${COS_AK.slice(0, 32)}****` }), 'cos');
    expect(out).toEqual([expect.objectContaining({ id: 'cos.q-ak-masked', severity: 'info', predicts: null })]);
  });
  test('masked capture with another prefix is a mismatch', async () => {
    const out = await run(cosQAk, cosForm({ qak: 'AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxx****' }), 'cos');
    expect(ids(out)).toEqual(['cos.q-ak-mismatch']);
  });
});

describe('cos.key-time', () => {
  test('valid and inside the window: nothing', async () => {
    expect(await run(cosKeyTime, cosForm(), 'cos', { now: NOW })).toEqual([]);
  });
  test('malformed and reversed', async () => {
    for (const [v, reason] of [
      ['1567064374', 'format'],
      ['1567064374;abc', 'format'],
      ['1567071574;1567064374', 'order'],
    ] as const) {
      const out = await run(cosKeyTime, cosForm({ keyTime: v }), 'cos', { now: NOW });
      expect(out).toEqual([expect.objectContaining({ id: 'cos.key-time-malformed', facts: expect.objectContaining({ value: v, reason }) })]);
    }
  });
  test('differs from the policy q-sign-time', async () => {
    const out = await run(cosKeyTime, cosForm({ keyTime: '1567064000;1567071574' }), 'cos', { now: NOW });
    expect(ids(out)).toContain('cos.key-time-policy-mismatch');
  });
  test('not yet valid, and ended (server time preferred)', async () => {
    const early = await run(cosKeyTime, cosForm(), 'cos', { now: new Date('2019-08-29T07:00:00Z') });
    expect(early).toEqual([expect.objectContaining({ id: 'cos.key-time-not-yet-valid', facts: expect.objectContaining({ earlyBySeconds: 1567064374 - 1567062000, clock: 'local' }) })]);
    const late = await run(cosKeyTime, cosForm(), 'cos', { now: NOW, serverTime: new Date('2019-08-29T10:00:00Z') });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ id: 'cos.key-time-ended', facts: { expiredBySeconds: 1567072800 - 1567071574, clock: 'server' } });
    expect(resolvePrediction(late[0]!.predicts!).message).toBe('Request has expired');
  });
  test('expiration outside the key time: warning', async () => {
    const out = await run(cosKeyTime, cosForm({ policy: cosPolicy([], { expiration: '2019-08-30T00:00:00.000Z' }) }), 'cos', { now: NOW });
    expect(out).toEqual([expect.objectContaining({ id: 'cos.expiration-outside-key-time', severity: 'warning', facts: expect.objectContaining({ side: 'after' }) })]);
  });
});

describe('cos.bucket', () => {
  test('same bucket: nothing', async () => {
    expect(await run(cosBucket, cosForm({ policy: cosPolicy([{ bucket: 'examplebucket-1250000000' }]) }), 'cos')).toEqual([]);
  });
  test('policy bucket without APPID', async () => {
    const out = await run(cosBucket, cosForm({ policy: cosPolicy([{ bucket: 'examplebucket' }]) }), 'cos');
    expect(out[0]).toMatchObject({ id: 'cos.bucket-mismatch', facts: { missingAppid: true, bucket: 'examplebucket-1250000000' } });
    expect(resolvePrediction(out[0]!.predicts!).message).toBe("Condition key bucket doesn't match the value examplebucket-1250000000");
  });
  test('no endpoint and no bucket field: nothing to compare', async () => {
    expect(await run(cosBucket, cosForm({ url: null, policy: cosPolicy([{ bucket: 'other-1250000000' }]) }), 'cos')).toEqual([]);
  });
  test('document sample 2: the policy names examplebucket-1252246555, the host examplebucket-1250000000', async () => {
    const req = await fixture('cos-sample-2.http');
    const out = await run(cosBucket, req, 'cos');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: 'cos.bucket-mismatch',
      severity: 'error',
      facts: { bucket: 'examplebucket-1250000000', policyBucket: 'examplebucket-1252246555', appidDiffers: true, source: 'host' },
    });
    expect(resolvePrediction(out[0]!.predicts!)).toMatchObject({ status: 403, code: 'AccessDenied', message: "Condition key bucket doesn't match the value examplebucket-1250000000" });
  });
});

describe('cos.key', () => {
  test('present: nothing', async () => {
    expect(await run(cosKey, cosForm(), 'cos')).toEqual([]);
  });
  test('missing, after the file, empty', async () => {
    expect(ids(await run(cosKey, cosForm({ key: null }), 'cos'))).toEqual(['cos.key-missing']);
    const req = cosForm({ key: null });
    req.parts.push(f('key', 'a'));
    expect((await run(cosKey, req, 'cos'))[0]?.facts).toEqual({ afterFile: true });
    expect(ids(await run(cosKey, cosForm({ key: '' }), 'cos'))).toEqual(['cos.key-empty']);
  });
  test('850 bytes pass, 851 fail (UTF-8 bytes, after ${filename})', async () => {
    expect(await run(cosKey, cosForm({ key: 'a'.repeat(850) }), 'cos')).toEqual([]);
    const out = await run(cosKey, cosForm({ key: 'é'.repeat(426) }), 'cos');
    expect(out[0]).toMatchObject({ id: 'cos.key-too-long', facts: { bytes: 852, limit: 850 } });
    expect(out[0]?.predicts?.rule).toBe('cos.code.key-too-long');
    expect(await run(cosKey, cosForm({ key: `${'a'.repeat(841)}\${filename}` }), 'cos')).toEqual([]); // 841 + 9
    const sub = await run(cosKey, cosForm({ key: `${'a'.repeat(842)}\${filename}` }), 'cos');
    expect(sub[0]?.facts.bytes).toBe(851);
  });
  test('${filename} without a file name: warning', async () => {
    expect(ids(await run(cosKey, cosForm({ key: 'up/${filename}', filename: null }), 'cos'))).toEqual(['cos.key-filename-unknown']);
  });
});

describe('cos.key-condition', () => {
  test('document sample 7: ${filename} replaced before the starts-with check passes', async () => {
    const req = await fixture('cos-sample-7.http');
    expect(await run(cosKeyCondition, req, 'cos')).toEqual([]);
  });
  test('an eq condition on the final key passes after substitution', async () => {
    const req = cosForm({ key: 'folder/${filename}', policy: cosPolicy([['eq', '$key', 'folder/photo.jpg']]) });
    expect(await run(cosKeyCondition, req, 'cos')).toEqual([]);
  });
  test('a failing prefix predicts the key mismatch with the final key', async () => {
    const req = cosForm({ key: 'other/${filename}', policy: cosPolicy([['starts-with', '$key', 'folder/']]) });
    const out = await run(cosKeyCondition, req, 'cos');
    expect(out[0]).toMatchObject({ id: 'cos.key-condition-failed', facts: { key: 'other/photo.jpg', sent: 'other/${filename}', substituted: true } });
    expect(resolvePrediction(out[0]!.predicts!).message).toBe("Condition key key doesn't match the value other/photo.jpg");
  });
  test('a condition holding ${filename} is warned about (and fails)', async () => {
    const req = cosForm({ key: 'folder/${filename}', policy: cosPolicy([['eq', '$key', 'folder/${filename}']]) });
    const out = await run(cosKeyCondition, req, 'cos');
    expect(ids(out)).toEqual(['cos.key-condition-failed', 'cos.key-condition-filename']);
    expect(out.find((x) => x.id === 'cos.key-condition-filename')?.facts.prefix).toBe('folder/');
  });
});

describe('cos.conditions', () => {
  test('document sample 2 satisfies its other conditions (only the bucket fails, elsewhere)', async () => {
    expect(await run(cosConditions, await fixture('cos-sample-2.http'), 'cos')).toEqual([]);
  });
  test('a restricted field the form does not send', async () => {
    const req = cosForm({ policy: cosPolicy([{ acl: 'default' }, ['starts-with', '$Content-Type', 'image/']]) });
    const out = await run(cosConditions, req, 'cos');
    expect(out.map((x) => x.facts.field)).toEqual(['acl', 'Content-Type']);
    expect(ids(out)).toEqual(['cos.condition-field-missing', 'cos.condition-field-missing']);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe("Condition key acl doesn't match the value ");
    expect(out[1]?.facts.fileContentType).toBe('image/jpeg');
  });
  test('a sent field that fails its condition', async () => {
    const req = cosForm({ fields: [f('acl', 'public-read')], policy: cosPolicy([{ acl: 'default' }]) });
    const out = await run(cosConditions, req, 'cos');
    expect(out).toHaveLength(1);
    expect(resolvePrediction(out[0]!.predicts!).message).toBe("Condition key acl doesn't match the value public-read");
  });
  test('bucket, key, q-ak, q-sign-time are left to their own checks', async () => {
    const req = cosForm({ policy: cosPolicy([{ bucket: 'x' }, { key: 'y' }]) });
    expect(await run(cosConditions, req, 'cos')).toEqual([]);
  });
  test('names matched case-insensitively, with a warning', async () => {
    const req = cosForm({ fields: [f('content-type', 'image/png')], policy: cosPolicy([['starts-with', '$Content-Type', 'image/']]) });
    const out = await run(cosConditions, req, 'cos');
    expect(out).toEqual([expect.objectContaining({ id: 'cos.condition-field-case', severity: 'warning', facts: { conditionField: 'Content-Type', formField: 'content-type' } })]);
  });
});

describe('cos.success-action', () => {
  test('200/201/204 pass', async () => {
    for (const v of ['200', '201', '204']) expect(await run(cosSuccessAction, cosForm({ fields: [f('success_action_status', v)] }), 'cos')).toEqual([]);
  });
  test('another status: warning', async () => {
    const out = await run(cosSuccessAction, cosForm({ fields: [f('success_action_status', '302')] }), 'cos');
    expect(out).toEqual([expect.objectContaining({ id: 'cos.success-action-status-invalid', severity: 'warning' })]);
  });
  test('a redirect: 303 noted, status ignored', async () => {
    const out = await run(cosSuccessAction, cosForm({ fields: [f('success_action_redirect', 'https://my.website/ok'), f('success_action_status', '999')] }), 'cos');
    expect(out).toEqual([expect.objectContaining({ id: 'cos.success-action-redirect', severity: 'info', facts: { url: 'https://my.website/ok', statusIgnored: '999' } })]);
  });
});

describe('cos.traffic-limit', () => {
  test('bounds pass', async () => {
    for (const v of ['819200', '838860800', '1048576']) expect(await run(cosTrafficLimit, cosForm({ fields: [f('x-cos-traffic-limit', v)] }), 'cos')).toEqual([]);
  });
  test('out of range or not an integer', async () => {
    for (const v of ['819199', '838860801', '1.5e6', 'fast']) {
      const out = await run(cosTrafficLimit, cosForm({ fields: [f('x-cos-traffic-limit', v)] }), 'cos');
      expect(out).toEqual([expect.objectContaining({ id: 'cos.traffic-limit-invalid', severity: 'error' })]);
      expect(out[0]?.predicts?.rule).toBe('cos.code.invalid-argument');
    }
  });
});

describe('cos.security-token', () => {
  const TEMP = `AKID${'x'.repeat(60)}`;
  test('permanent key, no token: nothing', async () => {
    expect(await run(cosSecurityToken, cosForm(), 'cos')).toEqual([]);
  });
  test('long temporary SecretId without token', async () => {
    const out = await run(cosSecurityToken, cosForm({ qak: TEMP, policy: cosPolicy() }), 'cos');
    expect(out[0]).toMatchObject({ id: 'cos.security-token-missing', facts: { signals: ['q-ak-length'], qakLength: 64 } });
    expect(resolvePrediction(out[0]!.predicts!).message).toBe('InvalidAccessKeyId');
  });
  test('policy restricts the token but the form lacks it', async () => {
    const out = await run(cosSecurityToken, cosForm({ policy: cosPolicy([{ 'x-cos-security-token': 'tok' }]) }), 'cos');
    expect(out[0]?.facts.signals).toEqual(['policy-condition']);
  });
  test('token sent: nothing', async () => {
    expect(await run(cosSecurityToken, cosForm({ qak: TEMP, fields: [f('x-cos-security-token', 'tok')] }), 'cos')).toEqual([]);
  });
});

describe('document samples through all COS checks', () => {
  const all = [
    cosSignatureFields,
    cosSignAlgorithm,
    cosPolicyRequiredConditions,
    cosQAk,
    cosKeyTime,
    cosBucket,
    cosKey,
    cosKeyCondition,
    cosConditions,
    cosSuccessAction,
    cosTrafficLimit,
    cosSecurityToken,
  ];
  // "now" is the sample's own Date header
  const runAll = async (name: string, now: string) => {
    const req = await fixture(name);
    const out = [];
    for (const c of all) out.push(...(await run(c, req, 'cos', { now: new Date(now) })));
    return out;
  };
  test('sample 1 passes (masked q-ak noted)', async () => {
    expect(ids(await runAll('cos-sample-1.http', '2019-08-29T07:39:34Z'))).toEqual(['cos.q-ak-masked']);
  });
  test('sample 2 reports the bucket mismatch', async () => {
    expect(ids(await runAll('cos-sample-2.http', '2019-08-29T07:39:34Z'))).toEqual(['cos.q-ak-masked', 'cos.bucket-mismatch']);
  });
  test('sample 7 passes', async () => {
    const out = await runAll('cos-sample-7.http', '2019-08-29T12:35:07Z');
    expect(out.filter((x) => x.severity !== 'info')).toEqual([]);
  });
});

test('request helper without a url still runs', async () => {
  const req = request(null, [f('key', 'a'), filePart()]);
  expect(ids(await run(cosSignatureFields, req, 'cos'))).toHaveLength(5);
  expect(COS_HOST).toContain('examplebucket-1250000000');
});
