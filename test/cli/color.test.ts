// Colour: only on a terminal by default; FORCE_COLOR turns it on when piped (CI logs); NO_COLOR
// and --no-color always win.
import { describe, expect, it } from 'vitest';
import { makeChalk, type Io } from '../../src/cli/io.js';

function io(isTTY: boolean, env: Record<string, string>): Io {
  return { stdout: () => undefined, stderr: () => undefined, isTTY, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env, cwd: '/' };
}

describe('makeChalk', () => {
  it.each([
    [true, {}, undefined, true],
    [false, {}, undefined, false],
    [false, { FORCE_COLOR: '1' }, undefined, true],
    [false, { FORCE_COLOR: '' }, undefined, true],
    [true, { FORCE_COLOR: '0' }, undefined, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, undefined, false],
    [true, { NO_COLOR: '1' }, undefined, false],
    [true, {}, false, false],
    [false, { FORCE_COLOR: '3' }, false, false],
  ] as Array<[boolean, Record<string, string>, boolean | undefined, boolean]>)('tty %s, env %j, --color %s: colour %s', (tty, env, option, on) => {
    expect(makeChalk(io(tty, env), option).red('x') !== 'x').toBe(on);
  });
});
