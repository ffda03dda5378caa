// `serve` must stay up (issue 11): whatever a page on any origin sends it, the sandbox bucket
// keeps bounded memory, connections and temporary files, stores any valid key without a 500 and
// without following symlinks, answers its live view only under its own Host names, and shows
// request text masked and without raw control characters. Every server here listens on
// 127.0.0.1 port 0 and writes only to temporary folders; every request loop is bounded.
import type { FindingId } from '../../src/generated/ids.js';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  LIVE_API,
  SERVE_FINDINGS_PER_KIND,
  SERVE_MAX_BODIES,
  SERVE_MAX_CONNECTIONS,
  SERVE_MAX_FINDINGS,
  SERVE_MAX_HEADER_BYTES,
  SERVE_MAX_HEADERS,
  SERVE_MAX_PARTS,
  SERVE_MAX_TEXT,
  SERVE_STORE_NAME_MAX,
  storeObject,
  storePath,
  terminalLines,
  type Diagnosis,
} from '../../src/serve/index.js';
import { MAX_PARTS } from '../../src/input/multipart.js';
import { BUCKET, SECRET, formData, post, sandboxesClosedAfterEach, signedForm, xmlElement, type Running } from '../serve/helpers.js';
import { bundleCli, disposeBundle } from './spawn.js';

const work = mkdtempSync(join(tmpdir(), 'pd-serve-limits-'));
const sandbox = sandboxesClosedAfterEach(afterEach);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  disposeBundle();
});

let dirs = 0;
function freshDir(name: string): string {
  const d = join(work, `${name}-${++dirs}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Raw C0 / DEL / C1 characters (what must never reach the terminal). */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const BOUNDARY = '----pdLimitsBoundary7MA4YWxk';

/** A multipart body built by hand: fields in order, then an optional file part. */
function multipart(fields: Array<[string, string]>, file: { name?: string; filename: string; content: string } | null = { filename: 'a.txt', content: 'hello' }): Buffer {
  const chunks: string[] = [];
  for (const [k, v] of fields) chunks.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file) chunks.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`);
  chunks.push(`--${BOUNDARY}--\r\n`);
  return Buffer.from(chunks.join(''), 'utf8');
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with full control of the headers (Host included), bounded in time. */
function raw(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method: o.method ?? 'GET', path: o.path ?? u.pathname + u.search, headers: o.headers ?? {}, timeout: 60_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(o.body);
  });
}

function postMultipart(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<Raw> {
  return raw(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length), ...headers }, body });
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Uploads that send their headers and the start of a body, then stall (a socket each). */
function stalledUploads(url: string, n: number, path = '/'): Socket[] {
  const u = new URL(url);
  const out: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = connect(Number(u.port), '127.0.0.1', () => {
      s.write(
        `POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 50000\r\n\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/`,
      );
    });
    s.on('error', () => undefined);
    out.push(s);
  }
  return out;
}

const bodyFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('post-doctor-serve-'));

function liveJson(s: Running, headers: Record<string, string> = {}): Promise<Raw> {
  return raw(`${s.url}${LIVE_API.slice(1)}`, { headers });
}

// ---------------------------------------------------------------------------

