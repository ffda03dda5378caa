// The CORS engine: pure functions from a bucket's CORS configuration and a browser request to
// data (which rule answers, what the server and the browser do, the smallest fix). Used by
// `check --cors-config`, `probe --origin`, `serve` and `explain`; the words live in
// rules/findings/cors.yaml. Sources of every rule: docs/cors.md.

export type * from './types.js';
export { readCorsConfig, parseCorsConfig, configFor, type ReadOptions } from './config.js';
export { validateConfig, originProblem, type ConfigIssue, type ConfigIssueKind, type OriginProblem } from './validate.js';
export {
  PROFILES,
  profile,
  originMatches,
  methodMatches,
  headerAllowed,
  checkRule,
  findMatch,
  closestRule,
  refusalOf,
  type CorsProfile,
  type MatchResult,
  type ProfileAssumption,
} from './match.js';
export {
  needsPreflight,
  formNavigation,
  defaultReadHeaders,
  normaliseMethod,
  unsafeWhy,
  ignoredWhy,
  simpleRange,
  SAFELISTED_RESPONSE_HEADERS,
  type PreflightNeed,
  type PreflightQuestion,
  type PreflightCause,
  type UnsafeHeaderWhy,
  type IgnoredWhy,
  type HeaderList,
} from './fetch.js';
export { evaluatePreflight, evaluateActual } from './evaluate.js';
export { browserCheck, type BrowserCheck } from './browser.js';
export {
  allowedPreflightAnswer,
  allowedActualAnswer,
  refusedPreflightAnswer,
  refusedActualAnswer,
  S3_NOT_ALLOWED,
  S3_NOT_ENABLED,
  COS_NOT_ALLOWED,
  OSS_NOT_ALLOWED,
  OBS_NOT_ALLOWED,
  OBS_NOT_ENABLED,
} from './answer.js';
export { smallestFix, type CorsFix, type FixRequest, type FixBlocker } from './fix.js';
export { renderCorsConfig, APPLY_WITH, FORMAT, type CorsFormat } from './render.js';
export { diagnoseCors, configFindings, CORS_FINDINGS, PROVIDER_NAMES, type CorsCapture, type CorsDiagnosis, type CorsFindingId } from './findings.js';
