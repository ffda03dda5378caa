import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { ossScheme, ossV1Sign, ossV4Sign, parseOssCredential, shiftDate, verifySignature } from '../../src/providers/oss/sign.js';
import { FormView } from '../../src/core/fields.js';
import { makeContext, makeRequest } from './helpers.js';

// Known-answer vectors. The `ali-oss` SDK is not installed here, so it cannot serve as the
// oracle; these vectors were computed independently with openssl in a shell:
//   V1: printf %s "$P" | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
//   V4: k1=$(printf %s 20240530 | openssl dgst -sha256 -mac HMAC -macopt "key:aliyun_v4$SECRET" -binary | xxd -p -c 256)
//       k2..k4 likewise with -macopt "hexkey:$k" over cn-hangzhou, oss, aliyun_v4_request,
//       sig=$(printf %s "$P4" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$k4" -binary | xxd -p -c 256)
const SECRET = 'nZ8pLq3vT6wX1yA4bC7dE0fG2hJ5kM9o';
const AK = 'LTAI5tExampleKey';
const URL = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

const V1_JSON = '{"expiration":"2018-01-01T12:00:00.000Z","conditions":[["content-length-range",0,104857600]]}';
const V1_POLICY = 'eyJleHBpcmF0aW9uIjoiMjAxOC0wMS0wMVQxMjowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMTA0ODU3NjAwXV19';
const V1_SIGNATURE = 'BEelprmYjCFiKQVbvvqNSGQNFg0=';

const V4_POLICY =
  'eyJleHBpcmF0aW9uIjoiMjAyNC0wNi0wMVQxMjowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiTFRBSTV0RXhhbXBsZUtleS8yMDI0MDUzMC9jbi1oYW5nemhvdS9vc3MvYWxpeXVuX3Y0X3JlcXVlc3QifSx7Ingtb3NzLWRhdGUiOiIyMDI0MDUzMFQwODMwMDBaIn0sWyJjb250ZW50LWxlbmd0aC1yYW5nZSIsMSwxMDQ4NTc2MF1dfQ==';
const V4_SIGNING_KEY = '6c9de995ead06ec46115a167b4db9f2192645bd182bc67bbcb062e9ab5fd548e';
const V4_SIGNATURE = '0c9ce9ded94fcec79279169090d74ff0d2ad9e7b89476795ad36eba26c09981f';
const CREDENTIAL = `${AK}/20240530/cn-hangzhou/oss/aliyun_v4_request`;

// Independent primitives for the deliberately wrong signatures.
const h1 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha1', k).update(m).digest();
const h256 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha256', k).update(m).digest();
function v4Key(secret: string, date: string, region: string, prefix = 'aliyun_v4'): Buffer {
  return h256(h256(h256(h256(prefix + secret, date), region), 'oss'), 'aliyun_v4_request');
}

function v1Form(sig: string, policy = V1_POLICY): Array<[string, string]> {
  return [
    ['key', 'user/a.png'],
    ['OSSAccessKeyId', AK],
    ['policy', policy],
    ['Signature', sig],
  ];
}
function v4Form(sig: string, over: Record<string, string> = {}): Array<[string, string]> {
  const f: Record<string, string> = {
    key: 'user/a.png',
    policy: V4_POLICY,
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': CREDENTIAL,
    'x-oss-date': '20240530T083000Z',
    'x-oss-signature': sig,
    ...over,
  };
  return Object.entries(f);
}
function verify(fields: Array<[string, string]>, secret = SECRET) {
  return verifySignature(makeContext(makeRequest(URL, fields), secret)) as ReturnType<typeof verifySignature> & { facts: Record<string, any> };
}

