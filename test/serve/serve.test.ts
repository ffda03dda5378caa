// The sandbox bucket over real HTTP (no browser): every outcome of a POST upload, CORS,
// the live view and robustness. Answers are compared with what `check` predicts for the same
// request and read back with `explain`, so the wording is the knowledge base's.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '../../src/core/types.js';
import { explain } from '../../src/explain/index.js';
import { LIVE_API, storePath } from '../../src/serve/index.js';
import { AK, BUCKET, SECRET, formData, post, responseText, sandboxesClosedAfterEach, signedForm, startSandbox, xmlElement, type Running } from './helpers.js';

const PROVIDERS: ProviderId[] = ['cos', 'oss', 's3', 'gcs'];
const REQUEST_ID_HEADER: Record<ProviderId, string> = { cos: 'x-cos-request-id', oss: 'x-oss-request-id', s3: 'x-amz-request-id', gcs: 'x-guploader-uploadid' };

const sandbox = sandboxesClosedAfterEach(afterEach);

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The refusal is the provider's: explain reads it back as the entry the cause predicted. */
function expectExplained(provider: ProviderId, reply: { status: number; headers: Headers; body: string }, rule: string): void {
  const ex = explain(responseText(reply));
  expect(ex.provider).toBe(provider);
  expect(ex.matches.map((m) => m.rule)).toContain(rule);
}

describe('serve: accepted uploads', () => {
  it.each(PROVIDERS)('%s: a good form gets 204 with ETag (MD5 of the file), request id and Server headers', async (provider) => {
    const s = await sandbox(provider);
    const content = `content for ${provider}\n`;
    const r = await post(s.endpoint, formData(signedForm(provider, s.endpoint), { content }));
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect(r.headers.get('etag')).toBe(`"${md5(content)}"`);
    expect(r.headers.get(REQUEST_ID_HEADER[provider])).toMatch(/\S{8,}/);
    expect(r.headers.get('server') ?? '').not.toBe('');
    const d = s.diags.at(-1)!;
    expect(d).toMatchObject({ verdict: 'accepted', status: 204, key: 'uploads/photo.txt', etag: `"${md5(content)}"` });
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('success_action_status 201 answers the PostResponse document; 200 answers empty', async () => {
    const s = await sandbox('s3');
    const form = signedForm('s3', s.endpoint, { fields: [['success_action_status', '201']] });
    const r = await post(s.endpoint, formData(form, { content: 'abc' }));
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/xml/);
    expect(xmlElement(r.body, 'Bucket')).toBe(BUCKET.s3);
    expect(xmlElement(r.body, 'Key')).toBe('uploads/photo.txt');
    expect(xmlElement(r.body, 'ETag')).toBe(`"${md5('abc')}"`);
    expect(xmlElement(r.body, 'Location')).toBe(`${s.endpoint}/uploads/photo.txt`);
    expect(r.body).toMatch(/^<\?xml[^>]*\?>\s*<PostResponse>/);

    const form200 = signedForm('s3', s.endpoint, { fields: [['success_action_status', '200']] });
    const r200 = await post(s.endpoint, formData(form200));
    expect(r200.status).toBe(200);
    expect(r200.body).toBe('');
  });

  it('success_action_redirect answers 303 with bucket, key and quoted ETag in the Location', async () => {
    const s = await sandbox('cos');
    const form = signedForm('cos', s.endpoint, { fields: [['success_action_redirect', 'http://app.example/done?x=1']] });
    const r = await post(s.endpoint, formData(form, { content: 'xyz', key: 'uploads/a b.txt' }));
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('http://app.example/done');
    expect(loc.searchParams.get('x')).toBe('1');
    expect(loc.searchParams.get('bucket')).toBe(BUCKET.cos);
    expect(loc.searchParams.get('key')).toBe('uploads/a b.txt');
    expect(loc.searchParams.get('etag')).toBe(`"${md5('xyz')}"`);
    expect(r.headers.get('location')).toContain(`etag=%22${md5('xyz')}%22`);
  });

  it('${filename} in the key is replaced by the file name; --store keeps the file under its key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-store-'));
    try {
      const s = await sandbox('oss', { store: dir });
      const form = signedForm('oss', s.endpoint, { key: 'uploads/${filename}', keyPrefix: undefined });
      const r = await post(s.endpoint, formData(form, { key: 'uploads/${filename}', filename: 'cat.txt', content: 'meow' }));
      expect(r.status).toBe(204);
      expect(readFileSync(join(dir, 'uploads', 'cat.txt'), 'utf8')).toBe('meow');
      const d = s.diags.at(-1)!;
      expect(d.key).toBe('uploads/cat.txt');
      expect(d.stored).toBe(join(dir, 'uploads', 'cat.txt'));
      expect(d.findings.some((f) => f.id === 'serve.stored')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without --store nothing is kept and the temporary body is removed', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pd-tmp-'));
    try {
      const s = await sandbox('s3', { tmpDir: tmp });
      const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint)));
      expect(r.status).toBe(204);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('storePath never leaves the store directory, and distinct keys get distinct paths', () => {
    expect(storePath('/srv/store', '../../etc/passwd')).toBe('/srv/store/%2E%2E/%2E%2E/etc/passwd');
    expect(storePath('/srv/store', '/a//b/./c')).toBe('/srv/store/%/a/%/b/%2E/c');
    expect(storePath('/srv/store', 'a/b/c')).toBe('/srv/store/a/b/c');
    expect(storePath('/srv/store', '')).toBe('/srv/store/%');
  });
});

