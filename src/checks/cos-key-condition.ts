// COS: the key against the policy's key conditions, evaluated after `${filename}` is
// replaced by the file part's filename (as COS does before verifying the policy).
import type { Check, CheckFinding } from '../check/types.js';
import { effectiveKey, FILENAME_VARIABLE, keyBeforeFilename } from '../providers/form.js';
import { conditionsOn, fieldBeforeFile, predictFirst, satisfies } from './shared.js';

export const cosKeyCondition: Check = {
  id: 'cos.key-condition',
  providers: ['cos'],
  emits: ['cos.key-condition-filename', 'cos.key-condition-failed'],
  run(ctx) {
    const conds = conditionsOn(ctx.policy, 'key');
    if (conds.length === 0) return [];
    const out: CheckFinding[] = [];
    for (const c of conds) {
      if (c.value.includes(FILENAME_VARIABLE)) {
        out.push({
          id: 'cos.key-condition-filename',
          facts: { operator: c.type, expected: c.value, prefix: keyBeforeFilename(c.value) },
          predicts: null,
          field: 'key',
        });
      }
    }
    const part = fieldBeforeFile(ctx.form, 'key');
    if (!part || part.value === '') return out; // cos.key reports the missing key
    const filename = ctx.form.file()?.filename ?? null;
    const key = effectiveKey(part.value, filename);
    for (const c of conds) {
      if (satisfies(c, key)) continue;
      out.push({
        id: 'cos.key-condition-failed',
        facts: {
          key,
          sent: part.value,
          substituted: key !== part.value,
          fileName: filename,
          operator: c.type,
          expected: c.value,
        },
        predicts: predictFirst(['cos.post.key-mismatch'], { value: key }),
        field: 'key',
      });
    }
    return out;
  },
};
