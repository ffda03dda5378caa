// Helpers shared by the GCS checks (not a check itself): which signing fields the form uses
// and which fields need no mention in the policy.
//
// A GCS POST form is signed one of three ways: the V4 policy with x-goog-* fields (GOOG4-HMAC-SHA256
// or GOOG4-RSA-SHA256), the same V4 scheme with Amazon's x-amz-* names (interoperability), or the
// legacy V2 form (GoogleAccessId or AWSAccessKeyId, policy, signature). Every other form field
// before the file must be referenced by a policy condition, except fields prefixed `x-ignore-`.
import type { FormView } from '../core/fields.js';

export type GcsScheme = 'goog4' | 'amz4' | 'v2';

export const GOOG4_ALGORITHMS = ['GOOG4-HMAC-SHA256', 'GOOG4-RSA-SHA256'] as const;
export const GCS_CREDENTIAL_FORMAT = '<id>/<yyyymmdd>/auto/storage/goog4_request';

const has = (form: FormView, names: string[]): boolean => names.some((n) => form.get(n) !== undefined);

/** The scheme the form uses, or null for an unsigned form (no policy, no signing field). */
export function gcsFormScheme(form: FormView): GcsScheme | null {
  if (has(form, ['x-goog-algorithm', 'x-goog-credential', 'x-goog-signature', 'x-goog-date'])) return 'goog4';
  if (has(form, ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'])) return 'amz4';
  if (has(form, ['googleaccessid', 'awsaccesskeyid', 'signature'])) return 'v2';
  if (form.get('policy') !== undefined) return 'goog4';
  return null;
}

/** Signing fields of each scheme, as the documentation spells them. */
export function requiredSigningFields(form: FormView, scheme: GcsScheme): string[] {
  switch (scheme) {
    case 'goog4':
      return ['policy', 'x-goog-algorithm', 'x-goog-credential', 'x-goog-date', 'x-goog-signature'];
    case 'amz4':
      return ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'];
    case 'v2':
      return [form.get('awsaccesskeyid') && !form.get('googleaccessid') ? 'AWSAccessKeyId' : 'GoogleAccessId', 'policy', 'signature'];
  }
}

/** Fields that need no policy condition (lower-cased), besides x-ignore-*. */
const EXEMPT = new Set(['file', 'policy', 'x-goog-signature', 'x-amz-signature', 'signature', 'googleaccessid', 'awsaccesskeyid']);

export function gcsExempt(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('x-ignore-') || EXEMPT.has(n);
}
