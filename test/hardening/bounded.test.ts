// Issue 11, "bounded input everywhere": every input is read within a bound, or refused with
// one line naming what and where (exit 2) - stdin like a file (spooled to a temporary file,
// removed on every exit path), --secret-file, curl options and headers, form fields inside a
// capture on disk (read whole up to the limit, never cut), proxy settings, and a refused proxy
// tunnel said as what it is. Inputs are generated in a temporary folder and streamed.
import { spawn } from 'node:child_process';
import { createReadStream, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_OSS_FIELDS, BIG_OSS_HOST, ROOT, cli, writeBigCapture } from './helpers.js';
import { bundleCli, disposeBundle } from './spawn.js';

const MEMORY_MIB = 200;
const BIG = process.env.CI !== undefined || process.env.POST_DOCTOR_BIG === '1';
const dir = mkdtempSync(join(tmpdir(), 'pd-bounded-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  disposeBundle();
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  maxRssMiB: number;
  ms: number;
}

/**
 * The CLI as a process (bundled from the sources), stdin streamed from a file (or left open
 * until `hold` resolves), with its own TMPDIR so that its temporary files can be counted.
 */
async function runCli(
  args: string[],
  o: { stdinFile?: string; env?: Record<string, string>; tmp?: string; onStarted?: (child: import('node:child_process').ChildProcess) => void; timeoutMs?: number } = {},
): Promise<Run> {
  const { cli: bundle, hook } = await bundleCli();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, bundle, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', LANG: 'C', TMPDIR: o.tmp ?? tmpdir(), ...(o.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // the CLI may stop reading early (a refused input): a closed pipe is expected
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    if (o.stdinFile) {
      const rs = createReadStream(o.stdinFile, { highWaterMark: 1024 * 1024 });
      rs.on('error', () => undefined);
      rs.pipe(child.stdin);
    } else if (!o.onStarted) child.stdin.end();
    o.onStarted?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      const m = /\n__maxrss_kb=(\d+)\n$/.exec(stderr);
      const kb = m ? Number(m[1]) : NaN;
      if (m) stderr = stderr.slice(0, m.index);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, maxRssMiB: kb / 1024, ms: Date.now() - started });
    });
  });
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const OSS_FIELDS = BIG_OSS_FIELDS;
const HOST = BIG_OSS_HOST;

/** A raw capture whose file part is `size` bytes (sparse: zeros, written by truncation). */
function bigCapture(name: string, size: number): string {
  return writeBigCapture(join(dir, name), size, '----pdBoundaryStdin0000');
}

function privateTmp(name: string): string {
  const t = join(dir, name);
  mkdirSync(t, { recursive: true });
  return t;
}

