// Matching an answer's message against knowledge-base entries. Regexes are compiled lazily,
// once per entry and variant, so that loading the module costs nothing.

import type { KbEntry } from '../core/catalogue.js';
import { decodeEntities, normaliseSpace, squash, straightenQuotes } from './text.js';
import { trimTrailing } from './extract.js';

export interface Matcher {
  /** Named captures of a match (empty when the matcher has none), or null. */
  exec(subject: string): Record<string, string> | null;
  /** What the matcher runs: the pattern's regex source, or the template. */
  source: string;
  /** Length of the literal (non-variable) part: longer = more specific. */
  literal: number;
}

/**
 * Longest text a knowledge-base pattern is run on. Server messages are a sentence or two; a
 * longer subject is cut here, so that no pattern ever sees more than this (part of explain's
 * hard budget per input).
 */
export const MAX_SUBJECT = 4096;

/** 0: message as given; 1: curly quotes straightened; 2: all whitespace removed (PDF text). */
export type Variant = 0 | 1 | 2;

const PLACEHOLDER = /\{([A-Za-z_][\w.-]*)(?:\|[a-z]+)?\}/g;

/** Number of literal characters in a regex source (escapes count once, classes and syntax not at all). */
export function literalLength(src: string): number {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1];
      i++;
      if (d !== undefined && !'dDwWsSbBpPuxck0123456789'.includes(d)) n++;
      else if (d === 'p' || d === 'P' || d === 'u' || d === 'x' || d === 'k') {
        // \p{..}, \u{..}/\uXXXX, \xXX, \k<name>: skip their argument
        const rest = src.slice(i + 1);
        const arg = /^(\{[^}]*\}|<[^>]*>|[0-9a-fA-F]{2,4})/.exec(rest);
        if (arg) i += arg[0].length;
      }
      continue;
    }
    if (c === '[') {
      // skip a character class
      i++;
      while (i < src.length && src[i] !== ']') {
        if (src[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') {
      const g = /^\(\?(?:<[A-Za-z_]\w*>|[:=!]|<[=!])/.exec(src.slice(i));
      if (g) i += g[0].length - 1;
      continue;
    }
    if (c === '{') {
      const q = /^\{\d{0,9}(?:,\d{0,9})?\}/.exec(src.slice(i));
      if (q) {
        i += q[0].length - 1;
        continue;
      }
    }
    if (')|^$.*+?'.includes(c)) continue;
    n++;
  }
  return n;
}

/** The pattern with literal spaces and \s tokens removed (outside character classes). */
export function squashPattern(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      if (!inClass && d === 's') {
        i++;
        i = skipQuantifier(src, i);
        continue;
      }
      out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === ' ') {
      i = skipQuantifier(src, i);
      continue;
    }
    out += c;
  }
  return out;
}

function skipQuantifier(src: string, i: number): number {
  const next = src[i + 1];
  if (next === '+' || next === '*' || next === '?') {
    i++;
    if (src[i + 1] === '?') i++;
    return i;
  }
  if (next === '{') {
    const q = /^\{\d{0,9}(?:,\d{0,9})?\}/.exec(src.slice(i + 1));
    if (q) return i + q[0].length;
  }
  return i;
}

/**
 * The longest run of literal text every match of a regex source must contain (lower-cased),
 * or '' when none can be told safely. Used to skip compiling entries that cannot match.
 */
