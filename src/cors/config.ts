// Reads a bucket CORS configuration from text (any of the providers' JSON and XML forms) into
// one model, and decides the provider: from a hint, else from the shape. The S3, COS, OSS and
// OBS XML forms are nearly identical, and so are the S3 and TOS JSON forms, so the shape only
// narrows the candidates; an undecided reading says so (provider null) rather than guessing.

import { InputError } from '../core/errors.js';
import { readJsonConfig } from './config-json.js';
import { isObsNamespace, readXmlConfig, S3_NAMESPACE } from './config-xml.js';
import { PROFILES } from './match.js';
import type { CorsConfig, CorsConfigReading, CorsProvider, CorsRule, DetectionEvidence } from './types.js';

export interface ReadOptions {
  /** The provider, when the caller knows it (e.g. --provider). */
  provider?: CorsProvider;
  /** Input name for error messages (a file path, "stdin"). */
  sourceName?: string;
}

const ORDER: readonly CorsProvider[] = ['s3', 'cos', 'oss', 'obs', 'tos', 'gcs'];
/** Providers whose configuration is <CORSConfiguration> XML. */
const XML_FAMILY: readonly CorsProvider[] = ['s3', 'cos', 'oss', 'obs'];
/** Providers whose configuration is {"CORSRules": [...]} JSON. */
const JSON_FAMILY: readonly CorsProvider[] = ['s3', 'tos'];

function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** A documented rule limit narrows the candidates; an assumed one does not. */
function documentedMax(p: CorsProvider): number {
  const profile = PROFILES[p];
  return profile.maxRules === null || profile.assumed.includes('maxRules') ? Infinity : profile.maxRules;
}

/** Narrow the candidates by rule IDs, per-rule ResponseVary and the rule count. */
function narrowRules(family: readonly CorsProvider[], rules: readonly CorsRule[], candidates: CorsProvider[], evidence: DetectionEvidence[]): CorsProvider[] {
  let out = candidates;
  const drop = (excl: CorsProvider[]) => (out = out.filter((c) => !excl.includes(c)));
  if (rules.some((r) => r.id !== undefined)) {
    const excludes = family.filter((p) => !PROFILES[p].ruleIds);
    evidence.push({ kind: 'rule-id', excludes });
    drop(excludes);
  }
  if (rules.some((r) => r.responseVary !== undefined)) {
    const excludes = family.filter((p) => PROFILES[p].responseVary !== 'rule');
    evidence.push({ kind: 'rule-response-vary', excludes });
    drop(excludes);
  }
  const tooMany = family.filter((p) => documentedMax(p) < rules.length);
  if (tooMany.length) {
    evidence.push({ kind: 'rule-count', count: rules.length, excludes: tooMany });
    drop(tooMany);
  }
  return out;
}

/** Narrow the XML candidates by what the XML carries. */
function narrowXml(rules: CorsConfigReading['rules'], namespace: string | null, responseVary: boolean | undefined): { candidates: CorsProvider[]; evidence: DetectionEvidence[] } {
  let candidates = [...XML_FAMILY];
  const evidence: DetectionEvidence[] = [{ kind: 'cors-configuration-xml' }];
  if (namespace === S3_NAMESPACE) {
    evidence.push({ kind: 's3-namespace', namespace });
    candidates = candidates.filter((c) => c === 's3');
  } else if (namespace !== null && isObsNamespace(namespace)) {
    evidence.push({ kind: 'obs-namespace', namespace });
    candidates = candidates.filter((c) => c === 'obs');
  }
  if (responseVary !== undefined) {
    const excludes = XML_FAMILY.filter((p) => PROFILES[p].responseVary !== 'configuration');
    evidence.push({ kind: 'response-vary', excludes });
    candidates = candidates.filter((c) => !excludes.includes(c));
  }
  return { candidates: narrowRules(XML_FAMILY, rules, candidates, evidence), evidence };
}

