// How each provider matches a request against its CORS rules. Every rule relied on here is
// written down, with its source, in docs/cors.md; where a provider's documentation is silent
// the conservative choice (the one that does not assume a lenient match) is taken and marked,
// except where a profile says it takes Amazon S3's semantics instead (`assumed`).

import type { CorsConfig, CorsProvider, CorsRule, Refusal, RuleCheck } from './types.js';

/**
 * A part of a profile no source documents for that provider, taken from Amazon S3 (docs/cors.md
 * says so for each): `firstMatch` which of several matching rules answers; `wildcardMatch` what
 * one `*` matches (any run of characters, anchored at both ends); `headerWildcard` a `*` inside an
 * allowed header; `headerWildcardLimit` at most one `*` per allowed header; `maxRules` the rule
 * limit; `answer` the headers of an allowed answer. An assumed limit is not reported as one
 * PutBucketCors enforces.
 */
export type ProfileAssumption = 'firstMatch' | 'wildcardMatch' | 'headerWildcard' | 'headerWildcardLimit' | 'maxRules' | 'answer';

export interface CorsProfile {
  provider: CorsProvider;
  /** `glob`: `*` alone is any origin and one `*` inside an origin matches any run of characters;
   * `any-only`: only `*` alone is a wildcard (anything else is compared literally). */
  originWildcard: 'glob' | 'any-only';
  /** Same for AllowedHeader / responseHeader entries; `none`: even `*` is literal. */
  headerWildcard: 'glob' | 'any-only' | 'none';
  /** Methods PutBucketCors accepts (compared case-sensitively). */
  methods: readonly string[];
  /** `*` in the method list means any method (GCS JSON API). */
  methodAny: boolean;
  /** What the first rule must match for its answer to be used: a preflight's headers too (S3,
   * COS, OSS, OBS, TOS), or only origin and method (GCS: a preflight whose headers that rule does
   * not allow then fails, even when a later rule would allow them). */
  firstMatch: 'origin-method-headers' | 'origin-method';
  /** Most rules a configuration may hold, when documented (or assumed: see `assumed`). */
  maxRules: number | null;
  /** Whether a rule may carry an ID. */
  ruleIds: boolean;
  /** Where ResponseVary (send `Vary: Origin`) goes: the whole configuration (COS, OSS), each
   * rule (TOS), or nowhere (the provider has none). */
  responseVary: 'configuration' | 'rule' | false;
  /** `*` in ExposeHeader is refused by PutBucketCors (true), or no source says (null). */
  exposeWildcardRejected: boolean | null;
  /** A negative MaxAgeSeconds is refused (true), documented as taken (false, OBS), or no source says (null). */
  maxAgeNegativeRejected: boolean | null;
  /** Longest rule ID PutBucketCors takes, where documented. */
  idMaxLength: number | null;
  /** How the configuration is written (PutBucketCors body). */
  configFormat: 'xml' | 'json';
  /** MaxAgeSeconds the smallest fix uses. */
  fixMaxAge: number;
  /** Parts taken from Amazon S3 because the provider's documentation is silent on them. */
  assumed: readonly ProfileAssumption[];
}

const S3_FAMILY_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;

