// GCS V4: x-goog-credential is <id>/<yyyymmdd>/auto/storage/goog4_request, x-goog-date is
// yyyymmddTHHMMSSZ on the credential's day, and the policy expires at most 7 days after
// x-goog-date (GCS refuses longer policies).
import type { Check } from '../check/types.js';
import { maskCredential } from '../core/mask.js';
import type { Finding } from '../core/types.js';
import { parseExpiration } from '../policy/index.js';
import { GCS_CREDENTIAL_FORMAT, gcsFormScheme } from './gcs-common.js';
import { fieldBeforeFile, isYyyymmdd, parseAmzDate, predictFirst } from './s3-common.js';

export const GCS_MAX_VALIDITY_SECONDS = 7 * 24 * 3600;
const DATE_FORMAT = 'yyyymmddTHHMMSSZ';

export const gcsCredential: Check = {
  id: 'gcs.credential',
  providers: ['gcs'],
  run(ctx) {
    if (gcsFormScheme(ctx.form) !== 'goog4') return [];
    const out: Finding[] = [];
    const credPart = fieldBeforeFile(ctx.form, 'x-goog-credential');
    let credDate: string | null = null;
    if (credPart && credPart.value.trim() !== '') {
      const credential = credPart.value.trim();
      const parts = credential.split('/');
      const masked = maskCredential(credential);
      const bad = (part: string, found: string, expected: string): void => {
        out.push({ id: 'gcs.credential-malformed', severity: 'error', facts: { credential: masked, part, found, expected, format: GCS_CREDENTIAL_FORMAT }, predicts: null, field: credPart.name });
      };
      if (parts.length !== 5 || parts.some((p) => p === '')) {
        bad('shape', `${parts.length}`, '5');
      } else {
        const [, date, region, service, terminator] = parts as [string, string, string, string, string];
        if (!isYyyymmdd(date)) bad('date', date, 'yyyymmdd');
        else credDate = date;
        if (service !== 'storage') bad('service', service, 'storage');
        if (terminator !== 'goog4_request') bad('terminator', terminator, 'goog4_request');
        if (region !== 'auto') {
          out.push({ id: 'gcs.region-not-auto', severity: 'error', facts: { region, credential: masked }, predicts: null, field: credPart.name });
        }
      }
    }

    const datePart = fieldBeforeFile(ctx.form, 'x-goog-date');
    if (!datePart || datePart.value.trim() === '') return out;
    const date = datePart.value;
    const dateMs = parseAmzDate(date);
    if (dateMs === null) {
      out.push({ id: 'gcs.date-malformed', severity: 'error', facts: { date, format: DATE_FORMAT }, predicts: null, field: datePart.name });
      return out;
    }
    if (credDate !== null && date.trim().slice(0, 8) !== credDate) {
      out.push({ id: 'gcs.date-credential-day', severity: 'error', facts: { date, credentialDate: credDate }, predicts: null, field: datePart.name });
    }
    const expiration = ctx.policy?.expiration ?? null;
    const expMs = expiration === null ? null : parseExpiration(expiration);
    if (expiration !== null && expMs !== null) {
      const validity = Math.round((expMs - dateMs) / 1000);
      const clock = ctx.serverTime ?? ctx.now;
      // measured from now, time.validity reports it already
      const fromNow = Math.round((expMs - clock.getTime()) / 1000);
      if (validity > GCS_MAX_VALIDITY_SECONDS && fromNow <= GCS_MAX_VALIDITY_SECONDS) {
        out.push({
          id: 'gcs.validity-too-long',
          severity: 'error',
          facts: { date, expiration, validitySeconds: validity, limitSeconds: GCS_MAX_VALIDITY_SECONDS },
          predicts: predictFirst(['gcs.post.invalid-policy-document']),
          field: 'policy',
        });
      }
    }
    return out;
  },
};
