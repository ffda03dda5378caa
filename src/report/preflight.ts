// preflight's report in each format: what the signer answered, the test upload built from it, and
// check's findings (and the server's answer with --send).
import { ui } from '../core/catalogue.js';
import { PREFLIGHT_SCHEMA, type PreflightResult } from '../preflight/index.js';
import { checkJson } from '../render/check-json.js';
import { renderCheckText } from '../render/check-text.js';
import { checkToGithub, workflowCommand } from './github.js';
import { checkToSarif, renderSarif } from './sarif.js';
import type { PreflightReporters, ReportContext } from './reporters.js';

export function preflightJson(r: PreflightResult, ctx: Pick<ReportContext, 'lang' | 'redactor'>): Record<string, unknown> {
  return ctx.redactor.scrubDeep({
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
    check: checkJson(r.result, { lang: ctx.lang, redactor: ctx.redactor }),
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

function preflightSarif(r: PreflightResult, ctx: ReportContext): string {
  const properties = { preflight: { shape: r.answer.shape, sent: r.sent ? { status: r.sent.status, accepted: r.sent.accepted, code: r.sent.code } : null } };
  return renderSarif(checkToSarif(r.result, { lang: ctx.lang, redactor: ctx.redactor, uri: ctx.input, properties }));
}

function preflightGithub(r: PreflightResult, ctx: ReportContext): string {
  const { lang, redactor } = ctx;
  let out = checkToGithub(r.result, { lang, redactor, file: null });
  if (r.sent && !r.sent.accepted) {
    out += workflowCommand(
      'error',
      [['title', ui('preflight.title', lang)]],
      redactor.scrub(ui('preflight.refused', lang, { code: r.sent.code ?? r.sent.status, message: r.sent.message ?? '' }).trim()),
    );
  }
  return out;
}

function preflightText(r: PreflightResult, ctx: ReportContext): string {
  const { lang, redactor, chalk: c } = ctx;
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
  return out;
}

export const PREFLIGHT_REPORTERS: PreflightReporters = {
  text: preflightText,
  json: (r, ctx) => `${JSON.stringify(preflightJson(r, ctx), null, 2)}\n`,
  sarif: preflightSarif,
  github: preflightGithub,
};
