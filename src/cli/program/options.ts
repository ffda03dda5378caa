// Command-line options as data: each command lists its options once (src/cli/program/<command>.ts),
// commander is built from that list, and the plain-argument fast path of `explain` and `check`
// (main.ts) reads the same list, so the two can never disagree.
import { PROVIDER_IDS } from '../../core/types.js';
import { FAIL_ON_CHOICES } from '../../report/fail-on.js';

export interface OptionSpec {
  /** commander flags: "--provider <name>", "--redact", "--header <name...>". */
  flags: string;
  description: string;
  choices?: readonly string[];
  /** Default value (shown once in help, by commander). */
  default?: string;
  /** Required (commander's makeOptionMandatory). */
  mandatory?: boolean;
}

/** The long flag of a spec ("--fail-on"). */
export function longFlag(spec: OptionSpec): string {
  return spec.flags.split(/[ ,]+/).find((f) => f.startsWith('--')) as string;
}

/** The key the action receives the value under, as commander names it ("--fail-on" -> "failOn"). */
export function optionKey(spec: OptionSpec): string {
  return longFlag(spec)
    .slice(2)
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Takes a value ("--name <value>" or "--name [value]"); else a flag. */
export function takesValue(spec: OptionSpec): boolean {
  return /[<[]/.test(spec.flags);
}

/** Takes several values ("<name...>"). */
export function isVariadic(spec: OptionSpec): boolean {
  return /\.\.\.[>\]]/.test(spec.flags);
}

export const PROVIDER_CHOICES: readonly string[] = PROVIDER_IDS;
export const SERVER_CHOICES: readonly string[] = ['aws', 'rgw', 'minio'];
const LANG_HELP = 'language: en, ja, zh, zh-TW or zh-HK';

export const provider: OptionSpec = { flags: '--provider <name>', description: 'provider, instead of detecting it', choices: PROVIDER_CHOICES };
export const format = (formats: readonly string[], dflt = 'text'): OptionSpec => ({ flags: '--format <format>', description: 'output format', choices: formats, default: dflt });
export const failOn: OptionSpec = { flags: '--fail-on <level>', description: 'exit 1 on: error (default), warning (errors or warnings), never', choices: FAIL_ON_CHOICES };
export const redact: OptionSpec = { flags: '--redact', description: 'also hide field values, policy values, file names and the bucket, for sharing the report' };
export const lang: OptionSpec = { flags: '--lang <lang>', description: `${LANG_HELP} (default: from the locale, else en)` };
export const now: OptionSpec = { flags: '--now <time>', description: 'take this ISO 8601 time as "now"' };
export const secretEnv: OptionSpec = { flags: '--secret-env <name>', description: 'read the secret key from this environment variable' };
export const secretFile: OptionSpec = { flags: '--secret-file <path>', description: 'read the secret key from this file' };
export const file: OptionSpec = { flags: '--file <path>', description: 'the real file, when the capture holds a placeholder' };
export const entry: OptionSpec = { flags: '--entry <n>', description: 'which POST entry of a HAR, fetch copy or Postman collection (1-based)' };
export const server: OptionSpec = { flags: '--server <flavour>', description: 'S3-compatible server whose wording to predict', choices: SERVER_CHOICES };
export const endpointStyle: OptionSpec = { flags: '--endpoint-style <style>', description: 'how the bucket is addressed', choices: ['virtual', 'path'] };
export const endpoint: OptionSpec = { flags: '--endpoint <url>', description: 'send to this URL instead of the captured one' };

/** The options every report-producing command shares (explain, check, preflight). */
export const reportOptions: readonly OptionSpec[] = [provider, format(['text', 'json', 'sarif', 'github']), failOn, redact, lang, now];
