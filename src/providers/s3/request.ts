import type { UploadRequest } from '../../core/types.js';

/** S3 POST forms carry x-amz-* signing fields (SigV4) or AWSAccessKeyId (SigV2); hosts end in amazonaws.com. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  if (names.has('x-amz-signature') || names.has('x-amz-credential') || names.has('x-amz-algorithm')) score = 0.9;
  else if (names.has('awsaccesskeyid')) score = 0.9;
  if (req.url && /\.amazonaws\.com(?::\d+)?(\/|$)/i.test(req.url.replace(/^\w+:\/\//, '').split('/')[0] ?? '')) score = Math.max(score, 0.8);
  return score;
}
