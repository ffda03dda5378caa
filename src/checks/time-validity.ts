// How long the policy stays valid: more than 7 days is suspicious everywhere, and refused
// where the service or the form's signing scheme says so (GCS, OSS V4: validityLimit).
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';
import { MAX_VALIDITY_SECONDS } from '../providers/limits.js';
import { validityLimit } from '../providers/schemes/index.js';
import { policyExpiry } from './shared.js';

export const timeValidity: Check = {
  id: 'time.validity',
  providers: PROVIDER_IDS,
  emits: ['time.validity-too-long', 'time.long-validity'],
  run(ctx) {
    const e = policyExpiry(ctx);
    if (!e) return [];
    const { expiration: exp, expMs, clock } = e;
    const validity = Math.round((expMs - clock.getTime()) / 1000);
    if (validity <= MAX_VALIDITY_SECONDS) return [];
    const facts = { expiration: exp, now: clock.toISOString(), validitySeconds: validity, limitSeconds: MAX_VALIDITY_SECONDS };
    if (validityLimit(ctx.provider, ctx.form) !== null) {
      return [finding('time.validity-too-long', facts, predict('time.validity-too-long', ctx), 'policy')];
    }
    return [finding('time.long-validity', facts, null, 'policy')];
  },
};
