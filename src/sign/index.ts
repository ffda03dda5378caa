// `sign`: build a correctly signed POST upload form (fields in order, policy, signature)
// for COS, OSS (V1/V4), S3 (SigV4/SigV2) and GCS (V4 HMAC). Pure: no I/O, no clock.
// The signing itself is the providers' own functions; this module only assembles the
// policy and the fields around them so that `check` passes on the result.

import { UsageError } from '../core/errors.js';
import type { ProviderId, SignatureStep } from '../core/types.js';
import { cosSign } from '../providers/cos/sign.js';
import { ossV1Sign, ossV4Scope, ossV4Sign } from '../providers/oss/sign.js';
import { ossBucketNameProblems } from '../providers/oss/endpoint.js';
import { s3V2Sign, s3V4Sign } from '../providers/s3/sign.js';
import { gcsHmacSign } from '../providers/gcs/sign.js';

export const FILENAME_VARIABLE = '${filename}';

/** Largest object a single POST may upload (5 GiB): the default content-length-range maximum. */
export const DEFAULT_MAX_SIZE = 5 * 1024 * 1024 * 1024;

/** Longest validity GCS policies and OSS V4 signatures accept. */
export const MAX_VALIDITY_SECONDS = 7 * 24 * 3600;

/** Object key limits in bytes (UTF-8), per provider. */
export const KEY_MAX_BYTES: Record<ProviderId, number> = { cos: 850, oss: 1023, s3: 1024, gcs: 1024 };

/** OSS refuses any form field longer than this (FieldItemTooLong). */
export const OSS_FIELD_MAX_BYTES = 4096;

export type SignScheme = 'cos-sha1' | 'oss-v1' | 'oss-v4' | 's3-v4' | 's3-v2' | 'gcs-hmac';

export interface SignOptions {
  provider: ProviderId;
  /** Bucket (COS: "<bucket>-<appid>"). */
  bucket: string;
  /** COS ap-beijing, OSS cn-hangzhou, S3 us-east-1; GCS always signs with "auto". */
  region?: string;
  /** Exact object key; may contain `${filename}` (then the policy allows any file name). */
  key?: string;
  /** Allow any key starting with this prefix. */
  keyPrefix?: string;
  expiresAt: Date;
  now: Date;
  minSize?: number;
  maxSize?: number;
  /** The Content-Type field must start with this. */
  contentTypePrefix?: string;
  /** Extra form fields; each becomes an exact-match policy condition. */
  fields?: Array<[string, string]>;
  /** OSS: v1 | v4 (default v4); S3: v4 | v2 (default v4); COS and GCS have one scheme. */
  signatureVersion?: string;
  accessKeyId: string;
  secret: string;
  /** Temporary security token (STS). */
  token?: string;
  /** Upload URL instead of the provider's default host. */
  endpoint?: string;
}

/** A field the user has to fill in before uploading (its value here is only a stand-in). */
export interface SignNeed {
  field: string;
  /** The value must start with this (the policy's starts-with condition). */
  startsWith: string;
}

export interface SignedForm {
  provider: ProviderId;
  url: string;
  method: 'POST';
  /** Form fields in the order to send them; the file part goes after all of them. */
  fields: Array<[string, string]>;
  /** Name of the file part (always last). */
  fileField: 'file';
  policy: {
    /** The exact JSON text that was base64-encoded. */
    json: string;
    base64: string;
    document: { expiration: string; conditions: unknown[] };
  };
  signature: { scheme: SignScheme; steps: SignatureStep[] };
  /** Fields whose value is a stand-in the user must replace (e.g. a Content-Type prefix). */
  needs: SignNeed[];
}

type Condition = Record<string, string> | [string, string, string] | ['content-length-range', number, number];

interface Draft {
  fields: Array<[string, string]>;
  conditions: Condition[];
}

// ---------------------------------------------------------------------------
// Small helpers.

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** yyyymmddTHHMMSSZ (x-amz-date, x-oss-date, x-goog-date). */
export function compactDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The policy expiration: ISO 8601 UTC, whole seconds (GCS without fraction). */
export function policyExpiration(expiresAt: Date, provider: ProviderId): string {
  const iso = new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString();
  return provider === 'gcs' ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
}

/** A full MIME type ("image/png"), as opposed to a prefix such as "image/" or "image". */
export function isFullMimeType(s: string): boolean {
  return /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$/.test(s);
}

