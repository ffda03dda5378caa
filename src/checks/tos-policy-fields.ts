// TOS: the policy document has only expiration and conditions (EC 0017-00000403); every condition
// value is a JSON string (object form: EC 0017-00000409; the third element of an eq / starts-with
// array: EC 0017-00000414; numbers and booleans included, which AWS reads as text); and every form
// field is named by a condition except x-tos-signature, file, policy and x-ignore-* (EC
// 0017-00000417): the signing fields x-tos-algorithm, -credential, -date, -security-token too.
import type { Check, CheckFinding } from '../check/types.js';
import type { PolicyCondition } from '../core/types.js';
import { fieldsWithoutCondition, predictFirst } from './shared.js';

const EXEMPT = new Set(['x-tos-signature', 'file', 'policy']);

/** JSON type of a value, as the findings name it. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** A condition whose value TOS refuses for not being a string: the finding, or null. */
function valueNotString(c: PolicyCondition): CheckFinding | null {
  const raw = c.raw;
  const number = c.index + 1;
  const condition = JSON.stringify(raw);
  if (Array.isArray(raw)) {
    // ["eq" | "starts-with", "$field", value]: content-length-range takes numbers
    const op = typeof raw[0] === 'string' ? raw[0].toLowerCase() : '';
    if ((op !== 'eq' && op !== 'starts-with') || raw.length !== 3 || typeof raw[2] === 'string') return null;
    const field = typeof raw[1] === 'string' ? raw[1].replace(/^\$/, '') : '';
    return {
      id: 'tos.condition-value-not-string',
      facts: { number, condition, field, type: jsonType(raw[2]), form: 'array' },
      predicts: predictFirst(['tos.post.condition-value-type']),
      field: 'policy',
    };
  }
  if (raw !== null && typeof raw === 'object') {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length !== 1 || typeof entries[0]![1] === 'string') return null;
    const [field, v] = entries[0]!;
    return {
      id: 'tos.condition-value-not-string',
      facts: { number, condition, field, type: jsonType(v), form: 'object' },
      // the wording was seen for another form of the mistake (ve-tos-python-sdk#45): likely, not documented
      predicts: predictFirst(['tos.post.condition-value-not-string'], undefined, 'inferred'),
      field: 'policy',
    };
  }
  return null;
}

export const tosPolicyFields: Check = {
  id: 'tos.policy-fields',
  providers: ['tos'],
  emits: ['tos.policy-unknown-property', 'tos.condition-value-not-string', 'tos.field-not-in-policy'],
  run(ctx) {
    const doc = ctx.policy?.document;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
    const out: CheckFinding[] = [];
    for (const name of Object.keys(doc)) {
      if (name === 'expiration' || name === 'conditions') continue;
      out.push({ id: 'tos.policy-unknown-property', facts: { name }, predicts: predictFirst(['tos.post.policy-unsupported-field']), field: 'policy' });
    }
    for (const c of ctx.policy?.conditions ?? []) {
      const f = valueNotString(c);
      if (f) out.push(f);
    }
    // conditions that are not a list (EC 0017-00000404, reported by the policy checks): TOS reads
    // no condition at all, so which fields lack one says nothing more
    if (!Array.isArray((doc as Record<string, unknown>).conditions)) return out;
    for (const p of fieldsWithoutCondition(ctx.form, ctx.policy, (n) => EXEMPT.has(n) || n.startsWith('x-ignore-'))) {
      out.push({ id: 'tos.field-not-in-policy', facts: { field: p.name }, predicts: predictFirst(['tos.post.field-not-in-policy']), field: p.name });
    }
    return out;
  },
};
