// `sign`: build a correctly signed POST upload form (fields in order, policy, signature)
// for COS, OSS (V1/V4), S3 (SigV4/SigV2) and GCS (V4 HMAC). Pure: no I/O, no clock.
// Which signing fields a scheme writes, which the policy pins and how it signs are its
// description (src/providers/schemes); this module only assembles the policy and the fields
// around them so that `check` passes on the result.

import { UsageError } from '../core/errors.js';
import type { ProviderId, SignatureStep } from '../core/types.js';
import { ossBucketNameProblems } from '../providers/oss/endpoint.js';
import { FILENAME_VARIABLE, keyBeforeFilename } from '../providers/form.js';
import { DEFAULT_MAX_SIZE, FIELD_MAX_BYTES, KEY_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { conditionName, newFormValues, PROVIDER_SCHEMES, roleReader, SCHEMES, signingNames, type SigningScheme } from '../providers/schemes/index.js';
import { compactTime, policyExpiration } from '../providers/time.js';

/** yyyymmddTHHMMSSZ (x-amz-date, x-oss-date, x-goog-date). */
export const compactDate = compactTime;

/** The schemes `sign` writes (every scheme but GCS RSA, which needs a service account's private key). */
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

/**
 * A signed form: the same document `post-doctor sign --format json` prints (schema
 * post-doctor/sign@1), which `check` reads as a JSON form (`requestFromSignedForm`, or the text
 * on the command line). The signing intermediates are not part of it: they are derived from the
 * secret (`signWalkThrough` gives them).
 */
export interface SignedForm {
  schema: typeof SIGN_SCHEMA;
  provider: ProviderId;
  scheme: SignScheme;
  method: 'POST';
  url: string;
  /** Form fields in the order to send them (the policy and the signature among them); the file goes after all of them. */
  fields: Array<[string, string]>;
  /** Where the file goes: a part of this name, last. */
  file: { field: 'file' };
  /** The policy the `policy` field carries, decoded. */
  policy: { expiration: string; conditions: unknown[] };
  /** Fields whose value is a stand-in the user must replace (e.g. a Content-Type prefix). */
  needs: SignNeed[];
}

/** The schema id of a signed form. */
export const SIGN_SCHEMA = 'post-doctor/sign@1';

type Condition = Record<string, string> | [string, string, string] | ['content-length-range', number, number];

interface Draft {
  fields: Array<[string, string]>;
  conditions: Condition[];
}

// ---------------------------------------------------------------------------
// Small helpers.

/** A full MIME type ("image/png"), as opposed to a prefix such as "image/" or "image". */
export function isFullMimeType(s: string): boolean {
  return /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$/.test(s);
}

/** The signing scheme for a provider and a signature version ("v4", "V2", "4"); the provider's default when none is given. */
export function resolveScheme(provider: ProviderId, version: string | undefined): SignScheme {
  const table = PROVIDER_SCHEMES[provider].sign;
  if (version === undefined || version.trim() === '') return table.default as SignScheme;
  let v = version.trim().toLowerCase();
  if (/^\d+$/.test(v)) v = `v${v}`;
  const s = table.versions[v];
  if (!s) {
    throw new UsageError(`the signature version for ${provider} must be one of ${Object.keys(table.versions).join(', ')}; got '${version}'`);
  }
  return s as SignScheme;
}

/** Names the signer writes itself (lower-cased); extra fields may not use them. */
function reservedNames(provider: ProviderId): string[] {
  return ['key', 'policy', 'file', 'bucket', ...signingNames(provider)];
}

function requireRegion(opts: SignOptions, why: string): string {
  const r = opts.region?.trim();
  // the wording names the CLI option: test/sign/sign.test.ts asserts /--region/ (library terms: "a region is required")
  if (!r) throw new UsageError(`a region is required for ${why}`, 'region');
  return r;
}

const PROVIDER_NAME: Record<ProviderId, string> = { cos: 'COS', oss: 'OSS', s3: 'S3', gcs: 'GCS', obs: 'OBS', tos: 'TOS' };

/**
 * The region a new form is signed (and addressed) for. A region in the credential is required
 * unless the scheme fixes it, or names a default for forms sent to a given endpoint; a region that
 * only builds the URL is required without an endpoint.
 */
function planRegion(opts: SignOptions, scheme: SigningScheme): string | null {
  const cred = scheme.credential;
  let region: string | null;
  if (cred?.fixedRegion !== undefined) region = cred.fixedRegion;
  else if (cred && cred.defaultRegion === undefined) region = requireRegion(opts, `${scheme.name} signatures`);
  else if (opts.endpoint === undefined) region = requireRegion(opts, PROVIDER_NAME[scheme.provider]);
  else if (cred) region = opts.region?.trim() || (cred.defaultRegion as string);
  else region = opts.region ?? null;
  const prefix = PROVIDER_SCHEMES[scheme.provider].regionPrefix;
  return region && prefix && region.startsWith(prefix) ? region.slice(prefix.length) : region;
}

function defaultUrl(opts: SignOptions, provider: ProviderId, region: string | null): string {
  if (opts.endpoint !== undefined) {
    const e = opts.endpoint.trim();
    let u: URL;
    try {
      u = new URL(e);
    } catch {
      throw new UsageError(`the endpoint must be an absolute http(s) URL; got '${opts.endpoint}'`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`the endpoint must be an absolute http(s) URL; got '${opts.endpoint}'`);
    return e;
  }
  const b = opts.bucket;
  switch (provider) {
    case 'cos':
      return `https://${b}.cos.${region}.myqcloud.com/`;
    case 'oss':
      return `https://${b}.oss-${region}.aliyuncs.com/`;
    case 's3':
      return `https://${b}.s3.${region}.amazonaws.com/`;
    case 'gcs':
      return `https://storage.googleapis.com/${b}`;
    case 'obs':
      return `https://${b}.obs.${region}.myhuaweicloud.com/`;
    case 'tos':
      return `https://${b}.tos-${region}.volces.com/`;
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
  if (key !== undefined && key === '') throw new UsageError('the key must not be empty');
  if (prefix?.includes(FILENAME_VARIABLE)) throw new UsageError('the key prefix must not contain ${filename}');
  if (key === undefined) {
    const p = prefix ?? '';
    return { value: `${p}${FILENAME_VARIABLE}`, condition: ['starts-with', '$key', p] };
  }
  const fixedPart = keyBeforeFilename(key);
  if (prefix !== undefined) {
    if (!fixedPart.startsWith(prefix)) throw new UsageError(`the key '${key}' does not start with the key prefix '${prefix}'`);
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
  for (const [name, v] of [
    ['the minimum size', min],
    ['the maximum size', max],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`${name} must be a whole number of bytes; got '${v}'`);
  }
  if (min > max) throw new UsageError(`the minimum size (${min}) is larger than the maximum size (${max})`);
  return ['content-length-range', min, max];
}

function extraFields(opts: SignOptions, contentType: boolean): Array<[string, string]> {
  const reserved = new Set(reservedNames(opts.provider));
  if (contentType) reserved.add('content-type');
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const [name, value] of opts.fields ?? []) {
    if (name === '' || /[\u0000-\u001f\u007f"=]/.test(name) || name.trim() !== name) throw new UsageError(`invalid extra field name '${name}'`);
    const lower = name.toLowerCase();
    if (reserved.has(lower)) throw new UsageError(`the extra field '${name}' is written by the signer itself`);
    if (seen.has(lower)) throw new UsageError(`the extra field '${name}' is given twice`);
    seen.add(lower);
    out.push([name, value]);
  }
  return out;
}

/** Key, Content-Type and the extra fields with their conditions: the part every provider shares. */
function commonDraft(opts: SignOptions, bucketCondition: boolean): { draft: Draft; needs: SignNeed[] } {
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
    if (/[\u0000-\u001f\u007f]/.test(ct)) throw new UsageError('the Content-Type prefix must not contain control characters');
    conditions.push(['starts-with', '$Content-Type', ct]);
    // The field must be sent: a full type is used as it is; a prefix stands in for the
    // real type, which the user's form has to put there.
    fields.push(['Content-Type', ct]);
    if (!isFullMimeType(ct)) needs.push({ field: 'Content-Type', startsWith: ct });
  }
  for (const [name, value] of extraFields(opts, ct !== undefined)) {
    fields.push([name, value]);
    conditions.push({ [name]: value });
  }
  return { draft: { fields, conditions }, needs };
}

/** A policy as signed: the exact JSON text, its base64 (the `policy` field), the document. */
interface EncodedPolicy {
  json: string;
  base64: string;
  document: { expiration: string; conditions: unknown[] };
}

function encodePolicy(expiration: string, conditions: Condition[]): EncodedPolicy {
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

/** The options a form cannot be signed with: the names, the times, the token. */
function validate(opts: SignOptions, scheme: SigningScheme): { token: string | undefined } {
  if (!opts.bucket || opts.bucket.trim() !== opts.bucket || /[\s/]/.test(opts.bucket)) throw new UsageError(`invalid bucket name '${opts.bucket}'`);
  if (!opts.accessKeyId || /\s/.test(opts.accessKeyId)) throw new UsageError('the access key id is empty or contains whitespace');
  if (!opts.secret) throw new UsageError('the secret key is empty');
  const nowMs = opts.now.getTime();
  const expMs = opts.expiresAt.getTime();
  if (Number.isNaN(nowMs) || Number.isNaN(expMs)) throw new UsageError('invalid time');
  const nowSec = Math.floor(nowMs / 1000);
  const expSec = Math.floor(expMs / 1000);
  if (expSec <= nowSec) throw new UsageError('the expiry must be after now');
  const maxValidity = scheme.maxValiditySeconds;
  if (maxValidity !== null && expSec - nowSec > maxValidity) {
    throw new UsageError(`${scheme.name} signatures are valid for at most ${maxValidity / 86400} days`);
  }
  const token = checkToken(opts.token);
  if (token !== undefined && !scheme.fields.token) throw new UsageError(`${scheme.name} signatures take no security token`);
  bucketRules(opts.provider, opts.bucket);
  return { token };
}

/** Provider rules for the bucket name the form is signed for. */
function bucketRules(provider: ProviderId, bucket: string): void {
  if (provider === 'cos' && !/^.+-\d{5,}$/.test(bucket)) throw new UsageError(`a COS bucket is written <name>-<appid> (e.g. examplebucket-1250000000); got '${bucket}'`);
  if (provider === 'oss') {
    const reasons = ossBucketNameProblems(bucket);
    if (reasons.length) throw new UsageError(`invalid OSS bucket name '${bucket}' (${reasons.join(', ')})`);
  }
}

/** The form's fields (the caller's, then the scheme's signing fields), its policy and signature. */
function signDraft(
  opts: SignOptions,
  scheme: SigningScheme,
  region: string | null,
  token: string | undefined,
): { fields: Array<[string, string]>; policy: EncodedPolicy; steps: SignatureStep[]; needs: SignNeed[] } {
  const { draft, needs } = commonDraft(opts, true);
  const { fields, conditions } = draft;
  // the signing fields, pinned by exact conditions where the scheme says so; then the policy and its signature
  const values = newFormValues(scheme, { accessKeyId: opts.accessKeyId, now: opts.now, expiresAt: opts.expiresAt, region, ...(token !== undefined ? { token } : {}) });
  for (const role of scheme.layout.pinned) {
    const v = values[role];
    const name = conditionName(scheme, role);
    if (v !== undefined && name !== undefined) conditions.push({ [name]: v });
  }
  const policy = encodePolicy(policyExpiration(opts.expiresAt, opts.provider), conditions);
  const signed = scheme.sign({ secret: opts.secret, policy: { base64: policy.base64, bytes: Buffer.from(policy.json, 'utf8') }, field: roleReader(scheme, values) });
  values.policy = policy.base64;
  values.signature = signed.signature;
  for (const role of scheme.layout.fields) {
    const v = values[role];
    const name = scheme.fields[role];
    if (v !== undefined && name !== undefined) fields.push([name, v]);
  }
  return { fields, policy, steps: signed.steps, needs };
}

/** Fields a provider refuses for their length (OSS: FieldItemTooLong). */
function fieldLengths(provider: ProviderId, fields: ReadonlyArray<[string, string]>): void {
  const fieldMax = FIELD_MAX_BYTES[provider];
  if (fieldMax === undefined) return;
  for (const [name, value] of fields) {
    if (utf8Length(value) > fieldMax) throw new UsageError(`the form field '${name}' would be longer than ${fieldMax} bytes, which ${PROVIDER_NAME[provider]} refuses`);
  }
}

function signed(opts: SignOptions): { form: SignedForm; steps: SignatureStep[] } {
  const provider = opts.provider;
  const id = resolveScheme(provider, opts.signatureVersion);
  const scheme = SCHEMES[id];
  const { token } = validate(opts, scheme);
  const region = planRegion(opts, scheme);
  const url = defaultUrl(opts, provider, region);
  const { fields, policy, steps, needs } = signDraft(opts, scheme, region, token);
  fieldLengths(provider, fields);
  const form: SignedForm = {
    schema: SIGN_SCHEMA,
    provider,
    scheme: id,
    method: 'POST',
    url,
    fields,
    file: { field: 'file' },
    policy: { expiration: policy.document.expiration, conditions: policy.document.conditions },
    needs,
  };
  return { form, steps };
}

/** Sign a new POST upload form. */
export function sign(opts: SignOptions): SignedForm {
  return signed(opts).form;
}

/**
 * The same form, with every intermediate of its signature (derived keys flagged `secret`: they
 * sign like the secret for their day and region; never print them unmasked).
 */
export function signWalkThrough(opts: SignOptions): { form: SignedForm; steps: SignatureStep[] } {
  return signed(opts);
}
