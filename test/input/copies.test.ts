// Issue 13: every capture format browsers and tools produce, for a form of every provider:
// a good upload passes (signature verified, the file's size never taken as 0), and the broken
// variants get the finding that predicts the server's answer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { InputError } from '../../src/core/errors.js';
import type { ProviderId } from '../../src/core/types.js';
import { readUploadRequest } from '../../src/input/index.js';
import { sign } from '../../src/sign/index.js';
import {
  BOUNDARY,
  copyAsCurl,
  copyAsFetch,
  copyAsPowerShell,
  devtoolsHar,
  firefoxCurl,
  firefoxFetch,
  firefoxPowerShell,
  multipart,
  postmanCollection,
  safariFetch,
  type Form,
} from './capture-writers.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AK: Record<ProviderId, string> = {
  s3: 'AKIAIOSFODNN7EXAMPLE',
  cos: 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q',
  oss: 'LTAI5tExampleKeyId12345',
  gcs: 'GOOGTS7C7FUP3AIRVJTE2BCDKINBTES3HC2GY5CBFJDCQ2SYHV6A6XXVTJFSA',
  obs: 'OBSACCESSKEYEXAMPLE0',
  tos: 'AKLTExampleAccessKeyId0123456789',
};
const BUCKET: Record<ProviderId, string> = { s3: 'examplebucket', cos: 'examplebucket-1250000000', oss: 'examplebucket', gcs: 'example-bucket', obs: 'examplebucket', tos: 'examplebucket' };
const REGION: Record<ProviderId, string | undefined> = { s3: 'eu-central-1', cos: 'ap-beijing', oss: 'cn-hangzhou', gcs: undefined, obs: 'cn-north-4', tos: 'cn-beijing' };
const PROVIDERS: ProviderId[] = ['s3', 'cos', 'oss', 'gcs', 'obs', 'tos'];
/** Every provider with its default signature, and OBS's S3-compatible forms (V2, V4) besides its own. */
const VARIANTS: Array<{ name: string; provider: ProviderId; version?: string }> = [
  ...PROVIDERS.map((provider) => ({ name: provider, provider })),
  { name: 'obs (S3-compatible V2)', provider: 'obs', version: 'v2' },
  { name: 'obs (S3-compatible V4)', provider: 'obs', version: 'v4' },
];

function form(provider: ProviderId, o: { maxSize?: number; fileBytes?: number; after?: Array<[string, string]>; version?: string } = {}): Form {
  const region = REGION[provider];
  const signed = sign({
    provider,
    ...(o.version ? { signatureVersion: o.version } : {}),
    bucket: BUCKET[provider],
    ...(region ? { region } : {}),
    key: 'uploads/photo.png',
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    now: NOW,
    accessKeyId: AK[provider],
    secret: SECRET,
    minSize: 1,
    maxSize: o.maxSize ?? 10_000,
  });
  const f: Form = { url: signed.url, fields: signed.fields, file: { field: 'file', name: 'photo.png', type: 'image/png', bytes: Buffer.alloc(o.fileBytes ?? 2048, 0x89) } };
  if (o.after) f.after = o.after;
  return f;
}

type Format =
  | 'fetch'
  | 'fetch-node'
  | 'powershell'
  | 'curl'
  | 'curl-old'
  | 'har'
  | 'har-no-length'
  | 'firefox-curl'
  | 'firefox-curl-one-line'
  | 'firefox-fetch'
  | 'firefox-powershell'
  | 'safari-fetch';
