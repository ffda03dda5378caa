import { describe, expect, it } from 'vitest';
import { detectRequest, parseEndpoint, s3BucketNameProblems, splitUrl } from '../../src/providers/s3/endpoint.js';
import { makeRequest } from './helpers.js';

const ids = (url: string, style?: 'virtual' | 'path') => parseEndpoint(url, style).problems.map((p) => p.id);
const problem = (url: string, id: string, style?: 'virtual' | 'path') => parseEndpoint(url, style).problems.find((p) => p.id === id);

describe('S3 endpoint: Amazon hosts', () => {
  it('regional virtual-hosted', () => {
    const e = parseEndpoint('https://my-bucket.s3.eu-central-1.amazonaws.com/');
    expect(e).toMatchObject({ bucket: 'my-bucket', region: 'eu-central-1', style: 'virtual', aws: true, global: false, dualstack: false, problems: [] });
  });
  it('legacy global endpoint: us-east-1, remarked', () => {
    const e = parseEndpoint('https://johnsmith.s3.amazonaws.com/');
    expect(e).toMatchObject({ bucket: 'johnsmith', region: 'us-east-1', style: 'virtual', global: true });
    expect(ids('https://johnsmith.s3.amazonaws.com/')).toEqual(['endpoint.s3.global-endpoint']);
  });
  it('legacy dash form', () => {
    expect(parseEndpoint('https://b-1.s3-eu-west-1.amazonaws.com')).toMatchObject({ bucket: 'b-1', region: 'eu-west-1', style: 'virtual', global: false });
    expect(parseEndpoint('https://b-1.s3-external-1.amazonaws.com')).toMatchObject({ bucket: 'b-1', region: 'us-east-1', global: true });
  });
  it('dual-stack, FIPS, acceleration', () => {
    expect(parseEndpoint('https://b12.s3.dualstack.ap-south-1.amazonaws.com/')).toMatchObject({ bucket: 'b12', region: 'ap-south-1', dualstack: true, style: 'virtual' });
    expect(parseEndpoint('https://b12.s3-fips.us-gov-west-1.amazonaws.com/')).toMatchObject({ bucket: 'b12', region: 'us-gov-west-1', fips: true });
    expect(parseEndpoint('https://b12.s3-accelerate.amazonaws.com/')).toMatchObject({ bucket: 'b12', region: null, accelerate: true, style: 'virtual' });
    expect(parseEndpoint('https://b12.s3-accelerate.dualstack.amazonaws.com/')).toMatchObject({ accelerate: true, dualstack: true });
  });
  it('China partition', () => {
    expect(parseEndpoint('https://b12.s3.cn-north-1.amazonaws.com.cn/')).toMatchObject({ bucket: 'b12', region: 'cn-north-1', aws: true });
  });
  it('path-style', () => {
    const e = parseEndpoint('https://s3.us-west-2.amazonaws.com/my.dotted.bucket/');
    expect(e).toMatchObject({ bucket: 'my.dotted.bucket', region: 'us-west-2', style: 'path', problems: [] });
    expect(parseEndpoint('https://s3.dualstack.us-west-2.amazonaws.com/bk1')).toMatchObject({ bucket: 'bk1', dualstack: true, style: 'path' });
    expect(ids('https://s3.amazonaws.com/bk1')).toEqual(['endpoint.s3.global-endpoint']);
  });
  it('a bucket whose own labels look like s3', () => {
    expect(parseEndpoint('https://s3.backup.s3.us-east-2.amazonaws.com/')).toMatchObject({ bucket: 's3.backup', region: 'us-east-2', style: 'virtual' });
  });
  it('no bucket', () => {
    expect(parseEndpoint('https://s3.us-east-2.amazonaws.com/')).toMatchObject({ bucket: null, style: 'unknown' });
    expect(problem('https://s3.us-east-2.amazonaws.com/', 'endpoint.s3.no-bucket')?.facts).toMatchObject({ host: 's3.us-east-2.amazonaws.com' });
  });
  it('dots in a bucket with https virtual-hosting: certificate warning', () => {
    const p = problem('https://www.example.com.s3.us-east-1.amazonaws.com/', 'endpoint.s3.dotted-bucket-https');
    expect(p?.facts).toMatchObject({ bucket: 'www.example.com', certificate: '*.s3.us-east-1.amazonaws.com', pathStyleUrl: 'https://s3.us-east-1.amazonaws.com/www.example.com' });
    expect(ids('http://www.example.com.s3.us-east-1.amazonaws.com/')).toEqual([]);
  });
  it('invalid bucket names', () => {
    expect(problem('https://My_Bucket.s3.us-east-1.amazonaws.com/', 'endpoint.s3.invalid-bucket-name')?.facts).toMatchObject({ bucket: 'My_Bucket', reasons: ['uppercase', 'characters'] });
    expect(problem('https://s3.us-east-1.amazonaws.com/ab', 'endpoint.s3.invalid-bucket-name')?.facts.reasons).toEqual(['length']);
    expect(problem('http://a..b.s3.us-east-1.amazonaws.com/', 'endpoint.s3.invalid-bucket-name')?.facts.reasons).toEqual(['adjacent-dots']);
  });
  it('website endpoint takes no uploads', () => {
    const e = parseEndpoint('http://site-b.s3-website-us-west-2.amazonaws.com/');
    expect(e).toMatchObject({ bucket: 'site-b', region: 'us-west-2', website: true });
    expect(ids('http://site-b.s3-website.eu-central-1.amazonaws.com/')).toEqual(['endpoint.s3.website-host']);
  });
  it('a key in the POST URL', () => {
    expect(problem('https://bk1.s3.us-east-1.amazonaws.com/uploads/a.jpg', 'endpoint.s3.path-after-bucket')?.facts).toMatchObject({ bucket: 'bk1', extra: 'uploads/a.jpg' });
    expect(problem('https://s3.us-east-1.amazonaws.com/bk1/a.jpg', 'endpoint.s3.path-after-bucket')?.facts).toMatchObject({ bucket: 'bk1', extra: 'a.jpg' });
  });
  it('whitespace around the URL', () => {
    expect(ids(' https://bk1.s3.us-east-1.amazonaws.com/ ')).toContain('endpoint.s3.whitespace');
    expect(parseEndpoint(' https://bk1.s3.us-east-1.amazonaws.com/ ').bucket).toBe('bk1');
  });
  it('other AWS hosts are not S3 endpoints', () => {
    expect(parseEndpoint('https://sqs.us-east-1.amazonaws.com/')).toMatchObject({ style: 'custom', bucket: null });
    expect(ids('https://sqs.us-east-1.amazonaws.com/')).toEqual(['endpoint.s3.unrecognised-host']);
  });
});

