// OBS: every form field must be named by a policy condition, except AccessKeyId, signature, file,
// policy, token and x-ignore-* (API reference, "POST Upload" / obs_04_0012). In the S3-compatible
// forms Amazon's signature fields take those places. The wording of the refusal is not documented.
import type { Check, CheckFinding } from '../check/types.js';
import { fieldsWithoutCondition } from './shared.js';

// (obsaccesskeyid: a spelling some samples use, reported by obs.fields, not twice)
const EXEMPT = new Set(['accesskeyid', 'obsaccesskeyid', 'signature', 'file', 'policy', 'token', 'awsaccesskeyid', 'x-amz-signature']);

export const obsPolicyFields: Check = {
  id: 'obs.policy-fields',
  providers: ['obs'],
  emits: ['obs.field-not-in-policy'],
  run(ctx) {
    const doc = ctx.policy?.document;
    // a policy without a list of conditions is refused for that (the policy checks report it):
    // which fields lack a condition says nothing more
    if (!doc || typeof doc !== 'object' || !Array.isArray((doc as Record<string, unknown>).conditions)) return [];
    const out: CheckFinding[] = [];
    for (const p of fieldsWithoutCondition(ctx.form, ctx.policy, (n) => EXEMPT.has(n) || n.startsWith('x-ignore-'))) {
      out.push({ id: 'obs.field-not-in-policy', facts: { field: p.name }, predicts: null, field: p.name });
    }
    return out;
  },
};
