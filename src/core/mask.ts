// Masking: access keys, signatures, tokens and derived keys keep a short prefix; secrets
// vanish entirely. Renderers pass every string they print through a Redactor.

import type { UploadRequest } from './types.js';

/** Field names (lower-cased) whose values are credentials or signatures. */
export const SENSITIVE_FIELDS = new Set([
  'q-ak',
  'q-signature',
  'x-cos-security-token',
  'ossaccesskeyid',
  'signature',
  'x-oss-signature',
  'x-oss-security-token',
  'x-oss-credential',
  'awsaccesskeyid',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-credential',
  'x-goog-signature',
  'x-goog-credential',
  'x-cos-server-side-encryption-customer-key',
]);

/** Header names (lower-cased) whose values are credentials. */
export const SENSITIVE_HEADERS = new Set(['authorization', 'x-amz-security-token', 'x-oss-security-token', 'x-cos-security-token', 'cookie']);

export function prefixLength(value: string): number {
  if (value.length >= 16) return 6;
  if (value.length >= 8) return 4;
  return Math.min(1, value.length);
}

/** "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q" -> "AKIDQj****". */
export function maskValue(value: string): string {
  if (value.length === 0) return value;
  return `${value.slice(0, prefixLength(value))}****`;
}

/** Credential scope "AKID/20240101/us-east-1/s3/aws4_request": only the key id is masked. */
export function maskCredential(value: string): string {
  const i = value.indexOf('/');
  if (i < 0) return maskValue(value);
  return maskValue(value.slice(0, i)) + value.slice(i);
}

/** Shapes of access key ids (COS, AWS, OSS, OSS STS, GCS HMAC): masked wherever they appear. */
export const KEY_ID_PATTERN =
  /\b(?:AKID[0-9A-Za-z]{12,}|(?:AKIA|ASIA|AROA)[0-9A-Z]{12,}|LTAI[0-9A-Za-z]{8,}|STS\.[0-9A-Za-z]{8,}|GOOG[0-9A-Z]{16,})\b/g;

export class Redactor {
  /** value -> replacement, longest first when scrubbing. */
  private readonly map = new Map<string, string>();

  /** A value that may appear in output only as a masked prefix. */
  addSensitive(value: string | null | undefined): this {
    if (!value || value.length < 4) return this;
    const v = value.trim();
    if (v.length < 4) return this;
    this.map.set(v, maskValue(v));
    return this;
  }

  /** A secret that must never appear, not even a prefix. */
  addSecret(value: string | null | undefined): this {
    if (!value) return this;
    const v = value.trim();
    if (v.length === 0) return this;
    this.map.set(v, '****');
    if (v !== value && value.length > 0) this.map.set(value, '****');
    return this;
  }

  /** Collect the sensitive values of a request (fields, credential key ids, auth headers). */
  addRequest(req: UploadRequest): this {
    for (const part of req.parts) {
      if (part.kind !== 'field') continue;
      const name = part.name.toLowerCase();
      if (!SENSITIVE_FIELDS.has(name)) continue;
      if (name.endsWith('-credential')) {
        const ak = part.value.split('/')[0];
        this.addSensitive(ak);
      } else {
        this.addSensitive(part.value);
      }
    }
    for (const [name, value] of req.headers) {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) this.addSensitive(value);
    }
    return this;
  }

  get size(): number {
    return this.map.size;
  }

  /** Replace every sensitive value in `text`. */
  scrub(text: string): string {
    if (!text) return text;
    let out = text;
    if (this.map.size > 0) {
      const keys = [...this.map.keys()].sort((a, b) => b.length - a.length);
      for (const k of keys) {
        if (out.includes(k)) out = out.split(k).join(this.map.get(k) as string);
      }
    }
    // Key ids that reached the text some other way (a policy condition, a prefix, an echo).
    return out.replace(KEY_ID_PATTERN, (m) => maskValue(m));
  }

  /** Scrub every string inside a JSON-able value. */
  scrubDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(value) as T;
  }
}
