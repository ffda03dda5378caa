// `post-doctor probe <endpoint>`: read the server's clock (Date header of a HEAD, else a GET)
// and report the clock skew against this machine and the round trip.
import { ui } from '../../core/catalogue.js';
import { EXIT, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { PROBE_SCHEMA, probeServerTime } from '../../net/probe.js';
import { parseHttpUrl } from '../../net/http.js';
import { maskUrl } from '../../core/mask.js';
import { makeChalk, type Io } from '../io.js';

/** Skews at least this large (seconds) get a warning: servers refuse signatures 15 min off. */
export const SKEW_WARNING_SECONDS = 60;

/** --timeout seconds -> milliseconds (a positive number), or a UsageError. */
export function timeoutOption(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback * 1000;
  const s = String(v).trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout must be a positive number of seconds; got '${s}'`);
  return Math.round(n * 1000);
}

export async function runProbe(io: Io, endpoint: string, opts: Record<string, unknown>): Promise<number> {
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const format = (opts.format as string | undefined) ?? 'text';
  const timeoutMs = timeoutOption(opts.timeout, 10);
  const url = parseHttpUrl(endpoint).toString();
  const r = await probeServerTime(url, timeoutMs, { env: io.env });
  if (format === 'json') {
    const doc = {
      schema: PROBE_SCHEMA,
      endpoint: maskUrl(url),
      method: r.method,
      status: r.status,
      serverTime: r.serverTime.toISOString(),
      localTime: r.localTime.toISOString(),
      skewSeconds: r.skewSeconds,
      roundTripMs: r.roundTripMs,
    };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return EXIT.OK;
  }
  const c = makeChalk(io, opts.color as boolean | undefined);
  const lines: string[] = [];
  lines.push(ui('probe.server-time', lang, { time: r.serverTime.toISOString(), method: r.method, status: r.status }));
  lines.push(ui('probe.local-time', lang, { time: r.localTime.toISOString() }));
  // the Date header has one-second resolution: below that nothing is measurable
  const abs = Math.abs(r.skewSeconds);
  if (abs < 1) lines.push(ui('probe.skew.none', lang));
  else lines.push(ui(r.skewSeconds > 0 ? 'probe.skew.ahead' : 'probe.skew.behind', lang, { seconds: abs.toFixed(1) }));
  lines.push(ui('probe.round-trip', lang, { ms: r.roundTripMs }));
  if (abs >= SKEW_WARNING_SECONDS) lines.push(c.yellow(ui('probe.skew.warning', lang)));
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.OK;
}
