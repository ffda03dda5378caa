// Text from a request (path, query, key, file name, field names and values, origin) reaches the
// terminal and the live view only masked (the Redactor of src/core/mask.ts, as in every report),
// with control characters shown escaped (\x1b, \x0d, \x0a: one diagnosis line stays one line and
// cannot drive the terminal), and cut to SERVE_MAX_TEXT characters.
import { type Redactor, SENSITIVE_FIELDS, SENSITIVE_HEADERS } from '../core/mask.js';
import { visibleControls } from '../core/visible.js';
import { SERVE_MAX_TEXT } from './limits.js';

/** One line of text with every control character written visibly (newline and tab too): ESC as \x1b, CR as \x0d, U+202E as \u202e. */
export function oneLine(s: string): string {
  return visibleControls(s, true);
}

/** `s` cut to `max` characters (never inside a surrogate pair), ending in "…" when cut. */
export function capText(s: string, max = SERVE_MAX_TEXT): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** Masked, escaped and bounded: what any text from a request becomes before it is shown. */
export function shown(s: string, redactor: Redactor, max = SERVE_MAX_TEXT): string {
  return capText(oneLine(redactor.scrub(s)), max);
}

/** Every string inside a JSON-able value passed through `shown`. */
export function shownDeep<T>(value: T, redactor: Redactor, max = SERVE_MAX_TEXT): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return shown(v, redactor, max);
    if (depth > 16 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = walk(x, depth + 1);
    return o;
  };
  return walk(value, 0) as T;
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * Teach `redactor` the credentials a request carries outside its form: query parameters named
 * like the form's credential fields (X-Amz-Signature, x-amz-security-token, X-Amz-Credential,
 * OSSAccessKeyId, Signature, q-signature ...) and credential headers (Authorization, Cookie,
 * security tokens). Both their raw and their percent-decoded forms are masked.
 */
export function addRequestCredentials(redactor: Redactor, rawUrl: string, headers: readonly string[]): Redactor {
  const q = rawUrl.indexOf('?');
  if (q >= 0) {
    const query = rawUrl.slice(q + 1).split('#')[0] ?? '';
    for (const pair of query.split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = decoded(pair.slice(0, eq)).toLowerCase();
      if (!SENSITIVE_FIELDS.has(name) && name !== 'access_token') continue;
      const raw = pair.slice(eq + 1);
      for (const v of new Set([raw, decoded(raw)])) {
        if (name.endsWith('-credential')) redactor.addSensitive(v.split(/\/|%2F/i)[0]);
        else redactor.addSensitive(v);
      }
    }
  }
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (SENSITIVE_HEADERS.has((headers[i] as string).toLowerCase())) redactor.addSensitive(headers[i + 1]);
  }
  return redactor;
}
