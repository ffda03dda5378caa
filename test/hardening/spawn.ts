// Run the CLI as a separate process and measure its peak memory (max RSS).
// The CLI is bundled from the sources with esbuild into a temporary directory (so the
// measurement is of the code under test, whatever state dist/ is in); an --import hook
// reports the peak resident memory on exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './helpers.js';

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child, in MiB. */
  maxRssMiB: number;
  ms: number;
}

let bundled: { dir: string; cli: string; hook: string } | null = null;

export async function bundleCli(): Promise<{ cli: string; hook: string }> {
  if (bundled) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'pd-cli-bundle-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { run } from ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))};\nrun(process.argv).then((c) => { process.exitCode = c; }, (e) => { process.stderr.write('post-doctor: internal error: ' + (e && e.message) + '\\n'); process.exitCode = 3; });\n`,
  );
  const cli = join(dir, 'cli.mjs');
  await build({
    entryPoints: [entry],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    external: ['undici', 'ora'],
    loader: { '.json': 'json' },
    banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
  });
  const hook = join(dir, 'maxrss.mjs');
  // VmHWM is the peak of this process's own memory; getrusage's maxRSS can carry the peak of
  // the (large) test process it was forked from across exec.
  writeFileSync(
    hook,
    "import { readFileSync } from 'node:fs';\n" +
      "process.on('exit', () => { let kb = process.resourceUsage().maxRSS; try { const m = /VmHWM:\\s*(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8')); if (m) kb = Number(m[1]); } catch {} process.stderr.write(`\\n__maxrss_kb=${kb}\\n`); });\n",
  );
  bundled = { dir, cli, hook };
  return bundled;
}

export function disposeBundle(): void {
  if (bundled) rmSync(bundled.dir, { recursive: true, force: true });
  bundled = null;
}

export async function spawnCli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<SpawnResult> {
  const { cli, hook } = await bundleCli();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, cli, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', LANG: 'C', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.stdin.end(stdin);
    child.on('close', (code) => {
      let stderr = Buffer.concat(err).toString('utf8');
      const m = /\n__maxrss_kb=(\d+)\n$/.exec(stderr);
      const kb = m ? Number(m[1]) : NaN;
      if (m) stderr = stderr.slice(0, m.index);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr, maxRssMiB: kb / 1024, ms: Date.now() - started });
    });
  });
}