/** Narrow the {"CORSRules": [...]} candidates (S3, TOS); a bare rule list is the S3 console's form. */
function narrowJson(rules: CorsConfigReading['rules'], form: 'rules-object' | 'bare-list'): { candidates: CorsProvider[]; evidence: DetectionEvidence[] } {
  const evidence: DetectionEvidence[] = [{ kind: 's3-json' }];
  const start: CorsProvider[] = form === 'bare-list' ? ['s3'] : [...JSON_FAMILY];
  return { candidates: narrowRules(JSON_FAMILY, rules, start, evidence), evidence };
}

function familyMismatch(family: 's3' | 'gcs', hint: CorsProvider, source?: string): InputError {
  const shape = family === 'gcs' ? 'a GCS CORS configuration' : 'an S3-style CORS configuration (CORSRules / CORSConfiguration)';
  return new InputError(`the text is ${shape}, which ${hint} does not use`, { source });
}

/** Reads the configuration; `provider` is null when the text fits several providers. */
export function readCorsConfig(text: string, opts: ReadOptions = {}): CorsConfigReading {
  const source = opts.sourceName;
  if (text.trim() === '') throw new InputError('CORS configuration is empty', { source });
  const xml = looksLikeXml(text);
  const r = xml ? readXmlConfig(text, source) : readJsonConfig(text, source);
  const hint = opts.provider;
  if (hint && (r.family === 'gcs') !== (hint === 'gcs')) throw familyMismatch(r.family, hint, source);
  const base = { rules: r.rules, source: xml ? ('xml' as const) : ('json' as const) };
  const vary = 'responseVary' in r ? r.responseVary : undefined;
  const withVary = vary === undefined ? base : { ...base, responseVary: vary };
  if (hint) return { ...withVary, provider: hint, candidates: [hint], evidence: [{ kind: 'hint', provider: hint }] };
  if (r.family === 'gcs') {
    const evidence: DetectionEvidence[] = [{ kind: xml ? 'gcs-xml' : 'gcs-json' }];
    return { ...withVary, provider: 'gcs', candidates: ['gcs'], evidence };
  }
  const narrowed = 'namespace' in r ? narrowXml(r.rules, r.namespace, vary) : narrowJson(r.rules, r.form === 'bare-list' ? 'bare-list' : 'rules-object');
  const ordered = ORDER.filter((p) => narrowed.candidates.includes(p));
  if (ordered.length === 0) {
    const what = xml ? 'XML fits no provider: its namespace, ResponseVary, rule IDs and rule count' : 'JSON fits no provider: its form, rule IDs and ResponseVary';
    throw new InputError(`the CORS configuration ${what} contradict each other`, { source });
  }
  return { ...withVary, provider: ordered.length === 1 ? (ordered[0] as CorsProvider) : null, candidates: ordered, evidence: narrowed.evidence };
}

/** The configuration of a reading, for `provider` (which must be one of its candidates when the reading is undecided). */
export function configFor(reading: CorsConfigReading, provider?: CorsProvider): CorsConfig {
  const p = provider ?? reading.provider;
  if (!p) throw new InputError(`the CORS configuration fits ${reading.candidates.join(', ')}; say which provider it is for`);
  const config: CorsConfig = { provider: p, rules: reading.rules, source: reading.source };
  if (reading.responseVary !== undefined) config.responseVary = reading.responseVary;
  return config;
}

/** Reads the configuration; throws InputError when the provider cannot be told from the text and no hint is given. */
export function parseCorsConfig(text: string, opts: ReadOptions = {}): CorsConfig {
  const reading = readCorsConfig(text, opts);
  if (!reading.provider) {
    const form = reading.source === 'xml' ? 'XML' : 'JSON';
    throw new InputError(`the CORS configuration is ${form} that ${reading.candidates.join(', ')} all accept; give the provider`, { source: opts.sourceName });
  }
  return configFor(reading);
}
