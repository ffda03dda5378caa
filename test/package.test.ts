// Package-level promises: version in step, layout, bin shim thin, rules compile.
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version.js';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package', () => {
  it('keeps src/version.ts in step with package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('has the published layout', () => {
    for (const p of ['package.json', 'tsconfig.json', 'bin/post-doctor.js', 'src', 'test', 'rules', 'README.md']) {
      expect(existsSync(join(root, p)), p).toBe(true);
    }
    expect(pkg.type).toBe('module');
    expect(pkg.bin['post-doctor']).toBe('bin/post-doctor.js');
  });

  it('has a thin bin shim that only loads the bundle', () => {
    // CommonJS (bin/package.json), so that start-up goes through neither the ESM loader nor a parse
    expect(JSON.parse(readFileSync(join(root, 'bin/package.json'), 'utf8')).type).toBe('commonjs');
    const shim = readFileSync(join(root, 'bin/post-doctor.js'), 'utf8');
    const requires = [...shim.matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]);
    expect(requires.sort()).toEqual(['node:fs', 'node:path', 'node:vm']);
    expect(shim).toContain("join(__dirname, '..', 'dist', 'cli.cjs')");
    expect(shim.split('\n').length).toBeLessThan(50);
  });

  it('the CLI script imports ESM-only packages through the bin (vm.Script has no import() of its own)', () => {
    const script = join(root, 'dist', 'cli.cjs');
    if (!existsSync(script)) return; // built by npm test before vitest runs
    const text = readFileSync(script, 'latin1');
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname, __pd_import) {')).toBe(true);
    expect(text.match(/\bimport\(/g)).toBeNull();
    expect(text).toContain('__pd_import("ora")');
  });

  it('runs exactly the README test command in .ci/run', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
