import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Part, UploadRequest } from '../../src/core/types.js';
import { readUploadRequest } from '../../src/input/index.js';
import type { InputOptions } from '../../src/input/types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES = join(ROOT, 'examples');
export const FIXTURES = join(ROOT, 'test/fixtures/input');
/** The OSS handbook seed, from ../shared beside the repository (as CI has it). */
export const SEED_004 = join(__dirname, '..', '..', '..', 'shared', 'seeds', '004_f9a7304e6cc142d3.txt');

/** Read a file the way the CLI does (text + path). */
export function fromFile(path: string, opts: InputOptions = {}): Promise<UploadRequest> {
  return readUploadRequest({ text: readFileSync(path, 'utf8'), path, source: path }, opts);
}

export function fromText(text: string, opts: InputOptions = {}): Promise<UploadRequest> {
  return readUploadRequest({ text, path: null, source: 'argument' }, opts);
}

/** Parts without offsets, file content as text, for comparing formats. */
export function comparable(parts: Part[]): unknown[] {
  return parts.map((p) => {
    if (p.kind === 'field') return { kind: 'field', name: p.name, value: p.value };
    const src = p.source;
    let content: string | null = null;
    if (src.type === 'inline') content = Buffer.from(src.data).toString('utf8');
    if (src.type === 'path') {
      const buf = readFileSync(src.path);
      content = buf.subarray(src.start ?? 0, src.end ?? buf.length).toString('utf8');
    }
    return { kind: 'file', name: p.name, filename: p.filename, contentType: p.contentType, size: p.size, content };
  });
}

export function fields(req: UploadRequest): Array<[string, string]> {
  return req.parts.map((p) => [p.name, p.kind === 'field' ? p.value : `<file ${p.filename}>`]);
}

export async function expectInputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

export function multipart(boundary: string, items: Array<[string, string] | { name: string; filename: string; type?: string; content: string }>, eol = '\r\n'): string {
  let s = '';
  for (const it of items) {
    if (Array.isArray(it)) s += `--${boundary}${eol}Content-Disposition: form-data; name="${it[0]}"${eol}${eol}${it[1]}${eol}`;
    else s += `--${boundary}${eol}Content-Disposition: form-data; name="${it.name}"; filename="${it.filename}"${eol}${it.type ? `Content-Type: ${it.type}${eol}` : ''}${eol}${it.content}${eol}`;
  }
  return `${s}--${boundary}--${eol}`;
}

export function rawRequest(body: string, contentType: string | null, extra: string[] = [], eol = '\r\n'): string {
  const hs = ['POST / HTTP/1.1', 'Host: bucket.example.com', ...(contentType ? [`Content-Type: ${contentType}`] : []), ...extra];
  return hs.join(eol) + eol + eol + body;
}
