// Report formats of check, explain and preflight: text, json (post-doctor/check@1), sarif, github;
// the reporters themselves are in ./reporters.ts, by kind and name.
import type { CheckResult } from '../check/index.js';
import { CHECK_REPORTERS } from './check-reporters.js';
import type { ReportContext, ReportFormat } from './reporters.js';

export { checkToGithub, explainToGithub, escapeData, escapeProperty, workflowCommand, githubLevel, type GithubOptions } from './github.js';
export { checkToSarif, explainToSarif, sarifRules, sarifLevel, renderSarif, artifactUri, SARIF_VERSION, type SarifLog, type SarifRule, type SarifResult, type SarifOptions } from './sarif.js';
export { parseFailOn, fails, checkExitCode, explainExitCode, FAIL_ON_CHOICES, type FailOn } from './fail-on.js';
export { ReportRedactor, requestRedactor, explainReportRedactor, PROTOCOL_FIELDS } from './redact.js';

export type { ReportContext, ReportFormat, Reporter, Reporters, CheckReporters, ExplainReporters, PreflightReporters } from './reporters.js';
export { CHECK_REPORTERS } from './check-reporters.js';
export { REPORT_FORMATS, parseFormat } from './format.js';

export type CheckReportOptions = Omit<ReportContext, 'redact'>;

/** check's report in one format (CHECK_REPORTERS). */
export function renderCheckReport(result: CheckResult, format: ReportFormat, opts: CheckReportOptions): string {
  return CHECK_REPORTERS[format](result, opts);
}
