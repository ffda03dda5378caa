// Benchmarks (not tests): `npm run bench [startup|check-large|replay-send|all]`.
// Every figure is a ratio measured side by side in this one run (paired runs: baseline and
// post-doctor alternate, medians compared), so that a busy machine slows both alike.
//  startup      start-up of `post-doctor explain` on a small XML answer and of `post-doctor check`
//               on a small capture, each as a ratio to `node -e 0`            (aim: at most 1.3x)
//  check-large  `check` of a raw capture holding a 1 GiB file part (bytes that are not all the
//               same), against `cat` of the same file; peak RSS      (aim: at most 2x, 100 MiB)
//  replay-send  `replay --send` of a 256 MiB file to a loopback sink (bench/sink.mjs, discards
//               the body), against `curl -F` of the same form and file; peak RSS
//                                                                     (aim: at most 1.1x, 150 MiB)
// Each figure is printed with its spread: the quartiles of the paired ratios (run i of
// post-doctor over run i of the baseline) and the range of the medians' inputs.
// Environment: BENCH_SIZE (bytes of the check-large file part), BENCH_SEND_SIZE (bytes of the
// replay file), BENCH_ROUNDS (paired rounds of the large benchmarks, default 5),
// BENCH_STARTUP_ROUNDS (default 25). NODE_EXTRA_CA_CERTS is removed from the environment of
// every process the benchmark runs: when set, every node process (`node -e 0` too) parses those
// certificates before it starts (tens of milliseconds), which would flatter the start-up ratios.
// BENCH_KEEP_CA=1 keeps it.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'post-doctor.js');
const which = process.argv[2] ?? 'all';
const TIME = '/usr/bin/time';
const hasTime = spawnSync(TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
const MIB = 1024 * 1024;

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const k = (s.length - 1) * q;
  const f = Math.floor(k);
  return s[f] + (s[Math.min(f + 1, s.length - 1)] - s[f]) * (k - f);
}

function median(xs) {
  return quantile(xs, 0.5);
}

/** The spread of paired runs: quartiles of the per-pair ratios, and each side's range. */
function spread(base, pd) {
  const ratios = pd.map((p, i) => p / base[i]);
  const range = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
  return `pair ratios ${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)} (quartiles); ${range(base)} ms against ${range(pd)} ms`;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Run a command to completion (stdout kept when `keepOut`); wall ms and, with GNU time, max RSS in KiB. */
function timed(cmd, args, { keepOut = false, rss = false } = {}) {
  const argv = rss && hasTime ? [TIME, ['-f', '%M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(argv[0], argv[1], { stdio: ['ignore', keepOut ? 'pipe' : 'ignore', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout?.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let maxRssKiB = null;
      if (rss && hasTime) {
        const lines = err.trimEnd().split('\n');
        maxRssKiB = Number(lines.pop());
        err = lines.join('\n');
      }
      resolve({ ms, code, out, err, maxRssKiB });
    });
  });
}

