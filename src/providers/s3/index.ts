// S3 adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { s3Answers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';

export const s3Adapter: ProviderAdapter = {
  id: 's3',
  secretEnv: SECRET_ENV.s3,
  detectRequest,
  answers: s3Answers,
  parseEndpoint,
  verifySignature,
};
