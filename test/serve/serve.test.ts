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
import { explain } from '../../src/explain/index.js';
import { COS_NOT_ALLOWED, OBS_NOT_ALLOWED, OBS_NOT_ENABLED, OSS_NOT_ALLOWED, S3_NOT_ALLOWED, S3_NOT_ENABLED, diagnoseCors, parseCorsConfig } from '../../src/cors/index.js';
import { renderFinding } from '../../src/core/catalogue.js';
import { LIVE_API, SandboxBucket, scriptHeaders, storePath, terminalLines } from '../../src/serve/index.js';
import { AK, BUCKET, SECRET, formData, jsonError, post, responseText, sandboxesClosedAfterEach, signedForm, startSandbox, xmlElement, type Running, type SandboxProvider } from './helpers.js';

const PROVIDERS: SandboxProvider[] = ['cos', 'oss', 's3', 'gcs', 'obs', 'tos'];
const REQUEST_ID_HEADER: Record<SandboxProvider, string> = {
  cos: 'x-cos-request-id',
  oss: 'x-oss-request-id',
  s3: 'x-amz-request-id',
  gcs: 'x-guploader-uploadid',
  obs: 'x-obs-request-id',
  tos: 'x-tos-request-id',
};

const sandbox = sandboxesClosedAfterEach(afterEach);

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The refusal is the provider's: explain reads it back as the entry the cause predicted. */
function expectExplained(provider: SandboxProvider, reply: { status: number; headers: Headers; body: string }, rule: string): void {
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
  const cases: Array<{ name: string; provider: SandboxProvider; make: (s: Running) => FormData; now?: Date; secret?: string; cause: RegExp; code: string; status: number }> = [
    {
      name: 'S3 expired policy',
      provider: 's3',
      make: (s) => formData(signedForm('s3', s.endpoint)),
      now: new Date('2030-03-01T12:00:00Z'),
      cause: /^(policy|time)\.expired$/,
      code: 'AccessDenied',
      status: 403,
    },
    {
      name: 'S3 key outside the allowed prefix',
      provider: 's3',
      make: (s) => formData(signedForm('s3', s.endpoint), { key: 'other/photo.txt' }),
      cause: /condition/,
      code: 'AccessDenied',
      status: 403,
    },
    {
      name: 'S3 field missing from the policy',
      provider: 's3',
      make: (s) => formData(signedForm('s3', s.endpoint), { extra: [['Content-Type', 'text/plain']] }),
      cause: /extra|not-in-policy|policy/,
      code: 'AccessDenied',
      status: 403,
    },
    {
      name: 'S3 bad signature',
      provider: 's3',
      make: (s) => formData(signedForm('s3', s.endpoint, { secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      code: 'SignatureDoesNotMatch',
      status: 403,
    },
    { name: 'S3 file not last', provider: 's3', make: (s) => formData(signedForm('s3', s.endpoint), { after: ['x-amz-signature'] }), cause: /./, code: 'InvalidArgument', status: 400 },
    { name: 'COS expired policy', provider: 'cos', make: (s) => formData(signedForm('cos', s.endpoint)), now: new Date('2030-03-02T12:00:00Z'), cause: /expired/, code: 'AccessDenied', status: 403 },
    {
      name: 'COS key outside the allowed prefix',
      provider: 'cos',
      make: (s) => formData(signedForm('cos', s.endpoint), { key: 'other/photo.txt' }),
      cause: /key|condition/,
      code: 'AccessDenied',
      status: 403,
    },
    {
      name: 'COS bad signature',
      provider: 'cos',
      make: (s) => formData(signedForm('cos', s.endpoint, { secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      code: 'SignatureDoesNotMatch',
      status: 403,
    },
    { name: 'OSS key outside the allowed prefix', provider: 'oss', make: (s) => formData(signedForm('oss', s.endpoint), { key: 'other/photo.txt' }), cause: /./, code: 'AccessDenied', status: 403 },
    {
      name: 'OSS bad signature',
      provider: 'oss',
      make: (s) => formData(signedForm('oss', s.endpoint, { secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      code: 'AccessDenied',
      status: 403,
    },
    {
      name: 'GCS field missing from the policy',
      provider: 'gcs',
      make: (s) => formData(signedForm('gcs', s.endpoint), { extra: [['submit', 'Upload']] }),
      cause: /./,
      code: 'InvalidPolicyDocument',
      status: 400,
    },
    {
      name: 'OBS bad signature',
      provider: 'obs',
      make: (s) => formData(signedForm('obs', s.endpoint, { secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      code: 'SignatureDoesNotMatch',
      status: 403,
    },
    {
      name: 'OBS S3-compatible V4 form, bad signature',
      provider: 'obs',
      make: (s) => formData(signedForm('obs', s.endpoint, { signatureVersion: 'v4', secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      code: 'SignatureDoesNotMatch',
      status: 403,
    },
    // OBS documents the code of this answer (its error-code table), not its wording: an empty <Message>
    {
      name: 'OBS file over content-length-range',
      provider: 'obs',
      make: (s) => formData(signedForm('obs', s.endpoint, { maxSize: 5 }), { content: '0123456789' }),
      cause: /^file\.too-large$/,
      code: 'EntityTooLarge',
      status: 400,
    },
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
    const shapes: Record<SandboxProvider, string[]> = {
      cos: ['Code', 'Message', 'Resource', 'RequestId', 'TraceId'],
      oss: ['Code', 'Message', 'RequestId', 'HostId'],
      s3: ['Code', 'Message', 'RequestId', 'HostId'],
      gcs: ['Code', 'Message'],
      obs: ['Code', 'Message', 'RequestId', 'HostId'],
      tos: [],
    };
    // TOS answers in JSON (below)
    for (const provider of PROVIDERS.filter((p) => p !== 'tos')) {
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

describe('serve: OBS and TOS answers', () => {
  // OBS's answer to an expired policy is not documented: check predicts none, so serve has no
  // answer to give and stores the upload, the finding saying the answer is unknown (as GCS used to).
  it('obs: an expired policy is found with no documented answer; serve refuses it with its own, marked code', async () => {
    const s = await sandbox('obs', { now: new Date('2030-03-02T12:00:00Z') });
    const r = await post(s.endpoint, formData(signedForm('obs', s.endpoint)));
    const d = s.diags.at(-1)!;
    expect(r.status).toBe(403);
    expect(xmlElement(r.body, 'Code')).toBe('UndocumentedRefusal');
    expect(xmlElement(r.body, 'Message')).toMatch(/sandbox.*not documented/);
    expect(d.verdict).toBe('refused');
    const expired = d.findings.filter((f) => f.severity === 'error');
    expect(expired.map((f) => [f.id, f.answer])).toEqual([['time.expired', null]]);
  });

  it('obs: the error document is OBS XML with Server: OBS, x-obs-request-id (32 hex digits, time first) and x-obs-id-2', async () => {
    const s = await sandbox('obs', { secret: 'a-different-secret-0000000000' });
    const before = Date.now();
    const r = await post(s.endpoint, formData(signedForm('obs', s.endpoint)));
    expect(r.status).toBe(403);
    expect(r.headers.get('server')).toBe('OBS');
    const rid = r.headers.get('x-obs-request-id')!;
    expect(rid).toMatch(/^[0-9A-F]{32}$/);
    expect(Number.parseInt(rid.slice(0, 16), 16)).toBeGreaterThanOrEqual(before - 1000);
    expect(xmlElement(r.body, 'RequestId')).toBe(rid);
    expect(r.headers.get('x-obs-id-2')).toBe(xmlElement(r.body, 'HostId'));
    const ex = explain(responseText(r));
    expect(ex.provider).toBe('obs');
    expect(ex.matches[0]?.rule).toBe('obs.post.signature-mismatch');
  });

  // TOS answers in JSON; where the knowledge base documents only the EC, the document carries the
  // EC (body and x-tos-ec) and no Code or Message, and the status is serve's stand-in (400) when
  // none is documented.
  const tosCases: Array<{ name: string; make: (s: Running) => FormData; now?: Date; cause: RegExp; rule: string; status: number; code: string | null; ec: string | null }> = [
    {
      name: 'bad signature',
      make: (s) => formData(signedForm('tos', s.endpoint, { secret: 'another-secret-entirely-0000' })),
      cause: /^signature\./,
      rule: 'tos.post.signature-mismatch',
      status: 403,
      code: 'SignatureDoesNotMatch',
      ec: null,
    },
    {
      name: 'expired policy',
      make: (s) => formData(signedForm('tos', s.endpoint)),
      now: new Date('2030-03-02T12:00:00Z'),
      cause: /^time\.expired$/,
      rule: 'tos.post.policy-expired',
      status: 403,
      code: null,
      ec: '0017-00000407',
    },
    {
      name: 'key outside the allowed prefix',
      make: (s) => formData(signedForm('tos', s.endpoint), { key: 'other/photo.txt' }),
      cause: /^tos\.condition-failed$/,
      rule: 'tos.post.condition-failed',
      status: 403,
      code: null,
      ec: '0017-00000416',
    },
    {
      name: 'a field the policy does not name',
      make: (s) => formData(signedForm('tos', s.endpoint), { extra: [['x-tos-meta-extra', '1']] }),
      cause: /^tos\.field-not-in-policy$/,
      rule: 'tos.post.field-not-in-policy',
      status: 400,
      code: null,
      ec: '0017-00000417',
    },
    {
      name: 'file over content-length-range',
      make: (s) => formData(signedForm('tos', s.endpoint, { maxSize: 5 }), { content: '0123456789' }),
      cause: /^file\.too-large$/,
      rule: 'tos.post.size-out-of-range',
      status: 400,
      code: null,
      ec: '0005-00000030',
    },
  ];

  it.each(tosCases)('tos: $name gets the JSON answer check predicts', async (c) => {
    const s = await sandbox('tos', c.now ? { now: c.now } : {});
    const r = await post(s.endpoint, c.make(s));
    const d = s.diags.at(-1)!;
    expect(d.verdict).toBe('refused');
    expect(d.cause).toMatch(c.cause);
    const cause = d.findings.find((f) => f.id === d.cause)!;
    expect(cause.answer?.rule).toBe(c.rule);
    expect(r.status).toBe(c.status);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('server')).toBe('TosServer');
    const doc = jsonError(r.body)!;
    expect(doc).not.toBeNull();
    expect(doc.Code ?? null).toBe(c.code);
    expect(doc.Code ?? null).toBe(cause.answer!.code);
    expect(doc.Message ?? null).toBe(cause.answer!.message);
    expect(doc.EC ?? null).toBe(c.ec);
    expect(r.headers.get('x-tos-ec')).toBe(c.ec);
    expect(doc.RequestId).toBe(r.headers.get('x-tos-request-id'));
    expect(doc.HostId).toBe(r.headers.get('x-tos-id-2'));
    expectExplained('tos', r, c.rule);
    expect(d.etag).toBeNull();
  });

  // where the entry documents no status, serve sends 400 and its diagnosis records the status sent
  it.each(tosCases.filter((c) => c.status === 400))('tos: $name: the diagnosis records the status sent', async (c) => {
    const s = await sandbox('tos', c.now ? { now: c.now } : {});
    const r = await post(s.endpoint, c.make(s));
    expect(s.diags.at(-1)!.status).toBe(r.status);
  });

  it.each(tosCases.filter((c) => c.status !== 400))('tos: $name: the diagnosis records the status sent', async (c) => {
    const s = await sandbox('tos', c.now ? { now: c.now } : {});
    const r = await post(s.endpoint, c.make(s));
    expect(s.diags.at(-1)!.status).toBe(r.status);
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
    ['oss', 403, 'AccessForbidden', OSS_NOT_ALLOWED, 'oss.cors.not-allowed'],
    ['cos', 403, 'AccessForbidden', COS_NOT_ALLOWED, 'cos.code.access-forbidden'],
    ['s3', 403, 'AccessForbidden', S3_NOT_ALLOWED, null],
    ['obs', 403, 'AccessForbidden', OBS_NOT_ALLOWED, 'obs.cors.not-allowed'],
  ] as const)("%s: a preflight from an origin not allowed gets the refusal the engine describes, and the engine's finding", async (provider, status, code, message, rule) => {
    const s = await sandbox(provider, { corsOrigins: ['http://good.test'] });
    const p = await preflight(s.endpoint, 'http://evil.test');
    expect(p.status).toBe(status);
    expect(xmlElement(p.body, 'Code')).toBe(code);
    expect(xmlElement(p.body, 'Message')).toBe(message);
    expect(p.headers.get('access-control-allow-origin')).toBeNull();
    const d = s.diags.at(-1)!;
    expect(d).toMatchObject({ kind: 'preflight', verdict: 'refused', blocked: true, status, code, message, cause: 'cors.preflight-refused-origin' });
    const cause = d.findings.find((f) => f.id === d.cause)!;
    expect(cause.answer?.rule ?? null).toBe(rule);
    expect(cause.title).toContain('http://evil.test');
    // the fix is the provider's configuration with the origin added
    expect(cause.fixBlocks!.flat().join('\n')).toContain('http://evil.test');
    if (rule) expectExplained(provider, p, rule);
  });

  it.each([
    ['s3', S3_NOT_ENABLED],
    ['obs', OBS_NOT_ENABLED],
  ] as const)('%s without any CORS rule: "CORS is not enabled for this bucket" and cors.no-rules', async (provider, message) => {
    const s = await sandbox(provider);
    const p = await preflight(s.endpoint, 'http://evil.test');
    expect(p.status).toBe(403);
    expect(xmlElement(p.body, 'Message')).toBe(message);
    expect(s.diags.at(-1)!.cause).toBe('cors.no-rules');
  });

  it("gcs: a refused method is answered 200 without CORS headers; an origin the engine cannot tell keeps serve's refusal", async () => {
    const s = await sandbox('gcs', { corsOrigins: ['http://good.test'] });
    const m = await preflight(s.endpoint, 'http://good.test', 'DELETE');
    expect(m.status).toBe(200);
    expect(m.headers.get('access-control-allow-origin')).toBeNull();
    expect(s.diags.at(-1)).toMatchObject({ verdict: 'refused', blocked: true, status: 200, cause: 'cors.preflight-refused-method' });
    const o = await preflight(s.endpoint, 'http://evil.test');
    expect(o.status).toBe(403);
    expect(xmlElement(o.body, 'Code')).toBe('AccessForbidden');
    expect(s.diags.at(-1)).toMatchObject({ verdict: 'refused', cause: 'cors.preflight-refused-origin' });
  });

  it('a method the rules do not allow: cors.preflight-refused-method with the allowed methods', async () => {
    const s = await sandbox('cos', { corsOrigins: [page] });
    const p = await preflight(s.endpoint, page, 'DELETE');
    expect(p.status).toBe(403);
    const d = s.diags.at(-1)!;
    expect(d.cause).toBe('cors.preflight-refused-method');
    expect(d.findings[0]!.detail).toContain('GET, PUT, POST');
  });

  it("--cors-config rules: allowed headers, methods and exposed headers are the configuration's", async () => {
    const config = parseCorsConfig(
      JSON.stringify({ CORSRules: [{ AllowedOrigins: [page], AllowedMethods: ['POST'], AllowedHeaders: ['x-amz-meta-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 }] }),
      { provider: 's3' },
    );
    const s = await sandbox('s3', { cors: config });
    const ok = await preflight(s.endpoint, page, 'POST', 'x-amz-meta-foo');
    expect(ok.status).toBe(200);
    expect(Object.fromEntries([...ok.headers].filter(([k]) => k.startsWith('access-control-') || k === 'vary'))).toEqual({
      'access-control-allow-origin': page,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'x-amz-meta-foo',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '300',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    expect(s.diags.at(-1)).toMatchObject({ verdict: 'allowed', blocked: false });

    const bad = await preflight(s.endpoint, page, 'POST', 'x-custom');
    expect(bad.status).toBe(403);
    const d = s.diags.at(-1)!;
    expect(d.cause).toBe('cors.preflight-refused-header');
    expect(d.findings[0]!.title).toContain('x-custom');

    // the upload: Access-Control-Allow-Origin, but only ETag exposed: the page cannot read the request id
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint)), { Origin: page, 'Sec-Fetch-Mode': 'cors' });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(page);
    expect(r.headers.get('access-control-expose-headers')).toBe('ETag');
    const u = s.diags.at(-1)!;
    expect(u).toMatchObject({ verdict: 'accepted', blocked: false, cause: null });
    const exposed = u.findings.find((f) => f.id === 'cors.expose-headers-missing')!;
    expect(exposed.severity).toBe('warning');
    expect(exposed.title).toContain('x-amz-request-id');

    expect(() => new SandboxBucket({ provider: 's3', cors: config, corsOrigins: [page] })).toThrow(/not both/);
    expect(() => new SandboxBucket({ provider: 'oss', cors: config })).toThrow(/for s3/);
  });

  it('oss ResponseVary: Vary: Origin on the refused preflight too', async () => {
    const xml = `<CORSConfiguration><CORSRule><AllowedOrigin>${page}</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>`;
    const s = await sandbox('oss', { cors: parseCorsConfig(xml, { provider: 'oss' }) });
    const p = await preflight(s.endpoint, 'http://evil.test');
    expect(p.status).toBe(403);
    expect(p.headers.get('vary')).toBe('Origin');
  });

  it('a cross-origin fetch upload from an origin not allowed is carried out, without CORS headers: the page cannot read it', async () => {
    const s = await sandbox('oss', { corsOrigins: ['http://good.test'] });
    const r = await post(s.endpoint, formData(signedForm('oss', s.endpoint), { content: 'stored anyway' }), { Origin: 'http://evil.test', 'Sec-Fetch-Mode': 'cors' });
    expect(r.status).toBe(204);
    expect(r.headers.get('etag')).toBe(`"${md5('stored anyway')}"`);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const d = s.diags.at(-1)!;
    expect(d).toMatchObject({ verdict: 'accepted', blocked: true, status: 204, cause: 'cors.no-allow-origin' });
    expect(d.findings[0]!.title).toContain('http://evil.test');
    const lines = terminalLines(d, 'en');
    expect(lines[0]).toMatch(/-> 204 accepted: .*blocked by CORS/);
    expect(lines[1]).toContain(`cause: ${d.findings[0]!.title}`);
  });

  it("a bad form from an origin not allowed gets the bucket's answer to the form; the CORS finding says the page cannot read it", async () => {
    const s = await sandbox('oss', { corsOrigins: [] });
    const r = await post(s.endpoint, formData(signedForm('oss', s.endpoint), { key: 'other/x.txt' }), { Origin: 'http://evil.test', 'Sec-Fetch-Mode': 'cors' });
    expect(r.status).toBe(403);
    expect(xmlElement(r.body, 'Code')).toBe('AccessDenied');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const d = s.diags.at(-1)!;
    expect(d).toMatchObject({ verdict: 'refused', blocked: true });
    expect(d.cause).not.toMatch(/^cors\./);
    expect(d.findings.map((f) => f.id)).toContain('cors.no-rules');
    expect(d.findings.length).toBeGreaterThan(1);
  });

  it('the fix is the whole configuration to apply, one line per string (terminal and live view)', async () => {
    const s = await sandbox('cos', { corsOrigins: ['http://good.test'] });
    await preflight(s.endpoint, 'http://evil.test');
    const d = s.diags.at(-1)!;
    const cause = d.findings.find((f) => f.id === d.cause)!;
    expect(cause.fix[0]).toMatch(/^Put this rule first .*:$/);
    const block = cause.fixBlocks![0]!;
    expect(block[0]).toMatch(/^<\?xml/);
    expect(block.join('\n')).toContain('<AllowedOrigin>http://evil.test</AllowedOrigin>');
    expect(block.join('\n')).toContain('<AllowedOrigin>http://good.test</AllowedOrigin>');
    for (const t of [...cause.fix, ...block]) expect(t).not.toMatch(/[\u0000-\u001f]/);
    const lines = terminalLines(d, 'en');
    expect(lines).toContain(`      fix: ${cause.fix[0]}`);
    expect(lines).toContain(`        ${block[0]}`);
    const live = (await (await fetch(`${s.url}${LIVE_API.slice(1)}`)).json()) as { requests: Array<{ findings: Array<{ fixBlocks?: string[][] }> }> };
    expect(live.requests.at(-1)!.findings[0]!.fixBlocks![0]).toEqual(block);
  });

  it('the "Disable cache" pair (Pragma + Cache-Control: no-cache) is the browser\'s, not the script\'s', async () => {
    const s = await sandbox('s3', { corsOrigins: [page] });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint)), { Origin: page, 'Sec-Fetch-Mode': 'cors', Pragma: 'no-cache', 'Cache-Control': 'no-cache' });
    expect(r.status).toBe(204);
    expect(s.diags.at(-1)).toMatchObject({ verdict: 'accepted', blocked: false, cause: null });
    expect(
      scriptHeaders([
        ['Pragma', 'no-cache'],
        ['Cache-Control', 'no-cache'],
        ['x-a', '1'],
      ]),
    ).toEqual([['x-a', '1']]);
    expect(scriptHeaders([['Cache-Control', 'max-age=0']])).toEqual([['Cache-Control', 'max-age=0']]);
  });

  it('serve says what check --cors-config says about the same request', async () => {
    const config = parseCorsConfig(
      `<CORSConfiguration><CORSRule><AllowedOrigin>${page}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`,
      { provider: 'cos' },
    );
    const s = await sandbox('cos', { cors: config });
    const headers = { Origin: page, 'Sec-Fetch-Mode': 'cors', 'x-cos-meta-foo': 'bar' };
    // no preflight was sent (a client without one): the preflight the browser would send is refused
    await post(s.endpoint, formData(signedForm('cos', s.endpoint)), headers);
    const d = s.diags.at(-1)!;
    expect(d.blocked).toBe(true);
    const expected = diagnoseCors(config, { origin: page, method: 'POST', headers: Object.entries(headers) }).findings.map((f) => renderFinding(f, 'en').title);
    expect(d.findings.filter((f) => f.id.startsWith('cors.')).map((f) => f.title)).toEqual(expected);
    expect(d.findings[0]!.id).toBe('cors.preflight-refused-method');
  });

  it('a form submission (navigation) is not subject to CORS', async () => {
    const s = await sandbox('s3', { corsOrigins: [] });
    // fetch() sets Sec-Fetch-Mode itself: send the browser's navigation headers by hand
    const fd = formData(signedForm('s3', s.endpoint));
    const probe = new Request(s.endpoint, { method: 'POST', body: fd });
    const body = Buffer.from(await probe.arrayBuffer());
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        s.endpoint,
        { method: 'POST', headers: { 'content-type': probe.headers.get('content-type')!, origin: 'http://other.test', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
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
    for (let i = 0; i < 5; i++) await fetch(`${s.url}x`, { method: 'DELETE' });
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
