// The decoded policy document: expiration, conditions, condition forms.
import type { Check } from '../check/types.js';
import { policyAnalysisOf } from '../check/context.js';
import { policyProblemFinding } from '../check/findings.js';

const ENCODING_IDS = /^policy\.(base64-|empty$|not-utf8$|bom$|json-invalid$|duplicate-key$)/;

export const policyStructure: Check = {
  id: 'policy.structure',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    const analysis = policyAnalysisOf(ctx);
    if (!analysis) return [];
    return analysis.problems.filter((p) => !ENCODING_IDS.test(p.id)).map((p) => policyProblemFinding(p, ctx));
  },
};
