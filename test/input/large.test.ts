import { closeSync, openSync, readSync, rmSync, writeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilePart } from '../../src/core/types.js';
import { readUploadRequest } from '../../src/input/index.js';

const SIZE = 50 * 1024 * 1024;
const B = '----WebKitFormBoundaryLARGE0000';

describe('a 50 MiB raw capture on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-large-'));
  const path = join(dir, 'capture.http');
  let fileStart = 0;
  let head = '';

  beforeAll(() => {
    const pre =
      `--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nbig.bin\r\n` +
      `--${B}\r\nContent-Disposition: form-data; name="policy"\r\n\r\neyJ4IjoxfQ==\r\n` +
      `--${B}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const post = `\r\n--${B}--\r\n`;
    const bodyLen = Buffer.byteLength(pre) + SIZE + Buffer.byteLength(post);
    const headers = `POST /upload HTTP/1.1\r\nHost: big.example.com\r\nContent-Type: multipart/form-data; boundary=${B}\r\nContent-Length: ${bodyLen}\r\n\r\n`;
    fileStart = Buffer.byteLength(headers) + Buffer.byteLength(pre);
    const fd = openSync(path, 'w');
    writeSync(fd, headers + pre);
    // content with CR, LF and "--" runs that look a little like delimiters
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + (i >> 7)) & 0xff;
    chunk.write(`\r\n--${B.slice(0, 20)}`, 5000, 'latin1');
    chunk.write('\r\n--', 9000, 'latin1');
    for (let written = 0; written < SIZE; written += chunk.length) writeSync(fd, chunk);
    writeSync(fd, post);
    closeSync(fd);
    const buf = Buffer.alloc(64 * 1024);
    const fdr = openSync(path, 'r');
    const n = readSync(fdr, buf, 0, buf.length, 0);
    closeSync(fdr);
    head = buf.subarray(0, n).toString('latin1');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams it: the file part is a byte range of the capture, memory stays low', async () => {
    // Collect garbage often while parsing: what remains is what the parser holds on to.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    // The parser streams `path`; `text` is only used to detect the format.
    const req = await readUploadRequest({ text: head, path, source: path }).finally(() => clearInterval(timer));
    peak = Math.max(peak, process.memoryUsage().rss);
    const growth = peak - before;
    if (process.env.PD_DEBUG) console.log('rss growth', growth);
    expect(req.bodyProblems).toEqual([]);
    expect(req.notes).toEqual([]);
    expect(req.url).toBe('http://big.example.com/upload');
    expect(req.parts.map((p) => p.name)).toEqual(['key', 'policy', 'file']);
    expect(req.parts[0]).toMatchObject({ kind: 'field', value: 'big.bin' });
    const f = req.parts[2] as FilePart;
    expect(f.size).toBe(SIZE);
    expect(f.source).toEqual({ type: 'path', path, start: fileStart, end: fileStart + SIZE });
    // sanity check, not a benchmark: far less than the file's size
    expect(growth).toBeLessThan(SIZE / 2);
  });
});
