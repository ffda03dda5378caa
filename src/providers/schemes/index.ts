// The signing-scheme registry: one description per scheme (SCHEMES), which schemes each
// provider reads (PROVIDER_SCHEMES), and the one rule that tells which scheme a form uses.
// Used by the signer (src/sign), re-signing (src/replay/resign.ts), the checks and the
// adapters' verifySignature.
//
// A service whose form is signed like an existing one is one more description here: Huawei OBS
// (AccessKeyId / policy / signature) is `policyHmacScheme` with its field names, Volcengine TOS
// (x-tos-*, TOS4-HMAC-SHA256) is `sigV4Scheme` with key prefix '', service 'tos' and
// terminator 'request'.
import type { FormView } from '../../core/fields.js';
import type { ProviderId } from '../../core/types.js';
import { notChecked, type SignatureReportWithFacts } from '../../crypto/search.js';
import { missingFields } from '../form.js';
import { MAX_VALIDITY_SECONDS } from '../limits.js';
import { compactTime, formatKeyTime } from '../time.js';
import type { SignatureContext } from '../types.js';
import { COS_SHA1 } from './cos.js';
import { GCS_HMAC, GCS_RSA } from './gcs.js';
import { OSS_REGION_PREFIX, OSS_V1, OSS_V4 } from './oss.js';
import { S3_V2, S3_V4 } from './s3.js';
import { OBS_NATIVE, OBS_S3_V2, OBS_S3_V4 } from './obs.js';
import { TOS_V4 } from './tos.js';
import type { FieldReader, FieldRole, NewFormInput, SchemeId, SigningScheme } from './types.js';

export type * from './types.js';

export const SCHEMES: Readonly<Record<SchemeId, SigningScheme>> = {
  'cos-sha1': COS_SHA1,
  'oss-v1': OSS_V1,
  'oss-v4': OSS_V4,
  's3-v2': S3_V2,
  's3-v4': S3_V4,
  'gcs-hmac': GCS_HMAC,
  'gcs-rsa': GCS_RSA,
  'obs-native': OBS_NATIVE,
  'obs-s3-v2': OBS_S3_V2,
  'obs-s3-v4': OBS_S3_V4,
  'tos-v4': TOS_V4,
};

export interface ProviderSchemes {
  /** The schemes a form sent to this provider may use, in the order their marks are tested. */
  readonly schemes: readonly SchemeId[];
  /** The scheme assumed when the form marks none; null when such a form names no scheme. */
  readonly fallback: SchemeId | null;
  /** The scheme a new form is signed with by default, and the signature versions that choose one. */
  readonly sign: { readonly default: SchemeId; readonly versions: Readonly<Record<string, SchemeId>> };
  /** Prefix of the provider's region ids in hosts, written without it everywhere else ("oss-"). */
  readonly regionPrefix?: string;
  /** Longest validity the service accepts for any form, whatever the scheme (GCS). */
  readonly maxValiditySeconds?: number;
}

export const PROVIDER_SCHEMES: Readonly<Record<ProviderId, ProviderSchemes>> = {
  cos: { schemes: ['cos-sha1'], fallback: 'cos-sha1', sign: { default: 'cos-sha1', versions: { sha1: 'cos-sha1', v5: 'cos-sha1' } } },
  oss: { schemes: ['oss-v4', 'oss-v1'], fallback: 'oss-v1', sign: { default: 'oss-v4', versions: { v1: 'oss-v1', v4: 'oss-v4' } }, regionPrefix: OSS_REGION_PREFIX },
  s3: { schemes: ['s3-v4', 's3-v2'], fallback: null, sign: { default: 's3-v4', versions: { v4: 's3-v4', v2: 's3-v2' } } },
  // GCS also reads Amazon's SigV4 form (x-amz-* fields) for interoperability
  gcs: {
    schemes: ['gcs-rsa', 'gcs-hmac', 's3-v4'],
    fallback: 'gcs-hmac',
    sign: { default: 'gcs-hmac', versions: { v4: 'gcs-hmac', hmac: 'gcs-hmac' } },
    maxValiditySeconds: MAX_VALIDITY_SECONDS,
  },
  // OBS reads its own form and Amazon's two (x-amz-*); a form marking none is a native one
  obs: { schemes: ['obs-s3-v4', 'obs-s3-v2', 'obs-native'], fallback: 'obs-native', sign: { default: 'obs-native', versions: { obs: 'obs-native', v2: 'obs-s3-v2', v4: 'obs-s3-v4' } } },
  tos: { schemes: ['tos-v4'], fallback: 'tos-v4', sign: { default: 'tos-v4', versions: { v4: 'tos-v4' } } },
};

