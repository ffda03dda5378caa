// The explain engine: parse an error answer, detect the provider, find the knowledge-base
// entries that explain it (most specific first) and read the facts it carries.
// Pure: no printing, no exiting. Words come from rules/ (KB text in the chosen language).

import { kbEntries, kbText, type KbEntry } from '../core/catalogue.js';
import { placeholders, fill } from '../core/template.js';
import { PROVIDER_IDS, type Lang, type ProviderId, type ServerFlavour } from '../core/types.js';
import type { ErrorAnswer } from '../providers/types.js';
import { detectProvider, storageHost } from './detect.js';
import { answerReaders } from '../providers/answers-registry.js';
import { smallestFix } from '../cors/fix.js';
import { defaultReadHeaders } from '../cors/fetch.js';
import { deriveFacts, type FactMap } from './facts.js';
import { coreHits, messageHits, type MessageHit, type Variant } from './match.js';
import { hostRegion, type TextHints } from './extract.js';
import { parseInput, type InputKind } from './parse.js';
import { elementValue, toIsoTime } from '../providers/answer.js';

export { parseInput } from './parse.js';
export { detectProvider } from './detect.js';
export { deriveFacts, parseCondition } from './facts.js';

export const EXPLAIN_SCHEMA = 'post-doctor/explain@1';

export interface ExplainOptions {
  /** Use this provider instead of detecting it. */
  provider?: ProviderId;
  /** "Now" for clock comparisons (default: the current time). */
  now?: Date;
  /** Language of titles, causes and steps (default en). */
  lang?: Lang;
  /** Name of the input, for error locations ("stdin", a path). */
  source?: string;
  /** Knowledge base to use (default: the compiled rules/kb). For tests and embedders. */
  kb?: readonly KbEntry[];
}

/** How an entry came to match. */
export type MatchKind = 'ec' | 'message' | 'code' | 'generic';

export interface ExplainMatch {
  rule: string;
  title: string;
  cause: string;
  steps: string[];
  docs: string[];
  facts: FactMap;
  /** The entry's facts sentence filled with the facts; null when it has none or facts are missing. */
  facts_text: string | null;
  via: MatchKind;
  generic: boolean;
  providers: ProviderId[];
  server?: ServerFlavour;
  status: number | null;
  code: string | null;
  /** The message was matched only after removing whitespace (text copied from a PDF). */
  lenient?: boolean;
  source: string;
}

export interface ExplainError {
  status: number | null;
  code: string | null;
  message: string | null;
  requestId: string | null;
  ec: string | null;
  hostId: string | null;
}

export interface ExplainResult {
  schema: typeof EXPLAIN_SCHEMA;
  provider: ProviderId | 'unknown';
  /** S3 family: the server flavour, when known. */
  server?: ServerFlavour;
  recognised: boolean;
  /**
   * The providers this answer may come from, most likely first: just the provider when it is
   * known; when it is not (`provider: "unknown"`), every provider whose documented errors fit.
   */
  candidates: ProviderId[];
  lang: Lang;
  input: {
    kind: InputKind;
    tolerant: boolean;
    /** The printout recognised around the error (botocore, aws-java, object, console-cors-chrome, ...). */
    shape?: string;
    /** Only the first MAX_INPUT_CHARS characters were read. */
    truncated?: boolean;
  };
  error: ExplainError;
  /** Facts of the answer itself (provider elements, server clock), independent of any match. */
  facts: FactMap;
  /** The server's clock read from the Date header, when present. */
  clock: { serverTime: string; localTime: string; skewSeconds: number } | null;
  detection: { forced: boolean; scores: Record<ProviderId, number> };
  /** Most specific first. */
  matches: ExplainMatch[];
  /**
   * Plain statements the answer supports beyond its entry (an interface-word id and its facts):
   * the signer's clock against the server's, a bucket name never filled in, a condition no
   * browser form can satisfy.
   */
  notes: ExplainNote[];
  /**
   * A console CORS line against a bucket of a known provider: the smallest CORS rule that lets the
   * page's origin through, in the provider's own format (the bucket's other rules are not known).
   */
  corsFix?: { provider: ProviderId; origin: string; text: string; applyWith: string };
}

