// `probe --origin`: send ONE real CORS preflight (OPTIONS) to the target, as Chromium writes it,
// and judge the answer with the CORS engine's browser check (src/cors/browser.ts): whether
// Chromium accepts the preflight and, if not, which part of the answer it refuses. Data only;
// the words are in rules/ui/probe.yaml.

import { XMLParser } from 'fast-xml-parser';
import { UsageError } from '../core/errors.js';
import type { ProviderId } from '../core/types.js';
import { browserCheck } from '../cors/browser.js';
import { ignoredWhy, normaliseMethod } from '../cors/fetch.js';
import type { BrowserVerdict, ConsoleKind, ServerAnswer } from '../cors/types.js';
import { S3_NOT_ENABLED } from '../cors/answer.js';
import { adapter } from '../providers/index.js';
import type { ErrorAnswer } from '../providers/types.js';
import { detectServer } from '../providers/s3/errors.js';
import type { ServerFlavour } from '../core/types.js';
import { parseHttpUrl, send, type HttpResponse } from './http.js';

export const PROBE_CORS_SCHEMA = 'post-doctor/probe-cors@1';

/** The part of a preflight answer Chromium refuses. */
export type RefusedPart = 'status' | 'allow-origin' | 'allow-methods' | 'allow-headers' | 'credentials';

/** Where the provider whose rules explain the answer came from. */
export type ProviderSource = 'option' | 'endpoint' | 'answer' | 'assumed';

/** What the bucket's answer says about why it refused, when it says anything. */
export type ServerNote = 'not-enabled' | 'no-rule' | 'rgw-refused' | 'refused' | 'gcs-no-match';

export interface CorsProbeRequest {
  url: string;
  /** The page's origin (already checked: scheme, host and port). */
  origin: string;
  /** The actual request's method (normalised as Fetch does). */
  method: string;
  /** Header names the page sets; lowercased, de-duplicated and sorted here. */
  requestHeaders: string[];
  /** The actual request is sent with credentials (cookies / withCredentials). */
  credentials?: boolean;
}

export interface CorsProbeOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface CorsRefusal {
  part: RefusedPart;
  kind: ConsoleKind;
  facts: BrowserVerdict['facts'];
}

export interface CorsProbeJudgement {
  /** Chromium accepts the preflight and sends the actual request. */
  allowed: boolean;
  refused: CorsRefusal | null;
  verdict: BrowserVerdict;
  /** The XML error body's Code and Message, when the answer carries one. */
  error: { code: string; message: string } | null;
  /** The Access-Control-* and Vary headers of the answer, names lowercased, repeated ones joined by ", ". */
  responseHeaders: Record<string, string>;
}

export interface CorsProbeResult extends CorsProbeJudgement {
  url: string;
  origin: string;
  method: string;
  requestHeaders: string[];
  /** The preflight's request headers as sent. */
  sent: Array<[string, string]>;
  status: number;
  response: HttpResponse;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The method option: an HTTP method a page can use, normalised as Fetch does; or a UsageError. */
export function preflightMethod(value: unknown): string {
  const s = String(value ?? 'POST').trim();
  if (!TOKEN.test(s)) throw new UsageError(`method must be an HTTP method such as PUT; got '${s.slice(0, 40)}'`, { about: 'method' });
  if (FORBIDDEN_METHODS.has(s.toUpperCase())) throw new UsageError(`method ${s}: a browser never sends this method`, { about: 'method' });
  if (s.toUpperCase() === 'OPTIONS') throw new UsageError('method OPTIONS: give the method of the request the page sends after the preflight (POST, PUT, ...)', { about: 'method' });
  return normaliseMethod(s);
}

/**
 * Header names (the header option) as Chromium puts them in Access-Control-Request-Headers: lowercased, sorted,
 * each once. Commas split a value ("--header x-amz-date,content-type"). Names a page cannot set
 * (forbidden request headers, ones the browser sets itself) are a UsageError.
 */
export function preflightHeaderNames(values: unknown): string[] {
  const list = values === undefined || values === null ? [] : Array.isArray(values) ? values : [values];
  const names = new Set<string>();
  for (const v of list) {
    for (const part of String(v).split(',')) {
      const n = part.trim().toLowerCase();
      if (n === '') continue;
      if (!TOKEN.test(n)) throw new UsageError(`header must be a request header name such as x-amz-date; got '${part.trim().slice(0, 60)}'`, { about: 'header' });
      const why = ignoredWhy(n, '');
      if (why) throw new UsageError(`header ${n}: the browser sets this header itself; a page cannot ask for it`, { about: 'header' });
      names.add(n);
    }
  }
  // Fetch: sorted byte-wise, lowercased, joined by "," (no space)
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The preflight's request headers, in the order Chromium sends them. */
export function preflightRequestHeaders(req: CorsProbeRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['Origin', req.origin],
    ['Access-Control-Request-Method', req.method],
  ];
  if (req.requestHeaders.length) out.push(['Access-Control-Request-Headers', req.requestHeaders.join(',')]);
  return out;
}

/** The CORS headers (Access-Control-*) and Vary of an answer; repeated names joined by ", " as HTTP combines them. */
export function corsResponseHeaders(headers: ReadonlyArray<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    const n = k.toLowerCase();
    if (!n.startsWith('access-control-') && n !== 'vary') continue;
    out[n] = n in out ? `${out[n]}, ${v}` : v;
  }
  return out;
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true, ignorePiTags: true, processEntities: true });

