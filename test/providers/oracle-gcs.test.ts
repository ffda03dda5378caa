// Oracle: Google's own SDK (@google-cloud/storage) signs a V4 POST policy with a service-account
// key (GOOG4-RSA-SHA256); our verifier must agree using only the public key, and refuse tampered
// forms. A throwaway RSA key is made here; signing is local and no request is made (guarded).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Storage } from '@google-cloud/storage';
import { verifySignature } from '../../src/providers/gcs/sign.js';
import { parseEndpoint } from '../../src/providers/gcs/endpoint.js';
import type { SignatureContext } from '../../src/providers/types.js';
import { makeContext, makeRequest } from './helpers.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();

const EMAIL = 'oracle-uploader@oracle-proj.iam.gserviceaccount.com';
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const pair = keyPair();

interface Signed {
  url: string;
  fields: Record<string, string>;
}

async function sign(privateKey: string, bucket = 'oracle-bucket', object = 'uploads/photo.png'): Promise<Signed> {
  const storage = new Storage({ projectId: 'oracle-proj', credentials: { client_email: EMAIL, private_key: privateKey } });
  const [r] = await storage
    .bucket(bucket)
    .file(object)
    .generateSignedPostPolicyV4({
      expires: Date.now() + 10 * 60_000,
      conditions: [
        ['content-length-range', 0, 1_048_576],
        ['starts-with', '$Content-Type', 'image/'],
      ],
      fields: { 'x-goog-meta-source': 'oracle', 'Content-Type': 'image/png' },
    });
  return r as Signed;
}

type Rep = ReturnType<typeof verifySignature> & { facts: Record<string, any> };
function check(s: Signed, publicKey: string | undefined, edit?: (f: Array<[string, string]>) => Array<[string, string]>): Rep {
  let fields = Object.entries(s.fields);
  if (edit) fields = edit(fields);
  const ctx: SignatureContext & { publicKey?: string } = makeContext(makeRequest(s.url, fields), '');
  if (publicKey !== undefined) ctx.publicKey = publicKey;
  return verifySignature(ctx) as Rep;
}
const setField = (name: string, value: string) => (fields: Array<[string, string]>) => fields.map(([k, v]) => [k, k === name ? value : v] as [string, string]);

describe('oracle: @google-cloud/storage generateSignedPostPolicyV4', () => {
  it('the SDK form verifies with the public key', async () => {
    const s = await sign(pair.privateKey);
    expect(s.fields['x-goog-algorithm']).toBe('GOOG4-RSA-SHA256');
    const rep = check(s, pair.publicKey);
    expect(rep).toMatchObject({ scheme: 'gcs-rsa', checked: true, valid: true, mistake: null });
    expect(rep.facts).toMatchObject({ region: 'auto', service: 'storage', terminator: 'goog4_request', algorithm: 'GOOG4-RSA-SHA256', keySource: 'public-key' });
    expect(parseEndpoint(s.url)).toMatchObject({ bucket: 'oracle-bucket', style: 'path', problems: [] });
  });
  it('with the private key: our expected signature equals the SDK one', async () => {
    const s = await sign(pair.privateKey);
    const rep = check(s, pair.privateKey);
    expect(rep).toMatchObject({ valid: true, expected: s.fields['x-goog-signature'] });
  });
  it('tampered policy, another key, a changed signature: invalid', async () => {
    const s = await sign(pair.privateKey);
    const json = Buffer.from(s.fields['policy']!, 'base64').toString('utf8').replace('1048576', '1048577');
    const tampered = check(s, pair.publicKey, setField('policy', Buffer.from(json).toString('base64')));
    expect(tampered).toMatchObject({ checked: true, valid: false, mistake: null });
    expect(tampered.facts.signedWithThisKey).toBe(true);
    const otherKey = check(s, keyPair().publicKey);
    expect(otherKey).toMatchObject({ valid: false, mistake: null });
    expect(otherKey.facts.signedWithThisKey).toBe(false);
    const sig = s.fields['x-goog-signature']!;
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    expect(check(s, pair.publicKey, setField('x-goog-signature', flipped)).valid).toBe(false);
  });
  it('a changed non-policy field does not touch the signature', async () => {
    const s = await sign(pair.privateKey);
    expect(check(s, pair.publicKey, setField('key', 'elsewhere.png')).valid).toBe(true);
  });
  it('without a key: not checked', async () => {
    const s = await sign(pair.privateKey);
    expect(check(s, undefined)).toMatchObject({ checked: false, reason: 'signature.no-public-key' });
  });
  it('made no network request', () => {
    expect(network.attempts()).toBe(0);
  });
});
