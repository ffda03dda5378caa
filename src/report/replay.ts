// replay's report, by format: the request as it would be (or was) sent, the prediction, the
// server's answer and its explanation. Text keeps what was sent and received verbatim and wraps
// only its own prose (to `ctx.width`, a terminal's).
import type { CheckResult } from '../check/index.js';
import { ui } from '../core/catalogue.js';
import type { Lang, ProviderId } from '../core/types.js';
import { wrapText } from '../core/wrap.js';
import type { ExplainResult } from '../explain/index.js';
import type { HttpResponse } from '../net/http.js';
import { renderExplainText } from '../render/explain-text.js';
import { REPLAY_SCHEMA, succeeded, type ReplayPlan, type ReplayPrediction, type ResignResult } from '../replay/index.js';
import type { ReportContext } from './reporters.js';

type Chalk = ReportContext['chalk'];

export interface ReplayOutcome {
  plan: ReplayPlan;
  /** The provider the prediction and the explanation take, and where it came from (null: unknown). */
  provider: ProviderOrigin | null;
  resigned: ResignResult | null;
  check: CheckResult | null;
  prediction: ReplayPrediction | null;
  response: HttpResponse | null;
  explanation: ExplainResult | null;
  code: string | null;
  agree: boolean | null;
}

function requestJson(plan: ReplayPlan): Record<string, unknown> {
  return {
    method: plan.method,
    url: plan.url,
    headers: plan.headers.map(([name, value]) => ({ name, value })),
    mode: plan.mode,
    boundary: plan.boundary,
    contentLength: plan.contentLength,
    parts: plan.parts,
  };
}

export function replayJson(o: ReplayOutcome, lang: Lang): Record<string, unknown> {
  const p = o.prediction;
  const doc: Record<string, unknown> = {
    schema: REPLAY_SCHEMA,
    sent: o.response !== null,
    request: requestJson(o.plan),
    resigned: o.resigned ? { scheme: o.resigned.scheme, expiration: o.resigned.expiration, fields: o.resigned.changed.map((c) => c.field), conditions: o.resigned.conditions } : null,
    prediction: p ? { accept: p.accept, status: p.status, code: p.code, message: p.message, rule: p.rule, finding: p.finding } : null,
    response: o.response
      ? {
          status: o.response.status,
          headers: Object.fromEntries(groupHeaders(o.response.headers)),
          body: o.response.body,
          truncated: o.response.truncated,
          code: o.code,
          succeeded: succeeded(o.response.status),
          timeMs: o.response.endedAt - o.response.startedAt,
        }
      : null,
    provider: o.provider ? { id: o.provider.id, source: o.provider.source, ...(o.provider.source === 'capture' ? { from: o.provider.from } : {}) } : null,
    explanation: o.explanation,
    agree: o.agree,
  };
  void lang;
  return doc;
}

function groupHeaders(h: Array<[string, string]>): Array<[string, string]> {
  const m = new Map<string, string>();
  for (const [k, v] of h) m.set(k, m.has(k) ? `${m.get(k)}, ${v}` : v);
  return [...m.entries()];
}

function partLines(plan: ReplayPlan, lang: Lang): string[] {
  const out: string[] = [];
  plan.parts.forEach((p, i) => {
    const n = `${String(i + 1).padStart(2)}. `;
    if (p.kind === 'field') {
      out.push(`${n}${p.name} = ${p.value}`);
      return;
    }
    const what = p.from === 'path' ? ui('replay.part.file', lang, { size: p.size, path: p.path }) : ui(p.from === 'generated' ? 'replay.part.generated' : 'replay.part.inline', lang, { size: p.size });
    const meta: string[] = [];
    if (p.filename !== null) meta.push(ui('replay.part.filename', lang, { filename: JSON.stringify(p.filename) }));
    if (p.contentType !== null) meta.push(`Content-Type: ${p.contentType}`);
    out.push(`${n}${p.name}${meta.length ? ` (${meta.join('; ')})` : ''}: ${what}`);
  });
  return out;
}

/** Where the provider came from: --provider, or detected from the capture (its host, its form fields). */
export interface ProviderOrigin {
  id: ProviderId;
  source: 'option' | 'capture';
  /** With source 'capture': what named it. */
  from: Array<'host' | 'fields'>;
}

function providerLine(p: ProviderOrigin, lang: Lang): string {
  const name = ui(`explain.provider.${p.id}`, lang);
  if (p.source === 'option') return ui('replay.provider.option', lang, { provider: name });
  const key = p.from.length === 2 ? 'replay.provider.host-fields' : p.from[0] === 'host' ? 'replay.provider.host' : p.from[0] === 'fields' ? 'replay.provider.fields' : 'replay.provider.capture';
  return ui(key, lang, { provider: name });
}