describe('OSS V1', () => {
  it('ossV1Sign matches the openssl vector', () => {
    expect(Buffer.from(V1_JSON).toString('base64')).toBe(V1_POLICY);
    expect(ossV1Sign({ secret: SECRET, policyBase64: V1_POLICY })).toBe(V1_SIGNATURE);
  });

  it('verifySignature: valid, with StringToSign = the base64 as sent', () => {
    const rep = verify(v1Form(V1_SIGNATURE));
    expect(rep).toMatchObject({ scheme: 'oss-v1', checked: true, valid: true, expected: V1_SIGNATURE, provided: V1_SIGNATURE, mistake: null });
    expect(rep.steps).toEqual([
      { name: 'StringToSign', value: V1_POLICY },
      { name: 'Signature', value: V1_SIGNATURE },
    ]);
  });

  it('wrong secret: mismatch, no mistake named', () => {
    const rep = verify(v1Form(V1_SIGNATURE), 'someOtherSecretValue12345');
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBeNull();
  });

  it('missing fields', () => {
    const rep = verify([
      ['OSSAccessKeyId', AK],
      ['policy', V1_POLICY],
    ]);
    expect(rep).toMatchObject({ scheme: 'oss-v1', checked: false, reason: 'signature.fields-missing' });
    expect(rep.facts.missing).toEqual(['Signature']);
  });

  it('hex-output', () => {
    const wrong = h1(SECRET, V1_POLICY).toString('hex');
    expect(verify(v1Form(wrong)).mistake).toBe('signature.mistake.hex-output');
  });
  it('signed-json (the decoded policy instead of its base64)', () => {
    const wrong = h1(SECRET, V1_JSON).toString('base64');
    expect(verify(v1Form(wrong)).mistake).toBe('signature.mistake.signed-json');
  });
  it('swapped-hmac', () => {
    const wrong = h1(V1_POLICY, SECRET).toString('base64');
    expect(verify(v1Form(wrong)).mistake).toBe('signature.mistake.swapped-hmac');
  });
  it('sha256 instead of sha1', () => {
    const wrong = h256(SECRET, V1_POLICY).toString('base64');
    const rep = verify(v1Form(wrong));
    expect(rep.mistake).toBe('signature.mistake.sha256');
    expect(rep.facts.mistakeFacts).toEqual({ output: 'base64' });
  });
  it('secret-whitespace', () => {
    const wrong = h1(`${SECRET} `, V1_POLICY).toString('base64');
    const rep = verify(v1Form(wrong));
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trailing-space' });
  });
  it('url-encoded signature', () => {
    const sig = ossV1Sign({ secret: 'k', policyBase64: V1_POLICY });
    // find a secret whose signature carries a character URL-encoding changes
    let secret = 'k';
    let s = sig;
    for (let i = 0; !/[+/=]/.test(s); i++) {
      secret = `k${i}`;
      s = h1(secret, V1_POLICY).toString('base64');
    }
    expect(verify(v1Form(encodeURIComponent(s)), secret).mistake).toBe('signature.mistake.url-encoded');
  });
});

