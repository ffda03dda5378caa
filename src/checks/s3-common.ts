// Helpers shared by the S3-family checks (Amazon S3 and Ceph RGW) and the GCS checks (not a
// check itself): signing scheme, exempt fields, how a condition's field gets its value, how
// AWS and RGW evaluate and print conditions, and which knowledge-base entry answers.
//
// AWS and RGW agree on the rules and differ in the details:
// - AWS: every field before the file except x-amz-signature / signature / file / policy /
//   AWSAccessKeyId / x-ignore-* needs a condition ("Extra input fields: <name lowercased>").
// - RGW: the policy environment holds every field before the file (names as sent), plus
//   `bucket` (the bucket addressed by the URL), `key` (after `${filename}`) and Content-Type;
//   only x-amz-signature (SigV4) or AWSAccessKeyId + signature (SigV2) and policy are exempt,
//   with x-ignore-*. So on RGW the policy must name `bucket` even when the form does not send it.
//   Simple conditions {"f": "v"} are checked first ("variable not met condition: f"), then the
//   array conditions in order; an array condition on an absent field compares the empty string.
// - RGW chooses SigV4 only when x-amz-algorithm is exactly AWS4-HMAC-SHA256, else SigV2.

import type { FormView } from '../core/fields.js';
import type { DecodedPolicy, FieldPart, Prediction, ServerFlavour } from '../core/types.js';
import { effectiveKey, fieldBeforeFile, matchConditions, predictFirst, type MatchCondition } from './cos-common.js';

export { effectiveKey, fieldBeforeFile, matchConditions, predictFirst, type MatchCondition };

export const AWS4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** SigV4 signing fields, as AWS names them in "Bucket POST must contain a field named '...'". */
export const V4_FIELDS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'] as const;
/** SigV2 signing fields, as AWS names them. */
export const V2_FIELDS = ['AWSAccessKeyId', 'Signature'] as const;

export type S3Scheme = 'v4' | 'v2';

/** Lower-cased names that mark each scheme. */
const V4_MARKERS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature', 'x-amz-date'];
const V4_STRONG = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'];
const V2_MARKERS = ['awsaccesskeyid', 'signature'];

/** Is any field with one of these names sent (anywhere in the form)? */
function sends(form: FormView, names: readonly string[]): string[] {
  return names.filter((n) => form.get(n) !== undefined);
}

/**
 * The scheme the form means to use, as AWS reads it: SigV4 when any x-amz-algorithm /
 * -credential / -signature field is sent, SigV2 for AWSAccessKeyId / signature, SigV4 again for
 * a lone x-amz-date, null
 * when the form carries no signing field at all (anonymous upload).
 */
export function awsScheme(form: FormView): S3Scheme | null {
  if (sends(form, V4_STRONG).length > 0) return 'v4';
  if (sends(form, V2_MARKERS).length > 0) return 'v2';
  // x-amz-date alone: a SigV4 form missing its other fields
  return form.get('x-amz-date') !== undefined ? 'v4' : null;
}

/** The scheme RGW uses: SigV4 only when x-amz-algorithm (before the file) is exactly AWS4-HMAC-SHA256. */
export function rgwScheme(form: FormView): S3Scheme {
  return fieldBeforeFile(form, 'x-amz-algorithm')?.value === AWS4_ALGORITHM ? 'v4' : 'v2';
}

export function v4FieldsSent(form: FormView): string[] {
  return sends(form, V4_MARKERS);
}

export function v2FieldsSent(form: FormView): string[] {
  return sends(form, V2_MARKERS);
}

/** Fields that need no policy condition on AWS (lower-cased). */
const AWS_EXEMPT = new Set(['x-amz-signature', 'signature', 'file', 'policy', 'awsaccesskeyid']);

/** Does this field need no condition? (`x-ignore-*` always; the rest as the server decides). */
export function isExempt(name: string, server: ServerFlavour, form: FormView): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('x-ignore-')) return true;
  if (server === 'aws') return AWS_EXEMPT.has(n);
  if (n === 'policy') return true;
  return rgwScheme(form) === 'v4' ? n === 'x-amz-signature' : n === 'awsaccesskeyid' || n === 'signature';
}

/** Is a form field named by some eq / starts-with condition (names compared case-insensitively)? */
export function isCovered(policy: DecodedPolicy | null, name: string): boolean {
  const n = name.toLowerCase();
  return matchConditions(policy).some((c) => c.field.toLowerCase() === n);
}

/** Field names a named submit button typically has. */
const SUBMIT_NAMES = /^(submit|upload|send|save|go|ok|btn|button|submit[-_ ]?button|upload[-_ ]?button|commit|action)$/i;

/** Does this field look like a named submit button (its name, or a value like "Upload")? */
export function looksLikeSubmitButton(p: FieldPart): boolean {
  if (SUBMIT_NAMES.test(p.name.trim())) return true;
  return /^(submit|upload|send|upload (file|to \w+)|submit (file|form))$/i.test(p.value.trim()) && !p.name.toLowerCase().startsWith('x-');
}

/** Was the condition written as an object ({"field": "value"}) rather than an array? */
export function isSimple(c: MatchCondition): boolean {
  return !Array.isArray(c.raw);
}

/** The operator and field name exactly as the policy writes them (simple conditions: "eq", "$field"). */
export function writtenAs(c: MatchCondition): { op: string; name: string } {
  const raw = c.raw;
  if (Array.isArray(raw) && typeof raw[0] === 'string' && typeof raw[1] === 'string') return { op: raw[0], name: raw[1] };
  return { op: 'eq', name: `$${c.field}` };
}