function sends(form: FormView, names: readonly string[] | undefined): boolean {
  return names?.some((n) => form.get(n) !== undefined) ?? false;
}

/**
 * The scheme a form sent to `provider` uses, as its signing fields tell: the first of the
 * provider's schemes whose marks the form sends, else the first whose weak marks it sends;
 * null when no field tells.
 */
export function detectScheme(provider: ProviderId, form: FormView): SchemeId | null {
  const ids = PROVIDER_SCHEMES[provider].schemes;
  for (const weak of [false, true]) {
    for (const id of ids) {
      const d = SCHEMES[id].detect;
      if (sends(form, weak ? d.weakMarks : d.marks) && (!d.when || d.when(form))) return id;
    }
  }
  return null;
}

/** The scheme a form uses, or the provider's assumption when no field tells; null for an S3 form with no signing field. */
export function schemeFor(provider: ProviderId, form: FormView): SchemeId | null {
  return detectScheme(provider, form) ?? PROVIDER_SCHEMES[provider].fallback;
}

/** The signing fields a complete form of the scheme sends: policy, algorithm, access key id, credential, date, key time, signature (those it has). */
export function signingFields(s: SigningScheme): string[] {
  const roles: FieldRole[] = ['policy', 'algorithm', 'accessKeyId', 'credential', 'date', 'keyTime', 'signature'];
  return roles.map((r) => s.fields[r]).filter((n): n is string => n !== undefined);
}

/** Every signing name of the provider's own schemes, lower-cased: the fields the signer writes itself. */
export function signingNames(provider: ProviderId): string[] {
  const out = new Set<string>();
  for (const s of Object.values(SCHEMES)) {
    if (s.provider !== provider) continue;
    for (const n of [...Object.values(s.fields), ...Object.values(s.conditionNames ?? {}), ...(s.legacy ?? [])]) if (n) out.add(n.toLowerCase());
  }
  return [...out];
}

/**
 * Verify the form's signature with the scheme it uses (by default the one its fields tell).
 * A form that names no scheme at all is reported with the fields of the provider's default.
 */
export function verifyForm(provider: ProviderId, ctx: SignatureContext, id: SchemeId | null = schemeFor(provider, ctx.form)): SignatureReportWithFacts {
  if (id !== null) return SCHEMES[id].verify(ctx);
  const s = SCHEMES[PROVIDER_SCHEMES[provider].sign.default];
  const m = missingFields(ctx.form, signingFields(s));
  return notChecked(s.id, 'signature.fields-missing', { scheme: s.id, missing: m.missing, absent: m.absent, empty: m.empty, schemeUnknown: true });
}

/** The longest validity the service accepts for this form (the provider's, else its scheme's), or null. */
export function validityLimit(provider: ProviderId, form: FormView): number | null {
  const p = PROVIDER_SCHEMES[provider];
  if (p.maxValiditySeconds !== undefined) return p.maxValiditySeconds;
  const id = schemeFor(provider, form);
  return id === null ? null : SCHEMES[id].maxValiditySeconds;
}

/** The name a policy condition gives the field of this role (COS: q-sign-time for the key time). */
export function conditionName(s: SigningScheme, role: FieldRole): string | undefined {
  return s.conditionNames?.[role] ?? s.fields[role];
}

/** The values of a new form's signing fields by role (the policy and the signature come after them). */
export function newFormValues(s: SigningScheme, o: NewFormInput): Partial<Record<FieldRole, string>> {
  const v: Partial<Record<FieldRole, string>> = {};
  const f = s.fields;
  if (f.algorithm && s.algorithm !== null) v.algorithm = s.algorithm;
  if (f.accessKeyId) v.accessKeyId = o.accessKeyId;
  if (f.credential && s.credential && o.region !== null) v.credential = s.credential.format(o.accessKeyId, compactTime(o.now).slice(0, 8), o.region);
  if (f.date && s.time) v.date = s.time.format(o.now);
  if (f.keyTime) v.keyTime = formatKeyTime(Math.floor(o.now.getTime() / 1000), Math.floor(o.expiresAt.getTime() / 1000));
  if (f.token && o.token !== undefined) v.token = o.token;
  return v;
}

/** A field reader over values by role (names compared case-insensitively). */
export function roleReader(s: SigningScheme, values: Partial<Record<FieldRole, string>>): FieldReader {
  return (name) => {
    const n = name.toLowerCase();
    const role = (Object.keys(s.fields) as FieldRole[]).find((r) => s.fields[r]?.toLowerCase() === n);
    return role === undefined ? undefined : values[role];
  };
}
