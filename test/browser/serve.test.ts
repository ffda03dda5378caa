// `serve` in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core submits HTML forms (COS document style, and an S3 presigned-post form made by
// the AWS SDK) and fetch + FormData uploads to the sandbox bucket. Each upload must get the
// provider's answer, the live view must show the right cause, and `post-doctor check` on the
// HAR the browser recorded must reach the same verdict. Also saves the docs screenshot.
//
// Without /usr/bin/chromium these tests are skipped (with a printed reason), unless CI is set:
// then they fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { ProviderId } from '../../src/core/types.js';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { SandboxBucket, type Diagnosis } from '../../src/serve/index.js';
import { sign } from '../../src/sign/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// the tracked screenshot is rewritten only by `npm run docs:update`; tests write to a temporary folder
const SCREENSHOT = process.env.PD_UPDATE_DOCS ? join(ROOT, 'docs', 'img', 'serve-live-view.png') : join(mkdtempSync(join(tmpdir(), 'pd-shot-')), 'serve-live-view.png');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SECRET = 'browser-sandbox-secret-0123456789';
const COS_AK = 'AKIDbrowserSandboxKey0123456789abcd';
const S3_AK = 'AKIABROWSERSANDBOX01';
const COS_BUCKET = 'examplebucket-1250000000';
const S3_BUCKET = 'example-bucket';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.log(`skipping the browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** An HTML upload form: hidden fields in order, the file input where `fileAt` says (default last);
 * a named submit button (as in AWS's sample form) is sent after the file, where S3 ignores it. */
function formPage(title: string, action: string, fields: Array<[string, string]>, fileAt = fields.length, after: Array<[string, string]> = [], submitName = ''): string {
  const inputs = fields.map(([k, v]) => `    <input type="hidden" name="${esc(k)}" value="${esc(v)}">`);
  inputs.splice(fileAt, 0, '    <input type="file" name="file" id="file">');
  const tail = after.map(([k, v]) => `    <input type="hidden" name="${esc(k)}" value="${esc(v)}">`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>
  <form action="${esc(action)}" method="post" enctype="multipart/form-data">
${inputs.join('\n')}
${tail.join('\n')}
    <input type="submit"${submitName ? ` name="${esc(submitName)}"` : ''} value="Upload" id="go">
  </form></body></html>`;
}

