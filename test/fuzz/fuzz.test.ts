// The in-suite fuzz run: every target of ./targets.ts with a few hundred generated cases
// (`npm run fuzz` runs the same targets with 100,000 cases each). Seed: FUZZ_SEED, else
// random and printed on failure by fast-check. FUZZ_RUNS changes the number of cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { TARGETS, timed, type FuzzEnv } from './targets.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/** A single case may take at most this long (the budget is 1 s; the suite runs in parallel forks). */
const CASE_MS = 1000;

const env: FuzzEnv = { dir: mkdtempSync(join(tmpdir(), 'pd-fuzz-')) };
afterAll(() => rmSync(env.dir, { recursive: true, force: true }));

describe('fuzz: no crash, no hang, only located input errors', () => {
  for (const t of TARGETS) {
    const runs = t.name === 'cli' ? Math.max(50, Math.round(RUNS / 2)) : RUNS;
    it(`${t.name}: ${t.what} (${runs} cases)`, async () => {
      let slowest = 0;
      await fc.assert(
        fc.asyncProperty(t.arb, async (input) => {
          const ms = await timed(t, input, env);
          slowest = Math.max(slowest, ms);
          if (ms > CASE_MS) throw new Error(`case took ${Math.round(ms)} ms (limit ${CASE_MS} ms)`);
        }),
        { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    }, 120_000);
  }
});