export interface ExplainNote {
  id: 'explain.note.clock-ahead' | 'explain.note.clock-behind' | 'explain.note.clock-unset' | 'explain.note.bucket-unset' | 'explain.note.impossible-condition';
  facts: Record<string, string | number>;
}

/** Fields a browser form cannot send (the browser sets them, or they are no form fields). */
const UNSENDABLE = new Set(['content-length', 'host', 'content-type-boundary', 'transfer-encoding', 'connection']);

function notesFor(a: ErrorAnswer, facts: FactMap, top: ExplainMatch | undefined, hintsText: string): ExplainNote[] {
  const notes: ExplainNote[] = [];
  const rt = elementValue(a, 'RequestTime');
  const st = elementValue(a, 'ServerTime');
  const reqIso = rt ? toIsoTime(/^\d{8}T\d{6}Z$/.test(rt.trim()) ? rt.trim().replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z') : rt) : null;
  const srvIso = st ? toIsoTime(st) : null;
  if (reqIso?.startsWith('1970')) notes.push({ id: 'explain.note.clock-unset', facts: { requestTime: reqIso } });
  else if (reqIso && srvIso) {
    const skew = Math.round((Date.parse(reqIso) - Date.parse(srvIso)) / 1000);
    if (Math.abs(skew) > 1) notes.push({ id: skew > 0 ? 'explain.note.clock-ahead' : 'explain.note.clock-behind', facts: { skew: Math.abs(skew), requestTime: reqIso, serverTime: srvIso } });
  }
  const bucketish = [typeof facts.bucket === 'string' ? facts.bucket : null, elementValue(a, 'BucketName'), elementValue(a, 'Bucket')];
  const resource = elementValue(a, 'Resource');
  if (resource) bucketish.push(resource.replace(/^\//, '').split('/')[0] ?? null);
  const hostBucket = /https?:\/\/(undefined|null)\.(?:s3|oss-|cos\.|storage\.)/i.exec(hintsText.slice(0, 262_144));
  if (hostBucket) bucketish.push(hostBucket[1]!);
  const pathBucket = /https?:\/\/[^/\s]{1,200}\/(undefined|null)(?=[/?\s'"]|$)/.exec(hintsText.slice(0, 262_144));
  if (pathBucket) bucketish.push(pathBucket[1]!);
  const unset = bucketish.find((b) => b === 'undefined' || b === 'null' || (b !== null && /^\$\{[^}]{1,60}\}$|^\{\{[^}]{1,60}\}\}$/.test(b)));
  if (unset) notes.push({ id: 'explain.note.bucket-unset', facts: { bucket: unset } });
  const field = top && typeof top.facts.field === 'string' ? top.facts.field.replace(/^\$/, '') : null;
  if (field && UNSENDABLE.has(field.toLowerCase())) notes.push({ id: 'explain.note.impossible-condition', facts: { field } });
  return notes;
}

interface Candidate {
  entry: KbEntry;
  score: number;
  via: MatchKind;
  captures: Record<string, string>;
  variant: Variant;
}

let codeSet: Map<string, string> | null = null;
let codeSetFor: readonly KbEntry[] | null = null;

function knownCodes(kb: readonly KbEntry[]): Map<string, string> {
  if (codeSet && codeSetFor === kb) return codeSet;
  const m = new Map<string, string>();
  for (const e of kb) if (e.code) m.set(e.code.toLowerCase(), e.code);
  codeSet = m;
  codeSetFor = kb;
  return m;
}

function sameCode(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

function flavourScore(e: KbEntry, provider: ProviderId | 'unknown', server: ServerFlavour | null): number {
  // nothing known: one server's reading of a code after the general one
  if (provider === 'unknown') return e.server && e.server !== 'aws' ? -50 : 0;
  if (provider !== 's3' || !e.providers.includes('s3')) return 0;
  const entryServer = e.server ?? 'aws';
  // an unknown server: AWS's meaning first; a wording only RGW or MinIO uses made the server known
  if (server === null) return entryServer === 'aws' ? 0 : -1500;
  return entryServer === server ? 60 : -1500;
}

/** Provider order among equals when the provider is unknown: the S3 family's meaning first. */
const PREFERENCE: Readonly<Record<ProviderId, number>> = { s3: 0, oss: 1, cos: 2, gcs: 3, obs: 4, tos: 5 };

/** Wording that only a POST form upload gets (policy, form fields, the file part). */
function postOnlyWording(e: KbEntry): boolean {
  const w = `${e.message ?? ''} ${e.pattern ?? ''}`;
  return /polic|form|POST|field|condition|file|multipart|q-ak|q-sign|expiration|proposed upload/i.test(w);
}

/**
 * Whether the paste shows a request other than a POST form upload (a PUT, a presigned URL, an
 * SDK operation such as PutObject): then POST-specific advice must not lead.
 */
function notAPost(a: ErrorAnswer, hints: TextHints | undefined): boolean {
  const sts = Object.entries(a.elements).find(([k]) => k.toLowerCase() === 'stringtosign')?.[1];
  if (sts !== undefined) {
    const t = sts.trim();
    if (/^eyJ/.test(t)) return false; // a base64 policy: a POST form
    if (/^(?:AWS4-HMAC-SHA256|GOOG4-|PUT|GET|HEAD|DELETE)\b/.test(t)) return true;
  }
  if (!hints) return false;
  if (hints.operation && hints.operation !== 'PostObject') return true;
  if (hints.method && hints.method !== 'POST' && hints.method !== 'OPTIONS') return true;
  return false;
}

function rank(
  a: ErrorAnswer,
  pool: readonly KbEntry[],
  hits: MessageHit[],
  provider: ProviderId | 'unknown',
  server: ServerFlavour | null,
  wordAsMessage: boolean,
  allReadings: boolean,
  nonPost = false,
): Candidate[] {
  const out = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    const prev = out.get(c.entry.id);
    if (!prev || prev.score < c.score) out.set(c.entry.id, c);
  };
  const inPool = new Set(pool.map((e) => e.id));
  const poolHits = hits.filter((h) => inPool.has(h.entry.id));
  // only the cleanest reading of the message that matches anything in this pool
  const best = poolHits.length ? Math.min(...poolHits.map((h) => h.variant)) : 0;
  for (const h of poolHits) {
    if (!allReadings && h.variant !== best) continue;
    const e = h.entry;
    let score = e.generic ? 150 + Math.min(h.literal, 400) / 10 : 1000 + Math.min(h.literal, 400) - h.variant * 5;
    if (h.subject === 'detail' && !e.generic) score += 150;
    if (a.code && e.code) score += sameCode(a.code, e.code) ? 300 : wordAsMessage ? 0 : -400;
    // EC agreement breaks ties among wordings; an entry documented for other EC codes is unlikely
    if (a.ec && e.ec?.length) score += e.ec.includes(a.ec) ? 40 : -300;
    if (a.status && e.status) score += a.status === e.status ? 20 : -20;
    score += flavourScore(e, provider, server);
    if (nonPost && e.id.includes('.post.') && !postOnlyWording(e)) score -= 1800;
    // a wording several providers share, the provider unknown: the S3 family's meaning first
    if (provider === 'unknown' && !e.generic) score += (3 - Math.min(3, PREFERENCE[e.providers[0]!] ?? 3)) * 100 + (e.server && e.server !== 'aws' ? -900 : 0);
    add({ entry: e, score, via: e.generic ? 'generic' : a.ec && e.ec?.includes(a.ec) ? 'ec' : 'message', captures: h.captures, variant: h.variant });
  }
  const bareCode = a.code !== null && !a.message;
  // an EC code alone is a strong match; next to a documented wording it ranks below it
  const wordingMatched = [...out.values()].some((c) => !c.entry.generic);
  for (const e of pool) {
    const fl = flavourScore(e, provider, server) + (nonPost && e.id.includes('.post.') && !postOnlyWording(e) ? -1800 : 0);
    // a known S3 flavour: the other server's code-level wording does not apply
    if (provider === 's3' && server !== null && e.providers.length === 1 && (e.server ?? 'aws') !== server && !out.has(e.id)) continue;
    // EC lists
    if (a.ec && e.ec?.includes(a.ec) && !out.has(e.id)) {
      add({ entry: e, score: (wordingMatched ? 900 : 2000) + (sameCode(a.code, e.code) ? 30 : 0) + fl, via: 'ec', captures: {}, variant: 0 });
      continue;
    }
    if (a.code && sameCode(a.code, e.code)) {
      if (e.generic) {
        add({ entry: e, score: 100 + fl, via: 'generic', captures: {}, variant: 0 });
      } else if (!e.pattern && !e.message) {
        // the provider unknown: the code's general meaning before one provider's reading of it
        const unsure = provider === 'unknown' && e.providers.length === 1 ? -450 : 0;
        add({ entry: e, score: 500 + fl + unsure + (a.status && e.status === a.status ? 5 : 0), via: 'code', captures: {}, variant: 0 });
      } else if (bareCode && !out.has(e.id)) {
        // a bare code: every documented wording of that code
        add({ entry: e, score: 400 + fl, via: 'code', captures: {}, variant: 0 });
      }
    } else if (!a.code && !a.ec && (!a.message || !wordingMatched) && a.status !== null && e.code === null && e.status === a.status && !e.pattern && !e.message) {
      // only a status: entries documented for the status alone
      add({ entry: e, score: e.generic ? 100 : 300, via: e.generic ? 'generic' : 'code', captures: {}, variant: 0 });
    }
  }
  return [...out.values()].sort((x, y) => y.score - x.score || (PREFERENCE[x.entry.providers[0]!] ?? 9) - (PREFERENCE[y.entry.providers[0]!] ?? 9) || byId(x.entry.id, y.entry.id));
}

/**
 * Entry ids in code-unit order. Knowledge-base ids are [a-z0-9.-] (rules/schema/kb.schema.json),
 * for which this is the order localeCompare gives (ICU's root collation orders "-" < "." <
 * digits < letters, as ASCII does), without loading ICU's collation data at start-up.
 */
function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whose answer the browser blocked: a storage endpoint ('bucket'), the application's own signing
 * API ('signing-api': an API gateway, a function URL, a path that names signing), or 'unknown'
 * (a local or custom host: it may be a self-hosted S3 server as well as an application).
 */
function blockedKind(host: string | null, url: string | null, endpointHost: string | null): 'bucket' | 'signing-api' | 'unknown' {
  if (host === null) return endpointHost ? 'bucket' : 'unknown';
  if (storageHost(host.replace(/:\d+$/, ''))) return 'bucket';
  if (/(?:^|\.)(?:execute-api|lambda-url)\.|\.(?:herokuapp\.com|vercel\.app|netlify\.app|cloudfunctions\.net|run\.app|azurewebsites\.net)$/.test(host)) return 'signing-api';
  if (url && /\/(?:[\w-]{0,20}sign[\w-]{0,20}|presign[\w-]{0,20}|api|upload-url|policy|credentials?)(?:[/?#]|$)/i.test(url.replace(/^https?:\/\/[^/]{1,260}/, ''))) return 'signing-api';
  return 'unknown';
}

/** The smallest rule for the page origin a console CORS line names, when it blocked a bucket. */
function corsRuleFor(provider: ProviderId, facts: FactMap, top: FactMap | undefined, method: string | null, preflight: boolean): ExplainResult['corsFix'] | null {
  const origin = typeof facts.origin === 'string' ? facts.origin : null;
  if (facts.blocked !== 'bucket' || origin === null || !/^https?:\/\/[^/\s]+$/i.test(origin)) return null;
  // a preflight was sent, for headers the line does not name: let any request header through (GCS
  // has no wildcard for them, so there the line's header or none)
  const header = typeof top?.header === 'string' ? [top.header] : preflight && provider !== 'gcs' ? ['*'] : [];
  const m = typeof top?.method === 'string' ? top.method : method && /^(?:POST|PUT)$/i.test(method) ? method : 'POST';
  const fix = smallestFix(
    { provider, rules: [], source: provider === 'cos' || provider === 'oss' ? 'xml' : 'json' },
    { origin, method: m, requestHeaders: header, readHeaders: defaultReadHeaders(provider) },
  );
  return { provider, origin, text: fix.text.trimEnd(), applyWith: fix.applyWith };
}

function pick(f: FactMap, keys: string[]): FactMap {
  const out: FactMap = {};
  for (const k of keys) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

/** Fill a facts sentence only when every placeholder has a value. */
function factsText(template: string | undefined, facts: FactMap, lang: Lang): string | null {
  if (!template) return null;
  for (const name of placeholders(template)) if (facts[name] === undefined || facts[name] === null) return null;
  return fill(template, facts, lang);
}

/** Explain an error answer. Throws InputError for empty or unreadable input. */
export function explain(input: string, opts: ExplainOptions = {}): ExplainResult {
  const lang: Lang = opts.lang ?? 'en';
  const now = opts.now ?? new Date();
  const kb = opts.kb ?? kbEntries;
  const codes = knownCodes(kb);
  const parsed = parseInput(input, (c) => codes.has(c.toLowerCase()), opts.source);
  const a = parsed.answer;
  if (a.code && !a.message) {
    // a bare code: spell it as the knowledge base does
    const canon = codes.get(a.code.toLowerCase());
    if (canon) a.code = canon;
  }

  const details = ['Details', 'Condition', 'detail'].map((n) => elementValue(a, n)).filter((v): v is string => !!v);
  // a single word may be a code or a message (COS answers <Message>RequestTimeTooSkewed</Message>)
  const wordAsMessage = parsed.kind === 'code' && a.code !== null;
  let hits = messageHits(kb, wordAsMessage ? a.code : a.message, details, parsed.tolerant);
  if (!hits.some((h) => !h.entry.generic) && parsed.kind !== 'code' && parsed.kind !== 'ec') {
    // the documented message somewhere inside the text (prose, a log line, a stack trace)
    // messages wrapped over lines when copied are read joined too
    const core = coreHits(kb, parsed.text);
    const seenCore = new Set(core.map((h) => h.entry.id));
    const joined = parsed.text.replace(/([^\n])\r?\n(?=[^\s\n])/g, '$1 ');
    if (joined !== parsed.text) for (const h of coreHits(kb, joined)) if (!seenCore.has(h.entry.id)) core.push(h);
    if (core.length) {
      hits = [...core, ...hits];
      if (a.message === null || parsed.fallback) {
        const best = [...core].sort((x, y) => y.literal - x.literal)[0]!;
        a.message = best.text;
      }
    }
  }
  const det = detectProvider(a, hits, kb, opts.provider, parsed.hints);
  const provider = det.provider;
  const server = det.server;

  const pool = provider === 'unknown' ? kb : kb.filter((e) => e.providers.includes(provider));
  if (a.code === null && provider !== 'unknown' && !hits.some((h) => h.entry.providers.includes(provider))) {
    // another provider's documented wording names the code the paste left out (GCS answers in S3's words)
    const codes = new Set(hits.filter((h) => !h.entry.id.startsWith('generic.') && h.entry.code).map((h) => h.entry.code!));
    if (codes.size === 1) a.code = [...codes][0]!;
  }
  const ranked = rank(a, pool, hits, provider, server, wordAsMessage, parsed.tolerant, notAPost(a, parsed.hints));

  const baseFor = (p: ProviderId | 'unknown'): FactMap => (p === 'unknown' ? {} : answerReaders[p].answerFacts(a));
  const answerBase = baseFor(provider);
  const answerFacts = deriveFacts(answerBase, {}, a, now);
  // facts the text states even when no entry matches its wording
  const t = parsed.text.slice(0, 262_144);
  const regions = /region '([\w-]{1,40})' is wrong; expecting '([\w-]{1,40})'/.exec(t);
  if (regions) {
    answerFacts.region ??= regions[1]!;
    answerFacts.expectedRegion ??= regions[2]!;
  }
  const cond = /\[ ?"(eq|starts-with|content-length-range)", ?"(\$?[\w-]{1,80})"(?:, ?("[^"\n]{0,400}"|\d{1,15}))?/.exec(t);
  if (cond && answerFacts.condition === undefined) {
    answerFacts.condition = cond[0].endsWith(']') ? cond[0] : `${cond[0]}]`;
    answerFacts.field ??= cond[2]!.replace(/^\$/, '');
  }
  const cors = parsed.hints.cors;
  // the storage endpoint the paste names: the blocked URL of a console line, else the first one in the text
  const endpointHost = cors?.host && storageHost(cors.host.replace(/:\d+$/, '')) ? cors.host : (parsed.hints.hosts.find((h) => storageHost(h)) ?? null);
  if (endpointHost) {
    if (answerFacts.host === undefined) answerFacts.host = endpointHost;
    const region = hostRegion(endpointHost);
    if (region && answerFacts.region === undefined) answerFacts.region = region;
  }
  if (cors) {
    if (cors.url) answerFacts.url = cors.url;
    if (cors.host) answerFacts.host = cors.host;
    if (cors.origin) answerFacts.origin = cors.origin;
    answerFacts.browser = cors.browser;
    answerFacts.blocked = blockedKind(cors.host, cors.url, endpointHost);
  } else if (endpointHost && /\bCORS\b|Access-Control-Allow-Origin|preflight/i.test(parsed.text.slice(0, 262_144))) {
    answerFacts.blocked = 'bucket';
  }

  const matches: ExplainMatch[] = ranked.map((c) => {
    const e = c.entry;
    const t = kbText(e, lang);
    const base = provider === 'unknown' ? baseFor(e.providers[0]!) : answerBase;
    const facts = { ...pick(answerFacts, ['host', 'region', 'url', 'origin', 'browser', 'blocked']), ...deriveFacts(base, c.captures, a, now) };
    const m: ExplainMatch = {
      rule: e.id,
      title: t.title,
      cause: t.cause,
      steps: [...t.steps],
      docs: [...e.docs],
      facts,
      facts_text: factsText(t.facts, facts, lang),
      via: c.via,
      generic: e.generic === true,
      providers: [...e.providers],
      status: e.status,
      code: e.code,
      source: e.source,
    };
    if (e.server) m.server = e.server;
    if (c.variant === 2) m.lenient = true;
    return m;
  });

  const recognised = matches.some((m) => !m.generic);
  const candidates: ProviderId[] = [];
  if (provider !== 'unknown') candidates.push(provider);
  else {
    const push = (p: ProviderId): void => {
      if (!candidates.includes(p)) candidates.push(p);
    };
    for (const m of matches) if (!m.generic && m.providers.length < PROVIDER_IDS.length) m.providers.forEach(push);
    const scored = [...PROVIDER_IDS].filter((p) => det.scores[p] > 0).sort((x, y) => det.scores[y] - det.scores[x]);
    scored.forEach(push);
    // the providers that document the code
    if (a.code) for (const e of kb) if (!e.id.startsWith('generic.') && e.code && e.code.toLowerCase() === a.code.toLowerCase()) e.providers.forEach(push);
    // nothing points anywhere: any of them, the S3 family first
    if (!candidates.length) [...PROVIDER_IDS].sort((x, y) => (PREFERENCE[x] ?? 9) - (PREFERENCE[y] ?? 9)).forEach(push);
  }
  const corsFix = cors && provider !== 'unknown' ? corsRuleFor(provider, answerFacts, matches[0]?.facts, parsed.hints.method, /preflight/i.test(cors.line)) : null;
  let clock: ExplainResult['clock'] = null;
  if (typeof answerFacts.dateHeader === 'string' && typeof answerFacts.clockSkewSeconds === 'number') {
    clock = { serverTime: answerFacts.dateHeader, localTime: now.toISOString(), skewSeconds: answerFacts.clockSkewSeconds };
  }
  const result: ExplainResult = {
    schema: EXPLAIN_SCHEMA,
    provider,
    recognised,
    candidates,
    lang,
    input: { kind: parsed.kind, tolerant: parsed.tolerant || matches.some((m) => m.lenient) },
    error: { status: a.status, code: a.code, message: a.message, requestId: a.requestId, ec: a.ec, hostId: a.hostId },
    facts: answerFacts,
    clock,
    detection: { forced: det.forced, scores: det.scores },
    matches,
    notes: [],
  };
  if (corsFix) result.corsFix = corsFix;
  result.notes = notesFor(a, answerFacts, matches[0], parsed.text);
  if (parsed.shape) result.input.shape = parsed.shape;
  if (parsed.truncated) result.input.truncated = true;
  if (server) result.server = server;
  return result;
}
