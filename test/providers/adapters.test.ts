import { describe, expect, it } from 'vitest';
import { cosAdapter } from '../../src/providers/cos/index.js';
import { ossAdapter } from '../../src/providers/oss/index.js';
import { makeContext, makeRequest } from './helpers.js';

// The adapters expose this folder's endpoint and signing functions through the contract.
describe('adapter wiring', () => {
  it('COS adapter verifies the documented example and parses its host', () => {
    const req = makeRequest('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', [
      ['key', 'exampleobject'],
      ['policy', Buffer.from('{"expiration":"2030-01-01T00:00:00.000Z","conditions":[{"q-sign-time":"1700000000;1700003600"}]}').toString('base64')],
      ['q-sign-algorithm', 'sha1'],
      ['q-ak', 'AKIDexample'],
      ['q-key-time', '1700000000;1700003600'],
      ['q-signature', '0'.repeat(40)],
    ]);
    expect(cosAdapter.detectRequest(req)).toBe(1);
    expect(ossAdapter.detectRequest(req)).toBe(0);
    expect(cosAdapter.parseEndpoint!(req.url!).bucket).toBe('examplebucket-1250000000');
    const rep = cosAdapter.verifySignature!(makeContext(req, 'secret'));
    expect(rep.scheme).toBe('cos-sha1');
    expect(rep.checked).toBe(true);
    expect(rep.valid).toBe(false);
    expect(rep.steps.map((s) => s.name)).toEqual(['KeyTime', 'SignKey', 'StringToSign', 'Signature']);
  });
  it('OSS adapter picks V1 or V4 from the form', () => {
    const v1 = makeRequest('https://b1x.oss-cn-hangzhou.aliyuncs.com', [
      ['OSSAccessKeyId', 'a'],
      ['policy', 'e30='],
      ['Signature', 'x'],
    ]);
    const v4 = makeRequest('https://b1x.oss-cn-hangzhou.aliyuncs.com', [
      ['policy', 'e30='],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', 'a/20240101/cn-hangzhou/oss/aliyun_v4_request'],
      ['x-oss-signature', 'x'],
    ]);
    expect(ossAdapter.verifySignature!(makeContext(v1, 's')).scheme).toBe('oss-v1');
    expect(ossAdapter.verifySignature!(makeContext(v4, 's')).scheme).toBe('oss-v4');
    expect(ossAdapter.parseEndpoint!(v1.url!).region).toBe('cn-hangzhou');
  });
});
