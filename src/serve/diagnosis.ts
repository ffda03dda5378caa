// One diagnosis per request: what came in, what the sandbox bucket answered and why,
// with every finding rendered in the chosen language and every secret masked. A diagnosis is
// a bounded summary: the first SERVE_FINDINGS_PER_KIND findings of each id (the rest counted),
// at most SERVE_MAX_FINDINGS in all, every text masked, escaped and cut (./text.ts).
import { renderFinding, ui } from '../core/catalogue.js';
import type { Redactor } from '../core/mask.js';
import type { Finding, Lang, ProviderId } from '../core/types.js';
import type { FindingId } from '../generated/ids.js';
import { SERVE_FINDINGS_PER_KIND, SERVE_MAX_FINDINGS, SERVE_MAX_FIX_LINES } from './limits.js';
import { oneLine, shown, shownDeep } from './text.js';

export interface DiagnosisFinding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail: string;
  /** The fix steps, one line each: a step's first line. */
  fix: string[];
  /**
   * The rest of each multi-line fix step (a CORS configuration to apply), one array of lines per
   * step (empty for a one-line step); absent when every step is one line. One line per string,
   * like every text of a diagnosis.
   */
  fixBlocks?: string[][];
  field: string | null;
  /** The answer this finding leads to, when it names one, and its knowledge-base entry. */
  answer: { rule: string; status: number | null; code: string | null; message: string | null } | null;
  /** Findings of the same id after this one that were counted, not kept (absent when none). */
  more?: number;
}

export interface Diagnosis {
  id: number;
  time: string;
  provider: ProviderId;
  method: string;
  path: string;
  origin: string | null;
  kind: 'upload' | 'preflight' | 'other';
  /** What the bucket did: stored the file, refused the request, or allowed a preflight. */
  verdict: 'accepted' | 'refused' | 'allowed';
  /**
   * The browser hides the answer from the page (CORS): a refused preflight (the upload is never
   * sent), or an answer without the CORS headers the page needs. The bucket may still have
   * stored the file (verdict accepted): the page then sees a network error all the same.
   */
  blocked: boolean;
  status: number;
  code: string | null;
  message: string | null;
  requestId: string;
  /** Finding id that decided the answer (null for a success). */
  cause: string | null;
  key: string | null;
  /** The file part: `sizeText` is its size in words of the diagnosis's language ("1.5 KiB = 1536 bytes"). */
  file: { field: string; name: string | null; size: number | null; sizeText?: string | null; contentType: string | null } | null;
  etag: string | null;
  stored: string | null;
  findings: DiagnosisFinding[];
  /** Findings not kept because SERVE_MAX_FINDINGS were kept already, whose id has none kept (absent when none). */
  omitted?: number;
}

/** A finding kept in a summary, with the number of same-id findings after it that were dropped. */
export interface KeptFinding {
  finding: Finding;
  more: number;
}

/**
 * The findings a diagnosis keeps: in order, the first `perKind` of each id and at most `max` in
 * all; `keep` (the finding that decided the answer) is kept whatever the limits. Dropped findings
 * are counted on the last kept one of their id, or in `omitted` when their id has none kept.
 */
export function summariseFindings(findings: readonly Finding[], keep: Finding | null = null, perKind = SERVE_FINDINGS_PER_KIND, max = SERVE_MAX_FINDINGS): { kept: KeptFinding[]; omitted: number } {
  const kept: KeptFinding[] = [];
  const lastOf = new Map<string, KeptFinding>();
  const perId = new Map<string, number>();
  let omitted = 0;
  for (const f of findings) {
    const n = perId.get(f.id) ?? 0;
    if (f === keep || (n < perKind && kept.length < max)) {
      const k = { finding: f, more: 0 };
      kept.push(k);
      lastOf.set(f.id, k);
      perId.set(f.id, n + 1);
      continue;
    }
    const last = lastOf.get(f.id);
    if (last) last.more++;
    else omitted++;
  }
  return { kept, omitted };
}

/** Render a summary's findings (masked, escaped, cut); `more` carried over. */
export function renderSummary(kept: readonly KeptFinding[], lang: Lang, redactor: Redactor): DiagnosisFinding[] {
  const out = renderFindings(
    kept.map((k) => k.finding),
    lang,
    redactor,
  );
  kept.forEach((k, i) => {
    if (k.more > 0) (out[i] as DiagnosisFinding).more = k.more;
  });
  return out;
}

