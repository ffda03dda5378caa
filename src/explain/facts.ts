// Facts read from an error answer, derived by well-known capture names:
//   expirationEpoch + serverEpoch -> expiration, serverTime (ISO), expiredBySeconds
//   Date header                   -> serverTime (ISO), clockSkewSeconds (local now - server)
//   condition (text)              -> condition (array), conditionText, field (without "$")
//   "Extra input fields: a, b"    -> field, fields
//   "region 'x' is wrong; expecting 'y'" -> region, expectedRegion
//   proposedSize, maxSizeAllowed, minSizeAllowed -> numbers when numeric

import type { ErrorAnswer } from '../providers/types.js';
import { headerValue, numberOrText, toIsoTime } from '../providers/answer.js';
import { straightenQuotes } from './text.js';

export type FactMap = Record<string, unknown>;

/**
 * A policy condition as quoted by a server: JSON (`["eq", "$key", "v"]`), with curly quotes
 * and `\$` (copied documents), or RGW's `starts-with: $key, user/`. Null when unreadable.
 */
export function parseCondition(text: string): unknown[] | Record<string, unknown> | null {
  const t = straightenQuotes(text).trim().replace(/\\\$/g, '$');
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v)) return v;
      if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
    } catch {
      // a quoted condition cut short or with stray spaces: read its elements one by one
      const items = conditionItems(t.slice(0, 4096));
      if (items.length >= 2) return items;
    }
    return null;
  }
  // RGW: "starts-with: $key, user/" or "eq: $success_action_status, 201"
  const m = /^([A-Za-z][\w-]*)\s*:\s*(\$?[^,]+?)\s*,\s*(.*)$/.exec(t);
  if (m) return [m[1]!, m[2]!, m[3]!.trim()];
  return null;
}

/** The quoted strings and numbers of a condition cut short, left to right (a plain scan). */
function conditionItems(t: string): Array<string | number> {
  const out: Array<string | number> = [];
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === '"') {
      let v = '';
      let j = i + 1;
      for (; j < t.length && t[j] !== '"'; j++) {
        if (t[j] === '\\' && j + 1 < t.length) j++;
        v += t[j];
      }
      if (j >= t.length) break; // unclosed: the rest is no item
      out.push(v);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < t.length && ((t[j]! >= '0' && t[j]! <= '9') || t[j] === '.')) j++;
      const n = Number(t.slice(i, j));
      if (Number.isFinite(n)) out.push(n);
      i = j;
    } else i++;
  }
  return out;
}

/** The field a parsed condition is about, without "$", as written. */
export function conditionField(c: unknown[] | Record<string, unknown>): string | null {
  if (Array.isArray(c)) {
    const f = c.length >= 2 ? c[1] : undefined;
    if (typeof f === 'string' && f.startsWith('$')) return f.slice(1);
    if (typeof c[0] === 'string' && c[0].toLowerCase() !== 'content-length-range' && typeof f === 'string') return f;
    return null;
  }
  const keys = Object.keys(c);
  return keys.length === 1 ? keys[0]!.replace(/^\$/, '') : null;
}

const SIZE_NAMES = ['proposedSize', 'maxSizeAllowed', 'minSizeAllowed'];

/**
 * Derive the plain facts of an answer. `base` holds the provider's answer facts, `captures`
 * the named captures of the matching knowledge-base pattern (captures win).
 */
export function deriveFacts(base: FactMap, captures: Record<string, string>, answer: ErrorAnswer, now: Date): FactMap {
  const f: FactMap = { ...base };
  for (const [k, v] of Object.entries(captures)) if (v !== undefined) f[k] = v;

  // COS expiry message: both epochs
  const exp = numOrNull(f.expirationEpoch);
  const srv = numOrNull(f.serverEpoch);
  if (exp !== null) f.expiration = new Date(exp * 1000).toISOString();
  if (srv !== null) f.serverTime = new Date(srv * 1000).toISOString();
  if (exp !== null && srv !== null) f.expiredBySeconds = srv - exp;

  // ISO expiration captured as text
  if (typeof f.expiration === 'string' && exp === null) {
    const iso = toIsoTime(f.expiration);
    if (iso) f.expiration = iso;
  }

  // the server's clock from the Date header
  const date = headerValue(answer.headers, 'date');
  if (date) {
    const iso = toIsoTime(date);
    if (iso) {
      f.dateHeader = iso;
      if (f.serverTime === undefined) f.serverTime = iso;
      f.clockSkewSeconds = Math.round((now.getTime() - Date.parse(iso)) / 1000);
    }
  }

  // a policy condition quoted by the server
  if (typeof f.condition === 'string') {
    const text = f.condition;
    const parsed = parseCondition(text);
    if (parsed) {
      f.conditionText = text;
      f.condition = parsed;
      const field = conditionField(parsed);
      if (field !== null && f.field === undefined) f.field = field;
    }
  } else if (f.condition === undefined && answer.message) {
    const m = /Policy Condition failed:\s*(.+)$/i.exec(answer.message);
    if (m) {
      const parsed = parseCondition(m[1]!);
      if (parsed) {
        f.conditionText = m[1]!.trim();
        f.condition = parsed;
        const field = conditionField(parsed);
        if (field !== null && f.field === undefined) f.field = field;
      }
    }
  }
  if (typeof f.field === 'string') f.field = f.field.replace(/^\$/, '');

  // S3 "Extra input fields: content-type"
  if (answer.message) {
    const at = answer.message.toLowerCase().indexOf('extra input fields:');
    const m = at >= 0 ? [null, answer.message.slice(at + 'extra input fields:'.length).trim()] : null;
    if (m?.[1]) {
      const list = m[1]
        .replace(/\.$/, '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (f.field === undefined) f.field = list[0];
      if (f.fields === undefined) f.fields = list;
    }
    // "the region 'us-east-1' is wrong; expecting 'eu-central-1'"
    const r = /region '([^']*)' is wrong; expecting '([^']*)'/i.exec(answer.message);
    if (r) {
      if (f.region === undefined) f.region = r[1];
      if (f.expectedRegion === undefined || f.expectedRegion === r[2]) f.expectedRegion = r[2];
    }
  }

  for (const k of SIZE_NAMES) if (typeof f[k] === 'string') f[k] = numberOrText(f[k] as string);
  return f;
}

function numOrNull(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d{1,13}$/.test(v.trim())) return Number(v.trim());
  return null;
}
