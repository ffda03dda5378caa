// GCS: every form field before the file must be referenced by a policy condition, except
// x-ignore-* fields, the file, the policy and the signature / access-id fields. GCS answers
// InvalidPolicyDocument with the details "Policy did not reference these fields: <names>"; a
// named submit button is the classic case.
import type { Check, CheckFinding } from '../check/types.js';
import { gcsExempt } from './gcs-common.js';
import { isCovered, looksLikeSubmitButton, predictFirst } from './shared.js';

export const gcsPolicyFields: Check = {
  id: 'gcs.policy-fields',
  providers: ['gcs'],
  emits: ['gcs.submit-button-field', 'gcs.field-not-in-policy'],
  run(ctx) {
    const policy = ctx.policy;
    const doc = policy?.document;
    if (!policy || !doc || typeof doc !== 'object' || !Array.isArray((doc as { conditions?: unknown }).conditions)) return [];
    const seen = new Set<string>();
    const missing = ctx.form.fieldsBeforeFile().filter((p) => {
      const lower = p.name.toLowerCase();
      if (seen.has(lower)) return false;
      seen.add(lower);
      return !gcsExempt(p.name) && !isCovered(policy, p.name);
    });
    if (missing.length === 0) return [];
    const fields = missing.map((p) => p.name);
    const details = `Policy did not reference these fields: ${fields.join(', ')}`;
    const predicts = predictFirst(['gcs.post.invalid-policy-document'], { details });
    return missing.map((p): CheckFinding => {
      const submit = looksLikeSubmitButton(p);
      return {
        id: submit ? 'gcs.submit-button-field' : 'gcs.field-not-in-policy',
        facts: submit ? { field: p.name, value: p.value, fields, details } : { field: p.name, fields, details },
        predicts,
        field: p.name,
      };
    });
  },
};
