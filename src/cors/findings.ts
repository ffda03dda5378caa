// From a capture and a CORS configuration to findings (rules/findings/cors.yaml): the data the
// `check --cors-config`, `probe --origin`, `serve` and `explain` commands report. No words here.

import type { Finding } from '../core/types.js';
import { FINDING_SEVERITY, type FindingId, type KbId } from '../generated/ids.js';
import { evaluateActual, evaluatePreflight } from './evaluate.js';
import { defaultReadHeaders, formNavigation, needsPreflight, type PreflightNeed } from './fetch.js';
import { smallestFix, type CorsFix } from './fix.js';
import { PROFILES } from './match.js';
import { validateConfig, type ConfigIssue } from './validate.js';
import type { ActualEvaluation, CorsConfig, CorsProvider, PreflightEvaluation } from './types.js';

/** Finding ids of rules/findings/cors.yaml (their severity is the catalogue's). */
export const CORS_FINDINGS = [
  'cors.preflight-refused-origin',
  'cors.preflight-refused-method',
  'cors.preflight-refused-header',
  'cors.no-rules',
  'cors.no-allow-origin',
  'cors.credentials-wildcard-origin',
  'cors.credentials-not-allowed',
  'cors.expose-headers-missing',
  'cors.form-navigation',
  'cors.origin-unknown',
  'cors.config-origin-wildcards',
  'cors.config-origin-invalid',
  'cors.config-method-unsupported',
  'cors.config-header-wildcards',
  'cors.config-expose-wildcard',
  'cors.config-too-many-rules',
] as const satisfies readonly FindingId[];

export type CorsFindingId = (typeof CORS_FINDINGS)[number];

export const PROVIDER_NAMES: Readonly<Record<CorsProvider, string>> = {
  s3: 'Amazon S3',
  cos: 'Tencent COS',
  oss: 'Alibaba Cloud OSS',
  gcs: 'Google Cloud Storage',
  obs: 'Huawei Cloud OBS',
  tos: 'Volcengine TOS',
};

export interface CorsCapture {
  /** The page's origin; null when the capture does not tell it (then nothing is evaluated). */
  origin: string | null;
  method: string;
  /** The request headers as captured (browser-set ones are ignored). */
  headers: Array<[string, string]>;
  contentType?: string;
  /** Response headers the page reads (default: ETag, Location, Date and the provider's request id). */
  readHeaders?: string[];
  credentials?: boolean;
  xhrUploadListener?: boolean;
}

export interface CorsDiagnosis {
  /** The capture is a form navigation, which CORS does not govern (nothing else is evaluated). */
  navigation: boolean;
  need: PreflightNeed | null;
  preflight: PreflightEvaluation | null;
  actual: ActualEvaluation | null;
  fix: CorsFix | null;
  issues: ConfigIssue[];
  findings: Finding[];
}

