// The commander program, built from the command specs (one file per command in this folder).
import type { Command } from 'commander';
import { VERSION } from '../../version.js';
import { helpWidth, type Io } from '../io.js';
import { checkCommand } from './check.js';
import { explainCommand } from './explain.js';
import { type OptionSpec, optionKey } from './options.js';
import { preflightCommand } from './preflight.js';
import { probeCommand } from './probe.js';
import { replayCommand } from './replay.js';
import { serveCommand } from './serve.js';
import { signCommand } from './sign.js';
import type { CommandSpec } from './types.js';

export type { CommandSpec } from './types.js';

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [explainCommand, checkCommand, signCommand, replayCommand, probeCommand, serveCommand, preflightCommand];

export { checkCommand, explainCommand };

type Commander = typeof import('commander');

const PROGRAM_HELP = `
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
  $ COS_SECRET_KEY=... post-doctor check capture.har --format json`;

function addOption(cm: Commander, cmd: Command, spec: OptionSpec): void {
  const opt = new cm.Option(spec.flags, spec.description);
  if (spec.choices) opt.choices(spec.choices);
  if (spec.default !== undefined) opt.default(spec.default);
  if (spec.mandatory) opt.makeOptionMandatory();
  cmd.addOption(opt);
}

/** What an action receives: the program's and the command's options, and where each came from when it matters. */
function actionOptions(spec: CommandSpec, opts: Record<string, unknown>, cmd: Command): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cmd.optsWithGlobals(), ...opts };
  for (const o of spec.options) {
    const key = optionKey(o);
    // whether --format / --method were given or are the default (a config file may set them)
    if (key === 'format' || key === 'method') out[`${key}Source`] = cmd.getOptionValueSource(key);
  }
  return out;
}

/** The commander program: one registration per command spec. */
export function buildProgram(cm: Commander, io: Io, setCode: (code: number) => void, commands: readonly CommandSpec[] = COMMANDS): Command {
  const program = new cm.Command();
  program
    .name('post-doctor')
    .description(
      'Explains why a browser-style POST upload to object storage failed, and catches the failure before it happens.\nProviders: Tencent COS, Alibaba OSS, Amazon S3 and S3-compatible servers (Ceph RGW, MinIO), Google Cloud Storage, Huawei Cloud OBS, Volcengine TOS.',
    )
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--debug', 'diagnostic details on stderr (secrets stay masked)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      getOutHelpWidth: () => helpWidth(io),
      getErrHelpWidth: () => helpWidth(io),
    })
    .exitOverride()
    .addHelpText('after', PROGRAM_HELP);

  for (const spec of commands) {
    const cmd = program.command(spec.name).description(spec.description);
    for (const a of spec.args ?? []) cmd.argument(a.syntax, a.description);
    for (const o of spec.options) addOption(cm, cmd, o);
    if (spec.help) cmd.addHelpText('after', spec.help);
    cmd.action(async (...params: unknown[]) => {
      // commander passes the arguments, then the options, then the command
      const command = params[params.length - 1] as Command;
      const opts = params[params.length - 2] as Record<string, unknown>;
      const args = params.slice(0, params.length - 2);
      setCode(await spec.run(io, args, actionOptions(spec, opts, command)));
    });
  }
  return program;
}
