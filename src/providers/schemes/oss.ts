// Alibaba Cloud OSS PostObject: V1 (HMAC-SHA1, base64) and V4 (OSS4-HMAC-SHA256, hex). Both sign
// the policy's base64 text exactly as sent. Field names are case-sensitive on OSS.
import { MAX_VALIDITY_SECONDS } from '../limits.js';
import { OSS_REGIONS } from '../regions.js';
import { policyHmacScheme } from './policy-hmac.js';
import { sigV4Scheme } from './sigv4.js';
import type { SigningScheme } from './types.js';

/** OSS region ids in endpoints carry this prefix ("oss-cn-hangzhou"); credentials must not. */
export const OSS_REGION_PREFIX = 'oss-';

const TOKEN = 'x-oss-security-token';

/** V1: Signature = base64(HMAC-SHA1(AccessKeySecret, policyBase64)). */
export const OSS_V1: SigningScheme = policyHmacScheme({
  id: 'oss-v1',
  provider: 'oss',
  name: 'OSS V1',
  fields: { policy: 'policy', signature: 'Signature', accessKeyId: 'OSSAccessKeyId', token: TOKEN },
  nameCase: 'exact',
  detect: { marks: ['ossaccesskeyid', 'signature'] },
  tokenPinned: false,
  tokenAfter: 'signature',
});

/**
 * V4: the SigV4 chain with key prefix "aliyun_v4", service "oss", terminator "aliyun_v4_request";
 * credential "<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request" (region without "oss-").
 */
export const OSS_V4: SigningScheme = sigV4Scheme({
  id: 'oss-v4',
  provider: 'oss',
  name: 'OSS V4',
  algorithm: 'OSS4-HMAC-SHA256',
  fields: { policy: 'policy', signature: 'x-oss-signature', credential: 'x-oss-credential', date: 'x-oss-date', algorithm: 'x-oss-signature-version', token: TOKEN },
  nameCase: 'exact',
  // any V4 field makes the form a V4 one
  detect: { marks: ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature'] },
  chain: { keyPrefix: 'aliyun_v4', service: 'oss', terminator: 'aliyun_v4_request' },
  idPlaceholder: '<AK>',
  regions: OSS_REGIONS,
  regionPrefix: OSS_REGION_PREFIX,
  steps: 'signing-key',
  dateFact: 'xOssDate',
  maxValiditySeconds: MAX_VALIDITY_SECONDS,
  token: true,
});
