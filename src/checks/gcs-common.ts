// Helpers shared by the GCS checks (not a check itself): which signing fields the form uses
// and which fields need no mention in the policy.
//
// A GCS POST form is signed one of three ways: the V4 policy with x-goog-* fields (GOOG4-HMAC-SHA256
// or GOOG4-RSA-SHA256), the same V4 scheme with Amazon's x-amz-* names (interoperability), or the
// legacy V2 form (GoogleAccessId or AWSAccessKeyId, policy, signature). Every other form field
// before the file must be referenced by a policy condition, except fields prefixed `x-ignore-`.
// The field names are the gcs / s3 scheme descriptions' (src/providers/schemes).
import type { FormView } from '../core/fields.js';
import { detectScheme, SCHEMES, signingFields } from '../providers/schemes/index.js';

export type GcsScheme = 'goog4' | 'amz4' | 'v2';

const HMAC = SCHEMES['gcs-hmac'];
const AMZ = SCHEMES['s3-v4'];
const AMZ_V2 = SCHEMES['s3-v2'];

export const GOOG4_ALGORITHMS: readonly string[] = [HMAC.algorithm as string, SCHEMES['gcs-rsa'].algorithm as string];

/** The legacy V2 form's names: GoogleAccessId, signature; AWSAccessKeyId from the S3 V2 form. */
const V2_NAMES = [...(HMAC.legacy ?? []), AMZ_V2.fields.accessKeyId as string];

/** The scheme the form uses, or null for an unsigned form (no policy, no signing field). */
export function gcsFormScheme(form: FormView): GcsScheme | null {
  const id = detectScheme('gcs', form);
  if (id === 'gcs-hmac' || id === 'gcs-rsa') return 'goog4';
  if (id === 's3-v4') return 'amz4';
  if (V2_NAMES.some((n) => form.get(n) !== undefined)) return 'v2';
  if (form.get(HMAC.fields.policy) !== undefined) return 'goog4';
  return null;
}

/** Signing fields of each scheme, as the documentation spells them. */
export function requiredSigningFields(form: FormView, scheme: GcsScheme): string[] {
  switch (scheme) {
    case 'goog4':
      return signingFields(HMAC);
    case 'amz4':
      return signingFields(AMZ);
    case 'v2': {
      const [googleId, signature] = HMAC.legacy as [string, string];
      const awsId = AMZ_V2.fields.accessKeyId as string;
      return [form.get(awsId) && !form.get(googleId) ? awsId : googleId, HMAC.fields.policy, signature];
    }
  }
}

/** Fields that need no policy condition (lower-cased), besides x-ignore-*. */
const EXEMPT = new Set(['file', HMAC.fields.policy, HMAC.fields.signature, AMZ.fields.signature, ...V2_NAMES].map((n) => n.toLowerCase()));

export function gcsExempt(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('x-ignore-') || EXEMPT.has(n);
}
