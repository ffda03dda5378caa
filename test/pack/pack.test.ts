// The published package, as a user gets it: `npm pack` (which builds through `prepack`) from a
// copy of this checkout, the tarball installed into an empty project with
// `npm install --offline --no-audit --no-fund <tarball>`, then README's and `--help`'s examples
// run from there. Everything is written under one temporary folder.
//
// Offline: a fresh `npm ci` caches the dependencies' tarballs but not their registry metadata,
// which a plain `npm install <tarball>` asks for. The project the tarball is installed into
// therefore gets a package-lock.json naming the runtime dependencies at the versions (and
// integrity) of this repository's own lock, so npm finds everything in the local cache. Only if
// that still fails (a cache that lacks the tarballs) does the install fall back to
// --prefer-offline, and says so.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(__dirname, '..', '..');
const repoPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

// What the checkout copy leaves out: installed or built things, and what packing never reads.
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', '.tmp', 'test', 'bench']);
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !keep.has(k.toLowerCase())) continue;
    if (k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
}

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Runtime dependency closure of this repository's lock, as lock entries with a registry URL. */
function runtimeLockEntries(registry: string): Record<string, Record<string, unknown>> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const pk: Record<string, Record<string, any>> = lock.packages;
  const find = (name: string, from: string): string => {
    let base = from;
    for (;;) {
      const k = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (pk[k]) return k;
      if (!base) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the root'})`);
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  const out: Record<string, Record<string, unknown>> = {};
  const add = (k: string) => {
    if (out[k]) return;
    const e = pk[k]!;
    const name = k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out[k] = { ...e, resolved: e.resolved ?? `${registry}/${name}/-/${name.split('/').pop()}-${e.version}.tgz` };
    for (const d of Object.keys({ ...e.dependencies, ...e.optionalDependencies })) add(find(d, k));
  };
  for (const d of Object.keys(repoPkg.dependencies ?? {})) add(find(d, ''));
  return out;
}

/** Shell words of one example line (quotes, no expansions: lines with expansions are not run). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const NETWORK = new Set(['probe', 'serve', 'preflight']);
/** An example line `post-doctor …` that runs as it is written from `cwd`, without network, or why not. */
function runnable(args: string[], cwd: string): string | null {
  const line = args.join(' ');
  if (/\.\.\.|…|[|<>$`]/.test(line)) return 'placeholder, pipe or expansion';
  if (NETWORK.has(args[0]!) || args.includes('--send') || args.includes('--probe')) return 'network';
  const missing = args.filter((a) => !a.startsWith('-') && /^[\w./-]+\.[A-Za-z0-9]{1,5}$/.test(a) && !existsSync(join(cwd, a)));
  return missing.length ? `no file ${missing.join(', ')}` : null;
}
const stripComment = (l: string) => l.replace(/\s+#\s.*$/, '').trim();

function codeBlocks(section: string): string[] {
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README has no "## ${section}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

let tmp: string;
let checkout: string;
let app: string;
let pkgDir: string;
let bin: string;
let packed: { filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number };
let install: { mode: 'offline' | 'prefer-offline'; code: number; stdout: string; stderr: string };
const t0 = Date.now();

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pd-pack-'));

  // 1. A copy of the checkout to pack from (packing builds into it), its node_modules a folder of
  //    links to this checkout's packages, so nothing is written outside the temporary folder.
  checkout = join(tmp, 'checkout');
  cpSync(root, checkout, { recursive: true, filter: (src) => !NOT_COPIED.has(relative(root, src).split(sep)[0]!) });
  mkdirSync(join(checkout, 'node_modules'));
  for (const e of readdirSync(join(root, 'node_modules'))) {
    if (e !== '.cache') symlinkSync(join(root, 'node_modules', e), join(checkout, 'node_modules', e));
  }

  // 2. npm pack: prepack builds dist/.
  const p = npm(['pack', '--json', '--pack-destination', tmp], checkout);
  if (p.code !== 0) throw new Error(`npm pack failed (${p.code}):\n${p.stderr}\n${p.stdout}`);
  packed = JSON.parse(p.stdout.slice(p.stdout.search(/^\[/m)))[0];
  const tarball = join(tmp, packed.filename);

  // 3. An empty project; the tarball installed into it.
  app = join(tmp, 'app');
  mkdirSync(app);
  const registry = npm(['config', 'get', 'registry'], app).stdout.trim().replace(/\/$/, '') || 'https://registry.npmjs.org';
  const spec = `file:${relative(app, tarball).split(sep).join('/')}`;
  const manifest = { name: 'post-doctor-pack-test', version: '1.0.0', private: true, dependencies: { 'post-doctor': spec } };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  const { dependencies, bin: pkgBin, engines, license, version } = repoPkg;
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': manifest, 'node_modules/post-doctor': { version, resolved: spec, license, dependencies, bin: pkgBin, engines }, ...runtimeLockEntries(registry) },
  };
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const args = ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball];
  let r = npm(['--offline', ...args], app);
  install = { mode: 'offline', ...r };
  if (r.code !== 0 && /ENOTCACHED/.test(r.stderr)) {
    console.warn(`post-doctor pack test: the offline install failed (${r.stderr.split('\n')[0]}); falling back to --prefer-offline`);
    r = npm(['--prefer-offline', ...args], app);
    install = { mode: 'prefer-offline', ...r };
  }
  if (r.code !== 0) throw new Error(`npm install (${install.mode}) failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  pkgDir = join(app, 'node_modules', 'post-doctor');
  bin = join(app, 'node_modules', '.bin', 'post-doctor');
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmp, LANG: 'C.UTF-8', NO_COLOR: '1', ...env }, timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('npm pack', () => {
  test('ships the built CLI, the library, examples, docs and the licence, and nothing else', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/post-doctor.js',
      'bin/package.json',
      'dist/cli.cjs',
      'dist/cli.cjs.cache',
      'dist/api.js',
      'dist/catalogue.en.json',
      'dist/catalogue.ja.json',
      'dist/catalogue.zh.json',
      'dist/types/api.d.ts',
      'examples/README.md',
      'examples/cos/sample2-metadata-acl.http',
      'docs/ci.md',
      'docs/action.md',
    ]) {
      expect(files, f).toContain(f);
    }
    // rules/ is compiled into dist/ at build time and never read at run time
    expect(files.filter((f) => /^(rules|src|test|scripts|bench|\.ci|node_modules)\//.test(f) || /(^|\/)binding\.gyp$/.test(f))).toEqual([]);
    expect(packed.unpackedSize).toBeLessThan(5 * 1024 * 1024);
  });

  test('every relative link of the packaged Markdown resolves inside the package', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const md of [...files].filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(pkgDir, md), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        expect(files, `${md} links to ${target}`).toContain(
          normalize(join(dirname(md), target))
            .split(sep)
            .join('/'),
        );
      }
    }
  });

  test('package metadata: licence file, repository, homepage, bugs; no install-time scripts', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(pkgDir, 'LICENSE'), 'utf8')).toMatch(/^MIT License[\s\S]*post-doctor contributors/);
    expect(pkg.repository.url).toContain('github.com/post-doctor/post-doctor');
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/post-doctor\/post-doctor/);
    expect(pkg.bugs.url).toBe('https://github.com/post-doctor/post-doctor/issues');
    expect(Object.keys(pkg.scripts ?? {}).filter((s) => INSTALL_SCRIPTS.includes(s))).toEqual([]);
    expect(pkg.scripts.prepack).toBeDefined(); // the build runs before packing, on the publisher's side
  });
});

