// Text output of `explain`: provider, the error, then each explanation (top one first).
// Every interface word comes from rules/ui/explain.yaml; colour from the chalk given.
import { visibleDeep } from '../core/visible.js';
import type { ChalkInstance } from 'chalk';
import { ui } from '../core/catalogue.js';
import type { ExplainMatch, ExplainResult } from '../explain/index.js';
import { explainRedactor } from '../explain/redact.js';

export interface ExplainTextOptions {
  /** Matches shown in full (default 3); the rest are counted. */
  max?: number;
}

/** Display width: East Asian wide characters count twice. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    w +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6))
        ? 2
        : 1;
  }
  return w;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

function providerName(r: ExplainResult): string {
  const lang = r.lang;
  if (r.provider === 'unknown') return ui('explain.provider.unknown', lang);
  if (r.provider === 's3' && r.server === 'rgw') return ui('explain.provider.s3-rgw', lang);
  if (r.provider === 's3' && r.server === 'minio') return ui('explain.provider.s3-minio', lang);
  return ui(`explain.provider.${r.provider}`, lang);
}

function renderMatch(m: ExplainMatch, heading: string, r: ExplainResult, c: ChalkInstance): string[] {
  const lang = r.lang;
  const lines: string[] = [];
  lines.push(`${c.bold(heading)}: ${c.bold(m.title)}  ${c.dim(`(${ui(`explain.via.${m.via}`, lang)}; ${m.rule})`)}`);
  lines.push(`  ${c.cyan(ui('explain.cause', lang))}: ${m.cause}`);
  if (m.facts_text) lines.push(`  ${c.cyan(ui('explain.facts', lang))}: ${m.facts_text}`);
  if (m.steps.length) {
    lines.push(`  ${c.cyan(ui('explain.steps', lang))}:`);
    m.steps.forEach((s, i) => {
      lines.push(`    ${i + 1}. ${s}`);
    });
  }
  if (m.docs.length) {
    lines.push(`  ${c.cyan(ui('explain.docs', lang))}:`);
    for (const d of m.docs) lines.push(`    ${c.underline(d)}`);
  }
  return lines;
}

export function renderExplainText(r0: ExplainResult, c: ChalkInstance, opts: ExplainTextOptions = {}): string {
  // a pasted answer may hold control characters: shown escaped, never sent to the terminal
  const r = visibleDeep(r0);
  const lang = r.lang;
  const max = opts.max ?? 3;
  const out: string[] = [];
  let provider = ui('explain.provider', lang, { name: providerName(r) });
  if (r.detection.forced) provider += ` ${c.dim(ui('explain.provider.forced', lang))}`;
  out.push(c.bold(provider));

  // the error as read
  const rows: Array<[string, string]> = [];
  const e = r.error;
  if (e.status !== null) rows.push([ui('explain.error.status', lang), String(e.status)]);
  if (e.code) rows.push([ui('explain.error.code', lang), c.yellow(e.code)]);
  if (e.ec) rows.push([ui('explain.error.ec', lang), c.yellow(e.ec)]);
  if (e.message) rows.push([ui('explain.error.message', lang), e.message]);
  if (e.requestId) rows.push([ui('explain.error.request-id', lang), e.requestId]);
  if (e.hostId) rows.push([ui('explain.error.host-id', lang), e.hostId]);
  if (rows.length) {
    out.push(c.bold(ui('explain.error.heading', lang)));
    const w = Math.max(...rows.map(([k]) => width(k)));
    for (const [k, v] of rows) out.push(`  ${pad(k, w)}  ${v}`);
  }
  if (r.clock) {
    const skew = r.clock.skewSeconds;
    const key = Math.abs(skew) <= 1 ? 'explain.clock.same' : skew > 0 ? 'explain.clock.ahead' : 'explain.clock.behind';
    out.push(ui(key, lang, { serverTime: r.clock.serverTime, skew: Math.abs(skew) }));
  }
  if (r.provider === 'unknown' && r.candidates.length > 1) {
    out.push(ui('explain.candidates', lang, { names: r.candidates.map((p) => ui(`explain.provider.${p}`, lang)).join(', ') }));
  }
  if (r.notes.length) {
    out.push(c.bold(ui('explain.note.heading', lang)));
    for (const n of r.notes) out.push(`  - ${ui(n.id, lang, n.facts)}`);
  }
  if (r.input.tolerant) out.push(c.dim(ui('explain.lenient', lang)));
  out.push('');

  if (!r.recognised) {
    out.push(c.red(ui('explain.not-recognised', lang)));
    const generic = r.matches.filter((m) => m.generic);
    if (generic.length && e.code) out.push(ui('explain.not-recognised.generic', lang, { code: e.code }));
    for (const m of generic.slice(0, max)) {
      out.push(...renderMatch(m, ui('explain.match.top', lang), r, c));
      out.push('');
    }
    out.push(c.dim(ui('explain.not-recognised.hint', lang)));
    out.push('');
    if (generic.length > max) out.push(c.dim(ui('explain.more', lang, { count: generic.length - max })));
  } else {
    const shown = r.matches.slice(0, max);
    shown.forEach((m, i) => {
      out.push(...renderMatch(m, ui(i === 0 ? 'explain.match.top' : 'explain.match.other', lang), r, c));
      out.push('');
    });
    if (r.matches.length > max) out.push(c.dim(ui('explain.more', lang, { count: r.matches.length - max })));
  }
  if (r.corsFix) {
    out.push(c.bold(ui('explain.cors-fix', lang, { origin: r.corsFix.origin, applyWith: r.corsFix.applyWith })));
    for (const line of r.corsFix.text.split('\n')) out.push(`  ${line}`);
    out.push('');
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${explainRedactor(r).scrub(out.join('\n'))}\n`;
}
