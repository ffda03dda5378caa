// Text helpers for reading error answers: entity decoding and whitespace normalisation.
// Nothing here allocates at import time beyond two small tables.

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ldquo: '\u201c',
  rdquo: '\u201d',
  lsquo: '\u2018',
  rsquo: '\u2019',
  laquo: '\u00ab',
  raquo: '\u00bb',
  hellip: '\u2026',
  ndash: '\u2013',
  mdash: '\u2014',
  copy: '\u00a9',
  reg: '\u00ae',
  middot: '\u00b7',
  times: '\u00d7',
  sect: '\u00a7',
};

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,8});/g;

/** Decode XML/HTML entities once (`&apos;`, `&quot;`, `&#39;`, `&#x27;`, ...). Unknown names stay. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff) return whole;
      try {
        return String.fromCodePoint(cp);
      } catch {
        return whole;
      }
    }
    const v = NAMED[body] ?? NAMED[body.toLowerCase()];
    return v ?? whole;
  });
}

/** Runs of whitespace (including non-breaking spaces) become one space; trimmed. */
export function normaliseSpace(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** All whitespace removed (for identifiers and for matching PDF-mangled text). */
export function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, '');
}

/** Curly quotes and primes as straight ASCII quotes. */
export function straightenQuotes(s: string): string {
  return s.replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"').replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'");
}
