// The bucket's CORS rules (check --cors-config) against the captured request: whether the browser
// lets the page send the upload and read the answer, or refuses it with "blocked by CORS policy".
// The matching rules and the words behind them: src/cors, docs/cors.md, rules/findings/cors.yaml.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { CORS_FINDINGS, diagnoseCors } from '../cors/index.js';
import { findHeader } from '../input/util.js';

/** The page's origin: --origin, else the Origin header, else the origin of the Referer. */
export function pageOrigin(headers: Array<[string, string]>, given: string | null): string | null {
  if (given) return given;
  const origin = findHeader(headers, 'origin');
  if (origin && origin !== 'null') return origin;
  const referer = findHeader(headers, 'referer');
  if (!referer) return null;
  try {
    const u = new URL(referer);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export const corsRules: Check = {
  id: 'cors',
  providers: PROVIDER_IDS,
  emits: [...CORS_FINDINGS],
  run(ctx) {
    const cors = ctx.cors;
    if (!cors) return [];
    const headers = ctx.req.headers;
    const origin = pageOrigin(headers, cors.origin);
    const contentType = findHeader(headers, 'content-type');
    const d = diagnoseCors(cors.config, { origin, method: ctx.req.method, headers, ...(contentType !== undefined ? { contentType } : {}) });
    return d.findings;
  },
};
