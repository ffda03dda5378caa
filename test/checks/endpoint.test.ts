import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { findingEntry, renderFinding, resolvePrediction } from '../../src/core/catalogue.js';
import { placeholders } from '../../src/core/template.js';
import { LANGS, type Finding, type UploadRequest } from '../../src/core/types.js';
import { ENDPOINT_RULES, endpointProblems } from '../../src/checks/endpoint-problems.js';
import { b64, cosForm, f, filePart, ids, ossForm, request, run } from './helpers.js';

describe('endpoint.problems (OSS)', () => {
  test('a bucket host: nothing', async () => {
    expect(await run(endpointProblems, ossForm(), 'oss')).toEqual([]);
  });
  test('bucket twice in the host predicts SignatureDoesNotMatch (handbook: bucket before the endpoint)', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://mybucket.mybucket.oss-cn-hangzhou.aliyuncs.com/' }), 'oss');
    expect(ids(out)).toContain('endpoint.oss.bucket-twice');
    const f = out.find((x) => x.id === 'endpoint.oss.bucket-twice')!;
    expect(f.severity).toBe('error');
    expect(resolvePrediction(f.predicts!).code).toBe('SignatureDoesNotMatch');
  });
  test('endpoint without bucket', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://oss-cn-hangzhou.aliyuncs.com/' }), 'oss');
    expect(ids(out)).toEqual(['endpoint.oss.no-bucket']);
  });
  test('custom domain: info', async () => {
    const out = await run(endpointProblems, ossForm({ url: 'https://static.example.com/' }), 'oss');
    expect(out).toEqual([expect.objectContaining({ id: 'endpoint.oss.not-oss-host', severity: 'info' })]);
  });
});

describe('endpoint.problems (COS)', () => {
  test('a bucket host: nothing', async () => {
    expect(await run(endpointProblems, cosForm(), 'cos')).toEqual([]);
  });
  test('no APPID in the host bucket', async () => {
    const out = await run(endpointProblems, cosForm({ url: 'https://examplebucket.cos.ap-beijing.myqcloud.com/' }), 'cos');
    expect(ids(out)).toContain('endpoint.cos.no-appid');
  });
  test('service host without bucket', async () => {
    const out = await run(endpointProblems, cosForm({ url: 'https://cos.ap-beijing.myqcloud.com/' }), 'cos');
    expect(ids(out)).toContain('endpoint.cos.no-bucket');
  });
  test('no URL: nothing', async () => {
    expect(await run(endpointProblems, cosForm({ url: null }), 'cos')).toEqual([]);
  });
});

// --- S3 and GCS: each problem the adapters' parseEndpoint reports, through the engine ------------

const S3_URL = 'https://examplebucket.s3.us-east-1.amazonaws.com/';
const s3Cred = (region = 'us-east-1'): string => `AKIAIOSFODNN7EXAMPLE/20300101/${region}/s3/aws4_request`;