/**
 * The text of a replay in blocks: prose (interface words and the explanation, wrapped to a
 * terminal's width) and verbatim lines (the request line, headers, form values, the answer's
 * headers and body: never wrapped, so that what is shown is exactly what was sent and received).
 */
export function replayTextBlocks(o: ReplayOutcome, lang: Lang, c: Chalk): Array<{ text: string; verbatim: boolean }> {
  const blocks: Array<{ text: string; verbatim: boolean }> = [];
  const say = (...lines: string[]): void => {
    for (const text of lines) blocks.push({ text, verbatim: false });
  };
  const exact = (...lines: string[]): void => {
    for (const text of lines) blocks.push({ text, verbatim: true });
  };
  const plan = o.plan;
  say(c.bold(ui(o.response ? 'replay.sent' : 'replay.dry-run', lang)));
  if (plan.url) exact(`${plan.method} ${plan.url}`);
  else say(`${plan.method} ${ui('replay.no-url', lang)}`);
  exact(...plan.headers.map(([k, v]) => `${k}: ${v}`));
  say('');
  if (plan.mode === 'verbatim') say(ui('replay.body.verbatim', lang, { size: plan.contentLength }));
  say(ui('replay.parts', lang, { count: plan.parts.length }));
  exact(...partLines(plan, lang).map((s) => `  ${s}`));
  if (o.resigned) {
    say('');
    say(ui('replay.resigned', lang, { expiration: o.resigned.expiration, fields: o.resigned.changed.map((x) => x.field) }));
    if (o.resigned.conditions.length) say(ui('replay.resigned.conditions', lang, { fields: o.resigned.conditions.join(', ') }));
  }
  say('');
  if (o.provider) say(providerLine(o.provider, lang));
  const p = o.prediction;
  if (!p) say(ui('replay.prediction.none', lang));
  else if (p.accept) say(ui('replay.prediction.accept', lang));
  else say(ui('replay.prediction.reject', lang, { status: p.status ?? '', code: p.code ?? '', message: p.message ? JSON.stringify(p.message) : '' }).trimEnd());

  const r = o.response;
  if (r) {
    say('');
    say(c.bold(ui('replay.answer', lang, { status: r.status, ms: r.endedAt - r.startedAt })));
    exact(...r.headers.map(([k, v]) => `${k}: ${v}`));
    if (r.status >= 300 && r.status < 400) {
      const loc = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
      if (loc) say(c.yellow(ui('replay.redirect', lang, { location: loc })));
    }
    say(ui('replay.answer.body', lang));
    if (r.body.length) exact(r.body);
    else say(ui('replay.answer.empty', lang));
    if (r.truncated) say(ui('replay.answer.truncated', lang, { size: Buffer.byteLength(r.body) }));
    say('');
    const ok = succeeded(r.status);
    say(ok ? c.green(ui('replay.result.ok', lang)) : c.red(ui('replay.result.refused', lang)));
    if (p) {
      const predicted = p.accept ? ui('replay.compare.accept', lang) : `${p.status ?? ''} ${p.code ?? ''}`.trim();
      const said = ok ? `${ui('replay.compare.accept', lang)} (HTTP ${r.status})` : `${r.status} ${o.code ?? ''}`.trim();
      const verdict = o.agree ? c.green(ui('replay.compare.agree', lang)) : c.red(c.bold(ui('replay.compare.disagree', lang)));
      say(`${ui('replay.compare', lang, { predicted, said })} ${verdict}`);
    }
    if (o.explanation) {
      say('');
      say(c.bold(ui('replay.explanation', lang)));
      say(renderExplainText(o.explanation, c).trimEnd());
    }
  }
  return blocks;
}

/** replay's reporters by name (`replay --format`). */
export const REPLAY_REPORTERS: Readonly<Record<'text' | 'json', (o: ReplayOutcome, ctx: ReportContext) => string>> = {
  json: (o, ctx) => `${JSON.stringify(ctx.redactor.scrubDeep(replayJson(o, ctx.lang)), null, 2)}\n`,
  // masked block by block (no secret spans two), then the prose wrapped to the terminal's width
  text: (o, ctx) =>
    `${replayTextBlocks(o, ctx.lang, ctx.chalk)
      .map((b) => (b.verbatim || !ctx.width ? ctx.redactor.scrub(b.text) : wrapText(ctx.redactor.scrub(b.text), ctx.width)))
      .join('\n')}\n`,
};
