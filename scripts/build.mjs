// Build: compile rules/ into the catalogue, then bundle the CLI and the library with esbuild.
// Libraries needed only by network commands (undici, ora) stay external and are imported lazily.
import { build } from 'esbuild';
import { compileRules } from './compile-rules.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogue = compileRules();
console.error(`rules: ${catalogue.kb.length} knowledge-base entries, ${catalogue.findings.length} findings`);

rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['undici', 'ora', 'busboy'],
  // JSON is emitted as JSON.parse("...") which V8 parses faster than an object literal.
  loader: { '.json': 'json' },
  plugins: [
    {
      // The catalogue is large: JSON.parse of one string is much faster for V8 than an object literal.
      name: 'catalogue-as-json-parse',
      setup(b) {
        b.onLoad({ filter: /generated[\\/]catalogue\.json$/ }, async (args) => {
          const { readFile, writeFile, mkdir } = await import('node:fs/promises');
          const full = JSON.parse(await readFile(args.path, 'utf8'));
          const en = (e) => ({ ...e, text: { en: e.text.en } });
          // Pre-compute each entry's match anchor (the literal its message must contain) with the
          // engine's own function, so the first explain does not parse 200 patterns.
          const tmp = join(root, 'node_modules', '.cache', 'post-doctor-build', 'match.mjs');
          await build({ entryPoints: [join(root, 'src/explain/match.ts')], bundle: true, platform: 'node', format: 'esm', outfile: tmp, logLevel: 'warning' });
          const { entryAnchor } = await import(`${tmp}?t=${Date.now()}`);
          for (const e of full.kb) e.anchor = entryAnchor(e);
          const embedded = {
            kb: full.kb.map(en),
            findings: full.findings.map(en),
            ui: Object.fromEntries(Object.entries(full.ui).map(([k, v]) => [k, { en: v.en }])),
          };
          await mkdir(join(root, 'dist'), { recursive: true });
          for (const lang of ['ja', 'zh']) {
            const pack = { kb: {}, findings: {}, ui: {} };
            for (const e of full.kb) if (e.text[lang]) pack.kb[e.id] = e.text[lang];
            for (const e of full.findings) if (e.text[lang]) pack.findings[e.id] = e.text[lang];
            for (const [k, v] of Object.entries(full.ui)) if (v[lang]) pack.ui[k] = v[lang];
            await writeFile(join(root, 'dist', `catalogue.${lang}.json`), JSON.stringify(pack));
          }
          // English is read from a side file too: a large string literal costs V8 compile time.
          await writeFile(join(root, 'dist', 'catalogue.en.json'), JSON.stringify(embedded));
          const contents = [
            "import { existsSync, readFileSync } from 'node:fs';",
            "import { fileURLToPath } from 'node:url';",
            "const at = ['./catalogue.en.json', '../catalogue.en.json'].map((r) => fileURLToPath(new URL(r, import.meta.url))).find((p) => existsSync(p));",
            "export default JSON.parse(readFileSync(at, 'utf8'));",
          ].join('\n');
          return { contents, loader: 'js' };
        });
      },
    },
  ],
  // bundled CommonJS (commander, fast-xml-parser) calls require() for node built-ins
  banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
};
// One build, two entry points; code split so each command loads only its own chunks.
await build({
  ...common,
  entryPoints: { cli: join(root, 'src/cli/main.ts'), api: join(root, 'src/api.ts') },
  outdir: join(root, 'dist'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// Type declarations of the library (package.json "types": dist/types/api.d.ts), from tsconfig.build.json.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
console.error('built dist/cli.js, dist/api.js and dist/types/api.d.ts');