export const PROFILES: Readonly<Record<CorsProvider, CorsProfile>> = {
  s3: {
    provider: 's3',
    originWildcard: 'glob',
    headerWildcard: 'glob',
    methods: S3_FAMILY_METHODS,
    methodAny: false,
    firstMatch: 'origin-method-headers',
    maxRules: 100,
    ruleIds: true,
    responseVary: false,
    exposeWildcardRejected: true,
    maxAgeNegativeRejected: null,
    idMaxLength: 255,
    configFormat: 'json',
    fixMaxAge: 3000,
    assumed: [],
  },
  cos: {
    provider: 'cos',
    originWildcard: 'glob',
    // `*` is documented; a `*` inside a name is not (conservative: compared literally).
    headerWildcard: 'any-only',
    methods: S3_FAMILY_METHODS,
    methodAny: false,
    firstMatch: 'origin-method-headers',
    maxRules: 100,
    ruleIds: true,
    responseVary: 'configuration',
    exposeWildcardRejected: true,
    maxAgeNegativeRejected: null,
    idMaxLength: null,
    configFormat: 'xml',
    fixMaxAge: 600,
    assumed: [],
  },
  oss: {
    provider: 'oss',
    originWildcard: 'glob',
    headerWildcard: 'glob',
    methods: S3_FAMILY_METHODS,
    methodAny: false,
    firstMatch: 'origin-method-headers',
    maxRules: 10,
    ruleIds: false,
    responseVary: 'configuration',
    exposeWildcardRejected: true,
    maxAgeNegativeRejected: null,
    idMaxLength: null,
    configFormat: 'xml',
    fixMaxAge: 600,
    assumed: [],
  },
  gcs: {
    provider: 'gcs',
    // No partial wildcard is documented for GCS origins or response headers (conservative).
    originWildcard: 'any-only',
    headerWildcard: 'none',
    methods: S3_FAMILY_METHODS,
    methodAny: true,
    firstMatch: 'origin-method',
    maxRules: null,
    ruleIds: false,
    responseVary: false,
    exposeWildcardRejected: null,
    maxAgeNegativeRejected: null,
    idMaxLength: null,
    configFormat: 'json',
    fixMaxAge: 3600,
    assumed: [],
  },
  obs: {
    provider: 'obs',
    // Documented (SetBucketCors, OPTIONS Bucket): at most one * per AllowedOrigin and per
    // AllowedHeader; the methods; 100 rules; rule IDs; a preflight is refused unless one rule
    // matches origin, method and headers together. Assumed from S3: which of several matching
    // rules answers (the first) and what a * matches (any run, anchored).
    originWildcard: 'glob',
    headerWildcard: 'glob',
    methods: S3_FAMILY_METHODS,
    methodAny: false,
    firstMatch: 'origin-method-headers',
    maxRules: 100,
    ruleIds: true,
    responseVary: false,
    // the console guide: ExposeHeader does not take *
    exposeWildcardRejected: true,
    maxAgeNegativeRejected: false,
    idMaxLength: 255,
    configFormat: 'xml',
    fixMaxAge: 3000,
    assumed: ['firstMatch', 'wildcardMatch'],
  },
  tos: {
    provider: 'tos',
    // Documented (PutBucketCORS, console CORS settings): at most one * per AllowedOrigin; the
    // methods; AllowedHeaders * allows all; no * in ExposeHeaders; no rule ID; ResponseVary per
    // rule; MaxAgeSeconds default 3600. Everything else is ASSUMED from Amazon S3, since TOS
    // documents no matching semantics: the first rule matching origin, method and every
    // requested header answers, what a * matches, a * inside an allowed header (x-tos-*) with at
    // most one *, the limit of 100 rules (TOS only caps the configuration at 20 KiB) and the
    // headers of an allowed answer.
    originWildcard: 'glob',
    headerWildcard: 'glob',
    methods: S3_FAMILY_METHODS,
    methodAny: false,
    firstMatch: 'origin-method-headers',
    maxRules: 100,
    ruleIds: false,
    responseVary: 'rule',
    exposeWildcardRejected: true,
    maxAgeNegativeRejected: null,
    idMaxLength: null,
    configFormat: 'json',
    fixMaxAge: 3600,
    assumed: ['firstMatch', 'wildcardMatch', 'headerWildcard', 'headerWildcardLimit', 'maxRules', 'answer'],
  },
};

export function profile(provider: CorsProvider): CorsProfile {
  return PROFILES[provider];
}

/** Count of `*` in a pattern. */
export function wildcards(pattern: string): number {
  let n = 0;
  for (const c of pattern) if (c === '*') n++;
  return n;
}

/** `pattern` with exactly one `*` matches `value` (`*` matches any run, the empty one included). */
function globOne(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  const pre = pattern.slice(0, star);
  const post = pattern.slice(star + 1);
  return value.length >= pre.length + post.length && value.startsWith(pre) && value.endsWith(post);
}