/** A SigV4 browser form (the policy content does not matter to the endpoint check). */
function s3Form(url: string | null, region = 'us-east-1'): UploadRequest {
  return request(url, [
    f('key', 'user/photo.jpg'),
    f('x-amz-algorithm', 'AWS4-HMAC-SHA256'),
    f('x-amz-credential', s3Cred(region)),
    f('x-amz-date', '20300101T000000Z'),
    f('policy', b64({ expiration: '2030-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }] })),
    f('x-amz-signature', 'a'.repeat(64)),
    filePart(),
  ]);
}

/** A GOOG4-HMAC-SHA256 policy form. */
function gcsForm(url: string | null): UploadRequest {
  return request(url, [
    f('key', 'user/photo.jpg'),
    f('x-goog-algorithm', 'GOOG4-HMAC-SHA256'),
    f('x-goog-credential', 'GOOG1EXAMPLE/20300101/auto/storage/goog4_request'),
    f('x-goog-date', '20300101T000000Z'),
    f('policy', b64({ expiration: '2030-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }] })),
    f('x-goog-signature', 'b'.repeat(64)),
    filePart(),
  ]);
}

/** The one finding with this id; it must render in every language with every placeholder filled. */
function one(out: Finding[], id: string): Finding {
  const found = out.filter((x) => x.id === id);
  expect(found, `${id} in ${JSON.stringify(ids(out))}`).toHaveLength(1);
  const x = found[0]!;
  for (const lang of LANGS) {
    const r = renderFinding(x, lang);
    for (const s of [r.title, r.detail, ...r.fix]) expect(s, `${id} ${lang}`).not.toMatch(/(?<!\$)\{[A-Za-z_][\w.-]*(\|[a-z]+)?\}/);
  }
  return x;
}

const rendered = (x: Finding): string => {
  const r = renderFinding(x, 'en');
  return [r.title, r.detail, ...r.fix].join('\n');
};

async function s3(url: string, region?: string): Promise<Finding[]> {
  return run(endpointProblems, s3Form(url, region), 's3');
}
async function gcs(url: string): Promise<Finding[]> {
  return run(endpointProblems, gcsForm(url), 'gcs');
}

describe('endpoint.problems (S3)', () => {
  test('a regional virtual-hosted bucket URL, and a path-style one: nothing', async () => {
    expect(await s3(S3_URL)).toEqual([]);
    expect(await s3('https://s3.eu-west-1.amazonaws.com/examplebucket', 'eu-west-1')).toEqual([]);
    expect(await run(endpointProblems, s3Form(null), 's3')).toEqual([]);
  });

  test('whitespace around the URL: warning, no answer', async () => {
    const x = one(await s3(` ${S3_URL} `), 'endpoint.s3.whitespace');
    expect(x).toMatchObject({ severity: 'warning', predicts: null, facts: { leading: true, trailing: true, inHost: false } });
  });

  test('service host without bucket', async () => {
    const out = await s3('https://s3.us-west-2.amazonaws.com/');
    expect(ids(out)).toEqual(['endpoint.s3.no-bucket']);
    expect(one(out, 'endpoint.s3.no-bucket')).toMatchObject({ severity: 'error', predicts: null, facts: { host: 's3.us-west-2.amazonaws.com', path: '/' } });
  });

  test('a custom domain without path: bucket unknown (info)', async () => {
    const out = await s3('https://uploads.example.com/');
    expect(ids(out)).toEqual(['endpoint.s3.bucket-unknown']);
    const x = one(out, 'endpoint.s3.bucket-unknown');
    expect(x.severity).toBe('info');
    expect(rendered(x)).toContain('https://uploads.example.com/<bucket>');
  });

  test('an invalid bucket name lists the broken rules', async () => {
    const x = one(await s3('https://s3.us-west-2.amazonaws.com/My_Bucket'), 'endpoint.s3.invalid-bucket-name');
    expect(x.severity).toBe('error');
    expect(x.facts).toMatchObject({ bucket: 'My_Bucket', length: 9 });
    expect(rendered(x)).toContain('uppercase, characters');
  });

  test('a dotted bucket over HTTPS: warning with the path-style URL; over HTTP nothing', async () => {
    const x = one(await s3('https://my.example.bucket.s3.eu-west-1.amazonaws.com/', 'eu-west-1'), 'endpoint.s3.dotted-bucket-https');
    expect(x.severity).toBe('warning');
    expect(rendered(x)).toContain('https://s3.eu-west-1.amazonaws.com/my.example.bucket');
    expect(rendered(x)).toContain('*.s3.eu-west-1.amazonaws.com');
    expect(ids(await s3('http://my.example.bucket.s3.eu-west-1.amazonaws.com/', 'eu-west-1'))).toEqual([]);
  });

  test('website endpoint predicts 405 MethodNotAllowed and names the REST endpoint', async () => {
    const x = one(await s3('https://examplebucket.s3-website-us-east-1.amazonaws.com/'), 'endpoint.s3.website-host');
    expect(x.severity).toBe('error');
    expect(resolvePrediction(x.predicts!)).toMatchObject({ status: 405, code: 'MethodNotAllowed' });
    expect(x.facts.uploadUrl).toBe('https://examplebucket.s3.us-east-1.amazonaws.com/');
    const dotted = one(await s3('http://examplebucket.s3-website.eu-central-1.amazonaws.com/', 'eu-central-1'), 'endpoint.s3.website-host');
    expect(dotted.facts.uploadUrl).toBe('https://examplebucket.s3.eu-central-1.amazonaws.com/');
  });

  test('posting to an object URL predicts 405 on AWS, nothing on RGW', async () => {
    const x = one(await s3('https://examplebucket.s3.us-east-1.amazonaws.com/user/photo.jpg'), 'endpoint.s3.path-after-bucket');
    expect(x).toMatchObject({ severity: 'error', facts: { bucket: 'examplebucket', extra: 'user/photo.jpg' } });
    expect(resolvePrediction(x.predicts!).code).toBe('MethodNotAllowed');
    const rgw = await check(s3Form('http://localhost:8000/examplebucket/user/photo.jpg'), { provider: 's3', server: 'rgw', checks: [endpointProblems], now: new Date('2030-01-01T00:00:00Z') });
    expect(one(rgw.findings, 'endpoint.s3.path-after-bucket').predicts).toBeNull();
  });

  test('legacy global endpoint: path-style with a credential of another region predicts PermanentRedirect', async () => {
    const x = one(await s3('https://s3.amazonaws.com/examplebucket', 'eu-west-1'), 'endpoint.s3.global-endpoint');
    expect(x).toMatchObject({ severity: 'warning', facts: { bucket: 'examplebucket', credentialRegion: 'eu-west-1' } });
    expect(resolvePrediction(x.predicts!)).toMatchObject({ status: 301, code: 'PermanentRedirect' });
  });

  test('legacy global endpoint: us-east-1 credential or virtual-hosted is only info', async () => {
    const us = one(await s3('https://s3.amazonaws.com/examplebucket', 'us-east-1'), 'endpoint.s3.global-endpoint');
    expect(us).toMatchObject({ severity: 'info', predicts: null });
    const virtual = one(await s3('https://examplebucket.s3.amazonaws.com/', 'eu-west-1'), 'endpoint.s3.global-endpoint');
    expect(virtual).toMatchObject({ severity: 'info', predicts: null });
    // no credential at all (SigV2 form): the bucket's region is unknown, still a warning
    const v2 = request('https://s3.amazonaws.com/examplebucket', [
      f('key', 'a'),
      f('AWSAccessKeyId', 'AKIAIOSFODNN7EXAMPLE'),
      f('policy', b64({ expiration: '2030-01-01T00:00:00Z', conditions: [] })),
      f('signature', 'c2ln'),
      filePart(),
    ]);
    expect(one(await run(endpointProblems, v2, 's3'), 'endpoint.s3.global-endpoint')).toMatchObject({ severity: 'warning', predicts: null });
  });

  test('Transfer Acceleration path-style: error with the virtual-hosted URL', async () => {
    const x = one(await s3('https://s3-accelerate.amazonaws.com/examplebucket'), 'endpoint.s3.accelerate-path-style');
    expect(x.severity).toBe('error');
    expect(rendered(x)).toContain('https://examplebucket.s3-accelerate.amazonaws.com/');
  });

  test('an Amazon host that is no S3 bucket endpoint', async () => {
    const out = await s3('https://examplebucket-123456789012.s3-accesspoint.us-east-1.amazonaws.com/');
    expect(ids(out)).toEqual(['endpoint.s3.unrecognised-host']);
    expect(one(out, 'endpoint.s3.unrecognised-host').severity).toBe('warning');
  });
});

describe('endpoint.problems (GCS)', () => {
  test('path-style and virtual-hosted bucket URLs: nothing', async () => {
    expect(await gcs('https://storage.googleapis.com/examplebucket')).toEqual([]);
    expect(await gcs('https://examplebucket.storage.googleapis.com/')).toEqual([]);
  });

  test('whitespace after the URL', async () => {
    const x = one(await gcs('https://storage.googleapis.com/examplebucket '), 'endpoint.gcs.whitespace');
    expect(x).toMatchObject({ severity: 'warning', facts: { leading: false, trailing: true } });
  });

  test('the XML API host without bucket', async () => {
    const out = await gcs('https://storage.googleapis.com/');
    expect(ids(out)).toEqual(['endpoint.gcs.no-bucket']);
    expect(one(out, 'endpoint.gcs.no-bucket')).toMatchObject({ severity: 'error', predicts: null });
  });

  test('a custom domain without path: bucket unknown (info)', async () => {
    const out = await gcs('https://uploads.example.com/');
    expect(ids(out)).toEqual(['endpoint.gcs.bucket-unknown']);
    expect(one(out, 'endpoint.gcs.bucket-unknown').severity).toBe('info');
  });

  test('a reserved bucket name', async () => {
    const x = one(await gcs('https://storage.googleapis.com/google-photos'), 'endpoint.gcs.invalid-bucket-name');
    expect(x.severity).toBe('error');
    expect(rendered(x)).toContain('reserved-word');
  });

  test('a dotted bucket in the host over HTTPS', async () => {
    const x = one(await gcs('https://assets.example.com.storage.googleapis.com/'), 'endpoint.gcs.dotted-bucket-https');
    expect(x.severity).toBe('warning');
    expect(rendered(x)).toContain('https://storage.googleapis.com/assets.example.com');
  });

  test('an object path after the bucket', async () => {
    const x = one(await gcs('https://storage.googleapis.com/examplebucket/user/photo.jpg'), 'endpoint.gcs.path-after-bucket');
    expect(x).toMatchObject({ severity: 'error', predicts: null, facts: { bucket: 'examplebucket', extra: 'user/photo.jpg' } });
  });

  test('the browser download host', async () => {
    const x = one(await gcs('https://storage.cloud.google.com/examplebucket'), 'endpoint.gcs.browser-host');
    expect(x.severity).toBe('error');
    expect(rendered(x)).toContain('Send the form to `https://storage.googleapis.com/examplebucket`');
  });

  test('the JSON API upload URL', async () => {
    const x = one(await gcs('https://www.googleapis.com/upload/storage/v1/b/examplebucket/o?uploadType=multipart'), 'endpoint.gcs.json-api');
    expect(x).toMatchObject({ severity: 'error', predicts: null, facts: { bucket: 'examplebucket' } });
    expect(rendered(x)).toContain('https://storage.googleapis.com/examplebucket');
  });

  test('a Google host that is no Cloud Storage XML endpoint', async () => {
    const out = await gcs('https://firebasestorage.googleapis.com/v0/b/examplebucket/o');
    expect(ids(out)).toEqual(['endpoint.gcs.unrecognised-host']);
    expect(one(out, 'endpoint.gcs.unrecognised-host').severity).toBe('warning');
  });
});

describe('endpoint rules and catalogue agree', () => {
  const adapterIds = ['s3', 'gcs', 'cos', 'oss'].flatMap((p) => {
    const text = readFileSync(fileURLToPath(new URL(`../../src/providers/${p}/endpoint.ts`, import.meta.url)), 'utf8');
    return [...text.matchAll(/'(endpoint\.[a-z0-9]+\.[a-z0-9-]+)'/g)].map((m) => m[1] as string);
  });
  test('every problem id an adapter emits has a rule and a catalogue entry', () => {
    expect(adapterIds.length).toBeGreaterThan(30);
    for (const id of new Set(adapterIds)) {
      expect(ENDPOINT_RULES[id], id).toBeDefined();
      expect(findingEntry(id), id).toBeDefined();
    }
  });
  test.each(Object.keys(ENDPOINT_RULES))('%s: in the catalogue, en/ja/zh with the same placeholders', (id) => {
    const e = findingEntry(id)!;
    expect(e, id).toBeDefined();
    const names = (l: 'en' | 'ja' | 'zh') => new Set([e.text[l]!.title, e.text[l]!.detail, ...(e.text[l]!.fix ?? [])].flatMap(placeholders));
    expect(names('ja')).toEqual(names('en'));
    expect(names('zh')).toEqual(names('en'));
  });
});
