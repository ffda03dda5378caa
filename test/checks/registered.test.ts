// The provider checks run from the engine's default list (src/checks/index.ts).
import { expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { checks } from '../../src/checks/index.js';
import { renderFinding } from '../../src/core/catalogue.js';
import { ids, fixture, f, ossForm, ossPolicy } from './helpers.js';

test('every COS / OSS / endpoint check is registered once', () => {
  const names = checks.map((c) => c.id);
  for (const id of [
    'endpoint.problems',
    'cos.signature-fields',
    'cos.q-ak',
    'cos.key-time',
    'cos.bucket',
    'cos.key',
    'cos.key-condition',
    'cos.conditions',
    'cos.security-token',
    'oss.signature-fields',
    'oss.field-names',
    'oss.v4-fields',
    'oss.v4-policy',
    'oss.key',
    'oss.conditions',
    'oss.callback',
  ]) {
    expect(names.filter((n) => n === id)).toHaveLength(1);
  }
});

test('COS sample 2 through the engine: the bucket mismatch is the one error', async () => {
  const r = await check(await fixture('cos-sample-2.http'), { now: new Date('2019-08-29T07:39:34Z') });
  expect(r.provider).toBe('cos');
  expect(r.findings.filter((x) => x.severity === 'error').map((x) => x.id)).toEqual(['cos.bucket-mismatch']);
  for (const x of r.findings) for (const lang of ['en', 'ja', 'zh'] as const) renderFinding(x, lang);
});

test('COS sample 7 through the engine: no error', async () => {
  const r = await check(await fixture('cos-sample-7.http'), { now: new Date('2019-08-29T12:35:07Z') });
  expect(r.verdict).toBe('pass');
});

test('an OSS form with several problems through the engine', async () => {
  const req = ossForm({
    url: 'https://mybucket.mybucket.oss-cn-hangzhou.aliyuncs.com/',
    key: null,
    ak: 'STS.abcdef',
    policy: ossPolicy([['eq', '$bucket', 'mingdi-bjx']]),
    fields: [f('x-oss-meta-a', 'b')],
  });
  const r = await check(req, { now: new Date('2029-06-01T00:00:00Z') });
  expect(r.provider).toBe('oss');
  expect(ids(r.findings)).toEqual(expect.arrayContaining(['endpoint.oss.bucket-twice', 'oss.security-token-missing', 'oss.key-missing', 'oss.bucket-condition-failed']));
  for (const x of r.findings) for (const lang of ['en', 'ja', 'zh'] as const) renderFinding(x, lang);
});
