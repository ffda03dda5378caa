// TOS: every eq / starts-with condition against the form: a condition on a field the form does
// not send (EC 0017-00000415), a value that does not satisfy it (EC 0017-00000416, 403). A
// condition TOS cannot read (its field not written "$name", EC 0017-00000413; its value not a
// string, EC 0017-00000409 / -414) refuses the policy before any is evaluated: not evaluated here.
import type { Check, CheckFinding } from '../check/types.js';
import { conditionProblems, predictFirst, type MatchCondition } from './shared.js';

/** Is the condition written as TOS reads it: ["eq" | "starts-with", "$field", "value"] or {"field": "value"}? */
function readable(c: MatchCondition): boolean {
  const raw = c.raw;
  if (Array.isArray(raw)) return typeof raw[1] === 'string' && raw[1].startsWith('$') && raw[1].length > 1 && typeof raw[2] === 'string';
  if (raw !== null && typeof raw === 'object') return Object.values(raw as Record<string, unknown>).every((v) => typeof v === 'string');
  return true;
}

export const tosConditions: Check = {
  id: 'tos.conditions',
  providers: ['tos'],
  emits: ['tos.condition-failed', 'tos.condition-field-missing'],
  run(ctx) {
    const out: CheckFinding[] = [];
    for (const p of conditionProblems(ctx)) {
      if (!readable(p.condition)) continue;
      if (p.kind === 'field-missing' && p.condition.field.toLowerCase() === 'key') continue;
      const field = p.value.part?.name ?? p.condition.field;
      if (p.kind === 'failed') out.push({ id: 'tos.condition-failed', facts: p.facts, predicts: predictFirst(['tos.post.condition-failed']), field });
      else out.push({ id: 'tos.condition-field-missing', facts: p.facts, predicts: predictFirst(['tos.post.condition-field-missing']), field });
    }
    return out;
  },
};
