// COS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { cosAnswers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const cosAdapter: ProviderAdapter = {
  id: 'cos',
  secretEnv: SECRET_ENV.cos,
  detectRequest,
  answers: cosAnswers,
  parseEndpoint,
  verifySignature,
};
