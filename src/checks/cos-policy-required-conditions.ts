// COS: the policy must restrict q-sign-algorithm, q-ak and q-sign-time with exact-match
// conditions (the form field for q-sign-time is q-key-time).
import type { Check, CheckFinding } from '../check/types.js';
import { conditionName, SCHEMES } from '../providers/schemes/index.js';
import { conditionsOn } from './shared.js';

const COS = SCHEMES['cos-sha1'];
const ALGORITHM = COS.algorithm as string;

/** The signing fields the policy pins (algorithm, q-ak, key time), under their condition names. */
const REQUIRED: ReadonlyArray<{ field: string; formField: string }> = COS.layout.pinned
  .filter((role) => role !== 'token')
  .map((role) => ({ field: conditionName(COS, role) as string, formField: COS.fields[role] as string }));

export const cosPolicyRequiredConditions: Check = {
  id: 'cos.policy-required-conditions',
  providers: ['cos'],
  emits: ['cos.policy-q-key-time-condition', 'cos.policy-required-condition-missing', 'cos.policy-required-condition-not-exact', 'cos.policy-sign-algorithm-invalid'],
  run(ctx) {
    const policy = ctx.policy;
    // no policy, or no conditions at all: the generic policy checks report that
    if (!policy || policy.conditions.length === 0) return [];
    const out: CheckFinding[] = [];
    for (const { field, formField } of REQUIRED) {
      const conds = conditionsOn(policy, field);
      if (conds.length === 0) {
        if (field !== formField && conditionsOn(policy, formField).length > 0) {
          // the form field's name used as the condition name
          out.push({ id: 'cos.policy-q-key-time-condition', facts: { field, found: formField }, predicts: null });
        } else {
          const value = ctx.form.value(formField);
          out.push({
            id: 'cos.policy-required-condition-missing',
            facts: { field, formField, formValue: value ?? null },
            predicts: null,
          });
        }
        continue;
      }
      if (!conds.some((c) => c.type === 'eq')) {
        out.push({
          id: 'cos.policy-required-condition-not-exact',
          facts: { field, operator: conds[0]?.type ?? 'starts-with', number: (conds[0]?.index ?? 0) + 1 },
          predicts: null,
        });
      }
    }
    // the algorithm condition itself must name sha1
    for (const c of conditionsOn(policy, COS.fields.algorithm as string)) {
      if (c.type === 'eq' && c.value !== ALGORITHM) {
        out.push({
          id: 'cos.policy-sign-algorithm-invalid',
          facts: { value: c.value, expected: ALGORITHM, number: c.index + 1 },
          predicts: null,
        });
      }
    }
    return out;
  },
};
