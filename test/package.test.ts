// Package-level promises: version in step, layout, bin shim thin, rules compile.
import { describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
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
    expect(shim.split('\n').length).toBeLessThan(80);
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

  it('a code cache V8 refuses is replaced by one this Node accepts, and the output does not change', () => {
    const cache = join(root, 'dist', 'cli.cjs.cache');
    if (!existsSync(cache)) return; // built by npm test before vitest runs
    const tmp = mkdtempSync(join(tmpdir(), 'pd-code-cache-'));
    try {
      // a copy of the package (bin, the CLI script and its side files)
      cpSync(join(root, 'bin'), join(tmp, 'bin'), { recursive: true });
      mkdirSync(join(tmp, 'dist'));
      for (const f of readdirSync(join(root, 'dist'))) if (f.startsWith('cli.cjs') || f.startsWith('catalogue.')) copyFileSync(join(root, 'dist', f), join(tmp, 'dist', f));
      symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'), 'dir');
      const answer = join(tmp, 'answer.xml');
      writeFileSync(answer, '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>');
      const explain = (bin: string) => spawnSync(process.execPath, [bin, 'explain', answer, '--format', 'json'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      const expected = explain(join(root, 'bin', 'post-doctor.js'));
      // a cache made by another Node looks like this to V8: the right size, other bytes
      const copy = join(tmp, 'dist', 'cli.cjs.cache');
      const refused = Buffer.alloc(readFileSync(cache).length, 7);
      writeFileSync(copy, refused);
      const first = explain(join(tmp, 'bin', 'post-doctor.js'));
      expect([first.status, first.stdout, first.stderr]).toEqual([expected.status, expected.stdout, expected.stderr]);
      expect(readFileSync(copy).equals(refused)).toBe(false);
      expect(readdirSync(join(tmp, 'dist')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const accepted = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(join(tmp, 'bin', 'post-doctor.js'))}).load().script.cachedDataRejected))`], {
        encoding: 'utf8',
      });
      expect(accepted.stdout).toBe('false');
      const second = explain(join(tmp, 'bin', 'post-doctor.js'));
      expect(second.stdout).toBe(expected.stdout);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
