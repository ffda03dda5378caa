// Helpers shared by the OSS-specific checks (not a check itself). The field names are the oss-v1 /
// oss-v4 descriptions' (src/providers/schemes/oss.ts).
import type { FormView } from '../core/fields.js';
import type { Prediction } from '../core/types.js';
import type { KbId } from '../generated/ids.js';
import { detectScheme, SCHEMES } from '../providers/schemes/index.js';
import { OSS_REGION_PREFIX } from '../providers/schemes/oss.js';
import { predictFirst } from './shared.js';

const V1 = SCHEMES['oss-v1'];
const V4 = SCHEMES['oss-v4'];

/** The V1 signature fields, as the handbook spells them (case-sensitive): OSSAccessKeyId, policy, Signature. */
export const OSS_V1_FIELDS: readonly string[] = [V1.fields.accessKeyId as string, V1.fields.policy, V1.fields.signature];

/** The V4 signature fields besides the policy: x-oss-signature-version, -credential, -date, -signature. */
export const OSS_V4_FIELDS: readonly string[] = [V4.fields.algorithm, V4.fields.credential, V4.fields.date, V4.fields.signature] as string[];

export const OSS4_ALGORITHM = V4.algorithm as string;

/** Does the form use V4 signing (the oss schemes' detection: any V4 field)? */
export function isV4(form: FormView): boolean {
  return detectScheme('oss', form) === 'oss-v4';
}

/** The access key id the form signs with (V1 field, or the V4 credential's first part). */
export function accessKeyId(form: FormView): { value: string; field: string } | null {
  const v1 = form.get(V1.fields.accessKeyId as string);
  if (v1 && v1.value !== '') return { value: v1.value, field: v1.name };
  const cred = form.get(V4.fields.credential as string);
  if (cred && cred.value !== '') return { value: cred.value.split('/')[0] ?? '', field: cred.name };
  return null;
}

/** Region without the "oss-" prefix ("oss-cn-hangzhou" -> "cn-hangzhou"). */
export function bareRegion(region: string): string {
  return region.startsWith(OSS_REGION_PREFIX) ? region.slice(OSS_REGION_PREFIX.length) : region;
}

/** OSS EC code -> knowledge-base entry (rules/kb/oss/ec.yaml). */
export const EC_RULE: Readonly<Record<string, KbId>> = {
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
