// A small JSON parser that keeps positions and object key order.
//
// JSON.parse is not enough here: it reorders integer-like object keys ("1" before "a"),
// and its error messages do not reliably carry a line and column. Objects are returned
// as JObject (entries in document order); every value remembers where it started so
// that schema errors can point at the offending value.
import { InputError } from '../core/errors.js';

export interface Pos {
  line: number;
  column: number;
}

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
  raw: string;
}
export interface JBool extends Pos {
  kind: 'bool';
  value: boolean;
}
export interface JNull extends Pos {
  kind: 'null';
}

const MAX_DEPTH = 512;

class Parser {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  constructor(
    private readonly s: string,
    private readonly source: string,
  ) {}

  private pos(): Pos {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private fail(msg: string, at?: Pos): never {
    const p = at ?? this.pos();
    throw new InputError(`invalid JSON: ${msg}`, { source: this.source, line: p.line, column: p.column });
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x0a) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || (c === 0xfeff && this.i === 0)) {
        this.i++;
      } else break;
    }
  }

  parseDocument(): JValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected ${describe(this.s[this.i]!)} after the end of the document`);
    return v;
  }

  private value(depth: number): JValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const s = this.s;
    if (this.i >= s.length) this.fail('unexpected end of input');
    const at = this.pos();
    const c = s[this.i]!;
    if (c === '{') return this.object(depth, at);
    if (c === '[') return this.array(depth, at);
    if (c === '"') return { kind: 'string', value: this.string(), ...at };
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(at);
    if (s.startsWith('true', this.i)) {
      this.i += 4;
      return { kind: 'bool', value: true, ...at };
    }
    if (s.startsWith('false', this.i)) {
      this.i += 5;
      return { kind: 'bool', value: false, ...at };
    }
    if (s.startsWith('null', this.i)) {
      this.i += 4;
      return { kind: 'null', ...at };
    }
    this.fail(`unexpected ${describe(c)}`);
  }

  private object(depth: number, at: Pos): JObject {
    this.i++; // {
    const entries: Array<[string, JValue]> = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries, ...at };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail(this.i >= this.s.length ? 'unexpected end of input' : `expected a property name in double quotes, found ${describe(this.s[this.i]!)}`);
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail(this.i >= this.s.length ? 'unexpected end of input' : `expected ':' after property name, found ${describe(this.s[this.i]!)}`);
      this.i++;
      this.ws();
      entries.push([key, this.value(depth + 1)]);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { kind: 'object', entries, ...at };
      }
      this.fail(c === undefined ? 'unexpected end of input (missing })' : `expected ',' or '}', found ${describe(c)}`);
    }
  }

  private array(depth: number, at: Pos): JArray {
    this.i++; // [
    const items: JValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items, ...at };
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { kind: 'array', items, ...at };
      }
      this.fail(c === undefined ? 'unexpected end of input (missing ])' : `expected ',' or ']', found ${describe(c)}`);
    }
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let run = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const ch = s.charCodeAt(this.i);
      if (ch === 0x22) {
        out += s.slice(run, this.i);
        this.i++;
        return out;
      }
      if (ch < 0x20) this.fail('control character in string (escape it)');
      if (ch === 0x5c) {
        out += s.slice(run, this.i);
        const e = s[this.i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          this.i += 2;
        } else if (e === 'u') {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else {
          this.fail(`bad escape ${e === undefined ? 'at end of input' : JSON.stringify('\\' + e)}`);
        }
        run = this.i;
        continue;
      }
      this.i++;
    }
  }

  private number(at: Pos): JNumber {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '-') this.fail('bad number');
    this.i += m[0].length;
    return { kind: 'number', value: Number(m[0]), raw: m[0], ...at };
  }
}

function describe(c: string): string {
  return JSON.stringify(c);
}

/** Parse JSON text; syntax errors become InputError with line and column. */
export function parseJson(text: string, source: string): JValue {
  return new Parser(text, source).parseDocument();
}

export function jget(o: JValue | undefined, key: string): JValue | undefined {
  if (!o || o.kind !== 'object') return undefined;
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
