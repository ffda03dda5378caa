// Structure of a decoded policy document: expiration, conditions and the three
// condition forms. Problems come back as finding ids with facts (no words).

import type { PolicyCondition, Severity } from '../core/types.js';
import { FINDING_SEVERITY, type FindingId } from '../generated/ids.js';

export interface PolicyProblem {
  /** Finding catalogue id (rules/findings/policy.yaml). */
  id: FindingId;
  /** The catalogue's severity, unless this occurrence is milder (see analyseStructure). */
  severity: Severity;
  facts: Record<string, unknown>;
  /** Key into the prediction table (src/check/predict.ts); defaults to `id`. */
  predict?: string;
}

export interface StructureResult {
  expiration: string | null;
  conditions: PolicyCondition[];
  problems: PolicyProblem[];
}

const OPERATORS = ['eq', 'starts-with', 'content-length-range'];

/** ISO 8601 date-time as the providers write it: 2019-08-30T09:38:12.414Z (offset allowed). */
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of an ISO 8601 expiration, or null when it is not one. */
export function parseExpiration(s: string): number | null {
  const m = ISO_DATETIME.exec(s);
  if (!m) return null;
  const [mo, d, h, mi, se] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? null : t;
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A content-length-range bound: a non-negative integer, or a string of digits. */
function bound(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v.trim());
  return null;
}

/** A policy problem with the catalogue's severity (`severity` only where this occurrence differs). */
export function policyProblem(id: FindingId, facts: Record<string, unknown> = {}, opts: { predict?: string; severity?: Severity } = {}): PolicyProblem {
  const p: PolicyProblem = { id, severity: opts.severity ?? FINDING_SEVERITY[id], facts };
  if (opts.predict) p.predict = opts.predict;
  return p;
}

export function analyseStructure(doc: unknown): StructureResult {
  const problems: PolicyProblem[] = [];
  const add = (id: FindingId, facts: Record<string, unknown> = {}, predict?: string, severity?: Severity): void => {
    problems.push(policyProblem(id, facts, { ...(predict ? { predict } : {}), ...(severity ? { severity } : {}) }));
  };
  const conditions: PolicyCondition[] = [];

  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    add('policy.not-object', { type: jsonType(doc) });
    return { expiration: null, conditions, problems };
  }
  const o = doc as Record<string, unknown>;

  for (const k of Object.keys(o)) {
    if (k !== 'expiration' && k !== 'conditions') add('policy.unknown-property', { name: k });
  }

  // expiration
  let expiration: string | null = null;
  if (!('expiration' in o)) {
    add('policy.expiration-missing');
  } else if (typeof o.expiration !== 'string') {
    add('policy.expiration-not-string', { type: jsonType(o.expiration), value: show(o.expiration) });
  } else if (o.expiration.trim() === '') {
    add('policy.expiration-invalid', { value: o.expiration }, 'policy.expiration-empty');
  } else if (parseExpiration(o.expiration) === null) {
    add('policy.expiration-invalid', { value: o.expiration });
  } else {
    expiration = o.expiration;
    if (!o.expiration.endsWith('Z')) add('policy.expiration-not-utc', { value: o.expiration });
  }

  // conditions
  if (!('conditions' in o)) {
    add('policy.conditions-missing');
  } else if (!Array.isArray(o.conditions)) {
    add('policy.conditions-not-array', { type: jsonType(o.conditions) });
  } else if (o.conditions.length === 0) {
    add('policy.conditions-empty');
  } else {
    o.conditions.forEach((c, index) => {
      const base = { index, number: index + 1, condition: show(c) };
      if (Array.isArray(c)) {
        const op = c[0];
        if (typeof op !== 'string' || !OPERATORS.includes(op.toLowerCase())) {
          add('policy.condition-unknown-operator', { ...base, operator: typeof op === 'string' ? op : show(op) });
          conditions.push({ type: 'unknown', raw: c, index });
          return;
        }
        const operator = op.toLowerCase();
        if (c.length !== 3) {
          add('policy.condition-arity', { ...base, operator, count: c.length });
          conditions.push({ type: 'unknown', raw: c, index });
          return;
        }
        if (operator === 'content-length-range') {
          const min = bound(c[1]);
          const max = bound(c[2]);
          if (min === null || max === null) {
            add('policy.content-length-range-invalid', { ...base, min: show(c[1]), max: show(c[2]) });
            conditions.push({ type: 'unknown', raw: c, index });
            return;
          }
          if (min > max) add('policy.content-length-range-order', { ...base, min, max });
          conditions.push({ type: 'content-length-range', min, max, raw: c, index });
          return;
        }
        const name = c[1];
        if (typeof name !== 'string') {
          add('policy.condition-field-invalid', { ...base, operator, type: jsonType(name) });
          conditions.push({ type: 'unknown', raw: c, index });
          return;
        }
        let field = name;
        if (!name.startsWith('$') || name.length < 2) {
          add('policy.condition-field-prefix', { ...base, operator, field: name });
        } else {
          field = name.slice(1);
        }
        const v = c[2];
        let value: string;
        if (typeof v === 'string') value = v;
        else if (typeof v === 'number' || typeof v === 'boolean') {
          value = String(v);
          add('policy.condition-value-type', { ...base, field, type: jsonType(v) }, undefined, 'warning');
        } else {
          add('policy.condition-value-type', { ...base, field, type: jsonType(v) });
          conditions.push({ type: 'unknown', raw: c, index });
          return;
        }
        conditions.push({ type: operator as 'eq' | 'starts-with', field, value, raw: c, index });
        return;
      }
      if (c !== null && typeof c === 'object') {
        const keys = Object.keys(c);
        if (keys.length !== 1) {
          add('policy.simple-condition-properties', { ...base, count: keys.length, keys });
          conditions.push({ type: 'unknown', raw: c, index });
          return;
        }
        const field = keys[0] as string;
        const v = (c as Record<string, unknown>)[field];
        if (typeof v === 'string') {
          conditions.push({ type: 'eq', field, value: v, raw: c, index });
        } else if (typeof v === 'number' || typeof v === 'boolean') {
          add('policy.condition-value-type', { ...base, field, type: jsonType(v) }, undefined, 'warning');
          conditions.push({ type: 'eq', field, value: String(v), raw: c, index });
        } else {
          add('policy.condition-value-type', { ...base, field, type: jsonType(v) });
          conditions.push({ type: 'unknown', raw: c, index });
        }
        return;
      }
      add('policy.condition-invalid-type', { ...base, type: jsonType(c) });
      conditions.push({ type: 'unknown', raw: c, index });
    });
  }
  return { expiration, conditions, problems };
}
