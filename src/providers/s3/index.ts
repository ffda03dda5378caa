// S3 adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
// Request checks and signing for S3 arrive with issue 4; explain support is complete.
import type { ProviderAdapter } from '../types.js';
import { detectResponse, answerFacts } from './errors.js';
import { detectRequest } from './request.js';

export const s3Adapter: ProviderAdapter = {
  id: 's3',
  secretEnv: ['AWS_SECRET_ACCESS_KEY'],
  detectRequest,
  detectResponse,
  answerFacts,
};