const WRITE: Record<Format, (f: Form) => string> = {
  fetch: (f) => copyAsFetch(f, 'browser'),
  'fetch-node': (f) => copyAsFetch(f, 'node'),
  powershell: (f) => copyAsPowerShell(f),
  curl: (f) => copyAsCurl(f, true),
  'curl-old': (f) => copyAsCurl(f, false),
  har: (f) => devtoolsHar(f),
  'har-no-length': (f) => devtoolsHar(f, { contentLength: false }),
  'firefox-curl': (f) => firefoxCurl(f, false),
  'firefox-curl-one-line': (f) => firefoxCurl(f, true),
  'firefox-fetch': (f) => firefoxFetch(f),
  'firefox-powershell': (f) => firefoxPowerShell(f),
  'safari-fetch': (f) => safariFetch(f),
};
/** What each format can tell of the file's size. */
const SIZE: Record<Format, 'content-length' | 'unknown' | 'bytes'> = {
  fetch: 'unknown',
  'fetch-node': 'unknown',
  powershell: 'unknown',
  curl: 'unknown',
  'curl-old': 'unknown',
  har: 'content-length',
  'har-no-length': 'unknown',
  'firefox-curl': 'unknown',
  'firefox-curl-one-line': 'unknown',
  'firefox-fetch': 'bytes',
  'firefox-powershell': 'unknown',
  'safari-fetch': 'unknown',
};

async function read(text: string, source = 'capture') {
  return readUploadRequest({ text, path: null, source });
}

describe.each(VARIANTS)('$name captures', ({ provider, version }) => {
  it.each(Object.keys(WRITE) as Format[])('%s: a good upload passes; the file size is %s', async (format) => {
    const f = form(provider, { version });
    const req = await read(WRITE[format](f));
    expect(req.url).toBe(f.url);
    expect(req.parts.filter((p) => p.kind === 'field').map((p) => [p.name, p.kind === 'field' ? p.value : ''])).toEqual(f.fields);
    const file = req.parts.find((p) => p.kind === 'file')!;
    expect(file).toMatchObject({ name: 'file', filename: 'photo.png', contentType: 'image/png', sizeSource: SIZE[format] });
    expect(file.kind === 'file' ? file.size : -1).toBe(SIZE[format] === 'unknown' ? null : 2048);
    const r = await check(req, { provider, now: NOW, secret: SECRET });
    expect(r.signature?.valid).toBe(true);
    expect(r.findings.filter((x) => x.severity === 'error').map((x) => x.id)).toEqual([]);
  });

  it.each(Object.keys(WRITE) as Format[])('%s: a tampered policy fails the signature', async (format) => {
    const f = form(provider, { version });
    const policyField = f.fields.find(([k]) => k.toLowerCase() === 'policy')!;
    const doc = JSON.parse(Buffer.from(policyField[1], 'base64').toString('utf8')) as { expiration: string };
    doc.expiration = '2030-01-01T02:00:00.000Z';
    policyField[1] = Buffer.from(JSON.stringify(doc)).toString('base64');
    const r = await check(await read(WRITE[format](f)), { provider, now: NOW, secret: SECRET });
    expect(r.signature?.valid).toBe(false);
    expect(r.findings.some((x) => x.severity === 'error' && x.predicts !== null && x.predicts !== undefined)).toBe(true);
  });

  it.each(Object.keys(WRITE) as Format[])('%s: a field sent after the file leads as the root cause, and the walk-through names it', async (format) => {
    const f = form(provider, { after: [['x-extra', '1']], version });
    const r = await check(await read(WRITE[format](f)), { provider, now: NOW, secret: SECRET });
    const root = r.findings[0]!;
    expect(['file.not-last', 'file.fields-ignored']).toContain(root.id);
    expect(r.signature?.ignoredFields).toEqual(['x-extra']);
  });
});

