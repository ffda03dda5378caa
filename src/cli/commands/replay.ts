// `post-doctor replay`: rebuild a captured upload exactly and show it; with --send, send it
// (file streamed from disk), print the answer, explain a refusal, and compare with `check`.
import { resolve } from 'node:path';
import { ui } from '../../core/catalogue.js';
import { EXIT, InputError, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { Redactor } from '../../core/mask.js';
import type { ProviderId, ServerFlavour, UploadRequest } from '../../core/types.js';
import { check, detectProvider, type CheckResult } from '../../check/index.js';
import { detectFormat, readUploadRequest } from '../../input/index.js';
import { adapter } from '../../providers/index.js';
import type { HttpResponse } from '../../net/http.js';
import { agrees, answerCode, explainAnswer, planReplay, predictionOf, rawBodySegment, resign, sendReplay, succeeded, type ResignResult } from '../../replay/index.js';
import { makeChalk, readInputText, type Io } from '../io.js';
import { REPLAY_REPORTERS, type ProviderOrigin, type ReplayOutcome } from '../../report/replay.js';
import { parseTimeOption, readSecret } from './check.js';
import { timeoutOption } from './probe.js';

function entryOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new UsageError(`--entry must be a positive number (1-based); got '${s}'`);
  return Number(s);
}

/** What in the capture names `provider`: its host, its form fields (each tried alone), or both together only. */
export function providerEvidence(req: UploadRequest, provider: ProviderId): Array<'host' | 'fields'> {
  const from: Array<'host' | 'fields'> = [];
  if (req.url !== null && detectProvider({ ...req, parts: [] }).provider === provider) from.push('host');
  if (detectProvider({ ...req, url: null }).provider === provider) from.push('fields');
  return from;
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
  // a shorthand field (OBS `token`: AK:signature:policy) is masked whole above; its parts too,
  // since an answer may quote one alone ("the access key … is inactive.")
  const expanded = provider ? adapter(provider).expandForm?.(req) : null;
  if (expanded) redactor.addRequest(expanded);
  if (result?.signature?.expected) redactor.addSensitive(result.signature.expected);
  if (result?.signature?.provided) redactor.addSensitive(result.signature.provided);

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

  const ctx = { lang, redactor, chalk: makeChalk(io, opts.color as boolean | undefined), input: null, ...(io.columns ? { width: io.columns } : {}) };
  io.stdout(REPLAY_REPORTERS[format === 'json' ? 'json' : 'text'](outcome, ctx));
  if (!outcome.response) return EXIT.OK;
  return succeeded(outcome.response.status) ? EXIT.OK : EXIT.PROBLEMS;
}
