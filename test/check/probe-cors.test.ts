// probe --origin: one real CORS preflight to a local server answering OPTIONS the ways real
// providers do, and Chromium's verdict on each answer (src/net/cors-probe.ts).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { OBS_NOT_ALLOWED, S3_NOT_ALLOWED, S3_NOT_ENABLED } from '../../src/cors/index.js';
import { corsResponseHeaders, judgePreflight, parseErrorBody, preflightHeaderNames, preflightMethod } from '../../src/net/cors-probe.js';

const ORIGIN = 'https://app.example.com';

interface Hit {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let base = '';
const hits: Hit[] = [];
const tunnels: string[] = [];

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Method>OPTIONS</Method><ResourceType>OBJECT</ResourceType><RequestId>0123456789ABCDEF</RequestId><HostId>abc=</HostId></Error>`;
}

/** Each path answers OPTIONS like one kind of real answer. */
function answer(path: string, h: IncomingHttpHeaders): { status: number; headers: Record<string, string>; body?: string } {
  const origin = String(h.origin ?? '');
  const acrh = h['access-control-request-headers'];
  const vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
  switch (path) {
    // S3 with an exact-origin rule: the origin echoed, the rule's methods, the requested headers
    case '/echo':
      return {
        status: 200,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'POST, PUT',
          ...(acrh ? { 'Access-Control-Allow-Headers': String(acrh) } : {}),
          'Access-Control-Allow-Credentials': 'true',
          Vary: vary,
        },
      };
    // S3 with a "*" rule
    case '/star':
      return {
        status: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'POST, GET', ...(acrh ? { 'Access-Control-Allow-Headers': String(acrh) } : {}), Vary: vary },
      };
    // S3 when no rule matches: 403 AccessForbidden, no CORS headers
    case '/forbidden':
      return { status: 403, headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': '0123456789ABCDEF' }, body: s3Error('AccessForbidden', S3_NOT_ALLOWED) };
    // S3 without a CORS configuration
    case '/not-enabled':
      return { status: 403, headers: { 'Content-Type': 'application/xml' }, body: s3Error('AccessForbidden', S3_NOT_ENABLED) };
    // the origin is allowed, but Access-Control-Allow-Methods lacks POST and PUT
    case '/methods':
      return { status: 200, headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'GET, HEAD' } };
    // the origin and method are allowed, Access-Control-Allow-Headers lacks x-amz-date (COS lists the rule's headers)
    case '/headers':
      return { status: 200, headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'POST,PUT', 'Access-Control-Allow-Headers': 'content-type' } };
    // another origin
    case '/mismatch':
      return { status: 200, headers: { 'Access-Control-Allow-Origin': 'https://other.example.com', 'Access-Control-Allow-Methods': 'POST' } };
    // OBS when no rule matches: 403 AccessForbidden with the wording of OBS's error page
    // (obs_errorcode_0004), Server: OBS and an OBS request id
    case '/obs-no-rule':
      return {
        status: 403,
        headers: { 'Content-Type': 'application/xml', Server: 'OBS', 'x-obs-request-id': '00000188BF3A36EE5306427D000FEE0A' },
        body: s3Error('AccessForbidden', OBS_NOT_ALLOWED),
      };
    // TOS refusing a preflight: its status and wording are not documented; this server answers a
    // bare 403 with a TOS request id, as some refusal would look to the browser
    case '/tos-refused':
      return { status: 403, headers: { Server: 'TosServer', 'x-tos-request-id': 'd604607e63b001f-a444ed0' } };
    // CORS headers, but an error status
    case '/status':
      return { status: 500, headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'POST' } };
    default:
      return { status: 404, headers: {} };
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push({ method: req.method ?? '', path, headers: req.headers });
    req.resume();
    const a = answer(path, req.headers);
    res.writeHead(a.status, a.headers);
    res.end(a.body ?? '');
  });
  // as an HTTP proxy: a CONNECT tunnel into this same server (whatever host it names)
  server.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    server.emit('connection', socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

function io(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

interface ProbeDoc {
  schema: string;
  endpoint: string;
  provider: string;
  providerSource: string;
  origin: string;
  method: string;
  requestHeaders: string[];
  status: number;
  responseHeaders: Record<string, string>;
  allowed: boolean;
  refused: { part: string; kind: string; facts: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
  note: string | null;
}

/** Run probe on `path`; returns the exit code, the JSON document (json format) and the requests the server saw. */
async function probe(path: string, args: string[], format: 'json' | 'text' = 'json'): Promise<{ code: number; doc: ProbeDoc | null; out: string; err: string; seen: Hit[] }> {
  const before = hits.length;
  const o = io();
  const code = await run(['node', 'pd', 'probe', `${base}${path}`, ...args, '--format', format], o);
  const doc = format === 'json' && o.out() ? (JSON.parse(o.out()) as ProbeDoc) : null;
  return { code, doc, out: o.out(), err: o.err(), seen: hits.slice(before) };
}

describe('probe --origin: one preflight, Chromium verdict', () => {
  test('allowed: the origin echoed; exactly one OPTIONS with the headers Chromium sends', async () => {
    const r = await probe('/echo', ['--origin', ORIGIN, '--method', 'put', '--header', 'X-Amz-Date', '--header', 'Content-Type']);
    expect(r.code).toBe(0);
    expect(r.seen).toHaveLength(1);
    const h = r.seen[0]!;
    expect(h.method).toBe('OPTIONS');
    expect(h.headers.origin).toBe(ORIGIN);
    // Fetch normalises put -> PUT; Access-Control-Request-Headers: lowercased, sorted, "," without spaces
    expect(h.headers['access-control-request-method']).toBe('PUT');
    expect(h.headers['access-control-request-headers']).toBe('content-type,x-amz-date');
    expect(h.headers.authorization).toBeUndefined();
    expect(h.headers.cookie).toBeUndefined();
    const d = r.doc!;
    expect(d.schema).toBe('post-doctor/probe-cors@1');
    expect(d).toMatchObject({
      origin: ORIGIN,
      method: 'PUT',
      requestHeaders: ['content-type', 'x-amz-date'],
      status: 200,
      allowed: true,
      refused: null,
      error: null,
      provider: 's3',
      providerSource: 'assumed',
    });
    expect(d.responseHeaders).toEqual({
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-methods': 'POST, PUT',
      'access-control-allow-headers': 'content-type,x-amz-date',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  test('allowed: Access-Control-Allow-Origin *', async () => {
    const r = await probe('/star', ['--origin', ORIGIN]);
    expect(r.code).toBe(0);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]!.headers['access-control-request-method']).toBe('POST');
    // no --header: no Access-Control-Request-Headers at all
    expect(r.seen[0]!.headers['access-control-request-headers']).toBeUndefined();
    expect(r.doc).toMatchObject({ allowed: true, refused: null, method: 'POST', requestHeaders: [] });
  });

  test('refused: 403 AccessForbidden without CORS headers is a missing Access-Control-Allow-Origin (Chromium checks it before the status)', async () => {
    const r = await probe('/forbidden', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'x-amz-date']);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.doc).toMatchObject({
      status: 403,
      allowed: false,
      refused: { part: 'allow-origin', kind: 'preflight-missing-allow-origin', facts: { status: 403, allowOrigin: null } },
      error: { code: 'AccessForbidden', message: S3_NOT_ALLOWED },
      responseHeaders: {},
      note: 'no-rule',
    });
  });

  test('refused: CORS is not enabled for this bucket', async () => {
    const r = await probe('/not-enabled', ['--origin', ORIGIN]);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.doc).toMatchObject({ allowed: false, refused: { part: 'allow-origin' }, error: { code: 'AccessForbidden', message: S3_NOT_ENABLED }, note: 'not-enabled' });
  });

  test('refused: the method is not in Access-Control-Allow-Methods', async () => {
    const r = await probe('/methods', ['--origin', ORIGIN, '--method', 'PUT']);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.doc).toMatchObject({ allowed: false, refused: { part: 'allow-methods', kind: 'method-disallowed-by-preflight-response', facts: { method: 'PUT' } }, error: null });
  });

  test('POST is CORS-safelisted: Chromium never checks it against Access-Control-Allow-Methods', async () => {
    // Fetch "CORS-preflight fetch" step 7.5: a safelisted method passes whatever the list says
    const r = await probe('/methods', ['--origin', ORIGIN, '--method', 'POST', '--header', 'x-requested-with']);
    expect(r.seen).toHaveLength(1);
    // ...but the requested header is not allowed (the answer has no Access-Control-Allow-Headers)
    expect(r.doc).toMatchObject({ allowed: false, refused: { part: 'allow-headers', facts: { headers: ['x-requested-with'] } } });
    const plain = await probe('/methods', ['--origin', ORIGIN]);
    expect(plain.code).toBe(0);
    expect(plain.doc!.allowed).toBe(true);
  });

  test('refused: a requested header is not in Access-Control-Allow-Headers', async () => {
    const r = await probe('/headers', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'content-type,x-amz-date']);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]!.headers['access-control-request-headers']).toBe('content-type,x-amz-date');
    expect(r.doc).toMatchObject({ allowed: false, refused: { part: 'allow-headers', kind: 'header-disallowed-by-preflight-response', facts: { headers: ['x-amz-date'] } } });
  });

  test('refused: Access-Control-Allow-Origin names another origin', async () => {
    const r = await probe('/mismatch', ['--origin', ORIGIN]);
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ refused: { part: 'allow-origin', kind: 'preflight-allow-origin-mismatch', facts: { allowOrigin: 'https://other.example.com' } } });
  });

  test('refused: CORS headers on a non-2xx answer', async () => {
    const r = await probe('/status', ['--origin', ORIGIN]);
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ status: 500, refused: { part: 'status', kind: 'preflight-invalid-status', facts: { status: 500 } } });
  });

  test('through HTTP_PROXY; the provider from the endpoint host', async () => {
    const before = hits.length;
    const o = { ...io(), env: { HTTP_PROXY: base } };
    let out = '';
    o.stdout = (s: string) => void (out += s);
    const target = 'http://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/forbidden';
    const code = await run(['node', 'pd', 'probe', target, '--origin', ORIGIN, '--method', 'PUT', '--format', 'json'], o);
    expect(code).toBe(1);
    const seen = hits.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('OPTIONS');
    expect(seen[0]!.headers.host).toBe('examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com');
    expect(tunnels).toEqual(['examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com:80']);
    expect(JSON.parse(out)).toMatchObject({ endpoint: target, provider: 'cos', providerSource: 'endpoint', allowed: false, note: 'no-rule' });
  });

  test('--provider names whose rules explain the answer', async () => {
    const r = await probe('/forbidden', ['--origin', ORIGIN, '--provider', 'cos']);
    expect(r.doc).toMatchObject({ provider: 'cos', providerSource: 'option', allowed: false });
  });
});

describe('probe --origin: OBS and TOS', () => {
  test("OBS: the bucket's AccessForbidden wording says no rule matches; obsutil reads the rules", async () => {
    const r = await probe('/obs-no-rule', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'x-obs-meta-a', '--provider', 'obs']);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]!.headers['access-control-request-headers']).toBe('x-obs-meta-a');
    expect(r.doc).toMatchObject({
      provider: 'obs',
      providerSource: 'option',
      server: null,
      status: 403,
      allowed: false,
      refused: { part: 'allow-origin', kind: 'preflight-missing-allow-origin' },
      error: { code: 'AccessForbidden', message: OBS_NOT_ALLOWED },
      note: 'no-rule',
    });
    const t = await probe('/obs-no-rule', ['--origin', ORIGIN, '--method', 'PUT', '--provider', 'obs'], 'text');
    expect(t.out).toContain('Rules:     Huawei Cloud OBS (--provider)');
    expect(t.out).toContain('The bucket says no CORS rule matches');
    expect(t.out).toMatch(/read the bucket's CORS configuration \(obsutil cors obs:\/\/\S+ -method=get -localfile=cors\.xml\)/);
    expect(t.out).not.toMatch(/probe\.cors\./);
  });

  test('TOS: a refusal without CORS headers or words; the API or the console reads the rules', async () => {
    const r = await probe('/tos-refused', ['--origin', ORIGIN, '--provider', 'tos']);
    expect(r.code).toBe(1);
    expect(r.seen).toHaveLength(1);
    expect(r.doc).toMatchObject({ provider: 'tos', providerSource: 'option', status: 403, allowed: false, error: null, note: 'refused', refused: { part: 'allow-origin' } });
    const t = await probe('/tos-refused', ['--origin', ORIGIN, '--provider', 'tos'], 'text');
    expect(t.out).toContain('Rules:     Volcengine TOS (--provider)');
    expect(t.out).toContain('The bucket refused the preflight (HTTP 403) without CORS headers');
    expect(t.out).toContain('(GET /?cors (GetBucketCORS), or the TOS console: 权限管理 > 跨域访问设置)');
  });
});

describe('probe --origin: text', () => {
  test('an allowed preflight', async () => {
    const r = await probe('/echo', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'x-amz-date'], 'text');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Preflight: OPTIONS ${base}/echo`);
    expect(r.out).toContain('Access-Control-Request-Headers: x-amz-date');
    expect(r.out).toContain('Answer:    HTTP 200');
    expect(r.out).toContain(`access-control-allow-origin: ${ORIGIN}`);
    expect(r.out).toContain('Verdict:   allowed.');
    expect(r.out).not.toMatch(/probe\.cors\./);
  });

  test("a refused preflight: the part, the console line, the bucket's words", async () => {
    const r = await probe('/forbidden', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'x-amz-date'], 'text');
    expect(r.code).toBe(1);
    expect(r.out).toContain('(no Access-Control-* header)');
    expect(r.out).toContain(`Error:     AccessForbidden: ${S3_NOT_ALLOWED}`);
    expect(r.out).toContain('Verdict:   refused. Chromium blocks the request: the answer has no Access-Control-Allow-Origin header.');
    expect(r.out).toContain(
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. (preflight-missing-allow-origin)",
    );
    expect(r.out).toContain('The bucket says no CORS rule matches');
    expect(r.out).toContain('aws s3api get-bucket-cors --bucket forbidden');
    expect(r.out).not.toMatch(/probe\.cors\./);
  });

  test('the refused header and method are named; Japanese words come from the catalogue', async () => {
    const h = await probe('/headers', ['--origin', ORIGIN, '--method', 'PUT', '--header', 'x-amz-date'], 'text');
    expect(h.out).toContain('the request header x-amz-date is not in Access-Control-Allow-Headers (content-type)');
    expect(h.out).toContain('Request header field x-amz-date is not allowed by Access-Control-Allow-Headers in preflight response.');
    const m = await probe('/methods', ['--origin', ORIGIN, '--method', 'DELETE', '--lang', 'ja'], 'text');
    expect(m.code).toBe(1);
    expect(m.out).toContain('判定：拒否');
    expect(m.out).toContain('Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.');
    expect(m.out).not.toMatch(/probe\.cors\./);
  });
});

