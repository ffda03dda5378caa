// Writes dist/cli.cjs.cache, V8's code cache of the CLI script (see scripts/build.mjs and
// bin/post-doctor.js): compiles the script as the bin does, runs a few commands on bundled
// examples with their output discarded, so that the cache holds what those commands compile,
// then checks that a fresh compile accepts the cache. Run by the build, in a process of its own
// (the cache records V8's flags: this one has Node's defaults, as the CLI has).
'use strict';
const { mkdtempSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const { load, saveCache } = require(join(root, 'bin', 'post-doctor.js'));

// A documented COS answer (rules/kb/cos), an OSS one, a bare code, and SDK prose.
const ANSWERS = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "examplebucket-1250000000"]</Message>\n  <RequestId>NWQ2NzgxMzZfMmViMDJhMDlfY2NjOF84NGQz</RequestId>\n</Error>\n',
  'HTTP/1.1 403 Forbidden\r\nServer: AliyunOSS\r\nContent-Type: application/xml\r\n\r\n<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n</Error>\n',
  'EntityTooLarge',
  'Error: AccessDenied: Invalid according to Policy: Policy expired.',
];
const CHECKS = [
  ['examples/cos/sample1-simple.http', '--now', '2019-08-29T08:00:00Z'],
  ['examples/oss/postobject-v1.har', '--now', '2026-01-01T00:00:00Z'],
  ['examples/oss/postobject-v1.json', '--now', '2026-01-01T00:00:00Z', '--format', 'json'],
];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-code-cache-'));
  try {
    const { cli, script } = load({ cache: false });
    const io = {
      stdout() {},
      stderr() {},
      isTTY: false,
      stdinIsTTY: true,
      readStdin: async () => Buffer.alloc(0),
      env: { PATH: process.env.PATH ?? '' },
      cwd: root,
    };
    const runs = [];
    ANSWERS.forEach((text, i) => {
      const file = join(dir, `answer-${i}.txt`);
      writeFileSync(file, text);
      runs.push(['explain', file]);
    });
    for (const args of CHECKS) runs.push(['check', ...args]);
    for (const args of runs) {
      const code = await cli.run(['node', 'post-doctor', ...args], io);
      if (code !== 0 && code !== 1) throw new Error(`post-doctor ${args.join(' ')} exited ${code}`);
    }
    const file = join(root, 'dist', 'cli.cjs.cache');
    saveCache(script, file);
    if (load().script.cachedDataRejected !== false) throw new Error('V8 refuses the code cache it just made (or it was not written)');
    console.error(`code cache: ${(statSync(file).size / 1024).toFixed(0)} KiB after ${runs.length} runs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`code cache: ${e.stack ?? e}`);
  process.exitCode = 1;
});
