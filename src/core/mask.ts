// Masking: access keys, signatures, tokens and derived keys keep a short prefix; secrets
// vanish entirely. Renderers pass every string they print through a Redactor.

import type { UploadRequest } from './types.js';

/** Field names (lower-cased) whose values are credentials or signatures. */
export const SENSITIVE_FIELDS = new Set([
  'q-ak',
  'q-signature',
  'x-cos-security-token',
  'ossaccesskeyid',
  'signature',
  'x-oss-signature',
  'x-oss-security-token',
  'x-oss-credential',
  'awsaccesskeyid',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-credential',
  'x-goog-signature',
  'x-goog-credential',
  'x-cos-server-side-encryption-customer-key',
  // Huawei OBS: its access key field (and a spelling some samples use), its token field
  // (AccessKeyId:signature:policy) and temporary-credential token
  'accesskeyid',
  'obsaccesskeyid',
  'token',
  'x-obs-security-token',
  // Volcengine TOS
  'x-tos-signature',
  'x-tos-credential',
  'x-tos-security-token',
]);

/** Header names (lower-cased) whose values are credentials. */
export const SENSITIVE_HEADERS = new Set(['authorization', 'x-amz-security-token', 'x-oss-security-token', 'x-cos-security-token', 'x-obs-security-token', 'x-tos-security-token', 'cookie']);

export function prefixLength(value: string): number {
  if (value.length >= 16) return 6;
  if (value.length >= 8) return 4;
  return Math.min(1, value.length);
}

/** "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q" -> "AKIDQj****". */
export function maskValue(value: string): string {
  if (value.length === 0) return value;
  return `${value.slice(0, prefixLength(value))}****`;
}

/** Credential scope "AKID/20240101/us-east-1/s3/aws4_request": only the key id is masked. */
export function maskCredential(value: string): string {
  const i = value.indexOf('/');
  if (i < 0) return maskValue(value);
  return maskValue(value.slice(0, i)) + value.slice(i);
}

/** Shapes of access key ids (COS, AWS, OSS, OSS STS, GCS HMAC, Volcengine): masked wherever they
 * appear. (Huawei's are 20 upper-case letters and digits, with no shape to tell them by.) */
export const KEY_ID_PATTERN = /\b(?:AKID[0-9A-Za-z]{12,}|(?:AKIA|ASIA|AROA)[0-9A-Z]{12,}|LTAI[0-9A-Za-z]{8,}|STS\.[0-9A-Za-z]{8,}|GOOG[0-9A-Z]{16,}|AKLT[0-9A-Za-z]{16,})\b/g;

/** Environment variables whose values are secrets, and those whose values are credentials. */
const SECRET_VAR = /SECRET|PASSW|PRIVATE_?KEY/i;
const CREDENTIAL_VAR = /TOKEN|CREDENTIAL|API_?KEY|ACCESS_?KEY|SESSION|SIGNATURE/i;

/** 'secret' for a variable named like a secret key or password, 'sensitive' for a token or key id. */
export function envVarKind(name: string): 'secret' | 'sensitive' | null {
  if (SECRET_VAR.test(name)) return 'secret';
  if (CREDENTIAL_VAR.test(name)) return 'sensitive';
  return null;
}

/**
 * Shortest secret masked by value. A shorter secret is never put in any output in the first
 * place; replacing every occurrence of a one- or two-character string would wreck the output
 * (and tell what the secret is).
 */
export const MIN_SECRET_LENGTH = 8;

export interface RedactorOptions {
  /** Also mask access-key-id shapes (KEY_ID_PATTERN) wherever they appear. Default true. */
  keyIds?: boolean;
  /** Also mask secrets by their shape (URLs, Authorization values, NAME=value): see maskText. Default false. */
  shapes?: boolean;
}

export class Redactor {
  /** value -> replacement, longest first when scrubbing. */
  private readonly map = new Map<string, string>();
  private sorted: string[] | null = null;
  private readonly keyIds: boolean;
  private readonly shapes: boolean;

  constructor(opts: RedactorOptions = {}) {
    this.keyIds = opts.keyIds !== false;
    this.shapes = opts.shapes === true;
  }

