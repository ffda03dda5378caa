// Helpers shared by the S3-family checks (Amazon S3, Ceph RGW and MinIO), not a check itself:
// signing scheme, exempt fields, how AWS and RGW evaluate and print conditions, and which
// knowledge-base entry answers. The field names are the s3-v4 / s3-v2 descriptions'
// (src/providers/schemes). How MinIO reads a form is in s3-minio.ts.
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
import type { Prediction, ServerFlavour } from '../core/types.js';
import { detectScheme, SCHEMES, signingFields, type SigningScheme } from '../providers/schemes/index.js';
import { conditionText, fieldBeforeFile, predictFirst, satisfies, writtenAs, type MatchCondition } from './shared.js';

const V4 = SCHEMES['s3-v4'];
const V2 = SCHEMES['s3-v2'];

export const AWS4_ALGORITHM = V4.algorithm as string;

/** A field name as AWS spells it in its messages ("x-amz-date" -> "X-Amz-Date", "signature" -> "Signature"). */
function awsSpelling(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The signing fields besides the policy, as AWS names them in "Bucket POST must contain a field named '...'". */
const awsFields = (s: SigningScheme): string[] =>
  signingFields(s)
    .filter((n) => n !== s.fields.policy)
    .map(awsSpelling);

/** SigV4 signing fields: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Signature. */
export const V4_FIELDS: readonly string[] = awsFields(V4);
/** SigV2 signing fields: AWSAccessKeyId, Signature. */
export const V2_FIELDS: readonly string[] = awsFields(V2);

export type S3Scheme = 'v4' | 'v2';

/** Is any field with one of these names sent (anywhere in the form)? */
function sends(form: FormView, names: readonly string[]): string[] {
  return names.filter((n) => form.get(n) !== undefined);
}

/**
 * The scheme the form means to use, as AWS reads it (the s3 schemes' detection): SigV4 when any
 * x-amz-algorithm / -credential / -signature field is sent, SigV2 for AWSAccessKeyId / signature,
 * SigV4 again for a lone x-amz-date, null when the form carries no signing field at all
 * (anonymous upload).
 */
export function awsScheme(form: FormView): S3Scheme | null {
  const id = detectScheme('s3', form);
  return id === 's3-v4' ? 'v4' : id === 's3-v2' ? 'v2' : null;
}

/** The scheme RGW uses: SigV4 only when x-amz-algorithm (before the file) is exactly AWS4-HMAC-SHA256. */
export function rgwScheme(form: FormView): S3Scheme {
  return fieldBeforeFile(form, V4.fields.algorithm as string)?.value === AWS4_ALGORITHM ? 'v4' : 'v2';
}

/** The SigV4 fields the form sends (lower-cased names). */
export function v4FieldsSent(form: FormView): string[] {
  return sends(form, [...V4.detect.marks, ...(V4.detect.weakMarks ?? [])]);
}

/** The SigV2 fields the form sends (lower-cased names). */
export function v2FieldsSent(form: FormView): string[] {
  return sends(form, V2.detect.marks);
}

/** Fields that need no policy condition on AWS (lower-cased). */
const AWS_EXEMPT = new Set([V4.fields.signature, V2.fields.signature, 'file', V4.fields.policy, (V2.fields.accessKeyId as string).toLowerCase()]);

/** Does this field need no condition? (`x-ignore-*` always; the rest as the server decides; MinIO's checks are s3-minio.ts). */
export function isExempt(name: string, server: ServerFlavour, form: FormView): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('x-ignore-')) return true;
  if (server === 'aws') return AWS_EXEMPT.has(n);
  if (n === V4.fields.policy) return true;
  return rgwScheme(form) === 'v4' ? n === V4.fields.signature : n === (V2.fields.accessKeyId as string).toLowerCase() || n === V2.fields.signature;
}

/** Was the condition written as an object ({"field": "value"}) rather than an array? */
export function isSimple(c: MatchCondition): boolean {
  return !Array.isArray(c.raw);
}

/** Items of a comma-separated Content-Type list ("image/png, image/jpeg"). */
export function contentTypeItems(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

/** AWS's evaluation: eq exact, starts-with prefix; a Content-Type list matches when every item does. */
export function awsSatisfies(c: MatchCondition, value: string): boolean {
  const test = (v: string): boolean => satisfies(c, v);
  if (c.field.toLowerCase() === 'content-type' && value.includes(',')) {
    // a list: every item must match (an eq condition may also spell out the whole list)
    return (c.type === 'eq' && value === c.value) || contentTypeItems(value).every(test);
  }
  return test(value);
}

/** RGW's evaluation: plain string comparison of the whole value. */
export const rgwSatisfies = satisfies;

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
  return predictFirst(['s3.post.condition-failed'], { condition: conditionText(c) });
}

/** The answer to a field the policy does not cover: AWS lowercases the name, RGW keeps it as sent. */
export function extraFieldPrediction(name: string, server: ServerFlavour): Prediction | null {
  if (server === 'rgw') return predictFirst(['rgw.post.missing-condition'], { field: name });
  return predictFirst(['s3.post.extra-input-fields'], { field: name.toLowerCase() });
}

/** The access key id the form signs with: the SigV4 credential's first part, or AWSAccessKeyId. */
export function accessKeyId(form: FormView): { value: string; field: string } | null {
  const cred = fieldBeforeFile(form, V4.fields.credential as string);
  if (cred && cred.value.trim() !== '') return { value: cred.value.trim().split('/')[0] ?? '', field: cred.name };
  const v2 = fieldBeforeFile(form, V2.fields.accessKeyId as string);
  if (v2 && v2.value.trim() !== '') return { value: v2.value.trim(), field: v2.name };
  return null;
}

/** AWS temporary (STS) access key ids start with ASIA; they need x-amz-security-token. */
export function isTemporaryKey(akid: string): boolean {
  return /^ASIA[A-Z0-9]/.test(akid);
}
