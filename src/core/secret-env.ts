// Environment variables holding each provider's secret, in order of preference. A module of its
// own so that start-up (the command-line secret warning) does not load the provider adapters.
import type { ProviderId } from './types.js';

export const SECRET_ENV: Readonly<Record<ProviderId, readonly string[]>> = {
  cos: ['COS_SECRET_KEY'],
  oss: ['OSS_ACCESS_KEY_SECRET'],
  s3: ['AWS_SECRET_ACCESS_KEY'],
  gcs: ['GCS_HMAC_SECRET'],
  // obsutil and the OBS SDK samples read these two
  obs: ['OBS_SECRET_ACCESS_KEY', 'SecretAccessKey'],
  // the TOS SDK samples and tosutil
  tos: ['TOS_SECRET_KEY', 'TOS_SECRET_ACCESS_KEY'],
};
