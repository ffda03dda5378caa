// The one place post-doctor talks to the network (replay, probe). undici is imported lazily so
// that commands which never send do not load it. No redirects are followed (undici's `request`
// follows none unless a redirect interceptor is composed in), no retries, one overall deadline,
// proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.

import { NetworkError, UsageError } from '../core/errors.js';
import { maskText, maskUrl, shownUrl } from '../core/mask.js';

/** The parts of undici post-doctor uses. */
interface Undici {
  EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent;
  /** undici's request API, called on a dispatcher (`this`). */
  request: (this: import('undici').Dispatcher, opts: Record<string, unknown>) => Promise<import('undici').Dispatcher.ResponseData>;
  parseURL: (url: string) => URL;
}

let undici: Promise<Undici> | null = null;

/**
 * undici's proxy agent and request API only, from their own modules: the package's entry loads
 * all of undici (fetch, WebSocket, caches, mocks), which takes longer than sending a large file.
 * What the entry does besides is done here too: the request API is put on Dispatcher.prototype
 * (undici's own code calls it there, e.g. the proxy agent's CONNECT).
 */
function loadUndici(): Promise<Undici> {
  undici ??= (async () => {
    const own = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
    const [agent, api, dispatcher, util] = await Promise.all([
      import('undici/lib/dispatcher/env-http-proxy-agent.js' as string),
      import('undici/lib/api/index.js' as string),
      import('undici/lib/dispatcher/dispatcher.js' as string),
      import('undici/lib/core/util.js' as string),
    ]);
    const methods = own<Record<string, unknown> & { request: Undici['request'] }>(api);
    Object.assign(own<{ prototype: object }>(dispatcher).prototype, methods);
    return { EnvHttpProxyAgent: own(agent), request: methods.request, parseURL: own<{ parseURL: Undici['parseURL'] }>(util).parseURL };
  })();
  return undici;
}

