#!/usr/bin/env node
// Thin shim: everything lives in the bundled CLI, dist/cli.cjs. It is compiled with V8's code
// cache (dist/cli.cjs.cache, made at build time; see scripts/build.mjs), so start-up neither
// parses it nor compiles again what the cache holds. A cache made by another Node is refused by
// V8 and the script is compiled as usual. (CommonJS: bin/package.json.)
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

/** The CLI's exports ({ run }), and the compiled script (whose cache scripts/code-cache.cjs writes). */
function load({ cache = true } = {}) {
  const file = join(__dirname, '..', 'dist', 'cli.cjs');
  let cachedData;
  if (cache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // no cache: compiled as any script
    }
  }
  const script = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
  const mod = { exports: {} };
  // the bundle's import() of an ESM-only package (ora) is this module's
  script.runInThisContext()(mod.exports, require, mod, file, dirname(file), (specifier) => import(specifier));
  return { cli: mod.exports, script };
}

if (require.main === module) {
  load()
    .cli.run(process.argv)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`post-doctor: internal error: ${err && err.message ? err.message : String(err)}\n`);
        process.exitCode = 3;
      },
    );
} else {
  module.exports = { load };
}
