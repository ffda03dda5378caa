// OSS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { detectResponse, answerFacts } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const ossAdapter: ProviderAdapter = {
  id: 'oss',
  secretEnv: ['OSS_ACCESS_KEY_SECRET'],
  detectRequest,
  detectResponse,
  answerFacts,
  parseEndpoint,
  verifySignature,
};
