// GCS endpoint rules: which bucket a POST URL addresses, what is wrong with its form, and how
// strongly an upload request looks like a GCS one.
//
// A V4 POST policy form goes to the XML API:
//   https://storage.googleapis.com/<bucket>      path-style
//   https://<bucket>.storage.googleapis.com      virtual-hosted
//   https://<custom domain>                      a CNAME to c.storage.googleapis.com (bucket = the domain)
// Not for uploads: storage.cloud.google.com (authenticated browser downloads) and the JSON API
// (www.googleapis.com/upload/storage/v1/...), which takes no POST policy form.
// Bucket locations are not part of the host: a region is never reported (the credential says "auto").
import type { UploadRequest } from '../../core/types.js';
import type { EndpointInfo } from '../types.js';
import { baseEndpoint, isIpHost, pathSegments, requestHost, splitUrl, type EndpointProblem, type EndpointStyle } from '../url.js';

/** EndpointInfo plus what else a GCS URL says. */
export interface GcsEndpointInfo extends EndpointInfo {
  scheme: string | null;
  port: number | null;
  path: string;
  /** True for *.googleapis.com hosts. */
  google: boolean;
  styleSource: 'host' | 'option' | 'guess';
}

type Problem = EndpointProblem;

const XML_HOST = 'storage.googleapis.com';

/**
 * Why a bucket name breaks the GCS naming rules: lowercase letters, digits, hyphens, underscores
 * and dots; a letter or digit at both ends; 3-63 characters (up to 222 with dots, each dot-separated
 * part at most 63); not an IP address; not starting with "goog" nor containing "google". Empty when valid.
 */
