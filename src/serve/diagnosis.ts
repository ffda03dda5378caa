// One diagnosis per request: what came in, what the sandbox bucket answered and why,
// with every finding rendered in the chosen language and every secret masked.
import { renderFinding, ui } from '../core/catalogue.js';
import type { Redactor } from '../core/mask.js';
import type { Finding, Lang, ProviderId } from '../core/types.js';

export interface DiagnosisFinding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail: string;
  fix: string[];
  field: string | null;
  /** The answer this finding leads to, when it names one, and its knowledge-base entry. */
  answer: { rule: string; status: number; code: string; message: string } | null;
}

export interface Diagnosis {
  id: number;
  time: string;
  provider: ProviderId;
  method: string;
  path: string;
  origin: string | null;
  kind: 'upload' | 'preflight' | 'other';
  verdict: 'accepted' | 'refused' | 'allowed';
  status: number;
  code: string | null;
  message: string | null;
  requestId: string;
  /** Finding id that decided the answer (null for a success). */
  cause: string | null;
  key: string | null;
  file: { field: string; name: string | null; size: number | null; contentType: string | null } | null;
  etag: string | null;
  stored: string | null;
  findings: DiagnosisFinding[];
}

export function renderFindings(findings: readonly Finding[], lang: Lang, redactor: Redactor): DiagnosisFinding[] {
  return findings.map((f) => {
    let r;
    try {
      r = renderFinding(f, lang);
    } catch {
      r = renderFinding({ id: 'serve.internal-error', severity: 'error', facts: { message: `no catalogue entry for ${f.id}` }, predicts: null }, lang);
    }
    const out: DiagnosisFinding = {
      id: r.id,
      severity: r.severity,
      title: r.title,
      detail: r.detail,
      fix: r.fix,
      field: r.field ?? null,
      answer: r.predicts ? { rule: r.predicts.rule, status: r.predicts.status, code: r.predicts.code, message: r.predicts.message } : null,
    };
    return redactor.scrubDeep(out);
  });
}

/** The terminal form of a diagnosis: one headline, then the cause and its fix steps. */
export function terminalLines(d: Diagnosis, lang: Lang): string[] {
  const from = d.origin ? ` ${ui('serve.line.from', lang, { origin: d.origin })}` : '';
  const head = `#${d.id} ${d.method} ${d.path}${from} -> ${d.status}`;
  if (d.verdict === 'allowed') return [`${head} ${ui('serve.line.preflight-allowed', lang, { origin: d.origin ?? '' })}`];
  if (d.verdict === 'accepted') {
    const lines = [`${head} ${ui('serve.line.accepted', lang, { key: d.key ?? '', size: d.file?.size ?? 0, etag: d.etag ?? '' })}`];
    for (const f of d.findings) if (f.severity !== 'info') lines.push(`    ${f.severity === 'error' ? '✗' : '!'} ${f.title}`);
    return lines;
  }
  const msg = d.message ? `: ${d.message}` : '';
  const lines = [`${head} ${d.code ?? ''}${msg}`];
  const cause = d.findings.find((f) => f.id === d.cause) ?? d.findings.find((f) => f.severity === 'error');
  if (cause) {
    lines.push(`    ${ui('serve.line.cause', lang, { title: cause.title })}`);
    for (const step of cause.fix) lines.push(`      ${ui('serve.line.fix', lang, { step })}`);
  }
  for (const f of d.findings) {
    if (f === cause || f.severity === 'info') continue;
    lines.push(`    ${f.severity === 'error' ? '✗' : '!'} ${f.title}`);
  }
  return lines;
}
