import { UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import type { Lang, ProviderId, ServerFlavour } from '../../core/types.js';
import { preflight, type PreflightOptions, type PreflightResult, type SignerSource } from '../../preflight/index.js';
import { checkExitCode, requestRedactor, ReportRedactor } from '../../report/index.js';
import type { Redactor } from '../../core/mask.js';
import { makeChalk, writeReport, type Io } from '../io.js';
import { PREFLIGHT_REPORTERS } from '../../report/preflight.js';
import { parseTimeOption, readSecret, reportSettings } from './check.js';

function redactorFor(r: PreflightResult, redact: boolean, lang: Lang, signer: SignerSource): Redactor {
  const red = requestRedactor({
    req: r.upload.request,
    secret: r.secret,
    sensitive: [r.result.signature?.expected, r.result.signature?.provided],
    endpoint: r.result.endpoint,
    policy: r.result.policy,
    redact,
    lang,
  });
  // what the signer was asked with: its URL's password and tokens, the --header values
  if ('url' in signer) {
    red.addUrl(signer.url);
    for (const h of signer.headers ?? []) {
      const c = h.indexOf(':');
      red.addHeaderValue(c > 0 ? h.slice(c + 1).trim() : h);
    }
  }
  if (red instanceof ReportRedactor && /^https?:/.test(r.signer.source)) {
    try {
      red.hide(new URL(r.signer.source).host);
    } catch {
      // not a URL: nothing to hide
    }
  }
  return red;
}

export async function runPreflight(io: Io, opts: Record<string, unknown>): Promise<number> {
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const now = parseTimeOption('--now', opts.now);
  const settings = reportSettings(io, opts);
  const { config, format } = settings;

  const url = typeof opts.signerUrl === 'string' ? opts.signerUrl : undefined;
  const cmd = typeof opts.signerCmd === 'string' ? opts.signerCmd : undefined;
  if ((url === undefined) === (cmd === undefined)) throw new UsageError('give exactly one of --signer-url URL or --signer-cmd "command"');
  let signer: SignerSource;
  if (url !== undefined) {
    const s: SignerSource = { url, method: String(opts.method ?? 'GET').toUpperCase() as 'GET' | 'POST' };
    if (typeof opts.body === 'string') s.body = opts.body;
    if (Array.isArray(opts.header)) s.headers = opts.header.map(String);
    signer = s;
  } else {
    if (opts.method !== undefined && opts.method !== 'GET') throw new UsageError('--method goes with --signer-url');
    if (opts.body !== undefined || opts.header !== undefined) throw new UsageError('--body and --header go with --signer-url');
    signer = { command: cmd as string, cwd: io.cwd };
  }

  const po: PreflightOptions = {
    signer,
    secret: (p: ProviderId) => readSecret(io, opts, p, config.secretEnv?.[p]),
    env: io.env,
    lang,
  };
  if (config.ignore) po.ignore = config.ignore;
  if (config.downgrade) po.downgrade = config.downgrade;
  if (typeof opts.fieldsPath === 'string') po.fieldsPath = opts.fieldsPath;
  const provider = (opts.provider as ProviderId | undefined) ?? config.provider;
  if (provider) po.provider = provider;
  if (now) po.now = now;
  if (opts.server) po.server = opts.server as ServerFlavour;
  if (typeof opts.endpoint === 'string') po.endpoint = opts.endpoint;
  if (opts.send === true) po.send = true;

  const r = await preflight(po);
  const redactor = redactorFor(r, settings.redact, lang, signer);
  const signerUri = /^https?:/.test(r.signer.source) ? r.signer.source : null;

  const ctx = { lang, redactor, chalk: makeChalk(io, opts.color as boolean | undefined), input: signerUri };
  writeReport(io, format, PREFLIGHT_REPORTERS[format](r, ctx));
  const code = checkExitCode(r.result.findings, settings.failOn);
  if (code === 0 && r.sent && !r.sent.accepted && settings.failOn !== 'never') return 1;
  return code;
}