describe('serve: refusals are the provider answers check predicts', () => {
  const cases: Array<{ name: string; provider: ProviderId; make: (s: Running) => FormData; now?: Date; secret?: string; cause: RegExp; code: string; status: number }> = [
    { name: 'S3 expired policy', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint)), now: new Date('2030-03-01T12:00:00Z'), cause: /^(policy|time)\.expired$/, code: 'AccessDenied', status: 403 },
    { name: 'S3 key outside the allowed prefix', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint), { key: 'other/photo.txt' }), cause: /condition/, code: 'AccessDenied', status: 403 },
    { name: 'S3 field missing from the policy', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint), { extra: [['Content-Type', 'text/plain']] }), cause: /extra|not-in-policy|policy/, code: 'AccessDenied', status: 403 },
    { name: 'S3 bad signature', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint, { secret: 'another-secret-entirely-0000' })), cause: /^signature\./, code: 'SignatureDoesNotMatch', status: 403 },
    { name: 'S3 file not last', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint), { after: ['x-amz-signature'] }), cause: /./, code: 'InvalidArgument', status: 400 },
    { name: 'COS expired policy', provider: 'cos', make: (s) => formData(signedForm('cos', s.endpoint)), now: new Date('2030-03-02T12:00:00Z'), cause: /expired/, code: 'AccessDenied', status: 403 },
    { name: 'COS key outside the allowed prefix', provider: 'cos', make: (s) => formData(signedForm('cos', s.endpoint), { key: 'other/photo.txt' }), cause: /key|condition/, code: 'AccessDenied', status: 403 },
    { name: 'COS bad signature', provider: 'cos', make: (s) => formData(signedForm('cos', s.endpoint, { secret: 'another-secret-entirely-0000' })), cause: /^signature\./, code: 'SignatureDoesNotMatch', status: 403 },
    { name: 'OSS key outside the allowed prefix', provider: 'oss', make: (s) => formData(signedForm('oss', s.endpoint), { key: 'other/photo.txt' }), cause: /./, code: 'AccessDenied', status: 403 },
    { name: 'OSS bad signature', provider: 'oss', make: (s) => formData(signedForm('oss', s.endpoint, { secret: 'another-secret-entirely-0000' })), cause: /^signature\./, code: 'AccessDenied', status: 403 },
    { name: 'GCS field missing from the policy', provider: 'gcs', make: (s) => formData(signedForm('gcs', s.endpoint), { extra: [['submit', 'Upload']] }), cause: /./, code: 'InvalidPolicyDocument', status: 400 },
  ];

  it.each(cases)('$name', async (c) => {
    const s = await sandbox(c.provider, c.now ? { now: c.now } : {});
    const r = await post(s.endpoint, c.make(s));
    const d = s.diags.at(-1)!;
    expect(d.verdict).toBe('refused');
    expect(d.cause).toMatch(c.cause);
    const cause = d.findings.find((f) => f.id === d.cause)!;
    expect(cause.answer).not.toBeNull();
    // the wire answer is exactly the predicted one
    expect(r.status).toBe(c.status);
    expect(r.status).toBe(cause.answer!.status);
    expect(xmlElement(r.body, 'Code')).toBe(c.code);
    expect(xmlElement(r.body, 'Code')).toBe(cause.answer!.code);
    expect(xmlElement(r.body, 'Message') ?? '').toBe(d.message ?? '');
    expect(r.headers.get(REQUEST_ID_HEADER[c.provider])).toBe(xmlElement(r.body, 'RequestId') ?? r.headers.get(REQUEST_ID_HEADER[c.provider]));
    expectExplained(c.provider, r, cause.answer!.rule);
    // nothing is stored for a refusal
    expect(d.etag).toBeNull();
  });

  it('the error document has the provider shape', async () => {
    const shapes: Record<ProviderId, string[]> = {
      cos: ['Code', 'Message', 'Resource', 'RequestId', 'TraceId'],
      oss: ['Code', 'Message', 'RequestId', 'HostId'],
      s3: ['Code', 'Message', 'RequestId', 'HostId'],
      gcs: ['Code', 'Message'],
    };
    for (const provider of PROVIDERS) {
      const s = await sandbox(provider, { secret: 'a-different-secret-0000000000' });
      const r = await post(s.endpoint, formData(signedForm(provider, s.endpoint)));
      expect(r.status, provider).toBe(403);
      expect(r.body).toMatch(/^<\?xml[^>]*\?>\s*<Error>/);
      const names = [...r.body.matchAll(/<(\w+)>/g)].map((m) => m[1]).filter((n) => n !== 'Error');
      for (const n of shapes[provider]) expect(names, `${provider} ${n}`).toContain(n);
      expect(names.indexOf('Code')).toBeLessThan(names.indexOf('Message'));
    }
  });

  it('S3 EntityTooLarge carries ProposedSize and MaxSizeAllowed', async () => {
    const s = await sandbox('s3');
    const form = signedForm('s3', s.endpoint, { maxSize: 5 });
    const r = await post(s.endpoint, formData(form, { content: '0123456789' }));
    expect(r.status).toBe(400);
    expect(xmlElement(r.body, 'Code')).toBe('EntityTooLarge');
    expect(xmlElement(r.body, 'ProposedSize')).toBe('10');
    expect(xmlElement(r.body, 'MaxSizeAllowed')).toBe('5');
  });

  it('OSS errors carry the EC code in the body and the x-oss-ec header when the entry has one', async () => {
    const s = await sandbox('oss', { now: new Date('2030-03-02T12:00:00Z') });
    const r = await post(s.endpoint, formData(signedForm('oss', s.endpoint)));
    expect(r.status).toBe(403);
    const ec = xmlElement(r.body, 'EC');
    expect(r.headers.get('x-oss-ec')).toBe(ec);
    if (ec) expect(ec).toMatch(/^\d{4}-\d{8}$/);
  });

  it('a body that is not multipart gets the provider answer for it', async () => {
    const s = await sandbox('s3');
    const r = await post(s.endpoint, 'just text', { 'content-type': 'text/plain' });
    expect(r.status).toBe(412);
    expect(xmlElement(r.body, 'Code')).toBe('PreconditionFailed');
    expect(s.diags.at(-1)!.verdict).toBe('refused');
  });

  it('posting to another bucket gets NoSuchBucket; posting to an object URL gets MethodNotAllowed', async () => {
    const s = await sandbox('s3');
    const form = signedForm('s3', s.endpoint);
    const r1 = await post(`${s.url}other-bucket`, formData(form));
    expect(r1.status).toBe(404);
    expect(xmlElement(r1.body, 'Code')).toBe('NoSuchBucket');
    expect(s.diags.at(-1)!.cause).toBe('serve.wrong-bucket');
    const r2 = await post(`${s.endpoint}/uploads/photo.txt`, formData(form));
    expect(r2.status).toBe(405);
    expect(xmlElement(r2.body, 'Code')).toBe('MethodNotAllowed');
    expect(s.diags.at(-1)!.cause).toBe('serve.post-to-object-url');
  });

  it('other methods get MethodNotAllowed', async () => {
    const s = await sandbox('cos');
    const r = await fetch(`${s.url}some/key`, { method: 'PUT', body: 'x' });
    expect(r.status).toBe(405);
    expect(xmlElement(await r.text(), 'Code')).toBe('MethodNotAllowed');
    expect(s.diags.at(-1)!.findings[0]!.id).toBe('serve.method-not-allowed');
  });
});

