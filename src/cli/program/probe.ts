import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const probeCommand: CommandSpec = {
  name: 'probe',
  description: "read a server's clock (Date header) and report clock skew and round trip; with --origin, send a CORS preflight and explain the answer",
  args: [{ syntax: '<endpoint>', description: 'URL of the bucket or service' }],
  options: [
    { flags: '--timeout <seconds>', description: 'give up after this many seconds', default: '10' },
    { flags: '--origin <url>', description: 'send a CORS preflight (OPTIONS) from this page origin instead, and explain which part was refused' },
    { flags: '--method <method>', description: 'with --origin: the method the page will use (Access-Control-Request-Method)', default: 'POST' },
    { flags: '--header <name...>', description: 'with --origin: request headers the page will set (Access-Control-Request-Headers)' },
    { flags: '--provider <name>', description: 'with --origin: whose CORS rules to explain the answer with (default: from the endpoint)', choices: o.PROVIDER_CHOICES },
    o.format(['text', 'json']),
    o.lang,
  ],
  help: `
Sends one request (HEAD, else GET; with --origin one OPTIONS) to the endpoint and nothing else.
Exit codes: 0 the clock was read or the preflight is allowed, 1 the preflight is refused, 2 bad usage,
3 network failure.

Examples:
  $ post-doctor probe https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/
  $ post-doctor probe https://my-bucket.s3.eu-central-1.amazonaws.com/ --origin https://app.example.com --header x-amz-date
  $ post-doctor probe https://my-bucket.oss-cn-hangzhou.aliyuncs.com/ --origin http://localhost:5173 --method PUT --format json`,
  run: async (io, [endpoint], opts) => (await import('../commands/probe.js')).runProbe(io, endpoint as string, opts),
};
