#!/usr/bin/env node
// `npm run fuzz`: property-based fuzzing of every parser, engine and the CLI end to end.
//
// The targets live in test/fuzz/targets.ts (the in-suite fuzz test runs the same ones with a
// few hundred cases). This script bundles them with esbuild into a temporary directory, runs
// each target in a worker thread with fast-check (default 100,000 cases per target), and
//  - prints the seed (reproduce with --seed N), the cases run and the slowest case per target;
//  - fails a case that throws anything but a located InputError, breaks an output property,
//    or takes longer than --case-ms (1000 ms; confirmed by a second run);
//  - kills a worker whose case runs past --hang-ms (10 s) and reports that input as a hang;
//  - saves every counterexample under test/fixtures/fuzz/ (replayed by
//    test/fuzz/regressions.test.ts) and exits 1.
//
// Usage: node scripts/fuzz.mjs [--seed N] [--cases N] [--target name[,name]] [--jobs N]
//                              [--case-ms N] [--hang-ms N] [--no-save]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(root, 'test', 'fixtures', 'fuzz');

function preview(v, n = 160) {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > n ? `${JSON.stringify(s.slice(0, n))}... (${s.length} chars)` : JSON.stringify(s);
}

// ---------------------------------------------------------------------------
// Worker: run one target.

async function workerMain() {
  const { bundle, target: name, seed, cases, caseMs, dir } = workerData;
  const mod = await import(pathToFileURL(bundle).href);
  const fc = mod.fc;
  const t = mod.target(name);
  const env = { dir };
  let slowest = { ms: 0, input: null };
  let n = 0;
  const property = fc.asyncProperty(t.arb, async (input) => {
    n++;
    // the main thread keeps the current input, to report it if this case hangs
    parentPort.postMessage({ type: 'case', n, input: JSON.stringify(input) });
    let ms = await mod.timed(t, input, env);
    if (ms > caseMs) ms = Math.min(ms, await mod.timed(t, input, env)); // a pause of the machine is not a slow case
    if (ms > slowest.ms) slowest = { ms, input };
    if (ms > caseMs) throw new Error(`case took ${Math.round(ms)} ms (limit ${caseMs} ms)`);
  });
  const started = performance.now();
  const details = await fc.check(property, { numRuns: cases, seed, endOnFailure: false });
  const result = {
    type: 'done',
    target: name,
    what: t.what,
    cases: details.numRuns,
    seconds: (performance.now() - started) / 1000,
    failed: details.failed,
    seed: details.seed,
    path: details.counterexamplePath ?? null,
    counterexample: details.failed && details.counterexample ? details.counterexample[0] : null,
    error: details.failed ? String(details.errorInstance?.stack ?? details.errorInstance ?? details.error ?? 'failed') : null,
    slowest: { ms: slowest.ms, input: slowest.input },
  };
  parentPort.postMessage(result);
}

// ---------------------------------------------------------------------------
// Main thread.

function parseArgs(argv) {
  const o = { seed: Date.now() % 2147483647, cases: 100_000, targets: null, jobs: Math.max(1, Math.min(availableParallelism(), 4)), caseMs: 1000, hangMs: 10_000, save: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (v) => {
      if (!/^\d+$/.test(v)) throw new Error(`${a} must be a whole number (got '${v}')`);
      return Number(v);
    };
    if (a === '--seed') o.seed = num(next());
    else if (a === '--cases') o.cases = num(next());
    else if (a === '--target') o.targets = next().split(',').filter(Boolean);
    else if (a === '--jobs') o.jobs = Math.max(1, num(next()));
    else if (a === '--case-ms') o.caseMs = num(next());
    else if (a === '--hang-ms') o.hangMs = num(next());
    else if (a === '--no-save') o.save = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/fuzz.mjs [--seed N] [--cases N] [--target name[,name]] [--jobs N] [--case-ms N] [--hang-ms N] [--no-save]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function bundleTargets(outDir) {
  if (!existsSync(join(root, 'src', 'generated', 'catalogue.json'))) {
    const { compileRules } = await import(pathToFileURL(join(root, 'scripts', 'compile-rules.mjs')).href);
    compileRules();
  }
  const entry = join(outDir, 'entry.ts');
  writeFileSync(entry, `export * from ${JSON.stringify(join(root, 'test', 'fuzz', 'targets.ts'))};\nexport { default as fc } from 'fast-check';\n`);
  const outfile = join(outDir, 'targets.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    nodePaths: [join(root, 'node_modules')],
    // the network libraries are loaded lazily by commands the fuzzer does not run
    external: ['undici', 'ora'],
    loader: { '.json': 'json' },
    banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
  });
  return outfile;
}

function runTarget(name, opts, bundle, dir) {
  return new Promise((resolve) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { bundle, target: name, seed: opts.seed, cases: opts.cases, caseMs: opts.caseMs, dir: join(dir, name) } });
    let last = null;
    let lastAt = Date.now();
    let settled = false;
    const finish = (r) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      resolve(r);
    };
    /** A failed run's report: the last case started is the counterexample. */
    const failure = (error, slowest = { ms: 0, input: null }) => ({
      target: name,
      cases: last?.n ?? 0,
      failed: true,
      seed: opts.seed,
      path: null,
      counterexample: last ? JSON.parse(last.input) : null,
      error,
      slowest,
    });
    const timer = setInterval(() => {
      if (Date.now() - lastAt > opts.hangMs) {
        void worker.terminate();
        finish(failure(`hang: case ${last?.n ?? '?'} ran for more than ${opts.hangMs} ms`, { ms: Date.now() - lastAt, input: last ? JSON.parse(last.input) : null }));
      }
    }, 250);
    worker.on('message', (m) => {
      if (m.type === 'case') {
        last = m;
        lastAt = Date.now();
      } else if (m.type === 'done') finish(m);
    });
    worker.on('error', (e) => finish(failure(`worker crashed: ${e?.stack ?? e}`)));
    worker.on('exit', (code) => {
      if (!settled) finish(failure(`worker exited with code ${code} (out of memory or stack?)`));
    });
  });
}

