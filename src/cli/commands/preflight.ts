// `post-doctor preflight`: ask the signer for a form, build a fitting test upload, check it,
// optionally send it. Thin layer over src/preflight (library); output through Io.
import { ui } from '../../core/catalogue.js';
import { UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import type { Lang, ProviderId, ServerFlavour } from '../../core/types.js';
import { preflight, PREFLIGHT_SCHEMA, type PreflightOptions, type PreflightResult, type SignerSource } from '../../preflight/index.js';
import { checkJson } from '../../render/check-json.js';
import { checkToGithub, checkExitCode, checkToSarif, renderSarif, requestRedactor, workflowCommand, ReportRedactor } from '../../report/index.js';
import type { Redactor } from '../../core/mask.js';
import { renderCheckText } from '../../render/check-text.js';
import { makeChalk, type Io } from '../io.js';
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

export function preflightJson(r: PreflightResult, lang: Lang, redactor: Redactor): Record<string, unknown> {
  return redactor.scrubDeep({
    schema: PREFLIGHT_SCHEMA,
    signer: { source: r.signer.source, status: r.signer.status ?? null, shape: r.answer.shape, at: r.answer.at, url: r.answer.url },
    upload: {
      url: r.upload.request.url,
      key: r.upload.key,
      filename: r.upload.filename,
      contentType: r.upload.contentType,
      size: r.upload.size,
      added: r.upload.added,
    },
    check: checkJson(r.result, { lang, redactor }),
    sent: r.sent
      ? {
          url: r.sent.url,
          status: r.sent.status,
          accepted: r.sent.accepted,
          code: r.sent.code,
          message: r.sent.message,
          agrees: r.sent.agrees,
          matches: r.sent.explanation?.matches.map((m) => m.rule) ?? [],
        }
      : null,
  });
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

  switch (format) {
    case 'json':
      io.stdout(`${JSON.stringify(preflightJson(r, lang, redactor), null, 2)}\n`);
      break;
    case 'sarif':
      io.stdout(
        renderSarif(
          checkToSarif(r.result, {
            lang,
            redactor,
            uri: signerUri,
            properties: { preflight: { shape: r.answer.shape, sent: r.sent ? { status: r.sent.status, accepted: r.sent.accepted, code: r.sent.code } : null } },
          }),
        ),
      );
      break;
    case 'github': {
      let out = checkToGithub(r.result, { lang, redactor, file: null });
      if (r.sent && !r.sent.accepted) {
        out += workflowCommand(
          'error',
          [['title', ui('preflight.title', lang)]],
          redactor.scrub(ui('preflight.refused', lang, { code: r.sent.code ?? r.sent.status, message: r.sent.message ?? '' }).trim()),
        );
      }
      io.stdout(out);
      break;
    }
    default: {
      const c = makeChalk(io, opts.color as boolean | undefined);
      const lines = [
        c.bold(ui('preflight.title', lang)),
        ui('preflight.signer', lang, { signer: r.signer.source }),
        ui('preflight.shape', lang, { shape: r.answer.shape, count: r.answer.fields.length }),
        ui('preflight.test-file', lang, { key: r.upload.key ?? '', filename: r.upload.filename, size: r.upload.size, contentType: r.upload.contentType }),
      ];
      if (r.upload.added.length) lines.push(ui('preflight.added-fields', lang, { fields: r.upload.added }));
      let out = `${redactor.scrub(lines.join('\n'))}\n\n${renderCheckText(r.result, { lang, redactor, chalk: c })}`;
      if (r.sent) {
        const s = r.sent;
        const sl = [ui('preflight.sent', lang, { url: s.url, status: s.status })];
        sl.push(s.accepted ? c.green(ui('preflight.accepted', lang)) : c.red(ui('preflight.refused', lang, { code: s.code ?? s.status, message: s.message ?? '' }).trim()));
        sl.push(ui(s.agrees ? 'preflight.agrees' : 'preflight.disagrees', lang));
        out += `\n${redactor.scrub(sl.join('\n'))}\n`;
      }
      io.stdout(out);
    }
  }
  const code = checkExitCode(r.result.findings, settings.failOn);
  if (code === 0 && r.sent && !r.sent.accepted && settings.failOn !== 'never') return 1;
  return code;
}
