// `post-doctor probe <endpoint>`: read the server's clock (Date header of a HEAD, else a GET)
// and report the clock skew against this machine and the round trip. With --origin, send one
// CORS preflight (OPTIONS) instead and explain Chromium's verdict on the answer.
import { ui } from '../../core/catalogue.js';
import { EXIT, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { PROBE_SCHEMA, probeServerTime } from '../../net/probe.js';
import {
  PROBE_CORS_SCHEMA,
  READ_WITH,
  bucketOf,
  preflightHeaderNames,
  preflightMethod,
  probeCors,
  providerOfAnswer,
  providerOfEndpoint,
  s3ServerOf,
  serverNote,
  type CorsRefusal,
  type ProviderSource,
  type ServerNote,
} from '../../net/cors-probe.js';
import type { ConsoleKind } from '../../cors/types.js';
import type { UiKey } from '../../generated/ids.js';
import { PROVIDER_NAMES } from '../../cors/findings.js';
import { originOption } from './check.js';
import { parseHttpUrl } from '../../net/http.js';
import { maskUrl } from '../../core/mask.js';
import { makeChalk, writeText, type Io } from '../io.js';
import type { Lang, ProviderId } from '../../core/types.js';

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

/** --method was given on the command line (its default, POST, is always present). */
function methodGiven(opts: Record<string, unknown>): boolean {
  const source = opts.methodSource;
  if (typeof source === 'string') return source === 'cli' || source === 'env';
  return opts.method !== undefined && opts.method !== 'POST';
}

export async function runProbe(io: Io, endpoint: string, opts: Record<string, unknown>): Promise<number> {
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const format = (opts.format as string | undefined) ?? 'text';
  const timeoutMs = timeoutOption(opts.timeout, 10);
  const url = parseHttpUrl(endpoint).toString();
  if (opts.origin !== undefined && opts.origin !== null) return runProbeCors(io, url, opts, { lang, format, timeoutMs });
  const headerGiven = opts.header !== undefined && !(Array.isArray(opts.header) && opts.header.length === 0);
  if (headerGiven || methodGiven(opts)) {
    throw new UsageError(`${headerGiven ? '--header' : '--method'} needs --origin URL: they describe the CORS preflight probe sends from that page origin`);
  }
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
  // the Date header has one-second resolution: a second either way is its rounding, not skew
  const abs = Math.abs(r.skewSeconds);
  if (abs <= 1) lines.push(ui('probe.skew.none', lang));
  else lines.push(ui(r.skewSeconds > 0 ? 'probe.skew.ahead' : 'probe.skew.behind', lang, { seconds: abs.toFixed(1) }));
  lines.push(ui('probe.round-trip', lang, { ms: r.roundTripMs }));
  if (abs >= SKEW_WARNING_SECONDS) lines.push(c.yellow(ui('probe.skew.warning', lang)));
  writeText(io, `${lines.join('\n')}\n`);
  return EXIT.OK;
}

const PROVIDER_LINE: Readonly<Record<ProviderSource, UiKey>> = {
  option: 'probe.cors.provider.option',
  endpoint: 'probe.cors.provider.endpoint',
  answer: 'probe.cors.provider.answer',
  assumed: 'probe.cors.provider.assumed',
};

/** Chromium's console text for each preflight error kind (a preflight never yields the others). */
const CONSOLE_TEXT: Readonly<Partial<Record<ConsoleKind, UiKey>>> = {
  'preflight-missing-allow-origin': 'probe.cors.console.preflight-missing-allow-origin',
  'preflight-multiple-allow-origin-values': 'probe.cors.console.preflight-multiple-allow-origin-values',
  'preflight-wildcard-origin-not-allowed': 'probe.cors.console.preflight-wildcard-origin-not-allowed',
  'preflight-allow-origin-mismatch': 'probe.cors.console.preflight-allow-origin-mismatch',
  'preflight-invalid-allow-credentials': 'probe.cors.console.preflight-invalid-allow-credentials',
  'preflight-invalid-status': 'probe.cors.console.preflight-invalid-status',
  'method-disallowed-by-preflight-response': 'probe.cors.console.method-disallowed-by-preflight-response',
  'header-disallowed-by-preflight-response': 'probe.cors.console.header-disallowed-by-preflight-response',
};

const SERVER_NOTE: Readonly<Record<ServerNote, UiKey>> = {
  'not-enabled': 'probe.cors.server.not-enabled',
  'no-rule': 'probe.cors.server.no-rule',
  'rgw-refused': 'probe.cors.server.rgw-refused',
  refused: 'probe.cors.server.refused',
  'gcs-no-match': 'probe.cors.server.gcs-no-match',
};

/** The words for the refused part: "the answer has no Access-Control-Allow-Origin header". */
function reasonText(r: CorsRefusal, j: { responseHeaders: Record<string, string>; origin: string; method: string }, lang: Lang): string {
  const f = r.facts;
  const none = ui('probe.cors.none', lang);
  switch (r.kind) {
    case 'preflight-invalid-status':
      return ui('probe.cors.part.status', lang, { status: f.status });
    case 'method-disallowed-by-preflight-response':
      return ui('probe.cors.part.allow-methods', lang, { method: f.method ?? j.method, allowed: j.responseHeaders['access-control-allow-methods'] ?? none });
    case 'header-disallowed-by-preflight-response':
      return ui('probe.cors.part.allow-headers', lang, { headers: f.headers ?? [], allowed: j.responseHeaders['access-control-allow-headers'] ?? none });
    case 'preflight-wildcard-origin-not-allowed':
      return ui('probe.cors.part.credentials.wildcard', lang);
    case 'preflight-invalid-allow-credentials':
      return ui('probe.cors.part.credentials.invalid', lang);
    case 'preflight-multiple-allow-origin-values':
      return ui('probe.cors.part.allow-origin.multiple', lang, { allowOrigin: f.allowOrigin });
    case 'preflight-allow-origin-mismatch':
      return ui('probe.cors.part.allow-origin.mismatch', lang, { allowOrigin: f.allowOrigin, origin: j.origin });
    default:
      return ui('probe.cors.part.allow-origin.missing', lang);
  }
}

async function runProbeCors(io: Io, url: string, opts: Record<string, unknown>, o: { lang: Lang; format: string; timeoutMs: number }): Promise<number> {
  const { lang, format, timeoutMs } = o;
  const origin = originOption(opts.origin) as string;
  const method = preflightMethod(opts.method);
  const requestHeaders = preflightHeaderNames(opts.header);
  const forced = opts.provider as ProviderId | undefined;
  const fromHost = forced ? null : providerOfEndpoint(url);
  const r = await probeCors({ url, origin, method, requestHeaders }, { timeoutMs, env: io.env });
  const fromAnswer = forced || fromHost ? null : providerOfAnswer(r.response);
  const provider: ProviderId = forced ?? fromHost ?? fromAnswer ?? 's3';
  const providerSource: ProviderSource = forced ? 'option' : fromHost ? 'endpoint' : fromAnswer ? 'answer' : 'assumed';
  const server = provider === 's3' ? s3ServerOf(r.response) : null;
  const note = serverNote(provider, server, r.status, r.error, r.responseHeaders, r.allowed);
  const shown = maskUrl(url);
  const code = r.allowed ? EXIT.OK : EXIT.PROBLEMS;
  if (format === 'json') {
    const doc = {
      schema: PROBE_CORS_SCHEMA,
      endpoint: shown,
      provider,
      providerSource,
      server,
      origin,
      method,
      requestHeaders,
      status: r.status,
      responseHeaders: r.responseHeaders,
      allowed: r.allowed,
      refused: r.refused ? { part: r.refused.part, kind: r.refused.kind, facts: r.refused.facts } : null,
      error: r.error,
      note,
    };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return code;
  }
  const c = makeChalk(io, opts.color as boolean | undefined);
  const lines: string[] = [];
  lines.push(ui('probe.cors.request', lang, { url: shown }));
  for (const [k, v] of r.sent) lines.push(`  ${k}: ${v}`);
  lines.push(ui(PROVIDER_LINE[providerSource], lang, { provider: PROVIDER_NAMES[provider] }));
  lines.push(ui('probe.cors.answer', lang, { status: r.status }));
  const cors = Object.entries(r.responseHeaders);
  if (cors.length === 0) lines.push(`  ${ui('probe.cors.no-cors-headers', lang)}`);
  for (const [k, v] of cors) lines.push(`  ${k}: ${v}`);
  if (r.error) lines.push(r.error.message ? ui('probe.cors.error-body', lang, { code: r.error.code, message: r.error.message }) : ui('probe.cors.error-code', lang, { code: r.error.code }));
  if (r.allowed) {
    lines.push(c.green(ui('probe.cors.allowed', lang, { method })));
    if ((method === 'GET' || method === 'HEAD' || method === 'POST') && requestHeaders.length === 0) lines.push(ui('probe.cors.allowed.no-preflight', lang, { method }));
  } else if (r.refused) {
    const f = r.refused.facts;
    lines.push(c.red(ui('probe.cors.refused', lang, { reason: reasonText(r.refused, r, lang) })));
    const text = ui(CONSOLE_TEXT[r.refused.kind] ?? 'probe.cors.console.preflight-missing-allow-origin', lang, {
      allowOrigin: f.allowOrigin ?? '',
      allowCredentials: r.responseHeaders['access-control-allow-credentials'] ?? '',
      method: f.method ?? method,
      header: f.headers?.[0] ?? '',
    });
    lines.push(`${ui('probe.cors.console', lang, { url: shown, origin, text })} (${r.refused.kind})`);
    if (note) lines.push(ui(SERVER_NOTE[note], lang, { method, status: r.status }));
    const bucket = bucketOf(provider, url);
    const command = bucket ? READ_WITH[provider].replace('BUCKET', bucket) : READ_WITH[provider];
    lines.push(ui('probe.cors.next', lang, { command, origin }));
  }
  writeText(io, `${lines.join('\n')}\n`);
  return code;
}
