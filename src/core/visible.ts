// Text shown on a terminal must not drive it: control characters that come from inputs (field
// names and values, keys, file names, server messages) are shown escaped. Newlines and tabs
// stay; everything else in C0 and C1, DEL, and the bidirectional overrides that reorder what a
// reader sees are written as \xNN or \uNNNN.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Also newlines, tabs and the Unicode line separators: text that must stay on one line. */
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `s` with control characters written visibly (`\x1b`, `\x0d`, `\u202e`); with `oneLine`, newlines and tabs too. */
export function visibleControls(s: string, oneLine = false): string {
  const re = oneLine ? CONTROL_ONE_LINE : CONTROL;
  re.lastIndex = 0;
  if (!re.test(s)) return s;
  re.lastIndex = 0;
  return s.replace(re, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A copy of a plain data value (objects, arrays, strings) with every string passed through
 * visibleControls; other values (numbers, class instances, buffers) are kept as they are.
 */
export function visibleDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return visibleControls(value) as T;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => visibleDeep(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[visibleControls(k)] = visibleDeep(v, depth + 1);
  return out as T;
}