describe('serve: CORS', () => {
  const page = 'http://app.localhost:5173';

  function preflight(url: string, origin: string | null, method = 'POST', headers = 'x-custom'): Promise<{ status: number; headers: Headers; body: string }> {
    const h: Record<string, string> = { 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers };
    if (origin) h.Origin = origin;
    return fetch(url, { method: 'OPTIONS', headers: h }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));
  }

  it('an allowed origin gets the preflight headers and exposed ETag / Date on the upload', async () => {
    const s = await sandbox('cos', { corsOrigins: [page] });
    const p = await preflight(s.endpoint, page);
    expect(p.status).toBe(200);
    expect(p.headers.get('access-control-allow-origin')).toBe(page);
    expect(p.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(p.headers.get('access-control-allow-headers')).toBe('x-custom');
    expect(s.diags.at(-1)!.verdict).toBe('allowed');

    const r = await post(s.endpoint, formData(signedForm('cos', s.endpoint)), { Origin: page, 'Sec-Fetch-Mode': 'cors' });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(page);
    const exposed = (r.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Date', 'x-cos-request-id']));
  });

  it('"*" and wildcard origins', async () => {
    const s = await sandbox('s3', { corsOrigins: ['http://*.example.test'] });
    expect((await preflight(s.endpoint, 'http://a.example.test')).status).toBe(200);
    expect((await preflight(s.endpoint, 'http://example.org')).status).toBe(403);
    const any = await sandbox('s3', { corsOrigins: ['*'] });
    const p = await preflight(any.endpoint, 'http://whatever.test');
    expect(p.status).toBe(200);
    expect(p.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each([
    ['oss', 'oss.cors.not-allowed'],
    ['cos', 'cos.403.access-forbidden'],
  ] as const)('%s: a preflight from an origin not allowed gets the provider CORS refusal', async (provider, rule) => {
    const s = await sandbox(provider, { corsOrigins: ['http://good.test'] });
    const p = await preflight(s.endpoint, 'http://evil.test');
    expect(p.status).toBe(403);
    expect(p.headers.get('access-control-allow-origin')).toBeNull();
    const d = s.diags.at(-1)!;
    expect(d).toMatchObject({ kind: 'preflight', verdict: 'refused', cause: 'serve.cors-origin-not-allowed' });
    expect(d.findings[0]!.answer!.rule).toBe(rule);
    expect(d.findings[0]!.title).toContain('http://evil.test');
    expectExplained(provider, p, rule);
  });

  it('a cross-origin fetch upload from an origin not allowed is refused, with the form findings too', async () => {
    const s = await sandbox('oss', { corsOrigins: [] });
    const r = await post(s.endpoint, formData(signedForm('oss', s.endpoint), { key: 'other/x.txt' }), { Origin: 'http://evil.test', 'Sec-Fetch-Mode': 'cors' });
    expect(r.status).toBe(403);
    expect(xmlElement(r.body, 'Code')).toBe('AccessForbidden');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const d = s.diags.at(-1)!;
    expect(d.cause).toBe('serve.cors-origin-not-allowed');
    expect(d.findings.length).toBeGreaterThan(1);
  });

  it('a form submission (navigation) is not subject to CORS', async () => {
    const s = await sandbox('s3', { corsOrigins: [] });
    // fetch() sets Sec-Fetch-Mode itself: send the browser's navigation headers by hand
    const fd = formData(signedForm('s3', s.endpoint));
    const probe = new Request(s.endpoint, { method: 'POST', body: fd });
    const body = Buffer.from(await probe.arrayBuffer());
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(s.endpoint, { method: 'POST', headers: { 'content-type': probe.headers.get('content-type')!, origin: 'http://other.test', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(204);
    expect(s.diags.at(-1)!.origin).toBe('http://other.test');
  });

  it('a preflight without Origin is refused with a finding naming what is missing', async () => {
    const s = await sandbox('oss', { corsOrigins: ['*'] });
    const p = await preflight(s.endpoint, null);
    expect(p.status).toBe(403);
    expect(s.diags.at(-1)!.cause).toBe('serve.cors-preflight-incomplete');
    expect(s.diags.at(-1)!.findings[0]!.detail).toContain('Origin');
  });
});

describe('serve: live view and secrets', () => {
  it('GET / is a self-contained page; the request list is JSON with secrets masked', async () => {
    const s = await sandbox('s3');
    const form = signedForm('s3', s.endpoint, { secret: 'another-secret-entirely-0000' });
    await post(s.endpoint, formData(form));
    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<title>');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const j = (await (await fetch(`${s.url}${LIVE_API.slice(1)}`)).json()) as { requests: Array<{ id: number; findings: unknown[] }> };
    expect(j.requests).toHaveLength(1);
    const text = JSON.stringify(j);
    const sig = form.fields.find(([k]) => k === 'x-amz-signature')![1];
    expect(text).not.toContain(sig);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(AK.s3);
    const after = (await (await fetch(`${s.url}${LIVE_API.slice(1)}?after=${j.requests[0]!.id}`)).json()) as { requests: unknown[] };
    expect(after.requests).toEqual([]);
  });

  it('history is bounded', async () => {
    const s = await sandbox('cos', { history: 3 });
    for (let i = 0; i < 5; i++) await fetch(s.url + 'x', { method: 'DELETE' });
    expect(s.sb.diagnoses().map((d) => d.id)).toEqual([3, 4, 5]);
  });
});

describe('serve: robustness', () => {
  it('a body over --max-body is refused as too large, and the server keeps serving', async () => {
    const s = await sandbox('s3', { maxBody: 2048 });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { content: 'x'.repeat(10_000) })).catch((e: Error) => e);
    if (!(r instanceof Error)) {
      expect(r.status).toBe(400);
      expect(xmlElement(r.body, 'Code')).toBe('EntityTooLarge');
    }
    expect(s.diags.at(-1)!.cause).toBe('serve.body-too-large');
    // streamed without Content-Length (chunked): stopped at the limit too
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(s.endpoint, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('y'.repeat(1000));
      req.end();
    }).catch(() => -1);
    expect([400, -1]).toContain(chunked);
    const ok = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { content: 'small' }));
    expect(ok.status).toBe(204);
  });

  it('garbage on the socket and truncated bodies never crash it', async () => {
    const s = await sandbox('oss');
    const port = Number(new URL(s.url).port);
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.end('NOT HTTP AT ALL\r\n\r\n'));
      sock.on('data', () => undefined);
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 1000\r\n\r\n--zz\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc');
        setTimeout(() => sock.destroy(), 100);
      });
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
    const r = await post(s.endpoint, '--b\r\nbroken', { 'content-type': 'multipart/form-data; boundary=b' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(xmlElement(r.body, 'Code') ?? '').toMatch(/^[A-Za-z]+$/);
    const ok = await post(s.endpoint, formData(signedForm('oss', s.endpoint)));
    expect(ok.status).toBe(204);
  });

  it('close() ends keep-alive connections and stops listening', async () => {
    const s = await startSandbox('gcs');
    await post(s.endpoint, formData(signedForm('gcs', s.endpoint)));
    await s.close();
    await expect(fetch(s.url)).rejects.toThrow();
  });
});