describe('serve: hostile multipart bodies keep memory bounded', () => {
  it(`a 100,000-field POST (8 MB) is refused like a malformed body (over the CLI's ${MAX_PARTS} parts), five of them leave nothing behind`, async () => {
    expect(SERVE_MAX_PARTS).toBe(MAX_PARTS);
    const tmp = freshDir('tmp');
    const s = await sandbox('s3', { tmpDir: tmp });
    const fields: Array<[string, string]> = [];
    for (let i = 0; i < 100_000; i++) fields.push([`x-amz-meta-f${i}`, `v${i}`]);
    const body = multipart(fields);
    expect(body.length).toBeGreaterThan(4_000_000);
    for (let i = 0; i < 5; i++) {
      // a page on any origin can send this with fetch(url, { mode: 'no-cors' })
      const r = await postMultipart(s.endpoint, body, { origin: 'http://evil.test', 'sec-fetch-mode': 'no-cors', 'sec-fetch-site': 'cross-site' });
      expect(r.status).toBe(400);
      expect(xmlElement(r.body, 'Code')).toBe('MalformedPOSTRequest');
      const d = s.diags.at(-1)!;
      expect(d.cause).toBe('body.parse-error');
      expect(d.findings).toHaveLength(1);
      const live = await liveJson(s);
      expect(live.status).toBe(200);
      expect(live.body.length).toBeLessThan(64 * 1024);
      expect(bodyFiles(tmp)).toEqual([]);
    }
    expect(s.sb.openBodies).toBe(0);
  }, 120_000);

  it(`9,000 fields outside the policy: the diagnosis keeps the first ${SERVE_FINDINGS_PER_KIND} of the kind and counts the rest`, async () => {
    const s = await sandbox('s3');
    const extra: Array<[string, string]> = [];
    for (let i = 0; i < 9000; i++) extra.push([`x-amz-meta-f${i}`, `value-${i}`]);
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { extra }));
    expect(r.status).toBe(403);
    const d = s.diags.at(-1)!;
    const kind = d.findings.filter((f) => f.id === d.cause);
    expect(kind).toHaveLength(SERVE_FINDINGS_PER_KIND);
    expect(kind.reduce((n, f) => n + 1 + (f.more ?? 0), 0)).toBe(9000);
    expect(kind.at(-1)!.more).toBe(9000 - SERVE_FINDINGS_PER_KIND);
    expect(d.findings.length).toBeLessThanOrEqual(SERVE_MAX_FINDINGS);
    expect(JSON.stringify(d).length).toBeLessThan(64 * 1024);
    // the terminal shows a few lines and the count, not 9,000 lines
    const lines = terminalLines(d, 'en');
    expect(lines.length).toBeLessThan(SERVE_MAX_FINDINGS + 10);
    expect(lines.join('\n')).toContain(`(+${9000 - SERVE_FINDINGS_PER_KIND})`);
  }, 60_000);

  it('the history is bounded by bytes as well as by count; the newest diagnosis is always kept', async () => {
    const limit = 48 * 1024;
    const s = await sandbox('s3', { historyBytes: limit });
    for (let i = 1; i <= 30; i++) {
      // each diagnosis carries a long path (cut to SERVE_MAX_TEXT) and a long key
      const r = await post(`${s.endpoint}?q=${'p'.repeat(4000)}`, formData(signedForm('s3', s.endpoint), { key: `uploads/${String(i).padStart(4, '0')}-${'k'.repeat(900)}` }));
      expect(r.status).toBe(204);
      expect(s.sb.historySize).toBeLessThanOrEqual(limit);
      const live = await liveJson(s);
      expect(live.body.length).toBeLessThanOrEqual(limit + 64);
      const list = (JSON.parse(live.body) as { requests: Diagnosis[] }).requests;
      expect(list.at(-1)!.id).toBe(i);
      expect(list.at(-1)!.path.length).toBeLessThanOrEqual(SERVE_MAX_TEXT);
    }
    expect(s.sb.diagnoses().length).toBeLessThan(30);
    // one diagnosis larger than the whole budget is still kept, alone
    const tiny = await sandbox('cos', { historyBytes: 10 });
    await fetch(`${tiny.url}x`, { method: 'DELETE' });
    await fetch(`${tiny.url}y`, { method: 'DELETE' });
    expect(tiny.sb.diagnoses().map((d) => d.path)).toEqual(['/y']);
  }, 60_000);

  it('a property: whatever findings a request has, its diagnosis stays within the per-kind and total limits', async () => {
    const { summariseFindings } = await import('../../src/serve/index.js');
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ids), { maxLength: 3000 }), fc.nat(), (seq, pick) => {
        const findings = seq.map((id) => ({ id: id as FindingId, severity: 'error' as const, facts: {}, predicts: null }));
        const keep = findings.length ? findings[pick % findings.length]! : null;
        const { kept, omitted } = summariseFindings(findings, keep);
        // nothing lost: kept + counted = all
        expect(kept.length + kept.reduce((n, k) => n + k.more, 0) + omitted).toBe(findings.length);
        expect(kept.length).toBeLessThanOrEqual(SERVE_MAX_FINDINGS + 1);
        const per = new Map<string, number>();
        for (const k of kept) per.set(k.finding.id, (per.get(k.finding.id) ?? 0) + 1);
        for (const n of per.values()) expect(n).toBeLessThanOrEqual(SERVE_FINDINGS_PER_KIND + 1);
        if (keep) expect(kept.some((k) => k.finding === keep)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it(`HTTP headers are capped at ${SERVE_MAX_HEADERS} per request and connections at ${SERVE_MAX_CONNECTIONS}`, async () => {
    const s = await sandbox('oss');
    expect(s.sb.limits).toMatchObject({ headers: SERVE_MAX_HEADERS, connections: SERVE_MAX_CONNECTIONS });
    // 1,200 headers within the header bytes: the HTTP parser keeps at most SERVE_MAX_HEADERS
    // (or refuses the request with 400); the server keeps serving
    const many: Record<string, string> = {};
    for (let i = 0; i < 1200; i++) many[`h${i}`] = '1';
    const r = await raw(s.url, { method: 'DELETE', path: '/x', headers: many });
    expect([400, 405]).toContain(r.status);
    // a header block over SERVE_MAX_HEADER_BYTES: 431
    const big = await raw(s.url, { path: '/x', headers: { 'x-big': 'b'.repeat(SERVE_MAX_HEADER_BYTES + 10) } }).catch(() => null);
    if (big) expect(big.status).toBe(431);
    // 200 idle connections: the server closes those over its limit at once
    const port = Number(new URL(s.url).port);
    const socks: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < 200; i++) {
      const sock = connect(port, '127.0.0.1');
      sock.on('error', () => undefined);
      sock.on('close', () => closed++);
      socks.push(sock);
    }
    await until(() => closed >= 200 - SERVE_MAX_CONNECTIONS, 10_000, 'the connections over the limit to be closed');
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(200 - SERVE_MAX_CONNECTIONS);
    for (const sock of socks) sock.destroy();
    await until(() => closed === 200, 5000, 'all test connections to close');
    const ok = await post(s.endpoint, formData(signedForm('oss', s.endpoint)));
    expect(ok.status).toBe(204);
  }, 60_000);
});