  private set(value: string, replacement: string): void {
    const old = this.map.get(value);
    // a secret's full mask wins over a prefix
    if (old === '****' && replacement !== '****') return;
    this.map.set(value, replacement);
    this.sorted = null;
  }

  /** A value that may appear in output only as a masked prefix. */
  addSensitive(value: string | null | undefined): this {
    if (!value || value.length < 4) return this;
    const v = value.trim();
    if (v.length < 4) return this;
    this.set(v, maskValue(v));
    return this;
  }

  /** A secret that must never appear, not even a prefix (only secrets of MIN_SECRET_LENGTH or more: see there). */
  addSecret(value: string | null | undefined): this {
    if (!value) return this;
    const v = value.trim();
    if (v.length < MIN_SECRET_LENGTH) return this;
    this.set(v, '****');
    if (v !== value) this.set(value, '****');
    return this;
  }

  /** Replace `value` by exactly `replacement` (e.g. a whole command-line argument). */
  addReplacement(value: string | null | undefined, replacement: string): this {
    if (!value || value.length < 4 || value === replacement) return this;
    this.set(value, replacement);
    return this;
  }

  /** The credentials a URL carries: a basic-auth password (secret) and sensitive query values. */
  addUrl(url: string | null | undefined): this {
    if (!url) return this;
    for (const c of urlCredentials(url)) {
      if (c.secret) this.addSecret(c.value);
      else this.addSensitive(c.value);
    }
    return this;
  }

  /**
   * Values of environment variables named like a secret (never shown) or a credential (a
   * prefix), e.g. for the stderr of a command run with that environment. `secretNames` are
   * variables known to hold secrets whatever their names.
   */
  addEnv(env: NodeJS.ProcessEnv, secretNames: Iterable<string> = []): this {
    const known = new Set(secretNames);
    for (const [name, value] of Object.entries(env)) {
      if (!value) continue;
      const kind = known.has(name) ? 'secret' : envVarKind(name);
      if (kind === 'secret') this.addSecret(value);
      else if (kind === 'sensitive' && value.length >= MIN_SECRET_LENGTH) this.addSensitive(value);
    }
    return this;
  }

  /** Collect the sensitive values of a request (fields, credential key ids, auth headers). */
  addRequest(req: UploadRequest): this {
    for (const part of req.parts) {
      if (part.kind !== 'field') continue;
      const name = part.name.toLowerCase();
      if (!SENSITIVE_FIELDS.has(name)) continue;
      if (name.endsWith('-credential')) {
        const ak = part.value.split('/')[0];
        this.addSensitive(ak);
      } else {
        this.addSensitive(part.value);
      }
    }
    for (const [name, value] of req.headers) {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) this.addHeaderValue(value);
    }
    this.addUrl(req.url);
    return this;
  }

  /** An Authorization-like header value: the whole value, and its credential without the scheme word. */
  addHeaderValue(value: string | null | undefined): this {
    if (!value) return this;
    this.addSensitive(value);
    const m = /^[ \t]*[A-Za-z][A-Za-z0-9-]{0,31}[ \t]+([^ \t].*)$/s.exec(value);
    if (m) this.addSensitive(m[1]!.trim());
    return this;
  }

  get size(): number {
    return this.map.size;
  }

  /** Replace every sensitive value in `text`. */
  scrub(text: string): string {
    if (!text) return text;
    let out = text;
    if (this.map.size > 0) {
      this.sorted ??= [...this.map.keys()].sort((a, b) => b.length - a.length);
      for (const k of this.sorted) {
        if (out.includes(k)) out = out.split(k).join(this.map.get(k) as string);
      }
    }
    if (this.shapes) out = maskText(out);
    // Key ids that reached the text some other way (a policy condition, a prefix, an echo).
    return this.keyIds ? out.replace(KEY_ID_PATTERN, (m) => maskValue(m)) : out;
  }

  /** Scrub every string inside a JSON-able value. */
  scrubDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(value) as T;
  }
}

// ---------------------------------------------------------------------------
// Credentials in URLs and free text (error messages, a signer's stderr, an HTTP error body).

