// Issue 13: HARs as browsers really record them. A HAR without the request body is never judged
// as an empty form; a DevTools HAR that kept the multipart text but left the file's bytes out
// gets the file's size from Content-Length, said to be inferred; without a Content-Length the
// size is unknown, never zero. (The HARs here are built in the shapes Chromium writes them;
// test/browser records real ones.)
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { InputError } from '../../src/core/errors.js';
import { readUploadRequest } from '../../src/input/index.js';
import { sign } from '../../src/sign/index.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const B = '----WebKitFormBoundaryAbC123';

function form(maxSize: number) {
  return sign({
    provider: 's3',
    bucket: 'examplebucket',
    region: 'eu-central-1',
    key: 'a.bin',
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    now: NOW,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secret: SECRET,
    minSize: 1,
    maxSize,
  });
}

/** The multipart text DevTools keeps: every field, the file part with its bytes left out. */
function multipartText(fields: Array<[string, string]>): string {
  let t = '';
  for (const [k, v] of fields) t += `--${B}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  t += `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--${B}--\r\n`;
  return t;
}

function har(url: string, postData: unknown, headers: Array<[string, string]>): string {
  const request: Record<string, unknown> = {
    method: 'POST',
    url,
    httpVersion: 'HTTP/1.1',
    headers: [['Content-Type', `multipart/form-data; boundary=${B}`], ...headers].map(([name, value]) => ({ name, value })),
  };
  if (postData !== undefined) request.postData = postData;
  return JSON.stringify({ log: { version: '1.2', entries: [{ request, response: { status: 204 } }] } });
}

describe('HAR captures', () => {
  it('no postData: exit-2 input error naming the entry and "no request body"', async () => {
    const f = form(100);
    const src = { text: har(f.url, undefined, [['Origin', 'http://localhost:5173']]), path: null, source: 'upload.har' };
    const e = await readUploadRequest(src).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).oneLine()).toMatch(/^upload\.har.*HAR entry 1 \(log\.entries\[0\]\): no request body/);
    expect((e as InputError).oneLine()).not.toContain('\n');
    const empty = { text: har(f.url, { mimeType: `multipart/form-data; boundary=${B}`, text: '' }, []), path: null, source: 'upload.har' };
    await expect(readUploadRequest(empty)).rejects.toThrow(/no request body/);
  });

  it('file bytes left out, Content-Length known: the size is inferred and judged against the policy', async () => {
    const f = form(100);
    const text = multipartText(f.fields);
    const length = Buffer.byteLength(text) + 5000;
    const req = await readUploadRequest({ text: har(f.url, { mimeType: `multipart/form-data; boundary=${B}`, text }, [['Content-Length', String(length)]]), path: null, source: 'x.har' });
    const file = req.parts.find((p) => p.kind === 'file')!;
    expect(file).toMatchObject({ size: 5000, sizeSource: 'content-length' });
    const r = await check(req, { provider: 's3', now: NOW, secret: SECRET });
    expect(r.request.file).toMatchObject({ size: 5000, sizeSource: 'content-length' });
    expect(r.findings.some((x) => x.predicts?.rule === 's3.post.entity-too-large')).toBe(true);
  });

  it('file bytes left out, no Content-Length: the size is unknown, and no EntityTooSmall is predicted', async () => {
    const f = form(100);
    const req = await readUploadRequest({ text: har(f.url, { mimeType: `multipart/form-data; boundary=${B}`, text: multipartText(f.fields) }, []), path: null, source: 'x.har' });
    expect(req.parts.find((p) => p.kind === 'file')).toMatchObject({ size: null, sizeSource: 'unknown' });
    const r = await check(req, { provider: 's3', now: NOW, secret: SECRET });
    expect(r.findings.some((x) => x.predicts?.rule === 's3.post.entity-too-small')).toBe(false);
    expect(r.findings.some((x) => x.predicts?.rule === 's3.post.entity-too-large')).toBe(false);
  });
});
