// GitHub Actions workflow commands: one annotation per finding,
//   ::error file=<input>,title=<title>::<detail> — predicts <status> <code>: <message>
// Escaping follows the runner: in data % CR LF; in properties also ":" and ",".
import { visibleControls } from '../core/visible.js';
import type { CheckResult } from '../check/index.js';
import { predictionWords, renderFinding, ui } from '../core/catalogue.js';
import { Redactor } from '../core/mask.js';
import type { Lang, Severity } from '../core/types.js';
import type { ExplainResult } from '../explain/index.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type GithubLevel = 'error' | 'warning' | 'notice';

export function githubLevel(s: Severity): GithubLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

/** One workflow command line (with its newline). */
export function workflowCommand(level: GithubLevel, props: Array<[string, string | number | undefined | null]>, message: string): string {
  const p = props.filter((x): x is [string, string | number] => x[1] !== undefined && x[1] !== null && x[1] !== '').map(([k, v]) => `${k}=${escapeProperty(visibleControls(String(v)))}`);
  return `::${level}${p.length ? ` ${p.join(',')}` : ''}::${escapeData(visibleControls(message.replace(/\r\n/g, '\n')))}\n`;
}

export interface GithubOptions {
  lang?: Lang;
  redactor?: Redactor;
  /** The input file, as the annotation's file= (omitted when null). */
  file?: string | null;
}

/** Annotations for a check result: one per finding, in the result's order. */
export function checkToGithub(result: CheckResult, opts: GithubOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const red = opts.redactor ?? new Redactor();
  let out = '';
  for (const f of result.findings) {
    const r = renderFinding(f, lang);
    let msg = r.detail;
    if (r.predicts) msg += ` — ${predictionWords(r.predicts, lang, 'report.github.predicts')}`;
    out += workflowCommand(
      githubLevel(r.severity),
      [
        ['file', opts.file ?? null],
        ['title', red.scrub(r.title)],
      ],
      red.scrub(msg),
    );
  }
  return out;
}

/** Annotations for an explained answer: the best match, or a warning when not recognised. */
export function explainToGithub(result: ExplainResult, opts: GithubOptions = {}): string {
  const lang = opts.lang ?? result.lang;
  const red = opts.redactor ?? new Redactor();
  const m = result.matches[0];
  if (!result.recognised || !m) return workflowCommand('warning', [['file', opts.file ?? null]], ui('report.github.not-recognised', lang));
  const title = ui('report.explain.title', lang, { status: m.status ?? result.error.status ?? '', code: m.code ?? result.error.code ?? '', title: m.title }).trim();
  const msg = [m.cause, m.facts_text].filter((x): x is string => Boolean(x)).join(' ');
  return workflowCommand(
    'error',
    [
      ['file', opts.file ?? null],
      ['title', red.scrub(title)],
    ],
    red.scrub(msg),
  );
}
