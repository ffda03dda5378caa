// The catalogue: every word post-doctor prints comes from rules/ (compiled into
import { FINDING_SEVERITY, type FindingId, type KbId, type UiKey } from '../generated/ids.js';
// src/generated/catalogue.json by scripts/compile-rules.mjs).

import data from '../generated/catalogue.json';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Finding, Lang, Prediction, ProviderId, ResolvedPrediction, Severity } from './types.js';
import { fill, placeholders } from './template.js';
import { chineseVariant } from './lang.js';

export interface KbText {
  title: string;
  cause: string;
  steps: string[];
  facts?: string;
}

export interface KbEntry {
  id: string;
  providers: ProviderId[];
  server?: 'aws' | 'rgw' | 'minio';
  generic?: boolean;
  status: number | null;
  code: string | null;
  message?: string;
  pattern?: string;
  ec?: string[];
  tags?: string[];
  source: string;
  docs: string[];
  text: Record<Lang, KbText>;
  file: string;
}

export interface FindingText {
  title: string;
  detail: string;
  fix?: string[];
}

export interface FindingEntry {
  id: string;
  severity: Severity;
  help?: string;
  text: { en: FindingText; ja?: FindingText; zh?: FindingText };
  file: string;
}

interface CatalogueData {
  kb: KbEntry[];
  findings: FindingEntry[];
  ui: Record<string, Record<Lang, string>>;
}

const catalogue = data as unknown as CatalogueData;

export const kbEntries: readonly KbEntry[] = catalogue.kb;
export const findingEntries: readonly FindingEntry[] = catalogue.findings;

// The bundle embeds English only; Japanese and Chinese text live in dist/catalogue.<lang>.json and
// are merged in on first use (start-up parses a third of the catalogue). From sources (tests) the
// catalogue holds every language already and ensureLang does nothing.
interface LangPack {
  kb: Record<string, KbText>;
  findings: Record<string, FindingText>;
  ui: Record<string, string>;
}
/** Per language, the pack whose text it holds ('zh-TW' / 'zh-HK': zh in Traditional characters, see ./lang.ts). */
const loadedLangs = new Map<Lang, string>([['en', 'en']]);

