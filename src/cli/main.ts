// post-doctor CLI: commander wiring only. Each command lives in ./commands/<name>.ts and
// returns an exit code; library code never prints or exits.
//
// Start-up: commander and the commands are imported when needed. `explain` and `check` with
// plain arguments (known options with valid values, no help, no version) are dispatched
// without building the commander program at all (plainCommand reads them exactly as commander
// does); everything else goes through commander.
import type { Command, Option } from 'commander';
import { EXIT, InputError, NetworkError, UsageError } from '../core/errors.js';
import { processIo, type Io } from './io.js';
import { guardArgvSecrets } from './argv-secrets.js';
import { guardOutput } from './output-guard.js';
import { releaseSpools } from './spool.js';
import { VERSION } from '../version.js';
// Commands are imported when they run, so start-up loads only what one command needs.

type Commander = typeof import('commander');
/** commander, once loaded (null: never needed in this run). */
let commander: Commander | null = null;

async function loadCommander(): Promise<Commander> {
  if (!commander) commander = await import('commander');
  return commander;
}

const PROVIDERS = ['cos', 'oss', 's3', 'gcs', 'obs', 'tos'];

function providerOption(cm: Commander): Option {
  return new cm.Option('--provider <name>', 'provider, instead of detecting it').choices(PROVIDERS);
}

function formatOption(cm: Commander, formats: string[]): Option {
  return new cm.Option('--format <format>', 'output format').choices(formats).default('text');
}

/** --fail-on, shared by the commands that produce reports. */
function failOnOption(cm: Commander): Option {
  return new cm.Option('--fail-on <level>', 'exit 1 on: error (default), warning (errors or warnings), never').choices(['error', 'warning', 'never']);
}

const REDACT_HELP = 'also hide field values, policy values, file names and the bucket, for sharing the report';

/** Options of a command's action, with where --format came from (default vs given). */
function actionOpts(opts: Record<string, unknown>, cmd: Command): Record<string, unknown> {
  return { ...cmd.optsWithGlobals(), ...opts, formatSource: cmd.getOptionValueSource('format') };
}

async function runExplainCommand(io: Io, input: string[], opts: Record<string, unknown>): Promise<number> {
  return (await import('./commands/explain.js')).runExplain(io, input, opts);
}

async function runCheckCommand(io: Io, input: string | undefined, opts: Record<string, unknown>): Promise<number> {
  return (await import('./commands/check.js')).runCheck(io, input, opts);
}