describe('sizes from captures', () => {
  it('a DevTools HAR gives the size from Content-Length: a file over the policy is predicted too large', async () => {
    const r = await check(await read(devtoolsHar(form('s3', { maxSize: 1000, fileBytes: 5000 }))), { provider: 's3', now: NOW, secret: SECRET });
    expect(r.request.file).toMatchObject({ size: 5000, sizeSource: 'content-length' });
    expect(r.findings.some((x) => x.predicts?.rule === 's3.post.entity-too-large')).toBe(true);
  });

  it('OBS and TOS: a DevTools HAR over the policy predicts their answers (OBS: the documented code; TOS: the EC)', async () => {
    for (const [provider, rule] of [
      ['obs', 'obs.code.entity-too-large'],
      ['tos', 'tos.post.size-out-of-range'],
    ] as const) {
      const r = await check(await read(devtoolsHar(form(provider, { maxSize: 1000, fileBytes: 5000 }))), { provider, now: NOW, secret: SECRET });
      expect(r.request.file, provider).toMatchObject({ size: 5000, sizeSource: 'content-length' });
      expect(r.signature?.valid, provider).toBe(true);
      expect(
        r.findings.filter((x) => x.severity === 'error').map((x) => [x.id, x.predicts?.rule]),
        provider,
      ).toEqual([['file.too-large', rule]]);
    }
  });

  it('copies without Content-Length never predict a size error', async () => {
    for (const format of ['fetch', 'powershell', 'curl'] as const) {
      const r = await check(await read(WRITE[format](form('oss', { maxSize: 1000, fileBytes: 5000 }))), { provider: 'oss', now: NOW, secret: SECRET });
      expect(r.findings.map((x) => x.id)).not.toContain('file.too-large');
      expect(r.findings.map((x) => x.id)).not.toContain('file.too-small');
      expect(r.findings.map((x) => x.id)).toContain('file.size-unknown');
    }
  });

  it('text re-encoded (replacement characters) makes the size unknown, and says why', async () => {
    const f = form('s3');
    const text = devtoolsHar(f).replace('Content-Type: image/png\\r\\n\\r\\n\\r\\n', 'Content-Type: image/png\\r\\n\\r\\n\\ufffdPNG\\r\\n');
    const req = await read(text);
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: null, sizeSource: 'unknown' });
    expect(req.notes.map((n) => n.id)).toContain('input.body-re-encoded');
  });

  it('an intact body with a Content-Length that disagrees is noted', async () => {
    const f = form('s3', { fileBytes: 3 });
    f.file.bytes = Buffer.from('abc');
    const har = JSON.parse(devtoolsHar(f)) as { log: { entries: Array<{ request: { postData: { text: string }; headers: Array<{ name: string; value: string }> } }> } };
    const entry = har.log.entries[0]!.request;
    entry.postData.text = entry.postData.text.replace('Content-Type: image/png\r\n\r\n\r\n', 'Content-Type: image/png\r\n\r\nabc\r\n');
    entry.headers.find((h) => h.name === 'content-length')!.value = '10';
    const req = await read(JSON.stringify(har));
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: null, sizeSource: 'unknown' });
    entry.headers.find((h) => h.name === 'content-length')!.value = String(Buffer.byteLength(entry.postData.text) + 7);
    const req2 = await read(JSON.stringify(har));
    expect(req2.parts.find((p) => p.kind === 'file')).toMatchObject({ size: 3, sizeSource: 'bytes' });
    expect(req2.notes).toContainEqual({ id: 'input.content-length-mismatch', facts: { declared: Buffer.byteLength(entry.postData.text) + 7, actual: Buffer.byteLength(entry.postData.text) } });
  });
});

