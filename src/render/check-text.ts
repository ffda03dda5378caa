// Text form of a check result: verdict, provider, request summary, findings by severity,
// signature walk-through. Words from rules/ui/check.yaml; colour through the given chalk.
import { visibleDeep } from '../core/visible.js';
import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../check/index.js';
import { predictionWords, ui } from '../core/catalogue.js';
import { formatBytes } from '../core/template.js';
import type { Lang, Severity } from '../core/types.js';
import type { Redactor } from '../core/mask.js';
import { renderedFindings, signatureSteps } from './check-json.js';

export interface TextOptions {
  lang: Lang;
  redactor: Redactor;
  chalk: ChalkInstance;
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

export function renderCheckText(result0: CheckResult, opts: TextOptions): string {
  // inputs' text may hold control characters: shown escaped, never sent to the terminal
  const result = visibleDeep(result0);
  const { lang, chalk: c } = opts;
  const lines: string[] = [];
  const count = (s: Severity): number => result.findings.filter((f) => f.severity === s).length;

  const errors = result.findings.filter((f) => f.severity === 'error');
  const browserOnly = errors.length > 0 && errors.every((f) => f.id.startsWith('cors.'));
  lines.push(result.verdict === 'pass' ? c.green.bold(ui('check.verdict.pass', lang)) : c.red.bold(ui(browserOnly ? 'check.verdict.fail-browser' : 'check.verdict.fail', lang)));
  lines.push(ui('check.summary', lang, { errors: count('error'), warnings: count('warning'), infos: count('info') }));
  lines.push(ui(result.detection.by === 'detected' ? 'check.provider-detected' : 'check.provider', lang, { provider: result.provider }));
  if (result.provider === 's3') lines.push(ui('check.server', lang, { server: result.server }));
  lines.push('');

  // request summary
  const r = result.request;
  const none = ui('check.request.none', lang);
  lines.push(c.bold(ui('check.request', lang)));
  lines.push(`  ${ui('check.request.url', lang)}: ${r.method} ${r.url ?? none}`);
  lines.push(`  ${ui('check.request.bucket', lang)}: ${r.bucket ?? none}`);
  lines.push(`  ${ui('check.request.key', lang)}: ${r.key ?? none}`);
  if (r.file) {
    const size = r.file.size === null ? ui('check.request.size-unknown', lang) : formatBytes(r.file.size, lang);
    const details = [size, r.file.contentType].filter((x): x is string => Boolean(x)).join(', ');
    lines.push(`  ${ui('check.request.file', lang)}: ${r.file.field}=${r.file.name ?? none} (${details})`);
  } else {
    lines.push(`  ${ui('check.request.file', lang)}: ${none}`);
  }
  lines.push(`  ${ui('check.request.fields', lang)}:`);
  if (r.fields.length === 0) lines.push(`    ${none}`);
  for (const [name, value] of r.fields) lines.push(`    ${name}=${oneLine(opts.redactor.scrub(value))}`);
  if (result.policy) {
    const p = result.policy;
    const parts = [p.expiration ? ui('check.policy.expiration', lang, { expiration: p.expiration }) : null, ui('check.policy.conditions', lang, { count: p.conditions.length })];
    lines.push(`  ${ui('check.policy', lang)}: ${parts.filter(Boolean).join(', ')}`);
  }
  lines.push('');

  // findings
  const rendered = renderedFindings(result, lang);
  if (rendered.length === 0) {
    lines.push(ui('check.no-findings', lang));
    lines.push('');
  }
  // consequences are shown under their root cause, not in their own severity group
  const consequence = new Set(result.findings.flatMap((f, i) => (f.causedBy ? [i] : [])));
  const under = rendered.filter((_f, i) => consequence.has(i));
  for (const sev of SEVERITIES) {
    const group = rendered.filter((f, i) => f.severity === sev && !consequence.has(i));
    if (group.length === 0) continue;
    const head = `${ui(`check.severity.${sev}`, lang)} (${group.length})`;
    lines.push(sev === 'error' ? c.red.bold(head) : sev === 'warning' ? c.yellow.bold(head) : c.cyan.bold(head));
    for (const f of group) {
      const mark = sev === 'error' ? c.red('✗') : sev === 'warning' ? c.yellow('!') : c.cyan('i');
      lines.push(`  ${mark} ${c.bold(f.title)} ${c.dim(`[${f.id}]`)}`);
      lines.push(...wrapIndent(f.detail, '    '));
      if (f.field !== undefined) lines.push(`    ${c.dim(ui('check.field', lang, { field: f.field }))}`);
      if (f.predicts) {
        lines.push(`    ${c.magenta(predictionWords(f.predicts, lang))}`);
      }
      if (f.fix.length > 0) {
        lines.push(`    ${ui('check.fix', lang)}`);
        f.fix.forEach((step, i) => {
          lines.push(...wrapIndent(`${i + 1}. ${step}`, '      '));
        });
      }
      const root = result.findings[rendered.indexOf(f)];
      if (root?.causes?.length && under.length) {
        lines.push(`    ${c.bold(ui('check.causes', lang, { count: under.length }))}`);
        for (const u of under) {
          lines.push(`      - ${u.title} ${c.dim(`[${u.id}]`)}`);
          if (u.predicts) lines.push(`        ${c.magenta(predictionWords(u.predicts, lang))}`);
        }
      }
      lines.push('');
    }
  }

  // signature walk-through
  const sig = result.signature;
  if (sig && sig.steps.length > 0) {
    lines.push(c.bold(ui('check.signature', lang, { scheme: sig.scheme ?? '?' })));
    for (const s of signatureSteps(sig)) lines.push(`  ${s.name} = ${oneLine(opts.redactor.scrub(s.value))}`);
    if (sig.ignoredFields?.length) lines.push(`  ${c.yellow(ui('check.signature.ignored', lang, { fields: sig.ignoredFields }))}`);
    if (sig.checked) {
      if (sig.expected !== null) lines.push(`  ${ui('check.signature.expected', lang)} = ${sig.expected}`);
      if (sig.provided !== null) lines.push(`  ${ui('check.signature.provided', lang)} = ${sig.provided}`);
      lines.push(`  ${sig.valid ? c.green(ui('check.signature.valid', lang)) : c.red(ui('check.signature.invalid', lang))}`);
    }
    lines.push('');
  }
  return opts.redactor.scrub(`${lines.join('\n').replace(/\n+$/, '')}\n`);
}

function oneLine(s: string): string {
  const t = s.replace(/\r?\n/g, '\\n');
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

function wrapIndent(text: string, indent: string): string[] {
  return text.split('\n').map((l) => `${indent}${l}`);
}
