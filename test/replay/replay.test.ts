// replay and probe against local HTTP servers on loopback: exact bytes, streaming, no redirects,
// timeouts, network failures, proxies, --resign, masking, exit codes.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { readUploadRequest } from '../../src/input/index.js';
import { collect, planBody, planReplay, rawBodyOffset, resign, streamSegments } from '../../src/replay/index.js';
import { clockSkew, probeServerTime } from '../../src/net/probe.js';
import { sign } from '../../src/sign/index.js';
import { check } from '../../src/check/index.js';
import { NetworkError } from '../../src/core/errors.js';

const SECRET = 'replayTestSecret/000000000000000000000000';
const AK = 'AKIAREPLAYTEST000001';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  length: number;
  sha256: string;
  body: Buffer | null;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

async function serve(handler: Handler, keepBody = true): Promise<{ url: string; seen: Seen[]; close: () => Promise<void>; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const h = createHash('sha256');
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (c: Buffer) => {
      h.update(c);
      length += c.length;
      if (keepBody) chunks.push(c);
    });
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, length, sha256: h.digest('hex'), body: keepBody ? Buffer.concat(chunks) : null };
      seen.push(s);
      handler(req, res, s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function fakeIo(env: Record<string, string> = {}): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(env);
  const code = await run(['node', 'post-doctor', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-replay-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function s3Form(url: string, o: { now?: Date; expiresAt?: Date; key?: string; fields?: Array<[string, string]>; filePath?: string; content?: string; name?: string } = {}): string {
  const now = o.now ?? new Date();
  const f = sign({
    provider: 's3',
    bucket: 'replay-bucket',
    region: 'us-east-1',
    key: o.key ?? 'uploads/a.txt',
    now,
    expiresAt: o.expiresAt ?? new Date(now.getTime() + 600_000),
    accessKeyId: AK,
    secret: SECRET,
    endpoint: url,
    fields: o.fields ?? [],
  });
  const file = o.filePath
    ? { field: 'file', name: 'a.txt', path: o.filePath, contentType: 'text/plain' }
    : { field: 'file', name: 'a.txt', content: o.content ?? 'hello replay\n', contentType: 'text/plain' };
  const p = join(dir, o.name ?? `form-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ url: f.url, method: 'POST', headers: [['Origin', 'https://app.example']], fields: f.fields, file }));
  return p;
}

const S3_ERROR = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>`;

describe('the body', () => {
  test('a canonical raw capture is rebuilt byte for byte, file streamed from the capture', async () => {
    const b = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
    const body =
      `--${b}\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/x.bin\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="success_action_status"\r\n\r\n201\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\nBINARY\u0000\u0001DATA\r\n` +
      `--${b}--\r\n`;
    const capture = `POST /bucket HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: multipart/form-data; boundary=${b}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const p = join(dir, 'canonical.http');
    writeFileSync(p, capture);
    const req = await readUploadRequest({ path: p, text: capture, source: p }, { file: undefined });
    const plan = await planReplay(req);
    expect(plan.mode).toBe('multipart');
    expect(plan.segments.some((s) => s.kind === 'file')).toBe(true);
    expect((await collect(plan.segments)).toString('latin1')).toBe(Buffer.from(body).toString('latin1'));
    expect(plan.contentLength).toBe(Buffer.byteLength(body));
    expect(plan.headers).toContainEqual(['Content-Type', `multipart/form-data; boundary=${b}`]);
    expect(plan.headers.some(([k]) => k.toLowerCase() === 'host')).toBe(false);
  });

  test('a malformed capture is sent verbatim', async () => {
    const body = '--AAA\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--AAA--\r\n';
    const capture = `POST /bucket HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=BBB\r\n\r\n${body}`;
    expect(rawBodyOffset(Buffer.from(capture))).toBe(capture.length - body.length);
    const p = join(dir, 'malformed.http');
    writeFileSync(p, capture);
    const srv = await serve((_q, res) => res.writeHead(204).end());
    try {
      const r = await cli(['replay', p, '--send', '--endpoint', `${srv.url}/bucket`, '--provider', 's3']);
      expect(r.code).toBe(0);
      expect(srv.seen[0]?.body?.toString()).toBe(body);
      expect(srv.seen[0]?.headers['content-type']).toBe('multipart/form-data; boundary=BBB');
      expect(r.out).toContain('malformed');
    } finally {
      await srv.close();
    }
  });

  test('files are streamed in chunks, never read whole; the length is exact', async () => {
    const big = join(dir, 'big.bin');
    const size = 8 * 1024 * 1024 + 3;
    writeFileSync(big, Buffer.alloc(size, 0x5a));
    const plan = await planBody({
      boundary: 'XyZ',
      parts: [
        { kind: 'field', name: 'key', value: 'k' },
        { kind: 'file', name: 'file', filename: 'big.bin', contentType: null, size, source: { type: 'path', path: big } },
      ],
    });
    expect(plan.segments.filter((s) => s.kind === 'bytes').every((s) => s.kind === 'bytes' && s.data.length < 200)).toBe(true);
    let total = 0;
    let largest = 0;
    for await (const c of streamSegments(plan.segments)) {
      total += c.length;
      largest = Math.max(largest, c.length);
    }
    expect(total).toBe(plan.length);
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
    expect(plan.length).toBe(
      size + Buffer.byteLength('--XyZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n\r\n--XyZ--\r\n'),
    );
  });

  test('a placeholder file part is bad input (exit 2) until --file gives the real file', async () => {
    const b = 'QQQ';
    const body = `--${b}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n[Object Content]\r\n--${b}--\r\n`;
    const p = join(dir, 'placeholder.http');
    writeFileSync(p, `POST / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: multipart/form-data; boundary=${b}\r\n\r\n${body}`);
    const real = join(dir, 'real.png');
    writeFileSync(real, Buffer.alloc(1234, 1));
    const bad = await cli(['replay', p, '--provider', 's3']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--file/);
    const good = await cli(['replay', p, '--provider', 's3', '--file', real]);
    expect(good.code).toBe(0);
    expect(good.out).toContain(`<1234 bytes from ${real}>`);
  });
});

describe('replay --send', () => {
  test('without --send nothing is sent; the request is shown with masked credentials', async () => {
    const srv = await serve((_q, res) => res.writeHead(204).end());
    try {
      const form = s3Form(`${srv.url}/replay-bucket`);
      const r = await cli(['replay', form, '--secret-env', 'S'], { S: SECRET });
      expect(r.code).toBe(0);
      expect(srv.seen).toHaveLength(0);
      expect(r.out).toContain(`POST ${srv.url}/replay-bucket`);
      expect(r.out).toMatch(/Content-Type: multipart\/form-data; boundary=/);
      expect(r.out).toContain('Origin: https://app.example');
      expect(r.out).toContain('key = uploads/a.txt');
      expect(r.out).toContain('<13 bytes from the capture>');
      expect(r.out).not.toContain(AK);
      expect(r.out).not.toContain(SECRET);
      expect(r.out).toContain('AKIARE****');
    } finally {
      await srv.close();
    }
  });

  test('the server receives exactly the planned bytes; 204 -> exit 0, prediction agrees', async () => {
    const srv = await serve((_q, res) => res.writeHead(204).end());
    try {
      const file = join(dir, 'upload.bin');
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      writeFileSync(file, bytes);
      const form = s3Form(`${srv.url}/replay-bucket`, { filePath: file });
      const r = await cli(['replay', form, '--send', '--secret-env', 'S', '--format', 'json'], { S: SECRET });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.schema).toBe('post-doctor/replay@1');
      expect(doc.sent).toBe(true);
      expect(doc.response.status).toBe(204);
      expect(doc.prediction.accept).toBe(true);
      expect(doc.agree).toBe(true);
      const s = srv.seen[0]!;
      expect(s.method).toBe('POST');
      expect(s.url).toBe('/replay-bucket');
      expect(Number(s.headers['content-length'])).toBe(s.length);
      expect(s.headers['transfer-encoding']).toBeUndefined();
      expect(s.headers.origin).toBe('https://app.example');
      // the file arrives intact inside the multipart body
      expect(s.body!.includes(bytes)).toBe(true);
      expect(s.length).toBe(doc.request.contentLength);
      expect(JSON.stringify(doc)).not.toContain(SECRET);
    } finally {
      await srv.close();
    }
  });

  test('a refusal -> exit 1, the answer explained, prediction compared', async () => {
    const srv = await serve((_q, res) => {
      res.writeHead(403, { 'Content-Type': 'application/xml' }).end(S3_ERROR('AccessDenied', 'Invalid according to Policy: Policy expired.'));
    });
    try {
      const past = new Date(Date.now() - 3 * 3600_000);
      const form = s3Form(`${srv.url}/replay-bucket`, { now: past, expiresAt: new Date(past.getTime() + 600_000) });
      const r = await cli(['replay', form, '--send', '--secret-env', 'S'], { S: SECRET });
      expect(r.code).toBe(1);
      expect(r.out).toContain('Answer: HTTP 403');
      expect(r.out).toContain('Invalid according to Policy: Policy expired.');
      expect(r.out).toMatch(/Predicted 403 AccessDenied, server said 403 AccessDenied \(agree\)/);
      expect(r.out).toContain('s3.post.policy-expired');
      const j = await cli(['replay', form, '--send', '--secret-env', 'S', '--format', 'json'], { S: SECRET });
      const doc = JSON.parse(j.out);
      expect(doc.explanation.schema).toBe('post-doctor/explain@1');
      expect(doc.explanation.matches[0].rule).toBe('s3.post.policy-expired');
      expect(doc.agree).toBe(true);
    } finally {
      await srv.close();
    }
  });

  test('a disagreement is flagged', async () => {
    const srv = await serve((_q, res) => res.writeHead(403, { 'Content-Type': 'application/xml' }).end(S3_ERROR('AccessDenied', 'Access Denied')));
    try {
      const form = s3Form(`${srv.url}/replay-bucket`);
      const r = await cli(['replay', form, '--send', '--secret-env', 'S'], { S: SECRET });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/Predicted accept, server said 403 AccessDenied \(DISAGREE/);
    } finally {
      await srv.close();
    }
  });

  test('redirects are reported, never followed', async () => {
    let followed = false;
    const srv = await serve((q, res) => {
      if (q.url === '/landing') {
        followed = true;
        res.writeHead(200).end('landed');
        return;
      }
      res.writeHead(303, { Location: '/landing' }).end();
    });
    try {
      const form = s3Form(`${srv.url}/replay-bucket`);
      const r = await cli(['replay', form, '--send']);
      expect(r.code).toBe(0);
      expect(followed).toBe(false);
      expect(srv.seen).toHaveLength(1);
      expect(r.out).toContain('Redirect to /landing');
      const moved = await serve((_q, res) => res.writeHead(301, { Location: 'http://elsewhere.invalid/' }).end());
      try {
        const r2 = await cli(['replay', s3Form(`${moved.url}/b`), '--send']);
        expect(r2.code).toBe(1);
        expect(moved.seen).toHaveLength(1);
      } finally {
        await moved.close();
      }
    } finally {
      await srv.close();
    }
  });

  test('--endpoint redirects the request and keeps its path', async () => {
    const srv = await serve((_q, res) => res.writeHead(204).end());
    try {
      const form = s3Form('http://192.0.2.1:9/original');
      const r = await cli(['replay', form, '--send', '--endpoint', `${srv.url}/other/path`]);
      expect(r.code).toBe(0);
      expect(srv.seen[0]?.url).toBe('/other/path');
      expect((await cli(['replay', form, '--endpoint', 'ftp://x/'])).code).toBe(2);
    } finally {
      await srv.close();
    }
  });

  test('network failure -> exit 3; a silent server -> exit 3 after --timeout', async () => {
    const srv = await serve(() => undefined);
    const port = Number(new URL(srv.url).port);
    await srv.close();
    const refused = await cli(['replay', s3Form(`http://127.0.0.1:${port}/b`), '--send']);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/ECONNREFUSED/);

    const silent = await serve(() => undefined);
    try {
      const t0 = Date.now();
      const r = await cli(['replay', s3Form(`${silent.url}/b`), '--send', '--timeout', '1']);
      expect(r.code).toBe(3);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.err).toMatch(/no answer within 1 s/);
    } finally {
      await silent.close();
    }
  });

  test('bad input -> exit 2', async () => {
    expect((await cli(['replay', join(dir, 'nope.http')])).code).toBe(2);
    expect((await cli(['replay', s3Form('http://127.0.0.1:9/b'), '--timeout', 'soon'])).code).toBe(2);
    expect((await cli(['replay', s3Form('http://127.0.0.1:9/b'), '--resign'])).code).toBe(2);
  });

  test('HTTP_PROXY is honoured (and NO_PROXY bypasses it)', async () => {
    const target = await serve((_q, res) => res.writeHead(204).end());
    const proxied: string[] = [];
    const proxy = createServer((req, res) => {
      // plain forward proxy for http:// targets
      proxied.push(req.url ?? '');
      const u = new URL(req.url ?? '');
      const up = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: req.method, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      req.pipe(up);
    });
    proxy.on('connect', (req, socket, head) => {
      proxied.push(`CONNECT ${req.url}`);
      const [h, p] = (req.url ?? '').split(':');
      const up = connect(Number(p), h, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const form = s3Form(`${target.url}/b`);
      const r = await cli(['replay', form, '--send'], { HTTP_PROXY: proxyUrl });
      expect(r.code).toBe(0);
      expect(proxied.length).toBe(1);
      expect(target.seen).toHaveLength(1);
      const r2 = await cli(['replay', form, '--send'], { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
      expect(r2.code).toBe(0);
      expect(proxied.length).toBe(1);
      expect(target.seen).toHaveLength(2);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      await target.close();
    }
  });
});

describe('--resign', () => {
  test('refreshes expiration, date, credential and signature, keeps every other condition', async () => {
    const old = new Date('2024-03-01T10:00:00Z');
    const form = s3Form('http://127.0.0.1:9/replay-bucket', { now: old, expiresAt: new Date('2024-03-01T11:00:00Z'), fields: [['x-amz-meta-tag', 'blue']], key: 'uploads/${filename}' });
    const text = (await import('node:fs')).readFileSync(form, 'utf8');
    const req = await readUploadRequest({ path: form, text, source: form });
    const now = new Date('2026-05-02T08:30:00Z');
    const before = await check(req, { provider: 's3', secret: SECRET, now });
    expect(before.findings.some((f) => f.id === 'time.expired')).toBe(true);

    const r = resign(req, 's3', SECRET, now);
    const get = (n: string): string | undefined =>
      r.req.parts.find((p) => p.kind === 'field' && p.name.toLowerCase() === n)?.kind === 'field'
        ? (r.req.parts.find((p) => p.kind === 'field' && p.name.toLowerCase() === n) as { value: string }).value
        : undefined;
    expect(get('x-amz-date')).toBe('20260502T083000Z');
    expect(get('x-amz-credential')).toBe(`${AK}/20260502/us-east-1/s3/aws4_request`);
    expect(r.expiration).toBe('2026-05-02T08:45:00.000Z');
    const doc = JSON.parse(Buffer.from(get('policy') as string, 'base64').toString('utf8'));
    expect(doc.expiration).toBe('2026-05-02T08:45:00.000Z');
    expect(doc.conditions).toContainEqual({ 'x-amz-date': '20260502T083000Z' });
    expect(doc.conditions).toContainEqual({ 'x-amz-credential': `${AK}/20260502/us-east-1/s3/aws4_request` });
    expect(doc.conditions).toContainEqual({ 'x-amz-meta-tag': 'blue' });
    expect(doc.conditions).toContainEqual(['starts-with', '$key', 'uploads/']);
    expect(doc.conditions).toContainEqual({ bucket: 'replay-bucket' });
    // the original request is untouched
    expect(req.parts.find((p) => p.kind === 'field' && p.name === 'x-amz-date')).toMatchObject({ value: '20240301T100000Z' });
    const after = await check(r.req, { provider: 's3', secret: SECRET, now });
    expect(after.verdict).toBe('pass');
    expect(after.signature?.valid).toBe(true);
  });

  test('COS, OSS V1 and S3 V2 forms re-sign to valid signatures', async () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const old = new Date('2025-01-01T00:00:00Z');
    const cases = [
      { provider: 'cos' as const, bucket: 'examplebucket-1250000000', region: 'ap-beijing', ak: 'AKIDEXAMPLE000000000000000000000000' },
      { provider: 'oss' as const, bucket: 'examplebucket', region: 'cn-hangzhou', ak: 'LTAI5tExampleKeyId0001', signatureVersion: 'v1' },
      { provider: 'oss' as const, bucket: 'examplebucket', region: 'cn-hangzhou', ak: 'LTAI5tExampleKeyId0001', signatureVersion: 'v4' },
      { provider: 's3' as const, bucket: 'examplebucket', region: 'eu-central-1', ak: AK, signatureVersion: 'v2' },
      { provider: 'gcs' as const, bucket: 'examplebucket', ak: 'GOOG1EXAMPLEKEY' },
    ];
    for (const c of cases) {
      const f = sign({
        provider: c.provider,
        bucket: c.bucket,
        region: c.region,
        key: 'a/b.txt',
        now: old,
        expiresAt: new Date(old.getTime() + 3600_000),
        accessKeyId: c.ak,
        secret: SECRET,
        signatureVersion: c.signatureVersion,
      });
      const req = {
        method: 'POST',
        url: f.url,
        headers: [],
        boundary: null,
        bodyProblems: [],
        notes: [],
        parts: [
          ...f.fields.map(([name, value]) => ({ kind: 'field' as const, name, value })),
          { kind: 'file' as const, name: 'file', filename: 'b.txt', contentType: 'text/plain', size: 5, source: { type: 'inline' as const, data: Buffer.from('hello') } },
        ],
      };
      const r = resign(req, c.provider, SECRET, now);
      const res = await check(r.req, { provider: c.provider, secret: SECRET, now });
      expect({ provider: c.provider, v: c.signatureVersion, valid: res.signature?.valid, errors: res.findings.filter((x) => x.severity === 'error').map((x) => x.id) }).toEqual({
        provider: c.provider,
        v: c.signatureVersion,
        valid: true,
        errors: [],
      });
    }
  });
});

describe('probe', () => {
  test('skew from the Date header, corrected by half the round trip', () => {
    const s = clockSkew(new Date('2026-01-01T00:01:00Z'), Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00.400Z'));
    expect(s.roundTripMs).toBe(400);
    expect(s.skewSeconds).toBeCloseTo(59.8, 5);
  });

  test('HEAD with a Date header; text and JSON', async () => {
    const srv = await serve((_q, res) => {
      res.sendDate = false;
      res.writeHead(200, { Date: new Date(Date.now() + 120_000).toUTCString() }).end();
    });
    try {
      const r = await probeServerTime(srv.url, 5000);
      expect(r.method).toBe('HEAD');
      expect(r.skewSeconds).toBeGreaterThan(118);
      expect(r.skewSeconds).toBeLessThan(121);
      const t = await cli(['probe', srv.url]);
      expect(t.code).toBe(0);
      expect(t.out).toMatch(/ahead of this machine/);
      const j = await cli(['probe', srv.url, '--format', 'json']);
      const doc = JSON.parse(j.out);
      expect(doc.schema).toBe('post-doctor/probe@1');
      expect(doc.method).toBe('HEAD');
      expect(doc.skewSeconds).toBeGreaterThan(118);
      expect(typeof doc.roundTripMs).toBe('number');
    } finally {
      await srv.close();
    }
  });

  test('falls back to GET when HEAD has no Date', async () => {
    const srv = await serve((q, res) => {
      res.sendDate = q.method === 'GET';
      res.writeHead(200).end(q.method === 'GET' ? 'ok' : undefined);
    });
    try {
      const r = await probeServerTime(srv.url, 5000);
      expect(r.method).toBe('GET');
      expect(Math.abs(r.skewSeconds)).toBeLessThan(2);
      expect(srv.seen.map((s) => s.method)).toEqual(['HEAD', 'GET']);
    } finally {
      await srv.close();
    }
  });

  test('bad URL -> exit 2; unreachable -> exit 3', async () => {
    expect((await cli(['probe', 'not a url'])).code).toBe(2);
    expect((await cli(['probe', 'ftp://example.com/'])).code).toBe(2);
    const srv = await serve(() => undefined);
    const port = Number(new URL(srv.url).port);
    await srv.close();
    await expect(probeServerTime(`http://127.0.0.1:${port}/`, 2000)).rejects.toBeInstanceOf(NetworkError);
    expect((await cli(['probe', `http://127.0.0.1:${port}/`])).code).toBe(3);
  });
});