/** Query (and fragment) parameters that are secrets: never shown, not even a prefix. */
const SECRET_PARAM = /secret|passw|^pwd$|private[-_.]?key/i;
/** Parameters whose values are credentials, signatures or tokens: a masked prefix only. */
const SENSITIVE_PARAM = /token|signature|^sig$|api[-_.]?key|access[-_.]?key[-_.]?id|accessid$|^authorization$|^auth$|^cookie$|^q-ak$|session[-_.]?id|credential$/i;
/** Names that mention a credential but hold a protocol word (x-oss-signature-version, q-sign-algorithm). */
const PROTOCOL_NAME = /(version|algorithm|method|type|date|time|expires|length|count|list)$/i;

type NameKind = 'secret' | 'sensitive' | 'credential';

/** How a parameter / field / element name's value must be masked, or null when it is not a credential. */
export function credentialNameKind(name: string): NameKind | null {
  if (name.length === 0 || name.length > 64) return null;
  const lower = name.toLowerCase();
  if (SECRET_PARAM.test(lower)) return 'secret';
  if (PROTOCOL_NAME.test(lower)) return null;
  if (lower.endsWith('credential')) return 'credential';
  if (SENSITIVE_FIELDS.has(lower) || SENSITIVE_PARAM.test(lower)) return 'sensitive';
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The key id of a credential scope, encoded ("AKID%2F2024...") or not. */
function keyIdOf(value: string): string {
  const slash = value.indexOf('/');
  const enc = value.toLowerCase().indexOf('%2f');
  const cut = [slash, enc].filter((i) => i >= 0);
  return cut.length ? value.slice(0, Math.min(...cut)) : value;
}

function maskedFor(kind: NameKind, value: string): string {
  if (value === '' || value.includes('****')) return value;
  if (kind === 'secret') return '****';
  if (kind === 'credential') {
    const id = keyIdOf(value);
    return maskValue(id) + value.slice(id.length);
  }
  return maskValue(value);
}

interface UrlPieces {
  /** "https://" or "" */
  scheme: string;
  /** userinfo including its "@", or "" */
  userinfo: string;
  /** host[:port] */
  host: string;
  /** path, then "?query" and "#fragment" */
  rest: string;
}

function urlPieces(url: string): UrlPieces | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^/?#]*)/.exec(url);
  if (!m) return null;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  return {
    scheme: m[1]!,
    userinfo: at >= 0 ? authority.slice(0, at + 1) : '',
    host: at >= 0 ? authority.slice(at + 1) : authority,
    rest: url.slice(m[0].length),
  };
}

/** Rewrite each name=value pair of a query string or fragment with `fn`. */
function mapParams(params: string, fn: (name: string, value: string) => string): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) return pair;
      return `${pair.slice(0, eq + 1)}${fn(pair.slice(0, eq), pair.slice(eq + 1))}`;
    })
    .join('&');
}

/** Split the path, query and fragment of a URL's rest. */
function restPieces(rest: string): { path: string; query: string | null; fragment: string | null } {
  const hash = rest.indexOf('#');
  const beforeHash = hash >= 0 ? rest.slice(0, hash) : rest;
  const fragment = hash >= 0 ? rest.slice(hash + 1) : null;
  const q = beforeHash.indexOf('?');
  return { path: q >= 0 ? beforeHash.slice(0, q) : beforeHash, query: q >= 0 ? beforeHash.slice(q + 1) : null, fragment };
}

/** The credentials a URL carries (a basic-auth password, sensitive query and fragment values), raw and decoded. */
export function urlCredentials(url: string): Array<{ value: string; secret: boolean }> {
  const out: Array<{ value: string; secret: boolean }> = [];
  const p = urlPieces(url);
  const rest = p ? p.rest : url;
  if (p?.userinfo) {
    const info = p.userinfo.slice(0, -1);
    const colon = info.indexOf(':');
    if (colon >= 0) {
      const pass = info.slice(colon + 1);
      out.push({ value: pass, secret: true }, { value: safeDecode(pass), secret: true });
    }
  }
  const r = restPieces(rest);
  for (const params of [r.query, r.fragment]) {
    if (params === null) continue;
    mapParams(params, (name, value) => {
      const kind = credentialNameKind(safeDecode(name));
      if (kind && value !== '') {
        const v = kind === 'credential' ? keyIdOf(value) : value;
        out.push({ value: v, secret: kind === 'secret' }, { value: safeDecode(v), secret: kind === 'secret' });
      }
      return value;
    });
  }
  return out;
}

