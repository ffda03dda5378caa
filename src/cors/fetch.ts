// What the browser does before and around a cross-origin request, per the WHATWG Fetch
// standard (https://fetch.spec.whatwg.org/) as Chromium implements it
// (services/network/public/cpp/cors/cors.cc): whether a preflight is needed, the
// Access-Control-Request-Headers it sends, and whether a capture is a form navigation.

import type { CorsProvider } from './types.js';

export type HeaderList = Array<[string, string]>;

/** Why a header forces a preflight. */
export type UnsafeHeaderWhy = 'not-safelisted' | 'value-too-long' | 'value-unsafe-bytes' | 'content-type-not-simple' | 'range-not-simple' | 'safelisted-total-too-large';

/** Why a captured header does not count. */
export type IgnoredWhy = 'forbidden' | 'browser-set' | 'pseudo-header';

export type PreflightCause = { kind: 'method'; method: string } | { kind: 'header'; name: string; why: UnsafeHeaderWhy } | { kind: 'xhr-upload-listener' };

export interface PreflightNeed {
  needed: boolean;
  /** The method as the browser normalises it (DELETE/GET/HEAD/OPTIONS/POST/PUT uppercased). */
  method: string;
  causes: PreflightCause[];
  /** Lowercased names of the headers that force the preflight, sorted. */
  unsafeHeaders: string[];
  /** Access-Control-Request-Method of the preflight, or null when none is sent. */
  accessControlRequestMethod: string | null;
  /** Access-Control-Request-Headers as Chromium writes it (lowercased, sorted, joined by ","), or null. */
  accessControlRequestHeaders: string | null;
  /** Captured headers that do not count, and why. */
  ignored: Array<{ name: string; why: IgnoredWhy }>;
}

export interface PreflightQuestion {
  method: string;
  headers: HeaderList;
  /** The request body's Content-Type, when the header list does not carry it. */
  contentType?: string;
  /** XMLHttpRequest with upload event listeners (e.g. a progress bar) always preflights. */
  xhrUploadListener?: boolean;
}

const NORMALISED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];

/** Fetch "forbidden request-header" names (set by the browser, never by a script). */
const FORBIDDEN = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** Set by Chromium itself, below the CORS check, and not counted: User-Agent (a script cannot
 * change it in Chromium) and the HTTP priority header; client hints Chromium safelists. */
const BROWSER_SET = new Set(['user-agent', 'priority', 'dpr', 'save-data', 'device-memory', 'viewport-width', 'width']);

const METHOD_OVERRIDE = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export function normaliseMethod(method: string): string {
  const up = method.toUpperCase();
  return NORMALISED_METHODS.includes(up) ? up : method;
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.includes(method);
}

/** Why a captured header is not the script's, or null when it is. */
export function ignoredWhy(name: string, value: string): IgnoredWhy | null {
  const n = name.toLowerCase();
  if (n.startsWith(':')) return 'pseudo-header';
  if (FORBIDDEN.has(n) || n.startsWith('proxy-') || n.startsWith('sec-')) return 'forbidden';
  if (METHOD_OVERRIDE.has(n) && value.split(',').some((v) => FORBIDDEN_METHODS.has(v.trim().toUpperCase()))) return 'forbidden';
  if (BROWSER_SET.has(n)) return 'browser-set';
  return null;
}

