// GCS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
// Request checks and signing for GCS arrive with issue 4; explain support is complete.
import type { ProviderAdapter } from '../types.js';
import { detectResponse, answerFacts } from './errors.js';
import { detectRequest } from './request.js';

export const gcsAdapter: ProviderAdapter = {
  id: 'gcs',
  secretEnv: ['GCS_HMAC_SECRET'],
  detectRequest,
  detectResponse,
  answerFacts,
};
