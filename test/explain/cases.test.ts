// Runs every test/cases/explain/*.yaml case through the explain engine (format: see
// test/cases/explain/README.md).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { explain } from '../../src/explain/index.js';
import { LANGS, PROVIDER_IDS, type Lang, type ProviderId } from '../../src/core/types.js';

interface Case {
  name: string;
  input: string;
  provider?: ProviderId;
  lang?: Lang;
  now?: string;
  tolerant?: boolean;
  expect: {
    provider?: ProviderId | 'unknown';
    server?: 'aws' | 'rgw';
    rule: string | null;
    recognised?: boolean;
    facts?: Record<string, unknown>;
  };
}

const dir = join(__dirname, '..', 'cases', 'explain');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
  : [];

describe('explain cases', () => {
  it('finds case files in test/cases/explain', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const doc = YAML.parse(readFileSync(join(dir, file), 'utf8')) as { cases?: Case[] };
    const cases = doc?.cases ?? [];
    describe(file, () => {
      it('has cases in the documented format', () => {
        expect(Array.isArray(cases) && cases.length > 0).toBe(true);
        for (const c of cases) {
          expect(typeof c.name, file).toBe('string');
          expect(typeof c.input, c.name).toBe('string');
          expect(c.expect, c.name).toBeTypeOf('object');
          expect(c.expect.rule === null || typeof c.expect.rule === 'string', `${c.name}: expect.rule`).toBe(true);
          if (c.provider !== undefined) expect(PROVIDER_IDS, c.name).toContain(c.provider);
        }
      });
      for (const c of cases) {
        it(c.name, () => {
          const now = c.now ? new Date(c.now) : new Date('2024-01-01T00:00:00Z');
          const r = explain(c.input, { provider: c.provider, lang: c.lang ?? 'en', now });
          const top = r.matches[0];
          const summary = `top=${top?.rule ?? 'none'} provider=${r.provider} recognised=${r.recognised} matches=${r.matches.map((m) => m.rule).join(',')}`;
          if (c.expect.provider !== undefined) expect(r.provider, summary).toBe(c.expect.provider);
          if (c.expect.server !== undefined) expect(r.server, summary).toBe(c.expect.server);
          if (c.expect.rule === null) {
            expect(r.recognised, summary).toBe(false);
          } else {
            expect(top?.rule, summary).toBe(c.expect.rule);
          }
          if (c.expect.recognised !== undefined) expect(r.recognised, summary).toBe(c.expect.recognised);
          if (c.tolerant) expect(r.input.tolerant, `${summary} (expected a lenient reading)`).toBe(true);
          if (c.expect.facts) {
            expect(top, summary).toBeDefined();
            expect(top!.facts, summary).toMatchObject(c.expect.facts);
          }
          // the top explanation reads in every language
          if (top) {
            for (const lang of LANGS) {
              const t = explain(c.input, { provider: c.provider, lang, now }).matches[0]!;
              expect(t.rule).toBe(top.rule);
              expect(t.title.trim(), `${lang} title`).not.toBe('');
              expect(t.cause.trim(), `${lang} cause`).not.toBe('');
              expect(t.steps.length, `${lang} steps`).toBeGreaterThan(0);
              for (const s of t.steps) expect(s.trim(), `${lang} step`).not.toBe('');
            }
          }
        });
      }
    });
  }
});
