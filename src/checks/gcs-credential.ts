// GCS V4: x-goog-credential is <id>/<yyyymmdd>/auto/storage/goog4_request, x-goog-date is
// yyyymmddTHHMMSSZ on the credential's day, and the policy expires at most 7 days after
// x-goog-date (GCS refuses longer policies).
import type { Check, CheckFinding } from '../check/types.js';
import { parseExpiration } from '../policy/index.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { gcsFormScheme } from './gcs-common.js';
import { predictFirst, v4CredentialFindings } from './shared.js';

const HMAC = SCHEMES['gcs-hmac'];
const GCS_MAX_VALIDITY_SECONDS = HMAC.maxValiditySeconds as number;

export const gcsCredential: Check = {
  id: 'gcs.credential',
  providers: ['gcs'],
  emits: ['gcs.credential-malformed', 'gcs.date-malformed', 'gcs.date-credential-day', 'gcs.region-not-auto', 'gcs.validity-too-long'],
  run(ctx) {
    if (gcsFormScheme(ctx.form) !== 'goog4') return [];
    const ids = {
      malformed: { id: 'gcs.credential-malformed' },
      dateMalformed: { id: 'gcs.date-malformed' },
      dateDay: { id: 'gcs.date-credential-day' },
    } as const;
    const v4 = v4CredentialFindings(ctx.form, HMAC, ids, (region, masked, credPart) =>
      region !== HMAC.credential?.fixedRegion ? { id: 'gcs.region-not-auto', facts: { region, credential: masked }, predicts: null, field: credPart.name } : null,
    );
    const out: CheckFinding[] = v4.findings;
    const { date, dateMs } = v4;
    if (date === null || dateMs === null) return out;
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
          facts: { date, expiration, validitySeconds: validity, limitSeconds: GCS_MAX_VALIDITY_SECONDS },
          predicts: predictFirst(['gcs.post.invalid-policy-document']),
          field: 'policy',
        });
      }
    }
    return out;
  },
};
