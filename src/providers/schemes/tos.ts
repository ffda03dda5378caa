// Volcengine TOS PostObject: TOS4-HMAC-SHA256, the SigV4 chain with NO key prefix, service "tos"
// and terminator "request", over the policy's base64 text exactly as sent; lowercase hex.
//
//   kDate = HMAC-SHA256(SK, yyyymmdd); kRegion = HMAC(kDate, region); kService = HMAC(kRegion, "tos");
//   kSigning = HMAC(kService, "request"); x-tos-signature = hex HMAC-SHA256(kSigning, policyBase64)
// Credential "<AK>/<yyyymmdd>/<region>/tos/request"; x-tos-date "yyyymmddTHHMMSSZ". The policy
// must pin x-tos-algorithm, x-tos-credential, x-tos-date (and x-tos-security-token when sent).

import { requestHost } from '../url.js';
import type { UploadRequest } from '../../core/types.js';
import { sigV4Scheme } from './sigv4.js';
import type { SigningScheme } from './types.js';

export const TOS_ALGORITHM = 'TOS4-HMAC-SHA256';

/** TOS regions, for the wrong-region search only ("cn-beijing" first: the SDKs' fallback). */
export const TOS_REGIONS: readonly string[] = ['cn-beijing', 'cn-shanghai', 'cn-guangzhou', 'cn-nantong', 'cn-hongkong', 'ap-southeast-1', 'ap-southeast-3'];

/** The region a TOS host names: "<bucket>.tos-<region>.volces.com", "tos-s3-<region>.ivolces.com"...; null otherwise. */
export function tosHostRegion(host: string): string | null {
  const m = /(?:^|\.)tos-(?:s3-)?([a-z]{2}-[a-z0-9-]+)\.i?volces\.com\.?$/i.exec(host.trim());
  return m ? (m[1] as string).toLowerCase() : null;
}

/** Region of the TOS endpoint the request goes to, when its host names one. */
function endpointRegion(req: UploadRequest): string | null {
  const host = requestHost(req);
  return host ? tosHostRegion(host) : null;
}

export const TOS_V4: SigningScheme = sigV4Scheme({
  id: 'tos-v4',
  provider: 'tos',
  name: 'TOS V4',
  algorithm: TOS_ALGORITHM,
  fields: { policy: 'policy', signature: 'x-tos-signature', credential: 'x-tos-credential', date: 'x-tos-date', algorithm: 'x-tos-algorithm', token: 'x-tos-security-token' },
  // unknown on the service side; the SDKs always send lowercase x-tos-* names
  nameCase: 'exact',
  detect: { marks: ['x-tos-algorithm', 'x-tos-credential', 'x-tos-date', 'x-tos-signature'] },
  chain: { keyPrefix: '', service: 'tos', terminator: 'request' },
  idPlaceholder: '<AK>',
  regions: TOS_REGIONS,
  defaultRegions: ['cn-beijing'],
  // an AWS SigV4 signer adapted halfway: its key prefix kept (or the algorithm's "TOS4" guessed
  // as one), or its S3 scope kept
  otherChains: [{ prefix: 'AWS4' }, { prefix: 'TOS4' }, { prefix: 'AWS4', service: 's3', terminator: 'aws4_request' }, { prefix: '', service: 's3', terminator: 'aws4_request' }],
  steps: 'chain',
  endpointRegion,
  dateFact: 'xTosDate',
  // no documented maximum
  maxValiditySeconds: null,
  token: true,
});