describe('probe --origin: usage and network errors', () => {
  test.each([
    [['--method', 'PUT'], /--method needs --origin/],
    [['--header', 'x-amz-date'], /--header needs --origin/],
    [['--origin', 'https://app.example.com/page'], /--origin must be a page origin/],
    [['--origin', 'app.example.com'], /--origin must be a page origin/],
    [['--origin', ORIGIN, '--method', 'TRACE'], /never sends/],
    [['--origin', ORIGIN, '--method', 'P UT'], /--method must be an HTTP method/],
    [['--origin', ORIGIN, '--header', 'x bad'], /--header must be a request header name/],
    [['--origin', ORIGIN, '--header', 'Content-Length'], /sets this header itself/],
  ])('%j is a usage error (exit 2), nothing sent', async (args, message) => {
    const r = await probe('/echo', args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.seen).toHaveLength(0);
  });

  test('a server that cannot be reached: exit 3, as probe without --origin', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const o = io();
    const code = await run(['node', 'pd', 'probe', `http://127.0.0.1:${port}/b`, '--origin', ORIGIN, '--timeout', '5'], o);
    expect(code).toBe(3);
    expect(o.err()).toMatch(/ECONNREFUSED/);
  });
});

describe('cors-probe helpers', () => {
  test('header names as Chromium writes Access-Control-Request-Headers', () => {
    expect(preflightHeaderNames(['X-Amz-Date', 'content-type, x-amz-date', 'Authorization'])).toEqual(['authorization', 'content-type', 'x-amz-date']);
    expect(preflightHeaderNames(undefined)).toEqual([]);
  });

  test('methods normalised as Fetch does', () => {
    expect(preflightMethod('put')).toBe('PUT');
    expect(preflightMethod('patch')).toBe('patch');
    expect(() => preflightMethod('OPTIONS')).toThrow(/OPTIONS/);
  });

  test('only Access-Control-* and Vary are kept; repeated headers combine (Chromium then sees several values)', () => {
    const h = corsResponseHeaders([
      ['Access-Control-Allow-Origin', ORIGIN],
      ['access-control-allow-origin', '*'],
      ['Content-Type', 'text/plain'],
      ['Vary', 'Origin'],
    ]);
    expect(h).toEqual({ 'access-control-allow-origin': `${ORIGIN}, *`, vary: 'Origin' });
    const j = judgePreflight(
      { url: 'http://x/', origin: ORIGIN, method: 'PUT', requestHeaders: [] },
      {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', ORIGIN],
          ['Access-Control-Allow-Origin', '*'],
        ],
        body: '',
      },
    );
    expect(j.refused).toMatchObject({ part: 'allow-origin', kind: 'preflight-multiple-allow-origin-values' });
  });

  test('XML error bodies', () => {
    expect(parseErrorBody('<?xml version="1.0"?><Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>')).toEqual({
      code: 'AccessForbidden',
      message: S3_NOT_ENABLED,
    });
    expect(parseErrorBody('<Error><Code>AccessDenied</Code><Message></Message></Error>')).toEqual({ code: 'AccessDenied', message: '' });
    expect(parseErrorBody('<Error><Code>A</Code><Message>x &amp; y</Message></Error>')).toEqual({ code: 'A', message: 'x & y' });
    expect(parseErrorBody('')).toBeNull();
    expect(parseErrorBody('not xml')).toBeNull();
    expect(parseErrorBody('<html><body>403</body></html>')).toBeNull();
  });
});
