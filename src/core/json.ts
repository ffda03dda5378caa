// The one JSON parser of post-doctor: strict (RFC 8259), says where it stopped and why, sees
// duplicate keys (JSON.parse keeps the last one silently), and can keep every value's position
// and the order of object keys (JSON.parse reorders integer-like keys). The policy checks read
// plain values and the error's reason; the input parsers read the positioned tree.

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

export type JsonResult = { ok: true; value: unknown; duplicates: DuplicateKey[] } | { ok: false; error: JsonError; duplicates: DuplicateKey[] };

export type JsonTreeResult = { ok: true; value: JValue; duplicates: DuplicateKey[] } | { ok: false; error: JsonError; duplicates: DuplicateKey[] };

export interface Pos {
  line: number;
  column: number;
}

/** A JSON value with its position; objects keep their entries in document order. */
export type JValue = JObject | JArray | JString | JNumber | JBool | JNull;
export interface JObject extends Pos {
  kind: 'object';
  entries: Array<[string, JValue]>;
}
export interface JArray extends Pos {
  kind: 'array';
  items: JValue[];
}
export interface JString extends Pos {
  kind: 'string';
  value: string;
}
export interface JNumber extends Pos {
  kind: 'number';
  value: number;
  /** The number as written. */
  raw: string;
}
export interface JBool extends Pos {
  kind: 'bool';
  value: boolean;
}
export interface JNull extends Pos {
  kind: 'null';
}

/** What the parser makes of each value: plain JS values, or the positioned tree. */
interface Builder<V> {
  /** Called where a value starts, in increasing offset order; what it returns is the value's `at`. */
  mark(offset: number): Pos | null;
  object(entries: Array<[string, V]>, at: Pos | null): V;
  array(items: V[], at: Pos | null): V;
  string(value: string, at: Pos | null): V;
  number(raw: string, at: Pos | null): V;
  literal(value: boolean | null, at: Pos | null): V;
}

const PLAIN: Builder<unknown> = {
  mark: () => null,
  object(entries) {
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key is data, not the prototype
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  },
  array: (items) => items,
  string: (value) => value,
  number: (raw) => Number(raw),
  literal: (value) => value,
};

function treeBuilder(pos: (offset: number) => Pos): Builder<JValue> {
  const p = (at: Pos | null): Pos => at ?? { line: 0, column: 0 };
  return {
    mark: pos,
    object: (entries, at) => ({ kind: 'object', entries, ...p(at) }),
    array: (items, at) => ({ kind: 'array', items, ...p(at) }),
    string: (value, at) => ({ kind: 'string', value, ...p(at) }),
    number: (raw, at) => ({ kind: 'number', value: Number(raw), raw, ...p(at) }),
    literal: (value, at) => (value === null ? { kind: 'null', ...p(at) } : { kind: 'bool', value, ...p(at) }),
  };
}

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

/** Plain values (objects as JS objects), the error's reason and the duplicate keys. */
export function parseJson(text: string): JsonResult {
  return run(text, PLAIN, MAX_DEPTH, false) as JsonResult;
}

/** Every value with its position and objects' keys in order (the input parsers' reading). */
export function parseJsonTree(text: string, maxDepth = MAX_DEPTH): JsonTreeResult {
  // values are built in increasing offset order: one positioner serves them all
  return run(text, treeBuilder(positioner(text)), maxDepth, true) as JsonTreeResult;
}

function run<V>(
  text: string,
  build: Builder<V>,
  maxDepth: number,
  wordStart: boolean,
): { ok: true; value: V; duplicates: DuplicateKey[] } | { ok: false; error: JsonError; duplicates: DuplicateKey[] } {
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

  const literal = (word: string): V => {
    const at = build.mark(i);
    if (text.startsWith(word, i)) {
      i += word.length;
      return build.literal(word === 'true' ? true : word === 'false' ? false : null, at);
    }
    // "tru", "nul", "True"...: the first differing character is unknown (reported there, or, for
    // the positioned reading, where the word starts)
    const start = i;
    let j = 0;
    while (j < word.length && text[i + j] === word[j]) j++;
    i += j;
    const reason = i >= text.length ? 'unexpected-end' : 'unknown-character';
    return wordStart ? fail(reason, [word], start) : fail(reason, [word]);
  };

  const string = (): string => {
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
    }
  };

  const number = (): V => {
    const at = build.mark(i);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === '-' || m[0] === '') return fail('bad-number', ['number']);
    const after = text[i + m[0].length];
    if (after !== undefined && /[0-9.eE]/.test(after)) return fail('bad-number', ['number'], i + m[0].length);
    i += m[0].length;
    return build.number(m[0], at);
  };

  const value = (path: string): V => {
    ws();
    const c = here();
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) return fail('too-deep', [c === '{' ? '}' : ']']);
      depth++;
      const v = c === '{' ? object(path) : array(path);
      depth--;
      return v;
    }
    if (c === '"') {
      const at = build.mark(i);
      return build.string(string(), at);
    }
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return unexpected(VALUE_START);
  };

  const object = (path: string): V => {
    const at = build.mark(i);
    const out: Array<[string, V]> = [];
    const seen = new Set<string>();
    i++; // {
    ws();
    if (here() === '}') {
      i++;
      return build.object(out, at);
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
      out.push([key, value(`${path}.${key}`)]);
      ws();
      if (here() === ',') {
        i++;
        continue;
      }
      if (here() === '}') {
        i++;
        return build.object(out, at);
      }
      return unexpected([',', '}']);
    }
  };

  const array = (path: string): V => {
    const at = build.mark(i);
    const out: V[] = [];
    i++; // [
    ws();
    if (here() === ']') {
      i++;
      return build.array(out, at);
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
        return build.array(out, at);
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

export function jget(o: JValue | undefined, key: string): JValue | undefined {
  if (o?.kind !== 'object') return undefined;
  let found: JValue | undefined;
  for (const [k, v] of o.entries) if (k === key) found = v;
  return found;
}

/** Plain JS value (objects lose exotic key order; use for data, not for field order). */
export function jplain(v: JValue): unknown {
  switch (v.kind) {
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, jplain(x)]));
    case 'array':
      return v.items.map(jplain);
    case 'null':
      return null;
    default:
      return v.value;
  }
}

/** Scalar as text (strings as is, numbers by their source text, booleans), else undefined. */
export function jscalar(v: JValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return v.raw;
  if (v.kind === 'bool') return String(v.value);
  return undefined;
}