/** One AllowedOrigin entry matches the request's Origin (case-sensitively: no provider documents otherwise). */
export function originMatches(pattern: string, origin: string, p: CorsProfile): boolean {
  if (pattern === '*') return true;
  const stars = wildcards(pattern);
  if (stars === 0 || p.originWildcard === 'any-only') return pattern === origin;
  // more than one `*` is refused by PutBucketCors; such an entry never matches here
  return stars === 1 && globOne(pattern, origin);
}

/** The rule allows the method (`Access-Control-Request-Method`, or the actual request's method). */
export function methodMatches(allowed: readonly string[], method: string, p: CorsProfile): boolean {
  return allowed.includes(method) || (p.methodAny && allowed.includes('*'));
}

/** One requested header name is allowed by the rule's header list (names compare case-insensitively). */
export function headerAllowed(allowed: readonly string[], header: string, p: CorsProfile): boolean {
  const name = header.toLowerCase();
  for (const entry of allowed) {
    const e = entry.toLowerCase();
    if (e === name) return true;
    if (p.headerWildcard === 'none') continue;
    if (e === '*') return true;
    if (p.headerWildcard === 'glob' && wildcards(e) === 1 && globOne(e, name)) return true;
  }
  return false;
}

/** How one rule fares; `requestHeaders` is empty for an actual request (its headers are not checked). */
export function checkRule(rule: CorsRule, origin: string, method: string, requestHeaders: readonly string[], p: CorsProfile): RuleCheck {
  const o = rule.allowedOrigins.some((pat) => originMatches(pat, origin, p));
  const m = methodMatches(rule.allowedMethods, method, p);
  const refusedHeaders = requestHeaders.map((h) => h.toLowerCase()).filter((h) => !headerAllowed(rule.allowedHeaders, h, p));
  return { index: rule.index, origin: o, method: m, refusedHeaders, matches: o && m && refusedHeaders.length === 0 };
}

export interface MatchResult {
  /** The rule whose answer carries CORS headers, or null. */
  matched: number | null;
  /** The rule that decided the outcome: the match, or for GCS the first origin+method rule that refused headers. */
  deciding: number | null;
  checks: RuleCheck[];
}

/** First-match evaluation of the configuration, per the provider's semantics. */
export function findMatch(config: CorsConfig, origin: string, method: string, requestHeaders: readonly string[]): MatchResult {
  const p = profile(config.provider);
  const checks = config.rules.map((r) => checkRule(r, origin, method, requestHeaders, p));
  if (p.firstMatch === 'origin-method') {
    const first = checks.find((c) => c.origin && c.method);
    if (!first) return { matched: null, deciding: null, checks };
    return { matched: first.matches ? first.index : null, deciding: first.index, checks };
  }
  const hit = checks.find((c) => c.matches);
  return { matched: hit ? hit.index : null, deciding: hit ? hit.index : null, checks };
}

function closeness(c: RuleCheck): number {
  return (c.origin ? 4 : 0) + (c.method ? 2 : 0) + (c.refusedHeaders.length === 0 ? 1 : 0);
}

/** The rule that came closest: most of origin > method > headers matched, then fewest refused headers, then first. */
export function closestRule(checks: readonly RuleCheck[]): RuleCheck | null {
  let best: RuleCheck | null = null;
  for (const c of checks) {
    if (!best) best = c;
    else {
      const d = closeness(c) - closeness(best);
      if (d > 0 || (d === 0 && c.refusedHeaders.length < best.refusedHeaders.length)) best = c;
    }
  }
  return best;
}

/** Why the request was refused, from a match result without a match. */
export function refusalOf(config: CorsConfig, m: MatchResult): Refusal {
  if (config.rules.length === 0) return { reason: 'no-rules', headers: [], closest: null, nearMisses: [] };
  const decider = m.deciding !== null ? m.checks[m.deciding] : undefined;
  const c = decider ?? closestRule(m.checks);
  if (!c) return { reason: 'no-rules', headers: [], closest: null, nearMisses: m.checks };
  const reason = !c.origin ? 'origin' : !c.method ? 'method' : 'header';
  return { reason, headers: reason === 'header' ? [...c.refusedHeaders] : [], closest: c.index, nearMisses: m.checks };
}
