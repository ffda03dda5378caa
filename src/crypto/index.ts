// Small hashing helpers shared by the signing code of every provider adapter.
// Pure functions over node:crypto; strings are taken as UTF-8 bytes.
import { createHash, createHmac } from 'node:crypto';

export type HashAlg = 'sha1' | 'sha256';
export type Bytes = string | Uint8Array;

/** HMAC over `msg` keyed with `key` (strings as UTF-8 bytes). */
export function hmac(alg: HashAlg, key: Bytes, msg: Bytes): Buffer {
  return createHmac(alg, key).update(msg).digest();
}

/** Lowercase hex HMAC. */
export function hmacHex(alg: HashAlg, key: Bytes, msg: Bytes): string {
  return hmac(alg, key, msg).toString('hex');
}

/** Plain digest of `data`. */
export function digest(alg: HashAlg, data: Bytes): Buffer {
  return createHash(alg).update(data).digest();
}

/** Lowercase hex digest. */
export function digestHex(alg: HashAlg, data: Bytes): string {
  return digest(alg, data).toString('hex');
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;

/** Bytes of a hex text, or null when it is not hex of even length. */
export function fromHex(text: string): Buffer | null {
  if (text.length === 0 || text.length % 2 !== 0 || !HEX_RE.test(text)) return null;
  return Buffer.from(text, 'hex');
}

/** Bytes of a base64 (or base64url) text, or null when the text is not base64. */
export function fromBase64(text: string): Buffer | null {
  if (text.length === 0) return null;
  if (!BASE64_RE.test(text) && !BASE64URL_RE.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** Decode base64 the way servers do in practice (whitespace ignored); bytes exactly as decoded. */
export function decodeBase64Lenient(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

/** True when both byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** UTF-8 bytes of a string (or the bytes themselves). */
export function toBytes(data: Bytes): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
}

// SigV4-style key chains (S3 "AWS4", OSS "aliyun_v4", GCS "GOOG4").
/** The keys of a SigV4-style chain, raw bytes. */
export interface KeyChain {
  dateKey: Buffer;
  regionKey: Buffer;
  serviceKey: Buffer;
  signingKey: Buffer;
}

/** HMAC-SHA256 chain: key prefix+secret over date, then region, service, terminator. */
export function v4KeyChain(prefix: string, secret: string, date: string, region: string, service: string, terminator: string): KeyChain {
  const dateKey = hmac('sha256', prefix + secret, date);
  const regionKey = hmac('sha256', dateKey, region);
  const serviceKey = hmac('sha256', regionKey, service);
  const signingKey = hmac('sha256', serviceKey, terminator);
  return { dateKey, regionKey, serviceKey, signingKey };
}
