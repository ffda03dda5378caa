// S3 endpoint rules: which bucket and region a POST URL addresses, what is wrong with its
// form, and how strongly an upload request looks like an S3 one.
//
// Amazon hosts (suffix amazonaws.com, or amazonaws.com.cn in China):
//   <bucket>.s3.<region>.amazonaws.com           virtual-hosted, regional
//   <bucket>.s3.amazonaws.com                    virtual-hosted, legacy global endpoint (us-east-1)
//   <bucket>.s3-<region>.amazonaws.com           virtual-hosted, legacy dash form
//   <bucket>.s3.dualstack.<region>.amazonaws.com dual-stack (IPv6)
//   <bucket>.s3-fips[.dualstack].<region>...     FIPS
//   <bucket>.s3-accelerate[.dualstack].amazonaws.com  transfer acceleration (no region)
//   s3.<region>.amazonaws.com/<bucket>           path-style (any of the service hosts above, without bucket)
//   <bucket>.s3-website[-.]<region>.amazonaws.com static website endpoint (takes no uploads)
// Anything else is an S3-compatible server (Ceph RGW, MinIO, ...): path-style or virtual-hosted, told
// by the caller (endpoint style) or guessed from the URL; no region.
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';

/** EndpointInfo plus what else an S3 URL says. */
export interface S3EndpointInfo extends EndpointInfo {
  scheme: string | null;
  port: number | null;
  /** The URL path ("/" for a bucket root). */
  path: string;
  /** True for Amazon hosts (amazonaws.com / amazonaws.com.cn). */
  aws: boolean;
  dualstack: boolean;
  accelerate: boolean;
  fips: boolean;
  website: boolean;
  /** The legacy global endpoint (s3.amazonaws.com, s3-external-1): region assumed us-east-1. */
  global: boolean;
  /** How the style was found: from the host form, the caller's endpoint style, or a guess. */
  styleSource: 'host' | 'option' | 'guess';
}

type Problem = EndpointProblem;

export { splitUrl, pathSegments, requestHost, isIpHost, type SplitUrl, type EndpointStyle } from '../url.js';
import { baseEndpoint, splitUrl, pathSegments, requestHost, isIpHost, type EndpointProblem, type SplitUrl, type EndpointStyle } from '../url.js';

/**
 * Why a bucket name breaks the S3 naming rules: 3-63 characters of lowercase letters, digits, dots
 * and hyphens, a letter or digit at both ends, no two adjacent dots, not an IP address. With `aws`,
 * also the prefixes and suffixes Amazon reserves. Empty when the name is valid.
 */
export function s3BucketNameProblems(bucket: string, aws = true): string[] {
  const reasons: string[] = [];
  if (bucket.length < 3 || bucket.length > 63) reasons.push('length');
  if (/[A-Z]/.test(bucket)) reasons.push('uppercase');
  if (!/^[a-z0-9.-]*$/.test(bucket.toLowerCase())) reasons.push('characters');
  if (/^[^a-z0-9]|[^a-z0-9]$/i.test(bucket)) reasons.push('edge');
  if (bucket.includes('..')) reasons.push('adjacent-dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) reasons.push('ip-address');
  if (aws) {
    const lower = bucket.toLowerCase();
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(lower)) reasons.push('reserved-prefix');
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(lower)) reasons.push('reserved-suffix');
  }
  return reasons;
}

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5... */
export const AWS_REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function awsSuffix(host: string): string | null {
  for (const s of ['amazonaws.com.cn', 'amazonaws.com']) if (host === s || host.endsWith(`.${s}`)) return s;
  return null;
}

/** What the service labels of an Amazon S3 host say (labels from the s3 label to the suffix). */
interface ServiceLabels {
  region: string | null;
  dualstack: boolean;
  accelerate: boolean;
  fips: boolean;
  website: boolean;
  global: boolean;
}

