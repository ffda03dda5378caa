// Benchmark (not a test): `post-doctor replay --send` of a 256 MiB file to a throw-away Ceph RGW
// on loopback, against `curl -F` of the same form and file. Prints the wall times (median of
// three runs each, alternating) and the ratio replay / curl, plus replay's peak memory.
// Needs the Debian packages radosgw, ceph-mon, ceph-osd and curl. Usage: node bench/replay.mjs [MiB]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIB = Number(process.argv[2] ?? 256);
const ROUNDS = 3;

// Bundle the CLI, the signer and the RGW harness from source (next to node_modules, so that the
// lazily imported undici and ora resolve).
const outdir = join(root, 'node_modules', '.cache', 'post-doctor-bench');
mkdirSync(outdir, { recursive: true });
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', external: ['undici', 'ora', 'busboy'], loader: { '.json': 'json' } };
await build({
  ...common,
  // the replay command itself, as `post-doctor replay <form> --send` runs it
  stdin: {
    contents: [
      "import { runReplay } from './src/cli/commands/replay.ts';",
      "import { processIo } from './src/cli/io.ts';",
      "const opts = { send: true, provider: 's3', server: 'rgw', format: 'json', timeout: '600' };",
      "runReplay(processIo(), process.argv[2], opts).then((c) => { process.exitCode = c; }, (e) => { process.stderr.write(String(e && e.message) + '\\n'); process.exitCode = 3; });",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: join(outdir, 'cli.mjs'),
});
await build({
  ...common,
  stdin: { contents: "export { startRgw } from './test/rgw/harness.ts'; export { sign } from './src/sign/index.ts';", resolveDir: root, loader: 'ts' },
  outfile: join(outdir, 'lib.mjs'),
});
const { startRgw, sign } = await import(pathToFileURL(join(outdir, 'lib.mjs')).href);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Run a command; wall time in ms and max RSS (KiB) when GNU time is there. */
function timed(cmd, args) {
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = useTime ? Number(err.trim().split('\n').pop()) : null;
      resolve({ ms, code, out, err, rss });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'pd-bench-replay-'));
let rgw;
try {
  console.error(`starting Ceph RGW ...`);
  rgw = await startRgw({ bucket: 'pd-bench', memstoreBytes: (MIB * 6 + 512) * 1024 * 1024 });
  const file = join(work, 'big.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  for (let i = 0; i < MIB; i++) writeSync(fd, chunk);
  closeSync(fd);

  const now = new Date();
  const form = sign({
    provider: 's3',
    bucket: rgw.bucket,
    region: rgw.region,
    key: 'bench/big.bin',
    now,
    expiresAt: new Date(now.getTime() + 3600_000),
    accessKeyId: rgw.accessKey,
    secret: rgw.secret,
    endpoint: `${rgw.endpoint}/${rgw.bucket}`,
  });
  const formPath = join(work, 'form.json');
  writeFileSync(formPath, JSON.stringify({ url: form.url, method: 'POST', fields: form.fields, file: { field: 'file', name: 'big.bin', path: file, contentType: 'application/octet-stream' } }));
  const curlArgs = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:'];
  for (const [k, v] of form.fields) curlArgs.push('--form-string', `${k}=${v}`);
  curlArgs.push('-F', `file=@${file};type=application/octet-stream`, form.url);
  const replayArgs = [join(outdir, 'cli.mjs'), formPath];

  const replayMs = [];
  const curlMs = [];
  let rss = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await timed(process.execPath, replayArgs);
    const status = r.code === 0 ? JSON.parse(r.out).response.status : `exit ${r.code}: ${r.err.slice(0, 300)}`;
    if (r.code !== 0) throw new Error(`replay failed: ${status}`);
    replayMs.push(r.ms);
    if (r.rss) rss = Math.max(rss, r.rss);
    const c = await timed('curl', curlArgs);
    if (c.code !== 0 || !/^2/.test(c.out)) throw new Error(`curl failed: ${c.out} ${c.err}`);
    curlMs.push(c.ms);
    console.error(`round ${i + 1}: replay ${r.ms.toFixed(0)} ms (HTTP ${status}), curl ${c.ms.toFixed(0)} ms (HTTP ${c.out})`);
  }
  const rm = median(replayMs);
  const cm = median(curlMs);
  const result = {
    bench: 'replay-send',
    fileMiB: MIB,
    replayMs: Math.round(rm),
    curlMs: Math.round(cm),
    ratio: Number((rm / cm).toFixed(2)),
    replayMaxRssMiB: rss ? Number((rss / 1024).toFixed(1)) : null,
  };
  console.log(JSON.stringify(result));
} finally {
  await rgw?.stop();
  rmSync(work, { recursive: true, force: true });
}
