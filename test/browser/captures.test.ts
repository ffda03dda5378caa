// What a real browser's captures hold, and what `post-doctor check` makes of them. Headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core) posts signed forms to one
// sandbox bucket per provider (COS, OSS, S3, GCS, OBS, TOS): HTML form submits with a file from the file
// input (set from memory, and from a file on disk) and fetch + FormData uploads from an allowed
// origin (a text Blob, and a Blob whose bytes are not UTF-8); good forms and broken ones (wrong
// secret, expired policy, a file over the policy's content-length-range). Each upload is made
// twice: in a context recording a HAR without routing, and in one recording with routing
// (`ctx.route('**/*', r => r.continue())`). In the first, a DevTools protocol session also reads
// what DevTools holds (Network.getRequestPostData, the text "Copy as cURL/fetch/PowerShell" use).
// Then, per capture, check must agree with serve's answer, or say it cannot know:
//
// Observed with Chromium 156 / playwright-core 1.65 (asserted below):
// - HAR without routing: no postData at all (bodySize 0), for form submits and fetch alike; the
//   request headers are the ones sent, Content-Length included. check exits 2: "no request body".
// - HAR with routing: postData.text (params empty) is the body as Playwright's interception got it,
//   decoded as UTF-8; no Content-Length header in the entry. A file set from memory and a Blob are
//   in it byte for byte (sizeSource "bytes"); a file from disk is left out (an empty part: sizeSource
//   "unknown"); bytes that are not UTF-8 become U+FFFD (sizeSource "unknown").
// - DevTools (Network.enable as DevTools calls it): requestWillBeSent carries hasPostData only, no
//   postData / postDataEntries; the extra-info request headers hold Content-Length.
//   getRequestPostData: a form submit's file is left out (empty part); a fetch text Blob is in the
//   text; a Blob that is not UTF-8 comes base64Encoded and DevTools decodes it as UTF-8 (U+FFFD). A
//   form navigation answered 204 never commits, and its body is gone even when asked at once ("No
//   resource with given id was found"): DevTools copies it without a body (its cURL keeps
//   Content-Length then; with a body every copy drops it). So a left-out file's size is "unknown".
// The cURL copy without a body gets "no request body" like the other copies; the GCS sandbox
// refuses an expired policy and a file over the range (both found by this test, then fixed).
//
// Without /usr/bin/chromium these tests are skipped (with a printed reason), unless CI is set:
// then they fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ProviderId } from '../../src/core/types.js';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { SandboxBucket, type Diagnosis } from '../../src/serve/index.js';
import { sign } from '../../src/sign/index.js';
import { copyAsCurlRaw, copyAsFetchRaw, copyAsPowerShellRaw, devtoolsBodyText, type DevtoolsRequest, type Header } from './capture-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SECRET = 'browser-captures-secret-0123456789';
const WRONG_SECRET = 'not-the-bucket-secret-000000000000';
const PROVIDERS: ProviderId[] = ['cos', 'oss', 's3', 'gcs', 'obs', 'tos'];
const AK: Record<ProviderId, string> = {
  cos: 'AKIDbrowserCaptureKey0123456789abc',
  oss: 'LTAIbrowserCaptureKey012',
  s3: 'AKIABROWSERCAPTURE01',
  gcs: 'GOOG1EBROWSERCAPTUREHMACACCESSID01234',
  obs: 'OBSBROWSERCAPTURE0001',
  tos: 'AKLTbrowserCaptureKey0123456789',
};
const BUCKET: Record<ProviderId, string> = { cos: 'examplebucket-1250000000', oss: 'example-bucket', s3: 'example-bucket', gcs: 'example-bucket', obs: 'example-bucket', tos: 'example-bucket' };
const REGION: Record<ProviderId, string | undefined> = { cos: 'ap-beijing', oss: 'cn-hangzhou', s3: 'us-east-1', gcs: undefined, obs: 'cn-north-4', tos: 'cn-beijing' };
const RID_HEADER: Record<ProviderId, string> = {
  cos: 'x-cos-request-id',
  oss: 'x-oss-request-id',
  s3: 'x-amz-request-id',
  gcs: 'x-guploader-uploadid',
  obs: 'x-obs-request-id',
  tos: 'x-tos-request-id',
};
/** When the forms are signed; serve and check both take "now" a minute later. */
const SIGNED_AT = new Date('2030-03-01T10:00:00Z');
const NOW = new Date('2030-03-01T10:01:00Z');
const MIN_SIZE = 1;
const MAX_SIZE = 1024;
const BIG = 4096;
/** A PNG signature, then bytes that are no UTF-8 (0xff, 0xfe, a lone continuation byte, a broken pair, NUL). */
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x41, 0x42, ...Array.from({ length: 48 }, (_, i) => (i * 37 + 0x90) & 0xff)]);
/** Findings that judge the file's size. */
const SIZE_IDS = new Set(['file.too-large', 'file.too-small', 'file.over-provider-limit']);

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.log(`skipping the browser capture tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

type SizeSource = 'bytes' | 'content-length' | 'unknown';

interface Scenario {
  id: string;
  via: 'form' | 'fetch';
  /** buffer: the file input set from memory; disk: from a file on disk; text/binary: a Blob. */
  file: 'buffer' | 'disk' | 'text-blob' | 'binary-blob';
  size: number;
  secret?: string;
  expired?: boolean;
  /** What serve must answer. */
  expect: 'accepted' | 'signature' | 'expired' | 'too-large';
  /** What the routed HAR and the DevTools copies can tell of the file's size (observed). */
  routedSize: SizeSource;
  copySize: SizeSource;
}

const SCENARIOS: Scenario[] = [
  { id: 'form-good', via: 'form', file: 'buffer', size: 20, expect: 'accepted', routedSize: 'bytes', copySize: 'unknown' },
  { id: 'form-wrong-secret', via: 'form', file: 'buffer', size: 20, secret: WRONG_SECRET, expect: 'signature', routedSize: 'bytes', copySize: 'unknown' },
  { id: 'form-too-large', via: 'form', file: 'buffer', size: BIG, expect: 'too-large', routedSize: 'bytes', copySize: 'unknown' },
  { id: 'form-disk-good', via: 'form', file: 'disk', size: 100, expect: 'accepted', routedSize: 'unknown', copySize: 'unknown' },
  { id: 'form-disk-too-large', via: 'form', file: 'disk', size: BIG, expect: 'too-large', routedSize: 'unknown', copySize: 'unknown' },
  { id: 'fetch-good', via: 'fetch', file: 'text-blob', size: 18, expect: 'accepted', routedSize: 'bytes', copySize: 'bytes' },
  { id: 'fetch-expired', via: 'fetch', file: 'text-blob', size: 18, expired: true, expect: 'expired', routedSize: 'bytes', copySize: 'bytes' },
  { id: 'fetch-too-large', via: 'fetch', file: 'text-blob', size: BIG, expect: 'too-large', routedSize: 'bytes', copySize: 'bytes' },
  { id: 'fetch-binary', via: 'fetch', file: 'binary-blob', size: BINARY.length, expect: 'accepted', routedSize: 'unknown', copySize: 'unknown' },
];

/** Printable text of exactly n bytes. */
function textOf(n: number): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `line ${i} of the upload\n`;
  return s.slice(0, n);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function formPage(action: string, fields: Array<[string, string]>): string {
  const inputs = fields.map(([k, v]) => `    <input type="hidden" name="${esc(k)}" value="${esc(v)}">`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>upload</title></head><body>
  <form action="${esc(action)}" method="post" enctype="multipart/form-data">
${inputs.join('\n')}
    <input type="file" name="file" id="file">
    <input type="submit" value="Upload" id="go">
  </form></body></html>`;
}

