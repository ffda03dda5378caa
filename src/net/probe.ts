// Read a server's clock: HEAD the endpoint (then GET when HEAD gives no Date), take the Date
// header and compare it with the local clock at the middle of the round trip.

import { NetworkError } from '../core/errors.js';
import { parseHttpUrl, send, type HttpResponse } from './http.js';

export const PROBE_SCHEMA = 'post-doctor/probe@1';

export interface ProbeResult {
  /** The server's clock (Date header; one-second resolution). */
  serverTime: Date;
  /** The local clock half-way through the round trip. */
  localTime: Date;
  /** serverTime - localTime in seconds; positive when the server runs ahead. */
  skewSeconds: number;
  roundTripMs: number;
  status: number;
  method: 'HEAD' | 'GET';
}

/** A Date header value -> Date, or null when absent or unreadable. */
export function parseDateHeader(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? null : new Date(t);
}

function dateOf(res: HttpResponse): Date | null {
  return parseDateHeader(res.headers.find(([k]) => k.toLowerCase() === 'date')?.[1]);
}

/**
 * The skew of a server's clock as seen from one exchange: the server stamped its Date somewhere
 * between `startedAt` and `headersAt`; take the middle. Rounded to the millisecond.
 */
export function clockSkew(serverTime: Date, startedAt: number, headersAt: number): { localTime: Date; skewSeconds: number; roundTripMs: number } {
  const roundTripMs = Math.max(0, headersAt - startedAt);
  const local = startedAt + roundTripMs / 2;
  return { localTime: new Date(Math.round(local)), skewSeconds: Math.round(serverTime.getTime() - local) / 1000, roundTripMs };
}

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv;
}

/**
 * Probe `endpoint`'s clock. Throws UsageError for a bad URL and NetworkError when the server
 * cannot be reached or sends no readable Date header.
 */
export async function probeServerTime(endpoint: string, timeoutMs: number, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const url = parseHttpUrl(endpoint).toString();
  const attempt = async (method: 'HEAD' | 'GET'): Promise<{ res: HttpResponse; date: Date | null }> => {
    const res = await send({ method, url, headers: [], timeoutMs, env: opts.env ?? process.env, maxBodyBytes: 64 * 1024 });
    return { res, date: dateOf(res) };
  };
  let method: 'HEAD' | 'GET' = 'HEAD';
  let { res, date } = await attempt(method);
  if (date === null) {
    method = 'GET';
    ({ res, date } = await attempt(method));
  }
  if (date === null) throw new NetworkError(`${url}: the answer carries no Date header (HTTP ${res.status})`);
  const s = clockSkew(date, res.startedAt, res.headersAt);
  return { serverTime: date, localTime: s.localTime, skewSeconds: s.skewSeconds, roundTripMs: s.roundTripMs, status: res.status, method };
}