describe('Postman collections (v2.1, formdata)', () => {
  it('reads the form, the file from disk, collection variables; a good upload passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-postman-'));
    const path = join(dir, 'photo.png');
    writeFileSync(path, Buffer.alloc(777, 1));
    const f = form('cos');
    const host = new URL(f.url).host;
    const text = postmanCollection(f, path, { host }, f.url.replace(host, '{{host}}'));
    const req = await readUploadRequest({ text, path: null, source: 'c.json' });
    expect(req.url).toBe(f.url);
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: 777, sizeSource: 'bytes', filename: 'photo.png' });
    const r = await check(req, { provider: 'cos', now: NOW, secret: SECRET });
    expect(r.signature?.valid).toBe(true);
    expect(r.findings.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('an environment variable it cannot resolve is said; a missing file is unknown, not empty', async () => {
    const f = form('oss');
    const text = postmanCollection(f, '/nonexistent/photo.png', {}, f.url.replace(new URL(f.url).host, '{{bucket_host}}'));
    const req = await readUploadRequest({ text, path: null, source: 'c.json' });
    expect(req.notes.map((n) => n.id)).toEqual(expect.arrayContaining(['input.file-missing', 'input.unresolved-variable']));
    expect(req.notes.find((n) => n.id === 'input.unresolved-variable')?.facts).toEqual({ names: ['bucket_host'] });
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: null });
  });

  it('a collection without a form-data request is an input error', async () => {
    const text = JSON.stringify({
      info: { schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'x', request: { method: 'GET', url: 'https://example.com' } }],
    });
    await expect(readUploadRequest({ text, path: null, source: 'c.json' })).rejects.toThrow(/no request with a form-data body/);
  });
});