export function gcsBucketNameProblems(bucket: string): string[] {
  const reasons: string[] = [];
  const lower = bucket.toLowerCase();
  const max = bucket.includes('.') ? 222 : 63;
  if (bucket.length < 3 || bucket.length > max || (bucket.includes('.') && bucket.split('.').some((p) => p.length > 63))) reasons.push('length');
  if (/[A-Z]/.test(bucket)) reasons.push('uppercase');
  if (!/^[a-z0-9._-]*$/.test(lower)) reasons.push('characters');
  if (/^[^a-z0-9]|[^a-z0-9]$/i.test(bucket)) reasons.push('edge');
  if (bucket.includes('..')) reasons.push('adjacent-dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) reasons.push('ip-address');
  if (lower.startsWith('goog')) reasons.push('reserved-prefix');
  if (/g[o0]{2}g[l1]e/.test(lower)) reasons.push('reserved-word');
  return reasons;
}

/** Parse a bucket endpoint URL; `style` is the caller's endpoint style for custom domains. Never throws. */
export function parseEndpoint(url: string, style?: EndpointStyle): GcsEndpointInfo {
  const u = splitUrl(url);
  const info: GcsEndpointInfo = {
    ...baseEndpoint(url, u),
    google: false,
    styleSource: 'host',
  };
  const problems = info.problems;
  if (u.leadingSpace || u.trailingSpace || /\s/.test(u.hostRaw)) {
    problems.push({ id: 'endpoint.gcs.whitespace', facts: { url, leading: u.leadingSpace, trailing: u.trailingSpace, inHost: /\s/.test(u.hostRaw) } });
  }
  const segs = pathSegments(u.path);
  if (!u.host) {
    problems.push({ id: 'endpoint.gcs.no-bucket', facts: { host: u.host, path: u.path } });
    return info;
  }
  const google = u.host === 'googleapis.com' || u.host.endsWith('.googleapis.com') || u.host.endsWith('.google.com');
  info.google = google;

  if (u.host === 'storage.cloud.google.com' || u.host.endsWith('.storage.cloud.google.com')) {
    info.style = 'custom';
    info.bucket = segs[0] ?? null;
    problems.push({ id: 'endpoint.gcs.browser-host', facts: { host: u.host, bucket: info.bucket, expectedUrl: info.bucket ? `https://${XML_HOST}/${info.bucket}` : `https://${XML_HOST}/` } });
    return info;
  }
  if (google && (segs[0] === 'upload' || segs[0] === 'storage') && segs.includes('v1')) {
    // JSON API: .../storage/v1/b/<bucket>/o
    const bi = segs.indexOf('b');
    info.bucket = bi >= 0 ? (segs[bi + 1] ?? null) : null;
    info.style = 'custom';
    problems.push({
      id: 'endpoint.gcs.json-api',
      facts: { host: u.host, path: u.path, bucket: info.bucket, expectedUrl: info.bucket ? `https://${XML_HOST}/${info.bucket}` : `https://${XML_HOST}/` },
    });
    return info;
  }
  // storage.googleapis.com, and regional endpoints such as storage.us-east1.rep.googleapis.com.
  const serviceHost = /^(?:(.+)\.)?(storage(?:\.[a-z0-9-]+\.rep)?\.googleapis\.com)$/.exec(u.host);
  if (serviceHost?.[2]) {
    const rawLabels = u.hostRaw.split('.');
    const nService = serviceHost[2].split('.').length;
    if (serviceHost[1]) {
      const bucketRaw = rawLabels.slice(0, rawLabels.length - nService).join('.');
      const bucket = serviceHost[1];
      info.style = 'virtual';
      info.bucket = bucket;
      bucketProblems(bucketRaw, problems);
      if (bucket.includes('.') && (u.scheme === 'https' || u.scheme === null)) {
        problems.push({ id: 'endpoint.gcs.dotted-bucket-https', facts: { bucket, host: u.host, certificate: `*.${serviceHost[2]}`, pathStyleUrl: `https://${serviceHost[2]}/${bucket}` } });
      }
      if (segs.length > 0) problems.push({ id: 'endpoint.gcs.path-after-bucket', facts: { bucket, path: u.path, extra: segs.join('/') } });
      return info;
    }
    const bucket = segs[0] ?? null;
    info.bucket = bucket;
    info.style = bucket ? 'path' : 'unknown';
    if (!bucket) {
      problems.push({ id: 'endpoint.gcs.no-bucket', facts: { host: u.host, path: u.path } });
      return info;
    }
    bucketProblems(bucket, problems);
    if (segs.length > 1) problems.push({ id: 'endpoint.gcs.path-after-bucket', facts: { bucket, path: u.path, extra: segs.slice(1).join('/') } });
    return info;
  }
  if (google) {
    info.style = 'custom';
    problems.push({ id: 'endpoint.gcs.unrecognised-host', facts: { host: u.host } });
    return info;
  }
  // A custom domain: a CNAME bucket (virtual: the whole host is the bucket name) or a proxy (path).
  info.styleSource = style ? 'option' : 'guess';
  const chosen: EndpointStyle | null = style ?? (segs.length > 0 || isIpHost(u.host) ? 'path' : null);
  if (chosen === 'path') {
    const bucket = segs[0] ?? null;
    info.bucket = bucket;
    info.style = bucket ? 'path' : 'unknown';
    if (!bucket) problems.push({ id: 'endpoint.gcs.no-bucket', facts: { host: u.host, path: u.path, style: 'path' } });
    else {
      bucketProblems(bucket, problems);
      if (segs.length > 1) problems.push({ id: 'endpoint.gcs.path-after-bucket', facts: { bucket, path: u.path, extra: segs.slice(1).join('/') } });
    }
    return info;
  }
  if (chosen === 'virtual') {
    if (isIpHost(u.host)) {
      problems.push({ id: 'endpoint.gcs.no-bucket', facts: { host: u.host, path: u.path, style: 'virtual', ipHost: true } });
      return info;
    }
    info.style = 'virtual';
    info.bucket = u.host;
    bucketProblems(u.hostRaw, problems);
    if (segs.length > 0) problems.push({ id: 'endpoint.gcs.path-after-bucket', facts: { bucket: u.host, path: u.path, extra: segs.join('/') } });
    return info;
  }
  info.style = 'custom';
  problems.push({ id: 'endpoint.gcs.bucket-unknown', facts: { host: u.host } });
  return info;
}

function bucketProblems(bucket: string, problems: Problem[]): void {
  const reasons = gcsBucketNameProblems(bucket);
  if (reasons.length) problems.push({ id: 'endpoint.gcs.invalid-bucket-name', facts: { bucket, length: bucket.length, reasons } });
}

/** Confidence that an upload is a GCS POST policy form: x-goog-* signing fields, then the host. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  if (names.has('x-goog-signature') || names.has('x-goog-credential') || names.has('x-goog-algorithm')) score = 0.95;
  else if (names.has('x-goog-date') || [...names].some((n) => n.startsWith('x-goog-meta-'))) score = 0.6;
  const host = requestHost(req);
  if (host && (host === XML_HOST || host.endsWith(`.${XML_HOST}`) || /^storage\.[a-z0-9-]+\.rep\.googleapis\.com$/.test(host) || host === 'storage.cloud.google.com')) {
    score = Math.max(score, score >= 0.95 ? 1 : 0.9);
  }
  return score;
}
