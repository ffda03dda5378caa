// Amazon S3 POST policy: SigV4 (AWS4-HMAC-SHA256, hex) and SigV2 (HMAC-SHA1, base64). Both sign
// the policy's base64 text exactly as sent. Field names are case-insensitive.
import { header } from '../../core/fields.js';
import type { UploadRequest } from '../../core/types.js';
import { AWS_REGIONS } from '../regions.js';
import { parseEndpoint } from '../s3/endpoint.js';
import { policyHmacScheme } from './policy-hmac.js';
import { sigV4Scheme } from './sigv4.js';
import type { SigningScheme } from './types.js';

const TOKEN = 'x-amz-security-token';

/** SigV2: signature = base64(HMAC-SHA1(secret, policyBase64)). */
export const S3_V2: SigningScheme = policyHmacScheme({
  id: 's3-v2',
  provider: 's3',
  name: 'S3 SigV2',
  fields: { policy: 'policy', signature: 'signature', accessKeyId: 'AWSAccessKeyId', token: TOKEN },
  nameCase: 'any-case',
  detect: { marks: ['awsaccesskeyid', 'signature'] },
  tokenPinned: true,
  tokenAfter: 'accessKeyId',
});

/** Region of the Amazon endpoint the request goes to, when its host names one. */
function endpointRegion(req: UploadRequest): string | null {
  const src = req.url ?? header(req, 'host') ?? null;
  if (!src) return null;
  const ep = parseEndpoint(/^[a-z][a-z0-9+.-]*:\/\//i.test(src) ? src : `https://${src}`);
  return ep.aws && !ep.global ? ep.region : null;
}

/** SigV4: the chain with key prefix "AWS4", service "s3", terminator "aws4_request". */
export const S3_V4: SigningScheme = sigV4Scheme({
  id: 's3-v4',
  provider: 's3',
  name: 'S3 SigV4',
  algorithm: 'AWS4-HMAC-SHA256',
  fields: { policy: 'policy', signature: 'x-amz-signature', credential: 'x-amz-credential', date: 'x-amz-date', algorithm: 'x-amz-algorithm', token: TOKEN },
  nameCase: 'any-case',
  // a lone x-amz-date: a SigV4 form missing its other fields
  detect: { marks: ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'], weakMarks: ['x-amz-date'] },
  chain: { keyPrefix: 'AWS4', service: 's3', terminator: 'aws4_request' },
  idPlaceholder: '<AKID>',
  defaultRegion: 'us-east-1',
  regions: AWS_REGIONS,
  defaultRegions: ['us-east-1'],
  steps: 'chain',
  endpointRegion,
  dateFact: 'amzDate',
  maxValiditySeconds: null,
  token: true,
});
