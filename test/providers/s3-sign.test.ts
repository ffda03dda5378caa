import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { lineEndingVariants, parseV4Credential, s3Scheme, s3V2Sign, s3V4Sign, shiftDay, verifySignature } from '../../src/providers/s3/sign.js';
import { s3Adapter } from '../../src/providers/s3/index.js';
import { FormView } from '../../src/core/fields.js';
import { makeContext, makeRequest } from './helpers.js';

// AWS's published SigV4 POST example ("Example: Browser-based upload using HTTP POST (using AWS
// Signature Version 4)"): the policy is rebuilt here line by line with the CRLF line endings of the
// published base64 text; it decodes to 648 bytes and signs to the documented signature.
const V4_LINES = [
  '{ "expiration": "2015-12-30T12:00:00.000Z",',
  '  "conditions": [',
  '    {"bucket": "sigv4examplebucket"},',
  '    ["starts-with", "$key", "user/user1/"],',
  '    {"acl": "public-read"},',
  '    {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},',
  '    ["starts-with", "$Content-Type", "image/"],',
  '    {"x-amz-meta-uuid": "14365123651274"},',
  '    {"x-amz-server-side-encryption": "AES256"},',
  '    ["starts-with", "$x-amz-meta-tag", ""],',
  '',
  '    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},',
  '    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},',
  '    {"x-amz-date": "20151229T000000Z" }',
  '  ]',
  '}',
];
const V4_JSON = V4_LINES.join('\r\n');
const V4_POLICY = Buffer.from(V4_JSON).toString('base64');
const V4_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const V4_SIGNATURE = '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e';
const V4_URL = 'http://sigv4examplebucket.s3.amazonaws.com/';

// AWS's SigV2 browser-upload example (bucket johnsmith): LF line endings and a final newline.
const V2_JSON = `${[
  '{ "expiration": "2007-12-01T12:00:00.000Z",',
  '  "conditions": [',
  '    {"bucket": "johnsmith"},',
  '    ["starts-with", "$key", "user/eric/"],',
  '    {"acl": "public-read"},',
  '    {"success_action_redirect": "http://johnsmith.s3.amazonaws.com/successful_upload.html"},',
  '    ["starts-with", "$Content-Type", "image/"],',
  '    {"x-amz-meta-uuid": "14365123651274"},',
  '    ["starts-with", "$x-amz-meta-tag", ""]',
  '  ]',
  '}',
].join('\n')}\n`;
const V2_POLICY = Buffer.from(V2_JSON).toString('base64');
const V2_SECRET = 'uV3F3YluFJax1cknvbcGwgjvx4QpvB+leU8dUj2o';
const V2_SIGNATURE = '0RavWzkygo6QX9caELEqKi9kDbU=';

// Independent primitives for the deliberately wrong signatures.
const h256 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha256', k).update(m).digest();
const h1 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha1', k).update(m).digest();
function key(secret: string, date: string, region: string, prefix = 'AWS4'): Buffer {
  return h256(h256(h256(h256(prefix + secret, date), region), 's3'), 'aws4_request');
}

function v4Form(sig: string, over: Record<string, string> = {}): Array<[string, string]> {
  const f: Record<string, string> = {
    key: 'user/user1/${filename}',
    acl: 'public-read',
    'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Date': '20151229T000000Z',
    Policy: V4_POLICY,
    'X-Amz-Signature': sig,
    ...over,
  };
  return Object.entries(f);
}
function v2Form(sig: string, policy = V2_POLICY): Array<[string, string]> {
  return [
    ['key', 'user/eric/MyPicture.jpg'],
    ['AWSAccessKeyId', 'AKIAIOSFODNN7EXAMPLE'],
    ['policy', policy],
    ['signature', sig],
  ];
}
type Rep = ReturnType<typeof verifySignature> & { facts: Record<string, any> };
function verify(fields: Array<[string, string]>, secret: string, url: string | null = V4_URL): Rep {
  return verifySignature(makeContext(makeRequest(url, fields), secret)) as Rep;
}

