#!/usr/bin/env node
// Thin shim: everything lives in the bundled CLI, dist/cli.cjs. It is compiled with V8's code
// cache (dist/cli.cjs.cache, made at build time; see scripts/build.mjs), so start-up neither
// parses it nor compiles again what the cache holds. A cache made by another Node is refused by
// V8 and the script is compiled as usual; a fresh cache for this Node is then written in its place
// when the package's folder is writable. (CommonJS: bin/package.json.)
'use strict';
const { accessSync, constants, readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
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
  if (cache && (cachedData === undefined || script.cachedDataRejected)) saveCache(script, `${file}.cache`);
  return { cli: mod.exports, script };
}

/**
 * A cache V8 refused (made by another Node) or missing: write one for this Node, so that the next
 * start is quick. Made before any command runs (it holds compiled code, no data of a run, and V8's
 * flags as they are at start), written whole or not at all, and only where the package's folder
 * is writable: never an error.
 */
function saveCache(script, path) {
  try {
    // (asked first: a folder it cannot write to would cost the cache's making at every start)
    accessSync(dirname(path), constants.W_OK);
  } catch {
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
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
  module.exports = { load, saveCache };
}
