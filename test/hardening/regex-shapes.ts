// Adversarial strings for a regular expression, built from its own shape: repeated fragments of
// its literals, long whitespace runs, unclosed delimiters. Used by the regex budget test and the
// fuzz target: a pattern that backtracks polynomially takes seconds on one of these at 100 KB.

/** The literal runs of a regex source (escapes resolved, classes and syntax dropped). */
export function literalRuns(src: string): string[] {
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      i++;
      if (/[A-Za-z0-9]/.test(d)) {
        end();
        if (d === 's') run += ' ';
        if ('pPuxk'.includes(d)) {
          const arg = /^(\{[^}]*\}|<[^>]*>|[0-9a-fA-F]{2,4})/.exec(src.slice(i + 1));
          if (arg) i += arg[0].length;
        }
        end();
      } else {
        run += d;
      }
      continue;
    }
    if (c === '[') {
      end();
      // the class's first plain member stands for it
      let j = i + 1;
      if (src[j] === '^') j++;
      const first = src[j] === '\\' ? src[j + 1] : src[j];
      if (first && /[\w ,.:;/$-]/.test(first)) runs.push(first);
      while (i < src.length && src[i] !== ']') {
        if (src[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') {
      end();
      const g = /^\(\?(?:<[A-Za-z_]\w*>|[:=!]|<[=!])/.exec(src.slice(i));
      if (g) i += g[0].length - 1;
      continue;
    }
    if (c === '{') {
      const q = /^\{\d*,?\d*\}/.exec(src.slice(i));
      if (q) {
        end();
        i += q[0].length - 1;
        continue;
      }
    }
    if (')|^$.*+?'.includes(c)) {
      end();
      continue;
    }
    run += c;
  }
  end();
  return runs;
}

/** Repeat `unit` to about `size` characters. */
export function repeatTo(unit: string, size: number): string {
  if (!unit) return '';
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length))).slice(0, size);
}

/** Adversarial subjects of about `size` characters for a regex source. */
export function adversarialFor(src: string, size = 100_000): string[] {
  const runs = literalRuns(src)
    .filter((r) => r.length > 0)
    .slice(0, 8);
  const joined = runs.join(' ');
  const out = new Set<string>();
  const head = runs[0] ?? '';
  const fillers = [' ', '\n', 'a', 'A1', '"', "'", ',', '<', '{', '\\', '.', '0'];
  for (const f of fillers) {
    out.add(repeatTo(f, size));
    if (head) out.add(`${head + repeatTo(f, size - head.length)}\u0001`);
  }
  for (const r of runs) {
    out.add(repeatTo(`${r} `, size));
    out.add(head + repeatTo(r, size));
  }
  // every pair of consecutive literals repeated: quantifiers between them get many split points
  for (let i = 0; i + 1 < runs.length; i++) out.add(head + repeatTo(`${runs[i]}${runs[i + 1]} `, size));
  out.add(repeatTo(`${joined} `, size));
  out.add(repeatTo(joined.replace(/\s+/g, ''), size));
  return [...out].filter((s) => s.length > 0);
}
