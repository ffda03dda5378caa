// Build: compile rules/ into the catalogue, then bundle the CLI and the library with esbuild.
// Libraries needed only by network commands (undici, ora) stay external and are imported lazily.
import { build } from 'esbuild';
import { compileRules } from './compile-rules.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';

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
  // bundled CommonJS (commander, fast-xml-parser) calls require() for node built-ins
  banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
};
await build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli.js') });
await build({ ...common, entryPoints: [join(root, 'src/api.ts')], outfile: join(root, 'dist/api.js') });
console.error('built dist/cli.js and dist/api.js');
