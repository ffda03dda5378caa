// COS: q-key-time is "start;end" (unix seconds, start <= end), equals the policy's
// q-sign-time condition, covers the server's "now", and covers the policy expiration.
import type { Check, CheckFinding } from '../check/types.js';
import { parseKeyTime } from '../providers/time.js';
import { conditionsOn, predictFirst, serverNow } from './shared.js';

const iso = (sec: number): string => new Date(sec * 1000).toISOString();

export const cosKeyTime: Check = {
  id: 'cos.key-time',
  providers: ['cos'],
  emits: ['cos.key-time-malformed', 'cos.key-time-policy-mismatch', 'cos.key-time-not-yet-valid', 'cos.key-time-ended', 'cos.expiration-outside-key-time'],
  run(ctx) {
    const value = ctx.form.value('q-key-time');
    if (value === undefined || value.trim() === '') return [];
    const out: CheckFinding[] = [];
    const kt = parseKeyTime(value);
    if (!kt) {
      out.push({ id: 'cos.key-time-malformed', facts: { value, reason: 'format' }, predicts: null, field: 'q-key-time' });
      return out;
    }
    if (kt.start > kt.end) {
      out.push({
        id: 'cos.key-time-malformed',
        facts: { value, reason: 'order', start: kt.start, end: kt.end },
        predicts: null,
        field: 'q-key-time',
      });
      return out;
    }

    for (const c of conditionsOn(ctx.policy, 'q-sign-time')) {
      if (c.type === 'eq' && c.value !== value) {
        out.push({
          id: 'cos.key-time-policy-mismatch',
          facts: { keyTime: value, signTime: c.value },
          predicts: null,
          field: 'q-key-time',
        });
      }
    }

    const { at, clock } = serverNow(ctx);
    const now = Math.floor(at.getTime() / 1000);
    const window = { start: kt.start, end: kt.end, startIso: iso(kt.start), endIso: iso(kt.end), now: at.toISOString(), clock };
    if (now < kt.start) {
      out.push({ id: 'cos.key-time-not-yet-valid', facts: { ...window, earlyBySeconds: kt.start - now }, predicts: null, field: 'q-key-time' });
    } else if (now > kt.end) {
      out.push({
        id: 'cos.key-time-ended',
        facts: { ...window, expiredBySeconds: now - kt.end },
        predicts: predictFirst(['cos.403.request-expired']),
        field: 'q-key-time',
      });
    }

    const expiration = ctx.policy?.expiration;
    if (expiration) {
      const ms = Date.parse(expiration);
      if (!Number.isNaN(ms)) {
        const exp = Math.floor(ms / 1000);
        if (exp > kt.end || exp < kt.start) {
          out.push({
            id: 'cos.expiration-outside-key-time',
            facts: {
              expiration,
              side: exp > kt.end ? 'after' : 'before',
              outsideBySeconds: exp > kt.end ? exp - kt.end : kt.start - exp,
              ...window,
            },
            predicts: null,
          });
        }
      }
    }
    return out;
  },
};