/** The commander program (commander is loaded on first use). */
export async function buildProgram(io: Io, setCode: (code: number) => void): Promise<Command> {
  const cm = await loadCommander();
  const program = new cm.Command();
  program
    .name('post-doctor')
    .description(
      'Explains why a browser-style POST upload to object storage failed, and catches the failure before it happens.\nProviders: Tencent COS, Alibaba OSS, Amazon S3 and S3-compatible servers, Google Cloud Storage.',
    )
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--debug', 'diagnostic details on stderr (secrets stay masked)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes:
  0  explained / nothing wrong
  1  problems found, or error not recognised
  2  bad usage or unreadable input
  3  internal error

Examples:
  $ post-doctor explain error.xml
  $ curl -s ... | post-doctor explain -
  $ post-doctor explain "Condition key q-ak doesn't match the value AKID123"
  $ post-doctor check examples/cos/sample1-simple.http --now 2019-08-29T08:00:00Z
  $ COS_SECRET_KEY=... post-doctor check capture.har --format json`,
    );

  program
    .command('explain')
    .description('explain an error answer: XML body, whole HTTP response, JSON error, message, code or OSS EC code')
    .argument('[input...]', 'text, a file path, or "-" for stdin (default: stdin when piped)')
    .addOption(providerOption(cm))
    .addOption(formatOption(cm, ['text', 'json', 'sarif', 'github']))
    .addOption(failOnOption(cm))
    .option('--redact', REDACT_HELP)
    .option('--lang <lang>', 'language: en, ja or zh (default: from the locale, else en)')
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .addHelpText(
      'after',
      `
Examples:
  $ post-doctor explain response.txt
  $ post-doctor explain SignatureDoesNotMatch --provider oss
  $ post-doctor explain 0002-00000705
  $ pbpaste | post-doctor explain --format json`,
    )
    .action(async (input: string[], opts: Record<string, unknown>, cmd: Command) => {
      setCode(await runExplainCommand(io, input, actionOpts(opts, cmd)));
    });

  program
    .command('check')
    .description('dry-run a POST upload (raw HTTP, HAR, "Copy as cURL" or JSON form) and predict what the server answers')
    .argument('[input]', 'capture file, or "-" for stdin (default: stdin when piped)')
    .addOption(providerOption(cm))
    .addOption(formatOption(cm, ['text', 'json', 'sarif', 'github']))
    .addOption(failOnOption(cm))
    .option('--redact', REDACT_HELP)
    .option('--lang <lang>', 'language: en, ja or zh')
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .option('--server-time <time>', "the server's clock (ISO 8601 or an HTTP Date), for clock-skew checks")
    .option('--secret-env <name>', 'read the secret key from this environment variable')
    .option('--secret-file <path>', 'read the secret key from this file')
    .option('--file <path>', 'the real file, when the capture holds a placeholder')
    .option('--entry <n>', 'which POST entry of a HAR (1-based)')
    .addOption(new cm.Option('--server <flavour>', 'S3-compatible server wording').choices(['aws', 'rgw', 'minio']))
    .addOption(new cm.Option('--endpoint-style <style>', 'how the bucket is addressed').choices(['virtual', 'path']))
    .option('--public-key <path>', 'GCS RSA forms: the service account public key or certificate (PEM) to verify with')
    .option('--probe <endpoint>', "first read the server's clock from this endpoint (sends one HEAD/GET request)")
    .option('--cors-config <path>', "the bucket's CORS configuration (aws s3api get-bucket-cors JSON, CORSConfiguration XML of S3/COS/OSS, GCS cors JSON): judge what the browser allows")
    .option('--origin <url>', "with --cors-config: the page's origin (default: the capture's Origin header, else its Referer's origin)")
    .addHelpText(
      'after',
      `
Secrets come from the environment (COS_SECRET_KEY, OSS_ACCESS_KEY_SECRET, AWS_SECRET_ACCESS_KEY,
GCS_HMAC_SECRET), --secret-env NAME or --secret-file PATH. They are never printed.

Examples:
  $ post-doctor check examples/cos/sample1-simple.http --now 2019-08-29T08:00:00Z
  $ COS_SECRET_KEY=... post-doctor check upload.har --entry 2
  $ post-doctor check form.json --format json
  $ post-doctor check upload.har --cors-config cors.json --origin https://app.example.com`,
    )
    .action(async (input: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      setCode(await runCheckCommand(io, input, actionOpts(opts, cmd)));
    });

  program
    .command('sign')
    .description('produce a correctly signed POST upload form, to compare against yours')
    .addOption(new cm.Option('--provider <name>', 'provider').choices(PROVIDERS).makeOptionMandatory())
    .requiredOption('--bucket <name>', 'bucket (COS: <bucket>-<appid>)')
    .option('--region <region>', 'region (COS ap-beijing, OSS cn-hangzhou, S3 us-east-1; GCS: auto)')
    .option('--key <key>', 'exact object key (may contain ${filename})')
    .option('--key-prefix <prefix>', 'allow any key starting with this prefix')
    .option('--expires <when>', 'validity: a duration (30m, 1h, 2d) or an ISO 8601 time', '1h')
    .option('--min-size <bytes>', 'content-length-range minimum')
    .option('--max-size <bytes>', 'content-length-range maximum')
    .option('--content-type-prefix <prefix>', 'Content-Type must start with this')
    .option('--field <name=value...>', 'extra form field, also added to the policy as an exact condition')
    .option('--signature-version <v>', 'OSS: v1|v4, S3: v4|v2 (default v4 where there is a choice)')
    .option('--access-key <id>', 'access key id (or --access-key-env)')
    .option('--access-key-env <name>', 'read the access key id from this environment variable')
    .option('--secret-env <name>', 'read the secret key from this environment variable')
    .option('--secret-file <path>', 'read the secret key from this file')
    .option('--token-env <name>', 'read a temporary security token from this environment variable')
    .option('--endpoint <url>', 'upload URL, instead of the provider default')
    .addOption(new cm.Option('--format <format>', 'output format').choices(['json', 'curl', 'html']).default('json'))
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .addHelpText(
      'after',
      `
Examples:
  $ COS_SECRET_KEY=... post-doctor sign --provider cos --bucket examplebucket-1250000000 --region ap-beijing --access-key AKID... --key-prefix uploads/
  $ AWS_SECRET_ACCESS_KEY=... post-doctor sign --provider s3 --bucket my-bucket --region eu-central-1 --access-key AKIA... --key 'uploads/\${filename}' --format html > form.html`,
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      setCode(await (await import('./commands/sign.js')).runSign(io, { ...cmd.optsWithGlobals(), ...opts }));
    });

  program
    .command('replay')
    .description('send the upload for real (only with --send), stream the file, and explain the answer')
    .argument('[input]', 'capture file (raw HTTP, HAR, curl, JSON), or "-" for stdin')
    .option('--send', 'really send it (without it: print exactly what would be sent, send nothing)')
    .option('--endpoint <url>', 'send to this URL instead of the captured one')
    .option('--resign', 'refresh expiration, key time / date and signature (secret required), keeping every condition')
    .option('--timeout <seconds>', 'give up after this many seconds', '60')
    .option('--file <path>', 'the real file, when the capture holds a placeholder')
    .option('--entry <n>', 'which POST entry of a HAR (1-based)')
    .addOption(providerOption(cm))
    .addOption(new cm.Option('--server <flavour>', 'S3-compatible server wording').choices(['aws', 'rgw', 'minio']))
    .addOption(new cm.Option('--endpoint-style <style>', 'how the bucket is addressed').choices(['virtual', 'path']))
    .option('--secret-env <name>', 'read the secret key from this environment variable')
    .option('--secret-file <path>', 'read the secret key from this file')
    .addOption(formatOption(cm, ['text', 'json']))
    .option('--lang <lang>', 'language: en, ja or zh')
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .addHelpText(
      'after',
      `
Exit codes: 0 the upload succeeded, 1 the server refused it, 2 bad input, 3 network failure.
Redirects are reported, never followed; no retries. Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.

Examples:
  $ post-doctor replay capture.http                     # show what would be sent
  $ post-doctor replay capture.http --send --file photo.jpg
  $ AWS_SECRET_ACCESS_KEY=... post-doctor replay form.json --send --resign --endpoint http://127.0.0.1:7480/bucket`,
    )
    .action(async (input: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      setCode(await (await import('./commands/replay.js')).runReplay(io, input, { ...cmd.optsWithGlobals(), ...opts }));
    });

  program
    .command('probe')
    .description("read a server's clock (Date header) and report clock skew and round trip; with --origin, send a CORS preflight and explain the answer")
    .argument('<endpoint>', 'URL of the bucket or service')
    .option('--timeout <seconds>', 'give up after this many seconds', '10')
    .option('--origin <url>', 'send a CORS preflight (OPTIONS) from this page origin instead, and explain which part was refused')
    .option('--method <method>', 'with --origin: the method the page will use (Access-Control-Request-Method)', 'POST')
    .option('--header <name...>', 'with --origin: request headers the page will set (Access-Control-Request-Headers)')
    .addOption(new cm.Option('--provider <name>', 'with --origin: whose CORS rules to explain the answer with (default: from the endpoint)').choices(PROVIDERS))
    .addOption(formatOption(cm, ['text', 'json']))
    .option('--lang <lang>', 'language: en, ja or zh')
    .action(async (endpoint: string, opts: Record<string, unknown>, cmd: Command) => {
      setCode(await (await import('./commands/probe.js')).runProbe(io, endpoint, { ...cmd.optsWithGlobals(), ...opts, methodSource: cmd.getOptionValueSource('method') }));
    });

  program
    .command('serve')
    .description('a local sandbox bucket: judges real browser uploads like the provider would, and shows why')
    .addOption(new cm.Option('--provider <name>', 'provider to behave like').choices(PROVIDERS).default('s3'))
    .option('--port <n>', 'port (0 = any free port)', '0')
    .option('--host <addr>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--bucket <name>', 'bucket name the endpoint answers for')
    .option('--secret-env <name>', 'read the secret key from this environment variable')
    .option('--secret-file <path>', 'read the secret key from this file')
    .option('--store <dir>', 'keep accepted files here (otherwise they are hashed and discarded)')
    .option('--cors-origin <origin...>', 'allowed CORS origins (default: none; "*" allows any)')
    .option('--cors-config <path>', "the bucket's CORS configuration (as check --cors-config reads it), instead of --cors-origin")
    .addOption(new cm.Option('--server <flavour>', 'S3-compatible server wording').choices(['aws', 'rgw', 'minio']))
    .option('--max-body <bytes>', 'largest request body accepted', String(100 * 1024 * 1024))
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .option('--lang <lang>', 'language: en, ja or zh')
    .addHelpText(
      'after',
      `
Examples:
  $ AWS_SECRET_ACCESS_KEY=... post-doctor serve --provider s3 --bucket my-bucket --cors-origin http://localhost:5173
  $ COS_SECRET_KEY=... post-doctor serve --provider cos --bucket examplebucket-1250000000 --port 9000`,
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      setCode(await (await import('./commands/serve.js')).runServe(io, { ...cmd.optsWithGlobals(), ...opts }));
    });

  program
    .command('preflight')
    .description("ask your application's signing endpoint for an upload form, build a test upload that fits it, and check it")
    .option('--signer-url <url>', 'URL of your signing endpoint')
    .addOption(new cm.Option('--method <method>', 'HTTP method for --signer-url').choices(['GET', 'POST']).default('GET'))
    .option('--body <json>', 'JSON body for --signer-url')
    .option('--header <header...>', 'extra header "Name: value" for --signer-url')
    .option('--signer-cmd <command>', 'a command that prints the signer answer on stdout')
    .option('--fields-path <path>', 'JSON path to the form fields in the answer (e.g. data.form.fields)')
    .addOption(providerOption(cm))
    .option('--secret-env <name>', 'read the secret key from this environment variable')
    .option('--secret-file <path>', 'read the secret key from this file')
    .option('--send', 'also send the test upload')
    .option('--endpoint <url>', 'send to this URL instead of the one in the answer')
    .addOption(new cm.Option('--server <flavour>', 'S3-compatible server wording').choices(['aws', 'rgw', 'minio']))
    .option('--now <time>', 'take this ISO 8601 time as "now"')
    .option('--lang <lang>', 'language: en, ja or zh')
    .addOption(formatOption(cm, ['text', 'json', 'sarif', 'github']))
    .addOption(failOnOption(cm))
    .option('--redact', REDACT_HELP)
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      setCode(await (await import('./commands/preflight.js')).runPreflight(io, actionOpts(opts, cmd)));
    });

  return program;
}

