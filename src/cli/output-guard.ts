// Every line the CLI prints passes through here, on every path (reports, warnings, --debug,
// and above all error messages, which quote what they could not read):
//  - stdout: the secret keys known to this run (the providers' variables, --secret-env,
//    --secret-file) never appear. Nothing else changes: `sign` prints the key id, token and
//    signature of the form it makes, and reports do their own masking (src/report/redact.ts).
//  - stderr: the same, plus every other credential by value (variables named like a secret or
//    token, the password and credential parameters of URLs given as options, --header values,
//    arguments shaped like a key) and by shape (maskText: URLs, Authorization values,
//    NAME=value pairs, XML elements, access key ids).
// Commands add what they learn while running (a secret file's content) through io.guard.
import { PROVIDER_IDS } from '../core/types.js';
import { SECRET_ENV } from '../core/secret-env.js';
import { Redactor, credentialNameKind, isPlainArgument, shownArgument } from '../core/mask.js';
import { type Io, withIo } from './io.js';
import { terminalSafe } from '../core/visible.js';

/** Options whose value names an environment variable holding a secret / a credential. */
const SECRET_NAME_OPTIONS = new Set(['--secret-env']);
const CREDENTIAL_NAME_OPTIONS = new Set(['--token-env', '--access-key-env']);
/** Header names whose values are credentials (--header of preflight). */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key)$/i;

/** The value of `--name VALUE` / `--name=VALUE` options in argv (every occurrence). */
function optionValues(args: string[], names: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 2 && names.has(a.slice(0, eq))) out.push(a.slice(eq + 1));
    else if (names.has(a) && args[i + 1] !== undefined) out.push(args[i + 1]!);
  }
  return out;
}

/** --header values: "Name: value" (the option takes several values in a row). */
function headerValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--header=')) out.push(a.slice('--header='.length));
    else if (a === '--header') for (let j = i + 1; j < args.length && !args[j]!.startsWith('-'); j++) out.push(args[j]!);
  }
  return out;
}

export function guardOutput(argv: string[], io: Io): Io {
  const args = argv.slice(2);
  const out = new Redactor({ keyIds: false });
  const err = new Redactor({ shapes: true });
  const secret = (v: string | null | undefined): void => {
    out.addSecret(v);
    err.addSecret(v);
  };

  const secretVars = new Set<string>(optionValues(args, SECRET_NAME_OPTIONS));
  for (const id of PROVIDER_IDS) for (const n of SECRET_ENV[id]) secretVars.add(n);
  for (const name of secretVars) secret(io.env[name]);
  err.addEnv(io.env);
  for (const n of optionValues(args, CREDENTIAL_NAME_OPTIONS)) {
    const v = io.env[n];
    if (v && v.length >= 8) err.addSensitive(v);
  }
  for (const h of headerValues(args)) {
    const c = h.indexOf(':');
    const name = c > 0 ? h.slice(0, c).trim() : '';
    const value = c > 0 ? h.slice(c + 1).trim() : h;
    if (c < 0 || CREDENTIAL_HEADER.test(name) || credentialNameKind(name)) err.addHeaderValue(value);
  }
  for (const a of args) {
    if (a.includes('://')) err.addUrl(a.slice(a.indexOf('=') > 1 && a.startsWith('--') ? a.indexOf('=') + 1 : 0));
    // an argument shaped like a key, or a whole pasted capture, is never echoed whole
    if (!isPlainArgument(a)) err.addReplacement(a, shownArgument(a));
  }

  const guard = {
    secret,
    sensitive: (v: string | null | undefined): void => {
      err.addSensitive(v);
    },
  };
  // and no control character from an input reaches the terminal (colour and spinner sequences aside)
  return withIo(io, { stdout: (s: string) => io.stdout(terminalSafe(out.scrub(s))), stderr: (s: string) => io.stderr(terminalSafe(err.scrub(s), true)), guard });
}