const VERSION_CHOICES: Record<ProviderId, { default: SignScheme; choices: Record<string, SignScheme> }> = {
  cos: { default: 'cos-sha1', choices: { sha1: 'cos-sha1', v5: 'cos-sha1' } },
  oss: { default: 'oss-v4', choices: { v1: 'oss-v1', v4: 'oss-v4' } },
  s3: { default: 's3-v4', choices: { v4: 's3-v4', v2: 's3-v2' } },
  gcs: { default: 'gcs-hmac', choices: { v4: 'gcs-hmac', hmac: 'gcs-hmac' } },
};

/** The signing scheme for a provider and a --signature-version value ("v4", "V2", "4"). */
export function resolveScheme(provider: ProviderId, version: string | undefined): SignScheme {
  const table = VERSION_CHOICES[provider];
  if (version === undefined || version.trim() === '') return table.default;
  let v = version.trim().toLowerCase();
  if (/^\d+$/.test(v)) v = `v${v}`;
  const s = table.choices[v];
  if (!s) {
    throw new UsageError(`--signature-version for ${provider} must be one of ${Object.keys(table.choices).join(', ')}; got '${version}'`);
  }
  return s;
}

/** Names the signer writes itself, per scheme (lower-cased); extra fields may not use them. */
function reservedNames(scheme: SignScheme): string[] {
  const common = ['key', 'policy', 'file', 'bucket'];
  switch (scheme) {
    case 'cos-sha1':
      return [...common, 'q-sign-algorithm', 'q-ak', 'q-key-time', 'q-sign-time', 'q-signature', 'x-cos-security-token'];
    case 'oss-v1':
      return [...common, 'ossaccesskeyid', 'signature', 'x-oss-security-token', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature'];
    case 'oss-v4':
      return [...common, 'ossaccesskeyid', 'signature', 'x-oss-security-token', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature'];
    case 's3-v4':
    case 's3-v2':
      return [...common, 'awsaccesskeyid', 'signature', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature', 'x-amz-security-token'];
    case 'gcs-hmac':
      return [...common, 'x-goog-algorithm', 'x-goog-credential', 'x-goog-date', 'x-goog-signature', 'googleaccessid', 'signature'];
  }
}

function requireRegion(opts: SignOptions, why: string): string {
  const r = opts.region?.trim();
  if (!r) throw new UsageError(`--region is required for ${why}`);
  return r;
}

function defaultUrl(opts: SignOptions, scheme: SignScheme, region: string | null): string {
  if (opts.endpoint !== undefined) {
    const e = opts.endpoint.trim();
    let u: URL;
    try {
      u = new URL(e);
    } catch {
      throw new UsageError(`--endpoint must be an absolute http(s) URL; got '${opts.endpoint}'`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--endpoint must be an absolute http(s) URL; got '${opts.endpoint}'`);
    return e;
  }
  const b = opts.bucket;
  switch (scheme) {
    case 'cos-sha1':
      return `https://${b}.cos.${region}.myqcloud.com/`;
    case 'oss-v1':
    case 'oss-v4':
      return `https://${b}.oss-${region}.aliyuncs.com/`;
    case 's3-v4':
    case 's3-v2':
      return `https://${b}.s3.${region}.amazonaws.com/`;
    case 'gcs-hmac':
      return `https://storage.googleapis.com/${b}`;
  }
}

// ---------------------------------------------------------------------------
// Validation shared by every provider.

interface KeyPlan {
  /** Value of the `key` field. */
  value: string;
  /** The policy's key condition. */
  condition: Condition;
}

/** The key field and its condition: exact, or starts-with (a prefix, or the part before `${filename}`). */
function planKey(opts: SignOptions): KeyPlan {
  const prefix = opts.keyPrefix;
  const key = opts.key;
  if (key !== undefined && key === '') throw new UsageError('--key must not be empty');
  if (prefix !== undefined && prefix.includes(FILENAME_VARIABLE)) throw new UsageError('--key-prefix must not contain ${filename}');
  if (key === undefined) {
    const p = prefix ?? '';
    return { value: `${p}${FILENAME_VARIABLE}`, condition: ['starts-with', '$key', p] };
  }
  const fixedPart = key.includes(FILENAME_VARIABLE) ? key.slice(0, key.indexOf(FILENAME_VARIABLE)) : key;
  if (prefix !== undefined) {
    if (!fixedPart.startsWith(prefix)) throw new UsageError(`--key '${key}' does not start with --key-prefix '${prefix}'`);
    return { value: key, condition: ['starts-with', '$key', prefix] };
  }
  if (key.includes(FILENAME_VARIABLE)) return { value: key, condition: ['starts-with', '$key', fixedPart] };
  return { value: key, condition: { key } };
}

function checkKey(provider: ProviderId, plan: KeyPlan): void {
  const fixed = plan.value.split(FILENAME_VARIABLE).join('');
  const limit = KEY_MAX_BYTES[provider];
  if (utf8Length(fixed) > limit) throw new UsageError(`the object key is longer than ${limit} bytes`);
  if (provider === 'oss' && /^[/\\]/.test(plan.value)) throw new UsageError('an OSS object key must not start with "/" or "\\"');
  if (/[\u0000-\u001f\u007f]/.test(plan.value)) throw new UsageError('the object key must not contain control characters');
}

function sizeRange(opts: SignOptions): ['content-length-range', number, number] | null {
  if (opts.minSize === undefined && opts.maxSize === undefined) return null;
  const min = opts.minSize ?? 0;
  const max = opts.maxSize ?? DEFAULT_MAX_SIZE;
  for (const [name, v] of [['--min-size', min], ['--max-size', max]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`${name} must be a whole number of bytes; got '${v}'`);
  }
  if (min > max) throw new UsageError(`--min-size (${min}) is larger than --max-size (${max})`);
  return ['content-length-range', min, max];
}

function extraFields(opts: SignOptions, scheme: SignScheme, contentType: boolean): Array<[string, string]> {
  const reserved = new Set(reservedNames(scheme));
  if (contentType) reserved.add('content-type');
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const [name, value] of opts.fields ?? []) {
    if (name === '' || /[\u0000-\u001f\u007f"=]/.test(name) || name.trim() !== name) throw new UsageError(`--field: invalid field name '${name}'`);
    const lower = name.toLowerCase();
    if (reserved.has(lower)) throw new UsageError(`--field: '${name}' is written by the signer itself`);
    if (seen.has(lower)) throw new UsageError(`--field: '${name}' is given twice`);
    seen.add(lower);
    out.push([name, value]);
  }
  return out;
}

/** Key, Content-Type and the extra fields with their conditions: the part every provider shares. */
function commonDraft(opts: SignOptions, scheme: SignScheme, bucketCondition: boolean): { draft: Draft; needs: SignNeed[] } {
  const plan = planKey(opts);
  checkKey(opts.provider, plan);
  const fields: Array<[string, string]> = [['key', plan.value]];
  const conditions: Condition[] = [];
  if (bucketCondition) conditions.push({ bucket: opts.bucket });
  conditions.push(plan.condition);
  const range = sizeRange(opts);
  if (range) conditions.push(range);
  const needs: SignNeed[] = [];
  const ct = opts.contentTypePrefix;
  if (ct !== undefined) {
    if (/[\u0000-\u001f\u007f]/.test(ct)) throw new UsageError('--content-type-prefix must not contain control characters');
    conditions.push(['starts-with', '$Content-Type', ct]);
    // The field must be sent: a full type is used as it is; a prefix stands in for the
    // real type, which the user's form has to put there.
    fields.push(['Content-Type', ct]);
    if (!isFullMimeType(ct)) needs.push({ field: 'Content-Type', startsWith: ct });
  }
  for (const [name, value] of extraFields(opts, scheme, ct !== undefined)) {
    fields.push([name, value]);
    conditions.push({ [name]: value });
  }
  return { draft: { fields, conditions }, needs };
}

function encodePolicy(expiration: string, conditions: Condition[]): SignedForm['policy'] {
  const document = { expiration, conditions: conditions as unknown[] };
  const json = JSON.stringify(document);
  return { json, base64: Buffer.from(json, 'utf8').toString('base64'), document };
}

function checkToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.trim() === '') throw new UsageError('the security token is empty');
  return token;
}

// ---------------------------------------------------------------------------
// The signer.

export function sign(opts: SignOptions): SignedForm {
  const provider = opts.provider;
  const scheme = resolveScheme(provider, opts.signatureVersion);
  if (!opts.bucket || opts.bucket.trim() !== opts.bucket || /[\s/]/.test(opts.bucket)) throw new UsageError(`invalid bucket name '${opts.bucket}'`);
  if (!opts.accessKeyId || /\s/.test(opts.accessKeyId)) throw new UsageError('the access key id is empty or contains whitespace');
  if (!opts.secret) throw new UsageError('the secret key is empty');
  const nowMs = opts.now.getTime();
  const expMs = opts.expiresAt.getTime();
  if (Number.isNaN(nowMs) || Number.isNaN(expMs)) throw new UsageError('invalid time');
  const nowSec = Math.floor(nowMs / 1000);
  const expSec = Math.floor(expMs / 1000);
  if (expSec <= nowSec) throw new UsageError('the expiry must be after now');
  if ((scheme === 'gcs-hmac' || scheme === 'oss-v4') && expSec - nowSec > MAX_VALIDITY_SECONDS) {
    throw new UsageError(`${scheme === 'gcs-hmac' ? 'GCS policies' : 'OSS V4 signatures'} are valid for at most 7 days`);
  }
  const token = checkToken(opts.token);
  const expiration = policyExpiration(opts.expiresAt, provider);

  let region: string | null = null;
  switch (scheme) {
    case 'cos-sha1': {
      region = opts.endpoint === undefined ? requireRegion(opts, 'COS') : (opts.region ?? null);
      if (!/^.+-\d{5,}$/.test(opts.bucket)) throw new UsageError(`a COS bucket is written <name>-<appid> (e.g. examplebucket-1250000000); got '${opts.bucket}'`);
      break;
    }
    case 'oss-v1':
    case 'oss-v4': {
      region = scheme === 'oss-v4' || opts.endpoint === undefined ? requireRegion(opts, scheme === 'oss-v4' ? 'OSS V4 signatures' : 'OSS') : (opts.region ?? null);
      if (region) region = region.replace(/^oss-/, '');
      const reasons = ossBucketNameProblems(opts.bucket);
      if (reasons.length) throw new UsageError(`invalid OSS bucket name '${opts.bucket}' (${reasons.join(', ')})`);
      break;
    }
    case 's3-v4':
      region = opts.endpoint === undefined ? requireRegion(opts, 'S3') : (opts.region?.trim() || 'us-east-1');
      break;
    case 's3-v2':
      region = opts.endpoint === undefined ? requireRegion(opts, 'S3') : (opts.region ?? null);
      break;
    case 'gcs-hmac':
      if (token !== undefined) throw new UsageError('GCS HMAC signatures take no security token');
      region = 'auto';
      break;
  }
  const url = defaultUrl(opts, scheme, region);

  const { draft, needs } = commonDraft(opts, scheme, true);
  const { fields, conditions } = draft;
  let steps: SignatureStep[];
  let policy: SignedForm['policy'];

  switch (scheme) {
    case 'cos-sha1': {
      const keyTime = `${nowSec};${expSec}`;
      conditions.push({ 'q-sign-algorithm': 'sha1' }, { 'q-ak': opts.accessKeyId }, { 'q-sign-time': keyTime });
      if (token !== undefined) conditions.push({ 'x-cos-security-token': token });
      policy = encodePolicy(expiration, conditions);
      const r = cosSign({ secretKey: opts.secret, keyTime, policyJson: policy.json });
      fields.push(['policy', policy.base64], ['q-sign-algorithm', 'sha1'], ['q-ak', opts.accessKeyId], ['q-key-time', keyTime], ['q-signature', r.signature]);
      if (token !== undefined) fields.push(['x-cos-security-token', token]);
      steps = [
        { name: 'KeyTime', value: r.keyTime },
        { name: 'SignKey', value: r.signKey, secret: true },
        { name: 'StringToSign', value: r.stringToSign },
        { name: 'Signature', value: r.signature },
      ];
      break;
    }
    case 'oss-v1': {
      policy = encodePolicy(expiration, conditions);
      const signature = ossV1Sign({ secret: opts.secret, policyBase64: policy.base64 });
      fields.push(['OSSAccessKeyId', opts.accessKeyId], ['policy', policy.base64], ['Signature', signature]);
      if (token !== undefined) fields.push(['x-oss-security-token', token]);
      steps = [
        { name: 'StringToSign', value: policy.base64 },
        { name: 'Signature', value: signature },
      ];
      break;
    }
    case 'oss-v4': {
      const r = region as string;
      const amzDate = compactDate(opts.now);
      const day = amzDate.slice(0, 8);
      const credential = `${opts.accessKeyId}/${ossV4Scope(day, r)}`;
      conditions.push({ 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }, { 'x-oss-credential': credential }, { 'x-oss-date': amzDate });
      if (token !== undefined) conditions.push({ 'x-oss-security-token': token });
      policy = encodePolicy(expiration, conditions);
      const s = ossV4Sign({ secret: opts.secret, date: day, region: r, policyBase64: policy.base64 });
      fields.push(['x-oss-signature-version', 'OSS4-HMAC-SHA256'], ['x-oss-credential', credential], ['x-oss-date', amzDate]);
      if (token !== undefined) fields.push(['x-oss-security-token', token]);
      fields.push(['policy', policy.base64], ['x-oss-signature', s.signature]);
      steps = [
        { name: 'date', value: day },
        { name: 'region', value: r },
        { name: 'scope', value: ossV4Scope(day, r) },
        { name: 'SigningKey', value: s.signingKey, secret: true },
        { name: 'StringToSign', value: policy.base64 },
        { name: 'Signature', value: s.signature },
      ];
      break;
    }
    case 's3-v4': {
      const r = region as string;
      const amzDate = compactDate(opts.now);
      const day = amzDate.slice(0, 8);
      const scope = `${day}/${r}/s3/aws4_request`;
      const credential = `${opts.accessKeyId}/${scope}`;
      conditions.push({ 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': credential }, { 'x-amz-date': amzDate });
      if (token !== undefined) conditions.push({ 'x-amz-security-token': token });
      policy = encodePolicy(expiration, conditions);
      const s = s3V4Sign({ secret: opts.secret, date: day, region: r, service: 's3', policyBase64: policy.base64 });
      fields.push(['x-amz-algorithm', 'AWS4-HMAC-SHA256'], ['x-amz-credential', credential], ['x-amz-date', amzDate]);
      if (token !== undefined) fields.push(['x-amz-security-token', token]);
      fields.push(['policy', policy.base64], ['x-amz-signature', s.signature]);
      steps = [
        { name: 'date', value: day },
        { name: 'region', value: r },
        { name: 'scope', value: scope },
        { name: 'SigningKey', value: s.signingKey, secret: true },
        { name: 'StringToSign', value: policy.base64 },
        { name: 'Signature', value: s.signature },
      ];
      break;
    }
    case 's3-v2': {
      if (token !== undefined) conditions.push({ 'x-amz-security-token': token });
      policy = encodePolicy(expiration, conditions);
      const signature = s3V2Sign({ secret: opts.secret, policyBase64: policy.base64 });
      fields.push(['AWSAccessKeyId', opts.accessKeyId]);
      if (token !== undefined) fields.push(['x-amz-security-token', token]);
      fields.push(['policy', policy.base64], ['signature', signature]);
      steps = [
        { name: 'StringToSign', value: policy.base64 },
        { name: 'Signature', value: signature },
      ];
      break;
    }
    case 'gcs-hmac': {
      const gDate = compactDate(opts.now);
      const day = gDate.slice(0, 8);
      const scope = `${day}/auto/storage/goog4_request`;
      const credential = `${opts.accessKeyId}/${scope}`;
      conditions.push({ 'x-goog-algorithm': 'GOOG4-HMAC-SHA256' }, { 'x-goog-credential': credential }, { 'x-goog-date': gDate });
      policy = encodePolicy(expiration, conditions);
      const s = gcsHmacSign({ secret: opts.secret, date: day, region: 'auto', policyBase64: policy.base64 });
      fields.push(['x-goog-algorithm', 'GOOG4-HMAC-SHA256'], ['x-goog-credential', credential], ['x-goog-date', gDate], ['policy', policy.base64], ['x-goog-signature', s.signature]);
      steps = [
        { name: 'date', value: day },
        { name: 'scope', value: scope },
        { name: 'SigningKey', value: s.signingKey, secret: true },
        { name: 'StringToSign', value: policy.base64 },
        { name: 'Signature', value: s.signature },
      ];
      break;
    }
  }

  if (provider === 'oss') {
    for (const [name, value] of fields) {
      if (utf8Length(value) > OSS_FIELD_MAX_BYTES) throw new UsageError(`the form field '${name}' would be longer than ${OSS_FIELD_MAX_BYTES} bytes, which OSS refuses`);
    }
  }
  return { provider, url, method: 'POST', fields, fileField: 'file', policy, signature: { scheme, steps }, needs };
}

