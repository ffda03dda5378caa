// OSS V4 (OSS4-HMAC-SHA256): the signature fields and their formats. x-oss-credential is
// "<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request" (region without "oss-"); x-oss-date is
// "yyyymmddTHHMMSSZ" on the credential's day; the region agrees with the endpoint's.
import type { Check, CheckFinding } from '../check/types.js';
import { maskCredential } from '../core/mask.js';
import { parseCompactTime } from '../providers/time.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { bareRegion, isV4, OSS_V4_FIELDS, OSS4_ALGORITHM, predictEc } from './oss-common.js';

const V4 = SCHEMES['oss-v4'];
const [ALGORITHM, CREDENTIAL, DATE, SIGNATURE] = OSS_V4_FIELDS as [string, string, string, string];
const REQUIRED = [...OSS_V4_FIELDS, V4.fields.policy];
const MISSING_EC: Record<string, string> = { [V4.fields.policy]: '0002-00000702', [SIGNATURE]: '0002-00000703' };

/** "<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request". */
const CREDENTIAL_RE = new RegExp(`^([^/]*)/(\\d{8})/([^/]+)/${V4.chain?.service}/${V4.chain?.terminator}$`);
export const ossV4Fields: Check = {
  id: 'oss.v4-fields',
  providers: ['oss'],
  emits: [
    'oss.v4.field-missing',
    'oss.v4.signature-version-invalid',
    'oss.v4.credential-malformed',
    'oss.v4.credential-access-key-empty',
    'oss.v4.credential-region-prefix',
    'oss.v4.region-endpoint-mismatch',
    'oss.v4.date-malformed',
    'oss.v4.date-credential-day',
  ],
  run(ctx) {
    if (!isV4(ctx.form)) return [];
    const out: CheckFinding[] = [];
    for (const field of REQUIRED) {
      const part = ctx.form.get(field);
      if (!part || part.value.trim() === '') {
        const ec = part ? (field === SIGNATURE ? '0002-00000704' : null) : (MISSING_EC[field] ?? null);
        out.push({
          id: 'oss.v4.field-missing',
          facts: { field, empty: part !== undefined, ec },
          predicts: predictEc(ec),
          field,
        });
      }
    }

    const version = ctx.form.value(ALGORITHM);
    if (version !== undefined && version.trim() !== '' && version !== OSS4_ALGORITHM) {
      out.push({
        id: 'oss.v4.signature-version-invalid',
        facts: { value: version, expected: OSS4_ALGORITHM },
        predicts: predictEc('0002-00000701'),
        field: ALGORITHM,
      });
    }

    const credential = ctx.form.value(CREDENTIAL);
    let credDay: string | null = null;
    let credRegion: string | null = null;
    if (credential !== undefined && credential.trim() !== '') {
      const m = CREDENTIAL_RE.exec(credential);
      if (!m) {
        out.push({
          id: 'oss.v4.credential-malformed',
          facts: { value: maskCredential(credential), parts: credential.split('/').length },
          predicts: null,
          field: CREDENTIAL,
        });
      } else if ((m[1] as string) === '') {
        out.push({
          id: 'oss.v4.credential-access-key-empty',
          facts: { value: credential, ec: '0002-00000708' },
          predicts: predictEc('0002-00000708'),
          field: CREDENTIAL,
        });
      } else {
        credDay = m[2] as string;
        credRegion = m[3] as string;
        if (credRegion.startsWith('oss-')) {
          out.push({
            id: 'oss.v4.credential-region-prefix',
            facts: { region: credRegion, expected: bareRegion(credRegion) },
            predicts: null,
            field: CREDENTIAL,
          });
        }
        const endpointRegion = ctx.endpoint?.region ?? null;
        if (endpointRegion && bareRegion(endpointRegion) !== bareRegion(credRegion)) {
          out.push({
            id: 'oss.v4.region-endpoint-mismatch',
            facts: { region: credRegion, endpointRegion: bareRegion(endpointRegion), host: ctx.endpoint?.host ?? null },
            predicts: null,
            field: CREDENTIAL,
          });
        }
      }
    }

    const date = ctx.form.value(DATE);
    if (date !== undefined && date.trim() !== '') {
      if (parseCompactTime(date) === null) {
        out.push({ id: 'oss.v4.date-malformed', facts: { value: date }, predicts: null, field: DATE });
      } else if (credDay !== null && date.slice(0, 8) !== credDay) {
        out.push({
          id: 'oss.v4.date-credential-day',
          facts: { date, day: date.slice(0, 8), credentialDay: credDay },
          predicts: null,
          field: DATE,
        });
      }
    }
    return out;
  },
};
