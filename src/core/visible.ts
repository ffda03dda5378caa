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

/** Colour (SGR) sequences that chalk writes: kept as they are. */
const SGR = /\u001b\[[0-9;]{0,40}m/y;
/** Cursor and line-erase sequences a spinner writes on stderr. */
const CURSOR = /\u001b\[(?:\?25[lh]|[0-9]{0,4}[ABCDGK])/y;

/**
 * Text about to be written to a terminal with every control character escaped except newline,
 * tab, the colour sequences the renderers add, and (for stderr, `progress`) carriage returns and
 * the cursor sequences of a spinner. The last guard: renderers escape what they show already.
 */
export function terminalSafe(s: string, progress = false): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const n = s.charCodeAt(i);
    if (n >= 0x20 && n !== 0x7f && !(n >= 0x80 && n <= 0x9f) && n !== 0x202e && n !== 0x202d) continue;
    if (n === 0x0a || n === 0x09 || (progress && n === 0x0d)) continue;
    if (n === 0x1b) {
      SGR.lastIndex = i;
      if (progress) CURSOR.lastIndex = i;
      const m = SGR.exec(s) ?? (progress ? CURSOR.exec(s) : null);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    out += s.slice(last, i) + visibleControls(s[i]!);
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}
