// Local clock against the server's clock (--server-time): beyond 15 minutes apart,
// signatures and policies made from the local clock are refused.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';

/** Allowed difference between the client's and the server's clocks. */
export const MAX_SKEW_SECONDS = 15 * 60;

export const timeSkew: Check = {
  id: 'time.skew',
  providers: PROVIDER_IDS,
  emits: ['time.clock-ahead', 'time.clock-behind'],
  run(ctx) {
    if (!ctx.serverTime) return [];
    const skew = Math.round((ctx.now.getTime() - ctx.serverTime.getTime()) / 1000);
    if (Math.abs(skew) <= MAX_SKEW_SECONDS) return [];
    return [
      finding(
        skew > 0 ? 'time.clock-ahead' : 'time.clock-behind',
        { now: ctx.now.toISOString(), serverTime: ctx.serverTime.toISOString(), skewSeconds: Math.abs(skew), limitSeconds: MAX_SKEW_SECONDS },
        predict('time.clock-skew', ctx),
      ),
    ];
  },
};
