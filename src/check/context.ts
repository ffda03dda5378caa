// Building the check context: policy decoded once, endpoint parsed once, signature
// verified once. Checks read the shared analysis through `policyAnalysisOf`.

import type { ProviderId, UploadRequest } from '../core/types.js';
import { analysePolicy, type PolicyAnalysis } from '../policy/index.js';
import { adapter } from '../providers/index.js';
import type { CheckContext } from './types.js';

const analyses = new WeakMap<UploadRequest, { base64: string | null; trailingCommas: boolean; analysis: PolicyAnalysis | null }>();

/** The `policy` field's value (first field named policy, case-insensitive), or null. */
export function policyField(req: UploadRequest): string | null {
  for (const p of req.parts) {
    if (p.kind === 'field' && p.name.toLowerCase() === 'policy') return p.value;
  }
  return null;
}

/** The request's policy analysis (memoised per request); null when there is no policy field. */
export function analyseRequestPolicy(req: UploadRequest, provider?: ProviderId): PolicyAnalysis | null {
  const base64 = policyField(req);
  // how the provider reads a policy beyond JSON (its adapter says)
  const trailingCommas = provider ? adapter(provider).policyReading?.trailingCommas === true : false;
  const cached = analyses.get(req);
  if (cached && cached.base64 === base64 && cached.trailingCommas === trailingCommas) return cached.analysis;
  const analysis = base64 === null ? null : analysePolicy(base64, { trailingCommas });
  analyses.set(req, { base64, trailingCommas, analysis });
  return analysis;
}

export function policyAnalysisOf(ctx: Pick<CheckContext, 'req' | 'provider'>): PolicyAnalysis | null {
  return analyseRequestPolicy(ctx.req, ctx.provider);
}
