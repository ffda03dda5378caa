// Tokenizers for "Copy as cURL" commands in three shells: bash (POSIX + $'...'), Windows
// cmd (Chrome's "Copy as cURL (cmd)") and PowerShell (curl.exe).
//
// shell-quote and similar packages cannot do these: they know neither bash's ANSI-C
// quoting ($'...\r\n...', which browsers use for multipart bodies), nor cmd's caret
// escapes followed by the MS C runtime argument rules, nor PowerShell's backtick escapes.
// Each tokenizer turns the command into words (raw bytes + text) and stops at the end of
// the first command (an unquoted | ; or &).
import { InputError } from '../core/errors.js';

export interface Word {
  /** The word's bytes (ANSI-C \xHH escapes can produce any byte). */
  bytes: Buffer;
  /** The bytes as UTF-8 text. */
  text: string;
  line: number;
  column: number;
}

export type Shell = 'bash' | 'cmd' | 'powershell';

/**
 * Most words a command is read with. A browser's "Copy as cURL" of the largest form read
 * (MAX_PARTS fields, two words each) and its headers stays well under it; a file of millions of
 * options is refused here, before they are all held in memory.
 */
export const MAX_WORDS = 25_000;

class WordBuilder {
  constructor(private readonly source = 'input') {}
  private pieces: Buffer[] = [];
  private str = '';
  started = false;
  line = 1;
  column = 1;
  start(line: number, column: number): void {
    if (!this.started) {
      this.started = true;
      this.line = line;
      this.column = column;
    }
  }
  text(s: string): void {
    this.str += s;
  }
  byte(b: number): void {
    this.flushStr();
    this.pieces.push(Buffer.from([b & 0xff]));
  }
  private flushStr(): void {
    if (this.str) {
      this.pieces.push(Buffer.from(this.str, 'utf8'));
      this.str = '';
    }
  }
  take(out: Word[]): void {
    if (!this.started) return;
    if (out.length >= MAX_WORDS) {
      throw new InputError(`the command has more than ${MAX_WORDS} words (options and their values); post-doctor reads up to ${MAX_WORDS}`, {
        source: this.source,
        line: this.line,
        column: this.column,
      });
    }
    this.flushStr();
    const bytes = Buffer.concat(this.pieces);
    out.push({ bytes, text: bytes.toString('utf8'), line: this.line, column: this.column });
    this.pieces = [];
    this.started = false;
  }
}

/** Positions (1-based line/column) of character indexes, computed incrementally. */
class Cursor {
  line = 1;
  col = 1;
  private at = 0;
  constructor(private readonly s: string) {}
  move(to: number): { line: number; column: number } {
    for (; this.at < to; this.at++) {
      if (this.s.charCodeAt(this.at) === 10) {
        this.line++;
        this.col = 1;
      } else this.col++;
    }
    return { line: this.line, column: this.col };
  }
}

function fail(msg: string, source: string, cur: Cursor, at: number): never {
  const p = cur.move(at);
  throw new InputError(msg, { source, line: p.line, column: p.column });
}

// ---------------------------------------------------------------------------
// bash

function ansiC(s: string, i: number, w: WordBuilder, source: string, cur: Cursor): number {
  // s[i] is the first character after $'
  const open = i - 2;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") return i + 1;
    if (c !== '\\') {
      w.text(c);
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) break;
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
    if (simple[e] !== undefined) {
      w.text(simple[e]!);
      i += 2;
    } else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))!;
      w.byte(parseInt(m[0], 8));
      i += 1 + m[0].length;
    } else if (e === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2, i + 4));
      if (!m) {
        w.text('\\x');
        i += 2;
      } else {
        w.byte(parseInt(m[0], 16));
        i += 2 + m[0].length;
      }
    } else if (e === 'u' || e === 'U') {
      const m = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(s.slice(i + 2, i + 10));
      if (!m) {
        w.text(`\\${e}`);
        i += 2;
      } else {
        const cp = parseInt(m[0], 16);
        w.text(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd');
        i += 2 + m[0].length;
      }
    } else if (e === 'c' && i + 2 < s.length) {
      w.byte(s.charCodeAt(i + 2) & 0x1f);
      i += 3;
    } else {
      w.text(`\\${e}`);
      i += 2;
    }
  }
  fail("unterminated $'...' string", source, cur, open);
}

export function tokenizeBash(s: string, source: string): Word[] {
  const out: Word[] = [];
  const w = new WordBuilder(source);
  const cur = new Cursor(s);
  const begin = (at: number) => {
    if (!w.started) {
      const p = cur.move(at);
      w.start(p.line, p.column);
    }
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      w.take(out);
      i++;
      continue;
    }
    if (c === '|' || c === ';' || c === '&') break;
    if (c === '#' && !w.started) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const n1 = s[i + 1];
      if (n1 === '\n') {
        i += 2;
        continue;
      }
      if (n1 === '\r' && s[i + 2] === '\n') {
        i += 3;
        continue;
      }
      begin(i);
      if (n1 !== undefined) w.text(n1);
      i += 2;
      continue;
    }
    if (c === "'") {
      begin(i);
      const end = s.indexOf("'", i + 1);
      if (end < 0) fail("unterminated '...' string", source, cur, i);
      w.text(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '$' && s[i + 1] === "'") {
      begin(i);
      i = ansiC(s, i + 2, w, source, cur);
      continue;
    }
    if (c === '"' || (c === '$' && s[i + 1] === '"')) {
      begin(i);
      const open = i;
      i += c === '$' ? 2 : 1;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\') {
          const e = s[i + 1];
          if (e === '\n') {
            i += 2;
            continue;
          }
          if (e === '$' || e === '`' || e === '"' || e === '\\') {
            w.text(e);
            i += 2;
            continue;
          }
        }
        w.text(d);
        i++;
      }
      if (!closed) fail('unterminated "..." string', source, cur, open);
      continue;
    }
    begin(i);
    w.text(c);
    i++;
  }
  w.take(out);
  return out;
}

