// OSS V4: the policy carries exact conditions for x-oss-signature-version, x-oss-credential
// and x-oss-date (their values are compared by oss.conditions); x-oss-date is at most
// 15 minutes ahead of the server's clock; the policy is valid for at most 7 days.
import type { Check, CheckFinding } from '../check/types.js';
import { conditionsOn, predictFirst, serverNow } from './shared.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { parseCompactTime } from '../providers/time.js';
import { isV4, predictEc } from './oss-common.js';

const V4 = SCHEMES['oss-v4'];
const OSS_V4_MAX_AHEAD_SECONDS = 15 * 60;
const OSS_V4_MAX_VALIDITY_SECONDS = V4.maxValiditySeconds as number;
const DATE = V4.fields.date as string;

/** The signing fields the policy must pin: x-oss-signature-version, x-oss-credential, x-oss-date. */
const SIGNED = V4.layout.pinned.filter((r) => r !== 'token').map((r) => V4.fields[r] as string);

export const ossV4Policy: Check = {
  id: 'oss.v4-policy',
  providers: ['oss'],
  emits: ['oss.v4.policy-condition-missing', 'oss.v4.date-in-future', 'oss.v4.validity-too-long'],
  run(ctx) {
    if (!isV4(ctx.form)) return [];
    const out: CheckFinding[] = [];
    const policy = ctx.policy;
    if (policy && policy.conditions.length > 0) {
      for (const field of SIGNED) {
        if (ctx.form.get(field) === undefined) continue; // oss.v4-fields reports the field
        if (conditionsOn(policy, field).some((c) => c.type === 'eq')) continue;
        out.push({ id: 'oss.v4.policy-condition-missing', facts: { field }, predicts: null, field });
      }
    }

    const date = ctx.form.value(DATE);
    const dateMs = date === undefined ? null : parseCompactTime(date);
    if (date === undefined || dateMs === null) return out;
    const { at, clock } = serverNow(ctx);
    const ahead = Math.floor((dateMs - at.getTime()) / 1000);
    if (ahead > OSS_V4_MAX_AHEAD_SECONDS) {
      out.push({
        id: 'oss.v4.date-in-future',
        facts: { date, now: at.toISOString(), clock, aheadSeconds: ahead, limitSeconds: OSS_V4_MAX_AHEAD_SECONDS },
        predicts: predictFirst(['oss.403.request-time-too-skewed', 'oss.code.request-time-too-skewed']),
        field: DATE,
      });
    }
    const expiration = policy?.expiration ?? null;
    const expMs = expiration ? Date.parse(expiration) : NaN;
    if (expiration && !Number.isNaN(expMs)) {
      const validity = Math.floor((expMs - dateMs) / 1000);
      // measured from now, time.validity reports it already
      const fromNow = Math.floor((expMs - at.getTime()) / 1000);
      if (validity > OSS_V4_MAX_VALIDITY_SECONDS && fromNow <= OSS_V4_MAX_VALIDITY_SECONDS) {
        out.push({
          id: 'oss.v4.validity-too-long',
          facts: { date, expiration, validitySeconds: validity, limitSeconds: OSS_V4_MAX_VALIDITY_SECONDS },
          predicts: predictEc('0006-00000201'),
        });
      }
    }
    return out;
  },
};