export function requiredLiteral(src: string): string {
  let best = '';
  let run = '';
  let depth = 0;
  const end = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const next = src[i + 1];
    const optionalNext = next === '?' || next === '*' || (next === '{' && /^\{0?,/.test(src.slice(i + 1)));
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      i++;
      const after = src[i + 1];
      const optional = after === '?' || after === '*' || after === '{';
      if (depth > 0 || /[A-Za-z0-9]/.test(d) || optional) {
        end();
        if (/[pPuxk]/.test(d)) {
          const arg = /^(\{[^}]*\}|<[^>]*>|[0-9a-fA-F]{2,4})/.exec(src.slice(i + 1));
          if (arg) i += arg[0].length;
        }
        continue;
      }
      run += d.toLowerCase();
      continue;
    }
    if (c === '[') {
      end();
      i++;
      while (i < src.length && src[i] !== ']') {
        if (src[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') {
      end();
      depth++;
      continue;
    }
    if (c === ')') {
      end();
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (c === '|') {
      if (depth === 0) return '';
      end();
      continue;
    }
    if ('^$.*+?{}'.includes(c)) {
      end();
      continue;
    }
    if (depth > 0 || optionalNext) {
      end();
      continue;
    }
    run += c.toLowerCase();
  }
  end();
  return best;
}

/** The longest literal segment of a message template (lower-cased, entities decoded). */
export function templateLiteral(template: string): string {
  const tpl = normaliseSpace(decodeEntities(template)).replace(/\.$/, '');
  let best = '';
  for (const seg of tpl.split(PLACEHOLDER_SPLIT)) if (seg.length > best.length) best = seg;
  return best.toLowerCase();
}

const PLACEHOLDER_SPLIT = /\{[A-Za-z_][\w.-]*(?:\|[a-z]+)?\}/;

const anchors = new Map<string, string>();

/** The literal text an entry's message must contain for its matcher to have a chance. */
export function entryAnchor(e: KbEntry): string {
  let a = anchors.get(e.id);
  if (a === undefined && typeof (e as KbEntry & { anchor?: string }).anchor === 'string') {
    // computed at build time (scripts/build.mjs) with this same function
    a = (e as KbEntry & { anchor?: string }).anchor as string;
    anchors.set(e.id, a);
  }
  if (a === undefined) {
    a = e.pattern ? requiredLiteral(e.pattern) : e.message ? templateLiteral(e.message) : '';
    // the u+i flags fold some characters ASCII lower-casing does not: keep anchors plain ASCII
    if (/[^\x20-\x7e]/.test(a)) a = '';
    anchors.set(e.id, a);
  }
  return a;
}

/**
 * For an entry without an anchor, literals one of which every message its pattern matches must
 * contain (lower-cased), computed at build time (scripts/build.mjs, anchorChoice); null when
 * there are none. They spare compiling the pattern (a large one costs milliseconds) for a
 * message that contains none of them.
 */
function entryAnchorAny(e: KbEntry): readonly string[] | null {
  const any = (e as KbEntry & { anchorAny?: string[] }).anchorAny;
  return any !== undefined && any.length > 0 ? any : null;
}

const cache = new Map<string, Matcher | null>();

function compile(key: string, src: string, literalSrc: string): Matcher | null {
  if (cache.has(key)) return cache.get(key)!;
  let m: Matcher | null = null;
  try {
    const re = new RegExp(src, 'iu');
    m = {
      exec(subject: string) {
        const r = re.exec(subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject);
        if (!r) return null;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.groups ?? {})) if (v !== undefined) out[k] = v;
        return out;
      },
      source: src,
      literal: literalLength(literalSrc),
    };
  } catch {
    m = null;
  }
  cache.set(key, m);
  return m;
}

/** Lower-case one UTF-16 unit at a time, keeping lengths (so offsets agree with the original). */
function foldCase(s: string): string {
  const low = s.toLowerCase();
  if (low.length === s.length) return low;
  let out = '';
  for (const c of s) {
    const l = c.toLowerCase();
    out += l.length === c.length ? l : c;
  }
  return out;
}

interface TemplatePart {
  lit: string;
  /** Name of the capture that follows this literal (null: a wildcard without a name; undefined: none). */
  capture?: string | null;
}

/**
 * Parse a message template into literals and the placeholders between them. Whitespace in
 * literals is one space (or none when `squashed`); the final period is dropped (it is optional).
 */
function templateParts(template: string, squashed: boolean): TemplatePart[] {
  let tpl = normaliseSpace(decodeEntities(template));
  if (squashed) tpl = squash(tpl);
  if (tpl.endsWith('.')) tpl = tpl.slice(0, -1);
  const parts: TemplatePart[] = [];
  const seen = new Set<string>();
  let last = 0;
  for (const m of tpl.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    const named = /^[A-Za-z_]\w*$/.test(name) && !seen.has(name);
    if (named) seen.add(name);
    parts.push({ lit: tpl.slice(last, m.index), capture: named ? name : null });
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push({ lit: tpl.slice(last) });
  return parts;
}

/**
 * Match a subject against template parts the way `^lit0(.*?)lit1(.*?)...litN\.?$` would,
 * case-insensitively, in linear time: the first literal is a prefix, the last a suffix (before an
 * optional final period), and every literal between is taken at its leftmost place after the
 * previous one (leftmost is always a valid choice when any is, so nothing is ever retried).
 */
function matchParts(parts: TemplatePart[], subject: string): Record<string, string> | null {
  const text = foldCase(subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject);
  const tries = text.endsWith('.') ? [text.length - 1, text.length] : [text.length];
  for (const end of tries) {
    const r = matchPartsTo(parts, text, subject, end);
    if (r) return r;
  }
  return null;
}

function matchPartsTo(parts: TemplatePart[], text: string, original: string, end: number): Record<string, string> | null {
  const first = parts[0]!.lit.toLowerCase();
  if (!text.startsWith(first) || first.length > end) return null;
  if (parts.length === 1) return end === first.length ? {} : null;
  const lastLit = parts[parts.length - 1]!.lit.toLowerCase();
  const lastStart = end - lastLit.length;
  if (lastStart < first.length || text.slice(lastStart, end) !== lastLit) return null;
  const out: Record<string, string> = {};
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const lit = parts[i]!.lit.toLowerCase();
    const at = text.indexOf(lit, pos);
    if (at < 0 || at + lit.length > lastStart) return null;
    const name = parts[i - 1]!.capture;
    if (name) out[name] = original.slice(pos, at);
    pos = at + lit.length;
  }
  const name = parts[parts.length - 2]!.capture;
  if (name) out[name] = original.slice(pos, lastStart);
  return out;
}

