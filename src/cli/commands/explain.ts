// `post-doctor explain`: read the input (words, a file, or stdin), explain it, print it.
// Exit 0 when explained, 1 when not recognised; InputError/UsageError propagate (exit 2).
import { InputError, UsageError } from '../../core/errors.js';
import { pickLang } from '../../core/lang.js';
import { PROVIDER_IDS, type ProviderId } from '../../core/types.js';
import { explain } from '../../explain/index.js';
import { renderExplainJson } from '../../render/explain-json.js';
import { renderExplainText } from '../../render/explain-text.js';
import { explainRedactor } from '../../explain/redact.js';
import { explainExitCode, explainReportRedactor, explainToGithub, explainToSarif, renderSarif } from '../../report/index.js';
import { reportInputName, reportSettings } from '../report-settings.js';
import { makeChalk, readInputText, type Io, type InputText } from '../io.js';
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
  if (format === 'json') io.stdout(settings.redact ? `${JSON.stringify(redactor.scrubDeep(JSON.parse(renderExplainJson(result))), null, 2)}\n` : renderExplainJson(result));
  else if (format === 'sarif') io.stdout(renderSarif(explainToSarif(result, { lang, redactor, uri: inputName })));
  else if (format === 'github') io.stdout(explainToGithub(result, { lang, redactor, file: inputName }));
  else if (settings.redact) io.stdout(redactor.scrub(renderExplainText(result, makeChalk(io, opts.color as boolean | undefined))));
  else io.stdout(renderExplainText(result, makeChalk(io, opts.color as boolean | undefined)));
  debug.mark('render');
  debugExplain(io, debug, redactor, { source: inputName ?? text.source, result });
  return explainExitCode(result.recognised, settings.failOn);
}
