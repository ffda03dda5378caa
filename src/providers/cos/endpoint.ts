// COS endpoint rules: which bucket, APPID and region a POST URL addresses, what is wrong
// with its form, and how strongly an upload request looks like a COS one.
//
// POST Object goes to the bucket's own host (virtual-hosted style only):
//   <bucket>-<appid>.cos.<region>.myqcloud.com      (also .tencentcos.cn)
//   <bucket>-<appid>.cos.accelerate.myqcloud.com    (global acceleration, no region)
//   <bucket>-<appid>.cos-internal.<region>.tencentcos.cn (private network)
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';

/** EndpointInfo plus what else the COS host says. */
export interface CosEndpointInfo extends EndpointInfo {
  scheme: string | null;
  port: number | null;
  /** The URL path ("/" for a bucket root). */
  path: string;
  accelerate: boolean;
  internal: boolean;
  website: boolean;
}

export { requestHost } from '../url.js';
import { baseEndpoint, firstSegment, requestHost, splitUrl } from '../url.js';
import { COS_SHA1 } from '../schemes/cos.js';

const COS_DOMAINS = ['myqcloud.com', 'tencentcos.cn'];
const BUCKET_CHARS_RE = /^[a-z0-9-]+$/;

/** What is wrong with a "<bucket>-<appid>" name as written in the host (case kept). */
export function cosBucketNameProblems(bucket: string): string[] {
  const reasons: string[] = [];
  if (/[A-Z]/.test(bucket)) reasons.push('uppercase');
  if (!BUCKET_CHARS_RE.test(bucket.toLowerCase())) reasons.push('characters');
  if (/^-|-$/.test(bucket)) reasons.push('edge-hyphen');
  if (bucket.length > 60) reasons.push('length');
  return reasons;
}

export function parseEndpoint(url: string): CosEndpointInfo {
  const u = splitUrl(url);
  const info: CosEndpointInfo = {
    ...baseEndpoint(url, u),
    appid: null,
    accelerate: false,
    internal: false,
    website: false,
  };
  const problems = info.problems;
  if (u.leadingSpace || u.trailingSpace) problems.push({ id: 'endpoint.cos.whitespace', facts: { url, leading: u.leadingSpace, trailing: u.trailingSpace } });
  if (/\s/.test(u.hostRaw)) problems.push({ id: 'endpoint.cos.whitespace', facts: { url, inHost: true, host: u.hostRaw } });

  const domain = COS_DOMAINS.find((d) => u.host === d || u.host.endsWith(`.${d}`));
  if (!domain) {
    info.style = u.host ? 'custom' : 'unknown';
    problems.push({ id: 'endpoint.cos.not-cos-host', facts: { host: u.host, path: u.path } });
    return info;
  }
  const labels = u.host
    .slice(0, u.host.length - domain.length - 1)
    .split('.')
    .filter((l) => l.length > 0);
  const rawLabels = u.hostRaw.split('.');
  const cosIdx = labels.findIndex((l) => /^cos(-[a-z]+)?$/.test(l));
  if (cosIdx < 0) {
    // e.g. <bucket>-<appid>.file.myqcloud.com: the CDN's default domain, which does not take uploads.
    if (labels.includes('file') || labels.includes('cdn')) {
      info.bucket = labels[0] ?? null;
      info.appid = info.bucket ? (/-(\d+)$/.exec(info.bucket)?.[1] ?? null) : null;
      info.style = 'custom';
      problems.push({ id: 'endpoint.cos.cdn-host', facts: { host: u.host, bucket: info.bucket } });
    } else {
      problems.push({ id: 'endpoint.cos.unrecognised-host', facts: { host: u.host } });
    }
    return info;
  }
  const cosLabel = labels[cosIdx]!;
  if (cosLabel === 'cos-website') {
    info.website = true;
    problems.push({ id: 'endpoint.cos.website-host', facts: { host: u.host } });
  }
  if (cosLabel === 'cos-internal') info.internal = true;
  const before = labels.slice(0, cosIdx);
  const after = labels.slice(cosIdx + 1);
  if (after[0] === 'accelerate') info.accelerate = true;
  else if (after.length >= 1) info.region = after.join('.');

  if (before.length === 0 || (before.length === 1 && before[0] === 'service')) {
    const pathBucket = firstSegment(u.path);
    info.style = pathBucket ? 'path' : 'unknown';
    problems.push({ id: 'endpoint.cos.no-bucket', facts: { host: u.host, pathBucket } });
    if (pathBucket) {
      info.bucket = pathBucket;
      info.appid = /-(\d+)$/.exec(pathBucket)?.[1] ?? null;
    }
    return info;
  }
  info.style = 'virtual';
  // The bucket label with its case as written (the DNS name is case-insensitive, the bucket name is not).
  const bucketRaw = rawLabels[0] ?? before[0]!;
  const bucket = before[0]!;
  info.bucket = bucket;
  if (before.length > 1) {
    problems.push({ id: 'endpoint.cos.bucket-twice', facts: { host: u.host, bucket, endpointLabels: before.slice(1), sameName: before.slice(1).includes(bucket) } });
  }
  const am = /^(.+)-(\d+)$/.exec(bucket);
  if (am) info.appid = am[2]!;
  else problems.push({ id: 'endpoint.cos.no-appid', facts: { bucket, host: u.host } });
  const reasons = cosBucketNameProblems(bucketRaw);
  if (reasons.length) problems.push({ id: 'endpoint.cos.invalid-bucket-name', facts: { bucket: bucketRaw, length: bucketRaw.length, reasons } });
  if (!info.region && !info.accelerate) problems.push({ id: 'endpoint.cos.no-region', facts: { host: u.host, bucket } });
  return info;
}

/** q-sign-algorithm, q-ak, q-key-time, q-signature. */
const COS_SIGNING_FIELDS = COS_SHA1.detect.marks;

/** Confidence that an upload is a COS POST: q-* signing fields, then the host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  const signing = COS_SIGNING_FIELDS.filter((n) => names.has(n)).length;
  let score = 0;
  if (signing >= 2) score = 0.95;
  else if (signing === 1) score = 0.85;
  else if ([...names].some((n) => n.startsWith('x-cos-'))) score = 0.5;
  const host = requestHost(req);
  if (host && COS_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) score = Math.max(score, signing ? 1 : 0.8);
  return score;
}
