// Helpers shared by the OSS-specific checks (not a check itself).
import type { FormView } from '../core/fields.js';
import type { Prediction } from '../core/types.js';
import { predictFirst, type MatchCondition } from './cos-common.js';

/** The V1 signature fields, as the handbook spells them (case-sensitive). */
export const OSS_V1_FIELDS = ['OSSAccessKeyId', 'policy', 'Signature'] as const;

/** The V4 signature fields. */
export const OSS_V4_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature'] as const;

export const OSS4_ALGORITHM = 'OSS4-HMAC-SHA256';

/** Does the form use V4 signing (any x-oss-signature-version / -credential / -date / -signature field)? */
export function isV4(form: FormView): boolean {
  return OSS_V4_FIELDS.some((f) => form.get(f) !== undefined);
}

/** A condition as OSS prints it in "Policy Condition failed: [...]": ["eq", "$bucket", "mingdi-bjx"]. */
export function conditionText(c: MatchCondition): string {
  const raw = c.raw;
  let op: string = c.type;
  let name = `$${c.field}`;
  if (Array.isArray(raw) && typeof raw[0] === 'string' && typeof raw[1] === 'string') {
    op = raw[0];
    name = raw[1];
  }
  return `[${[op, name, c.value].map((s) => JSON.stringify(s)).join(', ')}]`;
}

/** The access key id the form signs with (V1 field, or the V4 credential's first part). */
export function accessKeyId(form: FormView): { value: string; field: string } | null {
  const v1 = form.get('OSSAccessKeyId');
  if (v1 && v1.value !== '') return { value: v1.value, field: v1.name };
  const cred = form.get('x-oss-credential');
  if (cred && cred.value !== '') return { value: cred.value.split('/')[0] ?? '', field: cred.name };
  return null;
}

/** Region without the "oss-" prefix ("oss-cn-hangzhou" -> "cn-hangzhou"). */
export function bareRegion(region: string): string {
  return region.replace(/^oss-/, '');
}

/** OSS EC code -> knowledge-base entry (rules/kb/oss/ec.yaml). */
export const EC_RULE: Readonly<Record<string, string>> = {
  '0002-00000701': 'oss.ec.signature-version-invalid',
  '0002-00000702': 'oss.ec.policy-missing',
  '0002-00000703': 'oss.ec.signature-missing',
  '0002-00000704': 'oss.ec.signature-empty',
  '0002-00000706': 'oss.ec.access-key-id-missing',
  '0002-00000707': 'oss.ec.access-key-id-empty',
  '0002-00000708': 'oss.ec.credential-invalid',
  '0006-00000201': 'oss.ec.policy-invalid',
};

/** The prediction for an EC code, or null when the code has no entry. */
export function predictEc(ec: string | null | undefined): Prediction | null {
  const rule = ec ? EC_RULE[ec] : undefined;
  return rule ? predictFirst([rule]) : null;
}