/** undici's `request(url, opts)` (its index.js makeDispatcher) for a URL string and a dispatcher. */
function request(
  u: Undici,
  url: string,
  opts: { method: string; headers: string[]; body: unknown; dispatcher: import('undici').Dispatcher; signal: AbortSignal },
): Promise<import('undici').Dispatcher.ResponseData> {
  const parsed = u.parseURL(url);
  return u.request.call(opts.dispatcher, {
    ...opts,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  /** Request body: bytes, or an async iterable of chunks (streamed, never buffered here). */
  body?: Uint8Array | AsyncIterable<Uint8Array> | null;
  /** Give up after this many milliseconds, whatever phase the exchange is in. */
  timeoutMs: number;
  /** Environment to read proxy settings from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Largest answer body kept, in bytes (the rest is read and dropped). */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Response headers in order, names lower-cased (as undici gives them). */
  headers: Array<[string, string]>;
  body: string;
  /** The answer body was longer than maxBodyBytes and was cut. */
  truncated: boolean;
  /** Epoch milliseconds: request started, response headers arrived, body read. */
  startedAt: number;
  headersAt: number;
  endedAt: number;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** An absolute http(s) URL, or a UsageError. */
export function parseHttpUrl(value: string, what = 'endpoint', about?: string): URL {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new UsageError(`${what} must be an absolute http(s) URL; got '${shownUrl(value)}'`, about ? { about } : undefined);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${what} must be an absolute http(s) URL; got '${shownUrl(value)}'`, about ? { about } : undefined);
  return u;
}

/** The variable a proxy setting is read from (lower case first, as curl and undici do). */
function envName(env: NodeJS.ProcessEnv, name: string): string | undefined {
  for (const n of [name.toLowerCase(), name]) {
    const v = env[n];
    if (v !== undefined && v !== '') return n;
  }
  return undefined;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const n = envName(env, name);
  return n === undefined ? undefined : env[n];
}

/**
 * HTTP_PROXY / HTTPS_PROXY as a URL undici takes: "host:port" gets http:// (as curl reads it);
 * anything else unreadable is a usage error naming the variable (exit 2), never "Invalid URL".
 */
export function proxySetting(env: NodeJS.ProcessEnv, name: 'HTTP_PROXY' | 'HTTPS_PROXY'): string | undefined {
  const used = envName(env, name);
  if (used === undefined) return undefined;
  const raw = (env[used] as string).trim();
  const value = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw) ? raw : `http://${raw}`;
  let u: URL | null = null;
  try {
    u = new URL(value);
  } catch {
    u = null;
  }
  if (u === null || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '' || /\s/.test(raw)) {
    throw new UsageError(`${used} must be a proxy URL such as http://proxy.example.com:3128; got '${shownUrl(raw)}'`);
  }
  return value;
}

/** undici dispatcher honouring the proxy variables of `env`. */
export async function makeDispatcher(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<import('undici').Dispatcher> {
  const { EnvHttpProxyAgent } = await loadUndici();
  const opts: import('undici').EnvHttpProxyAgent.Options = {
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const httpProxy = proxySetting(env, 'HTTP_PROXY');
  const httpsProxy = proxySetting(env, 'HTTPS_PROXY');
  const noProxy = envValue(env, 'NO_PROXY');
  // Always pass explicit values, so that an injected env (tests, embedders) wins over process.env.
  opts.httpProxy = httpProxy ?? '';
  opts.httpsProxy = httpsProxy ?? '';
  opts.noProxy = noProxy ?? '';
  return new EnvHttpProxyAgent(opts);
}

function errorCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && c !== 'UND_ERR_SOCKET') return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : ((e as Error)?.name ?? 'error');
}

function messages(e: unknown): string {
  const out: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const m = (cur as Error)?.message;
    if (typeof m === 'string') out.push(m);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out.join(' ');
}

/**
 * A network failure as a one-line NetworkError (exit 3). `timedOut`: the deadline passed (when
 * known, it alone decides; an abort for any other reason is reported as what it was). The URL
 * is shown without its password or credential parameters.
 */
export function networkError(url: string, e: unknown, timeoutMs: number, timedOut?: boolean): NetworkError {
  const shown = maskUrl(url);
  const code = errorCode(e);
  const all = messages(e);
  // a proxy that refused the tunnel (CONNECT answered with an error status)
  const proxy = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(all);
  if (proxy) return new NetworkError(`${shown}: the proxy refused to connect to the server (CONNECT answered HTTP ${proxy[1]}); check HTTPS_PROXY / HTTP_PROXY / NO_PROXY`);
  const timeoutLike = code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || code === 'TimeoutError' || /timeout/i.test(code) || (e as Error)?.name === 'TimeoutError';
  if (timedOut === true || (timedOut === undefined && timeoutLike)) {
    return new NetworkError(`${shown}: no answer within ${Math.round(timeoutMs / 1000)} s (${code})`);
  }
  const msg = maskText((e as Error)?.message ?? String(e));
  return new NetworkError(`${shown}: ${code}${msg && !msg.includes(code) ? ` (${msg})` : ''}`);
}

function headerPairs(h: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([k, x]);
    else out.push([k, v]);
  }
  return out;
}

/** Send one request; the answer body is read whole (up to maxBodyBytes). Throws NetworkError. */
export async function send(r: HttpRequest): Promise<HttpResponse> {
  const u = await loadUndici();
  // (a malformed proxy variable is a UsageError here, before anything is sent)
  const dispatcher = await makeDispatcher(r.env ?? process.env, r.timeoutMs);
  const signal = AbortSignal.timeout(r.timeoutMs);
  const startedAt = Date.now();
  try {
    const res = await request(u, r.url, {
      method: r.method,
      headers: r.headers.flat(),
      body: r.body ?? null,
      dispatcher,
      signal,
    });
    const headersAt = Date.now();
    const max = r.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      if (kept < max) {
        const take = b.subarray(0, max - kept);
        chunks.push(take);
        kept += take.length;
        if (take.length < b.length) truncated = true;
      } else {
        truncated = true;
      }
    }
    return {
      status: res.statusCode,
      headers: headerPairs(res.headers),
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
      startedAt,
      headersAt,
      endedAt: Date.now(),
    };
  } catch (e) {
    if (e instanceof NetworkError || e instanceof UsageError) throw e;
    throw networkError(r.url, e, r.timeoutMs, signal.aborted || /timeout/i.test(errorCode(e)));
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
