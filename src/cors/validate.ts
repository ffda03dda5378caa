// Problems of a CORS configuration itself: what the provider's PutBucketCors refuses, and
// entries it accepts that can never match a browser's request.

import { PROFILES, wildcards, type ProfileAssumption } from './match.js';
import type { CorsConfig, CorsRule } from './types.js';

export type OriginProblem = 'empty' | 'whitespace' | 'no-scheme' | 'path' | 'uppercase' | 'default-port';

export type ConfigIssueKind =
  | 'too-many-rules'
  | 'rule-without-origin'
  | 'rule-without-method'
  | 'origin-wildcards'
  | 'origin-never-matches'
  | 'origin-wildcard-literal'
  | 'method-unsupported'
  | 'method-options'
  | 'header-wildcards'
  | 'header-wildcard-literal'
  | 'expose-wildcard'
  | 'max-age-negative'
  | 'id-too-long';

export interface ConfigIssue {
  kind: ConfigIssueKind;
  /** The rule's index (from 0), or null for the configuration as a whole. */
  rule: number | null;
  /** The offending entry. */
  value?: string;
  /** For origin-never-matches: what keeps the entry from matching a browser's Origin. */
  problem?: OriginProblem;
  /** For too-many-rules: the count and the provider's limit. */
  count?: number;
  max?: number;
  /** PutBucketCors refuses it (true), accepts it (false: it is merely inert), or no source says (null). */
  rejected: boolean | null;
}

/** What keeps an AllowedOrigin entry from ever equalling (or, with one `*`, matching) a browser's serialized origin. */
export function originProblem(entry: string): OriginProblem | null {
  // `null` is the Origin of sandboxed frames and file: pages
  if (entry === '*' || entry === 'null') return null;
  if (entry === '') return 'empty';
  if (/\s/.test(entry)) return 'whitespace';
  if (entry !== entry.toLowerCase()) return 'uppercase';
  const sep = entry.indexOf('://');
  if (sep < 0) return wildcards(entry) > 0 ? null : 'no-scheme';
  const rest = entry.slice(sep + 3);
  if (rest.includes('/')) return 'path';
  if (/^https:\/\/[^/]*:443$/.test(entry) || /^http:\/\/[^/]*:80$/.test(entry)) return 'default-port';
  return null;
}

/** A limit taken from S3 (docs/cors.md) is not one the provider is known to enforce. */
function enforced(config: CorsConfig, assumption: ProfileAssumption): true | null {
  return PROFILES[config.provider].assumed.includes(assumption) ? null : true;
}

function originIssues(rule: CorsRule, config: CorsConfig): ConfigIssue[] {
  const p = PROFILES[config.provider];
  const out: ConfigIssue[] = [];
  for (const o of rule.allowedOrigins) {
    const stars = wildcards(o);
    if (p.originWildcard === 'glob' && stars > 1) out.push({ kind: 'origin-wildcards', rule: rule.index, value: o, rejected: true });
    else if (p.originWildcard === 'any-only' && stars > 0 && o !== '*') out.push({ kind: 'origin-wildcard-literal', rule: rule.index, value: o, rejected: null });
    const problem = originProblem(o);
    if (problem) out.push({ kind: 'origin-never-matches', rule: rule.index, value: o, problem, rejected: false });
  }
  return out;
}

function methodIssues(rule: CorsRule, config: CorsConfig): ConfigIssue[] {
  const p = PROFILES[config.provider];
  const out: ConfigIssue[] = [];
  for (const m of rule.allowedMethods) {
    if (config.provider === 'gcs' && m === 'OPTIONS') out.push({ kind: 'method-options', rule: rule.index, value: m, rejected: false });
    else if (!p.methods.includes(m) && !(p.methodAny && m === '*')) out.push({ kind: 'method-unsupported', rule: rule.index, value: m, rejected: config.provider === 'gcs' ? null : true });
  }
  return out;
}

function headerIssues(rule: CorsRule, config: CorsConfig): ConfigIssue[] {
  const p = PROFILES[config.provider];
  const out: ConfigIssue[] = [];
  for (const h of rule.allowedHeaders) {
    const stars = wildcards(h);
    if (stars > 1 && config.provider !== 'gcs')
      out.push({ kind: 'header-wildcards', rule: rule.index, value: h, rejected: config.provider === 'cos' ? null : enforced(config, 'headerWildcardLimit') });
    else if (stars > 0 && (p.headerWildcard === 'none' || (p.headerWildcard === 'any-only' && h !== '*'))) {
      out.push({ kind: 'header-wildcard-literal', rule: rule.index, value: h, rejected: null });
    }
  }
  if (config.provider !== 'gcs') {
    for (const h of rule.exposeHeaders) if (h.includes('*')) out.push({ kind: 'expose-wildcard', rule: rule.index, value: h, rejected: p.exposeWildcardRejected });
  }
  return out;
}

function ruleIssues(rule: CorsRule, config: CorsConfig): ConfigIssue[] {
  const required = config.provider === 'gcs' ? null : true;
  const out: ConfigIssue[] = [];
  if (rule.allowedOrigins.length === 0) out.push({ kind: 'rule-without-origin', rule: rule.index, rejected: required });
  if (rule.allowedMethods.length === 0) out.push({ kind: 'rule-without-method', rule: rule.index, rejected: required });
  out.push(...originIssues(rule, config), ...methodIssues(rule, config), ...headerIssues(rule, config));
  const profile = PROFILES[config.provider];
  if (rule.maxAgeSeconds !== undefined && rule.maxAgeSeconds < 0) out.push({ kind: 'max-age-negative', rule: rule.index, value: String(rule.maxAgeSeconds), rejected: profile.maxAgeNegativeRejected });
  if (profile.idMaxLength !== null && rule.id !== undefined && rule.id.length > profile.idMaxLength) out.push({ kind: 'id-too-long', rule: rule.index, value: rule.id, rejected: true });
  return out;
}

/** Every problem of the configuration, in rule order (configuration-wide ones first). */
export function validateConfig(config: CorsConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const max = PROFILES[config.provider].maxRules;
  if (max !== null && config.rules.length > max) out.push({ kind: 'too-many-rules', rule: null, count: config.rules.length, max, rejected: enforced(config, 'maxRules') });
  for (const r of config.rules) out.push(...ruleIssues(r, config));
  return out;
}