describe('stdin is read like a file: streamed, with the same limits', () => {
  const size = BIG ? 1024 ** 3 : 256 * 1024 ** 2;

  it(`a ${size / 1024 ** 2} MiB capture on stdin is streamed (file size read, memory under ${MEMORY_MIB} MB); its temporary copy is removed`, async () => {
    const path = bigCapture('stdin-capture.http', size);
    const tmp = privateTmp('tmp-ok');
    const r = await runCli(['check', '-', '--format', 'json', '--provider', 'oss', '--now', '2029-01-01T00:00:00Z'], { stdinFile: path, tmp });
    rmSync(path, { force: true });
    expect([0, 1], r.stderr).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(j.request.file.size).toBe(size);
    expect(j.request.fields.map((f: [string, string]) => f[0])).toEqual(OSS_FIELDS.map(([n]) => n));
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
    expect(readdirSync(tmp)).toEqual([]);
  }, 300_000);

  it('replay of a capture on stdin: the dry run names the file part as stdin, not the temporary copy', async () => {
    const path = bigCapture('stdin-replay.http', 80 * 1024 * 1024);
    const tmp = privateTmp('tmp-replay');
    const r = await runCli(['replay', '-', '--format', 'json'], { stdinFile: path, tmp });
    rmSync(path, { force: true });
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(r.stdout).request.parts.find((p: { kind: string }) => p.kind === 'file');
    expect(file).toMatchObject({ from: 'path', path: 'stdin', size: 80 * 1024 * 1024 });
    expect(readdirSync(tmp)).toEqual([]);
  }, 300_000);

  it('a 300 MB HAR on stdin is refused as it is from a file: one line, exit 2, without reading it all', async () => {
    const path = join(dir, 'huge.har');
    const fd = openSync(path, 'w');
    writeSync(fd, '{"log":{"version":"1.2","entries":[{"request":{"method":"POST","url":"https://x/","postData":{"mimeType":"multipart/form-data; boundary=b","text":"');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    const tmp = privateTmp('tmp-har');
    const r = await runCli(['check', '-'], { stdinFile: path, tmp });
    const fromFile = await runCli(['check', path], { tmp });
    rmSync(path, { force: true });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^post-doctor: stdin: input is over 64 MiB: only raw HTTP captures over 64 MiB are read \(streamed\)/);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/: input is 300 MiB: only raw HTTP captures over 64 MiB are read \(streamed\)/);
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
    expect(readdirSync(tmp)).toEqual([]);
  }, 300_000);

  it('the temporary copy is removed when the run is stopped (SIGTERM) while reading stdin', async () => {
    const tmp = privateTmp('tmp-signal');
    const head = `POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n`;
    let sawSpool = false;
    const r = await runCli(['check', '-'], {
      tmp,
      timeoutMs: 60_000,
      onStarted: (child) => {
        const stdin = child.stdin!;
        stdin.write(head);
        // more than the in-memory part, less than the whole: the spool exists, stdin stays open
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        let n = 0;
        const more = (): void => {
          while (n < 8) {
            n++;
            if (!stdin.write(chunk)) return void stdin.once('drain', more);
          }
          const poll = setInterval(() => {
            if (readdirSync(tmp).length > 0) {
              sawSpool = true;
              clearInterval(poll);
              child.kill('SIGTERM');
            }
          }, 20);
          setTimeout(() => {
            clearInterval(poll);
            child.kill('SIGTERM');
          }, 20_000);
        };
        more();
      },
    });
    expect(sawSpool).toBe(true);
    expect(r.signal ?? r.code).not.toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);
});