function langPackPath(pack: string): string | null {
  for (const rel of [`./catalogue.${pack}.json`, `../catalogue.${pack}.json`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  return null;
}

/** Make sure the text of `lang` is present in the catalogue (for zh, in the run's Chinese variant). */
export function ensureLang(lang: Lang): void {
  const packName = lang === 'zh' ? (chineseVariant() ?? 'zh') : lang;
  const loaded = loadedLangs.get(lang);
  if (loaded === packName) return;
  loadedLangs.set(lang, packName);
  const first = catalogue.kb[0];
  // full catalogue (sources): it holds Simplified Chinese only, kept when a variant is asked for
  if (!first || (loaded === undefined && packName === lang && first.text[lang])) return;
  const path = langPackPath(packName);
  if (!path) return; // falls back to English (or to the Chinese already loaded)
  const pack = JSON.parse(readFileSync(path, 'utf8')) as LangPack;
  for (const e of catalogue.kb) {
    const t = pack.kb[e.id];
    if (t) e.text[lang] = t;
  }
  for (const e of catalogue.findings) {
    const t = pack.findings[e.id];
    if (t) e.text[lang] = t;
  }
  for (const [k, v] of Object.entries(pack.ui)) {
    const u = catalogue.ui[k];
    if (u) u[lang] = v;
  }
}

const kbById = new Map(catalogue.kb.map((e) => [e.id, e]));
const findingById = new Map(catalogue.findings.map((e) => [e.id, e]));

export function kbEntry(id: string): KbEntry | undefined {
  return kbById.get(id);
}

/** Whether a string read at run time (a note, a reason, a mistake) names a finding of rules/findings. */
export function isFindingId(id: string): id is FindingId {
  return Object.hasOwn(FINDING_SEVERITY, id);
}

/** Whether a string read at run time names an entry of the knowledge base (rules/kb). */
export function isKbId(id: string): id is KbId {
  return kbById.has(id);
}

export function findingEntry(id: string): FindingEntry | undefined {
  return findingById.get(id);
}

/** An interface string in `lang`, filled with `values`. Unknown keys come back as the key itself. */
export function ui(key: UiKey, lang: Lang = 'en', values: Record<string, unknown> = {}): string {
  ensureLang(lang);
  const s = catalogue.ui[key];
  if (!s) return key;
  return fill(s[lang] ?? s.en, values, lang);
}

export function kbText(entry: KbEntry, lang: Lang): KbText {
  ensureLang(lang);
  return entry.text[lang] ?? entry.text.en;
}

/** Fill a prediction's KB message template; status and code come from the entry. */
export function resolvePrediction(p: Prediction): ResolvedPrediction {
  const entry = kbById.get(p.rule);
  if (!entry) throw new Error(`prediction names unknown knowledge-base entry '${p.rule}'`);
  const r: ResolvedPrediction = {
    rule: p.rule,
    status: entry.status ?? null,
    code: entry.code ?? null,
    message: typeof entry.message === 'string' ? elide(fill(entry.message, p.vars ?? {}, 'en')) : null,
  };
  if (entry.ec?.[0]) r.ec = entry.ec[0];
  if (p.basis) r.basis = p.basis;
  return r;
}

/** A server's wording with a part the prediction cannot know (no value for it): that part elided, never a raw {placeholder}. */
function elide(message: string): string {
  return placeholders(message).length ? message.replace(/(?<!\$)\{[A-Za-z_][\w.-]*(?:\|[a-z]+)?\}/g, '…') : message;
}

/**
 * A predicted answer in words: "{status} {code} — {message}", or, where the provider documents
 * only some of it (TOS: the EC), what is known and that the rest is not documented; an inferred
 * answer (the code documented, not for this situation) as "probably".
 */
export function predictionWords(p: ResolvedPrediction, lang: Lang, key: 'check.server-would-answer' | 'report.github.predicts' = 'check.server-would-answer'): string {
  if (p.basis !== 'inferred' && p.status !== null && p.code !== null && p.message !== null) return ui(key, lang, { status: p.status, code: p.code, message: p.message });
  const known = [p.status, p.code, p.message, p.ec ? `EC ${p.ec}` : null].filter((x) => x !== null && x !== '').join(' ');
  return ui(p.basis === 'inferred' ? 'check.server-would-answer-inferred' : 'check.server-would-answer-partial', lang, { answer: known });
}

export interface RenderedFinding {
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  fix: string[];
  rule: string | null;
  predicts: ResolvedPrediction | null;
  facts: Record<string, unknown>;
  field?: string;
}

/** Words for a finding: its catalogue entry filled with its facts; fix steps from the
 * entry, else from the knowledge-base entry of the answer it predicts. */
export function renderFinding(f: Finding, lang: Lang = 'en'): RenderedFinding {
  const entry = findingById.get(f.id);
  if (!entry) throw new Error(`finding '${f.id}' has no catalogue entry`);
  ensureLang(lang);
  const t = entry.text[lang] ?? entry.text.en;
  const predicts = f.predicts ? resolvePrediction(f.predicts) : null;
  let fix = (t.fix ?? []).map((s) => fill(s, f.facts, lang));
  if (fix.length === 0 && predicts) {
    const kb = kbById.get(predicts.rule);
    if (kb) fix = kbText(kb, lang).steps;
  }
  const out: RenderedFinding = {
    id: f.id,
    severity: f.severity,
    title: fill(t.title, f.facts, lang),
    detail: fill(t.detail, f.facts, lang),
    fix,
    rule: predicts?.rule ?? null,
    predicts,
    facts: f.facts,
  };
  if (f.field !== undefined) out.field = f.field;
  return out;
}
