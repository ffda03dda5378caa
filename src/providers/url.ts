// URL pieces shared by the endpoint parsers: URLs are split by hand, so that stray spaces and odd
// hosts can be described to the user rather than rejected.
import type { UploadRequest } from '../core/types.js';
import type { EndpointInfo } from './types.js';
import { header } from '../core/fields.js';

/** How a bucket is addressed: in the host (virtual-hosted) or in the first path segment. */
export type EndpointStyle = 'virtual' | 'path';

export interface SplitUrl {
  scheme: string | null;
  /** Host as written (case kept), without port or trailing dot. */
  hostRaw: string;
  host: string;
  port: number | null;
  path: string;
  leadingSpace: boolean;
  trailingSpace: boolean;
}

/** Split a URL by hand: URLs with stray spaces or odd hosts must still be described, not rejected. */
export function splitUrl(raw: string): SplitUrl {
  const leadingSpace = /^\s/.test(raw);
  const trailingSpace = /\s$/.test(raw);
  let rest = raw.trim();
  let scheme: string | null = null;
  const sm = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith('//')) rest = rest.slice(2);
  const cut = rest.search(/[/?#]/);
  let authority = cut < 0 ? rest : rest.slice(0, cut);
  let path = cut < 0 ? '/' : rest.slice(cut);
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  if (path === '') path = '/';
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let port: number | null = null;
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    const pm = end >= 0 ? /^:(\d*)$/.exec(authority.slice(end + 1)) : null;
    if (pm) {
      port = pm[1] ? Number(pm[1]) : null;
      authority = authority.slice(0, end + 1);
    }
  } else {
    const pm = /:(\d*)$/.exec(authority);
    if (pm) {
      port = pm[1] ? Number(pm[1]) : null;
      authority = authority.slice(0, pm.index);
    }
  }
  const hostRaw = authority.replace(/\.$/, '');
  return { scheme, hostRaw, host: hostRaw.toLowerCase(), port, path, leadingSpace, trailingSpace };
}

/** True for IPv4 dotted quads and bracketed IPv6 literals. */
export function isIpHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\[[0-9a-f:.]+\]$/i.test(host);
}

/** A problem with an endpoint's form: a finding id under endpoint.<provider>.* and its facts. */
export type EndpointProblem = EndpointInfo['problems'][number];

/** What every endpoint parser starts from: the URL's host, scheme, port and path; nothing known yet. */
export function baseEndpoint(url: string, u: SplitUrl): EndpointInfo & { scheme: string | null; port: number | null; path: string } {
  return { url, host: u.host, bucket: null, region: null, style: 'unknown', problems: [], scheme: u.scheme, port: u.port, path: u.path };
}

/**
 * An endpoint of a service whose hosts a pattern tells apart (OBS, TOS): `host` matches
 * "[<bucket>.]<service host>" with the named groups `bucket` (virtual-hosted; absent: path style,
 * the bucket is the first path segment) and `region`. Any other host is a custom domain, whose
 * bucket the caller's style says. Never throws.
 */
export function patternEndpoint(url: string, host: RegExp, style?: EndpointStyle): EndpointInfo {
  const u = splitUrl(url);
  const info: EndpointInfo = baseEndpoint(url, u);
  const segs = pathSegments(u.path);
  const m = host.exec(u.host);
  if (m?.groups) {
    info.region = m.groups.region ?? null;
    if (m.groups.bucket) {
      info.bucket = m.groups.bucket;
      info.style = 'virtual';
    } else {
      info.bucket = segs[0] ?? null;
      info.style = info.bucket ? 'path' : 'unknown';
    }
    return info;
  }
  info.style = style === 'path' ? 'path' : 'custom';
  if (style === 'path') info.bucket = segs[0] ?? null;
  return info;
}

/** Non-empty path segments, percent-decoded where possible. */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** First path segment, as a bucket a path-style URL would name. */
export function firstSegment(path: string): string | null {
  return pathSegments(path)[0] ?? null;
}

/** The request's host: from its URL, else its Host header. */
export function requestHost(req: UploadRequest): string | null {
  const src = req.url ?? header(req, 'host') ?? null;
  if (!src) return null;
  const h = splitUrl(src).host;
  return h || null;
}
