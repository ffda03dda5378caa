import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const checkCommand: CommandSpec = {
  name: 'check',
  description: 'dry-run a POST upload (raw HTTP, HAR, "Copy as cURL / fetch / PowerShell", Postman or JSON form) and predict what the server answers',
  args: [{ syntax: '[input]', description: 'capture file, or "-" for stdin (default: stdin when piped)' }],
  options: [
    ...o.reportOptions,
    { flags: '--server-time <time>', description: "the server's clock (ISO 8601 or an HTTP Date), for clock-skew checks" },
    o.secretEnv,
    o.secretFile,
    o.file,
    o.entry,
    o.server,
    o.endpointStyle,
    { flags: '--public-key <path>', description: 'GCS RSA forms: the service account public key or certificate (PEM) to verify with' },
    { flags: '--probe <endpoint>', description: "first read the server's clock from this endpoint (sends one HEAD/GET request)" },
    {
      flags: '--cors-config <path>',
      description: "the bucket's CORS configuration (aws s3api get-bucket-cors JSON, CORSConfiguration XML of S3/COS/OSS/OBS, TOS or GCS cors JSON): judge what the browser allows",
    },
    { flags: '--origin <url>', description: "with --cors-config: the page's origin (default: the capture's Origin header, else its Referer's origin)" },
  ],
  help: `
Secrets come from the environment (COS_SECRET_KEY, OSS_ACCESS_KEY_SECRET, AWS_SECRET_ACCESS_KEY,
GCS_HMAC_SECRET, OBS_SECRET_ACCESS_KEY, TOS_SECRET_KEY), --secret-env NAME or --secret-file PATH.
They are never printed.

Examples:
  $ post-doctor check examples/cos/sample1-simple.http --now 2019-08-29T08:00:00Z
  $ COS_SECRET_KEY=... post-doctor check upload.har --entry 2
  $ post-doctor check form.json --format json
  $ post-doctor check upload.har --cors-config cors.json --origin https://app.example.com`,
  run: async (io, [input], opts) => (await import('../commands/check.js')).runCheck(io, input as string | undefined, opts),
};
