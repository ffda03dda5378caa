// Replays every fixture of test/fixtures/fuzz/ (inputs that once broke something) through its
// fuzz target: same properties as the fuzzer, plus the one-second budget.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { target, timed, TARGETS, type FuzzEnv } from './targets.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fuzz');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const env: FuzzEnv = { dir: mkdtempSync(join(tmpdir(), 'pd-fuzz-regress-')) };
afterAll(() => rmSync(env.dir, { recursive: true, force: true }));

describe('fuzz regressions', () => {
  it('has fixtures, each naming a known target', () => {
    expect(files.length).toBeGreaterThan(0);
    const names = TARGETS.map((t) => t.name);
    for (const f of files) expect(names, f).toContain(JSON.parse(readFileSync(join(dir, f), 'utf8')).target);
  });

  for (const f of files) {
    it(f, async () => {
      const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { target: string; input: unknown };
      const ms = await timed(target(fx.target), fx.input, env);
      expect(ms).toBeLessThan(1000);
    });
  }
});
