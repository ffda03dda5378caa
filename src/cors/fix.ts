// The smallest rule that lets a request through, written in the provider's own format as a
// whole configuration (PutBucketCors replaces the configuration: existing rules are kept).
//
// The new rule goes first. For GCS this is required: GCS answers with the first rule matching
// origin and method, so an earlier rule without the needed headers would still refuse the
// preflight. For S3, COS, OSS, OBS and TOS an actual request is matched on origin and method
// only, so a later rule would not decide which headers are exposed either; the new rule keeps
// the exposures (and, for TOS, the ResponseVary) the previously first-matching rule gave.

import { SAFELISTED_RESPONSE_HEADERS, normaliseMethod } from './fetch.js';
import { findMatch, PROFILES } from './match.js';
import { APPLY_WITH, renderCorsConfig, unionNames, type CorsFormat } from './render.js';
import type { CorsConfig, CorsProvider, CorsRule } from './types.js';
import { validateConfig, type ConfigIssue } from './validate.js';

export interface FixRequest {
  /** The page's origin, exactly as the browser sends it. */
  origin: string;
  method: string;
  /** Access-Control-Request-Headers names the preflight asks for (none for a simple request). */
  requestHeaders?: string[];
  /** Response headers the page reads. */
  readHeaders?: string[];
}

export type FixBlocker =
  | { kind: 'method-unsupported'; method: string; supported: string[] }
  | { kind: 'too-many-rules'; count: number; max: number }
  /** Existing rules PutBucketCors refuses: the configuration is refused until they are corrected. */
  | { kind: 'existing-rules-rejected'; issues: ConfigIssue[] };

export interface CorsFix {
  provider: CorsProvider;
  format: CorsFormat;
  /** False when PutBucketCors would refuse the result (see blockers). */
  fixable: boolean;
  blockers: FixBlocker[];
  /** The rule added, first in the configuration. */
  rule: CorsRule;
  /** The whole configuration: the new rule, then the existing ones. */
  config: CorsConfig;
  /** `config` in the provider's format, ready to paste. */
  text: string;
  /** The command or API that takes `text`. */
  applyWith: string;
}

/** The rule that answered the origin and method before the fix, if any. */
function previousRule(config: CorsConfig, req: FixRequest, method: string): CorsRule | undefined {
  const m = findMatch(config, req.origin, method, []);
  return m.matched !== null ? config.rules[m.matched] : undefined;
}

function exposeFor(config: CorsConfig, req: FixRequest, method: string): string[] {
  const wanted = (req.readHeaders ?? []).filter((h) => !SAFELISTED_RESPONSE_HEADERS.includes(h.toLowerCase()));
  return unionNames(wanted, previousRule(config, req, method)?.exposeHeaders ?? []);
}

function blockers(config: CorsConfig, next: CorsConfig, provider: CorsProvider, method: string): FixBlocker[] {
  const p = PROFILES[provider];
  const out: FixBlocker[] = [];
  const rejected = validateConfig(next).filter((i) => i.rejected === true && i.rule !== 0 && i.kind !== 'too-many-rules');
  if (!p.methods.includes(method)) out.push({ kind: 'method-unsupported', method, supported: [...p.methods] });
  // an assumed limit (TOS) does not block
  if (p.maxRules !== null && !p.assumed.includes('maxRules') && config.rules.length + 1 > p.maxRules) out.push({ kind: 'too-many-rules', count: config.rules.length + 1, max: p.maxRules });
  if (rejected.length) out.push({ kind: 'existing-rules-rejected', issues: rejected });
  return out;
}

/** The smallest rule to add so that `request` passes, and the whole configuration with it. */
export function smallestFix(config: CorsConfig, request: FixRequest, provider: CorsProvider = config.provider): CorsFix {
  const method = normaliseMethod(request.method);
  const requested = unionNames((request.requestHeaders ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== '')).sort();
  const expose = exposeFor(config, request, method);
  const rule: CorsRule = {
    index: 0,
    allowedOrigins: [request.origin],
    allowedMethods: [method],
    // GCS checks a preflight's headers against responseHeader, which also exposes
    allowedHeaders: provider === 'gcs' ? unionNames(requested, expose) : requested,
    exposeHeaders: provider === 'gcs' ? unionNames(requested, expose) : expose,
    maxAgeSeconds: PROFILES[provider].fixMaxAge,
  };
  const before = previousRule(config, request, method);
  if (PROFILES[provider].responseVary === 'rule' && before?.responseVary !== undefined) rule.responseVary = before.responseVary;
  const rest = config.rules.map((r, i) => ({ ...r, index: i + 1 }));
  const next: CorsConfig = { provider, rules: [rule, ...rest], source: PROFILES[provider].configFormat };
  if (PROFILES[provider].responseVary === 'configuration' && config.responseVary !== undefined) next.responseVary = config.responseVary;
  const { format, text } = renderCorsConfig(next, provider);
  const b = blockers(config, next, provider, method);
  return { provider, format, fixable: b.length === 0, blockers: b, rule, config: next, text, applyWith: APPLY_WITH[provider] };
}
