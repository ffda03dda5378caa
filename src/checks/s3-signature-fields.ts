// S3: the fields every POST needs before the file: `key`, and for a signed form `policy` plus
// the scheme's signing fields (SigV4: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Signature; SigV2: AWSAccessKeyId, Signature). AWS answers "Bucket POST must contain a
// field named '<Field>'"; RGW checks key first, then (SigV4 only when x-amz-algorithm is exactly
// AWS4-HMAC-SHA256) credential, signature and date, else AWSAccessKeyId and signature.
// MinIO (cmd/bucket-handlers.go PostPolicyBucketHandler, cmd/signature-v4.go) asks for `key`,
// then signs SigV2 when a `signature` field is sent and SigV4 otherwise (anonymous forms
// included); it never reads x-amz-algorithm or x-amz-date itself.
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import type { Prediction } from '../core/types.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { fieldBeforeFile, predictFirst } from './shared.js';
import { AWS4_ALGORITHM, V2_FIELDS, V4_FIELDS, awsScheme, v2FieldsSent, v4FieldsSent, type S3Scheme } from './s3-common.js';
import { goCanonical, minioForm, minioSignatureAnswer } from './s3-minio.js';

/** A field as AWS names it: key, Policy, or a signing field (X-Amz-Algorithm ..., AWSAccessKeyId, Signature). */
type AwsField = string;

const V4 = SCHEMES['s3-v4'];
const V2 = SCHEMES['s3-v2'];
const V2_ID = V2.fields.accessKeyId as string;

/** RGW's "Missing <scheme> <part>" for each signing field it checks (lower-cased names). */
const RGW_PART: Readonly<Record<string, { scheme: string; part: string }>> = {
  [V4.fields.credential as string]: { scheme: 'aws4', part: 'credential' },
  [V4.fields.signature]: { scheme: 'aws4', part: 'signature' },
  [V4.fields.date as string]: { scheme: 'aws4', part: 'date' },
  [V2_ID.toLowerCase()]: { scheme: 'aws2', part: 'access key' },
  [V2.fields.signature]: { scheme: 'aws2', part: 'signature' },
};

/** RGW's "Missing <scheme> <part>" for the SigV2 path (taken whenever the algorithm is not exactly AWS4-HMAC-SHA256). */
function rgwV2Prediction(ctx: CheckContext): Prediction | null {
  if (!fieldBeforeFile(ctx.form, V2_ID)) return predictFirst(['rgw.post.missing-auth-field'], RGW_PART[V2_ID.toLowerCase()]);
  if (!fieldBeforeFile(ctx.form, V2.fields.signature)) return predictFirst(['rgw.post.missing-auth-field'], RGW_PART[V2.fields.signature]);
  return predictFirst(['rgw.post.signature-mismatch']);
}

function rgwPrediction(field: AwsField, ctx: CheckContext): Prediction | null {
  const n = field.toLowerCase();
  if (n === 'key') return predictFirst(['rgw.post.key-missing']);
  // no policy: RGW takes the upload as anonymous and refuses it unless the bucket is public-write
  if (n === V4.fields.policy) return predictFirst(['rgw.post.signature-mismatch']);
  if (n === V4.fields.algorithm) return rgwV2Prediction(ctx);
  const part = RGW_PART[n];
  return part ? predictFirst(['rgw.post.missing-auth-field'], part) : null;
}

function prediction(field: AwsField, ctx: CheckContext): Prediction | null {
  if (ctx.server === 'rgw') return rgwPrediction(field, ctx);
  return predictFirst(['s3.post.missing-field'], { field });
}

/** The fields PostPolicyBucketHandler's signature stage needs, as AWS names them; the others are read by policy conditions only. */
const MINIO_SIGNING = new Set(['policy', 'x-amz-credential', 'x-amz-signature', 'awsaccesskeyid', 'signature']);

