// OSS: every eq / starts-with condition of the policy against the request. The bucket
// comes from the endpoint; the key is evaluated after `${filename}` substitution; a
// condition on a field the form does not send fails too (handbook, PostObject errors 8-11).
import type { Check, CheckFinding } from '../check/types.js';
import type { Prediction } from '../core/types.js';
import { effectiveKey } from '../providers/form.js';
import { conditionText, fieldBeforeFile, matchConditions, onlyAfterFile, predictFirst, satisfies, type MatchCondition } from './shared.js';
import { accessKeyId } from './oss-common.js';

function predictFor(c: MatchCondition): Prediction | null {
  const f = c.field.toLowerCase();
  const condition = conditionText(c);
  const specific = f === 'bucket' ? 'oss.post.condition-failed-bucket' : f === 'key' ? 'oss.post.condition-failed-key' : f.startsWith('x-oss-meta-') ? 'oss.post.condition-failed-meta' : null;
  return predictFirst(specific ? [specific, 'oss.post.condition-failed'] : ['oss.post.condition-failed'], { condition });
}

export const ossConditions: Check = {
  id: 'oss.conditions',
  providers: ['oss'],
  emits: ['oss.bucket-condition-failed', 'oss.condition-field-missing', 'oss.condition-field-case', 'oss.condition-failed'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const caseReported = new Set<string>();
    const ak = accessKeyId(ctx.form)?.value ?? '';
    for (const c of matchConditions(ctx.policy)) {
      const lower = c.field.toLowerCase();
      const condition = conditionText(c);
      if (lower === 'bucket') {
        const bucket = ctx.endpoint?.bucket ?? null;
        if (bucket === null || satisfies(c, bucket)) continue;
        out.push({
          id: 'oss.bucket-condition-failed',
          facts: { bucket, host: ctx.endpoint?.host ?? null, operator: c.type, expected: c.value, condition },
          predicts: predictFor(c),
        });
        continue;
      }
      const exact = fieldBeforeFile(ctx.form, c.field, true);
      const part = exact ?? fieldBeforeFile(ctx.form, c.field);
      if (!part) {
        if (lower === 'key') continue; // oss.key reports it
        if (lower === 'x-oss-security-token' && ak.startsWith('STS.')) continue; // oss.security-token
        out.push({
          id: 'oss.condition-field-missing',
          facts: { field: c.field, operator: c.type, expected: c.value, condition, afterFile: onlyAfterFile(ctx.form, c.field) },
          predicts: predictFor(c),
          field: c.field,
        });
        continue;
      }
      if (!exact && !caseReported.has(lower)) {
        caseReported.add(lower);
        out.push({
          id: 'oss.condition-field-case',
          facts: { conditionField: c.field, formField: part.name },
          predicts: null,
          field: part.name,
        });
      }
      const value = lower === 'key' ? effectiveKey(part.value, ctx.form.file()?.filename ?? null) : part.value;
      if (satisfies(c, value)) continue;
      out.push({
        id: 'oss.condition-failed',
        facts: { field: c.field, operator: c.type, expected: c.value, value, condition },
        predicts: predictFor(c),
        field: part.name,
      });
    }
    return out;
  },
};
