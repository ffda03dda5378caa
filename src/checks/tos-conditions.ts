// TOS: every eq / starts-with condition against the form: a condition on a field the form does
// not send (EC 0017-00000415), a value that does not satisfy it (EC 0017-00000416, 403).
import type { Check, CheckFinding } from '../check/types.js';
import { conditionProblems, predictFirst } from './shared.js';

export const tosConditions: Check = {
  id: 'tos.conditions',
  providers: ['tos'],
  emits: ['tos.condition-failed', 'tos.condition-field-missing'],
  run(ctx) {
    const out: CheckFinding[] = [];
    for (const p of conditionProblems(ctx)) {
      if (p.kind === 'field-missing' && p.condition.field.toLowerCase() === 'key') continue;
      const field = p.value.part?.name ?? p.condition.field;
      if (p.kind === 'failed') out.push({ id: 'tos.condition-failed', facts: p.facts, predicts: predictFirst(['tos.post.condition-failed']), field });
      else out.push({ id: 'tos.condition-field-missing', facts: p.facts, predicts: predictFirst(['tos.post.condition-field-missing']), field });
    }
    return out;
  },
};