// ---------------------------------------------------------------------------
// cmd.exe, then the MS C runtime's argument rules

export function tokenizeCmd(s: string, source: string): Word[] {
  // Layer 1: cmd.exe removes carets (outside its own quotes) and line continuations.
  let line = '';
  // where each character of `line` came from (a typed array: a command may be tens of MB)
  const srcAt = new Int32Array(s.length + 1);
  let srcLen = 0;
  const srcIdx = { push: (v: number): void => void (srcAt[srcLen++] = v) };
  let inQ = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      inQ = !inQ;
      line += c;
      srcIdx.push(i);
      i++;
      continue;
    }
    if (!inQ && c === '^') {
      let j = i + 1;
      if (s[j] === '\r' && s[j + 1] === '\n') j += 2;
      else if (s[j] === '\n') j += 1;
      else {
        if (j < s.length) {
          line += s[j]!;
          srcIdx.push(j);
        }
        i = j + 1;
        continue;
      }
      // caret + line break: the break is removed and the next character taken literally
      if (j < s.length) {
        if (s[j] === '\r' && s[j + 1] === '\n') {
          line += '\n';
          srcIdx.push(j);
          j += 2;
        } else {
          line += s[j]!;
          srcIdx.push(j);
          j += 1;
        }
      }
      i = j;
      continue;
    }
    if (!inQ && (c === '|' || c === '&')) break;
    if (!inQ && (c === '\r' || c === '\n')) {
      line += ' ';
      srcIdx.push(i);
      i++;
      continue;
    }
    line += c;
    srcIdx.push(i);
    i++;
  }
  // Layer 2: CommandLineToArgv-style splitting.
  const out: Word[] = [];
  const w = new WordBuilder(source);
  const cur = new Cursor(s);
  const begin = (at: number) => {
    if (!w.started) {
      const p = cur.move(at < srcLen ? srcAt[at]! : s.length);
      w.start(p.line, p.column);
    }
  };
  let q = false;
  let k = 0;
  while (k < line.length) {
    const c = line[k]!;
    if (!q && (c === ' ' || c === '\t')) {
      w.take(out);
      k++;
      continue;
    }
    begin(k);
    if (c === '\\') {
      let n = 0;
      while (line[k + n] === '\\') n++;
      if (line[k + n] === '"') {
        w.text('\\'.repeat(n >> 1));
        if (n % 2 === 1) {
          w.text('"');
          k += n + 1;
        } else k += n; // the quote is handled next
      } else {
        w.text('\\'.repeat(n));
        k += n;
      }
      continue;
    }
    if (c === '"') {
      if (q && line[k + 1] === '"') {
        w.text('"');
        k += 2;
        continue;
      }
      q = !q;
      k++;
      continue;
    }
    w.text(c);
    k++;
  }
  w.take(out);
  return out;
}

// ---------------------------------------------------------------------------
// PowerShell

export function tokenizePowerShell(s: string, source: string): Word[] {
  const out: Word[] = [];
  const w = new WordBuilder(source);
  const cur = new Cursor(s);
  const begin = (at: number) => {
    if (!w.started) {
      const p = cur.move(at);
      w.start(p.line, p.column);
    }
  };
  const escapes: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      w.take(out);
      i++;
      continue;
    }
    if (c === '|' || c === ';') break;
    if (c === '#' && !w.started) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '`') {
      const n1 = s[i + 1];
      if (n1 === '\n') {
        i += 2;
        continue;
      }
      if (n1 === '\r' && s[i + 2] === '\n') {
        i += 3;
        continue;
      }
      begin(i);
      if (n1 !== undefined) w.text(n1);
      i += 2;
      continue;
    }
    if (c === "'" || c === '\u2018' || c === '\u2019') {
      begin(i);
      const open = i;
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === "'" || d === '\u2018' || d === '\u2019') {
          if (s[i + 1] === "'") {
            w.text("'");
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        w.text(d);
        i++;
      }
      if (!closed) fail("unterminated '...' string", source, cur, open);
      continue;
    }
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      begin(i);
      const open = i;
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '`') {
          const e = s[i + 1];
          if (e === undefined) break;
          if (e === 'u' && s[i + 2] === '{') {
            const end = s.indexOf('}', i + 3);
            const hex = end > 0 ? s.slice(i + 3, end) : '';
            if (/^[0-9a-fA-F]{1,6}$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
              w.text(String.fromCodePoint(parseInt(hex, 16)));
              i = end + 1;
              continue;
            }
          }
          w.text(escapes[e] ?? e);
          i += 2;
          continue;
        }
        if (d === '"' || d === '\u201c' || d === '\u201d') {
          if (s[i + 1] === '"') {
            w.text('"');
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        w.text(d);
        i++;
      }
      if (!closed) fail('unterminated "..." string', source, cur, open);
      continue;
    }
    begin(i);
    w.text(c);
    i++;
  }
  w.take(out);
  return out;
}

/** Which shell a copied command was written for. */
export function detectShell(s: string): Shell {
  const t = s.trimStart();
  if (/\^"/.test(s) || /\^\r?\n/.test(s)) return 'cmd';
  if (/^curl\.exe\b/i.test(t) || /`\r?\n/.test(s)) return 'powershell';
  return 'bash';
}

export function tokenize(s: string, source: string, shell: Shell = detectShell(s)): Word[] {
  if (shell === 'cmd') return tokenizeCmd(s, source);
  if (shell === 'powershell') return tokenizePowerShell(s, source);
  return tokenizeBash(s, source);
}
