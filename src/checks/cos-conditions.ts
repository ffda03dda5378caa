// COS: every field the policy restricts (except bucket) must be sent, and satisfy its
// eq / starts-with condition. bucket, key, q-ak and q-sign-time have their own checks.
// Field names are matched case-insensitively (the document does not say); a difference
// in case is reported as a warning.
import type { Check, CheckFinding } from '../check/types.js';
import { fieldBeforeFile, matchConditions, onlyAfterFile, predictFirst, satisfies } from './shared.js';

/** Fields whose conditions other COS checks evaluate. */
const OWN_CHECKS = new Set(['bucket', 'key', 'q-ak', 'q-sign-time']);

export const cosConditions: Check = {
  id: 'cos.conditions',
  providers: ['cos'],
  emits: ['cos.condition-field-missing', 'cos.condition-field-case', 'cos.condition-failed'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const caseReported = new Set<string>();
    for (const c of matchConditions(ctx.policy)) {
      const lower = c.field.toLowerCase();
      if (OWN_CHECKS.has(lower)) continue;
      const exact = fieldBeforeFile(ctx.form, c.field, true);
      const part = exact ?? fieldBeforeFile(ctx.form, c.field);
      if (!part) {
        // a temporary-key token the form lacks: cos.security-token reports it
        if (lower === 'x-cos-security-token') continue;
        out.push({
          id: 'cos.condition-field-missing',
          facts: {
            field: c.field,
            operator: c.type,
            expected: c.value,
            afterFile: onlyAfterFile(ctx.form, c.field),
            fileContentType: lower === 'content-type' ? (ctx.form.file()?.contentType ?? null) : null,
          },
          predicts: predictFirst(['cos.post.condition-mismatch'], { field: c.field, value: '' }),
          field: c.field,
        });
        continue;
      }
      if (!exact && !caseReported.has(lower)) {
        caseReported.add(lower);
        out.push({
          id: 'cos.condition-field-case',
          facts: { conditionField: c.field, formField: part.name },
          predicts: null,
          field: part.name,
        });
      }
      if (satisfies(c, part.value)) continue;
      out.push({
        id: 'cos.condition-failed',
        facts: { field: c.field, operator: c.type, expected: c.value, value: part.value },
        predicts: predictFirst(['cos.post.condition-mismatch'], { field: c.field, value: part.value }),
        field: part.name,
      });
    }
    return out;
  },
};