describe('npm install <tarball>', () => {
  test('installs without running any script of the package', () => {
    const out = `${install.stdout}\n${install.stderr}`;
    // --foreground-scripts prints a "> name@version event" line for every script npm runs
    expect(out).not.toMatch(/^> \S+@\S+ (preinstall|install|postinstall|prepare)\b/m);
    expect(out).not.toMatch(/install-scripts|gyp/);
    const ls = npm(['install-scripts', 'ls', '--json'], app);
    if (ls.code === 0) expect(JSON.parse(ls.stdout).allowScripts ?? []).toEqual([]); // npm 11.19+
    expect(existsSync(bin)).toBe(true);
  });

  test('the CLI and the library load from the installed package', () => {
    expect(cli(['--version'], app).stdout.trim()).toBe(repoPkg.version);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('post-doctor'); console.log(Object.keys(m).sort().join(','))"], { cwd: app, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split(',')).toEqual(expect.arrayContaining(['check', 'explain', 'sign', 'preflight', 'toSarif']));
    expect(existsSync(join(pkgDir, repoPkg.types))).toBe(true);
  });

  test("README's Install examples run in the project", () => {
    const lines = codeBlocks('Install')
      .flatMap((b) => b.split('\n'))
      .map(stripComment)
      .filter((l) => l.startsWith('npx post-doctor '));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      const args = words(l).slice(2);
      expect(runnable(args, app), l).toBeNull();
      const r = cli(args, app);
      expect([0, 1], `${l}\n${r.stderr}`).toContain(r.code);
      expect(r.stdout.length, l).toBeGreaterThan(0);
      if (args.some((a) => a.includes('sample2-metadata-acl'))) expect(r.stdout).toContain('FAIL');
    }
  });

  test("README's set-up check, Usage examples and every command's --help examples run from the package", () => {
    const setUp = codeBlocks('Set-up')[0]!.split('\n')[0]!;
    const m = setUp.match(/^npm ci && npm run build && node bin\/post-doctor\.js (.+)$/);
    expect(m, setUp).not.toBeNull();
    const examples: string[] = [`post-doctor ${m![1]}`];
    examples.push(
      ...codeBlocks('Usage')
        .flatMap((b) => b.split('\n'))
        .map(stripComment)
        .filter((l) => l.startsWith('post-doctor ')),
    );
    for (const c of ['explain', 'check', 'sign', 'replay', 'probe', 'serve', 'preflight']) {
      const h = cli([c, '--help'], pkgDir);
      expect(h.code, c).toBe(0);
      examples.push(...[...h.stdout.matchAll(/^\s+\$ (post-doctor .*)$/gm)].map((x) => stripComment(x[1]!)));
    }
    const ran: string[] = [];
    const skipped: string[] = [];
    for (const l of examples) {
      const args = words(l).slice(1);
      const why = runnable(args, pkgDir);
      if (why) {
        skipped.push(`${l}  (${why})`);
        continue;
      }
      const r = cli(args, pkgDir);
      expect([0, 1], `${l}\n${r.stderr}`).toContain(r.code);
      expect(r.stdout.length, l).toBeGreaterThan(0);
      expect(r.stderr, l).not.toMatch(/internal error/);
      ran.push(l);
    }
    // every example that names a shipped example file runs as written
    const withExamples = examples.filter((l) => /\bexamples\//.test(l));
    expect(withExamples.length).toBeGreaterThanOrEqual(2);
    for (const l of withExamples) expect(ran, l).toContain(l);
    expect(ran.length, skipped.join('\n')).toBeGreaterThanOrEqual(6);
    console.log(`examples run from the package (${ran.length}):\n  ${ran.join('\n  ')}\nnot run (${skipped.length}):\n  ${skipped.join('\n  ')}`);
    // the set-up example finds sample 2's real mistake
    const s2 = cli(words(examples[0]!).slice(1), pkgDir);
    expect(s2.code).toBe(1);
    expect(s2.stdout).toMatch(/bucket/i);
  });

  test('Japanese and Chinese text ship too', () => {
    const ja = cli(['explain', '0006-00000213', '--lang', 'ja'], app);
    expect(ja.code).toBe(0);
    expect(ja.stdout).toMatch(/[\u3040-\u30ff]/);
    const zh = cli(['explain', '0006-00000213', '--lang', 'zh'], app);
    expect(zh.stdout).toMatch(/[\u4e00-\u9fff]/);
  });

  test('report: install mode and timing', () => {
    console.log(
      `post-doctor pack test: ${packed.filename} ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.files.length} files; install ${install.mode}; ${((Date.now() - t0) / 1000).toFixed(1)} s so far`,
    );
    expect(['offline', 'prefer-offline']).toContain(install.mode);
  });
});
