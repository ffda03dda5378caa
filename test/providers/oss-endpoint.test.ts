import { describe, expect, it } from 'vitest';
import { detectRequest, ossBucketNameProblems, parseEndpoint } from '../../src/providers/oss/endpoint.js';
import { makeRequest } from './helpers.js';

const ids = (url: string): string[] => parseEndpoint(url).problems.map((p) => p.id);

describe('OSS parseEndpoint', () => {
  it('bucket host', () => {
    const e = parseEndpoint('https://mingdi-hz.oss-cn-hangzhou.aliyuncs.com/');
    expect(e).toMatchObject({
      host: 'mingdi-hz.oss-cn-hangzhou.aliyuncs.com',
      bucket: 'mingdi-hz',
      region: 'cn-hangzhou',
      style: 'virtual',
      problems: [],
      internal: false,
      endpointLabel: 'oss-cn-hangzhou',
    });
  });
  it('internal host', () => {
    const e = parseEndpoint('http://mybucket.oss-cn-beijing-internal.aliyuncs.com');
    expect(e).toMatchObject({ bucket: 'mybucket', region: 'cn-beijing', internal: true, problems: [] });
  });
  it('region with a number', () => {
    expect(parseEndpoint('https://mybucket.oss-ap-southeast-1.aliyuncs.com').region).toBe('ap-southeast-1');
  });
  it('acceleration hosts carry no region', () => {
    expect(parseEndpoint('https://mybucket.oss-accelerate.aliyuncs.com')).toMatchObject({ bucket: 'mybucket', region: null, accelerate: true, problems: [] });
    expect(parseEndpoint('https://mybucket.oss-accelerate-overseas.aliyuncs.com')).toMatchObject({ accelerate: true, problems: [] });
  });
  it('dual-stack host', () => {
    expect(parseEndpoint('https://mybucket.cn-hangzhou.oss.aliyuncs.com')).toMatchObject({ bucket: 'mybucket', region: 'cn-hangzhou', style: 'virtual', problems: [] });
  });
  it('endpoint without bucket', () => {
    const e = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
    expect(e.bucket).toBeNull();
    expect(e.region).toBe('cn-hangzhou');
    expect(e.problems).toEqual([{ id: 'endpoint.oss.no-bucket', facts: { host: 'oss-cn-hangzhou.aliyuncs.com', endpoint: 'oss-cn-hangzhou', pathBucket: null } }]);
  });
  it('path-style bucket', () => {
    const e = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com/mybucket/');
    expect(e.style).toBe('path');
    expect(e.bucket).toBe('mybucket');
    expect(e.problems.map((p) => p.id)).toEqual(['endpoint.oss.no-bucket']);
  });
  it('bucket twice', () => {
    const e = parseEndpoint('https://mybucket.mybucket.oss-cn-hangzhou.aliyuncs.com');
    expect(e.bucket).toBe('mybucket');
    expect(e.problems).toEqual([
      {
        id: 'endpoint.oss.bucket-twice',
        facts: { host: 'mybucket.mybucket.oss-cn-hangzhou.aliyuncs.com', bucket: 'mybucket', endpointBucket: 'mybucket', sameName: true, expectedHost: 'mybucket.oss-cn-hangzhou.aliyuncs.com' },
      },
    ]);
  });
  it('another bucket already in the endpoint', () => {
    const e = parseEndpoint('https://mybucket.other-bucket.oss-cn-hangzhou.aliyuncs.com');
    expect(e.problems[0]).toMatchObject({ id: 'endpoint.oss.bucket-twice', facts: { bucket: 'mybucket', endpointBucket: 'other-bucket', sameName: false } });
  });
  it('spaces around the endpoint', () => {
    expect(ids(' https://mybucket.oss-cn-hangzhou.aliyuncs.com ')).toEqual(['endpoint.oss.trailing-space-or-slash']);
    const e = parseEndpoint('https://mybucket.oss-cn-hangzhou.aliyuncs.com\t');
    expect(e.bucket).toBe('mybucket');
    expect(e.problems[0]!.facts).toMatchObject({ leadingSpace: false, trailingSpace: true, extraSlashes: false });
  });
  it('doubled slash from an endpoint ending in "/"', () => {
    const e = parseEndpoint('https://mybucket.oss-cn-hangzhou.aliyuncs.com//');
    expect(e.problems[0]).toMatchObject({ id: 'endpoint.oss.trailing-space-or-slash', facts: { extraSlashes: true } });
  });
  it('a single trailing slash is the normal POST target', () => {
    expect(ids('https://mybucket.oss-cn-hangzhou.aliyuncs.com/')).toEqual([]);
  });
  it('invalid bucket names', () => {
    expect(parseEndpoint('https://my_bucket.oss-cn-hangzhou.aliyuncs.com').problems).toEqual([
      { id: 'endpoint.oss.invalid-bucket-name', facts: { bucket: 'my_bucket', length: 9, reasons: ['characters'] } },
    ]);
    expect(parseEndpoint('https://ab.oss-cn-hangzhou.aliyuncs.com').problems[0]!.facts['reasons']).toEqual(['length']);
    expect(parseEndpoint('https://-abc.oss-cn-hangzhou.aliyuncs.com').problems[0]!.facts['reasons']).toEqual(['edge-hyphen']);
    expect(parseEndpoint('https://MyBucket.oss-cn-hangzhou.aliyuncs.com').problems[0]!.facts['reasons']).toEqual(['uppercase']);
    expect(ids(`https://${'a'.repeat(64)}.oss-cn-hangzhou.aliyuncs.com`)).toEqual(['endpoint.oss.invalid-bucket-name']);
    expect(ids(`https://${'a'.repeat(63)}.oss-cn-hangzhou.aliyuncs.com`)).toEqual([]);
  });
  it('ossBucketNameProblems', () => {
    expect(ossBucketNameProblems('abc')).toEqual([]);
    expect(ossBucketNameProblems('a-1-b')).toEqual([]);
    expect(ossBucketNameProblems('ab-')).toEqual(['edge-hyphen']);
    expect(ossBucketNameProblems('a.b.c')).toEqual(['characters']);
  });
  it('custom domain', () => {
    const e = parseEndpoint('https://static.example.com/');
    expect(e.style).toBe('custom');
    expect(e.problems).toEqual([{ id: 'endpoint.oss.not-oss-host', facts: { host: 'static.example.com', path: '/' } }]);
  });
  it('aliyuncs host that is not OSS', () => {
    expect(ids('https://sts.aliyuncs.com')).toEqual(['endpoint.oss.not-oss-host']);
  });
});

