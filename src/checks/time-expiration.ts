// The policy's expiration against now (the server's clock wins when known).
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';
import { parseExpiration } from '../policy/index.js';

export const timeExpiration: Check = {
  id: 'time.expiration',
  providers: PROVIDER_IDS,
  emits: ['time.expired-server', 'time.expired'],
  run(ctx) {
    const exp = ctx.policy?.expiration ?? null;
    if (exp === null) return [];
    const expMs = parseExpiration(exp);
    if (expMs === null) return [];
    const clock = ctx.serverTime ?? ctx.now;
    const clockMs = clock.getTime();
    if (clockMs < expMs) return [];
    const expirationEpoch = Math.floor(expMs / 1000);
    const nowEpoch = Math.floor(clockMs / 1000);
    const facts = {
      expiration: exp,
      now: clock.toISOString(),
      expiredBySeconds: Math.round((clockMs - expMs) / 1000),
      expirationEpoch,
      nowEpoch,
      clock: ctx.serverTime ? 'server' : 'local',
    };
    return [finding(ctx.serverTime ? 'time.expired-server' : 'time.expired', facts, predict('time.expired', ctx, { expirationEpoch, serverEpoch: nowEpoch, expiration: exp }), 'policy')];
  },
};