/** Code and Message of an XML error body (`<Error><Code>..</Code><Message>..</Message>`), or null. */
export function parseErrorBody(body: string): { code: string; message: string } | null {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('<')) return null;
  let doc: unknown;
  try {
    doc = xml.parse(text);
  } catch {
    return null;
  }
  const root = (doc as Record<string, unknown> | null)?.Error;
  if (!root || typeof root !== 'object') return null;
  const r = root as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const code = str(r.Code);
  const message = str(r.Message);
  if (code === '' && message === '') return null;
  return { code, message };
}

/** The part of the answer a console kind is about. */
export function refusedPart(kind: ConsoleKind): RefusedPart {
  switch (kind) {
    case 'preflight-invalid-status':
      return 'status';
    case 'method-disallowed-by-preflight-response':
      return 'allow-methods';
    case 'header-disallowed-by-preflight-response':
      return 'allow-headers';
    case 'preflight-wildcard-origin-not-allowed':
    case 'preflight-invalid-allow-credentials':
    case 'wildcard-origin-not-allowed':
    case 'invalid-allow-credentials':
      return 'credentials';
    default:
      return 'allow-origin';
  }
}

/** Chromium's verdict on a preflight answer (status, headers, body) to `req`. */
export function judgePreflight(req: CorsProbeRequest, answer: { status: number; headers: ReadonlyArray<[string, string]>; body: string }): CorsProbeJudgement {
  const responseHeaders = corsResponseHeaders(answer.headers);
  const error = parseErrorBody(answer.body);
  const server: ServerAnswer = {
    status: answer.status,
    code: error?.code ?? null,
    message: error?.message ?? null,
    headers: Object.entries(responseHeaders),
    unknownHeaders: [],
    basis: 'observed',
    kb: null,
    sources: [],
  };
  const verdict = browserCheck(server, { preflight: true, origin: req.origin, method: req.method, requestHeaders: req.requestHeaders, credentials: req.credentials === true });
  const refused = verdict.ok || verdict.kind === null ? null : { part: refusedPart(verdict.kind), kind: verdict.kind, facts: verdict.facts };
  return { allowed: verdict.ok, refused, verdict, error, responseHeaders };
}

function errorAnswerOf(res: { status: number; headers: ReadonlyArray<[string, string]>; body: string }, error: { code: string; message: string } | null): ErrorAnswer {
  const requestId = /<RequestId>([^<]*)<\/RequestId>/.exec(res.body)?.[1] ?? null;
  const hostId = /<HostId>([^<]*)<\/HostId>/.exec(res.body)?.[1] ?? null;
  return { status: res.status, headers: [...res.headers], code: error?.code ?? null, message: error?.message ?? null, requestId, hostId, ec: null, elements: {}, body: res.body.slice(0, 262_144) };
}

const PROVIDER_ORDER: readonly ProviderId[] = ['s3', 'cos', 'oss', 'gcs', 'obs', 'tos'];
/** Same threshold as check's detection of an upload's provider. */
const DETECT_THRESHOLD = 0.3;

/** The provider an endpoint's host names (the adapters' host rules), or null (loopback, custom domains). */
export function providerOfEndpoint(url: string): ProviderId | null {
  const req = { method: 'OPTIONS', url, headers: [], parts: [], boundary: null, bodyProblems: [], notes: [] };
  let best: ProviderId | null = null;
  let bestScore = 0;
  for (const id of PROVIDER_ORDER) {
    let s = 0;
    try {
      s = adapter(id).detectRequest(req);
    } catch {
      s = 0;
    }
    if (Number.isFinite(s) && s >= DETECT_THRESHOLD && s > bestScore) {
      best = id;
      bestScore = s;
    }
  }
  return best;
}