// ---------------------------------------------------------------------------
// explain and check without commander

interface PlainOption {
  /** Key of the option in the action's options (commander's attribute name). */
  key: string;
  /** Takes a value (`--name <value>` or `--name=value`); else a flag. */
  value: boolean;
  choices?: readonly string[];
}

const REPORT_OPTIONS: Record<string, PlainOption> = {
  '--provider': { key: 'provider', value: true, choices: PROVIDERS },
  '--format': { key: 'format', value: true, choices: ['text', 'json', 'sarif', 'github'] },
  '--fail-on': { key: 'failOn', value: true, choices: ['error', 'warning', 'never'] },
  '--redact': { key: 'redact', value: false },
  '--lang': { key: 'lang', value: true },
  '--now': { key: 'now', value: true },
};

/** The options of `explain` and `check` as buildProgram declares them (keep the two in step:
 * an option missing here only sends the command through commander). */
const PLAIN_COMMANDS: Record<'explain' | 'check', Record<string, PlainOption>> = {
  explain: REPORT_OPTIONS,
  check: {
    ...REPORT_OPTIONS,
    '--server-time': { key: 'serverTime', value: true },
    '--secret-env': { key: 'secretEnv', value: true },
    '--secret-file': { key: 'secretFile', value: true },
    '--file': { key: 'file', value: true },
    '--entry': { key: 'entry', value: true },
    '--server': { key: 'server', value: true, choices: ['aws', 'rgw', 'minio'] },
    '--endpoint-style': { key: 'endpointStyle', value: true, choices: ['virtual', 'path'] },
    '--public-key': { key: 'publicKey', value: true },
    '--probe': { key: 'probe', value: true },
    '--cors-config': { key: 'corsConfig', value: true },
    '--origin': { key: 'origin', value: true },
  },
};

