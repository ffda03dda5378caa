// Library errors keep readable class names in the minified bundle (scripts/build.mjs keepNames):
// a caller of dist/api.js sees an InputError, not a one-letter class. Needs the build (npm test
// builds first).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const api = join(root, 'dist', 'api.js');

type ErrorClass = new (message: string, ...rest: unknown[]) => Error;

describe('the bundle keeps class names', () => {
  it('InputError, UsageError and NetworkError of dist/api.js are named as in the sources', async () => {
    expect(existsSync(api), 'dist/api.js is missing: run the build (npm test builds first)').toBe(true);
    const m = (await import(pathToFileURL(api).href)) as Record<string, ErrorClass>;
    for (const name of ['InputError', 'UsageError', 'NetworkError']) {
      const E = m[name]!;
      expect(E.name).toBe(name);
      const e = new E('bad input');
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      expect(e.constructor.name).toBe(name);
      expect(String(e)).toBe(`${name}: bad input`);
      expect(e.stack?.split('\n')[0]).toBe(`${name}: bad input`);
    }
  });
});
