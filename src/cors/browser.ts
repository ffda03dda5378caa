// What Chromium makes of an answer (services/network/public/cpp/cors/cors.cc CheckAccess /
// CheckPreflightAccess, preflight_result.cc EnsureAllowedCrossOriginMethod / Headers): the
// CorsError kind its console reports, in the order Chromium checks. The Allow-Origin check
// comes before the status check, so a refused preflight answered 403 without CORS headers is
// reported as a missing Access-Control-Allow-Origin, not as a non-OK status.

import type { KbId } from '../generated/ids.js';
import { isSafelistedMethod, SAFELISTED_RESPONSE_HEADERS } from './fetch.js';
import type { BrowserVerdict, ConsoleKind, ServerAnswer } from './types.js';

export interface BrowserCheck {
  preflight: boolean;
  origin: string;
  method: string;
  /** CORS-unsafe request header names the preflight asked for. */
  requestHeaders: readonly string[];
  credentials: boolean;
}

const KB: Readonly<Record<ConsoleKind, KbId>> = {
  'preflight-missing-allow-origin': 'browser.cors.missing-allow-origin',
  'missing-allow-origin': 'browser.cors.missing-allow-origin',
  'preflight-multiple-allow-origin-values': 'browser.cors.allow-origin-mismatch',
  'multiple-allow-origin-values': 'browser.cors.allow-origin-mismatch',
  'preflight-wildcard-origin-not-allowed': 'browser.cors.allow-origin-mismatch',
  'wildcard-origin-not-allowed': 'browser.cors.allow-origin-mismatch',
  'preflight-allow-origin-mismatch': 'browser.cors.allow-origin-mismatch',
  'allow-origin-mismatch': 'browser.cors.allow-origin-mismatch',
  'preflight-invalid-allow-credentials': 'browser.cors.allow-origin-mismatch',
  'invalid-allow-credentials': 'browser.cors.allow-origin-mismatch',
  'preflight-invalid-status': 'browser.cors.preflight-not-ok',
  'method-disallowed-by-preflight-response': 'browser.cors.method-not-allowed',
  'header-disallowed-by-preflight-response': 'browser.cors.header-not-allowed',
};

function get(answer: ServerAnswer, name: string): string | null {
  const hit = answer.headers.find(([n]) => n.toLowerCase() === name);
  return hit ? hit[1] : null;
}

function list(value: string | null): string[] {
  return value === null
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** CheckAccess: the kind without its "preflight-" prefix, or null when access passes. */
function accessError(answer: ServerAnswer, c: BrowserCheck): { kind: string; certain: boolean } | null {
  const allow = get(answer, 'access-control-allow-origin');
  if (allow === null) return { kind: 'missing-allow-origin', certain: true };
  if (allow.includes(',')) return { kind: 'multiple-allow-origin-values', certain: true };
  // an answer no source documents (TOS: S3's assumed) may not send * at all
  if (allow === '*') return c.credentials ? { kind: 'wildcard-origin-not-allowed', certain: !answer.unknownHeaders.includes('access-control-allow-origin') } : null;
  if (allow !== c.origin) return { kind: 'allow-origin-mismatch', certain: true };
  if (!c.credentials || get(answer, 'access-control-allow-credentials') === 'true') return null;
  return { kind: 'invalid-allow-credentials', certain: !answer.unknownHeaders.includes('access-control-allow-credentials') };
}

function verdict(kind: ConsoleKind | null, answer: ServerAnswer, certain: boolean, extra: Partial<BrowserVerdict['facts']> = {}): BrowserVerdict {
  return { ok: kind === null, kind, certain, facts: { status: answer.status, allowOrigin: get(answer, 'access-control-allow-origin'), ...extra }, kb: kind ? KB[kind] : null };
}

function methodAllowed(answer: ServerAnswer, c: BrowserCheck): boolean {
  if (isSafelistedMethod(c.method)) return true;
  const methods = list(get(answer, 'access-control-allow-methods'));
  return methods.includes(c.method) || (!c.credentials && methods.includes('*'));
}

function refusedHeaders(answer: ServerAnswer, c: BrowserCheck): string[] {
  const allowed = list(get(answer, 'access-control-allow-headers')).map((h) => h.toLowerCase());
  const star = !c.credentials && allowed.includes('*');
  return c.requestHeaders.map((h) => h.toLowerCase()).filter((h) => !allowed.includes(h) && !(star && h !== 'authorization'));
}

/** The browser's verdict on a preflight answer or on an actual request's answer. */
export function browserCheck(answer: ServerAnswer, c: BrowserCheck): BrowserVerdict {
  const access = accessError(answer, c);
  if (access) return verdict(((c.preflight ? 'preflight-' : '') + access.kind) as ConsoleKind, answer, access.certain);
  // passing with credentials rests on Allow-Origin / Allow-Credentials values no source documents (TOS)
  const passed = !(c.credentials && answer.unknownHeaders.some((h) => h === 'access-control-allow-origin' || h === 'access-control-allow-credentials'));
  if (!c.preflight) return verdict(null, answer, passed);
  if (answer.status !== null && (answer.status < 200 || answer.status > 299)) return verdict('preflight-invalid-status', answer, true);
  if (!methodAllowed(answer, c)) return verdict('method-disallowed-by-preflight-response', answer, true, { method: c.method });
  const refused = refusedHeaders(answer, c);
  if (refused.length) return verdict('header-disallowed-by-preflight-response', answer, true, { headers: refused });
  return verdict(null, answer, passed);
}

/** Response headers the page can read: the CORS-safelisted ones and those in Access-Control-Expose-Headers. */
export function exposedTo(answer: ServerAnswer, credentials: boolean): (name: string) => boolean {
  const exposed = list(get(answer, 'access-control-expose-headers')).map((h) => h.toLowerCase());
  return (name) => {
    const n = name.toLowerCase();
    return SAFELISTED_RESPONSE_HEADERS.includes(n) || exposed.includes(n) || (!credentials && exposed.includes('*'));
  };
}
