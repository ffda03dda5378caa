// Shared by the hardening tests: the CLI in process, the repository root, known secrets.
import { closeSync, ftruncateSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInProcess, type CliRun } from '../fuzz/targets.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Example-only secrets (published in the provider documents or invented for the tests). */
export const SECRETS = {
  COS_SECRET_KEY: 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz',
  OSS_ACCESS_KEY_SECRET: 'ExampleSecretKey0000000000000000',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  GCS_HMAC_SECRET: 'bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ',
} as const;

export const TOKEN = 'FwoGZXIvYXdzEBYaDHardeningSessionToken0123456789abcdef';

export function cli(args: string[], env: Record<string, string> = {}, stdin: string | null = null, cwd = ROOT): Promise<CliRun> {
  return runInProcess(args, { NO_COLOR: '1', LANG: 'C', ...env }, cwd, stdin);
}

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** The fields of a valid-looking OSS V1 form for large-upload tests (any size, keys under up/). */
export const BIG_OSS_FIELDS: Array<[string, string]> = [
  ['key', 'up/big.bin'],
  ['OSSAccessKeyId', 'LTAI5tExampleKeyId0001'],
  [
    'policy',
    b64(
      JSON.stringify({
        expiration: '2030-01-01T00:00:00Z',
        conditions: [
          ['starts-with', '$key', 'up/'],
          ['content-length-range', 0, 2 ** 40],
        ],
      }),
    ),
  ],
  ['Signature', '5XtMIvVSrFWVrZQzVZGuLxbCFP4='],
];
export const BIG_OSS_HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';

/**
 * Write at `path` a raw capture of BIG_OSS_FIELDS whose file part is `size` bytes (sparse on
 * disk: zeros, written by truncation); returns the path.
 */
export function writeBigCapture(path: string, size: number, boundary: string): string {
  let head = '';
  for (const [n, v] of BIG_OSS_FIELDS) head += `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const req = `POST / HTTP/1.1\r\nHost: ${BIG_OSS_HOST}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${Buffer.byteLength(head) + size + Buffer.byteLength(tail)}\r\n\r\n`;
  const fd = openSync(path, 'w');
  try {
    const start = Buffer.from(req + head, 'utf8');
    writeSync(fd, start, 0, start.length, 0);
    ftruncateSync(fd, start.length + size);
    const end = Buffer.from(tail, 'utf8');
    writeSync(fd, end, 0, end.length, start.length + size);
  } finally {
    closeSync(fd);
  }
  return path;
}
