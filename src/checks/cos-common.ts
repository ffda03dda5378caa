// Helpers shared by the COS-specific checks (not a check itself): condition lookup and
// evaluation, masked-value comparison, `${filename}` substitution, prediction guard.

import { isKbId } from '../core/catalogue.js';
import type { FormView } from '../core/fields.js';
import type { DecodedPolicy, FieldPart, PolicyCondition, Prediction } from '../core/types.js';

export type MatchCondition = Extract<PolicyCondition, { type: 'eq' | 'starts-with' }>;

/** The eq / starts-with conditions of a policy (content-length-range and unknown left out). */
export function matchConditions(policy: DecodedPolicy | null): MatchCondition[] {
  if (!policy) return [];
  return policy.conditions.filter((c): c is MatchCondition => c.type === 'eq' || c.type === 'starts-with');
}

/** Conditions on one field, the name compared case-insensitively. */
export function conditionsOn(policy: DecodedPolicy | null, field: string): MatchCondition[] {
  const n = field.toLowerCase();
  return matchConditions(policy).filter((c) => c.field.toLowerCase() === n);
}

/** Does `value` satisfy the condition (exact match, or prefix match)? */
export function satisfies(c: MatchCondition, value: string): boolean {
  return c.type === 'eq' ? value === c.value : value.startsWith(c.value);
}

/** Capture masking as the vendors' documents print it: a value ending in "****". */
export function isMasked(value: string): boolean {
  return /\*{4,}$/.test(value);
}

/** The visible part of a masked value ("AKID8A0f****" -> "AKID8A0f"). */
export function unmaskedPrefix(value: string): string {
  return value.replace(/\*+$/, '');
}

/**
 * Compare two values where either may be masked: 'equal', 'different', or 'prefix' when a
 * masked side's visible prefix agrees with the other side (cannot tell for sure).
 */
export function compareMasked(a: string, b: string): 'equal' | 'different' | 'prefix' {
  if (a === b) return 'equal';
  const am = isMasked(a);
  const bm = isMasked(b);
  if (!am && !bm) return 'different';
  const pa = am ? unmaskedPrefix(a) : a;
  const pb = bm ? unmaskedPrefix(b) : b;
  if (am && bm) return pa.startsWith(pb) || pb.startsWith(pa) ? 'prefix' : 'different';
  if (am) return pb.startsWith(pa) ? 'prefix' : 'different';
  return pa.startsWith(pb) ? 'prefix' : 'different';
}

/** The field the server evaluates: the first one with this name before the file part. */
export function fieldBeforeFile(form: FormView, name: string, exact = false): FieldPart | undefined {
  const n = name.toLowerCase();
  return form.fieldsBeforeFile().find((p) => (exact ? p.name === name : p.name.toLowerCase() === n));
}

/** Is a field with this name sent only after the file part? */
export function onlyAfterFile(form: FormView, name: string, exact = false): boolean {
  return !fieldBeforeFile(form, name, exact) && form.get(name, exact) !== undefined;
}

export const FILENAME_VARIABLE = '${filename}';

/** The key as the server evaluates it: `${filename}` replaced by the file part's filename. */
export function effectiveKey(key: string, filename: string | null | undefined): string {
  if (!key.includes(FILENAME_VARIABLE)) return key;
  return key.split(FILENAME_VARIABLE).join(filename ?? '');
}

/** A prediction naming the first of `rules` present in the knowledge base, or null. */
export function predictFirst(rules: string[], vars?: Record<string, string | number>): Prediction | null {
  for (const rule of rules) {
    if (isKbId(rule)) return vars ? { rule, vars } : { rule };
  }
  return null;
}

/** The time the server sees: --server-time when known, else "now". */
export function serverNow(ctx: { now: Date; serverTime: Date | null }): { at: Date; clock: 'server' | 'local' } {
  return ctx.serverTime ? { at: ctx.serverTime, clock: 'server' } : { at: ctx.now, clock: 'local' };
}

/** Parse "start;end" unix seconds; null when it is not two integers. */
export function parseKeyTime(v: string): { start: number; end: number } | null {
  const m = /^(\d{1,12});(\d{1,12})$/.exec(v);
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]) };
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
