#!/usr/bin/env node
// Thin shim: everything lives in the bundled CLI.
import { run } from '../dist/cli.js';

// A closed pipe (`post-doctor ... | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`post-doctor: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