function saveCounterexample(r) {
  mkdirSync(FIXTURES, { recursive: true });
  const input = r.counterexample;
  const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 10);
  const file = join(FIXTURES, `${r.target}-${hash}.json`);
  const doc = { target: r.target, found: new Date().toISOString().slice(0, 10), seed: r.seed, path: r.path, error: String(r.error).split('\n').slice(0, 3).join('\n'), input };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(join(tmpdir(), 'post-doctor-fuzz-'));
  let failures = 0;
  try {
    const bundle = await bundleTargets(tmp);
    const mod = await import(pathToFileURL(bundle).href);
    const names = opts.targets ?? mod.TARGETS.map((t) => t.name);
    for (const n of names) mod.target(n); // unknown names fail early
    console.log(`post-doctor fuzz: seed ${opts.seed}, ${opts.cases} cases per target, ${names.length} targets, ${opts.jobs} jobs`);
    console.log(`reproduce: node scripts/fuzz.mjs --seed ${opts.seed} --cases ${opts.cases}${opts.targets ? ` --target ${names.join(',')}` : ''}`);
    const queue = [...names];
    const results = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: Math.min(opts.jobs, names.length) }, async () => {
        while (queue.length) {
          const name = queue.shift();
          const r = await runTarget(name, opts, bundle, tmp);
          results.push(r);
          const slow = r.slowest?.ms ? `slowest ${r.slowest.ms.toFixed(1)} ms` : '';
          if (r.failed) {
            failures++;
            console.log(`FAIL ${name}: after ${r.cases} cases (seed ${r.seed}${r.path ? `, path ${r.path}` : ''})`);
            console.log(`  ${String(r.error).split('\n').slice(0, 6).join('\n  ')}`);
            console.log(`  counterexample: ${preview(r.counterexample, 600)}`);
            if (opts.save && r.counterexample !== null) console.log(`  saved: ${saveCounterexample(r)}`);
          } else {
            console.log(`ok   ${name}: ${r.cases} cases in ${r.seconds.toFixed(1)} s, ${slow}`);
            if (r.slowest?.input !== null) console.log(`     slowest input: ${preview(r.slowest.input)}`);
          }
        }
      }),
    );
    const total = results.reduce((s, r) => s + (r.cases ?? 0), 0);
    const worst = results.filter((r) => r.slowest?.ms).sort((a, b) => b.slowest.ms - a.slowest.ms)[0];
    console.log(`\n${total} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${opts.seed}; ${failures} target(s) failed`);
    if (worst) console.log(`slowest case overall: ${worst.slowest.ms.toFixed(1)} ms (${worst.target})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failures ? 1 : 0);
}

if (isMainThread) {
  main().catch((e) => {
    console.error(`fuzz: ${e?.message ?? e}`);
    process.exit(2);
  });
} else {
  workerMain().catch((e) => {
    parentPort.postMessage({
      type: 'done',
      target: workerData.target,
      cases: 0,
      failed: true,
      seed: workerData.seed,
      path: null,
      counterexample: null,
      error: `worker failed: ${e?.stack ?? e}`,
      slowest: { ms: 0, input: null },
    });
  });
}
