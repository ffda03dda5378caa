// JSON forms of a bucket CORS configuration:
// - S3: `aws s3api get-bucket-cors` output and the `put-bucket-cors --cors-configuration`
//   document ({"CORSRules": [...]}), or the bare rule list the S3 console's CORS editor takes;
// - TOS: the PutBucketCORS / GetBucketCORS body, the same {"CORSRules": [...]} shape with the
//   same key names, no ID, and a ResponseVary boolean in each rule (config.ts tells the two apart
//   only when a rule carries an ID or a ResponseVary);
// - GCS: the list `gsutil cors get` prints and `gcloud storage buckets update --cors-file`
//   reads ([{"origin": [...], ...}]), or wrapped as {"cors": [...]} (a bucket resource,
//   `gcloud storage buckets describe --format=json`) or {"cors_config": [...]}.

import { InputError, jsonErrorText } from '../core/errors.js';
import type { CorsRule, DetectionEvidence } from './types.js';

export interface JsonReading {
  family: 's3' | 'gcs';
  /** For the S3-style family: `{"CORSRules": [...]}` (S3 and TOS) or a bare rule list (the S3 console). */
  form: 'rules-object' | 'bare-list' | 'gcs';
  rules: CorsRule[];
  evidence: DetectionEvidence;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Line and column (from 1) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function parseJsonText(text: string, source?: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const msg = jsonErrorText(e);
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? { source, ...lineColumn(text, Number(pos[1])) } : { source };
    throw new InputError(`CORS configuration is not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/: not valid JSON$/, '')}`, where);
  }
}

function fail(message: string, field: string, source?: string): never {
  throw new InputError(message, { source, field });
}

function stringList(v: Json, field: string, source?: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail('expected a list of strings', field, source);
  return v.map((x, i) => {
    if (typeof x !== 'string') fail('expected a string', `${field}[${i}]`, source);
    return x;
  });
}

function maxAge(v: Json, field: string, source?: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail('expected a whole number of seconds', field, source);
  return v;
}

function checkKeys(o: Record<string, Json>, known: readonly string[], field: string, source?: string): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) fail(`unknown key '${k}' (expected ${known.join(', ')})`, field, source);
}

// S3's CORSRule keys, and TOS's ResponseVary
const S3_KEYS = ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds', 'ResponseVary'] as const;
const GCS_KEYS = ['origin', 'method', 'responseHeader', 'maxAgeSeconds'] as const;

function s3Rule(v: Json, index: number, field: string, source?: string): CorsRule {
  if (!isObject(v)) fail('expected a CORS rule object', field, source);
  checkKeys(v, S3_KEYS, field, source);
  const rule: CorsRule = {
    index,
    allowedOrigins: stringList(v.AllowedOrigins, `${field}.AllowedOrigins`, source),
    allowedMethods: stringList(v.AllowedMethods, `${field}.AllowedMethods`, source),
    allowedHeaders: stringList(v.AllowedHeaders, `${field}.AllowedHeaders`, source),
    exposeHeaders: stringList(v.ExposeHeaders, `${field}.ExposeHeaders`, source),
  };
  const age = maxAge(v.MaxAgeSeconds, `${field}.MaxAgeSeconds`, source);
  if (age !== undefined) rule.maxAgeSeconds = age;
  if (v.ID !== undefined) {
    if (typeof v.ID !== 'string') fail('expected a string', `${field}.ID`, source);
    rule.id = v.ID;
  }
  if (v.ResponseVary !== undefined) {
    if (typeof v.ResponseVary !== 'boolean') fail('expected true or false', `${field}.ResponseVary`, source);
    rule.responseVary = v.ResponseVary;
  }
  return rule;
}

function gcsRule(v: Json, index: number, field: string, source?: string): CorsRule {
  if (!isObject(v)) fail('expected a CORS entry object', field, source);
  checkKeys(v, GCS_KEYS, field, source);
  const headers = stringList(v.responseHeader, `${field}.responseHeader`, source);
  const rule: CorsRule = {
    index,
    allowedOrigins: stringList(v.origin, `${field}.origin`, source),
    allowedMethods: stringList(v.method, `${field}.method`, source),
    allowedHeaders: headers,
    exposeHeaders: [...headers],
  };
  const age = maxAge(v.maxAgeSeconds, `${field}.maxAgeSeconds`, source);
  if (age !== undefined) rule.maxAgeSeconds = age;
  return rule;
}

/** Which family a rule list belongs to, from the keys of its first entry. */
function listFamily(list: Json[]): 's3' | 'gcs' | null {
  const first = list.find(isObject);
  if (!first) return null;
  const keys = Object.keys(first);
  if (keys.some((k) => (S3_KEYS as readonly string[]).includes(k))) return 's3';
  if (keys.some((k) => (GCS_KEYS as readonly string[]).includes(k))) return 'gcs';
  return null;
}

function readList(family: 's3' | 'gcs', list: Json[], prefix: string, source?: string): JsonReading {
  const make = family === 's3' ? s3Rule : gcsRule;
  const rules = list.map((r, i) => make(r, i, `${prefix}[${i}]`, source));
  const form = family === 'gcs' ? 'gcs' : prefix === 'CORSRules' ? 'rules-object' : 'bare-list';
  return { family, form, rules, evidence: { kind: family === 's3' ? 's3-json' : 'gcs-json' } };
}

/** Reads a JSON CORS configuration; throws InputError naming the offending field. */
export function readJsonConfig(text: string, source?: string): JsonReading {
  const doc = parseJsonText(text, source);
  if (Array.isArray(doc)) {
    if (doc.length === 0) return { family: 'gcs', form: 'gcs', rules: [], evidence: { kind: 'gcs-json' } };
    const family = listFamily(doc);
    if (!family) fail('a list of CORS rules whose entries are neither S3 rules (AllowedOrigins, ...) nor GCS entries (origin, ...)', '[0]', source);
    return readList(family, doc, '', source);
  }
  if (!isObject(doc)) fail('expected a CORS configuration object or list', '(top level)', source);
  if ('CORSRules' in doc) {
    checkKeys(doc, ['CORSRules'], '(top level)', source);
    if (!Array.isArray(doc.CORSRules)) fail('expected a list of rules', 'CORSRules', source);
    return readList('s3', doc.CORSRules, 'CORSRules', source);
  }
  for (const key of ['cors', 'cors_config']) {
    const v = doc[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) fail('expected a list of CORS entries', key, source);
    return readList('gcs', v, key, source);
  }
  // a bucket resource without CORS entries: no configuration
  if (doc.kind === 'storage#bucket') return { family: 'gcs', form: 'gcs', rules: [], evidence: { kind: 'gcs-json' } };
  fail('no CORS rules found: expected {"CORSRules": [...]} (S3, TOS), a list of rules, or {"cors": [...]} (GCS)', '(top level)', source);
}
