// `post-doctor sign`: produce a correctly signed POST upload form (JSON, curl or HTML).
// The secret comes from the environment or a file, never from the command line, and is
// never printed; the output holds the access key id and the signature, as a form must.
import type { UiKey } from '../../generated/ids.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../../core/errors.js';
import { ui } from '../../core/catalogue.js';
import { pickLang } from '../../core/lang.js';
import type { Lang, ProviderId } from '../../core/types.js';
import { PROVIDER_IDS } from '../../core/types.js';
import { adapter } from '../../providers/index.js';
import { sign, type SignOptions } from '../../sign/index.js';
import { SIGN_FORMATS } from '../../sign/format.js';
import type { Io } from '../io.js';
import { envOptionValue, parseTimeOption, readSecret } from './check.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/** --expires: a duration after `now` ("30m", "1h", "2d", "90s", "1w") or an ISO 8601 time. */
export function parseExpires(value: unknown, now: Date): Date {
  const s = String(value ?? '').trim();
  const m = /^(\d+)\s*([smhdw])$/i.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n <= 0) throw new UsageError(`--expires must be a positive duration; got '${s}'`);
    return new Date(now.getTime() + n * (UNIT_SECONDS[m[2]!.toLowerCase()] as number) * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return parseTimeOption('--expires', s) as Date;
  throw new UsageError(`--expires must be a duration (30m, 1h, 2d) or an ISO 8601 time (2024-01-31T12:00:00Z); got '${s}'`);
}

function sizeOption(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`${name} must be a whole number of bytes; got '${s}'`);
  return Number(s);
}

/** --field name=value (repeatable); split at the first "=". */
export function parseFieldOptions(v: unknown): Array<[string, string]> {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v.map(String) : [String(v)];
  return list.map((item) => {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`--field must be name=value; got '${item}'`);
    return [item.slice(0, i), item.slice(i + 1)] as [string, string];
  });
}

function envValue(io: Io, option: string, name: unknown): string {
  const v = envOptionValue(io, option, name);
  // the key id and token are printed in the form (as they must), never in a message
  io.guard?.sensitive(v);
  return v;
}

function accessKeyOption(io: Io, opts: Record<string, unknown>): string {
  if (typeof opts.accessKey === 'string' && opts.accessKey !== '') return opts.accessKey;
  if (typeof opts.accessKeyEnv === 'string') return envValue(io, '--access-key-env', opts.accessKeyEnv).trim();
  throw new UsageError('an access key id is required: --access-key ID or --access-key-env NAME');
}

function warn(io: Io, lang: Lang, key: UiKey, values: Record<string, unknown> = {}): void {
  io.stderr(`${ui('sign.warn.prefix', lang)}${ui(key, lang, values)}\n`);
}

/** A secret file other users can read deserves a warning (POSIX modes only). */
function secretFileReadable(io: Io, path: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    return (statSync(resolve(io.cwd, path)).mode & 0o044) !== 0;
  } catch {
    return false;
  }
}

export async function runSign(io: Io, opts: Record<string, unknown>): Promise<number> {
  const lang = pickLang(typeof opts.lang === 'string' ? opts.lang : undefined, io.env);
  const provider = String(opts.provider ?? '') as ProviderId;
  if (!PROVIDER_IDS.includes(provider)) throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')}`);
  const given = typeof opts.format === 'string' ? opts.format : 'json';
  if (!Object.hasOwn(SIGN_FORMATS, given)) throw new UsageError(`--format must be ${Object.keys(SIGN_FORMATS).join(', ')}; got '${given}'`);
  const format = given as keyof typeof SIGN_FORMATS;

  const now = parseTimeOption('--now', opts.now) ?? new Date();
  const expiresAt = parseExpires(opts.expires ?? '1h', now);
  const accessKeyId = accessKeyOption(io, opts);
  const secret = readSecret(io, opts, provider);
  if (secret === null || secret === '') {
    throw new UsageError(`no secret key: set ${adapter(provider).secretEnv.join(' or ')}, or use --secret-env NAME / --secret-file PATH`);
  }
  if (typeof opts.secretFile === 'string' && typeof opts.secretEnv !== 'string' && secretFileReadable(io, opts.secretFile)) {
    warn(io, lang, 'sign.warn.secret-file-readable', { path: opts.secretFile });
  }
  const token = typeof opts.tokenEnv === 'string' ? envValue(io, '--token-env', opts.tokenEnv) : undefined;

  const signOpts: SignOptions = {
    provider,
    bucket: String(opts.bucket ?? ''),
    expiresAt,
    now,
    accessKeyId,
    secret,
    fields: parseFieldOptions(opts.field),
  };
  if (typeof opts.region === 'string') signOpts.region = opts.region;
  if (typeof opts.key === 'string') signOpts.key = opts.key;
  if (typeof opts.keyPrefix === 'string') signOpts.keyPrefix = opts.keyPrefix;
  const minSize = sizeOption('--min-size', opts.minSize);
  const maxSize = sizeOption('--max-size', opts.maxSize);
  if (minSize !== undefined) signOpts.minSize = minSize;
  if (maxSize !== undefined) signOpts.maxSize = maxSize;
  if (typeof opts.contentTypePrefix === 'string') signOpts.contentTypePrefix = opts.contentTypePrefix;
  if (typeof opts.signatureVersion === 'string') signOpts.signatureVersion = opts.signatureVersion;
  if (token !== undefined) signOpts.token = token;
  if (typeof opts.endpoint === 'string') signOpts.endpoint = opts.endpoint;

  const form = sign(signOpts);

  const validity = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (validity > 7 * 86400) warn(io, lang, 'sign.warn.long-validity', { seconds: validity });
  for (const n of form.needs) io.stderr(`${ui('sign.warn.prefix', lang)}${ui('sign.needs', lang, { ...n })}\n`);
  if (io.isTTY) warn(io, lang, 'sign.warn.output-credentials');

  const text = SIGN_FORMATS[format](form, lang);
  if (format === 'curl') io.stderr(`${ui('sign.note.prefix', lang)}${ui('sign.curl.usage', lang, { url: form.url, expiration: form.policy.expiration })}\n`);
  // The secret itself must never be in the output (e.g. passed back as a --field value).
  if (secret.length >= 8 && text.includes(secret)) throw new Error('refusing to print output that contains the secret key');
  io.stdout(text);
  return EXIT.OK;
}