interface DevtoolsSeen {
  url: string;
  method: string;
  headers: Header[];
  extraHeaders: Header[] | null;
  referrerPolicy?: string;
  /** What Network.requestWillBeSent itself carried of the body. */
  sent: { hasPostData: boolean; postData: boolean; postDataEntries: boolean };
  answer: Promise<{ postData: string; base64Encoded?: boolean } | { error: string }>;
}

interface Upload {
  provider: ProviderId;
  sc: Scenario;
  ctx: 'plain' | 'routed';
  requestId: string;
  status: number;
  diag: Diagnosis;
  devtools: (DevtoolsSeen & { got: { postData: string; base64Encoded?: boolean } | { error: string } }) | null;
}

interface HarEntry {
  request: { method: string; url: string; headers: Header[]; bodySize: number; postData?: { mimeType: string; text?: string; params?: unknown[] } };
  response: { status: number; headers: Header[] };
}

interface Report {
  request: { file: { size: number | null; sizeSource?: SizeSource } | null };
  findings: Array<{ id: string; severity: string; predicts: { status: number; code: string } | null }>;
}

function headerList(h: Record<string, string>): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(h)) for (const v of String(value).split('\n')) out.push({ name, value: v });
  return out;
}

const find = (hs: Header[], name: string): string | undefined => hs.find((h) => h.name.toLowerCase() === name)?.value;

