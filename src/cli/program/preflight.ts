import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const preflightCommand: CommandSpec = {
  name: 'preflight',
  description: "ask your application's signing endpoint for an upload form, build a test upload that fits it, and check it",
  options: [
    { flags: '--signer-url <url>', description: 'URL of your signing endpoint' },
    { flags: '--method <method>', description: 'HTTP method for --signer-url', choices: ['GET', 'POST'], default: 'GET' },
    { flags: '--body <json>', description: 'JSON body for --signer-url' },
    { flags: '--header <header...>', description: 'extra header "Name: value" for --signer-url' },
    { flags: '--signer-cmd <command>', description: 'a command that prints the signer answer on stdout' },
    { flags: '--fields-path <path>', description: 'JSON path to the form fields in the answer (e.g. data.form.fields)' },
    o.provider,
    o.secretEnv,
    o.secretFile,
    { flags: '--send', description: 'also send the test upload' },
    { flags: '--endpoint <url>', description: 'send to this URL instead of the one in the answer' },
    o.server,
    o.now,
    o.lang,
    o.format(['text', 'json', 'sarif', 'github']),
    o.failOn,
    o.redact,
  ],
  help: `
Sends nothing to the bucket unless --send; --signer-url sends one request to your signer.

Examples:
  $ post-doctor preflight --signer-url http://localhost:3000/api/upload-policy
  $ post-doctor preflight --signer-url https://api.example.com/sign --method POST --body '{"filename":"a.png"}' --header "Authorization: Bearer $TOKEN"
  $ post-doctor preflight --signer-cmd "node scripts/sign.js" --fields-path data.form --format sarif > preflight.sarif`,
  run: async (io, _args, opts) => (await import('../commands/preflight.js')).runPreflight(io, opts),
};
