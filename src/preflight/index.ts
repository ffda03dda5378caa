// `preflight`: ask the application's signer for an upload form, build a test upload that fits
// its policy, check it, and (when asked) send it. Library code: no printing, no exiting.

import { check, detectProvider, type CheckOptions, type CheckResult } from '../check/index.js';
import { applyRulesToResult, type FindingRules } from '../config/index.js';
import { InputError } from '../core/errors.js';
import type { Lang, ProviderId, ServerFlavour } from '../core/types.js';
import type { ExplainResult } from '../explain/index.js';
import { agrees, answerCode, explainAnswer, planReplay, predictionOf, sendReplay, succeeded } from '../replay/index.js';
import { parseSignerAnswer, type SignerAnswer } from './answer.js';
import { buildPreflightUpload, type PreflightUpload } from './build.js';
import { fetchSigner, runSignerCommand, type SignerHttpOptions, type SignerReply } from './signer.js';

export { parseSignerAnswer, parsePath, fieldPairs, absoluteUrl, type SignerAnswer, type AnswerShape } from './answer.js';
export { buildPreflightUpload, fittingSize, contentTypeFor, PREFLIGHT_FILENAME, type PreflightUpload } from './build.js';
export { fetchSigner, runSignerCommand, parseHeaderOption, type SignerHttpOptions, type SignerReply } from './signer.js';

export const PREFLIGHT_SCHEMA = 'post-doctor/preflight@1';

export type SignerSource = { url: string; method?: 'GET' | 'POST'; body?: string; headers?: string[] } | { command: string; cwd?: string } | { answer: string; source?: string };

export interface PreflightOptions extends FindingRules {
  signer: SignerSource;
  /** JSON path to the fields in the answer (e.g. "data.form.fields"). */
  fieldsPath?: string;
  provider?: ProviderId;
  /** The secret, or a function giving it once the provider is known. */
  secret?: string | null | ((provider: ProviderId) => string | null);
  now?: Date;
  server?: ServerFlavour;
  /** Upload URL to send to (and to check, when the answer carries none). */
  endpoint?: string;
  /** Really send the test upload. */
  send?: boolean;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  lang?: Lang;
}

export interface PreflightSend {
  url: string;
  status: number;
  accepted: boolean;
  code: string | null;
  message: string | null;
  /** The answer agrees with check's prediction (accept/refuse and error code). */
  agrees: boolean;
  explanation: ExplainResult | null;
}

export interface PreflightResult {
  signer: { source: string; status?: number };
  answer: SignerAnswer;
  upload: PreflightUpload;
  result: CheckResult;
  sent: PreflightSend | null;
  /** The secret used (never printed; for the caller's redactor). */
  secret: string | null;
}

export async function askSigner(s: SignerSource, o: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SignerReply> {
  if ('answer' in s) return { source: s.source ?? 'answer', text: s.answer };
  if ('command' in s) return runSignerCommand(s.command, { cwd: s.cwd ?? process.cwd(), env: o.env ?? process.env, timeoutMs: o.timeoutMs });
  const h: SignerHttpOptions = { url: s.url, env: o.env ?? process.env };
  if (s.method) h.method = s.method;
  if (s.body !== undefined) h.body = s.body;
  if (s.headers) h.headers = s.headers;
  if (o.timeoutMs !== undefined) h.timeoutMs = o.timeoutMs;
  return fetchSigner(h);
}

export async function preflight(opts: PreflightOptions): Promise<PreflightResult> {
  const reply = await askSigner(opts.signer, { timeoutMs: opts.timeoutMs, env: opts.env });
  const answer = parseSignerAnswer(reply.text, opts.fieldsPath !== undefined ? { fieldsPath: opts.fieldsPath } : {});
  const url = answer.url ?? opts.endpoint ?? null;
  if (!url) throw new InputError("the signer's answer has no upload URL (url, host or action)", { source: 'signer', option: 'endpoint' });
  const upload = buildPreflightUpload(answer, { url });

  const provider = opts.provider ?? detectProvider(upload.request).provider ?? answer.provider ?? null;
  if (!provider) throw new InputError('cannot tell the provider from the signer answer', { source: 'signer', option: 'provider' });
  const secret = typeof opts.secret === 'function' ? opts.secret(provider) : (opts.secret ?? null);
  const co: CheckOptions = { provider, providerSource: opts.provider ? 'option' : 'detected', secret, now: opts.now ?? new Date() };
  if (opts.server) co.server = opts.server;
  const result = applyRulesToResult(await check(upload.request, co), opts);

  let sent: PreflightSend | null = null;
  if (opts.send) {
    const planOpts: Parameters<typeof planReplay>[1] = {};
    if (opts.endpoint !== undefined) planOpts.endpoint = opts.endpoint;
    const plan = await planReplay(upload.request, planOpts);
    const res = await sendReplay(plan, { timeoutMs: opts.timeoutMs ?? 60_000, env: opts.env ?? process.env });
    // the provider was given (--provider) or read from the signer's answer
    const explOpts: { provider?: ProviderId; providerSource: 'option' | 'capture'; now?: Date; lang?: Lang } = {
      provider,
      providerSource: opts.provider ? 'option' : 'capture',
      lang: opts.lang ?? 'en',
    };
    if (opts.now) explOpts.now = opts.now;
    const explanation = explainAnswer(res, explOpts);
    const code = answerCode(res, explanation);
    sent = {
      url: plan.url as string,
      status: res.status,
      accepted: succeeded(res.status),
      code,
      message: explanation?.error.message ?? null,
      agrees: agrees(predictionOf(result), res.status, code),
      explanation,
    };
  }
  const signer: PreflightResult['signer'] = { source: reply.source };
  if (reply.status !== undefined) signer.status = reply.status;
  return { signer, answer, upload, result, sent, secret };
}
