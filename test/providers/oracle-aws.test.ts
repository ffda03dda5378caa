// Oracle: Amazon's own SDK (@aws-sdk/s3-presigned-post) signs POST forms; our verifier must agree,
// and must refuse the same forms once tampered. Signing is local: no request is made (guarded).
import { describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { verifySignature } from '../../src/providers/s3/sign.js';
import { parseEndpoint } from '../../src/providers/s3/endpoint.js';
import { makeContext, makeRequest } from './helpers.js';
import { guardNetwork } from './offline-guard.js';

const network = guardNetwork();
const AKID = 'AKIAORACLEEXAMPLE01';
const SECRET = 'Or4cle/Secret+Key0123456789abcdefGHIJKLMN';

interface Signed {
  url: string;
  fields: Record<string, string>;
}

async function presign(opts: { region: string; secret?: string; sessionToken?: string; bucket?: string; endpoint?: string; forcePathStyle?: boolean }): Promise<Signed> {
  const client = new S3Client({
    region: opts.region,
    credentials: { accessKeyId: AKID, secretAccessKey: opts.secret ?? SECRET, ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}) },
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.forcePathStyle ? { forcePathStyle: true } : {}),
  });
  const r = await createPresignedPost(client, {
    Bucket: opts.bucket ?? 'oracle-bucket',
    Key: 'uploads/${filename}',
    Conditions: [
      ['content-length-range', 0, 10_485_760],
      ['starts-with', '$Content-Type', 'image/'],
    ],
    Fields: { acl: 'private', 'Content-Type': 'image/png' },
    Expires: 600,
  });
  client.destroy();
  return r as Signed;
}

type Rep = ReturnType<typeof verifySignature> & { facts: Record<string, any> };
function check(s: Signed, secret = SECRET, edit?: (fields: Array<[string, string]>) => Array<[string, string]>): Rep {
  let fields = Object.entries(s.fields);
  if (edit) fields = edit(fields);
  return verifySignature(makeContext(makeRequest(s.url, fields), secret)) as Rep;
}
const setField = (name: string, value: string) => (fields: Array<[string, string]>) => fields.map(([k, v]) => [k, k.toLowerCase() === name.toLowerCase() ? value : v] as [string, string]);

describe('oracle: @aws-sdk/s3-presigned-post', () => {
  it('a signed form verifies, with the SDK field names and the endpoint region', async () => {
    const s = await presign({ region: 'eu-central-1' });
    expect(Object.keys(s.fields)).toEqual(expect.arrayContaining(['Policy', 'X-Amz-Signature', 'X-Amz-Credential']));
    const rep = check(s);
    expect(rep).toMatchObject({ scheme: 's3-v4', checked: true, valid: true, mistake: null, expected: s.fields['X-Amz-Signature'] });
    expect(rep.facts).toMatchObject({ region: 'eu-central-1', service: 's3', terminator: 'aws4_request', algorithm: 'AWS4-HMAC-SHA256', endpointRegion: 'eu-central-1', securityToken: false });
    expect(rep.facts.regionMismatch).toBeUndefined();
    expect(parseEndpoint(s.url)).toMatchObject({ bucket: 'oracle-bucket', region: 'eu-central-1', style: 'virtual', problems: [] });
  });
  it('with a session token', async () => {
    const s = await presign({ region: 'ap-southeast-2', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//+=' });
    expect(s.fields['X-Amz-Security-Token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN//+=');
    const rep = check(s);
    expect(rep).toMatchObject({ valid: true });
    expect(rep.facts.securityToken).toBe(true);
  });
  it('us-east-1, path-style and an S3-compatible endpoint', async () => {
    const a = await presign({ region: 'us-east-1' });
    expect(check(a).valid).toBe(true);
    const p = await presign({ region: 'us-west-2', forcePathStyle: true });
    expect(parseEndpoint(p.url)).toMatchObject({ bucket: 'oracle-bucket', style: 'path', region: 'us-west-2' });
    expect(check(p).valid).toBe(true);
    const rgw = await presign({ region: 'default', endpoint: 'http://127.0.0.1:7480', forcePathStyle: true });
    expect(parseEndpoint(rgw.url)).toMatchObject({ bucket: 'oracle-bucket', style: 'path', region: null });
    expect(check(rgw)).toMatchObject({ valid: true });
  });
  it('several secrets and regions', async () => {
    const regions = ['us-east-2', 'eu-west-3', 'sa-east-1', 'cn-north-1', 'us-gov-west-1'];
    for (let i = 0; i < regions.length; i++) {
      const secret = Buffer.from(`secret-${i}-${regions[i]}`).toString('base64').slice(0, 40);
      const s = await presign({ region: regions[i]!, secret });
      expect(check(s, secret).valid).toBe(true);
      expect(check(s, SECRET).valid).toBe(false);
    }
  });
  it('a changed form field does not touch the signature; a changed policy does', async () => {
    const s = await presign({ region: 'eu-central-1' });
    expect(check(s, SECRET, setField('key', 'elsewhere/x.png')).valid).toBe(true);
    const json = Buffer.from(s.fields['Policy']!, 'base64').toString('utf8').replace('10485760', '104857600');
    const rep = check(s, SECRET, setField('Policy', Buffer.from(json).toString('base64')));
    expect(rep).toMatchObject({ checked: true, valid: false, mistake: null });
  });
  it('wrong secret: invalid, no mistake; a secret read with a newline: secret-whitespace', async () => {
    const s = await presign({ region: 'eu-central-1' });
    expect(check(s, 'Wr0ngSecretKeyValue/abcdefghijklmnopqrstu')).toMatchObject({ valid: false, mistake: null });
    const ours = check(s, `${SECRET}\n`);
    expect(ours.mistake).toBe('signature.mistake.secret-whitespace');
    expect(ours.facts.mistakeFacts).toEqual({ variant: 'trimmed' });
    const signedWithNewline = await presign({ region: 'eu-central-1', secret: `${SECRET}\n` });
    const theirs = check(signedWithNewline);
    expect(theirs.mistake).toBe('signature.mistake.secret-whitespace');
    expect(theirs.facts.mistakeFacts).toEqual({ variant: 'trailing-newline' });
  });
  it('a form signed for us-east-1 but sent with another credential region: wrong-region', async () => {
    const s = await presign({ region: 'us-east-1' });
    const cred = s.fields['X-Amz-Credential']!.replace('/us-east-1/', '/eu-west-1/');
    const rep = check({ url: 'https://oracle-bucket.s3.eu-west-1.amazonaws.com/', fields: s.fields }, SECRET, setField('X-Amz-Credential', cred));
    expect(rep.mistake).toBe('signature.mistake.wrong-region');
    expect(rep.facts.mistakeFacts).toMatchObject({ signedRegion: 'us-east-1', credentialRegion: 'eu-west-1' });
  });
  it('made no network request', () => {
    expect(network.attempts()).toBe(0);
  });
});