describe('serve: temporary body files are capped and removed on every exit path', () => {
  it(`at most ${SERVE_MAX_BODIES} bodies are on disk at once; aborted uploads leave nothing`, async () => {
    const tmp = freshDir('tmp');
    const s = await sandbox('s3', { tmpDir: tmp });
    const socks = stalledUploads(s.url, 20, `/${BUCKET.s3}`);
    await until(() => bodyFiles(tmp).length >= SERVE_MAX_BODIES, 10_000, 'the body slots to fill');
    await new Promise((r) => setTimeout(r, 300));
    expect(bodyFiles(tmp).length).toBe(SERVE_MAX_BODIES);
    expect(s.sb.openBodies).toBe(SERVE_MAX_BODIES);
    // the waiting ones are not lost: the live view and other requests still answer
    expect((await liveJson(s)).status).toBe(200);
    for (const sock of socks) sock.destroy();
    await until(() => bodyFiles(tmp).length === 0 && s.sb.openBodies === 0, 10_000, 'the aborted bodies to be removed');
    const ok = await post(s.endpoint, formData(signedForm('s3', s.endpoint)));
    expect(ok.status).toBe(204);
    expect(bodyFiles(tmp)).toEqual([]);
  }, 60_000);

  it('parser errors, limits hit and server close remove the body too', async () => {
    const tmp = freshDir('tmp');
    const s = await sandbox('s3', { tmpDir: tmp, maxBody: 64 * 1024 });
    // a body that is not multipart at all, and one that ends inside a part
    expect((await raw(s.endpoint, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: `--${BOUNDARY}\r\nbroken` })).status).toBe(400);
    expect((await raw(s.endpoint, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1000) })).status).toBeGreaterThanOrEqual(400);
    expect(bodyFiles(tmp)).toEqual([]);
    // over --max-body while streaming (no Content-Length)
    const overflow = await new Promise<number>((resolve) => {
      const req = httpRequest(s.endpoint, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      for (let i = 0; i < 100; i++) req.write('y'.repeat(1024));
      req.end();
    });
    expect([400, -1]).toContain(overflow);
    // over the part limit
    const parts: Array<[string, string]> = [];
    for (let i = 0; i < SERVE_MAX_PARTS + 5; i++) parts.push([`f${i}`, '']);
    const big = await sandbox('s3', { tmpDir: tmp });
    expect((await postMultipart(big.endpoint, multipart(parts))).status).toBe(400);
    await until(() => bodyFiles(tmp).length === 0, 5000, 'the bodies to be removed');
    // close() with uploads in flight: nothing left once it resolves
    const socks = stalledUploads(s.url, 3, `/${BUCKET.s3}`);
    await until(() => bodyFiles(tmp).length === 3, 10_000, 'three bodies on disk');
    await s.close();
    expect(bodyFiles(tmp)).toEqual([]);
    for (const sock of socks) sock.destroy();
  }, 60_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'the serve process stopped with %s leaves no temporary body behind',
    async (signal) => {
      const { cli } = await bundleCli();
      const tmp = freshDir('proc-tmp');
      const child = spawn(process.execPath, [cli, 'serve', '--provider', 's3', '--bucket', BUCKET.s3, '--no-color'], {
        env: { ...process.env, TMPDIR: tmp, AWS_SECRET_ACCESS_KEY: SECRET, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', () => undefined);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(out), 20_000, 'the banner');
        const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
        const socks = stalledUploads(url, 2, `/${BUCKET.s3}`);
        await until(() => bodyFiles(tmp).length === 2, 10_000, 'two bodies on disk');
        child.kill(signal);
        expect(await exited).toBe(0);
        expect(bodyFiles(tmp)).toEqual([]);
        for (const sock of socks) sock.destroy();
      } finally {
        child.kill('SIGKILL');
      }
    },
    60_000,
  );
});

