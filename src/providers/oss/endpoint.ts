// OSS endpoint rules: which bucket and region a POST URL addresses, what is wrong with its
// form, and how strongly an upload request looks like an OSS one.
//
// PostObject goes to the bucket's own host:
//   <bucket>.oss-<region>.aliyuncs.com            e.g. mybucket.oss-cn-hangzhou.aliyuncs.com
//   <bucket>.oss-<region>-internal.aliyuncs.com   (intranet)
//   <bucket>.oss-accelerate[-overseas].aliyuncs.com (transfer acceleration, no region)
//   <bucket>.<region>.oss.aliyuncs.com            (dual-stack)
//   any custom domain bound to the bucket
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';

/** EndpointInfo plus what else the OSS host says. */
export interface OssEndpointInfo extends EndpointInfo {
  scheme: string | null;
  port: number | null;
  path: string;
  internal: boolean;
  accelerate: boolean;
  /** The regional endpoint label, e.g. "oss-cn-hangzhou" (null for custom domains). */
  endpointLabel: string | null;
}

export { requestHost } from '../url.js';
import { baseEndpoint, firstSegment, requestHost, splitUrl } from '../url.js';

/**
 * Why a bucket name breaks the OSS naming rules (3-63 characters; lowercase letters,
 * digits and hyphens; starting and ending with a letter or digit). Empty when it is valid.
 */
export function ossBucketNameProblems(bucket: string): string[] {
  const reasons: string[] = [];
  if (bucket.length < 3 || bucket.length > 63) reasons.push('length');
  if (/[A-Z]/.test(bucket)) reasons.push('uppercase');
  if (!/^[a-z0-9-]*$/.test(bucket.toLowerCase())) reasons.push('characters');
  if (/^-|-$/.test(bucket)) reasons.push('edge-hyphen');
  return reasons;
}

/** "cn-hangzhou", "ap-southeast-1", "rg-china-mainland": a region name as used in dual-stack hosts. */
const REGION_RE = /^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$/;

export function parseEndpoint(url: string): OssEndpointInfo {
  const u = splitUrl(url);
  const info: OssEndpointInfo = {
    ...baseEndpoint(url, u),
    internal: false,
    accelerate: false,
    endpointLabel: null,
  };
  const problems = info.problems;
  const spaceInHost = /\s/.test(u.hostRaw);
  // POST goes to "/" of the bucket host; "//" comes from an endpoint configured with a trailing slash.
  const extraSlashes = /^\/{2,}$/.test(u.path);
  if (u.leadingSpace || u.trailingSpace || spaceInHost || extraSlashes) {
    problems.push({
      id: 'endpoint.oss.trailing-space-or-slash',
      facts: { url, leadingSpace: u.leadingSpace, trailingSpace: u.trailingSpace, spaceInHost, extraSlashes },
    });
  }

  if (!(u.host === 'aliyuncs.com' || u.host.endsWith('.aliyuncs.com'))) {
    info.style = u.host ? 'custom' : 'unknown';
    problems.push({ id: 'endpoint.oss.not-oss-host', facts: { host: u.host, path: u.path } });
    return info;
  }
  const labels = u.host
    .slice(0, -'.aliyuncs.com'.length)
    .split('.')
    .filter((l) => l.length > 0);
  const rawLabels = u.hostRaw.split('.');
  let ossIdx = labels.findIndex((l) => /^oss(-[a-z0-9-]+)?$/.test(l));
  if (ossIdx < 0) {
    problems.push({ id: 'endpoint.oss.not-oss-host', facts: { host: u.host, path: u.path } });
    return info;
  }
  const label = labels[ossIdx]!;
  info.endpointLabel = label;
  if (label === 'oss') {
    // Dual-stack "<bucket>.<region>.oss.aliyuncs.com", or the legacy "oss.aliyuncs.com".
    const prev = labels[ossIdx - 1];
    if (prev && REGION_RE.test(prev)) {
      info.region = prev;
      info.endpointLabel = `${prev}.oss`;
      ossIdx -= 1;
    }
  } else {
    let r = label.slice(4);
    if (r.endsWith('-internal')) {
      info.internal = true;
      r = r.slice(0, -'-internal'.length);
    }
    if (r === 'accelerate' || r === 'accelerate-overseas') info.accelerate = true;
    else info.region = r;
  }

  const before = labels.slice(0, ossIdx);
  if (before.length === 0) {
    const pathBucket = firstSegment(u.path);
    info.style = pathBucket ? 'path' : 'unknown';
    if (pathBucket) info.bucket = pathBucket;
    problems.push({ id: 'endpoint.oss.no-bucket', facts: { host: u.host, endpoint: label, pathBucket } });
    if (pathBucket) {
      const reasons = ossBucketNameProblems(pathBucket);
      if (reasons.length) problems.push({ id: 'endpoint.oss.invalid-bucket-name', facts: { bucket: pathBucket, length: pathBucket.length, reasons } });
    }
    return info;
  }
  info.style = 'virtual';
  const bucket = before[0]!;
  const bucketRaw = rawLabels[0] ?? bucket;
  info.bucket = bucket;
  if (before.length > 1) {
    const endpointLabels = before.slice(1);
    problems.push({
      id: 'endpoint.oss.bucket-twice',
      facts: {
        host: u.host,
        bucket,
        endpointBucket: endpointLabels.join('.'),
        sameName: endpointLabels.includes(bucket),
        expectedHost: [bucket, ...labels.slice(ossIdx), 'aliyuncs', 'com'].join('.'),
      },
    });
  }
  const reasons = ossBucketNameProblems(bucketRaw);
  if (reasons.length) problems.push({ id: 'endpoint.oss.invalid-bucket-name', facts: { bucket: bucketRaw, length: bucketRaw.length, reasons } });
  return info;
}

/** Confidence that an upload is an OSS PostObject: signing fields (any case), then the host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  if (names.has('ossaccesskeyid')) score = 0.95;
  else if (names.has('x-oss-signature-version') || names.has('x-oss-credential')) score = 0.95;
  else if (names.has('x-oss-signature') || names.has('x-oss-date')) score = 0.85;
  else if ([...names].some((n) => n.startsWith('x-oss-'))) score = 0.5;
  const host = requestHost(req);
  if (host && (host === 'aliyuncs.com' || host.endsWith('.aliyuncs.com'))) score = Math.max(score, score >= 0.85 ? 1 : 0.8);
  return score;
}
