// The linear template matcher (src/explain/match.ts) agrees with the regular expression each
// message template stands for (test/explain/template-oracle.ts): same matches, same captures,
// on subjects built from the template's own words, placeholders filled with text that repeats
// them, and on random damage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kbEntries } from '../../src/core/catalogue.js';
import { entryMatcher } from '../../src/explain/match.js';
import { normaliseSpace, squash } from '../../src/explain/text.js';
import { templateSource } from './template-oracle.js';

// variant 0 of an entry with a message and no pattern, and variant 2 (whitespace removed, for
// text copied from PDFs) of every entry with a message, run the template matcher
const templated = kbEntries.filter((e) => e.message);
const PLACEHOLDER = /\{[A-Za-z_][\w.-]*(?:\|[a-z]+)?\}/g;

function regexCaptures(template: string, subject: string, squashed: boolean): Record<string, string> | null {
  const m = new RegExp(templateSource(template, squashed), 'iu').exec(subject);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

describe('linear template matcher = template regex', () => {
  it('has templates to compare', () => {
    expect(templated.length).toBeGreaterThan(100);
    expect(templated.filter((e) => !e.pattern).length).toBeGreaterThan(5);
  });
  it('agrees on filled, damaged and word-repeating subjects', () => {
    const entry = fc.constantFrom(...templated);
    const filler = fc.oneof(fc.constantFrom('', 'x', 'us-east-1', "it's", ' a b ', '.'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(entry, fc.array(filler, { minLength: 6, maxLength: 6 }), fc.nat(3), fc.boolean(), (e, fills, mode, dot) => {
        const template = e.message!;
        const words = template.split(/\s+/);
        let i = 0;
        let subject = template.replace(PLACEHOLDER, () => {
          const f = fills[i++ % fills.length]!;
          // a placeholder filled with the template's own words makes several split points
          return mode === 1 ? `${f} ${words[i % words.length]} ${f}` : f;
        });
        if (mode === 2) subject = subject.slice(0, Math.max(0, subject.length - 3));
        if (mode === 3) subject = subject.toUpperCase();
        if (dot) subject += '.';
        subject = normaliseSpace(subject);
        const squashed = e.pattern !== undefined;
        if (squashed) subject = squash(subject);
        const linear = entryMatcher(e, squashed ? 2 : 0)!.exec(subject);
        expect(linear, `${e.id}: ${JSON.stringify(subject)}`).toEqual(regexCaptures(template, subject, squashed));
      }),
      { numRuns: 3000 },
    );
  });
});