function finding(id: CorsFindingId, facts: Record<string, unknown>, predicts: KbId | null = null): Finding {
  return { id, severity: FINDING_SEVERITY[id], facts, predicts: predicts ? { rule: predicts } : null };
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** One finding per configuration problem PutBucketCors would refuse, or that makes an origin inert. */
export function configFindings(config: CorsConfig, issues: readonly ConfigIssue[] = validateConfig(config)): Finding[] {
  const out: Finding[] = [];
  const provider = PROVIDER_NAMES[config.provider];
  for (const i of issues) {
    const rule = i.rule === null ? null : i.rule + 1;
    if (i.kind === 'origin-wildcards') out.push(finding('cors.config-origin-wildcards', { origin: i.value, rule, provider }));
    else if (i.kind === 'origin-never-matches') out.push(finding('cors.config-origin-invalid', { origin: i.value, rule, problem: i.problem }));
    else if (i.kind === 'method-unsupported') out.push(finding('cors.config-method-unsupported', { method: i.value, rule, provider, supported: [...PROFILES[config.provider].methods] }));
    else if (i.kind === 'header-wildcards') out.push(finding('cors.config-header-wildcards', { header: i.value, rule, provider }));
    else if (i.kind === 'expose-wildcard') out.push(finding('cors.config-expose-wildcard', { header: i.value, rule, provider }));
    // an assumed limit (TOS: S3's 100) is not one the provider is known to enforce
    else if (i.kind === 'too-many-rules' && i.rejected === true) out.push(finding('cors.config-too-many-rules', { count: i.count, max: i.max, provider }));
  }
  return out;
}

function fixFacts(fix: CorsFix): Record<string, unknown> {
  return { fix: fix.text.trimEnd(), applyWith: fix.applyWith };
}

function preflightFinding(config: CorsConfig, ev: PreflightEvaluation, fix: CorsFix, base: Record<string, unknown>): Finding | null {
  const r = ev.refusal;
  const kb = ev.answer.kb;
  const facts = { ...base, ...fixFacts(fix), console: ev.browser.kb };
  if (!r) return credentialsFinding(ev.browser.kind, base);
  if (r.reason === 'no-rules') return finding('cors.no-rules', facts, kb);
  if (r.reason === 'origin') return finding('cors.preflight-refused-origin', { ...facts, allowed: unique(config.rules.flatMap((x) => x.allowedOrigins)) }, kb);
  if (r.reason === 'method') {
    const allowed = unique(r.nearMisses.filter((c) => c.origin).flatMap((c) => config.rules[c.index]?.allowedMethods ?? []));
    return finding('cors.preflight-refused-method', { ...facts, allowed }, kb);
  }
  const closest = r.closest === null ? undefined : config.rules[r.closest];
  return finding('cors.preflight-refused-header', { ...facts, headers: r.headers, allowed: closest?.allowedHeaders.length ? closest.allowedHeaders : ['-'], rule: (r.closest ?? 0) + 1 }, kb);
}

function credentialsFinding(kind: string | null, base: Record<string, unknown>): Finding | null {
  if (kind === 'wildcard-origin-not-allowed' || kind === 'preflight-wildcard-origin-not-allowed') return finding('cors.credentials-wildcard-origin', base);
  if (kind === 'invalid-allow-credentials' || kind === 'preflight-invalid-allow-credentials') return finding('cors.credentials-not-allowed', base);
  return null;
}

function actualFindings(config: CorsConfig, ev: ActualEvaluation, fix: CorsFix, base: Record<string, unknown>): Finding[] {
  const r = ev.refusal;
  if (r?.reason === 'no-rules') return [finding('cors.no-rules', { ...base, ...fixFacts(fix), console: ev.browser.kb })];
  if (r) return [finding('cors.no-allow-origin', { ...base, ...fixFacts(fix), allowed: unique(config.rules.flatMap((x) => x.allowedOrigins)), console: ev.browser.kb })];
  const cred = credentialsFinding(ev.browser.kind, base);
  if (cred) return [cred];
  if (ev.unexposed.length) return [finding('cors.expose-headers-missing', { ...base, ...fixFacts(fix), headers: ev.unexposed })];
  return [];
}

/** Everything CORS says about one captured cross-origin request to a bucket with `config`. */
export function diagnoseCors(config: CorsConfig, capture: CorsCapture): CorsDiagnosis {
  const issues = validateConfig(config);
  const findings = configFindings(config, issues);
  if (formNavigation(capture.headers)) {
    findings.push(finding('cors.form-navigation', {}));
    return { navigation: true, need: null, preflight: null, actual: null, fix: null, issues, findings };
  }
  if (capture.origin === null) {
    findings.push(finding('cors.origin-unknown', {}));
    return { navigation: false, need: null, preflight: null, actual: null, fix: null, issues, findings };
  }
  const origin = capture.origin;
  const need = needsPreflight(capture);
  const base = { origin: origin, method: need.method, provider: PROVIDER_NAMES[config.provider] };
  const credentials = capture.credentials === true;
  const fix = smallestFix(config, { origin: origin, method: need.method, requestHeaders: need.unsafeHeaders, readHeaders: capture.readHeaders ?? defaultReadHeaders(config.provider) });
  let preflight: PreflightEvaluation | null = null;
  if (need.needed) {
    preflight = evaluatePreflight(config, { origin: origin, method: need.method, requestHeaders: need.unsafeHeaders, credentials });
    if (!preflight.allowed) {
      const f = preflightFinding(config, preflight, fix, base);
      if (f) findings.push(f);
      return { navigation: false, need, preflight, actual: null, fix, issues, findings };
    }
  }
  const actualReq = capture.readHeaders ? { origin: origin, method: need.method, credentials, readHeaders: capture.readHeaders } : { origin: origin, method: need.method, credentials };
  const actual = evaluateActual(config, actualReq);
  const more = actualFindings(config, actual, fix, base);
  findings.push(...more);
  return { navigation: false, need, preflight, actual, fix: more.length ? fix : null, issues, findings };
}