describe('--secret-file is read within a bound', () => {
  const SIGN = ['sign', '--provider', 'oss', '--bucket', 'b', '--region', 'cn-hangzhou', '--access-key', 'LTAI5tExampleKeyId0001'];

  async function refused(p: string): Promise<void> {
    for (const cmd of [['check', 'examples/oss/postobject-v1.json'], SIGN]) {
      const r = await runCli([...cmd, '--secret-file', p], { timeoutMs: 30_000 });
      expect(r.code, `${p}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toBe(`post-doctor: --secret-file: ${p} holds more than 64 KiB; post-doctor reads up to 64 KiB from it\n`);
      expect(r.stdout + r.stderr).not.toContain('wJalrXUtnFEMI');
      expect(r.maxRssMiB).toBeLessThan(MEMORY_MIB);
    }
  }

  it('a secret file over 64 KiB: exit 2, one line, no content echoed', async () => {
    const big = join(dir, 'big-secret.txt');
    const fd = openSync(big, 'w');
    writeSync(fd, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    ftruncateSync(fd, 8 * 1024 * 1024);
    closeSync(fd);
    await refused(big);
    // a secret file of a normal size still works
    const ok = join(dir, 'ok-secret.txt');
    writeFileSync(ok, 'ExampleSecretKey0000000000000000\n');
    const r = await cli(['check', 'examples/oss/postobject-v1.json', '--secret-file', ok, '--now', '2029-12-31T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it.runIf(process.platform === 'linux')(
    '--secret-file /dev/zero: exit 2 at once, within memory',
    async () => {
      await refused('/dev/zero');
    },
    120_000,
  );
});

describe('curl commands: the number of options and headers is bounded', () => {
  it('more than 1000 -H options: exit 2, one line naming the option', async () => {
    const path = join(dir, 'headers.curl.sh');
    writeFileSync(path, `curl 'https://${HOST}/' ${Array.from({ length: 1001 }, (_, i) => `-H 'x-h${i}: v'`).join(' ')} -F key=a -F file=@/dev/null`);
    const r = await cli(['check', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const col = `curl 'https://${HOST}/' `.length + Array.from({ length: 1000 }, (_, i) => `-H 'x-h${i}: v' `).join('').length + 1;
    expect(r.stderr).toBe(`post-doctor: ${path}:1:${col}: more than 1000 headers (-H); post-doctor reads up to 1000\n`);
  });

  it('a raw capture with more than 1000 header lines, a HAR and a JSON form with more than 1000 headers', async () => {
    const raw = join(dir, 'headers.http');
    writeFileSync(raw, `POST / HTTP/1.1\r\nHost: ${HOST}\r\n${Array.from({ length: 1000 }, (_, i) => `X-H${i}: v\r\n`).join('')}Content-Type: multipart/form-data; boundary=b\r\n\r\n--b--\r\n`);
    const r = await cli(['check', raw]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`post-doctor: ${raw}:1002:1: more than 1000 header lines; post-doctor reads up to 1000\n`);
    const form = join(dir, 'headers.json');
    writeFileSync(form, JSON.stringify({ url: `https://${HOST}/`, headers: Array.from({ length: 1001 }, (_, i) => [`X-H${i}`, 'v']), fields: [['key', 'a']], file: { name: 'a.txt', content: 'x' } }));
    const j = await cli(['check', form]);
    expect(j.code, j.stderr).toBe(2);
    expect(j.stderr).toBe(`post-doctor: ${form}: field 'headers': the request has 1001 headers, more than post-doctor reads (1000)\n`);
  });

  it('a 64 MB curl file of 6.5 million -H options: refused at once, within memory', async () => {
    const path = join(dir, 'millions.curl.sh');
    const fd = openSync(path, 'w');
    writeSync(fd, `curl 'https://${HOST}/' `);
    const piece = Buffer.from('-H x:y '.repeat(64 * 1024));
    let written = 0;
    while (written < 64 * 1024 * 1024 - piece.length) {
      writeSync(fd, piece);
      written += piece.length;
    }
    closeSync(fd);
    const r = await runCli(['check', path]);
    rmSync(path, { force: true });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^post-doctor: .*millions\.curl\.sh:1:\d+: the command has more than 25000 words \(options and their values\); post-doctor reads up to 25000\n$/);
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB * 2);
    expect(r.ms).toBeLessThan(30_000);
  }, 120_000);
});