export interface PlainCommand {
  command: 'explain' | 'check';
  /** explain: its words; check: its one input, or none. */
  input: string[];
  /** The options the action receives, as commander gives them (actionOpts). */
  opts: Record<string, unknown>;
}

/**
 * `explain` or `check` with plain arguments, read exactly as commander reads them: known long
 * options (each at most once, with a valid value that does not start with "-"), --no-color and
 * --debug anywhere, operands that do not start with "-" (or are "-"). null for anything else
 * (help, version, another command, an unknown or repeated option, "--", a usage error), which
 * commander then parses and reports.
 */
export function plainCommand(argv: string[]): PlainCommand | null {
  const args = argv.slice(2);
  let color = true;
  let debug = false;
  let i = 0;
  for (; i < args.length; i++) {
    if (args[i] === '--no-color') color = false;
    else if (args[i] === '--debug') debug = true;
    else break;
  }
  const command = args[i++];
  if (command !== 'explain' && command !== 'check') return null;
  const known = PLAIN_COMMANDS[command];
  // commander's order: options with a default first (from the declaration), then as given
  const opts: Record<string, unknown> = { format: 'text' };
  let formatSource = 'default';
  const seen = new Set<string>();
  const input: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--no-color') {
      color = false;
      continue;
    }
    if (a === '--debug') {
      debug = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      input.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    const spec = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!spec || seen.has(name)) return null;
    seen.add(name);
    let value: string | true = true;
    if (spec.value) {
      if (eq >= 0) value = a.slice(eq + 1);
      else {
        const next = args[++i];
        if (next === undefined || next.startsWith('-')) return null;
        value = next;
      }
      if (spec.choices && !spec.choices.includes(value)) return null;
    } else if (eq >= 0) {
      return null;
    }
    opts[spec.key] = value;
    if (spec.key === 'format') formatSource = 'cli';
  }
  if (command === 'check' && input.length > 1) return null;
  opts.color = color;
  if (debug) opts.debug = true;
  opts.formatSource = formatSource;
  return { command, input, opts };
}