describe('S3 SigV4 known answers', () => {
  it('the rebuilt AWS example policy is 648 bytes with CRLF line endings', () => {
    expect(Buffer.byteLength(V4_JSON)).toBe(648);
    expect(V4_POLICY.startsWith('eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0K')).toBe(true);
  });
  it('s3V4Sign reproduces the AWS POST example signature', () => {
    const r = s3V4Sign({ secret: V4_SECRET, date: '20151229', region: 'us-east-1', policyBase64: V4_POLICY });
    expect(r.signature).toBe(V4_SIGNATURE);
    expect(r.signingKey).toBe(key(V4_SECRET, '20151229', 'us-east-1').toString('hex'));
    expect(r.dateKey).toBe(h256(`AWS4${V4_SECRET}`, '20151229').toString('hex'));
  });
  it('the key chain reproduces the AWS signing-key vector (20120215/us-east-1/iam)', () => {
    const r = s3V4Sign({ secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', date: '20120215', region: 'us-east-1', service: 'iam', policyBase64: 'x' });
    expect(r.signingKey).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });
  it('verifySignature: valid, with every intermediate in order', () => {
    const rep = verify(v4Form(V4_SIGNATURE), V4_SECRET);
    expect(rep).toMatchObject({ scheme: 's3-v4', checked: true, valid: true, expected: V4_SIGNATURE, provided: V4_SIGNATURE, mistake: null });
    expect(rep.steps.map((s) => s.name)).toEqual(['date', 'region', 'service', 'scope', 'DateKey', 'RegionKey', 'ServiceKey', 'SigningKey', 'StringToSign', 'Signature']);
    expect(rep.steps.filter((s) => s.secret).map((s) => s.name)).toEqual(['DateKey', 'RegionKey', 'ServiceKey', 'SigningKey']);
    expect(rep.steps.find((s) => s.name === 'scope')!.value).toBe('20151229/us-east-1/s3/aws4_request');
    expect(rep.steps.find((s) => s.name === 'StringToSign')!.value).toBe(V4_POLICY);
    expect(rep.facts).toMatchObject({
      credentialDate: '20151229',
      region: 'us-east-1',
      service: 's3',
      terminator: 'aws4_request',
      algorithm: 'AWS4-HMAC-SHA256',
      amzDate: '20151229T000000Z',
      securityToken: false,
    });
  });
  it('field names in any case (lowercase form as in the AWS example page)', () => {
    const lower = v4Form(V4_SIGNATURE).map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
    expect(verify(lower, V4_SECRET).valid).toBe(true);
  });
});

describe('S3 SigV2 known answers', () => {
  it('s3V2Sign reproduces the AWS johnsmith example signature', () => {
    expect(s3V2Sign({ secret: V2_SECRET, policyBase64: V2_POLICY })).toBe(V2_SIGNATURE);
  });
  it('verifySignature: valid', () => {
    const rep = verify(v2Form(V2_SIGNATURE), V2_SECRET, 'https://johnsmith.s3.amazonaws.com/');
    expect(rep).toMatchObject({ scheme: 's3-v2', checked: true, valid: true, mistake: null });
    expect(rep.steps).toEqual([
      { name: 'StringToSign', value: V2_POLICY },
      { name: 'Signature', value: V2_SIGNATURE },
    ]);
  });
});

describe('S3 not checked', () => {
  it('V4 fields missing', () => {
    const rep = verify(
      [
        ['x-amz-credential', 'AKID/20151229/us-east-1/s3/aws4_request'],
        ['policy', V4_POLICY],
      ],
      V4_SECRET,
    );
    expect(rep).toMatchObject({ scheme: 's3-v4', checked: false, reason: 'signature.fields-missing' });
    expect(rep.facts.missing).toEqual(['x-amz-signature']);
  });
  it('V4 signature empty', () => {
    const rep = verify(v4Form(''), V4_SECRET);
    expect(rep.reason).toBe('signature.fields-missing');
    expect(rep.facts.empty).toEqual(['x-amz-signature']);
  });
  it('V2 policy missing', () => {
    const rep = verify(
      [
        ['AWSAccessKeyId', 'AKID'],
        ['signature', V2_SIGNATURE],
      ],
      V2_SECRET,
    );
    expect(rep).toMatchObject({ scheme: 's3-v2', checked: false, reason: 'signature.fields-missing' });
    expect(rep.facts.missing).toEqual(['policy']);
  });
  it('no signing fields at all', () => {
    const rep = verify(
      [
        ['key', 'a'],
        ['policy', V4_POLICY],
      ],
      V4_SECRET,
    );
    expect(rep).toMatchObject({ checked: false, reason: 'signature.fields-missing' });
    expect(rep.facts.missing).toContain('x-amz-signature');
  });
  it('malformed credential', () => {
    const rep = verify(v4Form(V4_SIGNATURE, { 'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1' }), V4_SECRET);
    expect(rep).toMatchObject({ checked: false, reason: 'signature.credential-malformed' });
    expect(rep.facts).toMatchObject({ field: 'X-Amz-Credential', parts: 3 });
  });
  it('no secret', () => {
    expect(verify(v4Form(V4_SIGNATURE), '')).toMatchObject({ checked: false, reason: 'signature.no-secret' });
    expect(verify(v2Form(V2_SIGNATURE), '')).toMatchObject({ checked: false, reason: 'signature.no-secret' });
  });
  it('scheme detection', () => {
    const view = (f: Array<[string, string]>) => ({ form: new FormView(makeRequest(null, f)) });
    expect(s3Scheme(view([['X-Amz-Signature', 'x']]))).toBe('s3-v4');
    expect(s3Scheme(view([['AWSAccessKeyId', 'x']]))).toBe('s3-v2');
    expect(s3Scheme(view([['key', 'x']]))).toBeNull();
  });
});

describe('S3 SigV4 mistakes', () => {
  const D = '20151229';
  const sign = (k: Buffer, m: string | Buffer = V4_POLICY) => h256(k, m).toString('hex');
  const mistake = (sig: string, over: Record<string, string> = {}, url: string | null = V4_URL, secret = V4_SECRET) => verify(v4Form(sig, over), secret, url);

  it('wrong secret: mismatch, no mistake', () => {
    const rep = mistake(V4_SIGNATURE, {}, V4_URL, 'anotherSecretKeyEntirely0000000000000000');
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBeNull();
  });
  it('wrong-region: signed for us-east-1, credential says eu-central-1', () => {
    const over = { 'X-Amz-Credential': `AKIAIOSFODNN7EXAMPLE/${D}/eu-central-1/s3/aws4_request` };
    const rep = mistake(sign(key(V4_SECRET, D, 'us-east-1')), over, 'https://b1.s3.eu-central-1.amazonaws.com/');
    expect(rep.mistake).toBe('signature.mistake.wrong-region');
    expect(rep.facts.mistakeFacts).toEqual({ signedRegion: 'us-east-1', credentialRegion: 'eu-central-1', source: 'default' });
  });
  it('wrong-region: signed with the endpoint region while the credential names another', () => {
    const over = { 'X-Amz-Credential': `AKIAIOSFODNN7EXAMPLE/${D}/us-west-2/s3/aws4_request` };
    const rep = mistake(sign(key(V4_SECRET, D, 'ap-northeast-1')), over, 'https://b1.s3.ap-northeast-1.amazonaws.com/');
    expect(rep.mistake).toBe('signature.mistake.wrong-region');
    expect(rep.facts.mistakeFacts).toMatchObject({ signedRegion: 'ap-northeast-1', credentialRegion: 'us-west-2', source: 'endpoint' });
    expect(rep.facts).toMatchObject({ endpointRegion: 'ap-northeast-1', regionMismatch: true });
  });
  it('wrong-date from x-amz-date', () => {
    const rep = mistake(sign(key(V4_SECRET, '20151230', 'us-east-1')), { 'X-Amz-Date': '20151230T010000Z' });
    expect(rep.mistake).toBe('signature.mistake.wrong-date');
    expect(rep.facts.mistakeFacts).toEqual({ signedDate: '20151230', credentialDate: D, source: 'x-amz-date' });
    expect(rep.facts.amzDateDayMismatch).toBe(true);
  });
  it('wrong-date: the previous day', () => {
    const rep = mistake(sign(key(V4_SECRET, '20151228', 'us-east-1')));
    expect(rep.facts.mistakeFacts).toMatchObject({ signedDate: '20151228', source: 'previous-day' });
  });
  it('signed-json', () => {
    expect(mistake(sign(key(V4_SECRET, D, 'us-east-1'), V4_JSON)).mistake).toBe('signature.mistake.signed-json');
  });
  it('line-endings: the LF copy of the CRLF policy was signed', () => {
    const lf = Buffer.from(V4_JSON.replace(/\r\n/g, '\n')).toString('base64');
    const rep = mistake(sign(key(V4_SECRET, D, 'us-east-1'), lf));
    expect(rep.mistake).toBe('signature.mistake.line-endings');
    expect(rep.facts.mistakeFacts).toEqual({ sent: 'CRLF', signed: 'LF' });
  });
  it('base64-output and uppercase-hex', () => {
    expect(mistake(Buffer.from(V4_SIGNATURE, 'hex').toString('base64')).mistake).toBe('signature.mistake.base64-output');
    expect(mistake(V4_SIGNATURE.toUpperCase()).mistake).toBe('signature.mistake.uppercase-hex');
  });
  it('v4-prefix-missing', () => {
    expect(mistake(sign(key(V4_SECRET, D, 'us-east-1', ''))).mistake).toBe('signature.mistake.v4-prefix-missing');
  });
  it('swapped-hmac (final step and whole chain)', () => {
    expect(mistake(h256(V4_POLICY, key(V4_SECRET, D, 'us-east-1')).toString('hex')).facts.mistakeFacts).toEqual({ where: 'final' });
    let k = h256(D, `AWS4${V4_SECRET}`);
    for (const m of ['us-east-1', 's3', 'aws4_request']) k = h256(m, k);
    const rep = mistake(h256(V4_POLICY, k).toString('hex'));
    expect(rep.mistake).toBe('signature.mistake.swapped-hmac');
    expect(rep.facts.mistakeFacts).toEqual({ where: 'chain' });
  });
  it('secret-whitespace (signer read the key with a newline)', () => {
    const rep = mistake(sign(key(`${V4_SECRET}\n`, D, 'us-east-1')));
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trailing-newline' });
  });
  it('facts: unexpected algorithm, bad scope, token', () => {
    const rep = mistake(V4_SIGNATURE, { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1', 'x-amz-security-token': 'tok' });
    expect(rep.facts).toMatchObject({ algorithmUnexpected: true, securityToken: true });
    const bad = mistake(V4_SIGNATURE, { 'X-Amz-Credential': `AKIAIOSFODNN7EXAMPLE/${D}/us-east-1/iam/aws4_request` });
    expect(bad.facts).toMatchObject({ credentialScopeInvalid: true, service: 'iam' });
    expect(bad.valid).toBe(false);
  });
});

describe('S3 SigV2 mistakes', () => {
  const mistake = (sig: string) => verify(v2Form(sig), V2_SECRET, 'https://johnsmith.s3.amazonaws.com/');
  it('hex-output', () => expect(mistake(h1(V2_SECRET, V2_POLICY).toString('hex')).mistake).toBe('signature.mistake.hex-output'));
  it('signed-json', () => expect(mistake(h1(V2_SECRET, V2_JSON).toString('base64')).mistake).toBe('signature.mistake.signed-json'));
  it('swapped-hmac', () => expect(mistake(h1(V2_POLICY, V2_SECRET).toString('base64')).mistake).toBe('signature.mistake.swapped-hmac'));
  it('sha256', () => {
    const rep = mistake(h256(V2_SECRET, V2_POLICY).toString('hex'));
    expect(rep.mistake).toBe('signature.mistake.sha256');
    expect(rep.facts.mistakeFacts).toEqual({ output: 'hex' });
  });
  it('url-encoded', () => expect(mistake(encodeURIComponent(V2_SIGNATURE)).mistake).toBe('signature.mistake.url-encoded'));
  it('line-endings: CRLF copy signed, final newline dropped', () => {
    const crlf = Buffer.from(V2_JSON.replace(/\n/g, '\r\n')).toString('base64');
    expect(mistake(h1(V2_SECRET, crlf).toString('base64')).facts.mistakeFacts).toEqual({ sent: 'LF', signed: 'CRLF' });
    const noFinal = Buffer.from(V2_JSON.slice(0, -1)).toString('base64');
    const rep = mistake(h1(V2_SECRET, noFinal).toString('base64'));
    expect(rep.mistake).toBe('signature.mistake.line-endings');
    expect(rep.facts.mistakeFacts).toEqual({ finalNewline: 'removed' });
  });
  it('secret-whitespace', () => {
    const rep = mistake(h1(` ${V2_SECRET}`, V2_POLICY).toString('base64'));
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'leading-space' });
  });
});

describe('S3 helpers', () => {
  it('parseV4Credential', () => {
    expect(parseV4Credential('AKID/20240101/eu-west-1/s3/aws4_request')).toEqual({ accessKeyId: 'AKID', date: '20240101', region: 'eu-west-1', service: 's3', terminator: 'aws4_request' });
    expect(parseV4Credential('AKID/20240101/eu-west-1/s3')).toBeNull();
    expect(parseV4Credential('/20240101/eu-west-1/s3/aws4_request')).toBeNull();
  });
  it('shiftDay across month and year ends', () => {
    expect(shiftDay('20240301', -1)).toBe('20240229');
    expect(shiftDay('20231231', 1)).toBe('20240101');
    expect(shiftDay('2023-12-31', 1)).toBeNull();
  });
  it('lineEndingVariants: none for a one-line policy except the added newline', () => {
    const v = lineEndingVariants(Buffer.from('{"a":1}').toString('base64'));
    expect(v.map((x) => x.facts)).toEqual([{ finalNewline: 'added' }]);
  });
  it('adapter exposes parseEndpoint and verifySignature', () => {
    expect(s3Adapter.parseEndpoint!('https://b1x.s3.eu-west-3.amazonaws.com/').region).toBe('eu-west-3');
    expect(s3Adapter.verifySignature!(makeContext(makeRequest(V4_URL, v4Form(V4_SIGNATURE)), V4_SECRET)).valid).toBe(true);
  });
});
