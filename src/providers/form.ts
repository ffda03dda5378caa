// Form-field and policy-condition helpers shared by the signing schemes, the signer (src/sign),
// re-signing (src/replay/resign.ts) and the checks: which signing fields a form lacks, the
// `${filename}` variable, and exact-match conditions of a policy document.
import type { FormView } from '../core/fields.js';

/** Signing fields a form lacks: not sent at all (`absent`) or sent blank (`empty`); `missing` is both, in that order. */
export interface MissingFields {
  absent: string[];
  empty: string[];
  missing: string[];
}

/** Which of `names` the form does not send, or sends with a blank value (names compared case-insensitively). */
export function missingFields(form: Pick<FormView, 'value'>, names: readonly string[]): MissingFields {
  const absent = names.filter((n) => form.value(n) === undefined);
  const empty = names.filter((n) => {
    const v = form.value(n);
    return v !== undefined && v.trim() === '';
  });
  return { absent, empty, missing: [...absent, ...empty] };
}

/** The field name as the form sends it (the SDKs send "X-Amz-Signature", "Policy"), else `name`. */
export function sentName(form: Pick<FormView, 'get'>, name: string): string {
  return form.get(name)?.name ?? name;
}

/** The variable a key may carry, replaced by the uploaded file's name before the policy is checked. */
export const FILENAME_VARIABLE = '${filename}';

/** The key as the server evaluates it: `${filename}` replaced by the file part's filename. */
export function effectiveKey(key: string, filename: string | null | undefined): string {
  if (!key.includes(FILENAME_VARIABLE)) return key;
  return key.split(FILENAME_VARIABLE).join(filename ?? '');
}

/** The part of a key before its first `${filename}` (the whole key when it has none). */
export function keyBeforeFilename(key: string): string {
  const i = key.indexOf(FILENAME_VARIABLE);
  return i < 0 ? key : key.slice(0, i);
}

/** One exact-match condition on a field: {"f": v}, {"$f": v} or ["eq", "$f", v]. */
interface EqSlot {
  value: unknown;
  set(to: string): void;
}

function* eqSlots(conditions: unknown, field: string): Generator<EqSlot> {
  if (!Array.isArray(conditions)) return;
  const name = field.toLowerCase();
  for (const c of conditions) {
    if (Array.isArray(c)) {
      if (c.length === 3 && typeof c[0] === 'string' && c[0].toLowerCase() === 'eq' && typeof c[1] === 'string' && c[1].replace(/^\$/, '').toLowerCase() === name) {
        yield { value: c[2], set: (to) => (c[2] = to) };
      }
    } else if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (k.replace(/^\$/, '').toLowerCase() === name) yield { value: o[k], set: (to) => (o[k] = to) };
      }
    }
  }
}

/** The conditions list of a policy document, when it has one. */
function conditionsOf(doc: unknown): unknown {
  return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)['conditions'] : undefined;
}

/** Values of the exact-match conditions on `field` in a policy document (names case-insensitive). */
export function policyEqValues(doc: unknown, field: string): string[] {
  const out: string[] = [];
  for (const s of eqSlots(conditionsOf(doc), field)) {
    if (s.value !== null && s.value !== undefined && typeof s.value !== 'object') out.push(String(s.value));
  }
  return out;
}

/** Replace the value of every exact-match condition on `field` whose value is `from`; true when one was. */
export function replaceEqCondition(conditions: unknown[], field: string, from: string, to: string): boolean {
  let hit = false;
  for (const s of eqSlots(conditions, field)) {
    if (s.value === from) {
      s.set(to);
      hit = true;
    }
  }
  return hit;
}
