// post-doctor CLI: run a command and turn errors into exit codes. Each command is declared as
// data in ./program/<name>.ts (options, help, how it runs) and implemented in
// ./commands/<name>.ts, which returns an exit code; library code never prints or exits.
//
// Start-up: commander and the commands are imported when needed. `explain` and `check` with
// plain arguments (known options with valid values, no help, no version) are dispatched
// without building the commander program at all (plainCommand reads them exactly as commander
// does); everything else goes through commander.
import type { Command } from 'commander';
import { EXIT, InputError, NetworkError, UsageError } from '../core/errors.js';
import { processIo, type Io } from './io.js';
import { guardArgvSecrets } from './argv-secrets.js';
import { guardOutput } from './output-guard.js';
import { releaseSpools } from './spool.js';
import { checkCommand } from './program/check.js';
import { explainCommand } from './program/explain.js';
import { isVariadic, longFlag, optionKey, takesValue } from './program/options.js';
import type { CommandSpec } from './program/types.js';
// Commands are imported when they run, so start-up loads only what one command needs.

type Commander = typeof import('commander');
/** commander, once loaded (null: never needed in this run). */
let commander: Commander | null = null;

async function loadCommander(): Promise<Commander> {
  if (!commander) commander = await import('commander');
  return commander;
}

/** The commander program (commander and the command specs are loaded on first use). */
export async function buildProgram(io: Io, setCode: (code: number) => void): Promise<Command> {
  const cm = await loadCommander();
  return (await import('./program/index.js')).buildProgram(cm, io, setCode);
}

// ---------------------------------------------------------------------------
// explain and check without commander

const PLAIN_SPECS: Record<'explain' | 'check', CommandSpec> = { explain: explainCommand, check: checkCommand };

export interface PlainCommand {
  command: 'explain' | 'check';
  /** explain: its words; check: its one input, or none. */
  input: string[];
  /** The options the action receives, as commander gives them. */
  opts: Record<string, unknown>;
}

/**
 * `explain` or `check` with plain arguments, read exactly as commander reads them, from the same
 * option specs: known long options (each at most once, with a valid value that does not start
 * with "-"; variadic ones are left to commander), --no-color and --debug anywhere, operands that
 * do not start with "-" (or are "-"). null for anything else (help, version, another command, an
 * unknown or repeated option, "--", a usage error), which commander then parses and reports.
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
  const spec = PLAIN_SPECS[command];
  // commander's order: options with a default first (in declaration order), then as given
  const opts: Record<string, unknown> = {};
  for (const o of spec.options) if (o.default !== undefined) opts[optionKey(o)] = o.default;
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
    const o = spec.options.find((s) => longFlag(s) === name);
    if (!o || isVariadic(o) || seen.has(name)) return null;
    seen.add(name);
    let value: string | true = true;
    if (takesValue(o)) {
      if (eq >= 0) value = a.slice(eq + 1);
      else {
        const next = args[++i];
        if (next === undefined || next.startsWith('-')) return null;
        value = next;
      }
      if (o.choices && !o.choices.includes(value)) return null;
    } else if (eq >= 0) {
      return null;
    }
    const key = optionKey(o);
    opts[key] = value;
    if (key === 'format') formatSource = 'cli';
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
    if (plain) return await PLAIN_SPECS[plain.command].run(io, plain.command === 'explain' ? [plain.input] : [plain.input[0]], plain.opts);
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
