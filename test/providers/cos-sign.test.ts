import { describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { cosSign, lineEndingVariants, policyEqValues, verifySignature } from '../../src/providers/cos/sign.js';
import { b64, makeContext, makeRequest } from './helpers.js';

// The worked example of the COS POST Object API page (seed 004, "Signature protection use cases").
const SECRET = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const AK = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const KEY_TIME = '1567150692;1567157892';
const DOC_POLICY =
  'ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9';
const SIGN_KEY = '39acc8c9f34ba5b19bce4e965b370cd3f62d2fba';
const STRING_TO_SIGN = 'd5d903b8360468bc81c1311f134989bc8c8b5b89';
const SIGNATURE = '7758dc9a832e9d301dca704cacbf9d9f8172fdef';
const URL = 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/';

// Independent primitives for building deliberately wrong signatures.
const sha1hex = (d: string | Buffer): string => createHash('sha1').update(d).digest('hex');
const hmacHex = (k: string | Buffer, m: string | Buffer): string => createHmac('sha1', k).update(m).digest('hex');
const hmacRaw = (k: string | Buffer, m: string | Buffer): Buffer => createHmac('sha1', k).update(m).digest();

function form(overrides: Partial<Record<string, string>> = {}, extra: Array<[string, string]> = []): Array<[string, string]> {
  const base: Record<string, string> = {
    key: 'folder/subfolder/photo.jpg',
    acl: 'default',
    'Content-Type': 'image/jpeg',
    success_action_redirect: 'https://my.website/done',
    'x-cos-server-side-encryption': 'AES256',
    policy: DOC_POLICY,
    'q-sign-algorithm': 'sha1',
    'q-ak': AK,
    'q-key-time': KEY_TIME,
    'q-signature': SIGNATURE,
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) base[k] = v;
  return [...Object.entries(base), ...extra];
}

function verify(fields: Array<[string, string]>, secret = SECRET) {
  return verifySignature(makeContext(makeRequest(URL, fields), secret)) as ReturnType<typeof verifySignature> & { facts: Record<string, any> };
}

describe('COS signature: the documented worked example', () => {
  const policyBytes = Buffer.from(DOC_POLICY, 'base64');

  it('decodes to the 555 bytes of the documented policy', () => {
    expect(policyBytes.length).toBe(555);
    // The doc's pretty-printed policy, as typed in the page (4-space indent, no final newline).
    const typed = [
      '{',
      '    "expiration": "2019-08-30T09:38:12.414Z",',
      '    "conditions": [',
      '        { "acl": "default" },',
      '        { "bucket": "examplebucket-1250000000" },',
      '        [ "starts-with", "$key", "folder/subfolder/" ],',
      '        [ "starts-with", "$Content-Type", "image/" ],',
      '        [ "starts-with", "$success_action_redirect", "https://my.website/" ],',
      '        [ "eq", "$x-cos-server-side-encryption", "AES256" ],',
      '        { "q-sign-algorithm": "sha1" },',
      `        { "q-ak": "${AK}" },`,
      `        { "q-sign-time": "${KEY_TIME}" }`,
      '    ]',
      '}',
    ].join('\n');
    expect(policyBytes.toString('utf8')).toBe(typed);
  });

  it('cosSign reproduces every intermediate exactly', () => {
    const r = cosSign({ secretKey: SECRET, keyTime: KEY_TIME, policyJson: policyBytes });
    expect(r).toEqual({ keyTime: KEY_TIME, signKey: SIGN_KEY, stringToSign: STRING_TO_SIGN, signature: SIGNATURE });
    // a text argument is taken as its UTF-8 bytes
    expect(cosSign({ secretKey: SECRET, keyTime: KEY_TIME, policyJson: policyBytes.toString('utf8') }).signature).toBe(SIGNATURE);
  });

  it('verifySignature on the documented form says valid, with every step', () => {
    const rep = verify(form());
    expect(rep.scheme).toBe('cos-sha1');
    expect(rep.checked).toBe(true);
    expect(rep.valid).toBe(true);
    expect(rep.mistake).toBeNull();
    expect(rep.expected).toBe(SIGNATURE);
    expect(rep.provided).toBe(SIGNATURE);
    expect(rep.steps).toEqual([
      { name: 'KeyTime', value: KEY_TIME },
      { name: 'SignKey', value: SIGN_KEY, secret: true },
      { name: 'StringToSign', value: STRING_TO_SIGN },
      { name: 'Signature', value: SIGNATURE },
    ]);
    expect(rep.facts.keyTimeStart).toBe(1567150692);
    expect(rep.facts.keyTimeEnd).toBe(1567157892);
    expect(rep.facts.keyTimeExpired).toBe(false);
    expect(rep.facts.policyBytes).toBe(555);
  });

  it('a different secret gives a mismatch with no named mistake', () => {
    const rep = verify(form(), 'AnotherSecretKeyAnotherSecretKey');
    expect(rep.checked).toBe(true);
    expect(rep.valid).toBe(false);
    expect(rep.expected).not.toBe(SIGNATURE);
    expect(rep.mistake).toBeNull();
  });

  it('reports key-time expiry against ctx.now', () => {
    const rep = verifySignature(makeContext(makeRequest(URL, form()), SECRET, new Date('2024-01-01T00:00:00Z'))) as any;
    expect(rep.valid).toBe(true);
    expect(rep.facts.keyTimeExpired).toBe(true);
  });
});

describe('COS signature: not checkable', () => {
  it('missing fields are listed', () => {
    const fields = form().filter(([k]) => k !== 'q-key-time' && k !== 'policy');
    const rep = verify(fields);
    expect(rep.checked).toBe(false);
    expect(rep.valid).toBeNull();
    expect(rep.reason).toBe('signature.fields-missing');
    expect(rep.facts.missing).toEqual(['q-key-time', 'policy']);
  });
  it('an empty q-signature counts as missing', () => {
    const rep = verify(form({ 'q-signature': '' }));
    expect(rep.reason).toBe('signature.fields-missing');
    expect(rep.facts.empty).toEqual(['q-signature']);
  });
  it('no secret', () => {
    const rep = verify(form(), '');
    expect(rep.checked).toBe(false);
    expect(rep.reason).toBe('signature.no-secret');
  });
  it('field names are matched case-insensitively', () => {
    const fields = form().map(([k, v]) => [k === 'q-signature' ? 'Q-Signature' : k, v] as [string, string]);
    expect(verify(fields).valid).toBe(true);
  });
});

describe('COS signature: exact bytes', () => {
  it('hashes the decoded bytes even when they are not valid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[{"key":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const kt = '1700000000;1700003600';
    const good = hmacHex(hmacHex(SECRET, kt), sha1hex(bytes));
    const rep = verify(form({ policy: b64(bytes), 'q-key-time': kt, 'q-signature': good }));
    expect(rep.valid).toBe(true);
    // the lossy text round-trip would give another digest
    expect(sha1hex(Buffer.from(bytes.toString('utf8'), 'utf8'))).not.toBe(rep.steps[2]!.value);
  });
});

