// Huawei Cloud OBS PostObject: the native form (AccessKeyId / policy / signature, the HMAC-SHA1
// signature of OSS V1 and S3 SigV2) and OBS's S3-compatible forms, which are Amazon's own (S3 SigV2
// with AWSAccessKeyId; SigV4 with the x-amz-* fields, the AWS4 key chain and the scope
// "s3/aws4_request"). All sign the policy's base64 text exactly as sent. Field names are matched
// case-insensitively (the SDK's own sample posts "Accesskeyid" / "AwsAccesskeyid").
//
// The scheme ids follow the SDK's `signature` setting: 'obs' (native), 'v2' and 'v4' (x-amz-*).

import { requestHost } from '../url.js';
import type { UploadRequest } from '../../core/types.js';
import { MAX_VALIDITY_SECONDS } from '../limits.js';
import { policyHmacScheme } from './policy-hmac.js';
import { sigV4Scheme } from './sigv4.js';
import type { SigningScheme } from './types.js';

/**
 * OBS regions (Huawei Cloud, and the EU sovereign, G42 and Open Telekom Cloud regions running OBS),
 * for the wrong-region search only.
 */
export const OBS_REGIONS: readonly string[] = [
  'cn-north-1',
  'cn-north-4',
  'cn-north-9',
  'cn-east-2',
  'cn-east-3',
  'cn-south-1',
  'cn-south-4',
  'cn-southwest-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'af-south-1',
  'la-north-2',
  'la-south-2',
  'sa-brazil-1',
  'na-mexico-1',
  'tr-west-1',
  'me-east-1',
  'eu-west-101',
  'ae-ad-1',
  'eu-de',
  'eu-nl',
];

/** The region an OBS host names: "<bucket>.obs.<region>.myhuaweicloud.com", "obs.<region>.myhuaweicloud.eu"...; null otherwise. */
export function obsHostRegion(host: string): string | null {
  const m = /(?:^|\.)obs\.([a-z0-9-]+)\.(?:myhuaweicloud\.(?:com|eu)|g42cloud\.com|otc\.t-systems\.com)\.?$/i.exec(host.trim());
  return m ? (m[1] as string).toLowerCase() : null;
}

/** Region of the OBS endpoint the request goes to, when its host names one. */
function endpointRegion(req: UploadRequest): string | null {
  const host = requestHost(req);
  return host ? obsHostRegion(host) : null;
}

/**
 * Native: signature = base64(HMAC-SHA1(SK, policyBase64)); temporary credentials send
 * x-obs-security-token, which the policy pins (every field but AccessKeyId, signature, policy,
 * token, file and x-ignore-* needs a condition; the SDK adds one).
 */
export const OBS_NATIVE: SigningScheme = policyHmacScheme({
  id: 'obs-native',
  provider: 'obs',
  name: 'OBS',
  fields: { policy: 'policy', signature: 'signature', accessKeyId: 'AccessKeyId', token: 'x-obs-security-token' },
  nameCase: 'any-case',
  // a lone signature is told apart by the provider's fallback, not here (S3 V2 sends one too)
  detect: { marks: ['accesskeyid', 'x-obs-security-token'] },
  tokenPinned: true,
  tokenAfter: 'accessKeyId',
});

/** S3-compatible SigV2: S3 SigV2's fields (AWSAccessKeyId, x-amz-security-token) and signature. */
export const OBS_S3_V2: SigningScheme = policyHmacScheme({
  id: 'obs-s3-v2',
  provider: 'obs',
  name: 'OBS S3 SigV2',
  fields: { policy: 'policy', signature: 'signature', accessKeyId: 'AWSAccessKeyId', token: 'x-amz-security-token' },
  nameCase: 'any-case',
  detect: { marks: ['awsaccesskeyid'] },
  tokenPinned: true,
  tokenAfter: 'accessKeyId',
});

/**
 * S3-compatible SigV4: S3 SigV4's fields and key chain (AWS4, s3, aws4_request); credential
 * "<AK>/<yyyymmdd>/<region>/s3/aws4_request" with the OBS region ("cn-north-4"). A credential
 * day more than 7 days old is refused (403 RequestTimeTooSkewed, obs_errorcode_0012).
 */
export const OBS_S3_V4: SigningScheme = sigV4Scheme({
  id: 'obs-s3-v4',
  provider: 'obs',
  name: 'OBS S3 SigV4',
  algorithm: 'AWS4-HMAC-SHA256',
  fields: { policy: 'policy', signature: 'x-amz-signature', credential: 'x-amz-credential', date: 'x-amz-date', algorithm: 'x-amz-algorithm', token: 'x-amz-security-token' },
  nameCase: 'any-case',
  detect: { marks: ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'], weakMarks: ['x-amz-date'] },
  chain: { keyPrefix: 'AWS4', service: 's3', terminator: 'aws4_request' },
  idPlaceholder: '<AK>',
  regions: OBS_REGIONS,
  // an S3 signer's default region kept for OBS
  defaultRegions: ['us-east-1'],
  steps: 'chain',
  endpointRegion,
  dateFact: 'amzDate',
  maxValiditySeconds: MAX_VALIDITY_SECONDS,
  token: true,
});
