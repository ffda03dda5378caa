// COS: a temporary key needs x-cos-security-token. Signals (named in the facts): the policy
// restricts x-cos-security-token, or q-ak is longer than permanent SecretIds (36 chars).
import type { Check } from '../check/types.js';
import { maskValue } from '../core/mask.js';
import { conditionsOn, isMasked, predictFirst } from './shared.js';

/** Permanent SecretIds are 36 characters; temporary ones are much longer. */
export const TEMP_KEY_MIN_LENGTH = 41;

export const cosSecurityToken: Check = {
  id: 'cos.security-token',
  providers: ['cos'],
  emits: ['cos.security-token-missing'],
  run(ctx) {
    const token = ctx.form.value('x-cos-security-token');
    if (token !== undefined && token.trim() !== '') return [];
    const qak = ctx.form.value('q-ak') ?? '';
    const signals: string[] = [];
    if (conditionsOn(ctx.policy, 'x-cos-security-token').length > 0) signals.push('policy-condition');
    if (!isMasked(qak) && qak.length >= TEMP_KEY_MIN_LENGTH) signals.push('q-ak-length');
    if (signals.length === 0) return [];
    return [
      {
        id: 'cos.security-token-missing',
        facts: { signals, qak: qak ? maskValue(qak) : null, qakLength: qak.length, threshold: TEMP_KEY_MIN_LENGTH, empty: token !== undefined },
        predicts: predictFirst(['cos.403.invalid-access-key-id']),
        field: 'x-cos-security-token',
      },
    ];
  },
};
