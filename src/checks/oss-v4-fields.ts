// OSS V4 (OSS4-HMAC-SHA256): the signature fields and their formats. x-oss-credential is
// "<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request" (region without "oss-"); x-oss-date is
// "yyyymmddTHHMMSSZ" on the credential's day; the region agrees with the endpoint's.
import type { Check } from '../check/types.js';
import type { Finding } from '../core/types.js';
import { maskCredential } from '../core/mask.js';
import { bareRegion, isV4, OSS4_ALGORITHM, predictEc } from './oss-common.js';

const REQUIRED = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature', 'policy'];
const MISSING_EC: Record<string, string> = { policy: '0002-00000702', 'x-oss-signature': '0002-00000703' };

export const CREDENTIAL = /^([^/]*)\/(\d{8})\/([^/]+)\/oss\/aliyun_v4_request$/;
export const OSS_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch ms of an x-oss-date, or null when it is not a real yyyymmddTHHMMSSZ time. */
export function parseOssDate(v: string): number | null {
  const m = OSS_DATE.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return t;
}

export const ossV4Fields: Check = {
  id: 'oss.v4-fields',
  providers: ['oss'],
  run(ctx) {
    if (!isV4(ctx.form)) return [];
    const out: Finding[] = [];
    for (const field of REQUIRED) {
      const part = ctx.form.get(field);
      if (!part || part.value.trim() === '') {
        const ec = part ? (field === 'x-oss-signature' ? '0002-00000704' : null) : (MISSING_EC[field] ?? null);
        out.push({
          id: 'oss.v4.field-missing',
          severity: 'error',
          facts: { field, empty: part !== undefined, ec },
          predicts: predictEc(ec),
          field,
        });
      }
    }

    const version = ctx.form.value('x-oss-signature-version');
    if (version !== undefined && version.trim() !== '' && version !== OSS4_ALGORITHM) {
      out.push({
        id: 'oss.v4.signature-version-invalid',
        severity: 'error',
        facts: { value: version, expected: OSS4_ALGORITHM },
        predicts: predictEc('0002-00000701'),
        field: 'x-oss-signature-version',
      });
    }

    const credential = ctx.form.value('x-oss-credential');
    let credDay: string | null = null;
    let credRegion: string | null = null;
    if (credential !== undefined && credential.trim() !== '') {
      const m = CREDENTIAL.exec(credential);
      if (!m) {
        out.push({
          id: 'oss.v4.credential-malformed',
          severity: 'error',
          facts: { value: maskCredential(credential), parts: credential.split('/').length },
          predicts: null,
          field: 'x-oss-credential',
        });
      } else if ((m[1] as string) === '') {
        out.push({
          id: 'oss.v4.credential-access-key-empty',
          severity: 'error',
          facts: { value: credential, ec: '0002-00000708' },
          predicts: predictEc('0002-00000708'),
          field: 'x-oss-credential',
        });
      } else {
        credDay = m[2] as string;
        credRegion = m[3] as string;
        if (credRegion.startsWith('oss-')) {
          out.push({
            id: 'oss.v4.credential-region-prefix',
            severity: 'error',
            facts: { region: credRegion, expected: bareRegion(credRegion) },
            predicts: null,
            field: 'x-oss-credential',
          });
        }
        const endpointRegion = ctx.endpoint?.region ?? null;
        if (endpointRegion && bareRegion(endpointRegion) !== bareRegion(credRegion)) {
          out.push({
            id: 'oss.v4.region-endpoint-mismatch',
            severity: 'error',
            facts: { region: credRegion, endpointRegion: bareRegion(endpointRegion), host: ctx.endpoint?.host ?? null },
            predicts: null,
            field: 'x-oss-credential',
          });
        }
      }
    }

    const date = ctx.form.value('x-oss-date');
    if (date !== undefined && date.trim() !== '') {
      if (parseOssDate(date) === null) {
        out.push({ id: 'oss.v4.date-malformed', severity: 'error', facts: { value: date }, predicts: null, field: 'x-oss-date' });
      } else if (credDay !== null && date.slice(0, 8) !== credDay) {
        out.push({
          id: 'oss.v4.date-credential-day',
          severity: 'error',
          facts: { date, day: date.slice(0, 8), credentialDay: credDay },
          predicts: null,
          field: 'x-oss-date',
        });
      }
    }
    return out;
  },
};
