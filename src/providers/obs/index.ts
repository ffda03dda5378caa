// OBS adapter: assembles the pieces of this folder behind the ProviderAdapter contract.
import type { ProviderAdapter } from '../types.js';
import { SECRET_ENV } from '../../core/secret-env.js';
import { obsAnswers } from './errors.js';
import { detectRequest, parseEndpoint } from './endpoint.js';
import { verifySignature } from './sign.js';
import { expandForm } from './form.js';

export const obsAdapter: ProviderAdapter = {
  id: 'obs',
  secretEnv: SECRET_ENV.obs,
  detectRequest,
  answers: obsAnswers,
  expandForm,
  formNotes: ['obs.token-field'],
  // OBS reads the ",]}" its SDK writes (docs/research/obs-tos.md 1.9)
  policyReading: { trailingCommas: true },
  parseEndpoint,
  verifySignature,
};
