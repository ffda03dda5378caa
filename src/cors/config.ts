// Reads a bucket CORS configuration from text (any of the providers' JSON and XML forms) into
// one model, and decides the provider: from a hint, else from the shape. The S3, COS and OSS
// XML forms are nearly identical, so the shape only narrows the candidates; an undecided
// reading says so (provider null) rather than guessing.

import { InputError } from '../core/errors.js';
import { readJsonConfig } from './config-json.js';
import { readXmlConfig, S3_NAMESPACE } from './config-xml.js';
import { PROFILES } from './match.js';
import type { CorsConfig, CorsConfigReading, CorsProvider, DetectionEvidence } from './types.js';

export interface ReadOptions {
  /** The provider, when the caller knows it (e.g. --provider). */
  provider?: CorsProvider;
  /** Input name for error messages (a file path, "stdin"). */
  sourceName?: string;
}

const ORDER: readonly CorsProvider[] = ['s3', 'cos', 'oss', 'gcs'];
const S3_FAMILY: readonly CorsProvider[] = ['s3', 'cos', 'oss'];

function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** Narrow the S3-family candidates by what the XML carries. */
function narrowXml(rules: CorsConfigReading['rules'], namespace: string | null, responseVary: boolean | undefined): { candidates: CorsProvider[]; evidence: DetectionEvidence[] } {
  let candidates = [...S3_FAMILY];
  const evidence: DetectionEvidence[] = [{ kind: 'cors-configuration-xml' }];
  const drop = (excl: CorsProvider[]) => (candidates = candidates.filter((c) => !excl.includes(c)));
  if (namespace === S3_NAMESPACE) {
    evidence.push({ kind: 's3-namespace', namespace });
    candidates = candidates.filter((c) => c === 's3');
  }
  if (responseVary !== undefined) {
    const excludes = S3_FAMILY.filter((p) => !PROFILES[p].responseVary);
    evidence.push({ kind: 'response-vary', excludes });
    drop(excludes);
  }
  if (rules.some((r) => r.id !== undefined)) {
    const excludes = S3_FAMILY.filter((p) => !PROFILES[p].ruleIds);
    evidence.push({ kind: 'rule-id', excludes });
    drop(excludes);
  }
  const tooMany = S3_FAMILY.filter((p) => (PROFILES[p].maxRules ?? Infinity) < rules.length);
  if (tooMany.length) {
    evidence.push({ kind: 'rule-count', count: rules.length, excludes: tooMany });
    drop(tooMany);
  }
  return { candidates, evidence };
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
  if (!xml) return { ...withVary, provider: 's3', candidates: ['s3'], evidence: [{ kind: 's3-json' }] };
  const namespace = 'namespace' in r ? r.namespace : null;
  const { candidates, evidence } = narrowXml(r.rules, namespace, vary);
  const ordered = ORDER.filter((p) => candidates.includes(p));
  if (ordered.length === 0) throw new InputError('the CORS configuration XML fits no provider: its namespace, ResponseVary, rule IDs and rule count contradict each other', { source });
  return { ...withVary, provider: ordered.length === 1 ? (ordered[0] as CorsProvider) : null, candidates: ordered, evidence };
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
    throw new InputError(`the CORS configuration is XML that ${reading.candidates.join(', ')} all accept; give the provider`, { source: opts.sourceName });
  }
  return configFor(reading);
}
