// Small accessors over an ErrorAnswer (src/providers/types.ts), shared by the provider error
// modules (src/providers/<p>/errors.ts) and the explain engine. The one header lookup over
// name/value pairs lives here.
import type { ErrorAnswer } from './types.js';

/** A confidence score: the highest value it was bumped to (0 when none). */
export function confidence(): { bump(v: number): void; readonly value: number } {
  let best = 0;
  return {
    bump(v: number): void {
      if (v > best) best = v;
    },
    get value(): number {
      return best;
    },
  };
}

/** First header value with this name (case-insensitive), or null. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  const n = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === n) return v;
  return null;
}

/** Whether any header name starts with this prefix (case-insensitive). */
export function hasHeaderPrefix(headers: ReadonlyArray<readonly [string, string]>, prefix: string): boolean {
  const p = prefix.toLowerCase();
  return headers.some(([k]) => k.toLowerCase().startsWith(p));
}

/** An element of the answer by name, case-insensitively (`Endpoint`, `endpoint`). */
export function elementValue(a: ErrorAnswer, name: string): string | null {
  if (name in a.elements) return a.elements[name] ?? null;
  const n = name.toLowerCase();
  for (const [k, v] of Object.entries(a.elements)) if (k.toLowerCase() === n) return v;
  return null;
}

/** A number when the text is a plain integer ("1048576"), else the text. */
export function numberOrText(v: string): number | string {
  const t = v.trim();
  return /^-?\d{1,15}$/.test(t) ? Number(t) : t;
}

/** ISO 8601 from an HTTP date, an ISO time or epoch seconds; null when unreadable. */
export function toIsoTime(v: string): string | null {
  const t = v.trim();
  if (/^\d{9,11}$/.test(t)) return new Date(Number(t) * 1000).toISOString();
  if (/^\d{12,14}$/.test(t)) return new Date(Number(t)).toISOString();
  // text copied from PDFs: "Thu , 11 Aug 2016 03 : 53 : 44 GMT"
  if (t.length > 200) return null;
  const cleaned = t
    .split(':')
    .map((x) => x.trim())
    .join(':')
    .split(',')
    .map((x) => x.trim())
    .join(', ');
  const ms = Date.parse(cleaned);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Put `value` under `key` when it is a non-empty string. */
export function setIf(out: Record<string, unknown>, key: string, value: string | number | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  out[key] = value;
}

/** The clock elements of a RequestTimeTooSkewed-style answer: requestTime, serverTime (ISO 8601 when readable), maxAllowedSkewMilliseconds. */
export function clockFacts(a: ErrorAnswer, out: Record<string, unknown>): void {
  const rt = elementValue(a, 'RequestTime');
  if (rt) out.requestTime = toIsoTime(rt) ?? rt;
  const st = elementValue(a, 'ServerTime');
  if (st) out.serverTime = toIsoTime(st) ?? st;
  const skew = elementValue(a, 'MaxAllowedSkewMilliseconds');
  if (skew) out.maxAllowedSkewMilliseconds = numberOrText(skew);
}