/** A condition as AWS prints it in "Policy Condition failed: [...]": ["eq", "$key", "user/a"]. */
export function awsConditionText(c: MatchCondition): string {
  const { op, name } = writtenAs(c);
  return `[${[op, name, c.value].map((s) => JSON.stringify(s)).join(', ')}]`;
}

/** What a condition's field holds, as the server sees it. */
export interface FieldValue {
  /** null when the field is absent (or the bucket cannot be known). */
  value: string | null;
  /** Where the value came from. */
  source: 'form' | 'endpoint' | 'unknown';
  /** The form part, when the value is a form field. */
  part?: FieldPart;
  /** The field is sent, but only after the file (so the server never reads it). */
  afterFile: boolean;
  /** key only: the value as sent, before `${filename}` was replaced. */
  sent?: string;
}

/**
 * The value a condition's field has on the server: `bucket` is the bucket the URL addresses
 * (the form's own `bucket` field when the URL says none); `key` has `${filename}` replaced
 * by the file's name; everything else is the first field of that name before the file.
 */
export function fieldValue(ctx: { form: FormView; endpoint: { bucket: string | null } | null }, field: string): FieldValue {
  const n = field.toLowerCase();
  if (n === 'bucket') {
    const fromUrl = ctx.endpoint?.bucket ?? null;
    if (fromUrl !== null) return { value: fromUrl, source: 'endpoint', afterFile: false };
    const p = fieldBeforeFile(ctx.form, 'bucket');
    if (p) return { value: p.value, source: 'form', part: p, afterFile: false };
    return { value: null, source: 'unknown', afterFile: false };
  }
  const p = fieldBeforeFile(ctx.form, field);
  if (!p) return { value: null, source: 'form', afterFile: ctx.form.get(field) !== undefined };
  if (n === 'key') {
    return { value: effectiveKey(p.value, ctx.form.file()?.filename ?? null), source: 'form', part: p, afterFile: false, sent: p.value };
  }
  return { value: p.value, source: 'form', part: p, afterFile: false };
}

/** Items of a comma-separated Content-Type list ("image/png, image/jpeg"). */
export function contentTypeItems(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

/** AWS's evaluation: eq exact, starts-with prefix; a Content-Type list matches when every item does. */
export function awsSatisfies(c: MatchCondition, value: string): boolean {
  const test = (v: string): boolean => (c.type === 'eq' ? v === c.value : v.startsWith(c.value));
  if (c.field.toLowerCase() === 'content-type' && value.includes(',')) {
    // a list: every item must match (an eq condition may also spell out the whole list)
    return (c.type === 'eq' && value === c.value) || contentTypeItems(value).every(test);
  }
  return test(value);
}

/** RGW's evaluation: plain string comparison of the whole value. */
export function rgwSatisfies(c: MatchCondition, value: string): boolean {
  return c.type === 'eq' ? value === c.value : value.startsWith(c.value);
}

/** RGW's answer to a failed condition: object conditions name the field, array conditions op, field and value. */
export function rgwConditionPrediction(c: MatchCondition, present: boolean): Prediction | null {
  if (isSimple(c)) {
    // an absent field in a simple condition: "Policy check failed, variable not found: <field>",
    // which the knowledge base does not record; the code is AccessDenied.
    if (!present) return predictFirst(['rgw.code.access-denied']);
    return predictFirst(['rgw.post.condition-not-met'], { field: c.field });
  }
  const { name } = writtenAs(c);
  return predictFirst(['rgw.post.condition-failed'], { op: c.type, field: name.replace(/^\$/, ''), value: c.value });
}

/** The answer to a failed condition, in the server's wording. */
export function conditionPrediction(c: MatchCondition, server: ServerFlavour, present: boolean): Prediction | null {
  if (server === 'rgw') return rgwConditionPrediction(c, present);
  return predictFirst(['s3.post.condition-failed'], { condition: awsConditionText(c) });
}

/** The answer to a field the policy does not cover: AWS lowercases the name, RGW keeps it as sent. */
export function extraFieldPrediction(name: string, server: ServerFlavour): Prediction | null {
  if (server === 'rgw') return predictFirst(['rgw.post.missing-condition'], { field: name });
  return predictFirst(['s3.post.extra-input-fields'], { field: name.toLowerCase() });
}

/** yyyymmddTHHMMSSZ -> epoch ms, or null. */
export function parseAmzDate(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return t;
}

/** The yyyymmdd of a valid calendar day, else false. */
export function isYyyymmdd(s: string): boolean {
  return parseAmzDate(`${s}T000000Z`) !== null;
}

/** UTF-8 length. */
export function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The access key id the form signs with: the SigV4 credential's first part, or AWSAccessKeyId. */
export function accessKeyId(form: FormView): { value: string; field: string } | null {
  const cred = fieldBeforeFile(form, 'x-amz-credential');
  if (cred && cred.value.trim() !== '') return { value: cred.value.trim().split('/')[0] ?? '', field: cred.name };
  const v2 = fieldBeforeFile(form, 'AWSAccessKeyId');
  if (v2 && v2.value.trim() !== '') return { value: v2.value.trim(), field: v2.name };
  return null;
}

/** AWS temporary (STS) access key ids start with ASIA; they need x-amz-security-token. */
export function isTemporaryKey(akid: string): boolean {
  return /^ASIA[A-Z0-9]/.test(akid);
}
