// Report formats shared by check and preflight: text, json (post-doctor/check@1), sarif, github.
import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../check/index.js';
import { UsageError } from '../core/errors.js';
import type { Redactor } from '../core/mask.js';
import type { Lang } from '../core/types.js';
import { renderCheckJson } from '../render/check-json.js';
import { renderCheckText } from '../render/check-text.js';
import { checkToGithub } from './github.js';
import { checkToSarif, renderSarif } from './sarif.js';

export { checkToGithub, explainToGithub, escapeData, escapeProperty, workflowCommand, githubLevel, type GithubOptions } from './github.js';
export { checkToSarif, explainToSarif, sarifRules, sarifLevel, renderSarif, artifactUri, SARIF_VERSION, type SarifLog, type SarifRule, type SarifResult, type SarifOptions } from './sarif.js';
export { parseFailOn, fails, checkExitCode, explainExitCode, FAIL_ON_CHOICES, type FailOn } from './fail-on.js';
export { ReportRedactor, requestRedactor, explainReportRedactor, PROTOCOL_FIELDS } from './redact.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github'];

export function parseFormat(v: unknown, allowed: readonly ReportFormat[] = REPORT_FORMATS): ReportFormat {
  const s = String(v ?? 'text');
  if ((allowed as readonly string[]).includes(s)) return s as ReportFormat;
  throw new UsageError(`format must be one of ${allowed.join(', ')} (got '${s}')`, { about: 'format' });
}

export interface CheckReportOptions {
  lang: Lang;
  redactor: Redactor;
  chalk: ChalkInstance;
  /** The input (file path, URL), for SARIF locations and GitHub file=; null for stdin. */
  input: string | null;
  /** Extra SARIF run properties. */
  properties?: Record<string, unknown>;
}

export function renderCheckReport(result: CheckResult, format: ReportFormat, opts: CheckReportOptions): string {
  switch (format) {
    case 'json':
      return renderCheckJson(result, { lang: opts.lang, redactor: opts.redactor });
    case 'sarif':
      return renderSarif(checkToSarif(result, { lang: opts.lang, redactor: opts.redactor, uri: opts.input, properties: opts.properties ?? {} }));
    case 'github':
      return checkToGithub(result, { lang: opts.lang, redactor: opts.redactor, file: opts.input === null ? null : opts.redactor.scrub(opts.input) });
    default:
      return renderCheckText(result, { lang: opts.lang, redactor: opts.redactor, chalk: opts.chalk });
  }
}
