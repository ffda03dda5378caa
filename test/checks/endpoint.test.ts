import { describe, expect, test } from 'vitest';
import { resolvePrediction } from '../../src/core/catalogue.js';
import { endpointProblems } from '../../src/checks/endpoint-problems.js';
import { cosForm, ids, ossForm, run } from './helpers.js';

describe('endpoint.problems (OSS)', () => {
  test('a bucket host: nothing', async () => {
    expect(await run(endpointProblems, ossForm(), 'oss')).toEqual([]);
  });
  test('bucket twice in the host predicts SignatureDoesNotMatch (handbook: bucket before the endpoint)', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://mybucket.mybucket.oss-cn-hangzhou.aliyuncs.com/' }), 'oss');
    expect(ids(out)).toContain('endpoint.oss.bucket-twice');
    const f = out.find((x) => x.id === 'endpoint.oss.bucket-twice')!;
    expect(f.severity).toBe('error');
    expect(resolvePrediction(f.predicts!).code).toBe('SignatureDoesNotMatch');
  });
  test('endpoint without bucket', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://oss-cn-hangzhou.aliyuncs.com/' }), 'oss');
    expect(ids(out)).toEqual(['endpoint.oss.no-bucket']);
  });
  test('custom domain: info', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://static.example.com/' }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'endpoint.oss.not-oss-host', severity: 'info' })]);
  });
});

describe('endpoint.problems (COS)', () => {
  test('a bucket host: nothing', async () => {
    expect(await run(endpointProblems, cosForm(), 'cos')).toEqual([]);
  });
  test('no APPID in the host bucket', async () => {
    const out = await run(endpointProblems, cosForm({ url: 'https://examplebucket.cos.ap-beijing.myqcloud.com/' }), 'cos');
    expect(ids(out)).toContain('endpoint.cos.no-appid');
  });
  test('service host without bucket', async () => {
    const out = await run(endpointProblems, cosForm({ url: 'https://cos.ap-beijing.myqcloud.com/' }), 'cos');
    expect(ids(out)).toContain('endpoint.cos.no-bucket');
  });
  test('no URL: nothing', async () => {
    expect(await run(endpointProblems, cosForm({ url: null }), 'cos')).toEqual([]);
  });
});