describe('COS signature: mistake search names the mistake that reproduces the signature', () => {
  const policyBytes = Buffer.from(DOC_POLICY, 'base64');
  const doc = JSON.parse(policyBytes.toString('utf8'));

  it('reserialized-json (compact JSON.stringify)', () => {
    const wrong = hmacHex(SIGN_KEY, sha1hex(JSON.stringify(doc)));
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBe('signature.mistake.reserialized-json');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'compact' });
  });

  it('reserialized-json (2-space pretty print)', () => {
    const wrong = hmacHex(SIGN_KEY, sha1hex(JSON.stringify(doc, null, 2)));
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.reserialized-json');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'indent-2' });
  });

  it('hashed-base64', () => {
    const wrong = hmacHex(SIGN_KEY, sha1hex(DOC_POLICY));
    expect(verify(form({ 'q-signature': wrong })).mistake).toBe('signature.mistake.hashed-base64');
  });

  it('binary-signkey', () => {
    const wrong = hmacHex(hmacRaw(SECRET, KEY_TIME), STRING_TO_SIGN);
    expect(verify(form({ 'q-signature': wrong })).mistake).toBe('signature.mistake.binary-signkey');
  });

  it('base64-output', () => {
    const wrong = Buffer.from(SIGNATURE, 'hex').toString('base64');
    expect(verify(form({ 'q-signature': wrong })).mistake).toBe('signature.mistake.base64-output');
  });

  it('uppercase-hex', () => {
    expect(verify(form({ 'q-signature': SIGNATURE.toUpperCase() })).mistake).toBe('signature.mistake.uppercase-hex');
  });

  it('swapped-hmac (final step)', () => {
    const wrong = hmacHex(STRING_TO_SIGN, SIGN_KEY);
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.swapped-hmac');
    expect(rep.facts.mistakeFacts).toEqual({ step: 'Signature' });
  });

  it('swapped-hmac (SignKey step)', () => {
    const wrong = hmacHex(hmacHex(KEY_TIME, SECRET), STRING_TO_SIGN);
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.swapped-hmac');
    expect(rep.facts.mistakeFacts).toEqual({ step: 'SignKey' });
  });

  it("stale-key-time: signed with the policy's q-sign-time while the form sends another q-key-time", () => {
    // The form's q-key-time was refreshed, the policy and signature were not.
    const newKeyTime = '1567160000;1567167200';
    const wrong = hmacHex(hmacHex(SECRET, KEY_TIME), STRING_TO_SIGN); // = the doc signature, made with the policy's time
    const rep = verify(form({ 'q-key-time': newKeyTime, 'q-signature': wrong }));
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBe('signature.mistake.stale-key-time');
    expect(rep.facts.mistakeFacts).toMatchObject({ keyTime: KEY_TIME, source: 'policy q-sign-time', formKeyTime: newKeyTime });
  });

  it('stale-key-time: signed with a sibling q-key-time field', () => {
    const kt1 = '1567150692;1567157892';
    const kt2 = '1567000000;1567003600';
    // a policy whose q-sign-time matches neither difference (no q-sign-time at all)
    const json = '{"expiration":"2019-08-30T09:38:12.414Z","conditions":[{"q-sign-algorithm":"sha1"}]}';
    const wrong = hmacHex(hmacHex(SECRET, kt2), sha1hex(json));
    const rep = verify(form({ policy: b64(json), 'q-key-time': kt1, 'q-signature': wrong }, [['q-key-time', kt2]]));
    expect(rep.mistake).toBe('signature.mistake.stale-key-time');
    expect(rep.facts.mistakeFacts).toMatchObject({ keyTime: kt2, source: 'q-key-time #2' });
  });

  it('secret-whitespace: signed with a trailing newline', () => {
    const wrong = hmacHex(hmacHex(`${SECRET}\n`, KEY_TIME), STRING_TO_SIGN);
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trailing-newline' });
  });

  it('secret-whitespace: the supplied secret carries the whitespace, the signer trimmed it', () => {
    const rep = verify(form(), `  ${SECRET}\r\n`);
    expect(rep.valid).toBe(false);
    expect(rep.mistake).toBe('signature.mistake.secret-whitespace');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trimmed' });
  });

  it('line-endings: the signer hashed the CRLF text, the form carries LF', () => {
    const lf = policyBytes.toString('utf8');
    const crlf = lf.replace(/\n/g, '\r\n');
    const wrong = hmacHex(SIGN_KEY, sha1hex(crlf));
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.line-endings');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'lf-to-crlf' });
  });

  it('line-endings: the signer hashed the text with a final newline', () => {
    const wrong = hmacHex(SIGN_KEY, sha1hex(`${policyBytes.toString('utf8')}\n`));
    const rep = verify(form({ 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.line-endings');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'trailing-newline-added' });
  });

  it('line-endings: the signer hashed the LF text, the form carries CRLF', () => {
    const lf = `{\n  "expiration": "2030-01-01T00:00:00Z",\n  "conditions": [ { "q-sign-time": "${KEY_TIME}" } ]\n}`;
    const crlf = lf.replace(/\n/g, '\r\n');
    const wrong = hmacHex(SIGN_KEY, sha1hex(lf));
    const rep = verify(form({ policy: b64(crlf), 'q-signature': wrong }));
    expect(rep.mistake).toBe('signature.mistake.line-endings');
    expect(rep.facts.mistakeFacts).toEqual({ variant: 'crlf-to-lf' });
  });
});

describe('COS helpers', () => {
  it('policyEqValues reads both exact-match forms', () => {
    const doc = { conditions: [{ 'q-sign-time': 'a;b' }, ['eq', '$q-sign-time', 'c;d'], ['starts-with', '$q-sign-time', 'x'], { key: 'k' }] };
    expect(policyEqValues(doc, 'q-sign-time')).toEqual(['a;b', 'c;d']);
    expect(policyEqValues(null, 'key')).toEqual([]);
  });
  it('lineEndingVariants leaves nothing identical to the input', () => {
    const input = Buffer.from('{\n}\n');
    for (const v of lineEndingVariants(input)) expect(v.bytes.equals(input)).toBe(false);
    expect(lineEndingVariants(input).map((v) => v.variant)).toEqual(['lf-to-crlf', 'trailing-newline-removed']);
  });
});
