// Small helpers checks share to build findings.

import type { Finding, Facts, ProviderId, ServerFlavour, Severity } from '../core/types.js';
import type { PolicyProblem } from '../policy/index.js';
import { PREDICTIONS, predict } from './predict.js';
import { FINDING_SEVERITY, type FindingId } from '../generated/ids.js';

/**
 * A finding with the catalogue's severity (rules/findings: severity lives there). `severity` is
 * given only where one occurrence differs from the catalogue's (a milder case the facts show).
 */
export function finding(id: FindingId, facts: Facts, predicts: Finding['predicts'] = null, field?: string, severity: Severity = FINDING_SEVERITY[id]): Finding {
  const f: Finding = { id, severity, facts, predicts };
  if (field !== undefined) f.field = field;
  return f;
}

/** Every catalogue finding id that starts with `prefix` (for checks that forward ids from a report). */
export function findingIdsWith(prefix: string): FindingId[] {
  return (Object.keys(FINDING_SEVERITY) as FindingId[]).filter((id) => id.startsWith(prefix));
}

/** A policy problem as a finding, with the provider's predicted answer (errors only). */
export function policyProblemFinding(p: PolicyProblem, ctx: { provider: ProviderId; server: ServerFlavour }): Finding {
  const own = p.predict ?? p.id;
  // the problem's own row first (MinIO answers an empty policy unlike an undecodable one), then
  // the text problems' common row
  const common = own.startsWith('policy.base64-') || own === 'policy.not-utf8' || own === 'policy.empty' || own === 'policy.bom' ? 'policy.base64' : own;
  const key = Object.hasOwn(PREDICTIONS, own) ? own : common;
  const predicts = p.severity === 'error' ? predict(key, ctx, predictionVars(p.facts)) : null;
  return finding(p.id, p.facts, predicts, 'policy', p.severity);
}

/** Plain facts as template variables of the predicted message (plus `op` for the operator). */
function predictionVars(facts: Record<string, unknown>): Record<string, string | number> {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(facts)) {
    if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
  }
  if (typeof facts.operator === 'string') vars.op = facts.operator;
  return vars;
}
