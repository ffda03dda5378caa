import * as o from './options.js';
import type { CommandSpec } from './types.js';

export const signCommand: CommandSpec = {
  name: 'sign',
  description: 'produce a correctly signed POST upload form, to compare against yours',
  options: [
    { flags: '--provider <name>', description: 'provider', choices: o.PROVIDER_CHOICES, mandatory: true },
    { flags: '--bucket <name>', description: 'bucket (COS: <bucket>-<appid>)', mandatory: true },
    { flags: '--region <region>', description: 'region (COS ap-beijing, OSS cn-hangzhou, S3 us-east-1, OBS cn-north-4, TOS cn-beijing; GCS: auto)' },
    { flags: '--key <key>', description: 'exact object key (may contain ${filename})' },
    { flags: '--key-prefix <prefix>', description: 'allow any key starting with this prefix' },
    { flags: '--expires <when>', description: 'validity: a duration (30m, 1h, 2d) or an ISO 8601 time', default: '1h' },
    { flags: '--min-size <bytes>', description: 'content-length-range minimum' },
    { flags: '--max-size <bytes>', description: 'content-length-range maximum' },
    { flags: '--content-type-prefix <prefix>', description: 'Content-Type must start with this' },
    { flags: '--field <name=value...>', description: 'extra form field, also added to the policy as an exact condition' },
    { flags: '--signature-version <v>', description: 'OSS: v1|v4, S3: v4|v2, OBS: obs|v2|v4 (default: v4 where there is a choice, OBS: obs)' },
    { flags: '--access-key <id>', description: 'access key id (or --access-key-env)' },
    { flags: '--access-key-env <name>', description: 'read the access key id from this environment variable' },
    o.secretEnv,
    o.secretFile,
    { flags: '--token-env <name>', description: 'read a temporary security token from this environment variable' },
    { flags: '--endpoint <url>', description: 'upload URL, instead of the provider default' },
    o.format(['json', 'curl', 'html'], 'json'),
    o.now,
  ],
  help: `
Examples:
  $ COS_SECRET_KEY=... post-doctor sign --provider cos --bucket examplebucket-1250000000 --region ap-beijing --access-key AKID... --key-prefix uploads/
  $ AWS_SECRET_ACCESS_KEY=... post-doctor sign --provider s3 --bucket my-bucket --region eu-central-1 --access-key AKIA... --key 'uploads/\${filename}' --format html > form.html
  $ TOS_SECRET_KEY=... post-doctor sign --provider tos --bucket my-bucket --region cn-beijing --access-key AKLT... --key-prefix uploads/ | post-doctor check -`,
  run: async (io, _args, opts) => (await import('../commands/sign.js')).runSign(io, opts),
};
