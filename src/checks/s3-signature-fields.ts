// S3: the fields every POST needs before the file: `key`, and for a signed form `policy` plus
// the scheme's signing fields (SigV4: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Signature; SigV2: AWSAccessKeyId, Signature). AWS answers "Bucket POST must contain a
// field named '<Field>'"; RGW checks key first, then (SigV4 only when x-amz-algorithm is exactly
// AWS4-HMAC-SHA256) credential, signature and date, else AWSAccessKeyId and signature.
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import type { Prediction } from '../core/types.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { fieldBeforeFile, predictFirst } from './shared.js';
import { AWS4_ALGORITHM, V2_FIELDS, V4_FIELDS, awsScheme, v2FieldsSent, v4FieldsSent, type S3Scheme } from './s3-common.js';

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

export const s3SignatureFields: Check = {
  id: 's3.signature-fields',
  providers: ['s3'],
  emits: ['s3.field-missing', 's3.algorithm-invalid', 's3.schemes-mixed'],
  run(ctx) {
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
