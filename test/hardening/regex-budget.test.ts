// Issue 11: no regular expression that sees input may backtrack polynomially. Every pattern of
// the knowledge base (through the matcher explain runs) and every regex literal in src/ is
// timed against adversarial strings built for its shape (repeated fragments of its own
// literals, long whitespace runs, unclosed delimiters) at 100 KB: each must finish in 100 ms.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { kbEntries } from '../../src/core/catalogue.js';
import { entryMatcher } from '../../src/explain/match.js';
import { adversarialFor } from './regex-shapes.js';
import { ROOT, filesUnder } from './helpers.js';

const SIZE = 100_000;
const BUDGET_MS = 100;

/** Worst time of `run` over the adversarial subjects of `source` (stops early past the budget). */
function worst(source: string, run: (s: string) => unknown): { ms: number; subject: string } {
  let ms = 0;
  let subject = '';
  for (const s of adversarialFor(source, SIZE)) {
    const t = performance.now();
    run(s);
    const d = performance.now() - t;
    if (d > ms) {
      ms = d;
      subject = s.slice(0, 60);
    }
    if (ms > BUDGET_MS * 3) break;
  }
  return { ms, subject };
}

/** Every regular-expression literal and `new RegExp('literal', 'flags')` in a TypeScript file. */
function regexesIn(file: string): Array<{ line: number; re: RegExp }> {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Array<{ line: number; re: RegExp }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const lit = node.text;
      const slash = lit.lastIndexOf('/');
      const flags = lit.slice(slash + 1).replace(/[gy]/g, '');
      out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, re: new RegExp(lit.slice(1, slash), flags) });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [src, flags] = node.arguments ?? [];
      if (src && (ts.isStringLiteral(src) || ts.isNoSubstitutionTemplateLiteral(src))) {
        const f = flags && ts.isStringLiteral(flags) ? flags.text.replace(/[gy]/g, '') : '';
        out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, re: new RegExp(src.text, f) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('regex budget (100 KB adversarial input, 100 ms each)', () => {
  it('every knowledge-base matcher, in every reading explain uses', () => {
    const slow: string[] = [];
    let n = 0;
    for (const e of kbEntries) {
      for (const v of [0, 2] as const) {
        const m = entryMatcher(e, v);
        if (!m) continue;
        n++;
        const w = worst(m.source, (s) => m.exec(s));
        if (w.ms > BUDGET_MS) slow.push(`${e.id} (reading ${v}): ${w.ms.toFixed(0)} ms on ${JSON.stringify(w.subject)}...`);
      }
    }
    expect(n).toBeGreaterThan(150);
    expect(slow).toEqual([]);
  }, 600_000);

  it('every regex literal in src/', () => {
    const files = filesUnder(join(ROOT, 'src'))
      .filter((f) => f.endsWith('.ts') && !f.includes('/generated/'))
      .filter((f) => !process.env.REGEX_FILES || f.includes(process.env.REGEX_FILES));
    const slow: string[] = [];
    let n = 0;
    for (const f of files) {
      for (const { line, re } of regexesIn(f)) {
        n++;
        const w = worst(re.source, (s) => {
          re.lastIndex = 0;
          return re.exec(s);
        });
        if (process.env.REGEX_TRACE) process.stderr.write(`${w.ms.toFixed(1)} ${relative(ROOT, f)}:${line}\n`);
        if (w.ms > BUDGET_MS) slow.push(`${relative(ROOT, f)}:${line} /${re.source}/: ${w.ms.toFixed(0)} ms on ${JSON.stringify(w.subject)}...`);
      }
    }
    expect(n).toBeGreaterThan(200);
    expect(slow).toEqual([]);
  }, 1_200_000);
});
