// No surprise network: check, explain and sign never open an outgoing connection, serve only
// answers on its own socket, replay and probe connect only to the target named. Every way
// out of the process is replaced by a recording guard: net.Socket#connect (which net.connect,
// tls.connect, http and undici all go through), dns.lookup, globalThis.fetch and undici's
// global dispatcher.
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, SECRETS, cli, filesUnder } from './helpers.js';

interface Attempt {
  kind: 'connect' | 'dns' | 'fetch' | 'undici';
  target: string;
}

const attempts: Attempt[] = [];
/** host:port pairs a connection may go to (the local test servers). */
const allowed = new Set<string>();

type ConnectFn = (...args: unknown[]) => net.Socket;
const original = {
  connect: net.Socket.prototype.connect as unknown as ConnectFn,
  lookup: dns.lookup,
  promisesLookup: dns.promises.lookup,
  fetch: globalThis.fetch,
};
let undiciRestore: (() => void) | null = null;

function describeTarget(args: unknown[]): { key: string; text: string } {
  let a0 = args[0];
  if (Array.isArray(a0)) a0 = a0[0]; // internal normalized form [options, cb]
  if (a0 && typeof a0 === 'object') {
    const o = a0 as { port?: number | string; host?: string; path?: string };
    if (o.path) return { key: `unix:${o.path}`, text: `unix:${o.path}` };
    const host = o.host ?? 'localhost';
    return { key: `${host}:${o.port}`, text: `${host}:${o.port}` };
  }
  if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    const host = typeof args[1] === 'string' ? args[1] : 'localhost';
    return { key: `${host}:${a0}`, text: `${host}:${a0}` };
  }
  return { key: `unix:${String(a0)}`, text: String(a0) };
}

