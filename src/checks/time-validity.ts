// How long the policy stays valid: more than 7 days is suspicious everywhere, and refused
// by GCS and by OSS V4 signatures.
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';
import { parseExpiration } from '../policy/index.js';

export const MAX_VALIDITY_SECONDS = 7 * 24 * 3600;

export const timeValidity: Check = {
  id: 'time.validity',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    const exp = ctx.policy?.expiration ?? null;
    if (exp === null) return [];
    const expMs = parseExpiration(exp);
    if (expMs === null) return [];
    const clock = ctx.serverTime ?? ctx.now;
    const validity = Math.round((expMs - clock.getTime()) / 1000);
    if (validity <= MAX_VALIDITY_SECONDS) return [];
    const facts = { expiration: exp, now: clock.toISOString(), validitySeconds: validity, limitSeconds: MAX_VALIDITY_SECONDS };
    const ossV4 = ctx.provider === 'oss' && (ctx.form.get('x-oss-signature-version') !== undefined || ctx.form.get('x-oss-credential') !== undefined);
    if (ctx.provider === 'gcs' || ossV4) {
      return [finding('time.validity-too-long', 'error', facts, predict('time.validity-too-long', ctx), 'policy')];
    }
    return [finding('time.long-validity', 'warning', facts, null, 'policy')];
  },
};
