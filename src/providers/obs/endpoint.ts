// OBS endpoint rules: which bucket a POST URL addresses, and how strongly an upload request looks
// like an OBS one.
//
//   https://<bucket>.obs.<region>.myhuaweicloud.com/     virtual-hosted (what the docs require)
//   https://obs.<region>.myhuaweicloud.com/<bucket>      path style: the docs answer bucket requests
//                                                        there with 403 VirtualHostDomainRequired,
//                                                        though some published POST samples use it
// The same software runs Huawei Cloud's EU sovereign region (.myhuaweicloud.eu), G42 (g42cloud.com)
// and Open Telekom Cloud (otc.t-systems.com).
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';
import { patternEndpoint, requestHost, type EndpointStyle } from '../url.js';

const HOST = /^(?:(?<bucket>.+)\.)?obs\.(?<region>[a-z0-9-]+)\.(?:myhuaweicloud\.(?:com|eu)|g42cloud\.com|otc\.t-systems\.com)$/;

/** Parse a bucket endpoint URL. Never throws. */
export function parseEndpoint(url: string, style?: EndpointStyle): EndpointInfo {
  return patternEndpoint(url, HOST, style);
}

/** Confidence 0..1 that an upload request is an OBS one: OBS field names, then an OBS host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  // AccessKeyId (any case) is OBS's own spelling; OSS writes OSSAccessKeyId and S3 AWSAccessKeyId
  if (names.has('accesskeyid') || names.has('x-obs-security-token')) score = 0.9;
  else if ([...names].some((n) => n.startsWith('x-obs-'))) score = 0.7;
  const host = requestHost(req);
  // an OBS host also carries Amazon-style forms (x-amz-*), which look like S3's: the host wins
  if (host && HOST.test(host)) score = 1;
  return score;
}