describe.skipIf(!haveChromium && !process.env.CI)('captures from headless Chromium: HAR, routed HAR, DevTools copies', () => {
  let browser: Browser;
  let app: Server;
  let appOrigin: string;
  let work: string;
  const pages = new Map<string, string>();
  const sandboxes = new Map<ProviderId, { sb: SandboxBucket; url: string; endpoint: string }>();
  const diags: Diagnosis[] = [];
  const uploads: Upload[] = [];
  const har = { plain: '', routed: '' };
  /** request id -> [--entry number (1-based, among POST multipart entries), the entry, its log.entries index], per HAR. */
  const entries = { plain: new Map<string, [number, HarEntry, number]>(), routed: new Map<string, [number, HarEntry, number]>() };

  async function checkCli(file: string, provider: ProviderId, extra: string[] = []): Promise<{ exit: number; out: string; err: string; report: Report | null }> {
    let out = '';
    let err = '';
    const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: { PD_TEST_SECRET: SECRET }, cwd: work };
    const exit = await run(['node', 'post-doctor', 'check', file, ...extra, '--provider', provider, '--secret-env', 'PD_TEST_SECRET', '--now', NOW.toISOString(), '--format', 'json'], io);
    return { exit, out, err, report: exit < 2 ? (JSON.parse(out) as Report) : null };
  }

  function signed(provider: ProviderId, sc: Scenario): Array<[string, string]> {
    const at = sc.expired ? new Date(NOW.getTime() - 3 * 3600_000) : SIGNED_AT;
    const region = REGION[provider];
    return sign({
      provider,
      bucket: BUCKET[provider],
      ...(region ? { region } : {}),
      keyPrefix: 'uploads/',
      minSize: MIN_SIZE,
      maxSize: MAX_SIZE,
      now: at,
      expiresAt: new Date(at.getTime() + 3600_000),
      accessKeyId: AK[provider],
      secret: sc.secret ?? SECRET,
      endpoint: sandboxes.get(provider)!.endpoint,
    }).fields;
  }

  /** One upload in `page`; with `cdp`, what DevTools holds for it too. */
  async function upload(
    ctx: 'plain' | 'routed',
    page: Page,
    cdp: { session: CDPSession; seen: Map<string, DevtoolsSeen>; order: string[] } | null,
    provider: ProviderId,
    sc: Scenario,
  ): Promise<Upload> {
    const { url: sbUrl, endpoint } = sandboxes.get(provider)!;
    const fields = signed(provider, sc);
    const name = `${sc.id}-${ctx}.${sc.file === 'binary-blob' ? 'png' : 'txt'}`;
    const type = sc.file === 'binary-blob' ? 'image/png' : 'text/plain';
    const before = cdp?.order.length ?? 0;
    const isUpload = (r: { request(): { method(): string }; url(): string }): boolean => r.request().method() === 'POST' && r.url().startsWith(sbUrl);
    let resp;
    if (sc.via === 'form') {
      const path = `/form/${provider}/${name}`;
      pages.set(path, formPage(endpoint, fields));
      await page.goto(`${appOrigin}${path}`);
      if (sc.file === 'disk') {
        const file = join(work, name);
        writeFileSync(file, textOf(sc.size));
        await page.setInputFiles('#file', file);
      } else await page.setInputFiles('#file', { name, mimeType: type, buffer: Buffer.from(textOf(sc.size)) });
      [resp] = await Promise.all([page.waitForResponse(isUpload), page.click('#go')]);
    } else {
      await page.goto(`${appOrigin}/blank`);
      const args = { action: endpoint, fields, name, type, text: sc.file === 'text-blob' ? textOf(sc.size) : null, bytes: sc.file === 'binary-blob' ? [...BINARY] : null };
      const [r, status] = await Promise.all([
        page.waitForResponse(isUpload),
        page.evaluate(async (a) => {
          const fd = new FormData();
          for (const [k, v] of a.fields) fd.append(k, v);
          fd.append('file', new Blob([a.text ?? new Uint8Array(a.bytes ?? [])], { type: a.type }), a.name);
          const res = await fetch(a.action, { method: 'POST', body: fd });
          return res.status;
        }, args),
      ]);
      expect(status, `${provider} ${sc.id}: the script reads the answer (CORS)`).toBe(r.status());
      resp = r;
    }
    const requestId = (await resp.allHeaders())[RID_HEADER[provider]] ?? '';
    const diag = diags.find((d) => d.requestId === requestId);
    if (!diag) throw new Error(`${provider} ${sc.id} (${ctx}): no diagnosis for request ${requestId}`);
    let devtools: Upload['devtools'] = null;
    if (cdp) {
      const ids = cdp.order.slice(before).filter((id) => cdp.seen.get(id)!.url.startsWith(sbUrl));
      expect(ids, `${provider} ${sc.id}: one POST seen by DevTools`).toHaveLength(1);
      const seen = cdp.seen.get(ids[0]!)!;
      devtools = { ...seen, got: await seen.answer };
    }
    return { provider, sc, ctx, requestId, status: resp.status(), diag, devtools };
  }

  async function contextWith(ctxName: 'plain' | 'routed'): Promise<{ ctx: BrowserContext; page: Page; cdp: { session: CDPSession; seen: Map<string, DevtoolsSeen>; order: string[] } | null }> {
    har[ctxName] = join(work, `${ctxName}.har`);
    const ctx = await browser.newContext({ recordHar: { path: har[ctxName], content: 'embed' } });
    if (ctxName === 'routed') await ctx.route('**/*', (r) => r.continue());
    const page = await ctx.newPage();
    if (ctxName === 'routed') return { ctx, page, cdp: null };
    const session = await ctx.newCDPSession(page);
    const seen = new Map<string, DevtoolsSeen>();
    const order: string[] = [];
    const early = new Map<string, Header[]>();
    session.on('Network.requestWillBeSent', (e) => {
      if (e.request.method !== 'POST') return;
      // asked at once: the resource is gone after the page navigates on
      const answer = session.send('Network.getRequestPostData', { requestId: e.requestId }).then(
        (a) => a,
        (x: unknown) => ({ error: String(x) }),
      );
      seen.set(e.requestId, {
        url: e.request.url,
        method: e.request.method,
        headers: headerList(e.request.headers),
        extraHeaders: early.get(e.requestId) ?? null,
        referrerPolicy: e.request.referrerPolicy,
        sent: { hasPostData: e.request.hasPostData === true, postData: e.request.postData !== undefined, postDataEntries: e.request.postDataEntries !== undefined },
        answer,
      });
      order.push(e.requestId);
    });
    session.on('Network.requestWillBeSentExtraInfo', (e) => {
      const s = seen.get(e.requestId);
      if (s) s.extraHeaders = headerList(e.headers);
      else early.set(e.requestId, headerList(e.headers));
    });
    // as DevTools enables it (NetworkManager: maxPostDataSize 64 KiB); Chromium still sends no
    // multipart body in requestWillBeSent, so DevTools asks getRequestPostData when it copies
    await session.send('Network.enable', { maxPostDataSize: 64 * 1024 });
    return { ctx, page, cdp: { session, seen, order } };
  }

  function readHar(ctxName: 'plain' | 'routed'): void {
    const doc = JSON.parse(readFileSync(har[ctxName], 'utf8')) as { log: { entries: HarEntry[] } };
    let n = 0;
    doc.log.entries.forEach((e, index) => {
      const multipart = /^multipart\/form-data/i.test(e.request.postData?.mimeType ?? find(e.request.headers, 'content-type') ?? '');
      if (e.request.method !== 'POST' || !multipart) return;
      n++;
      for (const p of PROVIDERS) {
        const rid = find(e.response.headers, RID_HEADER[p]);
        if (rid) entries[ctxName].set(rid, [n, e, index]);
      }
    });
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    const { chromium } = await import('playwright-core');
    work = mkdtempSync(join(tmpdir(), 'pd-captures-'));
    app = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://h');
      const body = u.pathname === '/blank' ? '<!doctype html><meta charset="utf-8"><title>fetch upload</title>' : pages.get(u.pathname);
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    for (const provider of PROVIDERS) {
      const sb = new SandboxBucket({ provider, secret: SECRET, bucket: BUCKET[provider], now: NOW, corsOrigins: [appOrigin], onDiagnosis: (d) => diags.push(d) });
      const url = await sb.listen();
      sandboxes.set(provider, { sb, url, endpoint: provider === 's3' || provider === 'gcs' ? `${url}${BUCKET[provider]}` : url });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    for (const ctxName of ['plain', 'routed'] as const) {
      const { ctx, page, cdp } = await contextWith(ctxName);
      try {
        for (const provider of PROVIDERS) for (const sc of SCENARIOS) uploads.push(await upload(ctxName, page, cdp, provider, sc));
      } finally {
        await ctx.close(); // writes the HAR
      }
      readHar(ctxName);
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const { sb } of sandboxes.values()) await sb.close();
    await new Promise<void>((r) => (app ? app.close(() => r()) : r()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const of = (provider: ProviderId, ctx: 'plain' | 'routed'): Upload[] => uploads.filter((u) => u.provider === provider && u.ctx === ctx);

  /** The capture's report against serve's answer: the same first predicted error, or (size unknown) no size error. */
  function judge(label: string, r: { exit: number; report: Report | null; err: string }, u: Upload, sizeSource: SizeSource): void {
    expect(r.exit, `${label}: ${r.err}`).toBeLessThan(2);
    const report = r.report!;
    const file = report.request.file!;
    expect(file.sizeSource, label).toBe(sizeSource);
    const errors = report.findings.filter((f) => f.severity === 'error');
    const predicted = errors.find((f) => f.predicts)?.predicts ?? null;
    if (sizeSource === 'unknown') {
      expect(file.size, label).toBeNull();
      expect(
        errors.map((f) => f.id).filter((id) => SIZE_IDS.has(id)),
        label,
      ).toEqual([]);
    } else expect(file.size, label).toBe(u.diag.file?.size);
    const serveJudgedSize = SIZE_IDS.has(u.diag.cause ?? '');
    // the answer serve predicted and sent (its status as the knowledge base has it: null where TOS documents only the EC)
    const answer = u.diag.findings.find((f) => f.id === u.diag.cause)?.answer ?? null;
    // (a refusal whose answer is not documented is serve's own, marked code: check predicts none)
    const own = u.diag.code === 'UndocumentedRefusal';
    const want =
      u.diag.verdict === 'accepted' || own || (serveJudgedSize && sizeSource === 'unknown')
        ? null
        : answer
          ? { status: answer.status, code: answer.code }
          : { status: u.diag.status, code: u.diag.code };
    expect(predicted ? { status: predicted.status, code: predicted.code } : null, label).toEqual(want);
    expect(r.exit, label).toBe(errors.length ? 1 : 0);
  }

  /** GCS: serve has no answer for an expired policy or a file outside content-length-range (reported). */
  const gcsGap = (u: Upload): boolean => u.provider === 'gcs' && (u.sc.expect === 'expired' || u.sc.expect === 'too-large') && u.diag.verdict === 'accepted';
  /** OBS: its answer to an expired policy is not documented: check predicts none, and serve refuses with its own marked code (asserted). */
  const undocumented = (u: Upload): boolean => u.provider === 'obs' && u.sc.expect === 'expired';

  it.each(PROVIDERS)('%s: serve answers each browser upload as the form deserves', (provider) => {
    for (const ctx of ['plain', 'routed'] as const) {
      const list = of(provider, ctx);
      expect(list).toHaveLength(SCENARIOS.length);
      for (const u of list) {
        const label = `${provider} ${u.sc.id} (${ctx})`;
        expect(u.status, label).toBe(u.diag.status);
        expect(u.diag.file?.size, label).toBe(u.sc.size);
        if (u.sc.expect === 'accepted') expect(u.diag.verdict, label).toBe('accepted');
        else if (undocumented(u)) {
          // found, with no answer: post-doctor says it does not know rather than guessing one,
          // and serve refuses with a code of its own rather than accept what OBS refuses
          expect(u.diag.verdict, label).toBe('refused');
          expect(u.diag.code, label).toBe('UndocumentedRefusal');
          expect(
            u.diag.findings.filter((f) => f.severity === 'error').map((f) => [f.id, f.answer]),
            label,
          ).toEqual([['time.expired', null]]);
        } else if (gcsGap(u)) {
          // accepted, though check found the error: the finding names no GCS answer
          const id = u.sc.expect === 'expired' ? /expired/ : /^file\.too-large$/;
          expect(
            u.diag.findings.filter((f) => f.severity === 'error' && id.test(f.id)).map((f) => f.answer),
            label,
          ).toEqual([null]);
        } else {
          expect(u.diag.verdict, label).toBe('refused');
          const cause = { signature: /^signature\./, expired: /expired/, 'too-large': /^file\.too-large$/ }[u.sc.expect];
          expect(u.diag.cause, label).toMatch(cause);
        }
      }
    }
  });

  it.each(PROVIDERS)('%s: a HAR recorded without routing has no request body: check exits 2 naming the entry', async (provider) => {
    for (const u of of(provider, 'plain')) {
      const label = `${provider} ${u.sc.id}`;
      const found = entries.plain.get(u.requestId);
      expect(found, label).toBeDefined();
      const [n, e, index] = found!;
      // what Chromium recorded: no postData, bodySize 0; the headers as sent, Content-Length included
      expect(e.request.postData, label).toBeUndefined();
      expect(e.request.bodySize, label).toBe(0);
      expect(Number(find(e.request.headers, 'content-length')), label).toBeGreaterThan(u.sc.size);
      const r = await checkCli(har.plain, provider, ['--entry', String(n)]);
      expect(r.exit, label).toBe(2);
      expect(r.out, label).toBe('');
      const lines = r.err.trim().split('\n');
      expect(lines, label).toHaveLength(1);
      expect(lines[0], label).toContain(`HAR entry ${n} (log.entries[${index}]): no request body`);
    }
  });

  it.each(PROVIDERS)('%s: a HAR recorded with routing: check predicts what serve answered', async (provider) => {
    for (const u of of(provider, 'routed')) {
      const label = `${provider} ${u.sc.id} (routed HAR)`;
      const found = entries.routed.get(u.requestId);
      expect(found, label).toBeDefined();
      const [n, e] = found!;
      // what Chromium recorded through Playwright's interception: the body as text, no params, no Content-Length
      expect(e.request.postData?.text, label).toMatch(/^--/);
      expect(e.request.postData?.params, label).toEqual([]);
      expect(find(e.request.headers, 'content-length'), label).toBeUndefined();
      const text = e.request.postData!.text!;
      if (u.sc.file === 'disk') expect(text, label).toMatch(/filename="[^"]+"\r\nContent-Type: text\/plain\r\n\r\n\r\n--/);
      if (u.sc.file === 'buffer' || u.sc.file === 'text-blob') expect(text, label).toContain(textOf(u.sc.size));
      judge(label, await checkCli(har.routed, provider, ['--entry', String(n)]), u, u.sc.routedSize);
    }
  });

  it.each(PROVIDERS)('%s: DevTools copies (cURL, fetch, PowerShell from getRequestPostData): check agrees with serve, or the size is unknown', async (provider) => {
    for (const u of of(provider, 'plain')) {
      const label = `${provider} ${u.sc.id}`;
      const dt = u.devtools!;
      // requestWillBeSent says there is a body and carries none of it: DevTools asks for it later
      expect(dt.sent, label).toEqual({ hasPostData: true, postData: false, postDataEntries: false });
      const headers = dt.extraHeaders ?? dt.headers;
      // the headers DevTools shows (extra info) hold the Content-Length sent; every copy leaves it out
      expect(dt.extraHeaders, label).not.toBeNull();
      expect(Number(find(headers, 'content-length')), label).toBeGreaterThan(u.sc.size);
      // a form navigation answered 204 No Content never commits: the body is gone even when asked at once
      const lost = u.sc.via === 'form' && u.status === 204;
      expect('error' in dt.got ? dt.got.error : null, label).toEqual(lost ? expect.stringMatching(/No resource with given id was found/) : null);
      let body: string | null = null;
      if (!('error' in dt.got)) {
        const got = dt.got;
        expect(got.base64Encoded ?? false, label).toBe(u.sc.file === 'binary-blob');
        body = devtoolsBodyText(got, find(headers, 'content-type'));
        if (u.sc.via === 'form') expect(body, label).toMatch(/filename="[^"]+"\r\nContent-Type: text\/plain\r\n\r\n\r\n--/);
        if (u.sc.file === 'text-blob') expect(body, label).toContain(textOf(u.sc.size));
      }
      const req: DevtoolsRequest = { url: dt.url, method: dt.method, headers, body, ...(dt.referrerPolicy ? { referrerPolicy: dt.referrerPolicy } : {}) };
      const copies: Array<[string, string]> = [
        ['curl', copyAsCurlRaw(req)],
        ['fetch', copyAsFetchRaw(req, 'browser')],
        ['powershell', copyAsPowerShellRaw(req)],
      ];
      for (const [kind, text] of copies) {
        // without a body, DevTools' cURL keeps the Content-Length header (it drops it only with --data-raw)
        expect(/content-length/i.test(text), `${label} ${kind}`).toBe(body === null && kind === 'curl');
        const file = join(work, `${provider}-${u.sc.id}.${kind}.txt`);
        writeFileSync(file, text);
        if (body === null) {
          if (kind === 'curl') continue; // judged as an empty form: the known bug below
          // DevTools copies it without a body: never judged as an empty form
          const r = await checkCli(file, provider);
          expect(r.exit, `${label} ${kind}: ${r.out}`).toBe(2);
          expect(r.err, `${label} ${kind}`).toMatch(/no request body/);
        } else judge(`${label} (copy as ${kind})`, await checkCli(file, provider), u, u.sc.copySize);
      }
    }
  });

  it.each(PROVIDERS)('%s: a Blob that is not UTF-8: the routed HAR and DevTools hold U+FFFD; check never takes the size from that text', async (provider) => {
    const plain = of(provider, 'plain').find((u) => u.sc.file === 'binary-blob')!;
    const routed = of(provider, 'routed').find((u) => u.sc.file === 'binary-blob')!;
    // serve got the bytes as they are
    expect(routed.diag.file?.size).toBe(BINARY.length);
    expect(plain.diag.file?.size).toBe(BINARY.length);
    // the routed HAR: the bytes decoded as UTF-8, invalid ones replaced (NUL kept)
    const text = entries.routed.get(routed.requestId)![1].request.postData!.text!;
    const part = /Content-Type: image\/png\r\n\r\n([\s\S]*?)\r\n--/.exec(text)![1]!;
    expect(part).toBe(new TextDecoder().decode(BINARY));
    expect(part).toContain('\uFFFD');
    expect(part).toContain('\u0000');
    expect(Buffer.byteLength(part, 'utf8')).not.toBe(BINARY.length);
    // getRequestPostData: base64 of the exact bytes; DevTools' text is the same lossy decoding
    const got = plain.devtools!.got as { postData: string; base64Encoded?: boolean };
    expect(got.base64Encoded).toBe(true);
    expect(Buffer.from(got.postData, 'base64').includes(BINARY)).toBe(true);
    expect(devtoolsBodyText(got, undefined)).toContain(new TextDecoder().decode(BINARY));
    // check: unknown size, said to be re-encoded, nothing predicted for this good upload
    const [n] = entries.routed.get(routed.requestId)!;
    const r = await checkCli(har.routed, provider, ['--entry', String(n)]);
    judge(`${provider} binary (routed HAR)`, r, routed, 'unknown');
    expect(JSON.stringify(r.report)).toContain('input.body-re-encoded');
  });

  // DevTools' "Copy as cURL" of a request whose body it could not get (a form navigation answered
  // 204) has `-X 'POST'`, the multipart Content-Type and Content-Length, and no --data-raw: never
  // judged as an empty form.
  it.each(PROVIDERS)('%s: a cURL copy without a body gets "no request body", like the fetch and PowerShell copies', async (provider) => {
    const lost = of(provider, 'plain').filter((u) => u.devtools && 'error' in u.devtools.got);
    expect(lost.length).toBeGreaterThan(0);
    for (const u of lost) {
      const dt = u.devtools!;
      const file = join(work, `${provider}-${u.sc.id}.nobody.curl.txt`);
      writeFileSync(file, copyAsCurlRaw({ url: dt.url, method: dt.method, headers: dt.extraHeaders ?? dt.headers, body: null }));
      const r = await checkCli(file, provider);
      expect(r.exit, `${provider} ${u.sc.id}`).toBe(2);
      expect(r.err).toMatch(/no request body/);
    }
  });

  // GCS answers every policy failure, expiry and content-length-range included, with InvalidPolicyDocument
  it('gcs: serve refuses an expired policy and a file over content-length-range', () => {
    for (const u of of('gcs', 'plain').filter((x) => x.sc.expect === 'expired' || x.sc.expect === 'too-large')) {
      expect(u.diag.verdict, u.sc.id).toBe('refused');
    }
  });
});

describe.runIf(!haveChromium && !!process.env.CI)('captures from headless Chromium (CI)', () => {
  it('needs /usr/bin/chromium on CI', () => {
    throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
});
