// post-doctor serve: a local sandbox bucket that judges real browser uploads.
export { SandboxBucket, DEFAULT_MAX_BODY, storePath, type ServeOptions } from './server.js';
export { terminalLines, renderFindings, type Diagnosis, type DiagnosisFinding } from './diagnosis.js';
export { livePage, providerName, LIVE_API } from './live.js';
export { errorAnswer, successAnswer, newRequestId, ruleFor, exposedHeaders, type Answer, type AnswerContext } from './answers.js';
export { originAllowed, corsApplies, CORS_METHODS } from './cors.js';
