// A command as data: what commander shows and parses, and how it runs.
import type { Io } from '../io.js';
import type { OptionSpec } from './options.js';

export interface CommandSpec {
  name: string;
  description: string;
  /** Positional arguments: commander syntax ("[input...]", "<endpoint>") and help. */
  args?: ReadonlyArray<{ syntax: string; description: string }>;
  options: readonly OptionSpec[];
  /** Help text after the options (examples, exit codes, notes). */
  help?: string;
  /** Runs the command (its module is imported only now) and returns the exit code. */
  run(io: Io, args: unknown[], opts: Record<string, unknown>): Promise<number>;
}
