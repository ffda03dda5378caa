import type { CheckFinding } from '../check/types.js';
// Helpers shared by the checks of every provider (not a check itself): condition lookup,
// evaluation and wording, masked-value comparison, which form field the server reads, what a
// condition's field holds, prediction guard, the server's clock.

import { isKbId } from '../core/catalogue.js';
import type { FormView } from '../core/fields.js';
import { maskCredential } from '../core/mask.js';
import type { DecodedPolicy, FieldPart, PolicyCondition, Prediction } from '../core/types.js';
import type { FindingId, KbId } from '../generated/ids.js';
import { parseExpiration } from '../policy/index.js';
import { effectiveKey } from '../providers/form.js';
import type { SigningScheme } from '../providers/schemes/index.js';
import { isYyyymmdd, parseCompactTime } from '../providers/time.js';

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

/** A prediction naming the first of `rules` present in the knowledge base, or null. */
export function predictFirst(rules: readonly KbId[], vars?: Record<string, string | number>, basis?: Prediction['basis']): Prediction | null {
  for (const rule of rules) {
    if (!isKbId(rule)) continue;
    const p: Prediction = vars ? { rule, vars } : { rule };
    if (basis) p.basis = basis;
    return p;
  }
  return null;
}

/** The time the server sees: its clock when known (ctx.serverTime), else "now". */
export function serverNow(ctx: { now: Date; serverTime: Date | null }): { at: Date; clock: 'server' | 'local' } {
  return ctx.serverTime ? { at: ctx.serverTime, clock: 'server' } : { at: ctx.now, clock: 'local' };
}

/** The policy's expiration, as written and in epoch ms, and the clock the server judges it by; null when the policy has none it can read. */
export function policyExpiry(ctx: { policy: DecodedPolicy | null; now: Date; serverTime: Date | null }): { expiration: string; expMs: number; clock: Date } | null {
  const expiration = ctx.policy?.expiration ?? null;
  if (expiration === null) return null;
  const expMs = parseExpiration(expiration);
  if (expMs === null) return null;
  return { expiration, expMs, clock: serverNow(ctx).at };
}

/** Is a form field named by some eq / starts-with condition (names compared case-insensitively)? */
export function isCovered(policy: DecodedPolicy | null, name: string): boolean {
  const n = name.toLowerCase();
  return matchConditions(policy).some((c) => c.field.toLowerCase() === n);
}

/** The operator and field name exactly as the policy writes them (simple conditions: "eq", "$field"). */
export function writtenAs(c: MatchCondition): { op: string; name: string } {
  const raw = c.raw;
  if (Array.isArray(raw) && typeof raw[0] === 'string' && typeof raw[1] === 'string') return { op: raw[0], name: raw[1] };
  return { op: 'eq', name: `$${c.field}` };
}

/** A condition as AWS and OSS print it in "Policy Condition failed: [...]": ["eq", "$key", "user/a"]. */
export function conditionText(c: MatchCondition): string {
  const { op, name } = writtenAs(c);
  return `[${[op, name, c.value].map((s) => JSON.stringify(s)).join(', ')}]`;
}

/** Field names a named submit button typically has. */
const SUBMIT_NAMES = /^(submit|upload|send|save|go|ok|btn|button|submit[-_ ]?button|upload[-_ ]?button|commit|action)$/i;

/** Does this field look like a named submit button (its name, or a value like "Upload")? */
export function looksLikeSubmitButton(p: FieldPart): boolean {
  if (SUBMIT_NAMES.test(p.name.trim())) return true;
  return /^(submit|upload|send|upload (file|to \w+)|submit (file|form))$/i.test(p.value.trim()) && !p.name.toLowerCase().startsWith('x-');
}

/** What a condition's field holds, as the server sees it. */
export interface FieldValue {
  /** null when the field is absent (or the bucket cannot be known). */
  value: string | null;
  /** Where the value came from. */
  source: 'form' | 'endpoint' | 'unknown';
  /** The form part, when the value is a form field. */
  part?: FieldPart;
  /** The field is sent, but only after the file (so the server never reads it). */
  afterFile: boolean;
  /** key only: the value as sent, before `${filename}` was replaced. */
  sent?: string;
}

/**
 * The value a condition's field has on the server: `bucket` is the bucket the URL addresses
 * (the form's own `bucket` field when the URL says none); `key` has `${filename}` replaced
 * by the file's name; everything else is the first field of that name before the file.
 */
