#!/usr/bin/env node
// Thin shim: everything lives in the bundled CLI.
import { run } from '../dist/cli.js';

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`post-doctor: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