beforeAll(async () => {
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const t = describeTarget(args);
    if (allowed.has(t.key)) return original.connect.apply(this, args);
    attempts.push({ kind: 'connect', target: t.text });
    const err = new Error(`network guard: connection to ${t.text} refused by the test`);
    process.nextTick(() => this.destroy(err));
    return this;
  } as unknown as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
    // an IP literal needs no name server (server.listen looks its host up this way)
    if (net.isIP(host)) return (original.lookup as (...a: unknown[]) => unknown)(host, ...rest);
    attempts.push({ kind: 'dns', target: host });
    const cb = rest[rest.length - 1] as (e: Error) => void;
    process.nextTick(() => cb(Object.assign(new Error(`network guard: lookup of ${host}`), { code: 'ENOTFOUND' })));
  };
  (dns.promises as { lookup: unknown }).lookup = async (host: string, ...rest: unknown[]) => {
    if (net.isIP(host)) return (original.promisesLookup as (...a: unknown[]) => unknown)(host, ...rest);
    attempts.push({ kind: 'dns', target: host });
    throw Object.assign(new Error(`network guard: lookup of ${host}`), { code: 'ENOTFOUND' });
  };
  globalThis.fetch = (async (input: unknown) => {
    attempts.push({ kind: 'fetch', target: String(input) });
    throw new Error('network guard: fetch');
  }) as typeof fetch;
  const undici = await import('undici');
  const previous = undici.getGlobalDispatcher();
  const agent = new undici.MockAgent();
  agent.disableNetConnect();
  // a request through the global dispatcher that is not to an allowed target is recorded
  const recording = new Proxy(agent, {
    get(target, prop, receiver) {
      if (prop === 'dispatch') {
        return (opts: { origin?: string | URL; path?: string }, handler: unknown) => {
          const origin = String(opts.origin ?? '');
          const hostPort = origin.replace(/^[a-z]+:\/\//, '');
          if (!allowed.has(hostPort)) attempts.push({ kind: 'undici', target: `${origin}${opts.path ?? ''}` });
          return (Reflect.get(target, prop, receiver) as (o: unknown, h: unknown) => boolean).call(target, opts, handler);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  undici.setGlobalDispatcher(recording);
  undiciRestore = () => undici.setGlobalDispatcher(previous);
});

afterAll(() => {
  net.Socket.prototype.connect = original.connect as unknown as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = original.lookup;
  (dns.promises as { lookup: unknown }).lookup = original.promisesLookup;
  globalThis.fetch = original.fetch;
  undiciRestore?.();
});

beforeEach(() => {
  attempts.length = 0;
  allowed.clear();
});

const ENV = { ...SECRETS };
const examples = filesUnder(join(ROOT, 'examples')).filter((f) => !f.endsWith('.md'));

describe('the guard itself', () => {
  it('records and refuses a connection, a lookup and a fetch', async () => {
    await new Promise<void>((done) => {
      const s = net.connect(443, '192.0.2.1');
      s.on('error', () => done());
    });
    await new Promise<void>((done) => dns.lookup('example.com', () => done()));
    await expect(fetch('https://example.com/')).rejects.toThrow();
    expect(attempts.map((a) => a.kind)).toEqual(['connect', 'dns', 'fetch']);
  });
});

describe('check, explain and sign open no connection', () => {
  it('check on every example, every format, with secrets and --debug', async () => {
    for (const file of examples) {
      for (const format of ['text', 'json', 'sarif', 'github']) {
        const r = await cli(['check', file, '--format', format, '--debug'], ENV);
        expect([0, 1], `${file}: ${r.stderr}`).toContain(r.code);
      }
    }
    expect(attempts).toEqual([]);
  });

  it('check with a URL-looking input and --server-time never fetches it', async () => {
    const r = await cli(['check', 'examples/oss/postobject-v1.json', '--server-time', 'Wed, 21 Oct 2015 07:28:00 GMT', '--endpoint-style', 'path'], ENV);
    expect([0, 1]).toContain(r.code);
    const r2 = await cli(['check', 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/'], ENV);
    expect(r2.code).toBe(2);
    expect(attempts).toEqual([]);
  });

  it('explain on texts, files and stdin', async () => {
    const inputs = [
      ['AccessDenied'],
      ['0002-00000705'],
      ["Condition key q-ak doesn't match the value AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"],
      ['https://examplebucket.oss-cn-hangzhou.aliyuncs.com/'],
      ['-'],
    ];
    for (const input of inputs) {
      for (const format of ['text', 'json', 'sarif', 'github']) {
        const stdin = input[0] === '-' ? 'HTTP/1.1 403 Forbidden\r\nServer: AliyunOSS\r\nx-oss-ec: 0002-00000705\r\n\r\n' : null;
        const r = await cli(['explain', ...input, '--format', format, '--debug'], ENV, stdin);
        expect([0, 1], r.stderr).toContain(r.code);
      }
    }
    expect(attempts).toEqual([]);
  });

  it('sign for every provider and format, with an endpoint named', async () => {
    const cases = [
      ['--provider', 'cos', '--bucket', 'examplebucket-1250000000', '--region', 'ap-beijing', '--access-key', 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q'],
      ['--provider', 'oss', '--bucket', 'examplebucket', '--region', 'cn-hangzhou', '--access-key', 'LTAI5tExampleKeyId0001'],
      ['--provider', 's3', '--bucket', 'my-bucket', '--region', 'us-east-1', '--access-key', 'AKIAIOSFODNN7EXAMPLE', '--endpoint', 'https://s3.example.com/my-bucket'],
      ['--provider', 'gcs', '--bucket', 'my-bucket', '--access-key', 'GOOG1EXAMPLEHMACKEYID0000000000000000000000000000000000'],
    ];
    for (const c of cases) {
      for (const format of ['json', 'curl', 'html']) {
        const r = await cli(['sign', ...c, '--key-prefix', 'u/', '--format', format], ENV);
        expect(r.code, r.stderr).toBe(0);
      }
    }
    expect(attempts).toEqual([]);
  });
});

/** A local HTTP server that answers every request with `status` and records it. */
async function localServer(status: number, body = ''): Promise<{ port: number; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/xml', Date: new Date().toUTCString(), Server: 'AliyunOSS' });
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as net.AddressInfo).port;
  return { port, hits, close: () => new Promise((done) => server.close(() => done())) };
}

describe('replay and probe connect only to the target named', () => {
  it('replay --send goes to --endpoint and nowhere else', async () => {
    const srv = await localServer(204);
    allowed.add(`127.0.0.1:${srv.port}`);
    try {
      const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', `http://127.0.0.1:${srv.port}/`, '--format', 'json'], { ...ENV, HTTP_PROXY: '', HTTPS_PROXY: '' });
      expect(r.code, r.stderr).toBe(0);
      expect(srv.hits.length).toBe(1);
      expect(srv.hits[0]).toMatch(/^POST /);
    } finally {
      await srv.close();
    }
    expect(attempts).toEqual([]);
  });

  it('replay without --send sends nothing at all', async () => {
    const srv = await localServer(204);
    try {
      const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--endpoint', `http://127.0.0.1:${srv.port}/`], ENV);
      expect([0, 1]).toContain(r.code);
      expect(srv.hits).toEqual([]);
    } finally {
      await srv.close();
    }
    expect(attempts).toEqual([]);
  });

  it('probe reads the clock of the endpoint named, and only of it', async () => {
    const srv = await localServer(403);
    allowed.add(`127.0.0.1:${srv.port}`);
    try {
      const r = await cli(['probe', `http://127.0.0.1:${srv.port}/`, '--format', 'json'], {});
      expect(r.code, r.stderr).toBe(0);
      expect(srv.hits.length).toBeGreaterThanOrEqual(1);
    } finally {
      await srv.close();
    }
    expect(attempts).toEqual([]);
  });

  it('a refused connection to the target is a network failure (exit 3), not a detour', async () => {
    const srv = await localServer(204);
    const port = srv.port;
    await srv.close();
    allowed.add(`127.0.0.1:${port}`);
    const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', `http://127.0.0.1:${port}/`, '--timeout', '5'], ENV);
    expect(r.code, r.stderr).toBe(3);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('post-doctor: ')).length,
    ).toBeGreaterThanOrEqual(1);
    expect(attempts).toEqual([]);
  });
});

describe('serve listens, answers, and connects nowhere', () => {
  it('POST to the sandbox bucket; no outgoing connection', async () => {
    const { runServe } = await import('../../src/cli/commands/serve.js');
    let out = '';
    const io = {
      stdout: (s: string) => {
        out += s;
      },
      stderr: () => undefined,
      isTTY: false,
      stdinIsTTY: true,
      readStdin: async () => Buffer.alloc(0),
      env: { ...ENV, NO_COLOR: '1' },
      cwd: ROOT,
    };
    const ac = new AbortController();
    const running = runServe(io, { provider: 'oss', port: '0', host: '127.0.0.1', bucket: 'examplebucket', signal: ac.signal });
    let url: string | null = null;
    for (let i = 0; i < 200 && !url; i++) {
      const m = /http:\/\/127\.0\.0\.1:\d+\S*/.exec(out);
      if (m) url = m[0].replace(/[).,]+$/, '');
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(url, out).not.toBeNull();
    const u = new URL(url!);
    allowed.add(`127.0.0.1:${u.port}`);
    // the bundled OSS capture, body as is
    const raw = readFileSync(join(ROOT, 'examples/oss/postobject-v1.http'));
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString('latin1');
    const body = raw.subarray(split + 4);
    const ct = /content-type:\s*(.+)/i.exec(head)![1]!.trim();
    const status = await new Promise<number>((done, fail) => {
      const req = http.request(
        { host: '127.0.0.1', port: Number(u.port), path: '/', method: 'POST', headers: { 'Content-Type': ct, 'Content-Length': body.length, Host: `examplebucket.127.0.0.1:${u.port}` } },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(body);
    });
    expect(status).toBeGreaterThanOrEqual(200);
    ac.abort();
    expect(await running).toBe(0);
    expect(attempts).toEqual([]);
  });
});