/** A URL with its basic-auth password hidden and its credential parameters masked; the rest as given. */
export function maskUrl(url: string): string {
  const p = urlPieces(url);
  const rest = p ? p.rest : url;
  let head = '';
  if (p) {
    let info = p.userinfo;
    const colon = info.indexOf(':');
    if (colon >= 0) info = `${info.slice(0, colon)}:****@`;
    head = `${p.scheme}${info}${p.host}`;
  }
  const r = restPieces(rest);
  const fix = (params: string): string =>
    mapParams(params, (name, value) => {
      const kind = credentialNameKind(safeDecode(name));
      return kind ? maskedFor(kind, value) : value;
    });
  return `${head}${r.path}${r.query !== null ? `?${fix(r.query)}` : ''}${r.fragment !== null ? `#${fix(r.fragment)}` : ''}`;
}

const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s"'<>`]+/g;
/** Authorization schemes whose next word is the credential. */
const AUTH_SCHEME = /\b(?:[Bb]earer|Basic|Digest|Negotiate)([ \t]+)([^\s"'<>,;]+)/g;
/** "OSS <id>:<signature>", "AWS <id>:<signature>" (V1 / V2 Authorization values). */
const AUTH_PAIR = /\b(?:OSS|AWS|COS)([ \t]+)([A-Za-z0-9._~+/=-]{4,64}:[A-Za-z0-9._~+/=-]{4,})/g;
const XML_ELEMENT = /<([A-Za-z][\w.-]{0,63})>([^<]{1,8192})<\/\1>/g;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const VALUE_END = /[\s"'<>&,;)\]}]/;
const SCHEME_WORD = /^(?:[Bb]earer|Basic|Digest|Negotiate|Token|AWS|OSS|COS|[A-Z0-9]{2,8}-HMAC-SHA(?:1|256))$/;

/** PEM private keys: the whole block is removed. */
function maskPem(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', from);
    if (begin < 0) break;
    const headEnd = text.indexOf('-----', begin + 11);
    if (headEnd < 0) break;
    const label = text.slice(begin + 11, headEnd);
    if (!label.includes('PRIVATE KEY') || label.length > 40) {
      out += text.slice(from, headEnd + 5);
      from = headEnd + 5;
      continue;
    }
    const end = text.indexOf('-----END ', headEnd + 5);
    const endClose = end < 0 ? -1 : text.indexOf('-----', end + 9);
    const stop = endClose < 0 ? text.length : endClose + 5;
    out += `${text.slice(from, begin)}-----BEGIN ${label}----- **** -----END ${label}-----`;
    from = stop;
  }
  return out + text.slice(from);
}

/** name=value, name: value, "name": "value" with a credential name: the value masked. */
function maskNamedValues(text: string): string {
  const pieces: string[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '=' && c !== ':') {
      i++;
      continue;
    }
    // the name before the separator (an optional closing quote, optional blanks)
    let j = i - 1;
    while (j >= last && j > i - 8 && (text[j] === ' ' || text[j] === '\t')) j--;
    let quote = '';
    if (j >= last && (text[j] === '"' || text[j] === "'")) quote = text[j--]!;
    const nameEnd = j + 1;
    while (j >= last && nameEnd - j <= 64 && NAME_CHAR.test(text[j]!)) j--;
    const name = text.slice(j + 1, nameEnd);
    const quotedOk = quote === '' || text[j] === quote;
    // option names (--secret-env: ...) are words of a message, not credentials
    const kind = name !== '' && quotedOk && !name.startsWith('-') && !(j >= 0 && text[j] === '-') ? credentialNameKind(name) : null;
    if (!kind || (c === ':' && quote === '' && text[i + 1] !== ' ' && text[i + 1] !== '\t')) {
      i++;
      continue;
    }
    // the value after it
    let k = i + 1;
    while (k < text.length && k < i + 8 && (text[k] === ' ' || text[k] === '\t')) k++;
    let start: number;
    let end: number;
    const q2 = text[k];
    if (q2 === '"' || q2 === "'") {
      start = k + 1;
      end = text.indexOf(q2, start);
      if (end < 0) end = text.length;
    } else {
      if (quote !== '') {
        // "name": 123 is a number, not a credential (JSON values of credentials are strings)
        i++;
        continue;
      }
      start = k;
      end = k;
      while (end < text.length && !VALUE_END.test(text[end]!)) end++;
      // "Authorization: Bearer <token>": the credential is the word after the scheme
      if (SCHEME_WORD.test(text.slice(start, end)) && (text[end] === ' ' || text[end] === '\t')) {
        let s2 = end;
        while (s2 < text.length && (text[s2] === ' ' || text[s2] === '\t')) s2++;
        let e2 = s2;
        while (e2 < text.length && !VALUE_END.test(text[e2]!)) e2++;
        const word = text.slice(s2, e2);
        if (word.includes('=') && !word.endsWith('=')) {
          // "AWS4-HMAC-SHA256 Credential=...": its own name=value pairs follow
          i = end;
          continue;
        }
        start = s2;
        end = e2;
      }
    }
    const value = text.slice(start, end);
    const masked = maskedFor(kind, value);
    if (masked !== value) {
      pieces.push(text.slice(last, start), masked);
      last = end;
    }
    i = Math.max(end, i + 1);
  }
  pieces.push(text.slice(last));
  return pieces.join('');
}

/**
 * Mask credentials by their shape in free text: URLs (password, credential parameters),
 * Authorization values (Bearer / Basic / "OSS id:signature"), NAME=value / "name": "value"
 * pairs and XML elements whose name is a credential's (SecretAccessKey, X-Amz-Signature,
 * access_token...), PEM private keys. Linear in the text.
 */
export function maskText(text: string): string {
  if (!text) return text;
  let out = text.includes('-----BEGIN ') ? maskPem(text) : text;
  out = out.replace(URL_IN_TEXT, (u) => maskUrl(u));
  out = out.replace(AUTH_SCHEME, (_m, sp: string, cred: string) => `${_m.slice(0, _m.length - sp.length - cred.length)}${sp}${cred.includes('****') ? cred : maskValue(cred)}`);
  out = out.replace(AUTH_PAIR, (_m, sp: string, cred: string) => `${_m.slice(0, _m.length - sp.length - cred.length)}${sp}${maskValue(cred)}`);
  out = maskNamedValues(out);
  out = out.replace(XML_ELEMENT, (m, name: string, value: string) => {
    const kind = credentialNameKind(name);
    return kind ? `<${name}>${maskedFor(kind, value)}</${name}>` : m;
  });
  return out;
}

/** A command-line argument that may be printed whole: short, one line, not shaped like a key. */
export function isPlainArgument(s: string): boolean {
  if (s.length > 1024 || /[\u0000-\u001f\u007f]/.test(s)) return false;
  if (s.length >= 16 && /^[A-Za-z0-9+/=_-]+$/.test(s)) {
    const classes = Number(/[A-Z]/.test(s)) + Number(/[a-z]/.test(s)) + Number(/[0-9]/.test(s));
    if (classes === 3 || (classes === 2 && s.length >= 32)) return false;
  }
  return s.search(KEY_ID_PATTERN) < 0 && maskText(s) === s;
}

/**
 * An argument as messages show it: whole when plain (a path, a variable name), else a short
 * masked prefix and its length. An argument that may be a pasted secret or a whole capture is
 * never printed whole.
 */
export function shownArgument(s: string): string {
  if (isPlainArgument(s)) return s;
  const prefix = s.slice(0, Math.min(prefixLength(s), 4)).replace(/[\u0000-\u001f\u007f]/g, '?');
  return `${prefix}**** (${s.length} characters)`;
}

/** A URL as a message shows it: password and credential parameters masked; a value that is
 * not plainly a URL as shownArgument does. */
export function shownUrl(value: string): string {
  const m = maskUrl(value);
  return isPlainArgument(m) ? m : shownArgument(value);
}
