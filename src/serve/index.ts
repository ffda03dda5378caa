// post-doctor serve: a local sandbox bucket that judges real browser uploads.
export { SandboxBucket, DEFAULT_MAX_BODY, liveHosts, type ServeOptions } from './server.js';
export { storePath, flatStorePath, storeName, storeObject, type StoreOutcome } from './store.js';
export { terminalLines, renderFindings, renderSummary, summariseFindings, type Diagnosis, type DiagnosisFinding } from './diagnosis.js';
export * from './limits.js';
export { oneLine, capText, shown, addRequestCredentials } from './text.js';
export { livePage, providerName, LIVE_API } from './live.js';
export { errorAnswer, successAnswer, newRequestId, ruleFor, exposedHeaders, type Answer, type AnswerContext, type ErrorSpec } from './answers.js';
export { corsApplies, originsConfig, actualCors, preflightCapture, corsCause, scriptHeaders, CORS_METHODS, CORS_MAX_AGE, type ActualCors } from './cors.js';
