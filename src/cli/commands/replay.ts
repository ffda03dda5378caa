// `post-doctor replay`: rebuild a captured upload exactly and show it; with --send, send it
// (file streamed from disk), print the answer, explain a refusal, and compare with `check`.
import { resolve } from 'node:path';
import { ui } from '../../core/catalogue.js';
import { EXIT, InputError, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { Redactor } from '../../core/mask.js';
import type { Lang, ProviderId, ServerFlavour, UploadRequest } from '../../core/types.js';
import { check, detectProvider, type CheckResult } from '../../check/index.js';
import { detectFormat, readUploadRequest } from '../../input/index.js';
import type { ExplainResult } from '../../explain/index.js';
import type { HttpResponse } from '../../net/http.js';
import { renderExplainText } from '../../render/explain-text.js';
import {
  REPLAY_SCHEMA,
  agrees,
  answerCode,
  explainAnswer,
  planReplay,
  predictionOf,
  rawBodySegment,
  resign,
  sendReplay,
  succeeded,
  type ReplayPlan,
  type ReplayPrediction,
  type ResignResult,
} from '../../replay/index.js';
import { makeChalk, readInputText, type Io } from '../io.js';
import { wrapText } from '../wrap.js';
import { parseTimeOption, readSecret } from './check.js';
import { timeoutOption } from './probe.js';

function entryOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new UsageError(`--entry must be a positive number (1-based); got '${s}'`);
  return Number(s);
}

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

/** What in the capture names `provider`: its host, its form fields (each tried alone), or both together only. */
export function providerEvidence(req: UploadRequest, provider: ProviderId): Array<'host' | 'fields'> {
  const from: Array<'host' | 'fields'> = [];
  if (req.url !== null && detectProvider({ ...req, parts: [] }).provider === provider) from.push('host');
  if (detectProvider({ ...req, url: null }).provider === provider) from.push('fields');
  return from;
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
export function replayTextBlocks(o: ReplayOutcome, lang: Lang, c: ReturnType<typeof makeChalk>): Array<{ text: string; verbatim: boolean }> {
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

interface Spinner {
  stop(): void;
}

async function startSpinner(io: Io, text: string): Promise<Spinner | null> {
  if (!io.isTTY) return null;
  try {
    const { default: ora } = await import('ora');
    return ora({ text, stream: process.stderr }).start();
  } catch {
    return null;
  }
}

export async function runReplay(io: Io, input: string | undefined, opts: Record<string, unknown>): Promise<number> {
  const lang = pickLang(opts.lang as string | undefined, io.env);
  const now = parseTimeOption('--now', opts.now) ?? new Date();
  const entry = entryOption(opts.entry);
  const format = (opts.format as string | undefined) ?? 'text';
  const timeoutMs = timeoutOption(opts.timeout, 60);
  const doSend = opts.send === true;
  const endpoint = typeof opts.endpoint === 'string' ? opts.endpoint : undefined;

  const src = await readInputText(io, input, false);
  const readOpts: { entry?: number; file?: string; cwd?: string } = { cwd: io.cwd };
  if (entry !== undefined) readOpts.entry = entry;
  if (typeof opts.file === 'string') readOpts.file = resolve(io.cwd, opts.file);
  const captured = await readUploadRequest({ text: src.text, path: src.path, source: src.source }, readOpts);

  const forced = opts.provider as ProviderId | undefined;
  const provider: ProviderId | null = forced ?? detectProvider(captured).provider;
  const origin: ProviderOrigin | null = provider ? (forced ? { id: provider, source: 'option', from: [] } : { id: provider, source: 'capture', from: providerEvidence(captured, provider) }) : null;
  const secret = provider ? readSecret(io, opts, provider) : null;

  let req: UploadRequest = captured;
  let resigned: ResignResult | null = null;
  if (opts.resign === true) {
    if (!provider) throw new InputError('--resign: cannot tell the provider; use --provider', { source: src.source });
    if (!secret) throw new UsageError('--resign needs the secret key: --secret-env NAME, --secret-file PATH or the provider variable');
    resigned = resign(captured, provider, secret, now);
    req = resigned.req;
  }

  // the framing of a raw capture that cannot be rebuilt is sent as captured
  const verbatim = !resigned && captured.bodyProblems.length > 0 && detectFormat(src.text) === 'raw' ? await rawBodySegment(src) : null;
  const planOpts: Parameters<typeof planReplay>[1] = { verbatimBody: verbatim };
  if (endpoint !== undefined) planOpts.endpoint = endpoint;
  const plan = await planReplay(req, planOpts);
  // a capture piped on stdin is streamed from a temporary copy: name it as the input it is
  if (src.source === 'stdin' && src.path !== null) {
    for (const p of plan.parts) if (p.kind === 'file' && p.path === src.path) p.path = src.source;
  }

  let result: CheckResult | null = null;
  if (provider) {
    const checkOpts: Parameters<typeof check>[1] = { now, secret, provider, providerSource: forced ? 'option' : 'detected' };
    if (opts.server) checkOpts.server = opts.server as ServerFlavour;
    if (opts.endpointStyle) checkOpts.endpointStyle = opts.endpointStyle as 'virtual' | 'path';
    const checked = plan.url !== req.url ? { ...req, url: plan.url } : req;
    result = await check(checked, checkOpts);
  }
  const prediction = result ? predictionOf(result) : null;

  const redactor = new Redactor().addRequest(captured).addRequest(req).addSecret(secret).addUrl(plan.url);
  if (result?.signature?.expected) redactor.addSensitive(result.signature.expected);

  const outcome: ReplayOutcome = { plan, provider: origin, resigned, check: result, prediction, response: null, explanation: null, code: null, agree: null };
  if (doSend) {
    if (!plan.url) throw new UsageError('the capture has no URL: give --endpoint');
    const spinner = await startSpinner(io, ui('replay.spinner', lang, { size: plan.contentLength, host: new URL(plan.url).host }));
    let res: HttpResponse;
    try {
      res = await sendReplay(plan, { timeoutMs, env: io.env });
    } finally {
      spinner?.stop();
    }
    outcome.response = res;
    const exOpts: Parameters<typeof explainAnswer>[1] = { lang, now: new Date(res.headersAt) };
    if (origin) {
      exOpts.provider = origin.id;
      exOpts.providerSource = origin.source;
    }
    outcome.explanation = explainAnswer(res, exOpts);
    outcome.code = answerCode(res, outcome.explanation);
    outcome.agree = prediction ? agrees(prediction, res.status, outcome.code) : null;
  }

  if (format === 'json') {
    io.stdout(`${JSON.stringify(redactor.scrubDeep(replayJson(outcome, lang)), null, 2)}\n`);
  } else {
    // masked block by block (no secret spans two), then the prose wrapped to the terminal's width
    const blocks = replayTextBlocks(outcome, lang, makeChalk(io, opts.color as boolean | undefined));
    io.stdout(`${blocks.map((b) => (b.verbatim || !io.columns ? redactor.scrub(b.text) : wrapText(redactor.scrub(b.text), io.columns))).join('\n')}\n`);
  }
  if (!outcome.response) return EXIT.OK;
  return succeeded(outcome.response.status) ? EXIT.OK : EXIT.PROBLEMS;
}
