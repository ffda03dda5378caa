// The policy field as text: present, base64, UTF-8, JSON, duplicate keys.
import type { Check } from '../check/types.js';
import { policyAnalysisOf } from '../check/context.js';
import { isEncodingProblem } from '../policy/index.js';
import { finding, policyProblemFinding, findingIdsWith } from '../check/findings.js';

export const policyEncoding: Check = {
  id: 'policy.encoding',
  providers: ['cos', 'oss', 's3', 'gcs'],
  emits: ['policy.missing', ...findingIdsWith('policy.').filter(isEncodingProblem)],
  run(ctx) {
    const analysis = policyAnalysisOf(ctx);
    if (!analysis) return [finding('policy.missing', { provider: ctx.provider }, null, 'policy')];
    return analysis.problems.filter((p) => isEncodingProblem(p.id)).map((p) => policyProblemFinding(p, ctx));
  },
};
