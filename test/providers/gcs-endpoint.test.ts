import { describe, expect, it } from 'vitest';
import { detectRequest, gcsBucketNameProblems, parseEndpoint } from '../../src/providers/gcs/endpoint.js';
import { makeRequest } from './helpers.js';

const ids = (url: string, style?: 'virtual' | 'path') => parseEndpoint(url, style).problems.map((p) => p.id);
const problem = (url: string, id: string) => parseEndpoint(url).problems.find((p) => p.id === id);

describe('GCS endpoint', () => {
  it('path-style and virtual-hosted XML API hosts', () => {
    expect(parseEndpoint('https://storage.googleapis.com/travel-maps')).toMatchObject({ bucket: 'travel-maps', style: 'path', region: null, google: true, problems: [] });
    expect(parseEndpoint('https://storage.googleapis.com/travel-maps/')).toMatchObject({ bucket: 'travel-maps', problems: [] });
    expect(parseEndpoint('https://travel-maps.storage.googleapis.com/')).toMatchObject({ bucket: 'travel-maps', style: 'virtual', problems: [] });
    expect(parseEndpoint('https://my_bucket.storage.googleapis.com/')).toMatchObject({ bucket: 'my_bucket', problems: [] });
  });
  it('regional endpoint', () => {
    expect(parseEndpoint('https://storage.us-east1.rep.googleapis.com/b-12')).toMatchObject({ bucket: 'b-12', style: 'path' });
  });
  it('no bucket', () => {
    expect(ids('https://storage.googleapis.com/')).toEqual(['endpoint.gcs.no-bucket']);
  });
  it('dotted bucket over https virtual-hosting', () => {
    const p = problem('https://assets.example.com.storage.googleapis.com/', 'endpoint.gcs.dotted-bucket-https');
    expect(p?.facts).toMatchObject({ bucket: 'assets.example.com', pathStyleUrl: 'https://storage.googleapis.com/assets.example.com' });
    expect(ids('https://storage.googleapis.com/assets.example.com')).toEqual([]);
  });
  it('invalid bucket names', () => {
    expect(problem('https://storage.googleapis.com/Google-Maps', 'endpoint.gcs.invalid-bucket-name')?.facts.reasons).toEqual(['uppercase', 'reserved-prefix', 'reserved-word']);
    expect(gcsBucketNameProblems('goog-data')).toEqual(['reserved-prefix']);
    expect(gcsBucketNameProblems('g00gle-stuff')).toEqual(['reserved-word']);
    expect(gcsBucketNameProblems('a'.repeat(64))).toEqual(['length']);
    expect(gcsBucketNameProblems(`${'a'.repeat(60)}.${'b'.repeat(60)}`)).toEqual([]);
    expect(gcsBucketNameProblems('_abc')).toEqual(['edge']);
  });
  it('hosts that take no POST form: browser downloads, JSON API', () => {
    expect(problem('https://storage.cloud.google.com/travel-maps', 'endpoint.gcs.browser-host')?.facts).toMatchObject({
      bucket: 'travel-maps',
      expectedUrl: 'https://storage.googleapis.com/travel-maps',
    });
    const j = parseEndpoint('https://www.googleapis.com/upload/storage/v1/b/travel-maps/o?uploadType=media');
    expect(j).toMatchObject({ bucket: 'travel-maps', style: 'custom' });
    expect(j.problems.map((p) => p.id)).toEqual(['endpoint.gcs.json-api']);
  });
  it('an object path after the bucket', () => {
    expect(problem('https://storage.googleapis.com/travel-maps/a/b.png', 'endpoint.gcs.path-after-bucket')?.facts).toMatchObject({ bucket: 'travel-maps', extra: 'a/b.png' });
  });
  it('custom domains: CNAME bucket by option, path by option or guess, unknown otherwise', () => {
    expect(parseEndpoint('https://static.example.com/', 'virtual')).toMatchObject({ bucket: 'static.example.com', style: 'virtual', styleSource: 'option' });
    expect(parseEndpoint('http://127.0.0.1:4443/b-12')).toMatchObject({ bucket: 'b-12', style: 'path', styleSource: 'guess' });
    expect(ids('https://static.example.com/')).toEqual(['endpoint.gcs.bucket-unknown']);
  });
  it('whitespace and odd input', () => {
    expect(ids(' https://storage.googleapis.com/b-12')).toEqual(['endpoint.gcs.whitespace']);
    for (const u of ['', 'x', '://', 'https://', 'https://storage.googleapis.com/%zz']) expect(() => parseEndpoint(u)).not.toThrow();
  });
});

describe('GCS detectRequest', () => {
  it('x-goog fields and hosts', () => {
    expect(detectRequest(makeRequest(null, [['x-goog-signature', 'x']]))).toBe(0.95);
    expect(detectRequest(makeRequest('https://storage.googleapis.com/b', [['x-goog-credential', 'x']]))).toBe(1);
    expect(detectRequest(makeRequest('https://b12.storage.googleapis.com/', [['x-amz-signature', 'x']]))).toBe(0.9);
    expect(detectRequest(makeRequest('https://b1.s3.amazonaws.com/', [['x-amz-signature', 'x']]))).toBe(0);
  });
});
