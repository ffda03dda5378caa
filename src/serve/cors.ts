// CORS as a bucket does it: a list of allowed origins ("*" for any, or one "*" wildcard
// inside an origin like "http://*.example.com"), methods GET, PUT, POST, HEAD allowed,
// any request header allowed, ETag / Date / request id exposed.

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'HEAD'] as const;
export const CORS_MAX_AGE = 600;

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  for (const a of allowed) {
    if (a === '*') return true;
    if (a === origin) return true;
    const star = a.indexOf('*');
    if (star >= 0 && a.indexOf('*', star + 1) < 0) {
      const pre = a.slice(0, star);
      const post = a.slice(star + 1);
      if (origin.length >= pre.length + post.length && origin.startsWith(pre) && origin.endsWith(post)) return true;
    }
  }
  return false;
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

/** Headers of an answer to an allowed cross-origin request. */
export function corsHeaders(origin: string, allowed: readonly string[], exposed: readonly string[]): Array<[string, string]> {
  const any = allowed.includes('*');
  const out: Array<[string, string]> = [['Access-Control-Allow-Origin', any ? '*' : origin]];
  if (!any) out.push(['Access-Control-Allow-Credentials', 'true']);
  out.push(['Access-Control-Expose-Headers', exposed.join(', ')]);
  out.push(['Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method']);
  return out;
}

/** Headers of an allowed preflight answer. */
export function preflightHeaders(origin: string, allowed: readonly string[], method: string, requestHeaders: string | undefined, exposed: readonly string[]): Array<[string, string]> {
  const out = corsHeaders(origin, allowed, exposed);
  out.push(['Access-Control-Allow-Methods', method.toUpperCase()]);
  if (requestHeaders && requestHeaders.trim()) out.push(['Access-Control-Allow-Headers', requestHeaders.trim()]);
  out.push(['Access-Control-Max-Age', String(CORS_MAX_AGE)]);
  return out;
}
