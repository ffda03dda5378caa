// Public library API of post-doctor: `import { check, explain, sign } from 'post-doctor'`.
// Pure functions and renderers: nothing here prints or exits; the CLI is a thin layer on it.
//
//   const req = await parseUpload({ text: harText, path: null, source: 'upload.har' });
//   const result = await check(req, { secret: process.env.COS_SECRET_KEY, ignore: ['file.size-unknown'] });
//   if (result.verdict === 'fail') console.log(toSarif(result));

import { check as runCheck, type CheckOptions, type CheckResult } from './check/index.js';
import { applyRulesToResult, type DowngradeLevel } from './config/index.js';
import type { Lang } from './core/types.js';
import { Redactor } from './core/mask.js';
import { checkJson } from './render/check-json.js';
import { checkToSarif, type SarifLog, type SarifOptions } from './report/sarif.js';
import { checkToGithub, type GithubOptions } from './report/github.js';
import type { UploadRequest } from './core/types.js';
import { readUploadRequest, type InputOptions } from './input/index.js';
import type { SignedForm } from './sign/index.js';

export { detectProvider, type CheckOptions, type CheckResult, type RequestSummary, type Detection } from './check/index.js';
export { explain, EXPLAIN_SCHEMA, type ExplainOptions, type ExplainResult, type ExplainMatch, type ExplainError } from './explain/index.js';
export { sign, signWalkThrough, SIGN_SCHEMA, type SignOptions, type SignedForm, type SignNeed, type SignScheme } from './sign/index.js';
export { analysePolicy, type PolicyAnalysis } from './policy/index.js';
export { checkJson, CHECK_SCHEMA } from './render/check-json.js';
export { readUploadRequest, readUploadRequest as parseUpload, type InputSource, type InputOptions } from './input/index.js';
export { checkToSarif, explainToSarif, sarifRules, SARIF_VERSION, type SarifLog, type SarifRule, type SarifResult, type SarifOptions } from './report/sarif.js';
export { checkToGithub, explainToGithub, escapeData, escapeProperty, type GithubOptions } from './report/github.js';
export { fails, checkExitCode, explainExitCode, parseFailOn, type FailOn } from './report/fail-on.js';
export { ReportRedactor, requestRedactor } from './report/redact.js';
export { Redactor, maskValue } from './core/mask.js';
export { loadConfig, validateConfig, applyFindingRules, type PostDoctorConfig, type LoadedConfig, type FindingRules, type DowngradeLevel } from './config/index.js';
export {
  preflight,
  parseSignerAnswer,
  buildPreflightUpload,
  PREFLIGHT_SCHEMA,
  type PreflightOptions,
  type PreflightResult,
  type PreflightSend,
  type SignerSource,
  type SignerAnswer,
  type AnswerShape,
  type PreflightUpload,
} from './preflight/index.js';
export { InputError, UsageError, NetworkError, EXIT } from './core/errors.js';
export { renderFinding, kbEntries, findingEntries, type RenderedFinding, type KbEntry, type FindingEntry } from './core/catalogue.js';
export type {
  Finding,
  Severity,
  Prediction,
  ResolvedPrediction,
  UploadRequest,
  Part,
  FieldPart,
  FilePart,
  FileSource,
  DecodedPolicy,
  PolicyCondition,
  SignatureReport,
  SignatureStep,
  ProviderId,
  ServerFlavour,
  Lang,
} from './core/types.js';
export { VERSION } from './version.js';

export interface ApiCheckOptions extends CheckOptions {
  /** Finding ids to drop from the result (as the config file's "ignore"). */
  ignore?: readonly string[];
  /** Finding ids to report with a lower severity (as the config file's "downgrade"). */
  downgrade?: Readonly<Record<string, DowngradeLevel>>;
}

/**
 * Dry-run an upload: every applicable check of the provider, a prediction of the server's
 * answer per finding, and the verdict (fail iff an error finding remains after `ignore` /
 * `downgrade`). Throws InputError when the provider cannot be told (give `provider`).
 */
export async function check(req: UploadRequest, opts: ApiCheckOptions = {}): Promise<CheckResult> {
  const { ignore, downgrade, ...engine } = opts;
  const rules: { ignore?: readonly string[]; downgrade?: Readonly<Record<string, DowngradeLevel>> } = {};
  if (ignore) rules.ignore = ignore;
  if (downgrade) rules.downgrade = downgrade;
  return applyRulesToResult(await runCheck(req, engine), rules);
}

export interface ToReportOptions {
  lang?: Lang;
  /** Masking of secrets and signatures (default: the request's sensitive values of the result). */
  redactor?: Redactor;
}

function defaultRedactor(result: CheckResult): Redactor {
  const r = new Redactor();
  for (const [name, value] of result.request.fields) {
    if (/^(q-ak|q-signature|signature|ossaccesskeyid|awsaccesskeyid|x-(amz|oss|goog|cos)-(signature|security-token))$/i.test(name)) r.addSensitive(value);
    if (/^x-(amz|oss|goog)-credential$/i.test(name)) r.addSensitive(value.split('/')[0]);
  }
  r.addSensitive(result.signature?.expected).addSensitive(result.signature?.provided);
  return r;
}

/** The post-doctor/check@1 JSON document of a result (an object; JSON.stringify it to print). */
export function toJson(result: CheckResult, opts: ToReportOptions = {}): Record<string, unknown> {
  return checkJson(result, { lang: opts.lang ?? 'en', redactor: opts.redactor ?? defaultRedactor(result) });
}

/** The SARIF 2.1.0 log of a result. */
export function toSarif(result: CheckResult, opts: ToReportOptions & Pick<SarifOptions, 'uri'> = {}): SarifLog {
  const o: SarifOptions = { lang: opts.lang ?? 'en', redactor: opts.redactor ?? defaultRedactor(result) };
  if (opts.uri !== undefined) o.uri = opts.uri;
  return checkToSarif(result, o);
}

/** GitHub Actions workflow commands (one line per finding) for a result. */
export function toGithub(result: CheckResult, opts: ToReportOptions & Pick<GithubOptions, 'file'> = {}): string {
  const o: GithubOptions = { lang: opts.lang ?? 'en', redactor: opts.redactor ?? defaultRedactor(result) };
  if (opts.file !== undefined) o.file = opts.file;
  return checkToGithub(result, o);
}

/**
 * The upload a signed form describes, as `check` reads it: the same as `post-doctor check` on the
 * JSON that `post-doctor sign --format json` prints (the file: `opts.file`, else a placeholder).
 */
export function requestFromSignedForm(form: SignedForm, opts: InputOptions = {}): Promise<UploadRequest> {
  return readUploadRequest({ text: JSON.stringify(form), path: null, source: 'signed form' }, opts);
}
