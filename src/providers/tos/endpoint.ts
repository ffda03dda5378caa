// TOS endpoint rules: which bucket a POST URL addresses, and how strongly an upload request looks
// like a TOS one.
//
//   https://<bucket>.tos-<region>.volces.com/        virtual-hosted (native; .ivolces.com inside Volcengine)
//   https://<bucket>.tos-s3-<region>.volces.com/     the S3-compatible endpoint (whether it takes a POST
//                                                    form, and which, is not documented)
//   https://tos-<region>.volces.com/<bucket>         path style
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';
import { patternEndpoint, requestHost, type EndpointStyle } from '../url.js';

const HOST = /^(?:(?<bucket>.+)\.)?tos-(?<s3>s3-)?(?<region>[a-z]{2}-[a-z0-9-]+)\.i?volces\.com$/;

/** Parse a bucket endpoint URL. Never throws. */
export function parseEndpoint(url: string, style?: EndpointStyle): EndpointInfo {
  return patternEndpoint(url, HOST, style);
}

/** Confidence 0..1 that an upload request is a TOS one: x-tos-* signing fields, then a TOS host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  if (names.has('x-tos-algorithm') || names.has('x-tos-credential') || names.has('x-tos-signature')) score = 0.95;
  else if ([...names].some((n) => n.startsWith('x-tos-'))) score = 0.7;
  const host = requestHost(req);
  if (host && HOST.test(host)) score = 1;
  return score;
}
