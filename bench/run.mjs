// Benchmarks (not tests): `npm run bench [startup|check-large|all]`.
//  startup      start-up of `post-doctor explain` on a small XML file, as a ratio to `node -e 0`
//  check-large  `check` on a raw capture holding a 1 GiB file part: wall time against
//               `md5sum` of the same bytes, and peak memory (max RSS)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'post-doctor.js');
const which = process.argv[2] ?? 'all';
const hasTime = existsSync('/usr/bin/time');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRun(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stderr: r.stderr?.toString() ?? '' };
}

/** Max RSS in KiB via GNU time, or null. */
function maxRss(cmd, args) {
  if (!hasTime) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.toString().trim().split('\n').pop();
  return Number(last);
}

function startup() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-'));
  const xml = join(dir, 'error.xml');
  writeFileSync(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>You post object request has been expired, expiration time: 1621188104 but the time now : 1621245817</Message>\n  <RequestId>NWQ2NzgxMzZfMmViMDJhMDlfY2NjOF84NGQz</RequestId>\n</Error>\n`,
  );
  const runs = 25;
  const base = [];
  const pd = [];
  // warm the file cache
  timeRun(process.execPath, ['-e', '0']);
  timeRun(process.execPath, [bin, 'explain', xml, '--provider', 'cos']);
  for (let i = 0; i < runs; i++) {
    base.push(timeRun(process.execPath, ['-e', '0']).ms);
    const r = timeRun(process.execPath, [bin, 'explain', xml]);
    if (r.status !== 0) throw new Error(`explain exited ${r.status}: ${r.stderr}`);
    pd.push(r.ms);
  }
  rmSync(dir, { recursive: true, force: true });
  const b = median(base);
  const p = median(pd);
  console.log(`startup: node -e 0 ${b.toFixed(1)} ms, post-doctor explain ${p.toFixed(1)} ms, ratio ${(p / b).toFixed(2)}x (median of ${runs})`);
}

function checkLarge() {
  const size = Number(process.env.BENCH_SIZE ?? 1024 * 1024 * 1024);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-'));
  const capture = join(dir, 'large.http');
  const boundary = '----postdoctorbench';
  const policy = Buffer.from(
    JSON.stringify({
      expiration: '2030-01-01T00:00:00.000Z',
      conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/'], ['content-length-range', 0, 5 * 1024 * 1024 * 1024]],
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
  const chunk = Buffer.alloc(8 * 1024 * 1024, 0x61);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    writeSync(fd, chunk, 0, n);
    left -= n;
  }
  writeSync(fd, tail);
  closeSync(fd);

  // warm the page cache once for both
  spawnSync('md5sum', [capture], { stdio: 'ignore' });
  const md5 = median([0, 1, 2].map(() => timeRun('md5sum', [capture]).ms));
  const args = [bin, 'check', capture, '--provider', 'oss', '--now', '2026-01-01T00:00:00Z', '--format', 'json'];
  const pdRuns = [0, 1, 2].map(() => timeRun(process.execPath, args));
  for (const r of pdRuns) if (r.status !== 0 && r.status !== 1) throw new Error(`check exited ${r.status}: ${r.stderr}`);
  const pd = median(pdRuns.map((r) => r.ms));
  const rss = maxRss(process.execPath, args);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `check-large: ${(size / 1048576).toFixed(0)} MiB file part: md5sum ${md5.toFixed(0)} ms, post-doctor check ${pd.toFixed(0)} ms, ratio ${(pd / md5).toFixed(2)}x; peak RSS ${rss === null ? 'n/a' : `${(rss / 1024).toFixed(0)} MiB`}`,
  );
}

if (which === 'startup' || which === 'all') startup();
if (which === 'check-large' || which === 'all') checkLarge();