describe('OSS V4', () => {
  it('ossV4Sign matches the openssl vector', () => {
    expect(ossV4Sign({ secret: SECRET, date: '20240530', region: 'cn-hangzhou', policyBase64: V4_POLICY })).toEqual({ signingKey: V4_SIGNING_KEY, signature: V4_SIGNATURE });
  });

  it('verifySignature: valid, with every intermediate', () => {
    const rep = verify(v4Form(V4_SIGNATURE));
    expect(rep).toMatchObject({ scheme: 'oss-v4', checked: true, valid: true, expected: V4_SIGNATURE, mistake: null });
    expect(rep.steps).toEqual([
      { name: 'date', value: '20240530' },
      { name: 'region', value: 'cn-hangzhou' },
      { name: 'scope', value: '20240530/cn-hangzhou/oss/aliyun_v4_request' },
      { name: 'SigningKey', value: V4_SIGNING_KEY, secret: true },
      { name: 'StringToSign', value: V4_POLICY },
      { name: 'Signature', value: V4_SIGNATURE },
    ]);
  });

  it('scheme detection: V4 fields win over V1', () => {
    expect(ossScheme({ form: new FormView(makeRequest(URL, v4Form('x'))) })).toBe('oss-v4');
    expect(ossScheme({ form: new FormView(makeRequest(URL, v1Form('x'))) })).toBe('oss-v1');
  });

  it('missing and malformed credential', () => {
    const miss = verify(v4Form(V4_SIGNATURE).filter(([k]) => k !== 'x-oss-credential'));
    expect(miss).toMatchObject({ checked: false, reason: 'signature.fields-missing' });
    expect(miss.facts.missing).toEqual(['x-oss-credential']);
    const bad = verify(v4Form(V4_SIGNATURE, { 'x-oss-credential': `${AK}/20240530/cn-hangzhou` }));
    expect(bad).toMatchObject({ checked: false, reason: 'signature.credential-malformed' });
  });

  it('region-prefix: signed with "oss-cn-hangzhou"', () => {
    const wrong = h256(v4Key(SECRET, '20240530', 'oss-cn-hangzhou'), V4_POLICY).toString('hex');
    const rep = verify(v4Form(wrong));
    expect(rep.mistake).toBe('signature.mistake.region-prefix');
    expect(rep.facts.mistakeFacts).toMatchObject({ signedRegion: 'oss-cn-hangzhou' });
  });
  it('wrong-date: signed with the x-oss-date day instead of the credential day', () => {
    const wrong = h256(v4Key(SECRET, '20240601', 'cn-hangzhou'), V4_POLICY).toString('hex');
    const rep = verify(v4Form(wrong, { 'x-oss-date': '20240601T000500Z' }));
    expect(rep.mistake).toBe('signature.mistake.wrong-date');
    expect(rep.facts.mistakeFacts).toMatchObject({ signedDate: '20240601', source: 'x-oss-date' });
  });
  it('wrong-date: local calendar day, one day off', () => {
    const wrong = h256(v4Key(SECRET, '20240529', 'cn-hangzhou'), V4_POLICY).toString('hex');
    const rep = verify(v4Form(wrong));
    expect(rep.mistake).toBe('signature.mistake.wrong-date');
    expect(rep.facts.mistakeFacts).toMatchObject({ signedDate: '20240529', source: 'previous-day' });
  });
  it('signed-json', () => {
    const wrong = h256(v4Key(SECRET, '20240530', 'cn-hangzhou'), Buffer.from(V4_POLICY, 'base64')).toString('hex');
    expect(verify(v4Form(wrong)).mistake).toBe('signature.mistake.signed-json');
  });
  it('base64-output', () => {
    const wrong = h256(v4Key(SECRET, '20240530', 'cn-hangzhou'), V4_POLICY).toString('base64');
    expect(verify(v4Form(wrong)).mistake).toBe('signature.mistake.base64-output');
  });
  it('secret-whitespace', () => {
    const wrong = h256(v4Key(`${SECRET}\n`, '20240530', 'cn-hangzhou'), V4_POLICY).toString('hex');
    const rep = verify(v4Form(wrong));
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trailing-newline' });
  });
  it('v4-prefix-missing', () => {
    const wrong = h256(v4Key(SECRET, '20240530', 'cn-hangzhou', ''), V4_POLICY).toString('hex');
    expect(verify(v4Form(wrong)).mistake).toBe('signature.mistake.v4-prefix-missing');
  });
  it('a foreign signature names no mistake', () => {
    const rep = verify(v4Form('f'.repeat(64)));
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBeNull();
  });
});

describe('OSS helpers', () => {
  it('parseOssCredential', () => {
    expect(parseOssCredential(CREDENTIAL)).toEqual({ accessKeyId: AK, date: '20240530', region: 'cn-hangzhou', service: 'oss', terminator: 'aliyun_v4_request' });
    expect(parseOssCredential('a/b')).toBeNull();
  });
  it('shiftDate crosses month and year ends', () => {
    expect(shiftDate('20240301', -1)).toBe('20240229');
    expect(shiftDate('20231231', 1)).toBe('20240101');
    expect(shiftDate('2024-03-01', 1)).toBeNull();
  });
});
