// The decoded policy document: expiration, conditions, condition forms.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { policyAnalysisOf } from '../check/context.js';
import { isEncodingProblem } from '../policy/index.js';
import { policyProblemFinding, findingIdsWith } from '../check/findings.js';

export const policyStructure: Check = {
  id: 'policy.structure',
  providers: PROVIDER_IDS,
  emits: findingIdsWith('policy.').filter((id) => id !== 'policy.missing' && !isEncodingProblem(id)),
  run(ctx) {
    const analysis = policyAnalysisOf(ctx);
    if (!analysis) return [];
    return analysis.problems.filter((p) => !isEncodingProblem(p.id)).map((p) => policyProblemFinding(p, ctx));
  },
};
