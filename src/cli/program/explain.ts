import { reportOptions } from './options.js';
import type { CommandSpec } from './types.js';

export const explainCommand: CommandSpec = {
  name: 'explain',
  description: 'explain an error answer: XML body, whole HTTP response, JSON error, message, code or OSS EC code',
  args: [{ syntax: '[input...]', description: 'text, a file path, or "-" for stdin (default: stdin when piped)' }],
  options: reportOptions,
  help: `
Examples:
  $ post-doctor explain response.txt
  $ post-doctor explain SignatureDoesNotMatch --provider oss
  $ post-doctor explain 0002-00000705
  $ pbpaste | post-doctor explain --format json`,
  run: async (io, [input], opts) => (await import('../commands/explain.js')).runExplain(io, input as string[], opts),
};
