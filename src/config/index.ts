// post-doctor.config.json (or "postDoctor" in package.json), read from the working directory:
//   { provider?, secretEnv?: {cos?, oss?, s3?, gcs?}, ignore?: [finding ids],
//     downgrade?: {findingId: "warning" | "info"}, format?, failOn? }
// Validated by hand with precise one-line messages; invalid config is an InputError (exit 2).
// Library code: reads files, never prints or exits.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingEntry } from '../core/catalogue.js';
import { InputError } from '../core/errors.js';
import { PROVIDER_IDS, type Finding, type ProviderId, type Severity } from '../core/types.js';
import { parseJson } from '../core/json.js';

export const CONFIG_FILE = 'post-doctor.config.json';
export const PACKAGE_KEY = 'postDoctor';
export const CONFIG_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];
export const DOWNGRADE_LEVELS = ['warning', 'info'] as const;
export type DowngradeLevel = (typeof DOWNGRADE_LEVELS)[number];
const FAIL_ON = ['error', 'warning', 'never'] as const;

export interface PostDoctorConfig {
  provider?: ProviderId;
  /** Environment variable holding each provider's secret (instead of the default names). */
  secretEnv?: Partial<Record<ProviderId, string>>;
  /** Finding ids never reported. */
  ignore?: string[];
  /** Finding ids reported with a lower severity. */
  downgrade?: Record<string, DowngradeLevel>;
  /** Default --format. */
  format?: ConfigFormat;
  /** Default --fail-on. */
  failOn?: (typeof FAIL_ON)[number];
}

export interface LoadedConfig {
  config: PostDoctorConfig;
  /** Where it came from: "post-doctor.config.json" or "package.json". */
  source: string;
  path: string;
}

