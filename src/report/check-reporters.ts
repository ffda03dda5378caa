// check's report, by format.
import { renderCheckJson } from '../render/check-json.js';
import { renderCheckText } from '../render/check-text.js';
import { checkToGithub } from './github.js';
import type { CheckReporters } from './reporters.js';
import { checkToSarif, renderSarif } from './sarif.js';

export const CHECK_REPORTERS: CheckReporters = {
  text: (r, ctx) => renderCheckText(r, { lang: ctx.lang, redactor: ctx.redactor, chalk: ctx.chalk }),
  json: (r, ctx) => renderCheckJson(r, { lang: ctx.lang, redactor: ctx.redactor }),
  sarif: (r, ctx) => renderSarif(checkToSarif(r, { lang: ctx.lang, redactor: ctx.redactor, uri: ctx.input, properties: ctx.properties ?? {} })),
  github: (r, ctx) => checkToGithub(r, { lang: ctx.lang, redactor: ctx.redactor, file: ctx.input === null ? null : ctx.redactor.scrub(ctx.input) }),
};
