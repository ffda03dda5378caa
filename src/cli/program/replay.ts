import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const replayCommand: CommandSpec = {
  name: 'replay',
  description: 'send the upload for real (only with --send), stream the file, and explain the answer',
  args: [{ syntax: '[input]', description: 'capture file (raw HTTP, HAR, curl, fetch, JSON), or "-" for stdin' }],
  options: [
    { flags: '--send', description: 'really send it (without it: print exactly what would be sent, send nothing)' },
    o.endpoint,
    { flags: '--resign', description: 'refresh expiration, key time / date and signature (secret required), keeping every condition' },
    { flags: '--timeout <seconds>', description: 'give up after this many seconds', default: '60' },
    o.file,
    o.entry,
    o.provider,
    o.server,
    o.endpointStyle,
    o.secretEnv,
    o.secretFile,
    o.format(['text', 'json']),
    o.lang,
    o.now,
  ],
  help: `
Exit codes: 0 the upload succeeded, 1 the server refused it, 2 bad input, 3 network failure.
Redirects are reported, never followed; no retries. Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.

Examples:
  $ post-doctor replay capture.http                     # show what would be sent
  $ post-doctor replay capture.http --send --file photo.jpg
  $ AWS_SECRET_ACCESS_KEY=... post-doctor replay form.json --send --resign --endpoint http://127.0.0.1:7480/bucket`,
  run: async (io, [input], opts) => (await import('../commands/replay.js')).runReplay(io, input as string | undefined, opts),
};
