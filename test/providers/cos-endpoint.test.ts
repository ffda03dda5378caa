import { describe, expect, it } from 'vitest';
import { detectRequest, parseEndpoint } from '../../src/providers/cos/endpoint.js';
import { makeRequest } from './helpers.js';

const ids = (url: string): string[] => parseEndpoint(url).problems.map((p) => p.id);

describe('COS parseEndpoint', () => {
  it('virtual-hosted myqcloud.com host', () => {
    const e = parseEndpoint('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
    expect(e).toMatchObject({
      host: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com',
      bucket: 'examplebucket-1250000000',
      appid: '1250000000',
      region: 'ap-beijing',
      style: 'virtual',
      problems: [],
      scheme: 'https',
      path: '/',
      accelerate: false,
    });
  });

  it('tencentcos.cn host, no scheme, with port', () => {
    const e = parseEndpoint('examplebucket-1250000000.cos.ap-shanghai-fsi.tencentcos.cn:443');
    expect(e).toMatchObject({ bucket: 'examplebucket-1250000000', appid: '1250000000', region: 'ap-shanghai-fsi', style: 'virtual', port: 443, problems: [] });
  });

  it('upper-case host letters in the DNS part are folded', () => {
    const e = parseEndpoint('http://examplebucket-1250000000.COS.AP-Guangzhou.MyQcloud.com');
    expect(e.region).toBe('ap-guangzhou');
    expect(e.problems).toEqual([]);
  });

  it('global acceleration host has no region', () => {
    const e = parseEndpoint('https://examplebucket-1250000000.cos.accelerate.myqcloud.com');
    expect(e).toMatchObject({ bucket: 'examplebucket-1250000000', region: null, accelerate: true, style: 'virtual', problems: [] });
  });

  it('internal host', () => {
    const e = parseEndpoint('https://examplebucket-1250000000.cos-internal.ap-beijing.tencentcos.cn');
    expect(e).toMatchObject({ internal: true, region: 'ap-beijing', problems: [] });
  });

  it('bucket without -appid suffix', () => {
    const e = parseEndpoint('https://examplebucket.cos.ap-beijing.myqcloud.com');
    expect(e.bucket).toBe('examplebucket');
    expect(e.appid).toBeNull();
    expect(e.problems).toEqual([{ id: 'endpoint.cos.no-appid', facts: { bucket: 'examplebucket', host: 'examplebucket.cos.ap-beijing.myqcloud.com' } }]);
  });

  it('regional host without bucket', () => {
    const e = parseEndpoint('https://cos.ap-beijing.myqcloud.com/');
    expect(e.style).toBe('unknown');
    expect(e.region).toBe('ap-beijing');
    expect(e.problems).toEqual([{ id: 'endpoint.cos.no-bucket', facts: { host: 'cos.ap-beijing.myqcloud.com', pathBucket: null } }]);
  });

  it('path-style (bucket in the path) is not supported by POST', () => {
    const e = parseEndpoint('https://cos.ap-beijing.myqcloud.com/examplebucket-1250000000/');
    expect(e.style).toBe('path');
    expect(e.bucket).toBe('examplebucket-1250000000');
    expect(e.appid).toBe('1250000000');
    expect(ids('https://cos.ap-beijing.myqcloud.com/examplebucket-1250000000/')).toEqual(['endpoint.cos.no-bucket']);
    expect(e.problems[0]!.facts['pathBucket']).toBe('examplebucket-1250000000');
  });

  it('service host', () => {
    expect(ids('https://service.cos.myqcloud.com')).toEqual(['endpoint.cos.no-bucket']);
  });

  it('custom domain: style custom, remark with facts', () => {
    const e = parseEndpoint('https://upload.example.com/');
    expect(e.style).toBe('custom');
    expect(e.bucket).toBeNull();
    expect(e.problems).toEqual([{ id: 'endpoint.cos.not-cos-host', facts: { host: 'upload.example.com', path: '/' } }]);
  });

  it('bucket twice in the host', () => {
    const e = parseEndpoint('https://examplebucket-1250000000.examplebucket-1250000000.cos.ap-beijing.myqcloud.com');
    expect(e.bucket).toBe('examplebucket-1250000000');
    expect(e.problems.map((p) => p.id)).toEqual(['endpoint.cos.bucket-twice']);
    expect(e.problems[0]!.facts['sameName']).toBe(true);
  });

  it('invalid bucket characters, case as written', () => {
    const e = parseEndpoint('https://Example_Bucket-1250000000.cos.ap-beijing.myqcloud.com');
    const p = e.problems.find((x) => x.id === 'endpoint.cos.invalid-bucket-name');
    expect(p?.facts).toMatchObject({ bucket: 'Example_Bucket-1250000000', reasons: ['uppercase', 'characters'] });
  });

  it('no region', () => {
    expect(ids('https://examplebucket-1250000000.cos.myqcloud.com')).toEqual(['endpoint.cos.no-region']);
  });

  it('static-website and CDN hosts do not take uploads', () => {
    expect(ids('https://examplebucket-1250000000.cos-website.ap-beijing.myqcloud.com')).toEqual(['endpoint.cos.website-host']);
    const cdn = parseEndpoint('https://examplebucket-1250000000.file.myqcloud.com');
    expect(cdn.problems.map((p) => p.id)).toEqual(['endpoint.cos.cdn-host']);
    expect(cdn.appid).toBe('1250000000');
  });

  it('unrecognised myqcloud host', () => {
    expect(ids('https://console.myqcloud.com')).toEqual(['endpoint.cos.unrecognised-host']);
  });

  it('stray whitespace', () => {
    const e = parseEndpoint(' https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n');
    expect(e.bucket).toBe('examplebucket-1250000000');
    expect(e.problems).toEqual([{ id: 'endpoint.cos.whitespace', facts: { url: ' https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n', leading: true, trailing: true } }]);
  });
});

describe('COS detectRequest', () => {
  it('signature fields alone', () => {
    const r = makeRequest(null, [
      ['q-sign-algorithm', 'sha1'],
      ['q-ak', 'AKID'],
      ['q-key-time', '1;2'],
      ['q-signature', 'ab'],
    ]);
    expect(detectRequest(r)).toBeGreaterThanOrEqual(0.9);
  });
  it('one field, any case', () => {
    expect(detectRequest(makeRequest(null, [['Q-Signature', 'ab']]))).toBeGreaterThanOrEqual(0.8);
  });
  it('host alone (URL or Host header)', () => {
    expect(detectRequest(makeRequest('https://b-1250000000.cos.ap-beijing.myqcloud.com/', [['key', 'a']]))).toBeCloseTo(0.8);
    expect(detectRequest(makeRequest(null, [['key', 'a']], [['Host', 'b-1250000000.cos.ap-beijing.tencentcos.cn']]))).toBeCloseTo(0.8);
  });
  it('fields and host together are certain', () => {
    expect(
      detectRequest(
        makeRequest('https://b-1250000000.cos.ap-beijing.myqcloud.com/', [
          ['q-ak', 'AKID'],
          ['q-signature', 'x'],
        ]),
      ),
    ).toBe(1);
  });
  it('x-cos-* fields only hint', () => {
    const s = detectRequest(makeRequest(null, [['x-cos-security-token', 't']]));
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(0.8);
  });
  it('other providers score 0', () => {
    expect(
      detectRequest(
        makeRequest('https://b.oss-cn-hangzhou.aliyuncs.com', [
          ['OSSAccessKeyId', 'x'],
          ['Signature', 'y'],
        ]),
      ),
    ).toBe(0);
    expect(detectRequest(makeRequest('https://b.s3.amazonaws.com', [['x-amz-signature', 'y']]))).toBe(0);
  });
});
