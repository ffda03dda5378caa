// COS: the form's q-ak must equal the policy's q-ak condition (case-sensitive). Document
// captures mask the SecretId ("AKID...****"): those compare by prefix and only give a note.
import type { Check, CheckFinding } from '../check/types.js';
import { maskValue } from '../core/mask.js';
import { compareMasked, conditionsOn, isMasked, predictFirst, satisfies, unmaskedPrefix } from './shared.js';

/** starts-with against a possibly masked form value. */
function startsWithMasked(formValue: string, prefix: string): 'prefix' | 'different' {
  if (!isMasked(formValue)) return 'different';
  const visible = unmaskedPrefix(formValue);
  return visible.startsWith(prefix) || prefix.startsWith(visible) ? 'prefix' : 'different';
}

const show = (v: string): string => (isMasked(v) ? v : maskValue(v));

export const cosQAk: Check = {
  id: 'cos.q-ak',
  providers: ['cos'],
  emits: ['cos.q-ak-masked', 'cos.q-ak-mismatch'],
  run(ctx) {
    const formValue = ctx.form.value('q-ak');
    if (formValue === undefined || formValue === '') return [];
    const out: CheckFinding[] = [];
    for (const c of conditionsOn(ctx.policy, 'q-ak')) {
      if (satisfies(c, formValue)) continue;
      const cmp = c.type === 'eq' ? compareMasked(formValue, c.value) : startsWithMasked(formValue, c.value);
      if (cmp === 'equal') continue;
      if (cmp === 'prefix') {
        out.push({
          id: 'cos.q-ak-masked',
          facts: { formValue: show(formValue), policyValue: show(c.value), prefix: unmaskedPrefix(isMasked(formValue) ? formValue : c.value) },
          predicts: null,
          field: 'q-ak',
        });
        continue;
      }
      out.push({
        id: 'cos.q-ak-mismatch',
        facts: {
          formValue: show(formValue),
          policyValue: show(c.value),
          operator: c.type,
          caseOnly: formValue.toLowerCase() === c.value.toLowerCase(),
          whitespace: formValue.trim() !== formValue || c.value.trim() !== c.value,
        },
        predicts: predictFirst(['cos.post.q-ak-mismatch'], { value: formValue }),
        field: 'q-ak',
      });
    }
    return out;
  },
};