/**
 * undici parses answers with WebAssembly (llhttp), which V8 goes on optimising in the background
 * after its first use; a process waits for that before it exits (about 200 ms, longer than an
 * exchange). The CLI makes one exchange and exits: baseline code is all it needs. (Only the CLI
 * sets this: a process that keeps running, using the library, keeps V8's default.)
 */
function quickWasmExit(): void {
  try {
    process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
  } catch {
    /* an older Node without getBuiltinModule: only slower to exit */
  }
}

/** Run the CLI; returns the exit code. Never throws. */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  // a secret pasted on the command line: warn, and never echo it back
  io = guardArgvSecrets(argv, io);
  // every line printed, error messages included, passes the same masking
  io = guardOutput(argv, io);
  // there is no --secret option: say where a secret goes instead of commander's nearest guess
  const secretOpt = argv.slice(2).find((a) => a === '--secret' || a.startsWith('--secret='));
  if (secretOpt !== undefined) {
    io.stderr("post-doctor: there is no --secret option: give the secret with --secret-env NAME (a variable holding it) or --secret-file PATH, or the provider's environment variable\n");
    return EXIT.USAGE;
  }
  try {
    const plain = plainCommand(argv);
    // commands that may talk to the network (replay, probe, preflight, check --probe)
    if (plain ? plain.opts.probe !== undefined : argv.slice(2).some((a) => a === 'replay' || a === 'probe' || a === 'preflight')) quickWasmExit();
    if (plain?.command === 'explain') return await runExplainCommand(io, plain.input, plain.opts);
    if (plain?.command === 'check') return await runCheckCommand(io, plain.input[0], plain.opts);
    let code: number = EXIT.OK;
    const program = await buildProgram(io, (c) => {
      code = c;
    });
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    return handleError(e, io);
  } finally {
    // temporary files of this run (stdin spooled to disk)
    releaseSpools(io);
  }
}

export function handleError(e: unknown, io: Io): number {
  // (commander is loaded whenever it parsed: an error of its own cannot come from anywhere else)
  if (commander !== null && e instanceof commander.CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
    // commander already printed its message
    return EXIT.USAGE;
  }
  // a library error names options in library terms; on the command line they are flags
  const flagOf = (option: string): string => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const flag = (option: string | undefined): string => (option ? `; use ${flagOf(option)}` : '');
  const named = (text: string, about: string | undefined): string => (about && text.startsWith(about) ? flagOf(about) + text.slice(about.length) : text);
  if (e instanceof InputError) {
    const w = e.where;
    const line = w.about ? new InputError(named(e.message, w.about), w).oneLine() : e.oneLine();
    io.stderr(`post-doctor: ${line}${flag(w.option)}\n`);
    return EXIT.USAGE;
  }
  if (e instanceof UsageError) {
    io.stderr(`post-doctor: ${named(e.message, e.about)}${flag(e.option)}\n`);
    return EXIT.USAGE;
  }
  if (e instanceof NetworkError) {
    io.stderr(`post-doctor: ${e.message}\n`);
    return EXIT.INTERNAL;
  }
  const err = e as Error;
  io.stderr(`post-doctor: internal error: ${err?.message ?? String(e)}\n`);
  if (io.env.POST_DOCTOR_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
  return EXIT.INTERNAL;
}
