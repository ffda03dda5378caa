// Evaluates a preflight and an actual cross-origin request against a bucket's CORS
// configuration: which rule answers, what the server sends back, and what the browser makes
// of it. Pure data in, data out.

import { allowedActualAnswer, allowedPreflightAnswer, refusedActualAnswer, refusedPreflightAnswer } from './answer.js';
import { browserCheck, exposedTo } from './browser.js';
import { defaultReadHeaders, normaliseMethod } from './fetch.js';
import { findMatch, refusalOf } from './match.js';
import type { ActualEvaluation, ActualRequest, CorsConfig, PreflightEvaluation, PreflightRequest } from './types.js';

export { needsPreflight, formNavigation, defaultReadHeaders } from './fetch.js';
export { smallestFix } from './fix.js';

/** The preflight (OPTIONS) for `req`: the provider's answer and the browser's verdict. */
export function evaluatePreflight(config: CorsConfig, req: PreflightRequest): PreflightEvaluation {
  const method = normaliseMethod(req.method);
  const requestHeaders = req.requestHeaders.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  const m = findMatch(config, req.origin, method, requestHeaders);
  const rule = m.matched !== null ? config.rules[m.matched] : undefined;
  const refusal = rule ? null : refusalOf(config, m);
  const answer = rule ? allowedPreflightAnswer(config, rule, req.origin, method, requestHeaders) : refusedPreflightAnswer(config, refusal?.reason ?? 'no-rules');
  const browser = browserCheck(answer, { preflight: true, origin: req.origin, method, requestHeaders, credentials: req.credentials === true });
  return { provider: config.provider, allowed: browser.ok, matchedRule: rule ? rule.index : null, refusal, answer, browser, requestHeaders };
}

/** The actual request: whether the page can read the answer, and which of the headers it wants it cannot. */
export function evaluateActual(config: CorsConfig, req: ActualRequest): ActualEvaluation {
  const method = normaliseMethod(req.method);
  const credentials = req.credentials === true;
  const readHeaders = req.readHeaders ?? defaultReadHeaders(config.provider);
  const m = findMatch(config, req.origin, method, []);
  const rule = m.matched !== null ? config.rules[m.matched] : undefined;
  const refusal = rule ? null : refusalOf(config, m);
  const answer = rule ? allowedActualAnswer(config, rule, req.origin) : refusedActualAnswer(config);
  const browser = browserCheck(answer, { preflight: false, origin: req.origin, method, requestHeaders: [], credentials });
  const readable = exposedTo(answer, credentials);
  const unexposed = browser.ok ? readHeaders.filter((h) => !readable(h)) : [...readHeaders];
  return { provider: config.provider, allowed: browser.ok, matchedRule: rule ? rule.index : null, refusal, answer, browser, readHeaders, unexposed };
}