describe('OSS detectRequest', () => {
  it('V1 fields, any case', () => {
    expect(
      detectRequest(
        makeRequest(null, [
          ['OSSAccessKeyId', 'a'],
          ['Signature', 'b'],
        ]),
      ),
    ).toBeGreaterThanOrEqual(0.9);
    expect(detectRequest(makeRequest(null, [['ossaccesskeyid', 'a']]))).toBeGreaterThanOrEqual(0.9);
  });
  it('V4 fields', () => {
    expect(detectRequest(makeRequest(null, [['x-oss-signature-version', 'OSS4-HMAC-SHA256']]))).toBeGreaterThanOrEqual(0.9);
    expect(detectRequest(makeRequest(null, [['x-oss-credential', 'a/b/c/oss/aliyun_v4_request']]))).toBeGreaterThanOrEqual(0.9);
  });
  it('host alone', () => {
    expect(detectRequest(makeRequest('https://b.oss-cn-hangzhou.aliyuncs.com/', [['key', 'k']]))).toBeCloseTo(0.8);
    expect(detectRequest(makeRequest(null, [['key', 'k']], [['host', 'b.oss-cn-hangzhou.aliyuncs.com']]))).toBeCloseTo(0.8);
  });
  it('fields and host', () => {
    expect(detectRequest(makeRequest('https://b.oss-cn-hangzhou.aliyuncs.com/', [['OSSAccessKeyId', 'a']]))).toBe(1);
  });
  it('other providers score 0', () => {
    expect(detectRequest(makeRequest('https://b-125.cos.ap-beijing.myqcloud.com', [['q-ak', 'x']]))).toBe(0);
    expect(
      detectRequest(
        makeRequest('https://b.s3.amazonaws.com', [
          ['AWSAccessKeyId', 'x'],
          ['Signature', 'y'],
        ]),
      ),
    ).toBe(0);
  });
});