describe('S3 endpoint: S3-compatible hosts', () => {
  it('path-style on an IP and port (Ceph RGW)', () => {
    const e = parseEndpoint('http://127.0.0.1:7480/my-bucket');
    expect(e).toMatchObject({ host: '127.0.0.1', port: 7480, bucket: 'my-bucket', region: null, style: 'path', aws: false, styleSource: 'guess', problems: [] });
  });
  it('<bucket>.localhost is virtual-hosted', () => {
    expect(parseEndpoint('http://my-bucket.localhost:7480')).toMatchObject({ bucket: 'my-bucket', style: 'virtual', region: null });
  });
  it('the endpoint-style option decides for custom domains', () => {
    expect(parseEndpoint('https://my-bucket.minio.example.net/', 'virtual')).toMatchObject({ bucket: 'my-bucket', style: 'virtual', styleSource: 'option' });
    expect(parseEndpoint('https://minio.example.net/my-bucket/', 'path')).toMatchObject({ bucket: 'my-bucket', style: 'path', styleSource: 'option' });
    expect(ids('https://minio.example.net/', 'path')).toEqual(['endpoint.s3.no-bucket']);
    expect(problem('http://10.0.0.1:9000/', 'endpoint.s3.no-bucket', 'virtual')?.facts).toMatchObject({ ipHost: true });
  });
  it('a custom domain with nothing in the path: bucket unknown', () => {
    expect(parseEndpoint('https://uploads.example.org/')).toMatchObject({ bucket: null, style: 'custom' });
    expect(ids('https://uploads.example.org/')).toEqual(['endpoint.s3.bucket-unknown']);
  });
  it('bucket rules without the Amazon reservations', () => {
    expect(s3BucketNameProblems('xn--abc', false)).toEqual([]);
    expect(s3BucketNameProblems('xn--abc', true)).toEqual(['reserved-prefix']);
    expect(s3BucketNameProblems('192.168.1.1')).toContain('ip-address');
    expect(s3BucketNameProblems('-abc')).toEqual(['edge']);
  });
  it('never throws on odd input', () => {
    for (const u of ['', '   ', 'not a url', '://', 'http://', 'http://[::1]:9000/b12', 'https://@/x', 'http://%zz.s3.amazonaws.com/%']) {
      expect(() => parseEndpoint(u)).not.toThrow();
    }
    expect(parseEndpoint('http://[::1]:9000/b12')).toMatchObject({ host: '[::1]', port: 9000, bucket: 'b12', style: 'path' });
    expect(splitUrl('HTTPS://B1.S3.AMAZONAWS.COM.:443/x?y#z')).toMatchObject({ scheme: 'https', host: 'b1.s3.amazonaws.com', port: 443, path: '/x' });
  });
});

describe('S3 detectRequest', () => {
  it('SigV4 fields, SigV2 fields, hosts', () => {
    expect(
      detectRequest(
        makeRequest(null, [
          ['X-Amz-Credential', 'AK/20240101/us-east-1/s3/aws4_request'],
          ['X-Amz-Signature', 'x'],
        ]),
      ),
    ).toBe(0.95);
    expect(
      detectRequest(
        makeRequest(null, [
          ['AWSAccessKeyId', 'AK'],
          ['signature', 'x'],
        ]),
      ),
    ).toBe(0.9);
    expect(detectRequest(makeRequest('https://b1.s3.us-east-1.amazonaws.com/', [['x-amz-signature', 'x']]))).toBe(1);
    expect(detectRequest(makeRequest('https://b1.s3.us-east-1.amazonaws.com/', [['key', 'x']]))).toBe(0.8);
    expect(detectRequest(makeRequest(null, [['key', 'x']], [['Host', 'b1.s3.amazonaws.com']]))).toBe(0.8);
  });
  it('other providers score 0; GCS interoperability forms defer to GCS', () => {
    expect(
      detectRequest(
        makeRequest('https://b.oss-cn-hangzhou.aliyuncs.com', [
          ['OSSAccessKeyId', 'x'],
          ['Signature', 'y'],
        ]),
      ),
    ).toBe(0);
    expect(detectRequest(makeRequest('https://b.cos.ap-beijing.myqcloud.com', [['q-ak', 'x']]))).toBe(0);
    expect(detectRequest(makeRequest('https://storage.googleapis.com/b', [['x-amz-signature', 'x']]))).toBe(0.5);
  });
});
