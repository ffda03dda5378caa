// TOS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { tosAnswers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const tosAdapter: ProviderAdapter = {
  id: 'tos',
  secretEnv: SECRET_ENV.tos,
  detectRequest,
  answers: tosAnswers,
  parseEndpoint,
  verifySignature,
};
