// SARIF 2.1.0 reports. The driver lists one rule per knowledge-base entry (server errors, with
// their cause, steps and first doc link) and one per finding catalogue entry; each finding
// becomes one result. Words come from rules/ in the chosen language.
import type { CheckResult } from '../check/index.js';
import { ensureLang, findingEntries, kbEntries, kbText, renderFinding, type FindingEntry, type KbEntry } from '../core/catalogue.js';
import { Redactor } from '../core/mask.js';
import type { Lang, Severity } from '../core/types.js';
import type { ExplainResult } from '../explain/index.js';
import { VERSION } from '../version.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'post-doctor';
export const TOOL_URI = 'https://www.npmjs.com/package/post-doctor';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: Record<string, unknown>;
}

export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: { startLine: number; startColumn?: number };
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    results: SarifResult[];
    artifacts?: Array<{ location: { uri: string } }>;
    properties?: Record<string, unknown>;
  }>;
}

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function numbered(steps: readonly string[]): string {
  return steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
}

function isHttpUri(s: string | undefined): s is string {
  return typeof s === 'string' && /^https?:\/\/\S+$/.test(s);
}

function kbRule(e: KbEntry, lang: Lang): SarifRule {
  const t = kbText(e, lang);
  const help = t.steps.length ? `${t.cause}\n\n${numbered(t.steps)}` : t.cause;
  const rule: SarifRule = {
    id: e.id,
    shortDescription: { text: t.title },
    fullDescription: { text: t.cause },
    help: { text: help },
    defaultConfiguration: { level: 'error' },
    properties: { kind: 'knowledge-base', providers: e.providers, status: e.status, code: e.code, docs: e.docs },
  };
  const uri = e.docs.find(isHttpUri);
  if (uri) rule.helpUri = uri;
  return rule;
}

function findingRule(e: FindingEntry, lang: Lang): SarifRule {
  ensureLang(lang);
  const t = e.text[lang] ?? e.text.en;
  const fix = t.fix ?? [];
  const rule: SarifRule = {
    id: e.id,
    shortDescription: { text: t.title },
    fullDescription: { text: t.detail },
    help: { text: fix.length ? `${t.detail}\n\n${numbered(fix)}` : t.detail },
    defaultConfiguration: { level: sarifLevel(e.severity) },
    properties: { kind: 'finding', severity: e.severity },
  };
  if (isHttpUri(e.help)) rule.helpUri = e.help;
  return rule;
}

const rulesCache = new Map<Lang, { rules: SarifRule[]; index: Map<string, number> }>();

/** Every rule post-doctor can report (knowledge base, then finding catalogue), with an index. */
export function sarifRules(lang: Lang = 'en'): { rules: SarifRule[]; index: Map<string, number> } {
  let c = rulesCache.get(lang);
  if (!c) {
    const rules = [...kbEntries.map((e) => kbRule(e, lang)), ...findingEntries.map((e) => findingRule(e, lang))];
    c = { rules, index: new Map(rules.map((r, i) => [r.id, i])) };
    rulesCache.set(lang, c);
  }
  // callers may mutate what they get: hand out copies of the cached rules
  return { rules: c.rules.map((r) => structuredClone(r)), index: c.index };
}

export interface SarifOptions {
  lang?: Lang;
  redactor?: Redactor;
  /** The input (file path or URL), as each result's artifact location; omitted when null. */
  uri?: string | null;
  /** Extra run properties (e.g. preflight's answer shape). */
  properties?: Record<string, unknown>;
}

/**
 * A file path or URL as a SARIF artifact URI: forward slashes, percent-encoded where needed. In
 * a path, "?" and "#" are characters of the name, not a query or fragment ("%3F", "%23"), and a
 * ":" in the first segment of a relative path is not a scheme ("%3A"; a drive letter "C:/" stays).
 */