function compileTemplate(key: string, template: string, squashed: boolean): Matcher {
  const hit = cache.get(key);
  if (hit) return hit;
  const parts = templateParts(template, squashed);
  const m: Matcher = {
    exec: (subject) => matchParts(parts, subject),
    source: template,
    literal: parts.reduce((n, p) => n + p.lit.length, 0),
  };
  cache.set(key, m);
  return m;
}

/** The matcher of an entry for a variant: its `pattern`, else its `message` template; null when it has neither. */
export function entryMatcher(e: KbEntry, variant: Variant): Matcher | null {
  if (e.pattern) {
    if (variant === 2) {
      // prefer the verbatim template when there is one: squashing it is exact
      if (e.message) {
        const m = compileTemplate(`${e.id}#2m`, e.message, true);
        return { ...m, literal: literalLength(e.pattern) };
      }
      return compile(`${e.id}#2`, squashPattern(e.pattern), e.pattern);
    }
    return compile(`${e.id}#0`, e.pattern, e.pattern);
  }
  if (e.message) return compileTemplate(`${e.id}#m${variant === 2 ? 2 : 0}`, e.message, variant === 2);
  return null;
}

export interface MessageHit {
  entry: KbEntry;
  captures: Record<string, string>;
  literal: number;
  variant: Variant;
  /** Which text matched: the message, or a detail element (GCS <Details>, S3 <Condition>). */
  subject: 'message' | 'detail';
}

/**
 * Every entry whose pattern (or message template) matches the message or a detail text.
 * The readings are tried in order (as given, curly quotes straightened, whitespace removed);
 * the first reading that matches any entry wins, unless `allReadings` (input known to be
 * mangled): then every entry keeps its cleanest matching reading.
 */
export function messageHits(entries: readonly KbEntry[], message: string | null, details: string[], allReadings = false): MessageHit[] {
  const subjects: Array<{ text: string; subject: 'message' | 'detail' }> = [];
  if (message) subjects.push({ text: message, subject: 'message' });
  for (const d of details) if (d && d !== message) subjects.push({ text: d, subject: 'detail' });
  if (message && details.length) subjects.push({ text: `${message} ${details.join(' ')}`, subject: 'detail' });
  if (!subjects.length) return [];
  const readings: Array<[Variant, Array<{ text: string; lower: string; subject: 'message' | 'detail' }>]> = [];
  const plain = subjects.map((s) => ({ ...s, lower: s.text.toLowerCase() }));
  readings.push([0, plain]);
  const straight = subjects.map((s) => ({ subject: s.subject, text: straightenQuotes(s.text) }));
  if (straight.some((s, i) => s.text !== subjects[i]!.text)) readings.push([1, straight.map((s) => ({ ...s, lower: s.text.toLowerCase() }))]);
  readings.push([2, straight.map((s) => ({ subject: s.subject, text: squash(s.text), lower: squash(s.text).toLowerCase() }))]);

  const all: MessageHit[] = [];
  const seen = new Set<string>();
  for (const [variant, texts] of readings) {
    const hits: MessageHit[] = [];
    for (const e of entries) {
      if (!e.pattern && !e.message) continue;
      if (seen.has(e.id)) continue;
      let anchor = entryAnchor(e);
      if (variant === 2) anchor = e.pattern && e.message ? squash(templateLiteral(e.message)) : squash(anchor);
      // the pattern itself (as given or with quotes straightened): one of these must occur
      const any = anchor === '' && variant !== 2 ? entryAnchorAny(e) : null;
      let hit: MessageHit | null = null;
      for (const s of texts) {
        if (anchor && !s.lower.includes(anchor)) continue;
        if (any && !any.some((a) => s.lower.includes(a))) continue;
        const m = entryMatcher(e, variant === 1 ? 0 : variant);
        if (!m) break;
        const r = m.exec(s.text);
        if (!r) continue;
        const captures: Record<string, string> = {};
        for (const [k, v] of Object.entries(r)) captures[k] = v.trim();
        hit = { entry: e, captures, literal: m.literal, variant, subject: s.subject };
        break;
      }
      if (hit) hits.push(hit);
    }
    if (!allReadings && hits.length) return hits;
    for (const h of hits) {
      seen.add(h.entry.id);
      all.push(h);
    }
  }
  return all;
}