const KEYS = ['$schema', 'provider', 'secretEnv', 'ignore', 'downgrade', 'format', 'failOn'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** 1-based line of the first `"key":` at or after `from` in the text (approximate; for messages). */
function lineOf(text: string, key: string, from = 0): number | undefined {
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return undefined;
  return text.slice(0, m.index).split('\n').length;
}

function offsetOf(text: string, key: string, from = 0): number {
  const i = text.indexOf(`"${key}"`, from);
  return i < 0 ? from : i;
}

/** Validate a parsed config object; `text` (the file text) and `base` (offset of the config
 * object in it) serve only to name lines in messages. */
export function validateConfig(value: unknown, source: string, text = '', base = 0): PostDoctorConfig {
  const fail = (msg: string, key?: string, from = base): never => {
    const line = key !== undefined ? lineOf(text, key, from) : undefined;
    throw new InputError(`${source}: ${msg}${line !== undefined ? ` (line ${line})` : ''}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('the configuration must be a JSON object');
  const o = value as Record<string, unknown>;
  const out: PostDoctorConfig = {};
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k)) fail(`unknown property '${k}' (allowed: ${KEYS.slice(1).join(', ')})`, k);
  }
  if (o.provider !== undefined) {
    if (typeof o.provider !== 'string' || !(PROVIDER_IDS as readonly string[]).includes(o.provider)) fail(`'provider' must be one of ${PROVIDER_IDS.join(', ')}`, 'provider');
    out.provider = o.provider as ProviderId;
  }
  if (o.secretEnv !== undefined) {
    const s = o.secretEnv;
    if (!s || typeof s !== 'object' || Array.isArray(s)) fail(`'secretEnv' must be an object mapping providers (${PROVIDER_IDS.join(', ')}) to environment variable names`, 'secretEnv');
    const from = offsetOf(text, 'secretEnv', base);
    out.secretEnv = {};
    for (const [p, v] of Object.entries(s as Record<string, unknown>)) {
      if (!(PROVIDER_IDS as readonly string[]).includes(p)) fail(`'secretEnv' has unknown provider '${p}' (allowed: ${PROVIDER_IDS.join(', ')})`, p, from);
      if (typeof v !== 'string' || !ENV_NAME.test(v)) fail(`'secretEnv.${p}' must be an environment variable name such as COS_SECRET_KEY`, p, from);
      out.secretEnv[p as ProviderId] = v as string;
    }
  }
  if (o.ignore !== undefined) {
    if (!Array.isArray(o.ignore) || o.ignore.some((x) => typeof x !== 'string')) fail("'ignore' must be an array of finding ids", 'ignore');
    const from = offsetOf(text, 'ignore', base);
    for (const id of o.ignore as string[]) {
      if (!findingEntry(id)) fail(`'ignore' names unknown finding id '${id}'`, 'ignore', from);
    }
    out.ignore = [...(o.ignore as string[])];
  }
  if (o.downgrade !== undefined) {
    const d = o.downgrade;
    if (!d || typeof d !== 'object' || Array.isArray(d)) fail(`'downgrade' must be an object mapping finding ids to ${DOWNGRADE_LEVELS.map((x) => `"${x}"`).join(' or ')}`, 'downgrade');
    const from = offsetOf(text, 'downgrade', base);
    out.downgrade = {};
    for (const [id, level] of Object.entries(d as Record<string, unknown>)) {
      if (!findingEntry(id)) fail(`'downgrade' names unknown finding id '${id}'`, id, from);
      if (typeof level !== 'string' || !(DOWNGRADE_LEVELS as readonly string[]).includes(level)) fail(`'downgrade.${id}' must be ${DOWNGRADE_LEVELS.map((x) => `"${x}"`).join(' or ')}`, id, from);
      out.downgrade[id] = level as DowngradeLevel;
    }
  }
  if (o.format !== undefined) {
    if (typeof o.format !== 'string' || !(CONFIG_FORMATS as readonly string[]).includes(o.format)) fail(`'format' must be one of ${CONFIG_FORMATS.join(', ')}`, 'format');
    out.format = o.format as ConfigFormat;
  }
  if (o.failOn !== undefined) {
    if (typeof o.failOn !== 'string' || !(FAIL_ON as readonly string[]).includes(o.failOn)) fail(`'failOn' must be one of ${FAIL_ON.join(', ')}`, 'failOn');
    out.failOn = o.failOn as PostDoctorConfig['failOn'];
  }
  return out;
}

function parseFile(path: string, source: string): { value: unknown; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${source}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = parseJson(text.replace(/^\uFEFF/, ''));
  if (!r.ok) {
    const found = r.error.found === '' ? 'the end of the file' : `'${r.error.found}'`;
    throw new InputError(`${source}: not valid JSON: unexpected ${found} (line ${r.error.line}, column ${r.error.column})`);
  }
  return { value: r.value, text };
}

/**
 * The configuration of the project in `cwd`: post-doctor.config.json, else the "postDoctor"
 * key of package.json, else null. Throws InputError when it is invalid.
 */
export function loadConfig(cwd: string): LoadedConfig | null {
  const file = join(cwd, CONFIG_FILE);
  if (existsSync(file)) {
    const { value, text } = parseFile(file, CONFIG_FILE);
    return { config: validateConfig(value, CONFIG_FILE, text), source: CONFIG_FILE, path: file };
  }
  const pkg = join(cwd, 'package.json');
  if (existsSync(pkg)) {
    let parsed: { value: unknown; text: string };
    try {
      parsed = parseFile(pkg, 'package.json');
    } catch {
      // a broken package.json is not ours to report
      return null;
    }
    const v = parsed.value;
    if (v && typeof v === 'object' && !Array.isArray(v) && PACKAGE_KEY in v) {
      const source = `package.json ("${PACKAGE_KEY}")`;
      const base = offsetOf(parsed.text, PACKAGE_KEY);
      return { config: validateConfig((v as Record<string, unknown>)[PACKAGE_KEY], source, parsed.text, base), source, path: pkg };
    }
  }
  return null;
}

export interface FindingRules {
  ignore?: readonly string[];
  downgrade?: Readonly<Record<string, DowngradeLevel>>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Drop ignored findings and lower downgraded ones (never raise), keeping severity order. */
export function applyFindingRules(findings: readonly Finding[], rules: FindingRules): Finding[] {
  const ignore = new Set(rules.ignore ?? []);
  const out: Array<{ f: Finding; i: number }> = [];
  findings.forEach((f, i) => {
    if (ignore.has(f.id)) return;
    const to = rules.downgrade?.[f.id];
    const g = to && RANK[to] > RANK[f.severity] ? { ...f, severity: to as Severity } : f;
    out.push({ f: g, i });
  });
  out.sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i);
  return out.map((x) => x.f);
}

/** A check result with the finding rules applied; the verdict follows the remaining findings. */
export function applyRulesToResult<T extends { findings: Finding[]; verdict: 'pass' | 'fail' }>(result: T, rules: FindingRules): T {
  if (!rules.ignore?.length && Object.keys(rules.downgrade ?? {}).length === 0) return result;
  const findings = applyFindingRules(result.findings, rules);
  return { ...result, findings, verdict: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass' };
}
