// A small strict JSON parser (RFC 8259) that says where it stopped and why, and
// sees duplicate keys (JSON.parse keeps the last one silently).

export type JsonErrorReason =
  /** A character that cannot start or continue any JSON token here (quote, letter, comment...). */
  | 'unknown-character'
  /** A valid token in the wrong place (e.g. a missing comma). */
  | 'expected'
  /** The text ended inside a value. */
  | 'unexpected-end'
  /** A comma before "]" or "}". */
  | 'trailing-comma'
  /** Something after the document. */
  | 'trailing-data'
  /** Control character or bad escape inside a string. */
  | 'bad-string'
  /** A malformed number. */
  | 'bad-number'
  /** Arrays and objects nested deeper than MAX_DEPTH. */
  | 'too-deep';

export interface JsonError {
  reason: JsonErrorReason;
  /** Character offset (UTF-16 index) in the text. */
  offset: number;
  line: number;
  column: number;
  /** What the parser found there ("" at the end). */
  found: string;
  /** What would have been accepted, as JSON tokens (e.g. [",", "]"]). */
  expected: string[];
}

export interface DuplicateKey {
  key: string;
  /** JSON path of the object holding it, e.g. "$" or "$.conditions[2]". */
  path: string;
  line: number;
  column: number;
}

export type JsonResult =
  | { ok: true; value: unknown; duplicates: DuplicateKey[] }
  | { ok: false; error: JsonError; duplicates: DuplicateKey[] };

class Fail extends Error {
  constructor(readonly detail: Omit<JsonError, 'line' | 'column'>) {
    super(detail.reason);
  }
}

/** 1-based line and column of a character offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  return positioner(text)(offset);
}

/**
 * Line and column of offsets asked in increasing order, in one pass over the text (a policy
 * with many duplicate keys would otherwise be rescanned from the start for each).
 */
function positioner(text: string): (offset: number) => { line: number; column: number } {
  let i = 0;
  let line = 1;
  let col = 1;
  return (offset) => {
    if (offset < i) {
      i = 0;
      line = 1;
      col = 1;
    }
    for (; i < offset && i < text.length; i++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else if (text[i] === '\r') {
        if (text[i + 1] !== '\n') {
          line++;
          col = 1;
        }
      } else {
        col++;
      }
    }
    return { line, column: col };
  };
}

/** Deeper nesting than any policy needs is refused before it can exhaust the stack. */
export const MAX_DEPTH = 256;

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const VALUE_START = ['{', '[', '"', 'number', 'true', 'false', 'null'];

export function parseJson(text: string): JsonResult {
  let i = 0;
  let depth = 0;
  const duplicates: DuplicateKey[] = [];
  const pos = positioner(text);

  const ws = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++;
  };
  const here = (): string => (i < text.length ? String.fromCodePoint(text.codePointAt(i) ?? 0) : '');
  const fail = (reason: JsonErrorReason, expected: string[], at = i): never => {
    const found = at < text.length ? String.fromCodePoint(text.codePointAt(at) ?? 0) : '';
    throw new Fail({ reason: found === '' && reason !== 'trailing-comma' ? 'unexpected-end' : reason, offset: at, found, expected });
  };
  /** Could this character begin a JSON token at all? */
  const isTokenChar = (c: string): boolean => /^[{}[\],:"\-0-9tfn]$/.test(c);
  const unexpected = (expected: string[]): never => {
    const c = here();
    return fail(c !== '' && !isTokenChar(c) ? 'unknown-character' : 'expected', expected);
  };

  const literal = (word: string): unknown => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return word === 'true' ? true : word === 'false' ? false : null;
    }
    // "tru", "nul", "True"...: the first differing character is unknown
    let j = 0;
    while (j < word.length && text[i + j] === word[j]) j++;
    i += j;
    return fail(i >= text.length ? 'unexpected-end' : 'unknown-character', [word]);
  };

  const string = (): string => {
    const open = i;
    i++; // opening quote
    let out = '';
    while (true) {
      // copy a run of plain characters at once
      let j = i;
      while (j < text.length) {
        const cc = text.charCodeAt(j);
        if (cc === 0x22 || cc === 0x5c || cc < 0x20) break;
        j++;
      }
      if (j > i) {
        out += text.slice(i, j);
        i = j;
      }
      if (i >= text.length) return fail('unexpected-end', ['"']);
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in map) {
          out += map[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        return fail('bad-string', ['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u'], i);
      }
      if (c.charCodeAt(0) < 0x20) return fail('bad-string', ['"'], i);
      out += c;
      i++;
      void open;
    }
  };

  const number = (): number => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === '-' || m[0] === '') return fail('bad-number', ['number']);
    const after = text[i + m[0].length];
    if (after !== undefined && /[0-9.eE]/.test(after)) return fail('bad-number', ['number'], i + m[0].length);
    i += m[0].length;
    return Number(m[0]);
  };

  const value = (path: string): unknown => {
    ws();
    const c = here();
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) return fail('too-deep', [c === '{' ? '}' : ']']);
      depth++;
      const v = c === '{' ? object(path) : array(path);
      depth--;
      return v;
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return unexpected(VALUE_START);
  };

  const object = (path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    i++; // {
    ws();
    if (here() === '}') {
      i++;
      return out;
    }
    while (true) {
      ws();
      if (here() !== '"') {
        if (here() === '}') return fail('trailing-comma', ['"']);
        return unexpected(['"']);
      }
      const keyAt = i;
      const key = string();
      if (seen.has(key)) duplicates.push({ key, path, ...pos(keyAt) });
      seen.add(key);
      ws();
      if (here() !== ':') return unexpected([':']);
      i++;
      const v = value(`${path}.${key}`);
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      ws();
      if (here() === ',') {
        i++;
        continue;
      }
      if (here() === '}') {
        i++;
        return out;
      }
      return unexpected([',', '}']);
    }
  };

  const array = (path: string): unknown[] => {
    const out: unknown[] = [];
    i++; // [
    ws();
    if (here() === ']') {
      i++;
      return out;
    }
    while (true) {
      ws();
      if (here() === ']' && out.length > 0) return fail('trailing-comma', VALUE_START);
      out.push(value(`${path}[${out.length}]`));
      ws();
      if (here() === ',') {
        i++;
        continue;
      }
      if (here() === ']') {
        i++;
        return out;
      }
      return unexpected([',', ']']);
    }
  };

  try {
    const v = value('$');
    ws();
    if (i < text.length) fail('trailing-data', []);
    return { ok: true, value: v, duplicates };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { ok: false, error: { ...e.detail, ...position(text, e.detail.offset) }, duplicates };
  }
}
