// Small helpers shared by the input parsers: header values, placeholders, files on disk.
import { readSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Facts } from '../core/types.js';
import type { FindingId } from '../generated/ids.js';

export type Note = { id: FindingId; facts: Facts };

/** The most request headers read (a browser sends a few dozen). */
export const MAX_HEADERS = 1000;

/** Largest input read whole (the same limit as for an input file: src/cli/io.ts). */
export const WHOLE_INPUT_LIMIT = 64 * 1024 * 1024;

/** Note ids produced by the input parsers (documented for the finding catalogue). */
export const NOTE = {
  lfTranscription: 'input.lf-transcription',
  contentLengthMismatch: 'input.content-length-mismatch',
  harEntryPicked: 'input.har-entry-picked',
  fileMissing: 'input.file-missing',
  placeholderFile: 'input.placeholder-file',
  filePartAdded: 'input.file-part-added',
  bodyReencoded: 'input.body-re-encoded',
  bodyTruncated: 'input.body-truncated',
  unresolvedVariable: 'input.unresolved-variable',
} as const satisfies Record<string, FindingId>;

export function findHeader(headers: Array<[string, string]>, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === n) return v;
  return undefined;
}

export interface ParamValue {
  /** e.g. "multipart/form-data" (lower case), or "" when absent. */
  type: string;
  /** Parameters, names lower-cased, in order (first occurrence wins in `get`). */
  params: Array<[string, string]>;
}

/**
 * Parse "type; a=b; c="d e"" as used by Content-Type and Content-Disposition.
 * Lenient: a bare value runs to the next ';' (so `boundary=Multipart Boundary` keeps its space).
 */
export function parseParamHeader(value: string): ParamValue {
  let i = 0;
  const s = value;
  const semi = s.indexOf(';');
  const type = (semi < 0 ? s : s.slice(0, semi)).trim().toLowerCase();
  i = semi < 0 ? s.length : semi + 1;
  const params: Array<[string, string]> = [];
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === ';')) i++;
    if (i >= s.length) break;
    let j = i;
    while (j < s.length && s[j] !== '=' && s[j] !== ';') j++;
    const name = s.slice(i, j).trim().toLowerCase();
    if (j >= s.length || s[j] === ';') {
      if (name) params.push([name, '']);
      i = j + 1;
      continue;
    }
    j++; // '='
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    let val = '';
    if (s[j] === '"') {
      j++;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        val += s[j];
        j++;
      }
      j++; // closing quote
      while (j < s.length && s[j] !== ';') j++;
    } else {
      let k = j;
      while (k < s.length && s[k] !== ';') k++;
      val = s.slice(j, k).trim();
      j = k;
    }
    if (name) params.push([name, val]);
    i = j + 1;
  }
  return { type, params };
}

export function getParam(p: ParamValue, name: string): string | undefined {
  for (const [k, v] of p.params) if (k === name) return v;
  return undefined;
}

/** Decode an RFC 5987 ext-value (charset'lang'pct-encoded); undefined when malformed. */
export function decodeExtValue(v: string): string | undefined {
  const m = /^([^']*)'[^']*'(.*)$/.exec(v);
  if (!m) return undefined;
  const charset = m[1]!.toLowerCase();
  try {
    const bytes: number[] = [];
    const s = m[2]!;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(s.charCodeAt(i) & 0xff);
    }
    const buf = Buffer.from(bytes);
    return charset === 'iso-8859-1' || charset === 'latin1' ? buf.toString('latin1') : buf.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Texts that documents and tools put where the file's bytes should be. A file part whose
 * whole content is one of these is a placeholder (the real size is unknown).
 */
const PLACEHOLDERS = [
  '[objectcontent]',
  '{file-content}',
  '{filecontent}',
  '[filecontent]',
  '<filecontent>',
  '(binary)',
  '[binary]',
  '<binary>',
  '[binarydata]',
  '<binarydata>',
  '(binarydata)',
  '[filedata]',
  '<filedata>',
  '{filedata}',
];

export function placeholderText(content: Uint8Array | string): string | null {
  const text = typeof content === 'string' ? content : content.length > 64 ? null : Buffer.from(content).toString('utf8');
  if (text === null || text.length > 64) return null;
  const squeezed = text.replace(/\s+/g, '').toLowerCase();
  return PLACEHOLDERS.includes(squeezed) ? text.trim() : null;
}

export function resolvePath(p: string, cwd: string | undefined): string {
  return isAbsolute(p) ? p : resolve(cwd ?? process.cwd(), p);
}

/** Size of a regular file, or null when it does not exist / is not a file. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** Read from `position` of an open file until `buf` is full or the file ends; the bytes read. */
export function readFully(fd: number, buf: Buffer, position: number): number {
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}

export { basename };

/** Guess of the Content-Type curl sends for a file part (curl's own small table). */
export function curlContentTypeFor(filename: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(filename);
  const ext = m ? m[1]!.toLowerCase() : '';
  const table: Record<string, string> = {
    gif: 'image/gif',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    svg: 'image/svg+xml',
    txt: 'text/plain',
    htm: 'text/html',
    html: 'text/html',
    pdf: 'application/pdf',
    xml: 'application/xml',
  };
  return table[ext] ?? 'application/octet-stream';
}

/** 1-based line and column of a character index in a text. */
export function lineCol(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(index, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}
