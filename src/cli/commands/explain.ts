// `post-doctor explain`: read the input (words, a file, or stdin), explain it, print it.
// Exit 0 when explained, 1 when not recognised; InputError/UsageError propagate (exit 2).
import { InputError, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { PROVIDER_IDS, type ProviderId } from '../../core/types.js';
import { explain } from '../../explain/index.js';
import { explainRedactor } from '../../explain/redact.js';
import { EXPLAIN_REPORTERS } from '../../report/explain-reporters.js';
import { explainExitCode } from '../../report/fail-on.js';
import { explainReportRedactor } from '../../report/redact.js';
import { reportInputName, reportSettings } from '../report-settings.js';
import { makeChalk, readInputText, writeReport, type Io, type InputText } from '../io.js';
import { debugExplain, debugLog } from '../debug.js';

/** Parse --now: an ISO 8601 time (or an HTTP date). */
export function parseNowOption(v: unknown): Date | undefined {
  if (v === undefined || v === null || v === false) return undefined;
  const s = String(v).trim();
  const ms = /^\d{4}-\d{2}-\d{2}/.test(s) || /^[A-Z][a-z]{2}, /.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--now must be an ISO 8601 time such as 2024-01-31T12:00:00Z (got '${s}')`);
  return new Date(ms);
}

async function readExplainInput(io: Io, input: string[]): Promise<InputText> {
  if (input.length > 1) return { source: 'argument', path: null, text: input.join(' ') };
  return readInputText(io, input[0], true);
}

export async function runExplain(io: Io, input: string[], opts: Record<string, unknown>): Promise<number> {
  const debug = debugLog(opts);
  const lang = pickLang(opts.lang === undefined ? undefined : String(opts.lang), io.env);
  const now = parseNowOption(opts.now);
  let provider: ProviderId | undefined;
  if (opts.provider !== undefined) {
    const p = String(opts.provider).toLowerCase();
    if (!(PROVIDER_IDS as readonly string[]).includes(p)) throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')} (got '${String(opts.provider)}')`);
    provider = p as ProviderId;
  }
  const settings = reportSettings(io, opts);
  const format = settings.format;
  if (provider === undefined && settings.config.provider !== undefined) provider = settings.config.provider;

  const text = await readExplainInput(io, input);
  if (text.text.trim() === '') throw new InputError('empty input: nothing to explain', { source: text.source });
  const result = explain(text.text, { provider, now, lang, source: text.source });
  debug.mark('explain');
  const base = explainRedactor(result);
  const redactor = settings.redact ? explainReportRedactor(result, base, lang) : base;
  const inputName = reportInputName(text.source, settings.redact, lang);
  const ctx = { lang, redactor, chalk: makeChalk(io, opts.color as boolean | undefined), input: inputName, redact: settings.redact };
  writeReport(io, format, EXPLAIN_REPORTERS[format](result, ctx));
  debug.mark('render');
  debugExplain(io, debug, redactor, { source: inputName ?? text.source, result });
  return explainExitCode(result.recognised, settings.failOn);
}
