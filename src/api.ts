// Public library API: no printing, no exiting.
export { check, detectProvider, type CheckOptions, type CheckResult, type RequestSummary } from './check/index.js';
export { explain } from './explain/index.js';
export { analysePolicy, type PolicyAnalysis } from './policy/index.js';
export { checkJson, CHECK_SCHEMA } from './render/check-json.js';
export type { Finding, UploadRequest, DecodedPolicy, SignatureReport, ProviderId } from './core/types.js';
