// Secrets given on the command line: post-doctor takes secret keys only from the environment
// (--secret-env, the providers' variables) or a file (--secret-file). When an argument still
// looks like a secret - it equals the value of a secret environment variable, it follows or
// is attached to a --secret-like option, or it is a pasted NAME_SECRET=value assignment - a
// warning is printed on stderr, and the value is scrubbed from everything the run prints
// (commander echoes unknown options, e.g. "unknown option '--secret=...'").
import { ui } from '../core/catalogue.js';
import { pickLang } from '../core/lang.js';
import { Redactor } from '../core/mask.js';
import { PROVIDER_IDS } from '../core/types.js';
import { SECRET_ENV } from '../core/secret-env.js';
import { type Io, withIo } from './io.js';

/** Options that would carry a secret value (post-doctor has none of them). */
const SECRET_OPTION = /^--?(?:secret|secret[-_]?key|secret[-_]?access[-_]?key|access[-_]?key[-_]?secret|aws[-_]?secret[-_]?access[-_]?key|hmac[-_]?secret|sk)$/i;
/** A shell assignment pasted as an argument: COS_SECRET_KEY=..., AWS_SECRET_ACCESS_KEY=... */
const SECRET_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s;
/** Values shorter than this are not treated as secrets when matched by value alone. */
const MIN_SECRET = 8;

export interface ArgvSecrets {
  /** 1-based positions of the arguments (after the program name) holding a secret. */
  positions: number[];
  /** The secret values, to scrub from output. */
  values: string[];
}

function secretEnvNames(args: string[]): string[] {
  const names = new Set<string>();
  for (const id of PROVIDER_IDS) for (const n of SECRET_ENV[id]) names.add(n);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--secret-env' && args[i + 1]) names.add(args[i + 1]!);
    else if (a.startsWith('--secret-env=')) names.add(a.slice('--secret-env='.length));
  }
  return [...names];
}

/** Find arguments that hold a secret. `args` excludes "node" and the script. */
export function findArgvSecrets(args: string[], env: NodeJS.ProcessEnv): ArgvSecrets {
  const known = secretEnvNames(args)
    .map((n) => env[n])
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET);
  const positions = new Set<number>();
  const values = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const k of known) {
      if (a.includes(k)) {
        positions.add(i + 1);
        values.add(k);
      }
    }
    const eq = /^(--?[A-Za-z][\w-]*)=(.+)$/s.exec(a);
    if (eq && SECRET_OPTION.test(eq[1]!)) {
      positions.add(i + 1);
      values.add(eq[2]!);
    } else if (SECRET_OPTION.test(a) && args[i + 1] !== undefined && args[i + 1] !== '') {
      positions.add(i + 2);
      values.add(args[i + 1]!);
    }
    const asg0 = SECRET_ASSIGNMENT.exec(a);
    const asg = asg0 && asg0[1]!.includes('SECRET') ? asg0 : null;
    if (asg) {
      positions.add(i + 1);
      values.add(asg[2]!);
    }
  }
  return { positions: [...positions].sort((x, y) => x - y), values: [...values] };
}

function langOf(args: string[], env: NodeJS.ProcessEnv) {
  const i = args.indexOf('--lang');
  const eq = args.find((a) => a.startsWith('--lang='));
  return pickLang(i >= 0 ? args[i + 1] : eq?.slice('--lang='.length), env);
}

/**
 * Warn about secrets on the command line and return an Io that scrubs them from every
 * line printed. Returns `io` unchanged when there are none.
 */
export function guardArgvSecrets(argv: string[], io: Io): Io {
  const args = argv.slice(2);
  const found = findArgvSecrets(args, io.env);
  if (found.positions.length === 0) return io;
  const redactor = new Redactor();
  for (const v of found.values) redactor.addSecret(v);
  // the whole argument too: a short value is not masked by value (MIN_SECRET_LENGTH), yet
  // commander echoes an unknown "--secret=VALUE" whole
  for (const n of found.positions) {
    const a = args[n - 1]!;
    const eq = a.indexOf('=');
    if (eq > 0 && /^(?:--?[A-Za-z][\w-]*|[A-Za-z_][A-Za-z0-9_]*)=/.test(a)) redactor.addReplacement(a, `${a.slice(0, eq)}=****`);
  }
  const lang = langOf(args, io.env);
  const where = found.positions.map((n) => ui('warn.argument', lang, { n })).join(', ');
  io.stderr(`${ui('warn.secret-on-command-line', lang, { where })}\n`);
  return withIo(io, { stdout: (s: string) => io.stdout(redactor.scrub(s)), stderr: (s: string) => io.stderr(redactor.scrub(s)) });
}
