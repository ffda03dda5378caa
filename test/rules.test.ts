// The knowledge base: valid against its schema, and every error message quoted in the COS seed
// documents is explained by a COS entry (the OSS handbook's messages are cases in test/cases/explain).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: plain ESM build script without types
import { loadRules } from '../scripts/compile-rules.mjs';
import { explain } from '../src/explain/index.js';
import { kbEntries } from '../src/core/catalogue.js';
import { LANGS } from '../src/core/types.js';

const seeds = join(__dirname, '..', '..', 'shared', 'seeds');

describe('rules/', () => {
  it('validates against rules/schema with no duplicate ids', () => {
    const { errors } = loadRules() as { errors: string[] };
    expect(errors).toEqual([]);
  });

  it('has title, cause and steps in every language for every entry', () => {
    for (const e of kbEntries) {
      for (const lang of LANGS) {
        const t = e.text[lang];
        expect(t?.title?.trim().length ?? 0, `${e.id} ${lang}`).toBeGreaterThan(0);
        expect(t?.steps.length, `${e.id} ${lang}`).toBeGreaterThan(0);
      }
    }
  });

  const cosSeeds = (() => {
    try {
      return readdirSync(seeds).filter((f) => /^00[012]_/.test(f));
    } catch {
      return [];
    }
  })();

  // the seeds are in ../shared beside the repository: CI has them, so there their absence fails
  it.runIf(cosSeeds.length > 0 || !!process.env.CI)('explains every <Code>/<Message> pair quoted in the COS seeds', () => {
    expect(cosSeeds.length, `no COS seeds found in ${seeds}`).toBe(3);
    let count = 0;
    for (const f of cosSeeds) {
      const text = readFileSync(join(seeds, f), 'utf8');
      for (const m of text.matchAll(/<Code>([^<]+)<\/Code>\s*<Message>([^<]+)<\/Message>/g)) {
        const r = explain(`<Error><Code>${m[1]}</Code><Message>${m[2]}</Message></Error>`, { provider: 'cos' });
        expect(r.recognised, `${f}: ${m[2]}`).toBe(true);
        const top = r.matches[0];
        expect(top?.rule.startsWith('cos.'), `${f}: ${m[2]} -> ${top?.rule}`).toBe(true);
        expect(top?.generic, `${f}: ${m[2]} -> ${top?.rule}`).toBeFalsy();
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(7 + 7 + 8);
  });
});
