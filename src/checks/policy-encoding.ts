// The policy field as text: present, base64, UTF-8, JSON, duplicate keys.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { policyAnalysisOf } from '../check/context.js';
import { isEncodingProblem } from '../policy/index.js';
import { finding, policyProblemFinding, findingIdsWith } from '../check/findings.js';

export const policyEncoding: Check = {
  id: 'policy.encoding',
  providers: PROVIDER_IDS,
  emits: ['policy.missing', ...findingIdsWith('policy.').filter(isEncodingProblem), 'obs.policy-trailing-comma'],
  run(ctx) {
    const analysis = policyAnalysisOf(ctx);
    if (!analysis) return [finding('policy.missing', { provider: ctx.provider }, null, 'policy')];
    return analysis.problems.filter((p) => isEncodingProblem(p.id)).map((p) => policyProblemFinding(p, ctx));
  },
};
