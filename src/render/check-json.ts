// JSON form of a check result: schema post-doctor/check@1. Every string passes the Redactor.
import type { CheckResult } from '../check/index.js';
import { renderFinding, type RenderedFinding } from '../core/catalogue.js';
import type { ResolvedPrediction } from '../core/types.js';
import { maskValue, type Redactor } from '../core/mask.js';
import type { Lang, PolicyCondition, SignatureReport } from '../core/types.js';

export const CHECK_SCHEMA = 'post-doctor/check@1';

export interface RenderOptions {
  lang: Lang;
  redactor: Redactor;
}

export function conditionJson(c: PolicyCondition): Record<string, unknown> {
  switch (c.type) {
    case 'eq':
    case 'starts-with':
      return { index: c.index, type: c.type, field: c.field, value: c.value };
    case 'content-length-range':
      return { index: c.index, type: c.type, min: c.min, max: c.max };
    default:
      return { index: c.index, type: 'unknown', raw: c.raw };
  }
}

/** Signature steps with secret values masked (derived keys keep only a prefix). */
export function signatureSteps(sig: SignatureReport | null): Array<{ name: string; value: string; secret?: boolean }> {
  if (!sig) return [];
  return sig.steps.map((s) => (s.secret ? { name: s.name, value: maskValue(s.value), secret: true } : { name: s.name, value: s.value }));
}

export function signatureJson(sig: SignatureReport | null): Record<string, unknown> {
  if (!sig) return { checked: false, valid: null, scheme: null, steps: [], expected: null, provided: null, mistake: null, reason: 'signature.not-checked' };
  const out: Record<string, unknown> = {
    checked: sig.checked,
    valid: sig.valid,
    scheme: sig.scheme,
    steps: signatureSteps(sig),
    expected: sig.expected,
    provided: sig.provided,
    mistake: sig.mistake,
  };
  if (sig.reason !== undefined) out.reason = sig.reason;
  if (sig.ignoredFields?.length) out.ignoredFields = sig.ignoredFields;
  return out;
}

export function renderedFindings(result: CheckResult, lang: Lang): RenderedFinding[] {
  return result.findings.map((f) => renderFinding(f, lang));
}

export function checkJson(result: CheckResult, opts: RenderOptions): Record<string, unknown> {
  const findings = renderedFindings(result, opts.lang).map((r, i) => {
    const o: Record<string, unknown> = {
      id: r.id,
      severity: r.severity,
      title: r.title,
      detail: r.detail,
      fix: r.fix,
      rule: r.rule,
      predicts: r.predicts ? jsonPrediction(r.predicts) : null,
      field: r.field ?? null,
      facts: r.facts,
    };
    const f = result.findings[i];
    if (f?.causes) o.causes = f.causes;
    if (f?.causedBy) o.causedBy = f.causedBy;
    return o;
  });
  const p = result.policy;
  const out = {
    schema: CHECK_SCHEMA,
    provider: result.provider,
    server: result.server,
    verdict: result.verdict,
    lang: opts.lang,
    detection: result.detection,
    now: result.now.toISOString(),
    serverTime: result.serverTime ? result.serverTime.toISOString() : null,
    request: {
      method: result.request.method,
      url: result.request.url,
      bucket: result.request.bucket,
      key: result.request.key,
      fields: result.request.fields,
      file: result.request.file,
    },
    endpoint: result.endpoint
      ? {
          host: result.endpoint.host,
          bucket: result.endpoint.bucket,
          region: result.endpoint.region,
          style: result.endpoint.style,
        }
      : null,
    policy: p
      ? {
          expiration: p.expiration,
          conditions: p.conditions.map(conditionJson),
          json: p.json,
        }
      : null,
    signature: signatureJson(result.signature),
    summary: {
      errors: result.findings.filter((f) => f.severity === 'error').length,
      warnings: result.findings.filter((f) => f.severity === 'warning').length,
      infos: result.findings.filter((f) => f.severity === 'info').length,
    },
    findings,
  };
  return opts.redactor.scrubDeep(out);
}

export function renderCheckJson(result: CheckResult, opts: RenderOptions): string {
  return `${JSON.stringify(checkJson(result, opts), null, 2)}\n`;
}

/** A predicted answer in JSON: status, code and message (null where undocumented); the EC where it is all that is known. */
type JsonPrediction = { status: number | null; code: string | null; message: string | null; ec?: string; basis?: 'inferred' };
function jsonPrediction(p: ResolvedPrediction): JsonPrediction {
  const out: JsonPrediction = { status: p.status, code: p.code, message: p.message };
  if (p.message === null && p.ec) out.ec = p.ec;
  if (p.basis) out.basis = p.basis;
  return out;
}
