import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const serveCommand: CommandSpec = {
  name: 'serve',
  description: 'a local sandbox bucket: judges real browser uploads like the provider would, and shows why',
  options: [
    { flags: '--provider <name>', description: 'provider to behave like', choices: o.PROVIDER_CHOICES, default: 's3' },
    { flags: '--port <n>', description: 'port (0 = any free port)', default: '0' },
    { flags: '--host <addr>', description: 'address to bind (loopback by default)', default: '127.0.0.1' },
    { flags: '--bucket <name>', description: 'bucket name the endpoint answers for' },
    o.secretEnv,
    o.secretFile,
    { flags: '--store <dir>', description: 'keep accepted files here (otherwise they are hashed and discarded)' },
    { flags: '--cors-origin <origin...>', description: 'allowed CORS origins (default: none; "*" allows any)' },
    { flags: '--cors-config <path>', description: "the bucket's CORS configuration (as check --cors-config reads it), instead of --cors-origin" },
    o.server,
    { flags: '--max-body <bytes>', description: 'largest request body accepted', default: String(100 * 1024 * 1024) },
    o.now,
    o.lang,
  ],
  help: `
Examples:
  $ AWS_SECRET_ACCESS_KEY=... post-doctor serve --provider s3 --bucket my-bucket --cors-origin http://localhost:5173
  $ COS_SECRET_KEY=... post-doctor serve --provider cos --bucket examplebucket-1250000000 --port 9000`,
  run: async (io, _args, opts) => (await import('../commands/serve.js')).runServe(io, opts),
};
