// explain's report, by format (with --redact, what identifies the request is hidden too).
import { renderExplainJson } from '../render/explain-json.js';
import { renderExplainText } from '../render/explain-text.js';
import { explainToGithub } from './github.js';
import type { ExplainReporters } from './reporters.js';
import { explainToSarif, renderSarif } from './sarif.js';

export const EXPLAIN_REPORTERS: ExplainReporters = {
  text: (r, ctx) => (ctx.redact ? ctx.redactor.scrub(renderExplainText(r, ctx.chalk)) : renderExplainText(r, ctx.chalk)),
  json: (r, ctx) => (ctx.redact ? `${JSON.stringify(ctx.redactor.scrubDeep(JSON.parse(renderExplainJson(r))), null, 2)}\n` : renderExplainJson(r)),
  sarif: (r, ctx) => renderSarif(explainToSarif(r, { lang: ctx.lang, redactor: ctx.redactor, uri: ctx.input })),
  github: (r, ctx) => explainToGithub(r, { lang: ctx.lang, redactor: ctx.redactor, file: ctx.input }),
};