describe('serve --store: any valid key, no 500, no symlink followed', () => {
  const KEYS = [
    `uploads/${'a'.repeat(300)}`, // a segment over 255 bytes
    `uploads/${'é'.repeat(200)}.txt`, // 400 bytes of UTF-8
    'uploads/d', // a file ...
    'uploads/d/b', // ... then a key below it
    'uploads/e/f', // a directory ...
    'uploads/e', // ... then the same name as a file
    'uploads/.',
    'uploads/..',
    'uploads/../../escape',
    'uploads//x',
    'uploads/./x',
    'uploads/x',
    'uploads/%2E',
    'uploads/%',
    'uploads/back\\slash',
    `uploads/${'%%%%%%%%/'.repeat(130)}deep`, // over SERVE_STORE_PATH_MAX once encoded
    'uploads/',
  ];

  it('keys the file system cannot hold as named are stored under safe, distinct names', async () => {
    const store = freshDir('store');
    const s = await sandbox('s3', { store });
    const root = realpathSync(store);
    const stored = new Map<string, { path: string; content: string }>();
    for (const [i, key] of KEYS.entries()) {
      const content = `content ${i} for ${key.slice(0, 40)}`;
      const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { key, content }));
      expect(r.status, key).toBeLessThan(500);
      expect(r.status, `${key}: ${r.body}`).toBe(204);
      const d = s.diags.at(-1)!;
      expect(d.stored, key).not.toBeNull();
      stored.set(key, { path: d.stored!, content });
    }
    for (const [key, { path, content }] of stored) {
      expect(path.startsWith(root + sep), key).toBe(true);
      for (const name of path.slice(root.length + 1).split(sep)) expect(Buffer.byteLength(name), key).toBeLessThanOrEqual(SERVE_STORE_NAME_MAX);
      // nothing overwrote another key's file
      expect(readFileSync(path, 'utf8'), key).toBe(content);
    }
    expect(new Set([...stored.values()].map((v) => v.path)).size).toBe(KEYS.length);
    // ordinary keys keep their readable place
    expect(stored.get('uploads/x')!.path).toBe(join(root, 'uploads', 'x'));
  }, 60_000);

  it('a symlink planted in the store is never written through', async () => {
    const store = freshDir('store');
    const outside = freshDir('outside');
    writeFileSync(join(outside, 'target.txt'), 'precious');
    symlinkSync(outside, join(store, 'uploads')); // a directory link
    mkdirSync(join(store, 'files'));
    symlinkSync(join(outside, 'target.txt'), join(store, 'files', 'f.txt')); // a file link
    symlinkSync('/nonexistent-pd-dir/x', join(store, 'dangling'));
    const s = await sandbox('s3', { store });
    const form = signedForm('s3', s.endpoint, { keyPrefix: '' });
    for (const key of ['uploads/x.txt', 'uploads/sub/y.txt', 'files/f.txt', 'dangling', 'dangling/z.txt']) {
      const r = await post(s.endpoint, formData(form, { key, content: `new ${key}` }));
      expect(r.status, key).toBe(204);
      const d = s.diags.at(-1)!;
      expect(realpathSync(d.stored!).startsWith(realpathSync(store) + sep), key).toBe(true);
      expect(lstatSync(d.stored!).isFile(), key).toBe(true);
      expect(readFileSync(d.stored!, 'utf8')).toBe(`new ${key}`);
    }
    expect(readdirSync(outside)).toEqual(['target.txt']);
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('precious');
    expect(existsSync('/nonexistent-pd-dir')).toBe(false);
    // the planted file link itself was replaced by the stored file, its target untouched
    expect(lstatSync(join(store, 'files', 'f.txt')).isSymbolicLink()).toBe(false);
  }, 60_000);

  it('a property: any sequence of keys is stored inside the store, one file per key, none overwriting another', async () => {
    const seg = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '.', '%', '2', 'E', 'F', '\\', 'é', '\u001b', ' ', '~', '\u202e'), maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('x', 'é', '%'), minLength: 200, maxLength: 400 }) },
      { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%', '%2E', '%2F') },
    );
    const key = fc.array(seg, { minLength: 1, maxLength: 5 }).map((a) => a.join('/'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), async (keys) => {
        const store = join(work, `prop-store-${++run}`);
        mkdirSync(store);
        const root = realpathSync(store);
        try {
          const paths = new Map<string, string>();
          for (const [i, k] of keys.entries()) {
            const out = await storeObject(store, k, async (fh) => {
              await fh.write(Buffer.from(`#${i}`));
            });
            expect(out.path.startsWith(root + sep)).toBe(true);
            paths.set(k, out.path);
          }
          for (const [i, k] of keys.entries()) expect(readFileSync(paths.get(k)!, 'utf8')).toBe(`#${i}`);
          expect(new Set(paths.values()).size).toBe(keys.length);
          // the readable layout alone is injective too
          expect(new Set(keys.map((k) => storePath(root, k))).size).toBe(keys.length);
        } finally {
          rmSync(store, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('serve: the live view answers only under its own Host names (DNS rebinding)', () => {
  it('another Host gets 403 and no data; the server names get the page and the data', async () => {
    const s = await sandbox('s3');
    const r0 = await post(s.endpoint, formData(signedForm('s3', s.endpoint)));
    expect(r0.status).toBe(204);
    const rid = s.diags.at(-1)!.requestId;
    const port = new URL(s.url).port;
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1.nip.io:${port}`,
      `localhost:${Number(port) + 1}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port}.evil.example`,
      `localhost:${port}@evil.example`,
    ]) {
      for (const path of ['/', '/index.html', LIVE_API, `${LIVE_API}?after=0`]) {
        for (const method of ['GET', 'HEAD']) {
          const r = await raw(s.url, { method, path, headers: { host } });
          expect(r.status, `${method} ${path} Host: ${host}`).toBe(403);
          expect(r.body).not.toContain(rid);
          expect(r.body).not.toContain('<title>');
        }
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const page = await raw(s.url, { path: '/', headers: { host } });
      expect(page.status, host).toBe(200);
      const data = await raw(s.url, { path: LIVE_API, headers: { host } });
      expect(data.status, host).toBe(200);
      expect(data.body).toContain(rid);
    }
    // no Host at all (HTTP/1.0): refused too
    const noHost = await new Promise<string>((resolve) => {
      let got = '';
      const sock = connect(Number(port), '127.0.0.1', () => sock.write(`GET ${LIVE_API} HTTP/1.0\r\n\r\n`));
      sock.on('data', (c: Buffer) => (got += c.toString()));
      sock.on('close', () => resolve(got));
      sock.on('error', () => resolve(got));
      sock.setTimeout(10_000, () => sock.destroy());
    });
    expect(noHost).toMatch(/^HTTP\/1\.[01] 403/);
    expect(noHost).not.toContain(rid);
    // uploads are not the live view: a bucket answers any Host
    const up = await post(s.endpoint, formData(signedForm('s3', s.endpoint)));
    expect(up.status).toBe(204);
  }, 60_000);

  it('a property: any other host name is refused', async () => {
    const s = await sandbox('cos');
    const port = new URL(s.url).port;
    await fc.assert(
      fc.asyncProperty(fc.domain(), fc.boolean(), async (domain, withPort) => {
        fc.pre(domain !== 'localhost');
        const r = await raw(s.url, { path: LIVE_API, headers: { host: withPort ? `${domain}:${port}` : domain } });
        expect(r.status).toBe(403);
        expect(r.body).toBe('');
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('serve: request text is masked and cannot drive the terminal', () => {
  const SIG = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const TOKEN = 'FwoGZXIvYXdzEBYaDServeSessionToken0123456789abcdefXYZ';
  const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\rFAKE\u009b31m\u202e';

  it('path, query, key, file name and field names reach the terminal line and the live view masked and escaped', async () => {
    const s = await sandbox('s3');
    const query = `?X-Amz-Signature=${SIG}&x-amz-security-token=${encodeURIComponent(TOKEN)}&X-Amz-Credential=AKIAQUERYKEY00000000%2F20300301%2Fus-east-1%2Fs3%2Faws4_request&note=%1B%5D0%3Bx%07`;
    const form = signedForm('s3', s.endpoint, { keyPrefix: '' });
    // the key and a field value carry C0 controls, a field name C1 and bidi controls
    const r1 = await post(`${s.endpoint}${query}`, formData(form, { key: `uploads/${HOSTILE}.txt`, extra: [['x-amz-meta-\u009b31m\u202eeliF', `v${HOSTILE}`]] }));
    expect(r1.status).toBe(403); // the extra field is not in the policy
    const d1 = s.diags.at(-1)!;
    // a file name with ESC and BEL: the parser refuses its part header, the name is still shown
    const r2 = await post(s.endpoint, formData(form, { filename: `f${HOSTILE}.txt` }));
    expect(r2.status).toBe(400);
    const d2 = s.diags.at(-1)!;
    // a path that names another bucket, decoded into the finding
    const r3 = await post(`${s.url}${encodeURIComponent(HOSTILE)}`, formData(form));
    expect(r3.status).toBe(404);
    const d3 = s.diags.at(-1)!;

    const lines = [d1, d2, d3].flatMap((d) => terminalLines(d, 'en'));
    const live = await liveJson(s);
    const liveStrings = collectStrings((JSON.parse(live.body) as { requests: Diagnosis[] }).requests);
    for (const t of [...lines, ...liveStrings]) expect(RAW_CONTROL.test(t), JSON.stringify(t)).toBe(false);
    for (const t of [...lines, live.body]) {
      expect(t).not.toContain(SIG);
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain(encodeURIComponent(TOKEN));
      expect(t).not.toContain('AKIAQUERYKEY00000000');
      expect(t).not.toContain(SECRET);
    }
    expect(lines[0]).toContain(`X-Amz-Signature=${SIG.slice(0, 6)}****`); // masked to a prefix, as in every report
    // (FormData sends a lone CR in a value as CRLF)
    expect(d1.key).toBe('uploads/\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x0aFAKE\\x9b31m\\u202e.txt');
    expect(d1.findings.some((f) => f.title.includes('\\x9b31m\\u202e') || f.detail.includes('\\x9b31m\\u202e'))).toBe(true);
    expect(d2.file!.name).toContain('\\x1b]0;pwned\\x07');
    // the bucket name decoded from the path is shown escaped in the cause
    expect(terminalLines(d3, 'en').some((l) => l.includes('cause: ') && l.includes('"\\x1b]0;pwned\\x07\\x1b[2J\\x0dFAKE'))).toBe(true);
  }, 60_000);

  it('the serve command prints no raw control character and no query credential', async () => {
    const { runServe } = await import('../../src/cli/commands/serve.js');
    let out = '';
    let err = '';
    const io = {
      stdout: (t: string) => (out += t),
      stderr: (t: string) => (err += t),
      isTTY: false,
      stdinIsTTY: true,
      readStdin: async () => Buffer.alloc(0),
      env: { AWS_SECRET_ACCESS_KEY: SECRET } as NodeJS.ProcessEnv,
      cwd: work,
    };
    const ac = new AbortController();
    const done = runServe(io, { provider: 's3', bucket: BUCKET.s3, port: '0', host: '127.0.0.1', now: '2030-03-01T10:01:00Z', signal: ac.signal });
    await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(out), 10_000, 'the banner');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const endpoint = `${url}${BUCKET.s3}`;
    const form = signedForm('s3', endpoint, { keyPrefix: '' });
    // accepted: the line shows the key
    expect((await post(`${endpoint}?X-Amz-Signature=${SIG}`, formData(form, { key: `uploads/${HOSTILE}` }))).status).toBe(204);
    // another bucket named in the path: the cause names it
    expect((await post(`${url}${encodeURIComponent(HOSTILE)}?x-amz-security-token=${encodeURIComponent(TOKEN)}`, formData(form))).status).toBe(404);
    await raw(url, { method: 'DELETE', path: `/${encodeURIComponent(HOSTILE)}?x-amz-security-token=${encodeURIComponent(TOKEN)}` });
    await until(() => out.includes('#3 '), 10_000, 'three diagnoses');
    ac.abort();
    expect(await done).toBe(0);
    expect(RAW_CONTROL.test(out.replace(/\n/g, ''))).toBe(false);
    expect(out).toContain('uploads/\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x0aFAKE');
    expect(out).toContain('bucket "\\x1b]0;pwned\\x07\\x1b[2J\\x0dFAKE\\x9b31m\\u202e"');
    expect(out).not.toContain(SIG);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(encodeURIComponent(TOKEN));
    expect(err).not.toContain(SECRET);
  }, 60_000);

  it('a property: whatever text a request carries, the terminal lines are single lines without control characters', async () => {
    const s = await sandbox('s3');
    const form = signedForm('s3', s.endpoint, { keyPrefix: '' });
    const text = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0x9f }).map((n) => String.fromCharCode(n)),
        fc.constantFrom('\u202e', '\u2028', 'é', '/'),
      ),
      minLength: 1,
      maxLength: 24,
    });
    await fc.assert(
      fc.asyncProperty(text, text, text, async (key, filename, field) => {
        const n = s.diags.length;
        const r = await post(s.endpoint, formData(form, { key, filename: filename.replace(/[\r\n"]/g, '_'), extra: [[`x-${field.replace(/[\r\n"]/g, '_')}`, field]] }));
        expect(r.status).toBeLessThan(500);
        const d = s.diags[n]!;
        for (const line of terminalLines(d, 'en')) expect(RAW_CONTROL.test(line), JSON.stringify(line)).toBe(false);
        for (const t of collectStrings(d)) expect(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/.test(t), JSON.stringify(t)).toBe(false);
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});

function collectStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
  return out;
}