const fmtMs = (ms) => `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
const fmtRss = (kib) => (kib === null ? 'n/a (no GNU time)' : `${(kib / 1024).toFixed(0)} MiB`);
const results = [];

function report(line, checks) {
  console.log(line);
  for (const c of checks) results.push(c);
}

/** Pseudo-random bytes (xorshift32): cheap to make, not all the same, no long runs. */
function noise(n, seed) {
  const buf = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= n; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, i);
  }
  for (let i = n & ~3; i < n; i++) buf[i] = i & 0xff;
  return buf;
}

/** Write `size` bytes of noise to an open fd (a 16 MiB block with a different seed each time). */
function writeNoise(fd, size, avoid) {
  let left = size;
  let seed = 0x9e3779b9;
  while (left > 0) {
    const n = Math.min(left, 16 * MIB);
    let block = noise(n, seed++);
    // the body must not contain its own delimiter by chance
    while (avoid && block.includes(avoid)) block = noise(n, seed++);
    writeSync(fd, block);
    left -= n;
  }
}

// ---------------------------------------------------------------------------
// start-up

async function startup() {
  const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 25);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-'));
  try {
    const xml = join(dir, 'error.xml');
    writeFileSync(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>You post object request has been expired, expiration time: 1621188104 but the time now : 1621245817</Message>\n  <RequestId>NWQ2NzgxMzZfMmViMDJhMDlfY2NjOF84NGQz</RequestId>\n</Error>\n`,
    );
    const capture = join(root, 'examples', 'cos', 'sample1-simple.http');
    const base = [process.execPath, ['-e', '0']];
    const explainCmd = [process.execPath, [bin, 'explain', xml]];
    const checkCmd = [process.execPath, [bin, 'check', capture, '--now', '2019-08-29T08:00:00Z']];
    // warm the page cache and check that both commands work
    await timed(...base);
    for (const [cmd, args] of [explainCmd, checkCmd]) {
      const r = await timed(cmd, args);
      if (r.code !== 0 && r.code !== 1) throw new Error(`${args.slice(1).join(' ')} exited ${r.code}: ${r.err}`);
    }
    const t = { base: [], explain: [], check: [] };
    for (let i = 0; i < rounds; i++) {
      t.base.push((await timed(...base)).ms);
      t.explain.push((await timed(...explainCmd)).ms);
      t.check.push((await timed(...checkCmd)).ms);
    }
    const b = median(t.base);
    const e = median(t.explain);
    const c = median(t.check);
    report(
      `startup: node -e 0 ${fmtMs(b)}; explain (small XML) ${fmtMs(e)}: ${(e / b).toFixed(2)}x; check (small capture) ${fmtMs(c)}: ${(c / b).toFixed(2)}x  (median of ${rounds} paired runs; aim 1.3x)\n  explain: ${spread(t.base, t.explain)}\n  check: ${spread(t.base, t.check)}`,
      [
        { name: 'startup explain', ratio: e / b, aim: 1.3 },
        { name: 'startup check', ratio: c / b, aim: 1.3 },
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// check of a large capture

async function checkLarge() {
  const size = Number(process.env.BENCH_SIZE ?? 1024 * MIB);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-'));
  try {
    const capture = join(dir, 'large.http');
    const boundary = '----postdoctorbench7MA4YWxkTrZu0gW';
    const policy = Buffer.from(
      JSON.stringify({
        expiration: '2030-01-01T00:00:00.000Z',
        conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/'], ['content-length-range', 0, 5 * 1024 * MIB]],
      }),
    ).toString('base64');
    const fields = [
      ['key', 'user/big.bin'],
      ['OSSAccessKeyId', 'LTAI5tExampleKeyId0001'],
      ['policy', policy],
      ['Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ];
    let head = '';
    for (const [k, v] of fields) head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const bodyLen = Buffer.byteLength(head) + size + Buffer.byteLength(tail);
    const reqHead = `POST / HTTP/1.1\r\nHost: examplebucket.oss-cn-hangzhou.aliyuncs.com\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${bodyLen}\r\n\r\n`;
    const fd = openSync(capture, 'w');
    writeSync(fd, reqHead + head);
    writeNoise(fd, size, Buffer.from(`\n--${boundary}`));
    writeSync(fd, tail);
    closeSync(fd);

    const catCmd = ['cat', [capture]];
    const pdCmd = [process.execPath, [bin, 'check', capture, '--provider', 'oss', '--now', '2026-01-01T00:00:00Z', '--format', 'json']];
    // warm the page cache for both
    await timed(...catCmd);
    const first = await timed(pdCmd[0], pdCmd[1], { keepOut: true });
    if (first.code !== 0 && first.code !== 1) throw new Error(`check exited ${first.code}: ${first.err}`);
    const file = JSON.parse(first.out).request?.file;
    if (file?.size !== size) throw new Error(`check read a file part of ${file?.size} bytes, not ${size}`);
    const cat = [];
    const pd = [];
    let rss = null;
    for (let i = 0; i < rounds; i++) {
      cat.push((await timed(...catCmd)).ms);
      const r = await timed(pdCmd[0], pdCmd[1], { rss: true });
      if (r.code !== 0 && r.code !== 1) throw new Error(`check exited ${r.code}: ${r.err}`);
      pd.push(r.ms);
      if (r.maxRssKiB !== null) rss = Math.max(rss ?? 0, r.maxRssKiB);
    }
    const c = median(cat);
    const p = median(pd);
    report(
      `check-large: ${(size / MIB).toFixed(0)} MiB file part: cat ${fmtMs(c)}, check ${fmtMs(p)}: ${(p / c).toFixed(2)}x; peak RSS ${fmtRss(rss)}  (median of ${rounds} paired runs; aim 2x, 100 MiB)\n  ${spread(cat, pd)}`,
      [{ name: 'check-large time', ratio: p / c, aim: 2 }, ...(rss === null ? [] : [{ name: 'check-large peak RSS (MiB)', ratio: rss / 1024, aim: 100 }])],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// replay --send to a loopback sink

function startSink() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'sink.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sink exited ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), stop: () => child.kill('SIGTERM') });
    });
  });
}

async function replaySend() {
  if (!has('curl')) {
    console.log('replay-send: skipped: curl is not installed (the baseline is `curl -F`)');
    return;
  }
  const size = Number(process.env.BENCH_SEND_SIZE ?? 256 * MIB);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-replay-'));
  const sink = await startSink();
  try {
    const file = join(dir, 'big.bin');
    const fd = openSync(file, 'w');
    writeNoise(fd, size, null);
    closeSync(fd);
    const url = `http://127.0.0.1:${sink.port}/pd-bench`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: '2030-01-01T00:00:00.000Z',
        conditions: [{ bucket: 'pd-bench' }, ['starts-with', '$key', 'bench/'], ['content-length-range', 0, 1024 * MIB]],
      }),
    ).toString('base64');
    const fields = [
      ['key', 'bench/big.bin'],
      ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
      ['x-amz-credential', 'AKIAIOSFODNN7EXAMPLE/20291231/us-east-1/s3/aws4_request'],
      ['x-amz-date', '20291231T000000Z'],
      ['policy', policy],
      ['x-amz-signature', '0'.repeat(64)],
    ];
    const form = join(dir, 'form.json');
    writeFileSync(form, JSON.stringify({ url, method: 'POST', fields, file: { field: 'file', name: 'big.bin', path: file, contentType: 'application/octet-stream' } }));
    const pdCmd = [process.execPath, [bin, 'replay', form, '--send', '--format', 'json', '--timeout', '600']];
    const curlArgs = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:'];
    for (const [k, v] of fields) curlArgs.push('--form-string', `${k}=${v}`);
    curlArgs.push('-F', `file=@${file};type=application/octet-stream`, url);
    const curlCmd = ['curl', curlArgs];

    const check = (r) => {
      if (r.code !== 0) throw new Error(`replay exited ${r.code}: ${r.err.slice(0, 400)}`);
      const doc = JSON.parse(r.out);
      if (doc.response?.status !== 204) throw new Error(`replay: the sink answered ${doc.response?.status}`);
    };
    // warm up both (page cache, sink)
    check(await timed(pdCmd[0], pdCmd[1], { keepOut: true }));
    await timed(curlCmd[0], curlCmd[1], { keepOut: true });
    const curl = [];
    const pd = [];
    let rss = null;
    for (let i = 0; i < rounds; i++) {
      const c = await timed(curlCmd[0], curlCmd[1], { keepOut: true });
      if (c.code !== 0 || c.out !== '204') throw new Error(`curl failed: ${c.out} ${c.err}`);
      curl.push(c.ms);
      const r = await timed(pdCmd[0], pdCmd[1], { keepOut: true, rss: true });
      check(r);
      pd.push(r.ms);
      if (r.maxRssKiB !== null) rss = Math.max(rss ?? 0, r.maxRssKiB);
    }
    const c = median(curl);
    const p = median(pd);
    report(
      `replay-send: ${(size / MIB).toFixed(0)} MiB file to a loopback sink: curl -F ${fmtMs(c)}, replay --send ${fmtMs(p)}: ${(p / c).toFixed(2)}x; peak RSS ${fmtRss(rss)}  (median of ${rounds} paired runs; aim 1.1x, 150 MiB)\n  ${spread(curl, pd)}`,
      [{ name: 'replay-send time', ratio: p / c, aim: 1.1 }, ...(rss === null ? [] : [{ name: 'replay-send peak RSS (MiB)', ratio: rss / 1024, aim: 150 }])],
    );
  } finally {
    sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

function machine() {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    /* not Linux */
  }
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(cpus().length);
  return `${nproc} CPUs (${model}), Node ${process.version}, ${process.platform}`;
}

if (!existsSync(join(root, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
console.log(`machine: ${machine()}`);
if (process.env.NODE_EXTRA_CA_CERTS) {
  if (process.env.BENCH_KEEP_CA === '1')
    console.log('note: NODE_EXTRA_CA_CERTS is set and kept (BENCH_KEEP_CA=1): every node process (node -e 0 too) parses those certificates first, which lowers the start-up ratios');
  else {
    console.log('note: NODE_EXTRA_CA_CERTS is set here; the benchmark runs every process without it (BENCH_KEEP_CA=1 keeps it)');
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
}
if (which === 'startup' || which === 'all') await startup();
if (which === 'check-large' || which === 'all') await checkLarge();
if (which === 'replay-send' || which === 'all') await replaySend();
if (results.length) {
  console.log('');
  for (const r of results)
    console.log(
      `${r.ratio <= r.aim ? 'met    ' : 'not met'}  ${r.name}: ${r.name.includes('MiB') ? r.ratio.toFixed(0) : `${r.ratio.toFixed(2)}x`} (aim ${r.name.includes('MiB') ? r.aim : `${r.aim}x`})`,
    );
}
