// The policy field as text: present, base64, UTF-8, JSON, duplicate keys.
import type { Check } from '../check/types.js';
import { policyAnalysisOf } from '../check/context.js';
import { finding, policyProblemFinding } from '../check/findings.js';

const ENCODING_IDS = /^policy\.(base64-|empty$|not-utf8$|bom$|json-invalid$|duplicate-key$)/;

export const policyEncoding: Check = {
  id: 'policy.encoding',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    const analysis = policyAnalysisOf(ctx);
    if (!analysis) return [finding('policy.missing', 'info', { provider: ctx.provider }, null, 'policy')];
    return analysis.problems.filter((p) => ENCODING_IDS.test(p.id)).map((p) => policyProblemFinding(p, ctx));
  },
};
