import { describe, expect, it } from 'vitest';
import { createHmac, createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { gcsHmacSign, gcsRsaSign, gcsRsaVerify, gcsScheme, readPublicKey, recoverDigest, verifySignature } from '../../src/providers/gcs/sign.js';
import { gcsAdapter } from '../../src/providers/gcs/index.js';
import { FormView } from '../../src/core/fields.js';
import type { SignatureContext } from '../../src/providers/types.js';
import { makeContext, makeRequest } from './helpers.js';

// Known answer computed independently with openssl in a shell:
//   k=$(printf %s 20240530 | openssl dgst -sha256 -mac HMAC -macopt "key:GOOG4$SECRET" -binary | xxd -p -c 256)
//   then -macopt "hexkey:$k" over auto, storage, goog4_request; the signature over the base64 policy.
const SECRET = 'bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ';
const ACCESS_ID = 'GOOG1EXAMPLEACCESSID';
const JSON_TEXT =
  '{"expiration":"2024-06-01T12:00:00Z","conditions":[{"bucket":"travel-maps"},{"key":"test-object"},{"x-goog-date":"20240530T083000Z"},{"x-goog-credential":"GOOG1EXAMPLEACCESSID/20240530/auto/storage/goog4_request"},{"x-goog-algorithm":"GOOG4-HMAC-SHA256"}]}';
const POLICY = Buffer.from(JSON_TEXT).toString('base64');
const SIGNING_KEY = 'd535f33f775bad6d155f5e8f048ea39dc90657a08c94f46421b56c930cda1301';
const SIGNATURE = 'eace02be902e83f2b989652c3f5f7a07dd5aabb0f19580adf3c5d5b7c64d8e71';
const URL = 'https://storage.googleapis.com/travel-maps';

const h256 = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha256', k).update(m).digest();
const chain = (secret: string, date: string, region: string, prefix = 'GOOG4', service = 'storage', term = 'goog4_request'): Buffer =>
  h256(h256(h256(h256(prefix + secret, date), region), service), term);

function hmacForm(sig: string, over: Record<string, string> = {}): Array<[string, string]> {
  const f: Record<string, string> = {
    key: 'test-object',
    'x-goog-algorithm': 'GOOG4-HMAC-SHA256',
    'x-goog-credential': `${ACCESS_ID}/20240530/auto/storage/goog4_request`,
    'x-goog-date': '20240530T083000Z',
    policy: POLICY,
    'x-goog-signature': sig,
    ...over,
  };
  return Object.entries(f);
}
type Rep = ReturnType<typeof verifySignature> & { facts: Record<string, any> };
function verify(fields: Array<[string, string]>, secret: string, publicKey?: string): Rep {
  const ctx: SignatureContext & { publicKey?: string } = makeContext(makeRequest(URL, fields), secret);
  if (publicKey !== undefined) ctx.publicKey = publicKey;
  return verifySignature(ctx) as Rep;
}

describe('GCS HMAC', () => {
  it('gcsHmacSign matches the openssl vector', () => {
    const r = gcsHmacSign({ secret: SECRET, date: '20240530', policyBase64: POLICY });
    expect(r.signingKey).toBe(SIGNING_KEY);
    expect(r.signature).toBe(SIGNATURE);
    expect(r.regionKey).toBe(h256(h256(`GOOG4${SECRET}`, '20240530'), 'auto').toString('hex'));
  });
  it('verifySignature: valid, every intermediate', () => {
    const rep = verify(hmacForm(SIGNATURE), SECRET);
    expect(rep).toMatchObject({ scheme: 'gcs-hmac', checked: true, valid: true, expected: SIGNATURE, mistake: null });
    expect(rep.steps.map((s) => s.name)).toEqual(['date', 'region', 'service', 'scope', 'DateKey', 'RegionKey', 'ServiceKey', 'SigningKey', 'StringToSign', 'Signature']);
    expect(rep.steps.find((s) => s.name === 'SigningKey')).toEqual({ name: 'SigningKey', value: SIGNING_KEY, secret: true });
    expect(rep.facts).toMatchObject({ credentialDate: '20240530', region: 'auto', service: 'storage', terminator: 'goog4_request', algorithm: 'GOOG4-HMAC-SHA256', googDate: '20240530T083000Z' });
  });
  it('wrong secret: mismatch, no mistake', () => {
    const rep = verify(hmacForm(SIGNATURE), 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycA');
    expect(rep).toMatchObject({ valid: false, mistake: null });
  });
  it('not checked: fields missing, malformed credential, no secret', () => {
    const miss = verify(
      hmacForm(SIGNATURE).filter(([k]) => k !== 'policy'),
      SECRET,
    );
    expect(miss).toMatchObject({ checked: false, reason: 'signature.fields-missing', scheme: 'gcs-hmac' });
    expect(miss.facts.missing).toEqual(['policy']);
    const bad = verify(hmacForm(SIGNATURE, { 'x-goog-credential': `${ACCESS_ID}/20240530` }), SECRET);
    expect(bad).toMatchObject({ checked: false, reason: 'signature.credential-malformed' });
    expect(bad.facts.parts).toBe(2);
    expect(verify(hmacForm(SIGNATURE), '')).toMatchObject({ checked: false, reason: 'signature.no-secret' });
  });
  const mistake = (sig: string, over: Record<string, string> = {}) => verify(hmacForm(sig, over), SECRET);
  it('wrong-key-chain: the S3 chain reused', () => {
    const rep = mistake(h256(chain(SECRET, '20240530', 'auto', 'AWS4', 's3', 'aws4_request'), POLICY).toString('hex'));
    expect(rep.mistake).toBe('signature.mistake.wrong-key-chain');
    expect(rep.facts.mistakeFacts).toMatchObject({ usedPrefix: 'AWS4', usedService: 's3' });
  });
  it('wrong-region: a location instead of auto', () => {
    const rep = mistake(h256(chain(SECRET, '20240530', 'us'), POLICY).toString('hex'));
    expect(rep.mistake).toBe('signature.mistake.wrong-region');
    expect(rep.facts.mistakeFacts).toEqual({ signedRegion: 'us', credentialRegion: 'auto', source: 'default' });
  });
  it('wrong-date, signed-json, line-endings, v4-prefix-missing, base64-output, uppercase-hex, secret-whitespace', () => {
    expect(mistake(h256(chain(SECRET, '20240531', 'auto'), POLICY).toString('hex')).facts.mistakeFacts).toMatchObject({ signedDate: '20240531', source: 'next-day' });
    expect(mistake(h256(chain(SECRET, '20240530', 'auto'), JSON_TEXT).toString('hex')).mistake).toBe('signature.mistake.signed-json');
    const nl = Buffer.from(`${JSON_TEXT}\n`).toString('base64');
    expect(mistake(h256(chain(SECRET, '20240530', 'auto'), nl).toString('hex')).facts.mistakeFacts).toEqual({ finalNewline: 'added' });
    expect(mistake(h256(chain(SECRET, '20240530', 'auto', ''), POLICY).toString('hex')).mistake).toBe('signature.mistake.v4-prefix-missing');
    expect(mistake(Buffer.from(SIGNATURE, 'hex').toString('base64')).mistake).toBe('signature.mistake.base64-output');
    expect(mistake(SIGNATURE.toUpperCase()).mistake).toBe('signature.mistake.uppercase-hex');
    expect(mistake(h256(chain(`${SECRET}\r\n`, '20240530', 'auto'), POLICY).toString('hex')).facts.mistakeFacts).toEqual({ variant: 'trailing-crlf' });
  });
  it('facts: region not auto, scope invalid, x-goog-date day mismatch', () => {
    const rep = mistake(SIGNATURE, { 'x-goog-credential': `${ACCESS_ID}/20240530/us-east1/s3/aws4_request`, 'x-goog-date': '20240531T000000Z' });
    expect(rep.facts).toMatchObject({ regionNotAuto: true, credentialScopeInvalid: true, googDateDayMismatch: true });
  });
  it('x-amz-* forms sent to GCS are verified as SigV4', () => {
    const rep = verify(
      [
        ['policy', POLICY],
        ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
        ['x-amz-credential', `${ACCESS_ID}/20240530/auto/s3/aws4_request`],
        ['x-amz-signature', h256(chain(SECRET, '20240530', 'auto', 'AWS4', 's3', 'aws4_request'), POLICY).toString('hex')],
      ],
      SECRET,
    );
    expect(rep).toMatchObject({ scheme: 's3-v4', valid: true });
  });
});

describe('GCS RSA', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const EMAIL = 'uploader@proj-1.iam.gserviceaccount.com';
  const rsaJson = JSON_TEXT.replace('GOOG4-HMAC-SHA256', 'GOOG4-RSA-SHA256').replace(ACCESS_ID, EMAIL);
  const rsaPolicy = Buffer.from(rsaJson).toString('base64');
  const good = nodeSign('sha256', Buffer.from(rsaPolicy), pair.privateKey).toString('hex');
  const form = (sig: string, over: Record<string, string> = {}) =>
    hmacForm(sig, { 'x-goog-algorithm': 'GOOG4-RSA-SHA256', 'x-goog-credential': `${EMAIL}/20240530/auto/storage/goog4_request`, policy: rsaPolicy, ...over });

  it('gcsRsaSign / gcsRsaVerify agree with node:crypto', () => {
    expect(gcsRsaSign({ privateKey: pair.privateKey, policyBase64: rsaPolicy })).toBe(good);
    expect(gcsRsaVerify({ publicKey: pair.publicKey, policyBase64: rsaPolicy, signatureHex: good })).toBe(true);
    expect(gcsRsaVerify({ publicKey: other.publicKey, policyBase64: rsaPolicy, signatureHex: good })).toBe(false);
  });
  it('valid with the public key; the digest step is SHA-256 of the policy text', () => {
    const rep = verify(form(good), '', pair.publicKey);
    expect(rep).toMatchObject({ scheme: 'gcs-rsa', checked: true, valid: true, expected: null, mistake: null });
    expect(rep.steps).toEqual([
      { name: 'StringToSign', value: rsaPolicy },
      { name: 'Digest', value: createHash('sha256').update(rsaPolicy).digest('hex') },
    ]);
    expect(rep.facts.keySource).toBe('public-key');
  });
  it('valid with the private key (as secret or service-account JSON): the expected signature is shown', () => {
    const rep = verify(form(good), pair.privateKey);
    expect(rep).toMatchObject({ valid: true, expected: good });
    expect(rep.facts.keySource).toBe('private-key');
    const sa = JSON.stringify({ type: 'service_account', client_email: EMAIL, private_key: pair.privateKey });
    expect(verify(form(good), '', sa)).toMatchObject({ valid: true, expected: good });
  });
  it('signed with another key: invalid, no mistake, signedWithThisKey false', () => {
    const bad = nodeSign('sha256', Buffer.from(rsaPolicy), other.privateKey).toString('hex');
    const rep = verify(form(bad), '', pair.publicKey);
    expect(rep).toMatchObject({ valid: false, mistake: null });
    expect(rep.facts.signedWithThisKey).toBe(false);
  });
  it('tampered policy: invalid, the signature opens but covers other bytes', () => {
    const tampered = Buffer.from(rsaJson.replace('test-object', 'other-object')).toString('base64');
    const rep = verify(form(good, { policy: tampered }), '', pair.publicKey);
    expect(rep).toMatchObject({ valid: false, mistake: null });
    expect(rep.facts.signedWithThisKey).toBe(true);
  });
  it('mistakes found by opening the signature: signed-json, line-endings, base64-output, sha1', () => {
    const sj = nodeSign('sha256', Buffer.from(rsaJson), pair.privateKey).toString('hex');
    expect(verify(form(sj), '', pair.publicKey).mistake).toBe('signature.mistake.signed-json');
    const nl = Buffer.from(`${rsaJson}\n`).toString('base64');
    const le = verify(form(nodeSign('sha256', Buffer.from(nl), pair.privateKey).toString('hex')), '', pair.publicKey);
    expect(le.mistake).toBe('signature.mistake.line-endings');
    expect(verify(form(Buffer.from(good, 'hex').toString('base64')), '', pair.publicKey).mistake).toBe('signature.mistake.base64-output');
    const s1 = nodeSign('sha1', Buffer.from(rsaPolicy), pair.privateKey).toString('hex');
    expect(verify(form(s1), '', pair.publicKey).mistake).toBe('signature.mistake.sha1');
  });
  it('not checked without a key, or with an unreadable one', () => {
    expect(verify(form(good), '')).toMatchObject({ checked: false, reason: 'signature.no-public-key' });
    expect(verify(form(good), '', '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----')).toMatchObject({ checked: false, reason: 'signature.key-unreadable' });
  });
  it('scheme: by algorithm, else a service-account credential means RSA', () => {
    const ctx = (f: Array<[string, string]>) => ({ ...makeContext(makeRequest(URL, f), 's'), form: new FormView(makeRequest(URL, f)) });
    expect(gcsScheme(ctx(form(good)))).toBe('gcs-rsa');
    expect(gcsScheme(ctx(form(good).filter(([k]) => k !== 'x-goog-algorithm')))).toBe('gcs-rsa');
    expect(gcsScheme(ctx(hmacForm(SIGNATURE)))).toBe('gcs-hmac');
    expect(gcsScheme(ctx([['x-amz-signature', 'x']]))).toBeNull();
  });
  it('readPublicKey and recoverDigest', () => {
    expect(readPublicKey(pair.publicKey)?.source).toBe('public-key');
    expect(readPublicKey('garbage')).toBeNull();
    const d = recoverDigest(readPublicKey(pair.publicKey)!.key, Buffer.from(good, 'hex'));
    expect(d?.alg).toBe('sha256');
    expect(d?.digest.toString('hex')).toBe(createHash('sha256').update(rsaPolicy).digest('hex'));
  });
  it('adapter wiring', () => {
    expect(gcsAdapter.parseEndpoint!(URL).bucket).toBe('travel-maps');
    expect(gcsAdapter.verifySignature!(makeContext(makeRequest(URL, hmacForm(SIGNATURE)), SECRET)).valid).toBe(true);
  });
});

// A throwaway self-signed certificate and its key (openssl req -x509 -newkey rsa:2048 -nodes), made
// for this test only: GCS publishes service-account keys as X.509 certificates.
const CERT = `-----BEGIN CERTIFICATE-----
MIIDRTCCAi2gAwIBAgIUCPNa5uTOw1UbVwK755xOMBpnMXkwDQYJKoZIhvcNAQEL
BQAwMjEwMC4GA1UEAwwndXBsb2FkZXJAcHJvai0xLmlhbS5nc2VydmljZWFjY291
bnQuY29tMB4XDTI2MTEyMzIwMjMzNloXDTM2MTEyMDIwMjMzNlowMjEwMC4GA1UE
AwwndXBsb2FkZXJAcHJvai0xLmlhbS5nc2VydmljZWFjY291bnQuY29tMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzdvmM4osXkca0LYXWtn+CsKDZTP2
bgT3ZvRz39/2n4c+1A2seyOqe/2jcG3P0Ap1ulYy5+paWfyywaiH7ReNASazHw2K
6Zy1MqVDeMKayscZQZnjEPxjrI8ERmGObdX8lH9ZN//nyBiNBgnzwBp98FPh6jEA
2egmxKi61RhVBe/LokryGoVWk7NE6es4Ih3x6HPDrfNeYpesvVbEiRyEAiI28lmg
S5rXizuaH3ELcu2H7UEOdTuBKyzK6sC5biktZSkMgQXyfhX+mywaivNib5MHkjvh
WHLZJjSrR2ydqnXrUk179C359sMXB05a5Z6A/tRdAkETyp1xfGNX6sdrCQIDAQAB
o1MwUTAdBgNVHQ4EFgQUQ1l0eLZL3uKC6pkoSal/deqtx2YwHwYDVR0jBBgwFoAU
Q1l0eLZL3uKC6pkoSal/deqtx2YwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0B
AQsFAAOCAQEAGNERuIYwjXiEwlevX0pomEpj603PMQfOfq56w1Uy7v3Mmyfy9OCy
L2lizc4AzKDmrg5x5sunXvkFK2l5ypYpt45WmHfLhaifkEbVyHJejlgJW/SneQ60
sdTIkKhWgZso6c00ChZQBWU1+FlZr7O81clKIQENVJntY3WaXC/MwamRCBmF6zn/
LXE1AV+4hKozgOzB9OVlRzy3G2meLazSOzGB8UheoS6/AXWnctnfHOseAFxleABm
7K+0u57+jSkHhMx62Pdy6251HuOfFMXrPnmctE2h2EkUFWNWbpUNTiwCdJJM4eK1
MYR26G5SstYsH6PIO2tDN5qy5wl2XJipCw==
-----END CERTIFICATE-----`;
const CERT_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDN2+YziixeRxrQ
thda2f4KwoNlM/ZuBPdm9HPf3/afhz7UDax7I6p7/aNwbc/QCnW6VjLn6lpZ/LLB
qIftF40BJrMfDYrpnLUypUN4wprKxxlBmeMQ/GOsjwRGYY5t1fyUf1k3/+fIGI0G
CfPAGn3wU+HqMQDZ6CbEqLrVGFUF78uiSvIahVaTs0Tp6zgiHfHoc8Ot815il6y9
VsSJHIQCIjbyWaBLmteLO5ofcQty7YftQQ51O4ErLMrqwLluKS1lKQyBBfJ+Ff6b
LBqK82JvkweSO+FYctkmNKtHbJ2qdetSTXv0Lfn2wxcHTlrlnoD+1F0CQRPKnXF8
Y1fqx2sJAgMBAAECggEAKrbipLYab7OEUmM+JFlQN65VskWecASyyxeVBZKEq2RW
Oozdya1EXjbqV1VJxgqtk+z34hxEBCEFfF56Wc1FskPz7dETDlc4V9pnziJfGQ1H
5c9HCMq96dvBENOESLEamDt2aUK9tsy1Ulf1TlqQ4DGfkkb5vL1JcgvqvHWwiqrw
A7Hyz31dScaJo6rqzcqrgYyid0ToF5Fk6WhFn0fjp3rhI0Kxm7qfiqY19eNxH6UQ
zL0LtrbvxCO5NRi6AyV1ZiUgdlAau8pgODNMibgIddD7RZBnRgIxidEaNDLvsT4l
sWG1ebFzSGzP7phy8Pbg/OQF9BoJWyxd9T0SCp8wIwKBgQD3yVwGOguD//d+rvlu
Du4VWtf0Gx9XF18SkkEXBc/RJtaXT6mjHzgm+VG9KHJ+hZCJrx/0XX6EZ8cFUe5H
C0XQIMaxe4JXSQjiIQhieDD4qRQ+lTt1PnIQifnwnlgjBjSKY10ygAo5l0GGY/Uk
jS1cFUK2L4o4xLRYYHPH3ZCtJwKBgQDUrsFVyA5GrAWU7BBrTYv9CsI0kyHAq4h9
Mw3KD5jjGYXW7HVxnHgDmF2vhJfM1D8PvEEdou6TCYhUQsMVRI+GDQSCBRlCckxb
DU7wKfEbUo8RTlWaDnkWeQhER4Xnx5p9qSKXdZwE8DKraOqB82O2iGQWUyb0E3X1
TQN7/UOkTwKBgQDQffWYp66Y2v/88G2gVZ+vCEk9dLTiKyAsGDP8kz9R1UQq/TTX
tKUi5hYI+8ea/feoYlqY2zJhZpDnwRClZq7PeUS2gh4iI6n9252afVd3Y41NO3RU
Kr7/e5l7BUFT9xyudP0uSN5RpxvTYLgckU3hdWI0ubusGJdG5aGGQsBBcQKBgQCd
IyTbIT1S/+P73NJgxWHJqrpEJ/UHKnVks2TbxtxZ5lCZtAkt0MJnPZryhE+32ZVi
JeAianBEmQVt5AnI2+gCzflnqya3jkVV/KY3EXX/jub/jVX3xfu3G+N8ty97SWGe
uGlDaHTGvUVimdix/MbOZUU1rWgZa4t6mtUZNc1VRwKBgAoiEfutqErL5xYfWw7w
iL+bPCR2uVg6r8QTSbfEvG6XIEjq7gGtS8KI6C43P7weTNZeBUyapAnZjGH/OCCh
VbKaHaKZJOmF18zq6sawG/aU3ahEkL+blnamUPpuzqtgJy93ZB2EEJCK9ecX6yx1
mt3DOi3ALaaET2bZmQh6GSnU
-----END PRIVATE KEY-----`;

describe('GCS RSA with a certificate', () => {
  it('verifies with the certificate, refuses a tampered policy', () => {
    const policy = Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"travel-maps"}]}').toString('base64');
    const sig = nodeSign('sha256', Buffer.from(policy), CERT_KEY).toString('hex');
    const fields = (p: string): Array<[string, string]> => [
      ['policy', p],
      ['x-goog-algorithm', 'GOOG4-RSA-SHA256'],
      ['x-goog-credential', 'uploader@proj-1.iam.gserviceaccount.com/20240530/auto/storage/goog4_request'],
      ['x-goog-date', '20240530T000000Z'],
      ['x-goog-signature', sig],
    ];
    const ok = verify(fields(policy), '', CERT);
    expect(ok).toMatchObject({ scheme: 'gcs-rsa', valid: true });
    expect(ok.facts.keySource).toBe('certificate');
    const tampered = Buffer.from('{"expiration":"2031-01-01T00:00:00Z","conditions":[{"bucket":"travel-maps"}]}').toString('base64');
    expect(verify(fields(tampered), '', CERT)).toMatchObject({ valid: false, mistake: null });
  });
});