describe('form fields inside a capture on disk are read whole up to the limit, never cut', () => {
  function capture(name: string, fields: Array<[string, string]>): string {
    const b = 'pdFieldBoundary';
    let body = '';
    for (const [n, v] of fields) body += `--${b}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
    body += `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${b}--\r\n`;
    const path = join(dir, name);
    writeFileSync(path, `POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: multipart/form-data; boundary=${b}\r\n\r\n${body}`);
    return path;
  }

  function policyOf(bytes: number): { value: string; conditions: number } {
    const conditions: unknown[] = [
      ['starts-with', '$key', 'up/'],
      ['content-length-range', 0, 1024 * 1024],
    ];
    while (JSON.stringify(conditions).length < bytes) conditions.push(['eq', `$x-oss-meta-m${String(conditions.length).padStart(5, '0')}`, 'v'.repeat(40)]);
    return { value: b64(JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions })), conditions: conditions.length };
  }

  it('a valid 128 KB policy in a raw capture is read whole (not "not valid JSON")', async () => {
    const p = policyOf(96 * 1024);
    expect(p.value.length).toBeGreaterThan(128 * 1024);
    const path = capture('big-policy.http', [
      ['key', 'up/a.txt'],
      ['OSSAccessKeyId', 'LTAI5tExampleKeyId0001'],
      ['policy', p.value],
      ['Signature', '5XtMIvVSrFWVrZQzVZGuLxbCFP4='],
    ]);
    const r = await cli(['check', path, '--format', 'json', '--now', '2029-01-01T00:00:00Z']);
    expect([0, 1], r.stderr).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { id: string }) => f.id)).not.toContain('policy.json-invalid');
    expect(j.policy.conditions.length).toBe(p.conditions);
    expect(j.request.fields.find((f: [string, string]) => f[0] === 'policy')[1]).toBe(p.value);
    // the same capture from stdin (in memory) reads the same
    const s = await cli(['check', '-', '--format', 'json', '--now', '2029-01-01T00:00:00Z'], {}, await import('node:fs').then((fs) => fs.readFileSync(path, 'utf8')));
    expect(JSON.parse(s.stdout).policy.conditions.length).toBe(p.conditions);
  });

  it('a field over the limit (1 MiB): exit 2, one line naming the field and its offset, from a file and from stdin', async () => {
    const big = 'A'.repeat(1024 * 1024 + 1);
    const path = capture('huge-field.http', [
      ['key', 'up/a.txt'],
      ['x-oss-meta-big', big],
    ]);
    const r = await cli(['check', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^post-doctor: .*huge-field\.http: field 'x-oss-meta-big': the value is 1\.0 MiB \(1048577 bytes\); post-doctor reads form field values up to 1 MiB \(byte offset \d+\)\n$/,
    );
    const s = await cli(['check', '-'], {}, await import('node:fs').then((fs) => fs.readFileSync(path, 'utf8')));
    expect(s.code, s.stderr).toBe(2);
    expect(s.stderr).toMatch(/^post-doctor: stdin: field 'x-oss-meta-big': the value is 1\.0 MiB/);
  });

  it('a field exactly at the limit is read whole', async () => {
    const value = 'B'.repeat(1024 * 1024);
    const path = capture('limit-field.http', [
      ['key', 'up/a.txt'],
      ['x-oss-meta-big', value],
    ]);
    const r = await cli(['check', path, '--format', 'json']);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(JSON.parse(r.stdout).request.fields.find((f: [string, string]) => f[0] === 'x-oss-meta-big')[1]).toHaveLength(1024 * 1024);
  });
});

describe('proxy settings', () => {
  let proxy: Server;
  let port = 0;
  beforeAll(async () => {
    proxy = createServer((_q, res) => res.writeHead(403).end());
    proxy.on('connect', (_q, sock) => sock.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    port = (proxy.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

  it('a malformed HTTP_PROXY / HTTPS_PROXY is exit 2 naming the variable, not exit 3 "Invalid URL"', async () => {
    for (const [name, value] of [
      ['HTTP_PROXY', 'not a url'],
      ['HTTPS_PROXY', 'http://'],
      ['http_proxy', 'ftp://proxy.example.com:21'],
      ['HTTP_PROXY', 'http://user:pa ss@proxy'],
    ] as const) {
      for (const args of [
        ['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', 'http://127.0.0.1:9/', '--timeout', '2'],
        ['probe', 'https://127.0.0.1:9/', '--timeout', '2'],
      ]) {
        const r = await cli(args, { [name]: value });
        expect(r.code, `${name}=${value}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(new RegExp(`^post-doctor: ${name} must be a proxy URL such as http://proxy\\.example\\.com:3128; got '`));
        expect(r.stderr).not.toMatch(/Invalid URL|pa ss/);
      }
    }
    // host:port without a scheme is read as http://host:port (as curl does): a network failure, not a usage error
    const hp = await cli(['probe', 'http://127.0.0.1:9/', '--timeout', '2'], { HTTP_PROXY: `127.0.0.1:${port}` });
    expect(hp.code, hp.stderr).toBe(3);
  });

  it('a proxy that refuses the tunnel (CONNECT 403) is reported as such, not as a time-out', async () => {
    const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', 'http://upload.example.invalid/', '--timeout', '20'], { HTTP_PROXY: `http://127.0.0.1:${port}` });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toBe('post-doctor: http://upload.example.invalid/: the proxy refused to connect to the server (CONNECT answered HTTP 403); check HTTPS_PROXY / HTTP_PROXY / NO_PROXY\n');
    expect(r.stderr).not.toMatch(/no answer within/);
  });
});
