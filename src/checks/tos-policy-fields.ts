// TOS: the policy document has only expiration and conditions (EC 0017-00000403), and every form
// field is named by a condition except x-tos-signature, file, policy and x-ignore-* (EC
// 0017-00000417): the signing fields x-tos-algorithm, -credential, -date, -security-token too.
import type { Check, CheckFinding } from '../check/types.js';
import { fieldsWithoutCondition, predictFirst } from './shared.js';

const EXEMPT = new Set(['x-tos-signature', 'file', 'policy']);

export const tosPolicyFields: Check = {
  id: 'tos.policy-fields',
  providers: ['tos'],
  emits: ['tos.policy-unknown-property', 'tos.field-not-in-policy'],
  run(ctx) {
    const doc = ctx.policy?.document;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
    const out: CheckFinding[] = [];
    for (const name of Object.keys(doc)) {
      if (name === 'expiration' || name === 'conditions') continue;
      out.push({ id: 'tos.policy-unknown-property', facts: { name }, predicts: predictFirst(['tos.post.policy-unsupported-field']), field: 'policy' });
    }
    for (const p of fieldsWithoutCondition(ctx.form, ctx.policy, (n) => EXEMPT.has(n) || n.startsWith('x-ignore-'))) {
      out.push({ id: 'tos.field-not-in-policy', facts: { field: p.name }, predicts: predictFirst(['tos.post.field-not-in-policy']), field: p.name });
    }
    return out;
  },
};