describe('copies without a body', () => {
  it('fetch without body, PowerShell without -Body: exit-2 errors saying "no request body"', async () => {
    const f = form('s3');
    const fetchText = copyAsFetch(f, 'browser').replace(/"body": "(?:[^"\\]|\\.)*",\n/, '');
    const e1 = await read(fetchText).catch((x: unknown) => x);
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as InputError).oneLine()).toMatch(/no request body/);
    const ps = copyAsPowerShell(f).replace(/ `\n-Body .*$/s, '');
    const e2 = await read(ps).catch((x: unknown) => x);
    expect(e2).toBeInstanceOf(InputError);
    expect((e2 as InputError).oneLine()).toMatch(/no request body/);
  });

  it('a DevTools HAR without postData names the entry', async () => {
    await expect(read(devtoolsHar(form('gcs'), { postData: false }), 'u.har')).rejects.toThrow(/HAR entry 1 \(log\.entries\[0\]\): no request body/);
  });
});

/** A HAR entry in the shape a given writer produces (see test/fixtures/captures/real/har/*.source.md). */
function harOf(creator: string, f: Form, text: string | null, o: { contentLength?: number; encoding?: string; content?: string } = {}): string {
  const headers = [
    { name: 'Content-Type', value: `multipart/form-data; boundary=${BOUNDARY}` },
    { name: 'Origin', value: 'http://localhost:5173' },
  ];
  if (o.contentLength !== undefined) headers.push({ name: 'Content-Length', value: String(o.contentLength) });
  const request: Record<string, unknown> = { method: 'POST', url: f.url, httpVersion: 'HTTP/1.1', headers, queryString: [], cookies: [], headersSize: -1, bodySize: 0 };
  if (text !== null) request.postData = { mimeType: `multipart/form-data; boundary=${BOUNDARY}`, params: [], text, ...(o.encoding ? { encoding: o.encoding } : {}) };
  if (o.content !== undefined) request._content = { text: o.content, encoding: 'base64' };
  return JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '1' }, entries: [{ request, response: { status: 204, headers: [] } }] } });
}

describe('HAR writers other than Chromium: the bytes sent, recovered from the text', () => {
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);
  const f = form('s3', { maxSize: 10 });
  f.file.bytes = binary;
  const wire = Buffer.concat([
    Buffer.from(multipart(f, false).replace('Content-Type: image/png\r\n\r\n\r\n', 'Content-Type: image/png\r\n\r\n'), 'latin1').subarray(0, 0),
    Buffer.from(multipart(f, true), 'latin1'),
  ]);

  it('Firefox, invalid UTF-8 kept one character per byte, with Content-Length: exact size, the size error predicted', async () => {
    const r = await check(await read(harOf('Firefox', f, wire.toString('latin1'), { contentLength: wire.length })), { provider: 's3', now: NOW, secret: SECRET });
    expect(r.request.file).toMatchObject({ size: binary.length, sizeSource: 'bytes' });
    expect(r.findings.some((x) => x.predicts?.rule === 's3.post.entity-too-large')).toBe(true);
    expect(r.signature?.valid).toBe(true);
  });

  it('Firefox without Content-Length: binary (C1 controls) kept byte for byte is read exactly', async () => {
    const req = await read(harOf('Firefox', f, wire.toString('latin1')));
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: binary.length, sizeSource: 'bytes' });
  });

  it('Firefox without Content-Length: Latin-1-range text that could be either reading makes the size unknown', async () => {
    const g = form('s3');
    g.file.bytes = Buffer.from([0xe9, 0x74, 0xe9]); // "été" in Latin-1: not UTF-8, no C1 control
    const req = await read(harOf('Firefox', g, Buffer.from(multipart(g, true), 'latin1').toString('latin1')));
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: null, sizeSource: 'unknown' });
    expect(req.notes.map((n) => n.id)).toContain('input.body-re-encoded');
  });

  it('mitmproxy (multipart always decoded as Latin-1): exact size without a Content-Length', async () => {
    const req = await read(harOf('mitmproxy', f, wire.toString('latin1')));
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: binary.length, sizeSource: 'bytes' });
  });

  it('postData.encoding base64 (Reqable) and request._content (HTTP Toolkit): the bytes decoded', async () => {
    for (const text of [harOf('Reqable', f, wire.toString('base64'), { encoding: 'base64' }), harOf('HTTP Toolkit', f, null, { content: wire.toString('base64') })]) {
      const req = await read(text);
      expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: binary.length, sizeSource: 'bytes' });
      expect(req.parts.filter((p) => p.kind === 'field').map((p) => p.name)).toEqual(f.fields.map(([k]) => k));
    }
  });

  it("a body cut by the capture tool (no closing boundary, shorter than Content-Length) is the capture's fault, not a body error", async () => {
    const text = wire.toString('latin1').slice(0, wire.length - 30);
    const r = await check(await read(harOf('Firefox', f, text, { contentLength: wire.length })), { provider: 's3', now: NOW, secret: SECRET });
    expect(r.findings.map((x) => x.id)).toContain('input.body-truncated');
    expect(r.findings.map((x) => x.id)).not.toContain('body.no-closing-delimiter');
    expect(r.findings.filter((x) => x.severity === 'error').map((x) => x.id)).toEqual([]);
  });

  it('Firefox "Request bodies are not included": no request body', async () => {
    const har = JSON.parse(harOf('Firefox', f, '')) as { log: { entries: Array<{ request: { postData: Record<string, unknown> } }> } };
    har.log.entries[0]!.request.postData.comment = 'Request bodies are not included.';
    await expect(read(JSON.stringify(har), 'ff.har')).rejects.toThrow(/no request body/);
  });
});

describe('HAR with params only (Fiddler, browsermob-proxy)', () => {
  it('a "(binary)" value stands for the file: a file part of unknown size, never a field', async () => {
    const f = form('s3');
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Fiddler', version: '5' },
        entries: [
          {
            request: {
              method: 'POST',
              url: f.url,
              headers: [{ name: 'Content-Type', value: `multipart/form-data; boundary=${BOUNDARY}` }],
              postData: { mimeType: `multipart/form-data; boundary=${BOUNDARY}`, params: [...f.fields.map(([name, value]) => ({ name, value })), { name: 'file', value: '(binary)' }] },
            },
            response: { status: 204 },
          },
        ],
      },
    };
    const req = await read(JSON.stringify(har));
    expect(req.parts.at(-1)).toMatchObject({ kind: 'file', name: 'file', size: null });
    const r = await check(req, { provider: 's3', now: NOW, secret: SECRET });
    expect(r.signature?.valid).toBe(true);
    expect(r.findings.filter((x) => x.severity === 'error').map((x) => x.id)).toEqual([]);
  });
});