/** Fetch "CORS-unsafe request-header byte". */
function unsafeByte(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  return [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (unsafeByte(value.charCodeAt(i))) return true;
  return false;
}

/** Accept-Language / Content-Language: only 0-9 A-Z a-z space * , - . ; = */
function languageValueOk(value: string): boolean {
  return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
}

/** The essence (type/subtype, lowercased) of a MIME type, or null when it does not parse. */
export function mimeEssence(value: string): string | null {
  const m = /^[\t\n\r ]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[\t\n\r ]*(?:;|$)/.exec(value);
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : null;
}

const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Fetch "simple range header value": `bytes=N-` or `bytes=N-M` (N <= M), no suffix range. */
export function simpleRange(value: string): boolean {
  const m = /^bytes=(\d+)-(\d*)$/i.exec(value);
  if (!m) return false;
  return m[2] === '' || Number(m[1]) <= Number(m[2]);
}

/** Why a (name, value) pair is not a CORS-safelisted request-header, or null when it is one. */
export function unsafeWhy(name: string, value: string): UnsafeHeaderWhy | null {
  const n = name.toLowerCase();
  if (!['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(n)) return 'not-safelisted';
  if (value.length > 128) return 'value-too-long';
  if (n === 'accept') return hasUnsafeByte(value) ? 'value-unsafe-bytes' : null;
  if (n === 'accept-language' || n === 'content-language') return languageValueOk(value) ? null : 'value-unsafe-bytes';
  if (n === 'content-type') {
    if (hasUnsafeByte(value)) return 'value-unsafe-bytes';
    const essence = mimeEssence(value);
    return essence && SIMPLE_CONTENT_TYPES.includes(essence) ? null : 'content-type-not-simple';
  }
  return simpleRange(value) ? null : 'range-not-simple';
}

/** The script's headers, combined by name (a header list joins repeated names with ", "). */
function authorHeaders(q: PreflightQuestion, ignored: PreflightNeed['ignored']): Map<string, string> {
  const out = new Map<string, string>();
  // Chromium adds Pragma and Cache-Control "no-cache" below the CORS layer when the cache is off
  // (DevTools "Disable cache", a router): they never make a preflight, so they are not the script's
  const noCache = header(q.headers, 'pragma') === 'no-cache' && header(q.headers, 'cache-control') === 'no-cache';
  const all: HeaderList = q.headers.filter(([n]) => !(noCache && /^(?:pragma|cache-control)$/i.test(n)));
  if (q.contentType !== undefined && !all.some(([n]) => n.toLowerCase() === 'content-type')) all.push(['content-type', q.contentType]);
  for (const [name, value] of all) {
    const why = ignoredWhy(name, value);
    if (why) {
      ignored.push({ name: name.toLowerCase(), why });
      continue;
    }
    const n = name.toLowerCase();
    const prev = out.get(n);
    out.set(n, prev === undefined ? value : `${prev}, ${value}`);
  }
  return out;
}

/** Fetch "CORS-unsafe request-header names" with the reason for each. */
function unsafeHeaders(headers: Map<string, string>): Array<{ name: string; why: UnsafeHeaderWhy }> {
  const out: Array<{ name: string; why: UnsafeHeaderWhy }> = [];
  const safe: string[] = [];
  let safeSize = 0;
  for (const [name, value] of headers) {
    const why = unsafeWhy(name, value);
    if (why) out.push({ name, why });
    else {
      safe.push(name);
      safeSize += value.length;
    }
  }
  if (safeSize > 1024) for (const name of safe) out.push({ name, why: 'safelisted-total-too-large' });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether the browser sends a CORS preflight before this cross-origin request, and with what. */
export function needsPreflight(q: PreflightQuestion): PreflightNeed {
  const ignored: PreflightNeed['ignored'] = [];
  const method = normaliseMethod(q.method);
  const unsafe = unsafeHeaders(authorHeaders(q, ignored));
  const causes: PreflightCause[] = [];
  if (!isSafelistedMethod(method)) causes.push({ kind: 'method', method });
  for (const u of unsafe) causes.push({ kind: 'header', name: u.name, why: u.why });
  if (q.xhrUploadListener) causes.push({ kind: 'xhr-upload-listener' });
  const needed = causes.length > 0;
  const names = unsafe.map((u) => u.name);
  return {
    needed,
    method,
    causes,
    unsafeHeaders: names,
    accessControlRequestMethod: needed ? method : null,
    accessControlRequestHeaders: needed && names.length > 0 ? names.join(',') : null,
    ignored,
  };
}

function header(headers: HeaderList, name: string): string | undefined {
  const hit = headers.find(([n]) => n.toLowerCase() === name);
  return hit?.[1].trim().toLowerCase();
}

/**
 * The capture is a navigation (a plain `<form>` submission, or one into an iframe), which CORS
 * does not govern: `Sec-Fetch-Mode: navigate`, or, without Sec-Fetch-Mode, a Sec-Fetch-Dest of
 * document / iframe / frame.
 */
export function formNavigation(headers: HeaderList): boolean {
  const mode = header(headers, 'sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate' || mode === 'nested-navigate';
  const dest = header(headers, 'sec-fetch-dest');
  if (dest !== undefined) return dest === 'document' || dest === 'iframe' || dest === 'frame';
  // captures without fetch metadata (a HAR recorded through a proxy or router): browsers send
  // Upgrade-Insecure-Requests on navigations only
  return header(headers, 'upgrade-insecure-requests') === '1';
}

/** Fetch "CORS-safelisted response-header names": readable without Access-Control-Expose-Headers. */
export const SAFELISTED_RESPONSE_HEADERS: readonly string[] = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];

const REQUEST_ID: Readonly<Record<CorsProvider, string[]>> = {
  s3: ['x-amz-request-id'],
  cos: ['x-cos-request-id'],
  oss: ['x-oss-request-id'],
  gcs: ['x-goog-generation', 'x-goog-hash'],
  obs: ['x-obs-request-id'],
  tos: ['x-tos-request-id'],
};

/** The response headers an upload page usually reads: ETag, Location, Date and the provider's own. */
export function defaultReadHeaders(provider: CorsProvider): string[] {
  return ['ETag', 'Location', 'Date', ...(REQUEST_ID[provider] ?? [])];
}
