// The one place post-doctor talks to the network (replay, probe). undici is imported lazily so
// that commands which never send do not load it. No redirects are followed (undici's `request`
// follows none unless a redirect interceptor is composed in), no retries, one overall deadline,
// proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.

import { NetworkError, UsageError } from '../core/errors.js';

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
export function parseHttpUrl(value: string, what = 'endpoint'): URL {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new UsageError(`${what} must be an absolute http(s) URL; got '${value}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${what} must be an absolute http(s) URL; got '${value}'`);
  return u;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** undici dispatcher honouring the proxy variables of `env`. */
export async function makeDispatcher(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<import('undici').Dispatcher> {
  const { EnvHttpProxyAgent } = await import('undici');
  const opts: import('undici').EnvHttpProxyAgent.Options = {
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const httpProxy = envValue(env, 'HTTP_PROXY');
  const httpsProxy = envValue(env, 'HTTPS_PROXY');
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

/** A network failure as a one-line NetworkError (exit 3). */
export function networkError(url: string, e: unknown, timeoutMs: number): NetworkError {
  const code = errorCode(e);
  if (code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || code === 'TimeoutError' || /timeout/i.test(code) || (e as Error)?.name === 'TimeoutError') {
    return new NetworkError(`${url}: no answer within ${Math.round(timeoutMs / 1000)} s (${code})`);
  }
  const msg = (e as Error)?.message ?? String(e);
  return new NetworkError(`${url}: ${code}${msg && !msg.includes(code) ? ` (${msg})` : ''}`);
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
  const { request } = await import('undici');
  const dispatcher = await makeDispatcher(r.env ?? process.env, r.timeoutMs);
  const signal = AbortSignal.timeout(r.timeoutMs);
  const startedAt = Date.now();
  try {
    const res = await request(r.url, {
      method: r.method as import('undici').Dispatcher.HttpMethod,
      headers: r.headers.flatMap(([k, v]) => [k, v]),
      body: (r.body ?? null) as never,
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
    throw networkError(r.url, e, r.timeoutMs);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
