// CORS in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) on one loopback origin uploads with fetch + FormData to `serve` on another
// origin, for S3, OSS and COS, with bucket CORS configurations (written to files, given to serve
// as with --cors-config) that allow and that refuse the upload:
//   (a) the page's origin is not allowed          -> simple POST sent, answer without ACAO: TypeError
//   (b) the origin is allowed, POST is not        -> simple POST sent, answer without ACAO: TypeError
//   (c) the page sets x-{amz,oss,cos}-meta-foo, not an allowed header -> preflight refused: TypeError
//   (d) allowed, the script reads ETag (exposed), not Date (not exposed)
//   (d2) allowed, with an allowed custom header (preflight allowed)
//   (e) a plain <form> submission to a configuration that refuses the origin: succeeds (a
//       navigation, not subject to CORS)
// For every upload `post-doctor check <har> --entry N --provider P --cors-config <same file>` must
// agree with the browser: fetch threw TypeError <=> check reports a cors.* error; the form <=>
// cors.form-navigation and no cors error. serve's own diagnosis must use the same finding (same id,
// same title) as check.
//
// How the captures are made, and why (observed with Chromium 156 / playwright-core 1.65):
// - A HAR carries multipart bodies only when requests go through Playwright's router
//   (`ctx.route('**/*', r => r.continue())`, recordHar content 'embed'); see captures.test.ts.
// - With a router, Playwright answers every CORS preflight itself (204, allowing the origin, method
//   and headers asked for) and the OPTIONS never reaches the server. So in the routed context a
//   refused preflight cannot happen: the browser's verdict on a preflight is taken in a second
//   context without a router ("plain"), where the OPTIONS goes to serve and Chromium obeys its
//   answer. For (c) Chromium never sends the POST; the plain HAR then holds the POST entry with no
//   body and no response (status -1), on which check can only say "no request body" (asserted).
//   check is therefore run on the capture of the very same fetch (same page, FormData and
//   headers) made in the routed context, where Playwright's preflight lets the POST through and
//   the HAR records it with its body. The simple requests (a, b, d) need no preflight, so the
//   router changes nothing about CORS there: they run in the routed context alone.
// - The routed HAR lists the headers as the page made them, before Chromium's network service adds
//   Sec-Fetch-Mode / -Site / -Dest. For a fetch that changes nothing (Origin is there), but a form
//   submission is told from a fetch by Sec-Fetch-Mode: navigate. For (e), check runs on the routed
//   entry completed with the Sec-Fetch-* headers Chromium put on the wire (DevTools'
//   Network.requestWillBeSentExtraInfo; Playwright's request.allHeaders() lacks them there). The routed HAR also lacks Pragma / Cache-Control: no-cache, which
//   Chromium adds on the wire while Playwright's router disables the cache (serve drops that pair).
//
// Without /usr/bin/chromium these tests are skipped (with a printed reason), unless CI is set:
// then they fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ProviderId } from '../../src/core/types.js';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { parseCorsConfig } from '../../src/cors/index.js';
import { SandboxBucket, type Diagnosis } from '../../src/serve/index.js';
import { sign } from '../../src/sign/index.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SECRET = 'browser-cors-secret-0123456789abcdef';
type Provider = Extract<ProviderId, 's3' | 'oss' | 'cos'>;
const PROVIDERS: Provider[] = ['s3', 'oss', 'cos'];
const AK: Record<Provider, string> = { s3: 'AKIABROWSERCORS00001', oss: 'LTAIbrowserCorsKey012345', cos: 'AKIDbrowserCorsKey0123456789abcdefg' };
const BUCKET: Record<Provider, string> = { s3: 'example-bucket', oss: 'example-bucket', cos: 'examplebucket-1250000000' };
const REGION: Record<Provider, string> = { s3: 'us-east-1', oss: 'cn-hangzhou', cos: 'ap-beijing' };
const META: Record<Provider, string> = { s3: 'x-amz-meta', oss: 'x-oss-meta', cos: 'x-cos-meta' };
const RID: Record<Provider, string> = { s3: 'x-amz-request-id', oss: 'x-oss-request-id', cos: 'x-cos-request-id' };
/** An origin no page here has. */
const ELSEWHERE = 'https://app.example.test';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.log(`skipping the browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

interface Rule {
  origins: string[];
  methods: string[];
  headers: string[];
  expose: string[];
}

/** The configuration in the provider's own form: S3 JSON (get-bucket-cors), OSS / COS XML. */
function configText(provider: Provider, r: Rule): string {
  if (provider === 's3')
    return JSON.stringify({ CORSRules: [{ AllowedOrigins: r.origins, AllowedMethods: r.methods, AllowedHeaders: r.headers, ExposeHeaders: r.expose, MaxAgeSeconds: 0 }] }, null, 2);
  const el = (name: string, values: string[]): string => values.map((v) => `<${name}>${v}</${name}>`).join('');
  // MaxAgeSeconds 0: Chromium keeps no preflight result between the cases
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration><CORSRule>${el('AllowedOrigin', r.origins)}${el('AllowedMethod', r.methods)}${el('AllowedHeader', r.headers)}${el('ExposeHeader', r.expose)}<MaxAgeSeconds>0</MaxAgeSeconds></CORSRule></CORSConfiguration>\n`;
}

