// `post-doctor serve`: run the sandbox bucket until Ctrl-C (SIGINT / SIGTERM), printing one
// diagnosis per request on stdout; the banner's first line carries the URL.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderFinding, ui } from '../../core/catalogue.js';
import { EXIT, UsageError } from '../../core/errors.js';
import { shownArgument } from '../../core/mask.js';
import { configFindings, parseCorsConfig, type CorsConfig } from '../../cors/index.js';
import { pickLang } from '../../core/lang.js';
import type { ProviderId, ServerFlavour } from '../../core/types.js';
import { PROVIDER_IDS } from '../../core/types.js';
import { adapter } from '../../providers/index.js';
import { SandboxBucket, DEFAULT_MAX_BODY, providerName, terminalLines, type Diagnosis } from '../../serve/index.js';
import { makeChalk, writeText, type Io } from '../io.js';
import { parseTimeOption, readSecret, readSmallFile } from './check.js';

/** Largest --cors-config read (as check reads it: a configuration is a few kilobytes). */
const CORS_CONFIG_LIMIT = 1024 * 1024;

/** "http://localhost:5173", "https://*.example.com", "*" or "null". */
const ORIGIN = /^(\*|null|https?:\/\/[^/\s?#]+)$/i;

function intOption(name: string, v: unknown, min: number, max: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const s = String(v).trim();
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}; got '${s}'`);
  return Number(s);
}

function corsOption(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  for (const o of list) {
    if (!ORIGIN.test(o) || (o.match(/\*/g)?.length ?? 0) > 1) throw new UsageError(`--cors-origin must be an origin like http://localhost:5173 (scheme and host, no path), "*" or "null"; got '${o}'`);
  }
  return list.map((o) => o.replace(/\/+$/, ''));
}

export interface ServeRunOptions extends Record<string, unknown> {
  /** Tests: stop the server when aborted (the CLI stops on SIGINT / SIGTERM). */
  signal?: AbortSignal;
}

export async function runServe(io: Io, opts: ServeRunOptions): Promise<number> {
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const provider = (opts.provider as ProviderId | undefined) ?? 's3';
  if (!PROVIDER_IDS.includes(provider)) throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')}`);
  const now = parseTimeOption('--now', opts.now) ?? null;
  const port = intOption('--port', opts.port, 0, 65535, 0);
  const maxBody = intOption('--max-body', opts.maxBody, 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_BODY);
  const host = typeof opts.host === 'string' && opts.host.trim() ? opts.host.trim() : '127.0.0.1';
  if (opts.corsOrigin !== undefined && opts.corsConfig !== undefined) {
    throw new UsageError('give either --cors-origin or --cors-config: --cors-config is the whole CORS configuration of the bucket');
  }
  const corsOrigins = corsOption(opts.corsOrigin);
  let cors: CorsConfig | null = null;
  let corsFile = '';
  if (opts.corsConfig !== undefined) {
    if (typeof opts.corsConfig !== 'string' || opts.corsConfig === '') throw new UsageError('--cors-config needs a file path');
    corsFile = shownArgument(opts.corsConfig);
    const text = readSmallFile(resolve(io.cwd, opts.corsConfig), CORS_CONFIG_LIMIT, '--cors-config', corsFile);
    // an unreadable configuration is an InputError: one line, exit 2
    cors = parseCorsConfig(text.replace(/^\uFEFF/, ''), { provider, sourceName: corsFile });
  }
  const secret = readSecret(io, opts, provider);
  let store: string | null = null;
  if (typeof opts.store === 'string') {
    store = resolve(io.cwd, opts.store);
    try {
      mkdirSync(store, { recursive: true });
    } catch (e) {
      throw new UsageError(`--store: cannot create ${opts.store}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const chalk = makeChalk(io, opts.color as boolean | undefined);
  const print = (d: Diagnosis): void => {
    const lines = terminalLines(d, lang);
    const paint = d.verdict === 'refused' || d.blocked ? chalk.red : chalk.green;
    // on a terminal, a long line wraps under its record (4 columns in), never back to column 0
    writeText(io, `${[paint(lines[0] ?? ''), ...lines.slice(1)].join('\n')}\n`, { hangingIndent: 4 });
  };

  const sandbox = new SandboxBucket({
    provider,
    server: (opts.server as ServerFlavour | undefined) ?? 'aws',
    host,
    port,
    bucket: typeof opts.bucket === 'string' ? opts.bucket : null,
    secret,
    store,
    corsOrigins,
    cors,
    maxBody,
    now,
    lang,
    onDiagnosis: print,
  });
  let url: string;
  try {
    url = await sandbox.listen();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot listen on ${host}:${port}: ${code ?? (e as Error).message}`);
  }

  writeText(io, `${ui('serve.listening', lang, { provider: providerName(provider, lang), url })}\n`);
  // bound to every interface: the addresses other machines use (the first line keeps 127.0.0.1)
  if (sandbox.allInterfaces) {
    const others = sandbox.urls.slice(1);
    io.stderr(`${others.length ? ui('serve.also-at', lang, { urls: others }) : ui('serve.only-loopback', lang)}\n`);
  }
  // S3 and GCS are addressed path-style on loopback: http://127.0.0.1:PORT/<bucket>
  const target = (provider === 's3' || provider === 'gcs') && typeof opts.bucket === 'string' ? `${url}${encodeURIComponent(opts.bucket)}` : url;
  io.stderr(`${ui('serve.point-form', lang, { target, url })}\n`);
  if (typeof opts.bucket === 'string') io.stderr(`${ui('serve.bucket', lang, { bucket: opts.bucket })}\n`);
  if (cors) {
    io.stderr(`${ui('serve.cors-config', lang, { file: corsFile, count: cors.rules.length, provider: providerName(provider, lang) })}\n`);
    // what PutBucketCors would refuse, or an origin that can never match: said once, here
    for (const f of configFindings(cors)) io.stderr(`${ui('serve.cors-config-issue', lang, { title: renderFinding(f, lang).title })}\n`);
  } else io.stderr(`${corsOrigins.length ? ui('serve.cors-origins', lang, { origins: corsOrigins.join(', ') }) : ui('serve.cors-none', lang)}\n`);
  // whether a signature is verified, said either way
  io.stderr(`${secret === null ? ui('serve.no-secret', lang, { env: adapter(provider).secretEnv.join(' / ') }) : ui('serve.secret', lang)}\n`);
  io.stderr(`${store ? ui('serve.store', lang, { dir: store }) : ui('serve.discard', lang)}\n`);
  io.stderr(`${ui('serve.stop-hint', lang)}\n`);

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      done();
    };
    if (opts.signal?.aborted) return stop();
    opts.signal?.addEventListener('abort', stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  io.stderr(`${ui('serve.stopped', lang, { count: sandbox.requestCount })}\n`);
  return EXIT.OK;
}