export function fieldValue(ctx: { form: FormView; endpoint: { bucket: string | null } | null }, field: string): FieldValue {
  const n = field.toLowerCase();
  if (n === 'bucket') {
    const fromUrl = ctx.endpoint?.bucket ?? null;
    if (fromUrl !== null) return { value: fromUrl, source: 'endpoint', afterFile: false };
    const p = fieldBeforeFile(ctx.form, 'bucket');
    if (p) return { value: p.value, source: 'form', part: p, afterFile: false };
    return { value: null, source: 'unknown', afterFile: false };
  }
  const p = fieldBeforeFile(ctx.form, field);
  if (!p) return { value: null, source: 'form', afterFile: ctx.form.get(field) !== undefined };
  if (n === 'key') {
    return { value: effectiveKey(p.value, ctx.form.file()?.filename ?? null), source: 'form', part: p, afterFile: false, sent: p.value };
  }
  return { value: p.value, source: 'form', part: p, afterFile: false };
}

/** The findings a V4-style credential / date check reports, as the caller's check names them. */
export interface V4CredentialIds {
  malformed: { id: FindingId };
  dateMalformed: { id: FindingId };
  dateDay: { id: FindingId };
}

/**
 * A V4-style form's credential and date fields (before the file) against the scheme's formats:
 * `ids.malformed` for each wrong part of the credential, what `region` says of its region, then
 * `ids.dateMalformed` or `ids.dateDay`. Also the date field's time.
 */
export function v4CredentialFindings(
  form: FormView,
  s: SigningScheme,
  ids: V4CredentialIds,
  region: (region: string, masked: string, credPart: FieldPart) => CheckFinding | null,
): { findings: CheckFinding[]; date: string | null; dateMs: number | null } {
  const out: CheckFinding[] = [];
  const chain = s.chain as NonNullable<SigningScheme['chain']>;
  const credPart = fieldBeforeFile(form, s.fields.credential as string);
  let credDate: string | null = null;
  if (credPart && credPart.value.trim() !== '') {
    const credential = credPart.value.trim();
    const parts = credential.split('/');
    const masked = maskCredential(credential);
    const bad = (part: string, found: string, expected: string): void => {
      out.push({ ...ids.malformed, facts: { credential: masked, part, found, expected, format: s.credential?.pattern ?? '' }, predicts: null, field: credPart.name });
    };
    if (parts.length !== 5 || parts.some((p) => p === '')) {
      bad('shape', `${parts.length}`, '5');
    } else {
      const [, date, reg, service, terminator] = parts as [string, string, string, string, string];
      if (!isYyyymmdd(date)) bad('date', date, 'yyyymmdd');
      else credDate = date;
      if (service !== chain.service) bad('service', service, chain.service);
      if (terminator !== chain.terminator) bad('terminator', terminator, chain.terminator);
      const r = region(reg, masked, credPart);
      if (r) out.push(r);
    }
  }
  const datePart = fieldBeforeFile(form, s.fields.date as string);
  if (!datePart || datePart.value.trim() === '') return { findings: out, date: null, dateMs: null };
  const date = datePart.value;
  const dateMs = parseCompactTime(date.trim());
  if (dateMs === null) {
    out.push({ ...ids.dateMalformed, facts: { date, format: s.time?.pattern ?? '' }, predicts: null, field: datePart.name });
  } else if (credDate !== null && date.trim().slice(0, 8) !== credDate) {
    out.push({ ...ids.dateDay, facts: { date, credentialDate: credDate }, predicts: null, field: datePart.name });
  }
  return { findings: out, date, dateMs };
}

/**
 * Form fields before the file that no eq / starts-with condition names (the first of each name,
 * compared case-insensitively), leaving out those `exempt` says the service does not require a
 * condition for. For the services that require one for every field (OBS, TOS).
 */
export function fieldsWithoutCondition(form: FormView, policy: DecodedPolicy | null, exempt: (lowerName: string) => boolean): FieldPart[] {
  const out: FieldPart[] = [];
  const seen = new Set<string>();
  for (const p of form.fieldsBeforeFile()) {
    const lower = p.name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (!exempt(lower) && !isCovered(policy, p.name)) out.push(p);
  }
  return out;
}

/** A condition the form does not meet: its field is not sent before the file, or its value differs. */
export interface ConditionProblem {
  condition: MatchCondition;
  kind: 'field-missing' | 'failed';
  value: FieldValue;
  /** Facts every such finding shows: field, operator, expected value, the condition as written. */
  facts: Record<string, unknown>;
}

/** Every eq / starts-with condition checked against the form (`bucket` against the URL's bucket). */
export function conditionProblems(ctx: { form: FormView; policy: DecodedPolicy | null; endpoint: { bucket: string | null } | null }): ConditionProblem[] {
  const out: ConditionProblem[] = [];
  for (const c of matchConditions(ctx.policy)) {
    const fv = fieldValue(ctx, c.field);
    if (fv.source === 'unknown') continue;
    const facts = { field: c.field, operator: c.type, expected: c.value, condition: conditionText(c) };
    if (fv.value === null) out.push({ condition: c, kind: 'field-missing', value: fv, facts: { ...facts, afterFile: fv.afterFile } });
    else if (!satisfies(c, fv.value)) out.push({ condition: c, kind: 'failed', value: fv, facts: { ...facts, value: fv.value } });
  }
  return out;
}