/** Read the labels after the bucket ("s3", "dualstack", "us-east-1" ...); null when they are not an S3 endpoint. */
function readServiceLabels(labels: string[]): ServiceLabels | null {
  const out: ServiceLabels = { region: null, dualstack: false, accelerate: false, fips: false, website: false, global: false };
  const [first, ...rest] = labels;
  if (!first) return null;
  let m: RegExpExecArray | null;
  if (first === 's3') {
    /* regional or global */
  } else if (first === 's3-external-1') {
    out.region = 'us-east-1';
    out.global = true;
  } else if (first === 's3-accelerate') out.accelerate = true;
  else if (first === 's3-fips') out.fips = true;
  else if (first === 's3-website') out.website = true;
  else if ((m = /^s3-website-(.+)$/.exec(first))) {
    out.website = true;
    out.region = m[1]!;
  } else if ((m = /^s3-(.+)$/.exec(first)) && AWS_REGION_RE.test(m[1]!)) out.region = m[1]!;
  else return null;
  for (const l of rest) {
    if (l === 'dualstack') out.dualstack = true;
    else if (AWS_REGION_RE.test(l) && !out.region) out.region = l;
    else return null;
  }
  if (!out.region && !out.accelerate && first === 's3') {
    out.region = 'us-east-1';
    out.global = true;
  }
  return out;
}

/**
 * Parse a bucket endpoint URL. `style` is the caller's endpoint style for S3-compatible hosts
 * (Amazon hosts say their style themselves). Never throws.
 */
export function parseEndpoint(url: string, style?: EndpointStyle): S3EndpointInfo {
  const u = splitUrl(url);
  const info: S3EndpointInfo = {
    ...baseEndpoint(url, u),
    aws: false,
    dualstack: false,
    accelerate: false,
    fips: false,
    website: false,
    global: false,
    styleSource: 'host',
  };
  const problems = info.problems;
  if (u.leadingSpace || u.trailingSpace || /\s/.test(u.hostRaw)) {
    problems.push({ id: 'endpoint.s3.whitespace', facts: { url, leading: u.leadingSpace, trailing: u.trailingSpace, inHost: /\s/.test(u.hostRaw) } });
  }
  if (!u.host) {
    problems.push({ id: 'endpoint.s3.no-bucket', facts: { host: u.host, path: u.path } });
    return info;
  }
  const segs = pathSegments(u.path);
  const suffix = awsSuffix(u.host);
  if (suffix) return parseAws(u, suffix, segs, info);
  return parseCustom(u, segs, info, style);
}

function parseAws(u: SplitUrl, suffix: string, segs: string[], info: S3EndpointInfo): S3EndpointInfo {
  const problems = info.problems;
  info.aws = true;
  // Empty labels are kept ("a..b" is a bucket name problem, not a different host).
  const head = u.host.length > suffix.length ? u.host.slice(0, u.host.length - suffix.length - 1) : '';
  const labels = head ? head.split('.') : [];
  const rawLabels = u.hostRaw.split('.');
  // The rightmost label that opens an S3 endpoint: a bucket may itself contain "s3" labels.
  let idx = -1;
  let svc: ServiceLabels | null = null;
  for (let i = labels.length - 1; i >= 0; i--) {
    if (!/^s3(-|$)/.test(labels[i]!)) continue;
    svc = readServiceLabels(labels.slice(i));
    if (svc) idx = i;
    break;
  }
  if (!svc || idx < 0) {
    // e.g. s3-accesspoint, s3-control, or another AWS service's host.
    info.style = 'custom';
    problems.push({ id: 'endpoint.s3.unrecognised-host', facts: { host: u.host } });
    return info;
  }
  info.region = svc.region;
  info.dualstack = svc.dualstack;
  info.accelerate = svc.accelerate;
  info.fips = svc.fips;
  info.website = svc.website;
  info.global = svc.global;
  if (svc.website) problems.push({ id: 'endpoint.s3.website-host', facts: { host: u.host, region: svc.region } });

  const serviceHost = `${labels.slice(idx).join('.')}.${suffix}`;
  if (idx === 0) {
    // Path-style: the bucket is the first path segment.
    const bucket = segs[0] ?? null;
    info.bucket = bucket;
    info.style = bucket ? 'path' : 'unknown';
    if (!bucket) {
      problems.push({ id: 'endpoint.s3.no-bucket', facts: { host: u.host, path: u.path } });
      return info;
    }
    if (svc.accelerate) problems.push({ id: 'endpoint.s3.accelerate-path-style', facts: { host: u.host, bucket } });
    bucketProblems(bucket, true, problems);
    if (segs.length > 1) problems.push({ id: 'endpoint.s3.path-after-bucket', facts: { bucket, path: u.path, extra: segs.slice(1).join('/') } });
    if (svc.global) problems.push({ id: 'endpoint.s3.global-endpoint', facts: { host: u.host, bucket } });
    return info;
  }
  info.style = 'virtual';
  const bucketRaw = rawLabels.slice(0, idx).join('.');
  const bucket = labels.slice(0, idx).join('.');
  info.bucket = bucket;
  bucketProblems(bucketRaw, true, problems);
  if (bucket.includes('.') && (u.scheme === 'https' || u.scheme === null)) {
    problems.push({ id: 'endpoint.s3.dotted-bucket-https', facts: { bucket, host: u.host, certificate: `*.${serviceHost}`, pathStyleUrl: `https://${serviceHost}/${bucket}` } });
  }
  if (segs.length > 0) problems.push({ id: 'endpoint.s3.path-after-bucket', facts: { bucket, path: u.path, extra: segs.join('/') } });
  if (svc.global) problems.push({ id: 'endpoint.s3.global-endpoint', facts: { host: u.host, bucket } });
  return info;
}

