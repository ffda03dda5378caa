// `post-doctor serve` as a command: options, banner, one diagnosis per request, clean stop.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { run } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { runServe } from '../../src/cli/commands/serve.js';
import { AK, SECRET, formData, post, signedForm } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const memIo = (env: NodeJS.ProcessEnv = {}): MemoryIo => memoryIo({ env });

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('serve command', () => {
  it('prints its URL, one diagnosis per request with secrets masked, and stops when asked', async () => {
    const io = memIo({ AWS_SECRET_ACCESS_KEY: SECRET });
    const ac = new AbortController();
    const done = runServe(io, { provider: 's3', bucket: 'example-bucket', port: '0', host: '127.0.0.1', corsOrigin: ['http://localhost:5173'], now: '2030-03-01T10:01:00Z', signal: ac.signal });
    await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(io.out()));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())![1]!;
    expect(io.out().split('\n')[0]).toContain(url);
    expect(io.err()).toContain('http://localhost:5173');
    const endpoint = `${url}example-bucket`;
    const good = await post(endpoint, formData(signedForm('s3', endpoint)));
    expect(good.status).toBe(204);
    const bad = signedForm('s3', endpoint, { secret: 'wrong-secret-000000000000' });
    const r = await post(endpoint, formData(bad));
    expect(r.status).toBe(403);
    await until(() => io.out().includes('#2 '));
    const lines = io.out();
    expect(lines).toMatch(/#1 POST \/example-bucket -> 204/);
    expect(lines).toMatch(/#2 POST \/example-bucket -> 403 SignatureDoesNotMatch/);
    const sig = bad.fields.find(([k]) => k === 'x-amz-signature')![1];
    expect(lines).not.toContain(sig);
    expect(lines).not.toContain(SECRET);
    expect(lines).not.toContain(AK.s3);
    ac.abort();
    expect(await done).toBe(0);
    expect(io.err()).toMatch(/2 request/);
  });

  it('bad options are usage errors (exit 2)', async () => {
    for (const args of [
      ['--cors-origin', 'localhost:5173/path'],
      ['--port', '70000'],
      ['--max-body', '0'],
      ['--now', 'yesterday'],
      ['--secret-env', 'PD_NOT_SET_ANYWHERE'],
    ]) {
      const io = memIo();
      expect(await run(['node', 'post-doctor', 'serve', '--provider', 'cos', ...args], io), args.join(' ')).toBe(2);
      expect(io.err()).toMatch(/post-doctor: /);
    }
  });

  it("--cors-config: the bucket's own CORS configuration decides, and serve says so at start", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-serve-cors-'));
    try {
      const file = join(dir, 'cors.xml');
      // the second origin has a trailing slash: it never matches, and serve says so at start
      writeFileSync(
        file,
        '\uFEFF<CORSConfiguration><CORSRule><AllowedOrigin>http://localhost:5173</AllowedOrigin><AllowedOrigin>http://app.test/</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule></CORSConfiguration>',
      );
      const io = memIo({ OSS_ACCESS_KEY_SECRET: SECRET });
      const ac = new AbortController();
      const done = runServe(io, { provider: 'oss', port: '0', corsConfig: file, signal: ac.signal });
      await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(io.out()));
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())![1]!;
      expect(io.err()).toMatch(/CORS: the rules of .*cors\.xml \(1 rule/);
      expect(io.err()).toMatch(/CORS configuration: .*http:\/\/app\.test\//);
      const ok = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const no = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-oss-meta-foo' } });
      expect(no.status).toBe(403);
      await until(() => io.out().includes('#2 '));
      expect(io.out()).toMatch(/#2 OPTIONS \/ from http:\/\/localhost:5173 -> 403 AccessForbidden: CORSResponse: .*blocked by CORS/);
      expect(io.out()).toMatch(/cause: The bucket refuses the CORS preflight: request header x-oss-meta-foo is not allowed/);
      ac.abort();
      expect(await done).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--cors-config problems: with --cors-origin, unreadable, not a CORS configuration, the wrong provider (exit 2, one line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-serve-cors-'));
    try {
      const s3Json = join(dir, 's3.json');
      writeFileSync(s3Json, JSON.stringify({ CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['POST'] }] }));
      const garbage = join(dir, 'garbage.json');
      writeFileSync(garbage, '{"CORSRules": [');
      for (const [args, message] of [
        [['--cors-origin', 'http://a.test', '--cors-config', s3Json], /either --cors-origin or --cors-config/],
        [['--cors-config', join(dir, 'missing.json')], /--cors-config: cannot read .*ENOENT/],
        [['--cors-config', garbage], /garbage\.json/],
        [['--provider', 'gcs', '--cors-config', s3Json], /s3\.json: .*gcs/],
      ] as Array<[string[], RegExp]>) {
        const io = memIo();
        expect(await run(['node', 'post-doctor', 'serve', ...args], io), args.join(' ')).toBe(2);
        expect(io.err().trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
        expect(io.err()).toMatch(message);
        expect(io.out()).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port already in use is a usage error', async () => {
    const io1 = memIo();
    const ac = new AbortController();
    const first = runServe(io1, { provider: 'oss', signal: ac.signal });
    await until(() => /:\d+\//.test(io1.out()));
    const port = /:(\d+)\//.exec(io1.out())![1]!;
    const io2 = memIo();
    expect(await run(['node', 'post-doctor', 'serve', '--provider', 'oss', '--port', port], io2)).toBe(2);
    expect(io2.err()).toMatch(/EADDRINUSE/);
    ac.abort();
    await first;
  });
});

describe('serve as a process', () => {
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.pd-serve-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops cleanly on Ctrl-C (SIGINT) with exit code 0', async () => {
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `import { run } from ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))};\nrun(process.argv).then((c) => { process.exitCode = c; });\n`);
    await build({
      entryPoints: [entry],
      outfile: join(dir, 'cli.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['undici', 'ora', 'busboy'],
      logLevel: 'silent',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const child = spawn(process.execPath, [join(dir, 'cli.mjs'), 'serve', '--provider', 'cos', '--no-color'], {
      env: { ...process.env, COS_SECRET_KEY: SECRET, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(out), 15000);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const r = await post(url, formData(signedForm('cos', url, { now: new Date(), expiresAt: new Date(Date.now() + 600_000) })));
    expect(r.status).toBe(204);
    await until(() => out.includes('#1 '), 5000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toMatch(/Stopped after 1 request/);
  }, 60_000);
});
