// --store DIR: accepted files kept under their object key, safely.
//
// Any valid object key can be stored, and two different keys never share a file:
//  - each "/"-separated segment keeps its name, except that "%", "\", control characters
//    and the bidirectional controls are percent-encoded (%25, %5C, %1B ...), the segments
//    "." and ".." become %2E and %2E%2E, and an empty segment (from "a//b" or a leading "/")
//    becomes "%" alone, a name encoding never produces otherwise;
//  - a segment longer than SERVE_STORE_NAME_MAX bytes once encoded becomes its first 180
//    bytes, "%~" and a SHA-256 of the whole segment (no short name contains "%~");
//  - a key whose path cannot exist beside what is stored already (the key "d/b" after the
//    file "d", or "d" after the directory "d/"), or whose path is longer than
//    SERVE_STORE_PATH_MAX bytes, goes to one file directly in DIR named after the whole key
//    with "/" encoded: "%2Fd%2Fb" (readable names never contain "%2F").
// Symbolic links inside DIR are never followed: each directory on the way is checked with
// lstat (a symlink or a non-directory there sends the key to its flat name), the file is
// written to a new temporary name opened with O_EXCL | O_NOFOLLOW and renamed over the
// destination (rename replaces a planted symlink itself, never its target), and the parent's
// real path is checked to still be inside DIR before writing.
import { createHash, randomBytes } from 'node:crypto';
import { constants as FS, promises as fsp } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { SERVE_STORE_NAME_MAX, SERVE_STORE_PATH_MAX } from './limits.js';

/** Characters percent-encoded in a stored name. */
const UNSAFE = /[%\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const LONG_MARK = '%~';
const LONG_PREFIX_BYTES = 180;

function pct(c: string): string {
  return [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The longest prefix of `s` of at most `max` UTF-8 bytes that ends on a character boundary. */
function prefixBytes(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** One name in the store for one key segment (or a whole key, with `slash`). */
export function storeName(segment: string, slash = false): string {
  let name: string;
  if (!slash && segment === '') name = '%';
  else if (!slash && segment === '.') name = '%2E';
  else if (!slash && segment === '..') name = '%2E%2E';
  else {
    name = segment.replace(UNSAFE, pct);
    if (slash) name = name.replace(/\//g, '%2F');
  }
  if (Buffer.byteLength(name, 'utf8') <= SERVE_STORE_NAME_MAX) return name;
  const hash = createHash('sha256').update(segment, 'utf8').digest('hex').slice(0, 40);
  return `${prefixBytes(name, LONG_PREFIX_BYTES)}${LONG_MARK}${hash}`;
}

/** The flat name of a whole key, directly in the store: "%2F" + the key with "/" encoded. */
export function flatStoreName(key: string): string {
  return storeName(`/${key}`, true);
}

/**
 * Object key -> its path inside `dir` (the readable layout: one directory per segment). Never
 * outside `dir`; distinct keys give distinct paths. See flatStorePath for keys that cannot
 * have this path.
 */
export function storePath(dir: string, key: string): string {
  const root = resolve(dir);
  return join(root, ...key.split('/').map((s) => storeName(s)));
}

/** The flat path of a key: one file directly in `dir`. */
export function flatStorePath(dir: string, key: string): string {
  return join(resolve(dir), flatStoreName(key));
}

/** Why a key went to its flat name instead of its readable path. */
export type FlatReason = 'path-too-long' | 'not-a-directory' | 'symlink' | 'is-a-directory';

export interface StoreOutcome {
  path: string;
  flat: FlatReason | null;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + sep);
}

/** Directories from `root` down to `dirPath`, created as needed, never through a symlink. null + reason when one is not a plain directory. */
async function ensureDirs(root: string, dirPath: string): Promise<FlatReason | null> {
  const rel = relative(root, dirPath);
  if (rel === '') return null;
  let cur = root;
  for (const seg of rel.split(sep)) {
    cur = join(cur, seg);
    let st: Awaited<ReturnType<typeof fsp.lstat>>;
    try {
      st = await fsp.lstat(cur);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      try {
        await fsp.mkdir(cur, { mode: 0o755 });
        continue;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2;
        st = await fsp.lstat(cur);
      }
    }
    if (st.isSymbolicLink()) return 'symlink';
    if (!st.isDirectory()) return 'not-a-directory';
  }
  // what was checked is what is there: the real path of the parent is still inside the store
  const real = await fsp.realpath(dirPath);
  if (real !== dirPath) return 'symlink';
  return null;
}

/**
 * Write a new file at `dest` (whose parent directory exists and was checked) from `write`,
 * without following a symlink at `dest`: a temporary name is created exclusively, then renamed.
 * Returns false when `dest` is a directory.
 */
async function writeReplacing(dest: string, write: (fd: import('node:fs/promises').FileHandle) => Promise<void>): Promise<boolean> {
  try {
    if ((await fsp.lstat(dest)).isDirectory()) return false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // "%." is a name no key encodes to
  const tmp = join(resolve(dest, '..'), `%.post-doctor-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fh = await fsp.open(tmp, FS.O_WRONLY | FS.O_CREAT | FS.O_EXCL | FS.O_NOFOLLOW, 0o644);
  try {
    try {
      await write(fh);
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, dest);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
  return true;
}

/**
 * Store one object: at its readable path when it can be (see the top of this file), else at its
 * flat name. `root` must exist (serve creates it at start). I/O failures other than the shapes of
 * keys (a full disk, no permission, a store tampered with) are thrown.
 */
export async function storeObject(root: string, key: string, write: (fd: import('node:fs/promises').FileHandle) => Promise<void>): Promise<StoreOutcome> {
  const base = await fsp.realpath(resolve(root));
  const readable = storePath(base, key);
  let reason: FlatReason | null = null;
  if (!inside(base, readable) || readable === base) reason = 'not-a-directory';
  else if (Buffer.byteLength(relative(base, readable), 'utf8') > SERVE_STORE_PATH_MAX) reason = 'path-too-long';
  if (reason === null) {
    try {
      reason = await ensureDirs(base, resolve(readable, '..'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'ELOOP') reason = 'not-a-directory';
      else if (code === 'ENAMETOOLONG') reason = 'path-too-long';
      else throw e;
    }
  }
  if (reason === null) {
    try {
      if (await writeReplacing(readable, write)) return { path: readable, flat: null };
      reason = 'is-a-directory';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENAMETOOLONG') reason = 'path-too-long';
      else if (code === 'ENOTDIR' || code === 'ELOOP') reason = 'not-a-directory';
      else throw e;
    }
  }
  const flat = flatStorePath(base, key);
  if (!(await writeReplacing(flat, write))) {
    const e = new Error(`the store holds a directory where the file ${flatStoreName(key)} goes`) as NodeJS.ErrnoException;
    e.code = 'EISDIR';
    throw e;
  }
  return { path: flat, flat: reason };
}