function parseCustom(u: SplitUrl, segs: string[], info: S3EndpointInfo, style?: EndpointStyle): S3EndpointInfo {
  const problems = info.problems;
  const labels = u.host.split('.');
  const rawLabels = u.hostRaw.split('.');
  let chosen: EndpointStyle | null = style ?? null;
  info.styleSource = style ? 'option' : 'guess';
  if (!chosen) {
    // "<bucket>.localhost" is virtual-hosted; an IP or a one-label host can only be path-style;
    // otherwise a path segment means path-style (the default of most S3-compatible servers).
    if (labels.length >= 2 && labels[labels.length - 1] === 'localhost') chosen = 'virtual';
    else if (segs.length > 0 || isIpHost(u.host) || labels.length === 1) chosen = 'path';
  }
  if (chosen === 'path') {
    const bucket = segs[0] ?? null;
    info.bucket = bucket;
    info.style = bucket ? 'path' : 'unknown';
    if (!bucket) {
      problems.push({ id: 'endpoint.s3.no-bucket', facts: { host: u.host, path: u.path, style: 'path' } });
      return info;
    }
    bucketProblems(bucket, false, problems);
    if (segs.length > 1) problems.push({ id: 'endpoint.s3.path-after-bucket', facts: { bucket, path: u.path, extra: segs.slice(1).join('/') } });
    return info;
  }
  if (chosen === 'virtual') {
    if (isIpHost(u.host) || labels.length < 2) {
      info.style = 'unknown';
      problems.push({ id: 'endpoint.s3.no-bucket', facts: { host: u.host, path: u.path, style: 'virtual', ipHost: isIpHost(u.host) } });
      return info;
    }
    info.style = 'virtual';
    info.bucket = labels[0]!;
    bucketProblems(rawLabels[0]!, false, problems);
    if (segs.length > 0) problems.push({ id: 'endpoint.s3.path-after-bucket', facts: { bucket: info.bucket, path: u.path, extra: segs.join('/') } });
    return info;
  }
  // A custom domain with nothing in the path: a CNAME to a bucket, or a server root. Cannot tell.
  info.style = 'custom';
  problems.push({ id: 'endpoint.s3.bucket-unknown', facts: { host: u.host } });
  return info;
}

function bucketProblems(bucket: string, aws: boolean, problems: Problem[]): void {
  const reasons = s3BucketNameProblems(bucket, aws);
  if (reasons.length) problems.push({ id: 'endpoint.s3.invalid-bucket-name', facts: { bucket, length: bucket.length, reasons } });
}

/** Confidence that an upload is an S3 POST: x-amz-* signing fields or AWSAccessKeyId, then the host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  const credential = req.parts.find((p) => p.kind === 'field' && p.name.toLowerCase() === 'x-amz-credential');
  let score = 0;
  if (names.has('x-amz-signature') || names.has('x-amz-credential') || names.has('x-amz-algorithm')) {
    score = credential && credential.kind === 'field' && /\/s3\/aws4_request\s*$/.test(credential.value) ? 0.95 : 0.9;
  } else if (names.has('awsaccesskeyid')) score = 0.9;
  else if (names.has('x-amz-date') || names.has('x-amz-security-token')) score = 0.6;
  const host = requestHost(req);
  if (host && awsSuffix(host)) score = Math.max(score, score >= 0.9 ? 1 : 0.8);
  // Google Cloud Storage also accepts x-amz-* forms (interoperability): its host wins.
  if (host && /(^|\.)(storage\.googleapis\.com|storage\.cloud\.google\.com)$/.test(host)) score = Math.min(score, 0.5);
  return score;
}