/**
 * Fix steps that point at the signature walk-through `check` prints below its findings, by finding
 * and step index. serve shows no walk-through: such a step says how to see one instead
 * (serve.fix.walk-through). test/serve/banner.test.ts fails when a step of rules/findings
 * mentions the walk-through and is not listed here.
 */
export const WALK_THROUGH_STEPS: Partial<Record<FindingId, number>> = { 'signature.invalid': 0 };

export function renderFindings(findings: readonly Finding[], lang: Lang, redactor: Redactor): DiagnosisFinding[] {
  return findings.map((f) => {
    let r: ReturnType<typeof renderFinding>;
    try {
      r = renderFinding(f, lang);
    } catch {
      r = renderFinding({ id: 'serve.internal-error', severity: 'error', facts: { message: `no catalogue entry for ${f.id}` }, predicts: null }, lang);
    }
    const walk = Object.hasOwn(WALK_THROUGH_STEPS, r.id) ? WALK_THROUGH_STEPS[r.id as FindingId] : undefined;
    const fix = walk !== undefined && walk < r.fix.length ? r.fix.map((step, i) => (i === walk ? ui('serve.fix.walk-through', lang) : step)) : r.fix;
    const steps = fix.map((step) => step.split(/\r?\n/));
    const out: DiagnosisFinding = {
      id: r.id,
      severity: r.severity,
      title: r.title,
      detail: r.detail,
      fix: steps.map((lines) => lines[0] ?? ''),
      field: r.field ?? null,
      answer: r.predicts ? { rule: r.predicts.rule, status: r.predicts.status, code: r.predicts.code, message: r.predicts.message } : null,
    };
    const safe = shownDeep(out, redactor);
    if (steps.some((lines) => lines.length > 1)) {
      safe.fixBlocks = steps.map((lines) => {
        const rest = lines.slice(1).map((l) => shown(l, redactor));
        return rest.length > SERVE_MAX_FIX_LINES ? [...rest.slice(0, SERVE_MAX_FIX_LINES), '…'] : rest;
      });
    }
    return safe;
  });
}

/** " (+N)" after a finding whose same-id successors were counted, not kept. */
function more(f: DiagnosisFinding): string {
  return f.more ? ` (+${f.more})` : '';
}

/**
 * The terminal form of a diagnosis: one headline, then the cause and its fix steps. Every line
 * is one line: control characters that reached the diagnosis are shown escaped.
 */
export function terminalLines(d: Diagnosis, lang: Lang): string[] {
  return diagnosisLines(d, lang).map(oneLine);
}

function diagnosisLines(d: Diagnosis, lang: Lang): string[] {
  const from = d.origin ? ` ${ui('serve.line.from', lang, { origin: d.origin })}` : '';
  const head = `#${d.id} ${d.method} ${d.path}${from} -> ${d.status}`;
  if (d.verdict === 'allowed') return [`${head} ${ui('serve.line.preflight-allowed', lang, { origin: d.origin ?? '' })}`];
  const blocked = d.blocked ? ` ${ui('serve.line.blocked', lang)}` : '';
  if (d.verdict === 'accepted' && !d.blocked) {
    const lines = [`${head} ${ui('serve.line.accepted', lang, { key: d.key ?? '', size: d.file?.size ?? 0, etag: d.etag ?? '' })}`];
    for (const f of d.findings) if (f.severity !== 'info') lines.push(`    ${f.severity === 'error' ? '✗' : '!'} ${f.title}${more(f)}`);
    if (d.omitted) lines.push(`    … +${d.omitted}`);
    return lines;
  }
  const msg = d.message ? `: ${d.message}` : '';
  const what = d.verdict === 'accepted' ? ui('serve.line.accepted', lang, { key: d.key ?? '', size: d.file?.size ?? 0, etag: d.etag ?? '' }) : `${d.code ?? ''}${msg}`;
  const lines = [`${head}${what ? ` ${what}` : ''}${blocked}`];
  const cause = d.findings.find((f) => f.id === d.cause) ?? d.findings.find((f) => f.severity === 'error');
  if (cause) {
    lines.push(`    ${ui('serve.line.cause', lang, { title: cause.title })}${more(cause)}`);
    cause.fix.forEach((step, i) => {
      lines.push(`      ${ui('serve.line.fix', lang, { step })}`);
      for (const l of cause.fixBlocks?.[i] ?? []) lines.push(`        ${l}`);
    });
  }
  for (const f of d.findings) {
    if (f === cause || f.severity === 'info') continue;
    lines.push(`    ${f.severity === 'error' ? '✗' : '!'} ${f.title}${more(f)}`);
  }
  if (d.omitted) lines.push(`    … +${d.omitted}`);
  return lines;
}
