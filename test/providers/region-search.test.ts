// Issue 13: the signing-mistake search tries every region of the scheme, so a signature made for
// any real region is named "signed for region X", whatever region the credential names.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import type { ProviderId, UploadRequest } from '../../src/core/types.js';
import { sign, type SignedForm } from '../../src/sign/index.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SECRETS: Record<string, string> = { s3: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', oss: 'ExampleSecretKey0000000000000000' };

function toRequest(form: SignedForm, fields: Array<[string, string]>): UploadRequest {
  return {
    method: 'POST',
    url: form.url,
    headers: [['Content-Type', 'multipart/form-data; boundary=----pdRegion']],
    parts: [
      ...fields.map(([name, value]) => ({ kind: 'field' as const, name, value })),
      { kind: 'file', name: 'file', filename: 'a.txt', contentType: 'text/plain', size: 3, source: { type: 'generated', size: 3 } },
    ],
    boundary: '----pdRegion',
    bodyProblems: [],
    notes: [],
  };
}

/** A form signed for `signed` whose credential field then names `named`. */
async function mistake(provider: ProviderId, credField: string, signed: string, named: string, bare = (r: string) => r) {
  const form = sign({
    provider,
    bucket: 'examplebucket',
    region: signed,
    key: 'a.txt',
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    now: NOW,
    accessKeyId: 'AKIDEXAMPLE0000',
    secret: SECRETS[provider]!,
  });
  const fields = form.fields.map(([k, v]): [string, string] => (k.toLowerCase() === credField ? [k, v.replace(`/${bare(signed)}/`, `/${bare(named)}/`)] : [k, v]));
  // the endpoint names the credential's region too: only a search over all regions finds the signed one
  const r = await check(toRequest({ ...form, url: form.url.replace(signed, named) }, fields), { provider, now: NOW, secret: SECRETS[provider]! });
  return r.findings.find((f) => f.id === 'signature.mistake.wrong-region');
}

describe('signing-mistake search over every region of the scheme', () => {
  it('S3: signed for ap-southeast-2, the credential says eu-central-1', async () => {
    expect((await mistake('s3', 'x-amz-credential', 'ap-southeast-2', 'eu-central-1'))?.facts).toMatchObject({ signedRegion: 'ap-southeast-2', credentialRegion: 'eu-central-1' });
  });
  it('S3: signed for a China region, the credential says us-west-2', async () => {
    expect((await mistake('s3', 'x-amz-credential', 'cn-northwest-1', 'us-west-2'))?.facts).toMatchObject({ signedRegion: 'cn-northwest-1' });
  });
  it('OSS V4: signed for cn-shenzhen, the credential says cn-beijing', async () => {
    expect((await mistake('oss', 'x-oss-credential', 'cn-shenzhen', 'cn-beijing'))?.facts).toMatchObject({ signedRegion: 'cn-shenzhen', credentialRegion: 'cn-beijing' });
  });
});
