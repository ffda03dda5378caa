// Writes a CORS configuration in a provider's own format, ready to paste:
// S3 JSON for `aws s3api put-bucket-cors --cors-configuration`, COS XML (PUT Bucket cors),
// OSS XML (PutBucketCors), OBS XML (SetBucketCors), TOS JSON (PutBucketCORS) and GCS JSON for
// `gcloud storage buckets update --cors-file`.

import type { CorsConfig, CorsProvider, CorsRule } from './types.js';

export type CorsFormat = 's3-json' | 'cos-xml' | 'oss-xml' | 'gcs-json' | 'obs-xml' | 'tos-json';

export const FORMAT: Readonly<Record<CorsProvider, CorsFormat>> = { s3: 's3-json', cos: 'cos-xml', oss: 'oss-xml', gcs: 'gcs-json', obs: 'obs-xml', tos: 'tos-json' };

/** The command or API that takes the rendered text. */
export const APPLY_WITH: Readonly<Record<CorsProvider, string>> = {
  s3: 'aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json',
  cos: 'PUT /?cors (PUT Bucket cors)',
  oss: 'PUT /?cors (PutBucketCors)',
  gcs: 'gcloud storage buckets update gs://BUCKET --cors-file=cors.json',
  obs: 'PUT /?cors (SetBucketCors)',
  tos: 'PUT /?cors (PutBucketCORS)',
};

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function s3Rule(r: CorsRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.id !== undefined) out.ID = r.id;
  if (r.allowedHeaders.length) out.AllowedHeaders = r.allowedHeaders;
  out.AllowedMethods = r.allowedMethods;
  out.AllowedOrigins = r.allowedOrigins;
  if (r.exposeHeaders.length) out.ExposeHeaders = r.exposeHeaders;
  if (r.maxAgeSeconds !== undefined) out.MaxAgeSeconds = r.maxAgeSeconds;
  return out;
}

/** Case-insensitive union, first spelling kept. */
export function unionNames(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const h of list) {
      const k = h.toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(h);
    }
  }
  return out;
}

/** A TOS rule: S3's keys in the order TOS's PutBucketCORS prints them, no ID, ResponseVary per rule. */
function tosRule(r: CorsRule): Record<string, unknown> {
  const out: Record<string, unknown> = { AllowedOrigins: r.allowedOrigins, AllowedMethods: r.allowedMethods };
  if (r.allowedHeaders.length) out.AllowedHeaders = r.allowedHeaders;
  if (r.exposeHeaders.length) out.ExposeHeaders = r.exposeHeaders;
  if (r.maxAgeSeconds !== undefined) out.MaxAgeSeconds = r.maxAgeSeconds;
  if (r.responseVary !== undefined) out.ResponseVary = r.responseVary;
  return out;
}

function gcsEntry(r: CorsRule): Record<string, unknown> {
  const out: Record<string, unknown> = { origin: r.allowedOrigins, method: r.allowedMethods };
  const headers = unionNames(r.allowedHeaders, r.exposeHeaders);
  if (headers.length) out.responseHeader = headers;
  if (r.maxAgeSeconds !== undefined) out.maxAgeSeconds = r.maxAgeSeconds;
  return out;
}

function xmlRule(r: CorsRule, withId: boolean): string[] {
  const el = (name: string, v: string) => `    <${name}>${escapeXml(v)}</${name}>`;
  const lines = ['  <CORSRule>'];
  if (withId && r.id !== undefined) lines.push(el('ID', r.id));
  for (const o of r.allowedOrigins) lines.push(el('AllowedOrigin', o));
  for (const m of r.allowedMethods) lines.push(el('AllowedMethod', m));
  for (const h of r.allowedHeaders) lines.push(el('AllowedHeader', h));
  for (const h of r.exposeHeaders) lines.push(el('ExposeHeader', h));
  if (r.maxAgeSeconds !== undefined) lines.push(el('MaxAgeSeconds', String(r.maxAgeSeconds)));
  lines.push('  </CORSRule>');
  return lines;
}

function xmlConfig(config: CorsConfig, withId: boolean, withVary: boolean): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<CORSConfiguration>'];
  for (const r of config.rules) lines.push(...xmlRule(r, withId));
  if (withVary && config.responseVary !== undefined) lines.push(`  <ResponseVary>${config.responseVary ? 'true' : 'false'}</ResponseVary>`);
  lines.push('</CORSConfiguration>');
  return `${lines.join('\n')}\n`;
}

/** JSON with two-space indentation, lists of strings and numbers kept on one line. */
export function prettyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The whole configuration in `provider`'s format (default: the configuration's own provider). */
export function renderCorsConfig(config: CorsConfig, provider: CorsProvider = config.provider): { format: CorsFormat; text: string } {
  switch (provider) {
    case 's3':
      return { format: FORMAT.s3, text: `${prettyJson({ CORSRules: config.rules.map(s3Rule) })}\n` };
    case 'gcs':
      return { format: FORMAT.gcs, text: `${prettyJson(config.rules.map(gcsEntry))}\n` };
    case 'cos':
      return { format: FORMAT.cos, text: xmlConfig(config, true, true) };
    case 'oss':
      // OSS rules carry no ID
      return { format: FORMAT.oss, text: xmlConfig(config, false, true) };
    case 'obs':
      // SetBucketCors: rule IDs, no ResponseVary, no namespace (as its documented request)
      return { format: FORMAT.obs, text: xmlConfig(config, true, false) };
    case 'tos':
      return { format: FORMAT.tos, text: `${prettyJson({ CORSRules: config.rules.map(tosRule) })}\n` };
  }
}
