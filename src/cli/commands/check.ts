// `post-doctor check`: read a capture, run the check engine, print text or JSON.
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { check, detectProvider } from '../../check/index.js';
import { checks as registeredChecks } from '../../checks/index.js';
import { InputError, UsageError } from '../../core/errors.js';
import { shownArgument } from '../../core/mask.js';
import { pickLang } from '../../core/lang.js';
import type { ProviderId, ServerFlavour } from '../../core/types.js';
import { readUploadRequest } from '../../input/index.js';
import { parseCorsConfig } from '../../cors/config.js';
import { adapter } from '../../providers/index.js';
import { applyRulesToResult } from '../../config/index.js';
import { checkExitCode, renderCheckReport, requestRedactor } from '../../report/index.js';
import { makeChalk, readInputText, writeReport, type Io } from '../io.js';
import { debugCheck, debugLog } from '../debug.js';

const HTTP_DATE = /^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+(GMT|UTC|[+-]\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"); anything else is a usage error. */
export function parseTimeOption(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  let t = Number.NaN;
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (ymd && ISO_DATE.test(s) && Number(ymd[3]) <= new Date(Date.UTC(Number(ymd[1]), Number(ymd[2]), 0)).getUTCDate()) {
    // a date-time without zone is read as UTC, never as local time
    const zoned = /T|\s/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T');
    t = Date.parse(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  } else if (HTTP_DATE.test(s)) {
    t = Date.parse(s);
  }
  if (Number.isNaN(t)) throw new UsageError(`${name} must be an ISO 8601 time (2024-01-31T12:00:00Z) or an HTTP date (Wed, 31 Jan 2024 12:00:00 GMT); got '${s}'`);
  return new Date(t);
}

/** Largest --secret-file read: a secret key is one short line. */
export const SECRET_FILE_LIMIT = 64 * 1024;
/** Largest --public-key file read (a PEM key or certificate is a few kilobytes). */
export const PUBLIC_KEY_LIMIT = 1024 * 1024;

/** The name of an environment variable (as a shell would take it). */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The value of the variable an option names (--secret-env, --token-env, --access-key-env).
 * The name is echoed in the message only when it is plainly a name: a value pasted by mistake
 * (the secret itself) is never printed, only a masked prefix.
 */
export function envOptionValue(io: Io, option: string, name: unknown): string {
  const n = String(name);
  const v = io.env[n];
  if (v !== undefined && v !== '') return v;
  if (!VAR_NAME.test(n)) throw new UsageError(`${option} takes the name of an environment variable; got ${shownArgument(n)}, which is not one`);
  throw new UsageError(`${option}: environment variable ${shownArgument(n)} is not set`);
}

/**
 * Read a small file whole, refusing one over `limit` bytes without reading further (a device
 * such as /dev/zero, or the wrong file). Never echoes the content.
 */
/** Largest --cors-config read (a configuration holds at most 100 rules: a few kilobytes). */
const CORS_CONFIG_LIMIT = 1024 * 1024;

/** --origin: scheme://host[:port], as a browser sends it in Origin; null when not given. */
export function originOption(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`--origin must be a page origin like https://app.example.com; got '${s.slice(0, 80)}'`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username) {
    throw new UsageError(`--origin must be a page origin like https://app.example.com (scheme, host and port; no path); got '${s.slice(0, 80)}'`);
  }
  return u.origin;
}

export function readSmallFile(path: string, limit: number, option: string, shown: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(Math.min(limit + 1, 64 * 1024));
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - total), null);
      } catch (e) {
        throw new UsageError(`${option}: cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > limit) throw new UsageError(`${option}: ${shown} holds more than ${limit / 1024} KiB; post-doctor reads up to ${limit / 1024} KiB from it`);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The secret: --secret-env NAME, else --secret-file PATH, else the variable the config names
 * for the provider (`configured`), else the provider's variables. */
export function readSecret(io: Io, opts: Record<string, unknown>, provider: ProviderId, configured?: string): string | null {
  if (typeof opts.secretEnv === 'string') {
    const v = envOptionValue(io, '--secret-env', opts.secretEnv);
    io.guard?.secret(v);
    return v;
  }
  if (typeof opts.secretFile === 'string') {
    const text = readSmallFile(resolve(io.cwd, opts.secretFile), SECRET_FILE_LIMIT, '--secret-file', shownArgument(opts.secretFile));
    const secret = text.replace(/\r?\n$/, '');
    // from here on, no line printed carries it
    io.guard?.secret(secret);
    return secret;
  }
  if (configured !== undefined) {
    const v = io.env[configured];
    if (v !== undefined && v !== '') {
      io.guard?.secret(v);
      return v;
    }
  }
  for (const name of adapter(provider).secretEnv) {
    const v = io.env[name];
    if (v !== undefined && v !== '') return v;
  }
  return null;
}

function entryOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new UsageError(`--entry must be a positive number (1-based); got '${s}'`);
  return Number(s);
}

export { reportSettings, reportInputName, type ReportSettings } from '../report-settings.js';
import { reportSettings, reportInputName } from '../report-settings.js';

export async function runCheck(io: Io, input: string | undefined, opts: Record<string, unknown>): Promise<number> {
  const debug = debugLog(opts);
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const now = parseTimeOption('--now', opts.now) ?? new Date();
  let serverTime = parseTimeOption('--server-time', opts.serverTime) ?? null;
  if (serverTime === null && typeof opts.probe === 'string') {
    // --probe: the only network use of check, and only when asked.
    const { probeServerTime } = await import('../../net/probe.js');
    const probed = await probeServerTime(opts.probe, 10_000, { env: io.env });
    serverTime = probed.serverTime;
    debug.mark('probe');
  }
  const entry = entryOption(opts.entry);
  const settings = reportSettings(io, opts);
  const { config, format } = settings;

  const src = await readInputText(io, input, false);
  const readOpts: { entry?: number; file?: string; cwd?: string } = { cwd: io.cwd };
  if (entry !== undefined) readOpts.entry = entry;
  if (typeof opts.file === 'string') readOpts.file = resolve(io.cwd, opts.file);
  const req = await readUploadRequest({ text: src.text, path: src.path, source: src.source }, readOpts);
  debug.mark('read');

  const forced = (opts.provider as ProviderId | undefined) ?? config.provider;
  const provider = forced ?? detectProvider(req).provider;
  if (!provider) throw new InputError('cannot tell the provider; use --provider', { source: src.source });
  const secret = readSecret(io, opts, provider, config.secretEnv?.[provider]);

  const checkOpts: Parameters<typeof check>[1] = { now, serverTime, secret, provider, providerSource: forced ? 'option' : 'detected' };
  if (opts.server) checkOpts.server = opts.server as ServerFlavour;
  if (opts.endpointStyle) checkOpts.endpointStyle = opts.endpointStyle as 'virtual' | 'path';
  if (typeof opts.publicKey === 'string') {
    try {
      checkOpts.publicKey = readSmallFile(resolve(io.cwd, opts.publicKey), PUBLIC_KEY_LIMIT, '--public-key', shownArgument(opts.publicKey));
    } catch (e) {
      throw new InputError(`cannot read the public key: ${(e as Error).message.replace(/^--public-key: /, '')}`, { source: shownArgument(opts.publicKey) });
    }
  }
  if (typeof opts.corsConfig === 'string') {
    const shown = shownArgument(opts.corsConfig);
    const text = readSmallFile(resolve(io.cwd, opts.corsConfig), CORS_CONFIG_LIMIT, '--cors-config', shown);
    checkOpts.cors = { config: parseCorsConfig(text.replace(/^\uFEFF/, ''), { provider, sourceName: shown }), origin: originOption(opts.origin) };
  } else if (opts.origin !== undefined) throw new UsageError("--origin needs --cors-config FILE: the bucket's CORS configuration to match the origin against");
  const result = applyRulesToResult(await check(req, checkOpts), config);
  debug.mark('check');

  const redactor = requestRedactor({
    req,
    secret,
    sensitive: [result.signature?.expected, result.signature?.provided],
    endpoint: result.endpoint,
    policy: result.policy,
    redact: settings.redact,
    lang,
  });
  writeReport(
    io,
    format,
    renderCheckReport(result, format, {
      lang,
      redactor,
      chalk: makeChalk(io, opts.color as boolean | undefined),
      input: reportInputName(src.source, settings.redact, lang),
    }),
  );
  debug.mark('render');
  debugCheck(io, debug, redactor, { source: reportInputName(src.source, settings.redact, lang) ?? src.source, req, result, secret, registered: registeredChecks });
  return checkExitCode(result.findings, settings.failOn);
}
