// CORS as the bucket does it, through the CORS engine (src/cors, docs/cors.md): serve has one
// CORS configuration in the engine's model, read from --cors-config or made from --cors-origin
// (the origins given, methods GET PUT POST HEAD, any request header, the response headers serve
// sends exposed). Preflights are answered as the engine says the provider answers them, actual
// requests carry the CORS headers the engine says, and the diagnosis uses the engine's findings
// (rules/findings/cors.yaml), the same words `check --cors-config` prints.
import type { Finding, ProviderId } from '../core/types.js';
import { defaultReadHeaders, diagnoseCors, evaluateActual, formNavigation, type CorsCapture, type CorsConfig, type CorsDiagnosis } from '../cors/index.js';
import { exposedHeaders } from './answers.js';

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'HEAD'] as const;
export const CORS_MAX_AGE = 600;

/**
 * --cors-origin as a configuration: one rule with the origins, methods GET PUT POST HEAD,
 * allowed headers `*`, and exposed the headers serve sends (ETag, Date, Location, the request
 * id) and the ones a page usually reads (defaultReadHeaders). No origin: no rule at all (a
 * bucket without CORS configuration).
 */
export function originsConfig(provider: ProviderId, origins: readonly string[]): CorsConfig {
  const source = provider === 'cos' || provider === 'oss' ? 'xml' : 'json';
  if (origins.length === 0) return { provider, rules: [], source };
  const expose: string[] = [];
  for (const h of [...exposedHeaders(provider), ...defaultReadHeaders(provider)]) if (!expose.some((e) => e.toLowerCase() === h.toLowerCase())) expose.push(h);
  return {
    provider,
    rules: [{ index: 0, allowedOrigins: [...origins], allowedMethods: [...CORS_METHODS], allowedHeaders: ['*'], exposeHeaders: expose, maxAgeSeconds: CORS_MAX_AGE }],
    source,
  };
}

/**
 * Whether CORS governs this request: a cross-origin fetch / XMLHttpRequest. A form
 * submission (Sec-Fetch-Mode navigate) and a same-origin request are not subject to CORS.
 */
export function corsApplies(headers: { origin?: string; secFetchMode?: string; secFetchSite?: string }, ownOrigin: string): boolean {
  const origin = headers.origin;
  if (!origin) return false;
  const mode = headers.secFetchMode?.toLowerCase();
  if (mode === 'navigate' || mode === 'no-cors' || mode === 'same-origin' || mode === 'nested-navigate') return false;
  if (headers.secFetchSite?.toLowerCase() === 'same-origin') return false;
  return origin !== ownOrigin;
}

/** A value no header is CORS-safelisted with (longer than 128 bytes). */
const UNSAFE_VALUE = 'x'.repeat(129);

/**
 * The engine's view of a preflight: the actual request it asks about, built from
 * Access-Control-Request-Method and -Headers. Every listed header counts as one that forces the
 * preflight (an unsafe value), and the upload-listener flag makes the preflight needed even for
 * a safelisted method without headers (an XMLHttpRequest with a progress bar sends that one).
 */
export function preflightCapture(origin: string, method: string, requestHeaders: string | undefined): CorsCapture {
  const names = (requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return { origin, method, headers: names.map((n): [string, string] => [n, UNSAFE_VALUE]), xhrUploadListener: true };
}

/** What CORS makes of one actual (non-OPTIONS) request to serve. */
export interface ActualCors {
  /** CORS headers of the answer (the bucket adds them whatever the browser then does). */
  headers: Array<[string, string]>;
  /** The engine's findings for the request (empty when CORS has nothing to say). */
  findings: Finding[];
  /** The browser hides the answer from the page (or never sends the request). */
  blocked: boolean;
  /** The finding that says why, when blocked. */
  cause: Finding | null;
  diagnosis: CorsDiagnosis | null;
}

/**
 * The request headers as the page's script set them, as far as the wire shows: without the
 * `Pragma: no-cache` + `Cache-Control: no-cache` pair Chromium adds below the CORS layer when
 * its cache is disabled (DevTools "Disable cache", or a test driver that intercepts requests).
 * They never make the browser send a preflight, so they are not the script's (docs/cors.md: a
 * capture cannot tell them apart; serve sees them on every such request).
 */
export function scriptHeaders(headers: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const value = (name: string): string[] => headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v.trim().toLowerCase());
  const pragma = value('pragma');
  const cache = value('cache-control');
  const disabled = pragma.length === 1 && pragma[0] === 'no-cache' && cache.length === 1 && cache[0] === 'no-cache';
  return disabled ? headers.filter(([k]) => !['pragma', 'cache-control'].includes(k.toLowerCase())) : [...headers];
}

/** The finding that explains a refusal: the first error that is not about the configuration's own text. */
export function corsCause(findings: readonly Finding[]): Finding | null {
  return findings.find((f) => f.severity === 'error' && f.id.startsWith('cors.') && !f.id.startsWith('cors.config-')) ?? null;
}

/**
 * CORS for an actual request: the answer's CORS headers (evaluateActual: matched on origin and
 * method only, as the bucket does), and, for a cross-origin fetch / XMLHttpRequest, what the
 * browser makes of it (diagnoseCors on the request as received: its preflight, if it needs one,
 * then the answer). A cross-origin form submission gets the engine's form-navigation note.
 */
export function actualCors(
  config: CorsConfig,
  req: { origin: string | undefined; method: string; headers: Array<[string, string]>; contentType?: string | undefined; secFetchMode?: string | undefined; secFetchSite?: string | undefined },
  ownOrigin: string,
): ActualCors {
  const none: ActualCors = { headers: [], findings: [], blocked: false, cause: null, diagnosis: null };
  const origin = req.origin;
  if (!origin || origin === ownOrigin || req.secFetchSite?.toLowerCase() === 'same-origin') return none;
  const ev = evaluateActual(config, { origin, method: req.method });
  const headers = ev.answer.headers.map(([k, v]): [string, string] => [k, v]);
  const capture: CorsCapture = { origin, method: req.method, headers: scriptHeaders(req.headers), ...(req.contentType !== undefined ? { contentType: req.contentType } : {}) };
  if (formNavigation(req.headers)) {
    const d = diagnoseCors(config, capture);
    return { headers, findings: d.findings, blocked: false, cause: null, diagnosis: d };
  }
  if (!corsApplies({ origin, secFetchMode: req.secFetchMode, secFetchSite: req.secFetchSite }, ownOrigin)) return { ...none, headers };
  const d = diagnoseCors(config, capture);
  const blocked = d.preflight !== null && !d.preflight.allowed ? true : d.actual !== null && !d.actual.allowed;
  return { headers, findings: d.findings, blocked, cause: blocked ? corsCause(d.findings) : null, diagnosis: d };
}
