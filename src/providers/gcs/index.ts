// GCS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { gcsAnswers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const gcsAdapter: ProviderAdapter = {
  id: 'gcs',
  secretEnv: SECRET_ENV.gcs,
  detectRequest,
  answers: gcsAnswers,
  parseEndpoint,
  verifySignature,
};
