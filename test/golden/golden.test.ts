// Golden files for the CLI: each test/golden/cases/<name>.json holds
//   {"args": [...], "stdin"?: "...", "env"?: {...}, "exit": N}
// and <name>.out the expected stdout (+ "--- stderr ---" and stderr when non-empty).
// The built CLI (dist/) is run as a user would run it. Regenerate with UPDATE_GOLDEN=1.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dir = join(__dirname, 'cases');
const bin = join(root, 'bin', 'post-doctor.js');

interface GoldenCase {
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  exit: number;
}

const names = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

describe('golden CLI output', () => {
  it('has golden cases', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(name, () => {
      const c = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as GoldenCase;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/SECRET|TOKEN|_KEY$/.test(k)) env[k] = v;
      delete env.FORCE_COLOR;
      Object.assign(env, { NO_COLOR: '1', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, c.env ?? {});
      const r = spawnSync(process.execPath, [bin, ...c.args], {
        cwd: root,
        env,
        input: c.stdin ?? '',
        encoding: 'utf8',
      });
      let out = r.stdout;
      if (r.stderr) out += `--- stderr ---\n${r.stderr}`;
      const file = join(dir, `${name}.out`);
      if (process.env.UPDATE_GOLDEN) {
        writeFileSync(file, out);
        c.exit = r.status ?? -1;
        writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(c, null, 2)}\n`);
      }
      expect(existsSync(file), `${name}.out missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect({ exit: r.status, out }).toEqual({ exit: c.exit, out: readFileSync(file, 'utf8') });
    });
  }
});