type ConfigName = 'refuse-origin' | 'refuse-method' | 'headers';

interface HarEntry {
  request: { method: string; url: string; headers: Array<{ name: string; value: string }>; postData?: { mimeType?: string; text?: string } };
  response: { status: number };
}

interface CheckJson {
  findings: Array<{ id: string; severity: 'error' | 'warning' | 'info'; title: string; facts?: Record<string, unknown> }>;
}

interface FetchResult {
  ok: boolean;
  status?: number;
  etag?: string | null;
  date?: string | null;
  error?: string;
}

/** An upload made in the browser, to be checked against the routed HAR. */
interface Upload {
  name: string;
  provider: Provider;
  config: ConfigName;
  key: string;
  /** What the browser did: the fetch threw (TypeError), or the form navigation went through. */
  browser: { via: 'fetch'; result: FetchResult } | { via: 'form'; status: number };
  /** The headers Chromium sent on the wire, for the form (see the header comment). */
  wire?: Record<string, string>;
  /** serve's diagnosis of the request the browser's verdict came from. */
  diag: Diagnosis;
}

describe.skipIf(!haveChromium && !process.env.CI)('CORS: serve --cors-config and check --cors-config agree with headless Chromium', () => {
  let browser: Browser;
  let routed: BrowserContext;
  let plain: BrowserContext;
  let routedPage: Page;
  let plainPage: Page;
  let app: Server;
  let appOrigin: string;
  let work: string;
  const harPaths = { routed: '', plain: '' };
  const pages = new Map<string, string>();
  const diags: Diagnosis[] = [];
  const sandboxes = new Map<string, { sb: SandboxBucket; url: string; endpoint: string; file: string }>();
  const uploads: Upload[] = [];
  let har: { routed: HarEntry[]; plain: HarEntry[] } | null = null;

  const sandbox = (provider: Provider, config: ConfigName): { sb: SandboxBucket; url: string; endpoint: string; file: string } => sandboxes.get(`${provider}/${config}`)!;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    const { chromium } = await import('playwright-core');
    work = mkdtempSync(join(tmpdir(), 'pd-browser-cors-'));
    harPaths.routed = join(work, 'routed.har');
    harPaths.plain = join(work, 'plain.har');

    app = createServer((req, res) => {
      const body = pages.get(new URL(req.url ?? '/', 'http://h').pathname);
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    pages.set('/', '<!doctype html><meta charset="utf-8"><title>app</title><p>upload page</p>');

    const rules: Record<ConfigName, (p: Provider) => Rule> = {
      'refuse-origin': () => ({ origins: [ELSEWHERE], methods: ['POST'], headers: ['*'], expose: ['ETag'] }),
      'refuse-method': () => ({ origins: [appOrigin], methods: ['GET', 'PUT'], headers: ['*'], expose: ['ETag'] }),
      headers: (p) => ({ origins: [appOrigin], methods: ['POST'], headers: [`${META[p]}-bar`], expose: ['ETag'] }),
    };
    for (const provider of PROVIDERS) {
      for (const name of Object.keys(rules) as ConfigName[]) {
        const file = join(work, `${provider}-${name}.${provider === 's3' ? 'json' : 'xml'}`);
        writeFileSync(file, configText(provider, rules[name](provider)));
        // what `serve --cors-config FILE --provider P` does with the file
        const cors = parseCorsConfig(readFileSync(file, 'utf8'), { provider, sourceName: file });
        const sb = new SandboxBucket({ provider, secret: SECRET, bucket: BUCKET[provider], cors, onDiagnosis: (d) => diags.push(d) });
        const url = await sb.listen();
        sandboxes.set(`${provider}/${name}`, { sb, url, endpoint: provider === 's3' ? `${url}${BUCKET[provider]}` : url, file });
      }
    }

    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    routed = await browser.newContext({ recordHar: { path: harPaths.routed, content: 'embed' } });
    await routed.route('**/*', (r) => r.continue());
    plain = await browser.newContext({ recordHar: { path: harPaths.plain, content: 'embed' } });
    routedPage = await routed.newPage();
    plainPage = await plain.newPage();
    await routedPage.goto(`${appOrigin}/`);
    await plainPage.goto(`${appOrigin}/`);
  });

  afterAll(async () => {
    await routed?.close().catch(() => undefined);
    await plain?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    for (const s of sandboxes.values()) await s.sb.close();
    await new Promise<void>((r) => (app ? app.close(() => r()) : r()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function fields(provider: Provider, endpoint: string, key: string): Array<[string, string]> {
    const now = new Date();
    const f = sign({
      provider,
      bucket: BUCKET[provider],
      region: REGION[provider],
      keyPrefix: 'uploads/',
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
      accessKeyId: AK[provider],
      secret: SECRET,
      endpoint,
    });
    return f.fields.map(([k, v]) => [k, k === 'key' ? key : v]);
  }

  /** fetch + FormData from the page; what the script could see. */
  async function upload(page: Page, provider: Provider, endpoint: string, key: string, headers: Record<string, string>): Promise<FetchResult> {
    const args = { action: endpoint, fields: fields(provider, endpoint, key), headers };
    return page.evaluate(async (a) => {
      const fd = new FormData();
      for (const [k, v] of a.fields) fd.append(k, v);
      fd.append('file', new Blob(['uploaded by fetch\n'], { type: 'text/plain' }), 'fetch.txt');
      try {
        const r = await fetch(a.action, { method: 'POST', body: fd, headers: a.headers });
        return { ok: true, status: r.status, etag: r.headers.get('ETag'), date: r.headers.get('Date') };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    }, args);
  }

  const since = (n: number, method: string): Diagnosis => {
    const d = diags
      .slice(n)
      .filter((x) => x.method === method)
      .at(-1);
    if (!d) throw new Error(`no ${method} diagnosis`);
    return d;
  };

  async function check(harFile: string, entry: number, provider: Provider, configFile: string): Promise<{ exit: number; out: string; err: string; json: CheckJson | null }> {
    let out = '';
    let err = '';
    const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: { PD_TEST_SECRET: SECRET }, cwd: work };
    const exit = await run(
      ['node', 'post-doctor', 'check', harFile, '--entry', String(entry), '--provider', provider, '--secret-env', 'PD_TEST_SECRET', '--cors-config', configFile, '--format', 'json'],
      io,
    );
    return { exit, out, err, json: exit < 2 ? (JSON.parse(out) as CheckJson) : null };
  }

  /** The POST entries check counts for --entry: a multipart/form-data body (postData.mimeType or the Content-Type header). */
  const multipartEntries = (entries: HarEntry[]): HarEntry[] =>
    entries.filter(
      (e) =>
        e.request.method === 'POST' &&
        [e.request.postData?.mimeType, e.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value].some((v) => /^\s*multipart\/form-data/i.test(v ?? '')),
    );

  const corsErrors = (j: CheckJson): CheckJson['findings'] => j.findings.filter((f) => f.severity === 'error' && f.id.startsWith('cors.'));

  describe.each(PROVIDERS)('%s', (provider) => {
    const meta = META[provider];

    it("(a) the page's origin is not allowed: the simple POST is carried out, the script gets TypeError", async () => {
      const { endpoint } = sandbox(provider, 'refuse-origin');
      const n = diags.length;
      const key = `uploads/a-${provider}.txt`;
      const r = await upload(routedPage, provider, endpoint, key, {});
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/TypeError/);
      const d = since(n, 'POST');
      // the bucket stores the file; the browser hides the answer
      expect(d).toMatchObject({ verdict: 'accepted', blocked: true, status: 204, origin: appOrigin, cause: 'cors.no-allow-origin' });
      uploads.push({ name: 'a', provider, config: 'refuse-origin', key, browser: { via: 'fetch', result: r }, diag: d });
    });

    it('(b) the origin is allowed but POST is not: TypeError', async () => {
      const { endpoint } = sandbox(provider, 'refuse-method');
      const n = diags.length;
      const key = `uploads/b-${provider}.txt`;
      const r = await upload(routedPage, provider, endpoint, key, {});
      expect(r.ok).toBe(false);
      const d = since(n, 'POST');
      expect(d).toMatchObject({ verdict: 'accepted', blocked: true, cause: 'cors.no-allow-origin' });
      uploads.push({ name: 'b', provider, config: 'refuse-method', key, browser: { via: 'fetch', result: r }, diag: d });
    });

    it(`(c) a header the rules do not allow (${meta}-foo): the preflight is refused and the POST never sent`, async () => {
      const { endpoint } = sandbox(provider, 'headers');
      const n = diags.length;
      const key = `uploads/c-${provider}.txt`;
      const r = await upload(plainPage, provider, endpoint, key, { [`${meta}-foo`]: 'bar' });
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/TypeError/);
      const seen = diags.slice(n);
      expect(seen.map((x) => x.method)).toEqual(['OPTIONS']);
      expect(seen[0]).toMatchObject({ kind: 'preflight', verdict: 'refused', blocked: true, status: 403, code: 'AccessForbidden', cause: 'cors.preflight-refused-header' });
      // the same fetch where Playwright's router answers the preflight: the capture check reads
      const m = diags.length;
      const copy = await upload(routedPage, provider, endpoint, key, { [`${meta}-foo`]: 'bar' });
      expect(copy.ok).toBe(true);
      // serve still says that a browser's preflight for this request is refused
      expect(since(m, 'POST')).toMatchObject({ blocked: true, cause: 'cors.preflight-refused-header' });
      uploads.push({ name: 'c', provider, config: 'headers', key, browser: { via: 'fetch', result: r }, diag: seen[0]! });
    });

    it('(d) allowed: the script reads ETag (exposed), not Date (not exposed)', async () => {
      const { endpoint } = sandbox(provider, 'headers');
      const n = diags.length;
      const key = `uploads/d-${provider}.txt`;
      const r = await upload(routedPage, provider, endpoint, key, {});
      expect(r).toMatchObject({ ok: true, status: 204 });
      expect(r.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(r.date).toBeNull();
      const d = since(n, 'POST');
      expect(d).toMatchObject({ verdict: 'accepted', blocked: false, cause: null, etag: r.etag });
      const exposed = d.findings.find((f) => f.id === 'cors.expose-headers-missing')!;
      expect(exposed.title).toContain('Date');
      expect(exposed.title).not.toContain('ETag');
      uploads.push({ name: 'd', provider, config: 'headers', key, browser: { via: 'fetch', result: r }, diag: d });
    });

    it(`(d2) allowed with an allowed header (${meta}-bar): the preflight passes, the script reads ETag`, async () => {
      const { endpoint } = sandbox(provider, 'headers');
      const n = diags.length;
      const key = `uploads/d2-${provider}.txt`;
      const r = await upload(plainPage, provider, endpoint, key, { [`${meta}-bar`]: 'baz' });
      expect(r).toMatchObject({ ok: true, status: 204 });
      expect(r.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(diags.slice(n).map((x) => [x.method, x.verdict, x.blocked])).toEqual([
        ['OPTIONS', 'allowed', false],
        ['POST', 'accepted', false],
      ]);
      // the capture for check
      const copy = await upload(routedPage, provider, endpoint, key, { [`${meta}-bar`]: 'baz' });
      expect(copy.ok).toBe(true);
      uploads.push({ name: 'd2', provider, config: 'headers', key, browser: { via: 'fetch', result: r }, diag: diags.slice(n).find((x) => x.method === 'OPTIONS')! });
    });

    it('(e) a plain <form> to a configuration that refuses the origin succeeds: not subject to CORS', async () => {
      const { endpoint } = sandbox(provider, 'refuse-origin');
      const key = `uploads/e-${provider}.txt`;
      const inputs = fields(provider, endpoint, key)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`)
        .join('\n');
      const path = `/form-${provider}`;
      pages.set(
        path,
        `<!doctype html><meta charset="utf-8"><title>form</title><form action="${endpoint}" method="post" enctype="multipart/form-data">\n${inputs}\n<input type="file" name="file" id="file"><input type="submit" id="go"></form>`,
      );
      const page = await routed.newPage();
      // the headers Chromium's network service puts on the wire (DevTools' "extra info")
      const cdp = await routed.newCDPSession(page);
      const posts = new Set<string>();
      const extra = new Map<string, Record<string, string>>();
      cdp.on('Network.requestWillBeSent', (e) => {
        if (e.request.method === 'POST' && e.request.url === endpoint) posts.add(e.requestId);
      });
      cdp.on('Network.requestWillBeSentExtraInfo', (e) => extra.set(e.requestId, e.headers as Record<string, string>));
      await cdp.send('Network.enable');
      try {
        await page.goto(`${appOrigin}${path}`);
        await page.setInputFiles('#file', { name: 'form.txt', mimeType: 'text/plain', buffer: Buffer.from('uploaded by a form\n') });
        const n = diags.length;
        const [resp] = await Promise.all([page.waitForResponse((q) => q.request().method() === 'POST' && q.url() === endpoint), page.click('#go')]);
        expect(resp.status()).toBe(204);
        const d = since(n, 'POST');
        expect(d).toMatchObject({ verdict: 'accepted', blocked: false, origin: appOrigin });
        expect(d.findings.map((f) => f.id)).toContain('cors.form-navigation');
        const deadline = Date.now() + 5000;
        while (![...posts].some((id) => extra.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const id = [...posts].find((x) => extra.has(x));
        expect(id, 'the wire headers of the form POST').toBeDefined();
        const wire = Object.fromEntries(Object.entries(extra.get(id!)!).map(([k, v]) => [k.toLowerCase(), v]));
        expect(wire['sec-fetch-mode']).toBe('navigate');
        uploads.push({ name: 'e', provider, config: 'refuse-origin', key, browser: { via: 'form', status: resp.status() }, wire, diag: d });
      } finally {
        await cdp.detach().catch(() => undefined);
        await page.close();
      }
    });
  });

  it('the HAR without a router holds the refused fetch with no body: check cannot judge it', async () => {
    await plain.close(); // writes the HAR
    const entries = (JSON.parse(readFileSync(harPaths.plain, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
    const multipart = multipartEntries(entries);
    // (c) for each provider: the POST Chromium never sent (no answer), with the page's own header
    const never = multipart.filter((e) => e.response.status <= 0 && e.request.headers.some((h) => /^x-(amz|oss|cos)-meta-foo$/i.test(h.name)));
    expect(never).toHaveLength(PROVIDERS.length);
    const i = multipart.indexOf(never[0]!);
    const c = uploads.find((u) => u.name === 'c')!;
    const r = await check(harPaths.plain, i + 1, c.provider, sandbox(c.provider, 'headers').file);
    expect(r.exit).toBe(2);
    expect(r.err).toMatch(/no request body/);
  });

  it('post-doctor check --cors-config on each capture agrees with the browser and says what serve said', async () => {
    await routed.close(); // writes the HAR
    har = { routed: (JSON.parse(readFileSync(harPaths.routed, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries, plain: [] };
    const doc = JSON.parse(readFileSync(harPaths.routed, 'utf8')) as { log: { entries: HarEntry[] } };
    const multipart = multipartEntries(har.routed);
    expect(uploads).toHaveLength(PROVIDERS.length * 6);
    for (const u of uploads) {
      const label = `${u.provider} (${u.name})`;
      const file = sandbox(u.provider, u.config).file;
      // the last capture of this upload (for c and d2: the copy made in the routed context)
      const entry = multipart.filter((e) => (e.request.postData?.text ?? '').includes(`\r\n\r\n${u.key}\r\n`)).at(-1);
      expect(entry, label).toBeDefined();
      let harFile = harPaths.routed;
      let n = multipart.indexOf(entry!) + 1;
      if (u.wire) {
        // (e): the routed entry with the Sec-Fetch-* headers Chromium sent on the wire
        const completed = structuredClone(entry!);
        for (const [name, value] of Object.entries(u.wire)) if (name.startsWith('sec-fetch-')) completed.request.headers.push({ name, value });
        harFile = join(work, `form-${u.provider}.har`);
        writeFileSync(harFile, JSON.stringify({ log: { ...doc.log, entries: [completed] } }));
        n = 1;
      }
      const r = await check(harFile, n, u.provider, file);
      expect(r.exit, `${label}: ${r.err}`).toBeLessThan(2);
      const cors = corsErrors(r.json!);
      if (u.browser.via === 'form') {
        expect(u.browser.status, label).toBe(204);
        expect(
          r.json!.findings.map((f) => f.id),
          label,
        ).toContain('cors.form-navigation');
        expect(cors, label).toEqual([]);
        continue;
      }
      // fetch threw TypeError <=> check has a cors.* error
      expect(cors.length > 0, `${label}: ${JSON.stringify(r.json!.findings.map((f) => f.id))}`).toBe(!u.browser.result.ok);
      if (!u.browser.result.ok) {
        // the same words: serve's cause is check's first CORS error, title included
        const served = u.diag.findings.find((f) => f.id === u.diag.cause)!;
        expect(cors[0]!.id, label).toBe(u.diag.cause);
        expect(cors[0]!.title, label).toBe(served.title);
      } else {
        const missing = r.json!.findings.find((f) => f.id === 'cors.expose-headers-missing');
        expect(missing?.title ?? '', label).toContain('Date');
        expect(missing?.title ?? '', label).not.toContain('ETag');
        expect(missing?.title ?? '', label).toContain(RID[u.provider]);
      }
    }
  });
});

describe.runIf(!haveChromium && !!process.env.CI)('CORS in headless Chromium (CI)', () => {
  it('needs /usr/bin/chromium on CI', () => {
    throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
});