/**
 * MinIO: `key` missing is "The name of the uploaded key is missing" (before the signature); a
 * missing signing field gets the signature stage's answer (minioSignatureAnswer), which is
 * MinIO's answer to the whole form. x-amz-algorithm and x-amz-date are not needed by MinIO's
 * signature (only by a policy condition, which s3.conditions reports): warnings there.
 */
function minioRun(ctx: CheckContext): CheckFinding[] {
  const out: CheckFinding[] = [];
  const mf = minioForm(ctx.form);
  const scheme: S3Scheme = mf.values.has('Signature') ? 'v2' : 'v4';
  const signatureAnswer = minioSignatureAnswer(mf);
  const detected = awsScheme(ctx.form);
  const required: AwsField[] = ['key', 'Policy', ...(scheme === 'v4' ? V4_FIELDS : V2_FIELDS)];
  for (const field of required) {
    if (mf.values.has(goCanonical(field))) continue;
    const facts = { field, scheme, afterFile: ctx.form.get(field) !== undefined, schemeGuessed: detected === null };
    if (field === 'key') {
      out.push({ id: 's3.field-missing', facts, predicts: predictFirst(['minio.post.key-missing']), field });
    } else if (MINIO_SIGNING.has(field.toLowerCase()) || signatureAnswer) {
      out.push({ id: 's3.field-missing', facts, predicts: signatureAnswer, field });
    } else {
      out.push({ id: 's3.field-missing', facts, predicts: null, field, severity: 'warning' });
    }
  }
  const alg = scheme === 'v4' ? mf.values.get('X-Amz-Algorithm')?.[0]?.part : undefined;
  if (alg?.kind === 'field' && alg.value !== AWS4_ALGORITHM) {
    const facts = { value: alg.value, expected: AWS4_ALGORITHM, caseOnly: alg.value.trim().toUpperCase() === AWS4_ALGORITHM };
    out.push({ id: 's3.algorithm-invalid', facts, predicts: signatureAnswer, field: alg.name, ...(signatureAnswer ? {} : { severity: 'warning' as const }) });
  }
  return out;
}

export const s3SignatureFields: Check = {
  id: 's3.signature-fields',
  providers: ['s3'],
  emits: ['s3.field-missing', 's3.algorithm-invalid', 's3.schemes-mixed'],
  run(ctx) {
    if (ctx.server === 'minio') return minioRun(ctx);
    const out: CheckFinding[] = [];
    const form = ctx.form;
    const detected = awsScheme(form);
    const policySent = form.get('policy') !== undefined;
    // A form without policy and signing fields is an anonymous upload: only `key` is required.
    const scheme: S3Scheme | null = detected ?? (policySent ? 'v4' : null);
    const required: AwsField[] = ['key'];
    if (scheme) required.push('Policy', ...(scheme === 'v4' ? V4_FIELDS : V2_FIELDS));

    for (const field of required) {
      if (fieldBeforeFile(form, field)) continue;
      out.push({
        id: 's3.field-missing',
        facts: { field, scheme: scheme ?? 'anonymous', afterFile: form.get(field) !== undefined, schemeGuessed: detected === null && scheme !== null },
        predicts: prediction(field, ctx),
        field,
      });
    }

    if (scheme === 'v4') {
      const alg = fieldBeforeFile(form, 'x-amz-algorithm');
      if (alg && alg.value !== AWS4_ALGORITHM) {
        out.push({
          id: 's3.algorithm-invalid',
          facts: { value: alg.value, expected: AWS4_ALGORITHM, caseOnly: alg.value.trim().toUpperCase() === AWS4_ALGORITHM },
          // AWS's wording is not recorded; RGW quietly falls back to SigV2 and misses its fields
          predicts: ctx.server === 'rgw' ? rgwV2Prediction(ctx) : null,
          field: alg.name,
        });
      }
      const v2 = v2FieldsSent(form);
      if (v2.length > 0) {
        out.push({
          id: 's3.schemes-mixed',
          facts: { used: 'v4', v4Fields: v4FieldsSent(form), otherFields: v2.map((n) => form.get(n)?.name ?? n) },
          predicts: null,
        });
      }
    }
    return out;
  },
};
