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
          const { readFile } = await import('node:fs/promises');
          const text = await readFile(args.path, 'utf8');
          return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
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
