// GCS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { detectResponse, answerFacts } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const gcsAdapter: ProviderAdapter = {
  id: 'gcs',
  secretEnv: ['GCS_HMAC_SECRET'],
  detectRequest,
  detectResponse,
  answerFacts,
  parseEndpoint,
  verifySignature,
};
