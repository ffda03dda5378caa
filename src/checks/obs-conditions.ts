// OBS: every eq / starts-with condition against the form (`bucket` is the bucket the URL
// addresses; `key` with `${filename}` replaced). OBS's wording for a failed condition is not
// documented: no answer is predicted.
import type { Check, CheckFinding } from '../check/types.js';
import { conditionProblems } from './shared.js';

export const obsConditions: Check = {
  id: 'obs.conditions',
  providers: ['obs'],
  emits: ['obs.condition-failed', 'obs.condition-field-missing'],
  run(ctx) {
    const out: CheckFinding[] = [];
    for (const p of conditionProblems(ctx)) {
      // obs.fields reports a missing key
      if (p.kind === 'field-missing' && p.condition.field.toLowerCase() === 'key') continue;
      const field = p.value.part?.name ?? p.condition.field;
      out.push({ id: p.kind === 'failed' ? 'obs.condition-failed' : 'obs.condition-field-missing', facts: p.facts, predicts: null, field });
    }
    return out;
  },
};
