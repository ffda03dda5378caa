// Strict base64 decoding of the `policy` form field, reporting every way the text
// departs from the standard alphabet (RFC 4648 section 4) instead of guessing silently.

export type Base64Problem =
  /** A character outside the alphabet; `offset` is its position in the original text. */
  | { kind: 'bad-char'; char: string; codePoint: number; offset: number; count: number }
  /** URL-safe alphabet ("-", "_") used where the standard one ("+", "/") is expected. */
  | { kind: 'url-safe'; chars: string[]; offset: number }
  /** Whitespace or line breaks inside the text (e.g. a wrapped `base64` output). */
  | { kind: 'whitespace'; offset: number; count: number }
  /** Fewer "=" than the length needs. */
  | { kind: 'padding-missing'; expected: number; found: number }
  /** More "=" than the length allows. */
  | { kind: 'padding-extra'; expected: number; found: number }
  /** "=" in the middle of the text. */
  | { kind: 'padding-inside'; offset: number }
  /** A length no base64 text can have (one character left over). */
  | { kind: 'bad-length'; length: number }
  /** The field is empty. */
  | { kind: 'empty' };

export interface Base64Result {
  /** Decoded bytes, or null when the text cannot be decoded at all. */
  bytes: Uint8Array | null;
  problems: Base64Problem[];
}

const STD = /[A-Za-z0-9+/]/;
const URLSAFE = /[-_]/;
const WS = /[ \t\r\n\f\v]/;

export function decodeBase64(text: string): Base64Result {
  const problems: Base64Problem[] = [];
  const start = text.length - text.trimStart().length;
  const body = text.trim();
  if (body.length === 0) return { bytes: null, problems: [{ kind: 'empty' }] };
  // the common case, checked at once: standard alphabet, correct padding
  if (body.length % 4 === 0 && /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(body)) {
    return { bytes: new Uint8Array(Buffer.from(body, 'base64')), problems: [] };
  }

  const pieces: string[] = [];
  let cleanLength = 0;
  let firstBad: { char: string; offset: number } | null = null;
  let badCount = 0;
  const urlSafe = new Set<string>();
  let urlSafeOffset = -1;
  let wsOffset = -1;
  let wsCount = 0;
  let padStart = -1;
  let padInside = -1;
  let i = 0;
  for (const ch of body) {
    const offset = start + i;
    i += ch.length;
    if (ch === '=') {
      if (padStart < 0) padStart = cleanLength;
      pieces.push(ch);
      cleanLength++;
      continue;
    }
    if (padStart >= 0 && !WS.test(ch)) {
      if (padInside < 0) padInside = offset;
    }
    if (STD.test(ch)) {
      pieces.push(ch);
      cleanLength++;
    } else if (URLSAFE.test(ch)) {
      urlSafe.add(ch);
      if (urlSafeOffset < 0) urlSafeOffset = offset;
      pieces.push(ch === '-' ? '+' : '/');
      cleanLength++;
    } else if (WS.test(ch)) {
      wsCount++;
      if (wsOffset < 0) wsOffset = offset;
    } else {
      badCount++;
      if (!firstBad) firstBad = { char: ch, offset };
    }
  }
  if (urlSafe.size > 0) problems.push({ kind: 'url-safe', chars: [...urlSafe].sort(), offset: urlSafeOffset });
  if (wsCount > 0) problems.push({ kind: 'whitespace', offset: wsOffset, count: wsCount });
  if (firstBad) {
    problems.push({ kind: 'bad-char', char: firstBad.char, codePoint: firstBad.char.codePointAt(0) ?? 0, offset: firstBad.offset, count: badCount });
    return { bytes: null, problems };
  }
  if (padInside >= 0) {
    problems.push({ kind: 'padding-inside', offset: padInside });
    return { bytes: null, problems };
  }
  const clean = pieces.join('');
  const data = padStart >= 0 ? clean.slice(0, padStart) : clean;
  const found = padStart >= 0 ? clean.length - padStart : 0;
  if (data.length % 4 === 1) {
    problems.push({ kind: 'bad-length', length: data.length });
    return { bytes: null, problems };
  }
  const expected = (4 - (data.length % 4)) % 4;
  if (found < expected) problems.push({ kind: 'padding-missing', expected, found });
  else if (found > expected) problems.push({ kind: 'padding-extra', expected, found });
  const bytes = new Uint8Array(Buffer.from(data, 'base64'));
  return { bytes, problems };
}