export function artifactUri(input: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return input;
  let uri = encodeURI(input.replace(/\\/g, '/')).replace(/[?#]/g, (c) => (c === '?' ? '%3F' : '%23'));
  if (!/^[A-Za-z]:\//.test(uri)) {
    const slash = uri.indexOf('/');
    const first = slash < 0 ? uri : uri.slice(0, slash);
    if (first.includes(':')) uri = first.replace(/:/g, '%3A') + uri.slice(first.length);
  }
  return uri;
}

function location(uri: string | null | undefined, facts: Record<string, unknown>): SarifLocation[] | undefined {
  if (!uri) return undefined;
  const loc: SarifLocation = { physicalLocation: { artifactLocation: { uri: artifactUri(uri) } } };
  const line = facts.line;
  if (typeof line === 'number' && Number.isInteger(line) && line >= 1) {
    const region: { startLine: number; startColumn?: number } = { startLine: line };
    const col = facts.column;
    if (typeof col === 'number' && Number.isInteger(col) && col >= 1) region.startColumn = col;
    loc.physicalLocation.region = region;
  }
  return [loc];
}

function log(rules: SarifRule[], results: SarifResult[], uri: string | null | undefined, properties: Record<string, unknown>): SarifLog {
  const run: SarifLog['runs'][number] = {
    tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, informationUri: TOOL_URI, rules } },
    results,
    properties,
  };
  if (uri) run.artifacts = [{ location: { uri: artifactUri(uri) } }];
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
}

/** SARIF log of a check result (also used by preflight). */
export function checkToSarif(result: CheckResult, opts: SarifOptions = {}): SarifLog {
  const lang = opts.lang ?? 'en';
  const red = opts.redactor ?? new Redactor();
  const { rules, index } = sarifRules(lang);
  const uri = opts.uri ? red.scrub(opts.uri) : null;
  const results: SarifResult[] = result.findings.map((f) => {
    const r = renderFinding(f, lang);
    const res: SarifResult = {
      ruleId: r.id,
      ruleIndex: index.get(r.id) ?? -1,
      level: sarifLevel(r.severity),
      message: { text: red.scrub(`${r.title}: ${r.detail}`) },
      properties: red.scrubDeep({
        severity: r.severity,
        predicts: r.predicts ? { rule: r.predicts.rule, status: r.predicts.status, code: r.predicts.code, message: r.predicts.message } : null,
        field: r.field ?? null,
        fix: r.fix,
        facts: r.facts,
      }),
    };
    if (res.ruleIndex < 0) delete (res as Partial<SarifResult>).ruleIndex;
    const locs = location(uri, r.facts);
    if (locs) res.locations = locs;
    return res;
  });
  const props = red.scrubDeep({ provider: result.provider, server: result.server, verdict: result.verdict, now: result.now.toISOString(), ...(opts.properties ?? {}) });
  return log(rules, results, uri, props);
}

/** SARIF log of an explained answer: one result per matching knowledge-base entry, best first
 * (the best as an error, the other readings as notes). */
export function explainToSarif(result: ExplainResult, opts: SarifOptions = {}): SarifLog {
  const lang = opts.lang ?? result.lang;
  const red = opts.redactor ?? new Redactor();
  const { rules, index } = sarifRules(lang);
  const uri = opts.uri ? red.scrub(opts.uri) : null;
  const results: SarifResult[] = result.matches.map((m, i) => {
    const res: SarifResult = {
      ruleId: m.rule,
      ruleIndex: index.get(m.rule) ?? -1,
      level: i === 0 ? 'error' : 'note',
      message: { text: red.scrub([`${m.title}: ${m.cause}`, m.facts_text].filter(Boolean).join(' ')) },
      properties: red.scrubDeep({ status: m.status, code: m.code, via: m.via, generic: m.generic, facts: m.facts }),
    };
    if (res.ruleIndex < 0) delete (res as Partial<SarifResult>).ruleIndex;
    const locs = location(uri, {});
    if (locs) res.locations = locs;
    return res;
  });
  const props = red.scrubDeep({ provider: result.provider, recognised: result.recognised, error: result.error, ...(opts.properties ?? {}) });
  return log(rules, results, uri, props);
}

export function renderSarif(logValue: SarifLog): string {
  return `${JSON.stringify(logValue, null, 2)}\n`;
}
