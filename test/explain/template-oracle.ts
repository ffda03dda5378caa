// The regular expression a knowledge-base message template stands for: what explain matched
// with before the linear template matcher (src/explain/match.ts) replaced it. Kept as the
// oracle the linear matcher is tested against (test/explain/template-matcher.test.ts).
import { decodeEntities, normaliseSpace, squash } from '../../src/explain/text.js';

const PLACEHOLDER = /\{([A-Za-z_][\w.-]*)(?:\|[a-z]+)?\}/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regex source for a KB `message` template: literals escaped, placeholders as lazy
 * wildcards (named captures when the name allows), whitespace flexible (or removed when
 * `squashed`), a final period optional.
 */
export function templateSource(template: string, squashed = false): string {
  let tpl = normaliseSpace(decodeEntities(template));
  if (squashed) tpl = squash(tpl);
  const seen = new Set<string>();
  let out = '';
  let last = 0;
  const lit = (s: string): string => {
    if (squashed) return escapeRe(s);
    return s.split(' ').map(escapeRe).join('\\s+');
  };
  for (const m of tpl.matchAll(PLACEHOLDER)) {
    out += lit(tpl.slice(last, m.index));
    const name = m[1]!;
    if (/^[A-Za-z_]\w*$/.test(name) && !seen.has(name)) {
      seen.add(name);
      out += `(?<${name}>.*?)`;
    } else {
      out += '.*?';
    }
    last = (m.index ?? 0) + m[0].length;
  }
  let tail = tpl.slice(last);
  let dot = '';
  if (tail.endsWith('.')) {
    tail = tail.slice(0, -1);
    dot = '\\.?';
  } else {
    dot = '\\.?';
  }
  out += lit(tail) + dot;
  return `^${out}$`;
}
