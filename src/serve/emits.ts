// The findings serve reports of its own (rules/findings/serve.yaml), besides those of check.
import type { FindingId } from '../generated/ids.js';

export const SERVE_EMITS: readonly FindingId[] = [
  'serve.cors-preflight-incomplete',
  'serve.body-too-large',
  'serve.wrong-bucket',
  'serve.post-to-object-url',
  'serve.method-not-allowed',
  'serve.internal-error',
  'serve.stored',
];
