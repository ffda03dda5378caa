// DevTools "Copy as PowerShell": an optional `$session = New-Object …WebRequestSession` prelude
// (UserAgent, Cookies.Add(...)), then
//   Invoke-WebRequest -UseBasicParsing -Uri "URL" `
//   -Method "POST" `
//   -WebSession $session `
//   -Headers @{ "name"="value" … } `
//   -ContentType "multipart/form-data; boundary=…" `
//   -Body ([System.Text.Encoding]::UTF8.GetBytes("…"))
// Strings are PowerShell double-quoted strings: a backtick escapes ` $ ", and every character
// outside printable ASCII (CR and LF included) is written `$([char]N)` with N a UTF-16 code unit.
// The copy leaves out Content-Length and the bytes of a file part. Hand-written variants
// (single quotes, `r`n escapes, Invoke-RestMethod, iwr/irm, a positional URL) read the same.
import { InputError } from '../core/errors.js';
import type { UploadRequest } from '../core/types.js';
import { readCopiedBody } from './copied-body.js';
import { MAX_HEADERS, findHeader, getParam, lineCol, parseParamHeader } from './util.js';

const CMDLET = /(?:^|[\s;(|])(Invoke-WebRequest|Invoke-RestMethod|iwr|irm)(?=\s)/i;

/** True when the text is a PowerShell web request (DevTools "Copy as PowerShell" or alike). */
export function looksLikePowerShell(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/^\$session\s*=\s*New-Object\s+Microsoft\.PowerShell\.Commands\.WebRequestSession/i.test(head)) return true;
  return /^(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\s/i.test(head);
}

type Value = { kind: 'string'; value: string; at: number } | { kind: 'table'; entries: Array<[string, string]>; at: number } | { kind: 'word'; value: string; at: number };

class Scanner {
  i = 0;
  constructor(
    readonly s: string,
    readonly source: string,
  ) {}

  error(msg: string, at = this.i): InputError {
    return new InputError(msg, { source: this.source, ...lineCol(this.s, at) });
  }

  /** Skip spaces, tabs and line continuations (a backtick before a line break); `newlines` also skips line breaks. */
  skipSpace(newlines: boolean): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r' || c === ';'))) this.i++;
      else if (c === '`' && (s[this.i + 1] === '\n' || s[this.i + 1] === '\r')) {
        this.i += s[this.i + 1] === '\r' && s[this.i + 2] === '\n' ? 3 : 2;
      } else if (c === '#' && newlines) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  /** A double-quoted (expandable) string at s[i] === '"'. */
  doubleQuoted(): string {
    const s = this.s;
    const start = this.i;
    let out = '';
    let i = this.i + 1;
    for (;;) {
      if (i >= s.length) throw this.error('a "…" string is not closed', start);
      const c = s[i]!;
      if (c === '"') {
        if (s[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        this.i = i + 1;
        return out;
      }
      if (c === '`' && i + 1 < s.length) {
        const e = s[i + 1]!;
        if (e === 'u' && s[i + 2] === '{') {
          const close = s.indexOf('}', i + 3);
          const cp = close > 0 ? Number.parseInt(s.slice(i + 3, close), 16) : Number.NaN;
          if (Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            i = close + 1;
            continue;
          }
        }
        out += ESCAPES[e] ?? e;
        i += 2;
        continue;
      }
      if (c === '$' && s[i + 1] === '(') {
        const close = subexpressionEnd(s, i + 1);
        if (close < 0) throw this.error('a $( … ) in a string is not closed', i);
        const inner = s.slice(i + 2, close).trim();
        const ch = /^\[char\]\s*(0x[0-9a-f]{1,4}|\d{1,5})$/i.exec(inner);
        out += ch ? String.fromCharCode(Number(ch[1])) : s.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      out += c;
      i++;
    }
  }

  /** A single-quoted (verbatim) string at s[i] === "'". */
  singleQuoted(): string {
    const s = this.s;
    const start = this.i;
    let out = '';
    let i = this.i + 1;
    for (;;) {
      if (i >= s.length) throw this.error("a '…' string is not closed", start);
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        this.i = i + 1;
        return out;
      }
      out += s[i];
      i++;
    }
  }

  /** A bare word: up to whitespace or a delimiter. */
  word(): string {
    const s = this.s;
    const start = this.i;
    while (this.i < s.length && !/[\s;(){}=,]/.test(s[this.i]!)) this.i++;
    return s.slice(start, this.i);
  }

  /** A string or word as a scalar. */
  scalar(): string {
    const c = this.s[this.i];
    if (c === '"') return this.doubleQuoted();
    if (c === "'") return this.singleQuoted();
    return this.word();
  }

  /** `@{ key = value; "k"="v" … }` at s[i] === '@'. */
  table(): Array<[string, string]> {
    const start = this.i;
    this.i += 2;
    const out: Array<[string, string]> = [];
    for (;;) {
      this.skipSpace(true);
      if (this.i >= this.s.length) throw this.error('a @{ … } table is not closed', start);
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const at = this.i;
      const key = this.scalar();
      this.skipSpace(false);
      if (this.s[this.i] !== '=' || key === '') throw this.error('expected "name" = "value" in the @{ … } table', at);
      this.i++;
      this.skipSpace(false);
      out.push([key, this.scalar()]);
      if (out.length > MAX_HEADERS) throw this.error(`more than ${MAX_HEADERS} headers; post-doctor reads up to ${MAX_HEADERS}`, at);
    }
  }

  /** A parameter's value: string, table, `( … )` expression (the string inside UTF8.GetBytes(…)), or word. */
  value(): Value {
    const at = this.i;
    const c = this.s[this.i];
    if (c === '@' && this.s[this.i + 1] === '{') return { kind: 'table', entries: this.table(), at };
    if (c === '(') {
      const close = subexpressionEnd(this.s, this.i);
      if (close < 0) throw this.error('a ( … ) expression is not closed', at);
      const inner = this.s.slice(this.i + 1, close);
      const q = inner.search(/["']/);
      this.i = close + 1;
      if (q < 0) return { kind: 'word', value: inner.trim(), at };
      // ([System.Text.Encoding]::UTF8.GetBytes("…")) and alike: the string argument
      const sub = new Scanner(inner, this.source);
      sub.i = q;
      try {
        return { kind: 'string', value: sub.scalar(), at };
      } catch {
        throw this.error('a string inside ( … ) is not closed', at + 1 + q);
      }
    }
    if (c === '"' || c === "'") return { kind: 'string', value: this.scalar(), at };
    return { kind: 'word', value: this.word(), at };
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };

/** Index of the ')' closing the '(' at s[open], skipping quoted strings; -1 when unclosed. */
function subexpressionEnd(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === '`') j++;
    else if (c === '"' || c === "'") {
      // skip a string ('' / "" doubled quotes stay inside)
      for (j++; j < s.length; j++) {
        if (c === '"' && s[j] === '`') j++;
        else if (s[j] === c) {
          if (s[j + 1] === c) j++;
          else break;
        }
      }
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

/** `$session.UserAgent = "…"` and `$session.Cookies.Add((New-Object System.Net.Cookie("n", "v", …)))` of the prelude. */
function readSession(text: string, end: number, source: string): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const cookies: string[] = [];
  const prelude = text.slice(0, end);
  const ua = /\$session\.UserAgent\s*=\s*(?=["'])/i.exec(prelude);
  if (ua) {
    const sc = new Scanner(prelude, source);
    sc.i = ua.index + ua[0].length;
    headers.push(['User-Agent', sc.scalar()]);
  }
  const re = /System\.Net\.Cookie\(\s*/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(prelude)) !== null) {
    const sc = new Scanner(prelude, source);
    sc.i = m.index + m[0].length;
    const name = sc.scalar();
    sc.skipSpace(false);
    if (prelude[sc.i] !== ',') continue;
    sc.i++;
    sc.skipSpace(false);
    cookies.push(`${name}=${sc.scalar()}`);
    re.lastIndex = sc.i;
  }
  if (cookies.length) headers.push(['Cookie', cookies.join('; ')]);
  return headers;
}

/** A "Copy as PowerShell" text -> UploadRequest. */
export async function parsePowerShell(text: string, source: string): Promise<UploadRequest> {
  const m = CMDLET.exec(text);
  if (!m) throw new InputError('no Invoke-WebRequest command found', { source, line: 1 });
  const cmdAt = m.index + m[0].length - m[1]!.length;
  const sc = new Scanner(text, source);
  sc.i = cmdAt + m[1]!.length;
  const params = new Map<string, Value>();
  let positional: Value | null = null;
  for (;;) {
    sc.skipSpace(false);
    const c = text[sc.i];
    if (c === undefined || c === '\n' || c === '\r' || c === ';' || c === '|') break;
    if (c === '-' && /[A-Za-z]/.test(text[sc.i + 1] ?? '')) {
      const at = sc.i;
      sc.i++;
      const name = sc.word().toLowerCase().replace(/:$/, '');
      sc.skipSpace(false);
      const next = text[sc.i];
      // a switch (-UseBasicParsing) is followed by the next parameter or the end of the command
      if (next === undefined || next === '\n' || next === '\r' || next === ';' || (next === '-' && /[A-Za-z]/.test(text[sc.i + 1] ?? ''))) {
        params.set(name, { kind: 'word', value: '', at });
        continue;
      }
      params.set(name, sc.value());
      continue;
    }
    const v = sc.value();
    if (sc.i === v.at) throw sc.error(`unexpected ${JSON.stringify(text[sc.i])} in the ${m[1]} command`);
    positional ??= v;
  }
  const str = (name: string): string | undefined => {
    const v = params.get(name);
    return v && v.kind !== 'table' ? v.value : undefined;
  };
  const url = str('uri') ?? (positional && positional.kind !== 'table' ? positional.value : undefined);
  if (url === undefined || url === '') throw new InputError(`the ${m[1]} command has no -Uri`, { source, ...lineCol(text, cmdAt) });
  const headers: Array<[string, string]> = [];
  const table = params.get('headers');
  if (table?.kind === 'table') headers.push(...table.entries);
  if (params.has('websession')) {
    for (const [k, v] of readSession(text, cmdAt, source)) if (findHeader(headers, k) === undefined) headers.push([k, v]);
  }
  const userAgent = str('useragent');
  if (userAgent !== undefined && findHeader(headers, 'user-agent') === undefined) headers.push(['User-Agent', userAgent]);
  const ct = str('contenttype');
  if (ct !== undefined && findHeader(headers, 'content-type') === undefined) headers.push(['Content-Type', ct]);
  if (headers.length > MAX_HEADERS) throw new InputError(`the request has ${headers.length} headers, more than post-doctor reads (${MAX_HEADERS})`, { source, field: 'headers' });
  const method = (str('method') ?? (params.has('body') ? 'POST' : 'GET')).toUpperCase();
  const req: UploadRequest = { method, url, headers, parts: [], boundary: null, bodyProblems: [], notes: [] };
  const contentType = findHeader(headers, 'content-type') ?? null;
  if (contentType === null || parseParamHeader(contentType).type !== 'multipart/form-data') {
    throw new InputError(`the ${m[1]} command does not send a multipart/form-data body (no such -ContentType)`, { source, ...lineCol(text, cmdAt) });
  }
  const body = params.get('body');
  if (body?.kind !== 'string' || body.value === '') {
    throw new InputError(`the ${m[1]} command has no -Body string: no request body; use DevTools "Copy as cURL", export a HAR "with content", or post the form to post-doctor serve`, {
      source,
      ...lineCol(text, body?.at ?? cmdAt),
    });
  }
  await readCopiedBody(req, body.value, contentType);
  if (req.boundary === null) req.boundary = getParam(parseParamHeader(contentType), 'boundary') ?? null;
  return req;
}