/** The provider an answer's headers and body point to (Server, request-id headers), or null. */
export function providerOfAnswer(res: { status: number; headers: ReadonlyArray<[string, string]>; body: string }): ProviderId | null {
  const a = errorAnswerOf(res, parseErrorBody(res.body));
  let best: ProviderId | null = null;
  let bestScore = 0;
  for (const id of PROVIDER_ORDER) {
    let s = 0;
    try {
      s = adapter(id).answers.detectResponse(a);
    } catch {
      s = 0;
    }
    if (Number.isFinite(s) && s >= 0.5 && s > bestScore) {
      best = id;
      bestScore = s;
    }
  }
  return best;
}

/** Which S3 server answered (Ceph RGW, MinIO, Amazon S3), when the answer tells. */
export function s3ServerOf(res: { status: number; headers: ReadonlyArray<[string, string]>; body: string }): ServerFlavour | null {
  return detectServer(errorAnswerOf(res, parseErrorBody(res.body)));
}

/** The bucket an endpoint addresses, per the provider's endpoint rules, or null. */
export function bucketOf(provider: ProviderId, url: string): string | null {
  try {
    return adapter(provider).parseEndpoint?.(url)?.bucket ?? null;
  } catch {
    return null;
  }
}

/**
 * How to read a bucket's CORS configuration, per provider (BUCKET is replaced when known). OBS:
 * obsutil's documented `cors -method=get` (support.huaweicloud.com/intl/id-id/utiltg-obs/obs_11_1018.html),
 * which writes the GetBucketCors XML to -localfile. TOS: no tosutil command for CORS is documented,
 * so the API and the console page (volcengine.com/docs/6349/75033: 权限管理 > 跨域访问设置).
 */
export const READ_WITH: Readonly<Record<ProviderId, string>> = {
  s3: 'aws s3api get-bucket-cors --bucket BUCKET',
  cos: 'GET /?cors (GET Bucket cors)',
  oss: 'GET /?cors (GetBucketCors)',
  gcs: 'gcloud storage buckets describe gs://BUCKET --format="json(cors_config)"',
  obs: 'obsutil cors obs://BUCKET -method=get -localfile=cors.xml',
  tos: 'GET /?cors (GetBucketCORS), or the TOS console: 权限管理 > 跨域访问设置',
};

/**
 * What the bucket's own answer says about a refused preflight: S3's CORSResponse messages
 * (COS and OSS send the same "not allowed" wording, OBS both wordings, with or without the
 * "CORSResponse: " prefix), Ceph RGW's bare 403 AccessDenied, GCS's documented 200 without CORS
 * headers. TOS documents no refusal: a 403 without CORS headers is only `refused`. Null when the
 * preflight passed or the answer says nothing.
 */
export function serverNote(
  provider: ProviderId,
  server: ServerFlavour | null,
  status: number,
  error: { code: string; message: string } | null,
  responseHeaders: Record<string, string>,
  allowed: boolean,
): ServerNote | null {
  if (allowed) return null;
  const message = error?.message ?? '';
  if (message === S3_NOT_ENABLED || /CORS is not enabled for this bucket/i.test(message)) return 'not-enabled';
  if (/This CORS request is not allowed/i.test(message)) return 'no-rule';
  const hasCors = Object.keys(responseHeaders).some((n) => n.startsWith('access-control-'));
  if (hasCors) return null;
  if (provider === 's3' && server === 'rgw' && status === 403 && error?.code === 'AccessDenied') return 'rgw-refused';
  if (provider === 'gcs' && status === 200) return 'gcs-no-match';
  if (status === 403) return 'refused';
  return null;
}

/** Send the preflight (one OPTIONS, nothing else) and judge the answer. Throws NetworkError / UsageError. */
export async function probeCors(req: CorsProbeRequest, opts: CorsProbeOptions): Promise<CorsProbeResult> {
  const url = parseHttpUrl(req.url).toString();
  const sent = preflightRequestHeaders(req);
  const response = await send({ method: 'OPTIONS', url, headers: sent, timeoutMs: opts.timeoutMs, env: opts.env ?? process.env, maxBodyBytes: 64 * 1024 });
  const j = judgePreflight(req, response);
  return { ...j, url, origin: req.origin, method: req.method, requestHeaders: [...req.requestHeaders], sent, status: response.status, response };
}