/** A page that uploads with fetch + FormData and reports what the script could see. */
function fetchPage(action: string, fields: Array<[string, string]>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>fetch upload</title></head><body>
<pre id="out"></pre>
<script>
window.upload = async function () {
  const fd = new FormData();
  for (const [k, v] of ${JSON.stringify(fields).replace(/</g, '\\u003c')}) fd.append(k, v);
  fd.append('file', new Blob(['uploaded by fetch\\n'], { type: 'text/plain' }), 'fetch.txt');
  try {
    const r = await fetch(${JSON.stringify(action)}, { method: 'POST', body: fd });
    return { ok: true, status: r.status, etag: r.headers.get('ETag'), date: r.headers.get('Date'), body: await r.text() };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
};
</script></body></html>`;
}

describe.skipIf(!haveChromium && !process.env.CI)('serve in headless Chromium', () => {
  let browser: Browser;
  let ctx: BrowserContext;
  let liveCtx: BrowserContext;
  let cos: SandboxBucket;
  let s3: SandboxBucket;
  let cosUrl: string;
  let s3Url: string;
  let app: Server;
  let appOrigin: string;
  let otherOrigin: string;
  const pages = new Map<string, string>();
  const diags: Diagnosis[] = [];
  let work: string;
  let harPath: string;
  /** request id -> what the browser saw, for the HAR comparison. */
  const seen: Array<{ provider: ProviderId; requestId: string; cors: boolean }> = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    const { chromium } = await import('playwright-core');
    work = mkdtempSync(join(tmpdir(), 'pd-browser-'));
    harPath = join(work, 'session.har');

    app = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://h');
      const body = u.pathname === '/done' ? `<!doctype html><title>done</title><p id="q">${esc(u.search)}</p>` : pages.get(u.pathname);
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const port = (app.address() as AddressInfo).port;
    appOrigin = `http://127.0.0.1:${port}`;
    otherOrigin = `http://localhost:${port}`;

    cos = new SandboxBucket({ provider: 'cos', secret: SECRET, bucket: COS_BUCKET, corsOrigins: [appOrigin], onDiagnosis: (d) => diags.push(d) });
    s3 = new SandboxBucket({ provider: 's3', secret: SECRET, bucket: S3_BUCKET, corsOrigins: [appOrigin], onDiagnosis: (d) => diags.push(d) });
    cosUrl = await cos.listen();
    s3Url = await s3.listen();

    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    ctx = await browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
    // Routing every request through Playwright makes the HAR carry the multipart bodies.
    await ctx.route('**/*', (route) => route.continue());
    liveCtx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  });

  afterAll(async () => {
    await liveCtx?.close().catch(() => undefined);
    await ctx?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await cos?.close();
    await s3?.close();
    await new Promise<void>((r) => (app ? app.close(() => r()) : r()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const now = (): Date => new Date();

  function cosForm(o: { keyPrefix?: string; key?: string; signedAt?: Date; secret?: string; redirect?: string } = {}): Array<[string, string]> {
    const at = o.signedAt ?? now();
    const f = sign({
      provider: 'cos',
      bucket: COS_BUCKET,
      region: 'ap-beijing',
      keyPrefix: o.keyPrefix ?? 'folder/subfolder/',
      contentTypePrefix: 'text/',
      fields: [['acl', 'default'], ['x-cos-meta-example-field', 'example'], ...(o.redirect ? ([['success_action_redirect', o.redirect]] as Array<[string, string]>) : [])],
      now: at,
      expiresAt: new Date(at.getTime() + 3600_000),
      accessKeyId: COS_AK,
      secret: o.secret ?? SECRET,
      endpoint: cosUrl,
    });
    return f.fields.map(([k, v]) => [k, k === 'key' ? (o.key ?? 'folder/subfolder/example.txt') : k === 'Content-Type' ? 'text/plain' : v]);
  }

  async function s3Presigned(o: { secret?: string } = {}): Promise<{ url: string; fields: Array<[string, string]> }> {
    const client = new S3Client({ region: 'us-east-1', endpoint: s3Url.replace(/\/$/, ''), forcePathStyle: true, credentials: { accessKeyId: S3_AK, secretAccessKey: o.secret ?? SECRET } });
    const r = await createPresignedPost(client, {
      Bucket: S3_BUCKET,
      Key: 'uploads/${filename}',
      Conditions: [['content-length-range', 0, 1_048_576]],
      Fields: { success_action_status: '201' },
      Expires: 600,
    });
    return { url: r.url, fields: Object.entries(r.fields) };
  }

  /** Submit the form on `path` with a file; the sandbox's answer as the browser got it. */
  async function submitForm(page: Page, path: string, provider: ProviderId): Promise<{ status: number; body: string; requestId: string; location: string | null }> {
    await page.goto(`${appOrigin}${path}`);
    await page.setInputFiles('#file', { name: 'example.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from chromium\n') });
    const [resp] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#go')]);
    const headers = await resp.allHeaders();
    const requestId = headers[provider === 'cos' ? 'x-cos-request-id' : 'x-amz-request-id'] ?? '';
    seen.push({ provider, requestId, cors: false });
    const body = resp.status() === 303 ? '' : await resp.text().catch(() => '');
    return { status: resp.status(), body, requestId, location: headers.location ?? null };
  }

  /** The live view's card for a request: its verdict, cause and text. */
  async function liveCard(provider: ProviderId, requestId: string): Promise<{ verdict: string | null; cause: string | null; text: string }> {
    const live = await liveCtx.newPage();
    try {
      await live.goto(provider === 'cos' ? cosUrl : s3Url);
      const card = live.locator(`section[data-request-id="${requestId}"]`);
      await card.waitFor({ timeout: 10_000 });
      return { verdict: await card.getAttribute('data-verdict'), cause: await card.getAttribute('data-cause'), text: await card.innerText() };
    } finally {
      await live.close();
    }
  }

  const code = (xml: string): string | null => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? null;
  const diag = (requestId: string): Diagnosis => {
    const d = diags.find((x) => x.requestId === requestId);
    if (!d) throw new Error(`no diagnosis for ${requestId}`);
    return d;
  };

  it('COS form (document style): a good form succeeds and redirects with bucket, key and ETag', async () => {
    pages.set('/cos-good', formPage('COS upload', cosUrl, cosForm({ redirect: `${appOrigin}/done` })));
    const page = await ctx.newPage();
    const r = await submitForm(page, '/cos-good', 'cos');
    expect(r.status).toBe(303);
    const loc = new URL(r.location!);
    expect(loc.searchParams.get('bucket')).toBe(COS_BUCKET);
    expect(loc.searchParams.get('key')).toBe('folder/subfolder/example.txt');
    expect(loc.searchParams.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    await page.waitForURL(/\/done\?/);
    await page.close();
    const card = await liveCard('cos', r.requestId);
    expect(card.verdict).toBe('accepted');
  });

  it('S3 presigned-post form (AWS SDK): a good form gets 201 with the PostResponse', async () => {
    const p = await s3Presigned();
    pages.set('/s3-good', formPage('S3 upload', p.url, p.fields, p.fields.length, [], 'submit'));
    const page = await ctx.newPage();
    const r = await submitForm(page, '/s3-good', 's3');
    expect(r.status).toBe(201);
    expect(r.body).toContain('<PostResponse>');
    expect(r.body).toContain('<Key>uploads/example.txt</Key>');
    await page.close();
    expect((await liveCard('s3', r.requestId)).verdict).toBe('accepted');
  });

  const failures: Array<{ name: string; provider: ProviderId; build: () => Promise<string>; status: number; code: string; cause: RegExp }> = [
    {
      name: 'S3 form with the file not last',
      provider: 's3',
      build: async () => {
        const p = await s3Presigned();
        const i = p.fields.findIndex(([k]) => k === 'X-Amz-Signature');
        return formPage('S3 file first', p.url, p.fields, i);
      },
      status: 400,
      code: 'InvalidArgument',
      cause: /./,
    },
    {
      name: 'COS form with an expired policy',
      provider: 'cos',
      build: async () => formPage('COS expired', cosUrl, cosForm({ signedAt: new Date(Date.now() - 3 * 3600_000) })),
      status: 403,
      code: 'AccessDenied',
      cause: /expired/,
    },
    {
      name: 'COS form with a key outside the allowed prefix',
      provider: 'cos',
      build: async () => formPage('COS key', cosUrl, cosForm({ key: 'elsewhere/example.txt' })),
      status: 403,
      code: 'AccessDenied',
      cause: /key|condition/,
    },
    {
      name: 'S3 form with a field missing from the policy',
      provider: 's3',
      build: async () => {
        const p = await s3Presigned();
        return formPage('S3 extra field', p.url, [...p.fields, ['x-amz-meta-owner', 'alice']]);
      },
      status: 403,
      code: 'AccessDenied',
      cause: /extra|policy|field/,
    },
    {
      name: 'S3 form with a bad signature',
      provider: 's3',
      build: async () => {
        const p = await s3Presigned({ secret: 'not-the-bucket-secret-000000' });
        return formPage('S3 bad signature', p.url, p.fields, p.fields.length, [], 'submit');
      },
      status: 403,
      code: 'SignatureDoesNotMatch',
      cause: /^signature\./,
    },
  ];

  it.each(failures)('$name gets the provider error, and the live view shows the cause', async (c) => {
    const path = `/fail-${failures.indexOf(c)}`;
    pages.set(path, await c.build());
    const page = await ctx.newPage();
    const r = await submitForm(page, path, c.provider);
    await page.close();
    expect(r.status).toBe(c.status);
    expect(code(r.body)).toBe(c.code);
    const d = diag(r.requestId);
    expect(d.verdict).toBe('refused');
    expect(d.cause).toMatch(c.cause);
    const card = await liveCard(c.provider, r.requestId);
    expect(card.verdict).toBe('refused');
    expect(card.cause).toBe(d.cause);
    const cause = d.findings.find((f) => f.id === d.cause)!;
    // the live view shows `code` as <code>: its text is the words without the backticks
    const shown = (s: string): string => s.replace(/`([^`]*)`/g, '$1');
    expect(card.text).toContain(shown(cause.title));
    expect(card.text).toContain(c.code);
    for (const step of cause.fix.slice(0, 1)) expect(card.text).toContain(shown(step));
  });

  it('fetch + FormData from an allowed origin succeeds and the script can read ETag and Date', async () => {
    pages.set('/fetch', fetchPage(cosUrl, cosForm()));
    const page = await ctx.newPage();
    await page.goto(`${appOrigin}/fetch`);
    const r = (await page.evaluate('window.upload()')) as { ok: boolean; status: number; etag: string | null; date: string | null };
    await page.close();
    expect(r).toMatchObject({ ok: true, status: 204 });
    expect(r.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Number.isNaN(Date.parse(r.date ?? ''))).toBe(false);
    const d = diags.filter((x) => x.provider === 'cos').at(-1)!;
    expect(d).toMatchObject({ verdict: 'accepted', origin: appOrigin, etag: r.etag });
    seen.push({ provider: 'cos', requestId: d.requestId, cors: true });
  });

  it('fetch + FormData from an origin not allowed: the bucket stores the file, the script cannot read the answer; the live view says why', async () => {
    pages.set('/fetch-other', fetchPage(cosUrl, cosForm()));
    const page = await ctx.newPage();
    await page.goto(`${otherOrigin}/fetch-other`);
    const r = (await page.evaluate('window.upload()')) as { ok: boolean; error?: string };
    await page.close();
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/TypeError/);
    const d = diags.filter((x) => x.provider === 'cos').at(-1)!;
    // as a real bucket: the upload is carried out, the answer has no Access-Control-Allow-Origin
    expect(d).toMatchObject({ verdict: 'accepted', blocked: true, status: 204, origin: otherOrigin, cause: 'cors.no-allow-origin' });
    seen.push({ provider: 'cos', requestId: d.requestId, cors: true });
    const card = await liveCard('cos', d.requestId);
    expect(card.cause).toBe('cors.no-allow-origin');
    expect(card.text).toContain(otherOrigin);
    expect(card.text).toContain(d.findings.find((f) => f.id === d.cause)!.title.replace(/`([^`]*)`/g, '$1'));
  });

  it('the live view renders: screenshot for the docs', async () => {
    const live = await liveCtx.newPage();
    await live.goto(cosUrl);
    await live.locator('section.req').first().waitFor();
    expect(await live.locator('section.req').count()).toBeGreaterThanOrEqual(4);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await live.screenshot({ path: SCREENSHOT });
    await live.close();
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  });

  it('post-doctor check on the recorded HAR reaches the same verdict as serve', async () => {
    await ctx.close(); // writes the HAR
    const har = JSON.parse(readFileSync(harPath, 'utf8')) as {
      log: {
        entries: Array<{
          request: { method: string; url: string; headers: Array<{ name: string; value: string }>; postData?: { mimeType?: string } };
          response: { headers: Array<{ name: string; value: string }> };
        }>;
      };
    };
    const uploads = har.log.entries.filter((e) => e.request.method === 'POST' && /multipart\/form-data/i.test(e.request.postData?.mimeType ?? ''));
    let compared = 0;
    for (const [i, e] of uploads.entries()) {
      const rid = e.response.headers.find((h) => /^x-(cos|amz)-request-id$/i.test(h.name))?.value;
      // the fetch the browser blocked (CORS) has no answer in the HAR: it is the one from otherOrigin
      const fromOther = e.request.headers.some((h) => h.name.toLowerCase() === 'origin' && h.value === otherOrigin);
      const d = rid ? diags.find((x) => x.requestId === rid) : fromOther ? diags.find((x) => x.origin === otherOrigin && x.kind === 'upload') : undefined;
      if (!d) continue;
      // CORS is the bucket's, not the form's: without --cors-config check judges the form only
      let out = '';
      const io: Io = { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: { PD_TEST_SECRET: SECRET }, cwd: ROOT };
      const exit = await run(['node', 'post-doctor', 'check', harPath, '--entry', String(i + 1), '--provider', d.provider, '--secret-env', 'PD_TEST_SECRET', '--format', 'json'], io);
      expect(exit, `entry ${i + 1}`).toBeLessThan(2);
      const res = JSON.parse(out) as { findings: Array<{ severity: string; predicts: { status: number; code: string } | null }> };
      const predicted = res.findings.find((f) => f.severity === 'error' && f.predicts)?.predicts ?? null;
      if (d.verdict === 'accepted') {
        expect(predicted, `entry ${i + 1} (${d.requestId})`).toBeNull();
      } else {
        expect(predicted, `entry ${i + 1}`).not.toBeNull();
        expect({ status: predicted!.status, code: predicted!.code }).toEqual({ status: d.status, code: d.code });
        expect(exit).toBe(1);
      }
      compared++;
    }
    expect(compared).toBe(seen.length);
  });
});

describe.runIf(!haveChromium && !!process.env.CI)('serve in headless Chromium (CI)', () => {
  it('needs /usr/bin/chromium on CI', () => {
    throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
});
