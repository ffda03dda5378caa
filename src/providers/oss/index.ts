// OSS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { ossAnswers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const ossAdapter: ProviderAdapter = {
  id: 'oss',
  secretEnv: SECRET_ENV.oss,
  detectRequest,
  answers: ossAnswers,
  parseEndpoint,
  verifySignature,
};