/** The literal text a regex source must begin with (after `^`), lower-cased; '' when none. */
export function leadingLiteral(src: string): string {
  if (!src.startsWith('^')) return '';
  let out = '';
  for (let i = 1; i < src.length; i++) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      if (/[A-Za-z0-9]/.test(d)) break;
      const after = src[i + 2];
      if (after === '?' || after === '*' || after === '{') break;
      out += d;
      i++;
      continue;
    }
    if ('()[]{}|.*+?$^'.includes(c)) break;
    if (next === '?' || next === '*' || next === '{') break;
    out += c;
  }
  return out.toLowerCase();
}

const leads = new Map<string, string>();

function entryLead(e: KbEntry): string {
  let l = leads.get(e.id);
  if (l === undefined) {
    l = e.pattern ? leadingLiteral(e.pattern) : e.message ? templateParts(e.message, false)[0]!.lit.toLowerCase() : '';
    if (/[^\x20-\x7e]/.test(l)) l = '';
    leads.set(e.id, l);
  }
  return l;
}

/** AWS's prefix of POST policy messages, which pastes often leave out. */
const POLICY_PREFIX = 'invalid according to policy: ';

/** Where a message may end after `from`: the end of its line, a closing quote, bracket or tag. */
function endsAfter(text: string, from: number, lineEnd: number): number[] {
  const ends = new Set<number>([lineEnd, Math.min(from, lineEnd)]);
  for (const d of ['"', "'", '`', '<', ')', ']', '}', '\\', ' - ', '. ', ', ']) {
    const i = text.indexOf(d, from);
    if (i >= 0 && i < lineEnd) ends.add(d === '. ' ? i + 1 : i);
  }
  return [...ends].sort((x, y) => x - y).slice(0, 12);
}

/** Longest text the message-core search reads. */
const MAX_CORE_TEXT = 262_144;

export interface CoreHit extends MessageHit {
  /** The message as found inside the text. */
  text: string;
}

/**
 * Knowledge-base messages found anywhere inside a pasted text (prose, a log line, a stack
 * trace): for each entry whose anchor occurs, the message is read from where its leading
 * literal starts to the nearest end (a quote, a bracket, a tag, the end of the line) at which
 * the entry's matcher accepts it. The shortest such reading wins. Linear: each entry costs a
 * substring search and at most a few dozen bounded matcher runs.
 */
export function coreHits(entries: readonly KbEntry[], text: string): CoreHit[] {
  const t0 = text.length > MAX_CORE_TEXT ? text.slice(0, MAX_CORE_TEXT) : text;
  const t = straightenQuotes(t0).replace(/[\u00a0\u3000]/g, ' ');
  const lower = t.toLowerCase();
  const sameLength = lower.length === t.length;
  const out: CoreHit[] = [];
  for (const e of entries) {
    if (e.id.startsWith('generic.') || (!e.pattern && !e.message)) continue;
    const anchor = entryAnchor(e);
    // a one-word anchor (a code written as the message) is no message found in prose
    if (!anchor || anchor.length < 8 || !anchor.includes(' ') || !sameLength || !lower.includes(anchor)) continue;
    const m = entryMatcher(e, 0);
    if (!m) continue;
    let lead = entryLead(e);
    let prefix = '';
    const starts: number[] = [];
    if (lead && !lower.includes(lead) && lead.startsWith(POLICY_PREFIX) && lead.length > POLICY_PREFIX.length) {
      lead = lead.slice(POLICY_PREFIX.length);
      prefix = 'Invalid according to Policy: ';
    }
    if (lead) {
      let from = 0;
      while (starts.length < 4) {
        const i = lower.indexOf(lead, from);
        if (i < 0) break;
        starts.push(i);
        from = i + 1;
      }
    } else {
      const i = lower.indexOf(anchor);
      starts.push(t.lastIndexOf('\n', i) + 1);
    }
    let hit: CoreHit | null = null;
    for (const s of starts) {
      const nl = t.indexOf('\n', s);
      const lineEnd = nl < 0 ? t.length : nl;
      const anchorAt = lower.indexOf(anchor, s);
      const minEnd = anchorAt >= 0 && anchorAt < lineEnd ? anchorAt + anchor.length : s + lead.length;
      for (const end of endsAfter(t, minEnd, lineEnd)) {
        const subject = prefix + trimTrailing(normaliseSpace(decodeEntities(t.slice(s, end))), ' ,;:');
        if (subject.length < 3) continue;
        const r = m.exec(subject);
        if (!r) continue;
        const captures: Record<string, string> = {};
        for (const [k, v] of Object.entries(r)) captures[k] = v.trim();
        hit = { entry: e, captures, literal: m.literal, variant: 0, subject: 'message', text: subject };
        break;
      }
      if (hit) break;
    }
    if (hit) out.push(hit);
  }
  return out;
}
