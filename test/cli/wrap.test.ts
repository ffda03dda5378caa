// Human text wrapped to the terminal's width (src/cli/wrap.ts), and where the CLI applies it
// (src/cli/io.ts writeText, helpWidth): only on a terminal whose width is known.
import { describe, expect, it } from 'vitest';
import { displayWidth, wrapText } from '../../src/core/wrap.js';
import { helpWidth, type Io, writeText } from '../../src/cli/io.js';

const ESC = '\u001b';
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
const widths = (s: string): number[] => s.split('\n').map(displayWidth);
/** The words of a text, whatever its line breaks (CJK text has none to lose). */
const words = (s: string): string[] => strip(s).split(/\s+/).filter(Boolean);

describe('displayWidth', () => {
  it('counts East Asian wide characters 2, colour sequences 0, combining marks 0', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('签名不匹配')).toBe(10);
    expect(displayWidth('署名が一致しない')).toBe(16);
    expect(displayWidth('ｱｲｳ')).toBe(3); // halfwidth katakana
    expect(displayWidth(`${ESC}[31mred${ESC}[39m`)).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('（）')).toBe(4);
  });
});

describe('wrapText', () => {
  it('leaves lines that fit, and everything under 20 columns, as they are', () => {
    const text = 'short line\n  indented\n\n- item\n';
    expect(wrapText(text, 80)).toBe(text);
    const long = 'word '.repeat(40);
    expect(wrapText(long, 19)).toBe(long);
    expect(wrapText(long, Number.NaN)).toBe(long);
  });

  it('breaks at spaces within the width, never inside a word, keeping every word', () => {
    const text = 'The cos signature was not recomputed because no secret key was given, so a wrong signature is not caught here.';
    const out = wrapText(text, 30);
    expect(Math.max(...widths(out))).toBeLessThanOrEqual(30);
    expect(words(out)).toEqual(words(text));
    expect(out.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });

  it('a continuation line keeps the indentation, and the hanging indent of a list marker', () => {
    const text = [
      '    The checks of the policy, fields, times and file still ran after the signature was skipped.',
      '      1. Set COS_SECRET_KEY in the environment, or pass --secret-env NAME or --secret-file PATH.',
      '  - a dash item that is long enough to need a second line at this width',
      '  ! The policy stays valid for a very long time indeed [time.long-validity]',
      '  12) numbered with a parenthesis and long enough to wrap here',
    ].join('\n');
    const out = wrapText(text, 40).split('\n');
    const nextOf = (start: string): string => out[out.findIndex((l) => l.startsWith(start)) + 1]!;
    expect(nextOf('    The checks')).toMatch(/^ {4}\S/);
    expect(nextOf('      1. Set')).toMatch(/^ {9}\S/);
    expect(nextOf('  - a dash')).toMatch(/^ {4}\S/);
    expect(nextOf('  ! The policy')).toMatch(/^ {4}\S/);
    expect(nextOf('  12) numbered')).toMatch(/^ {6}\S/);
    expect(Math.max(...out.map(displayWidth))).toBeLessThanOrEqual(40);
  });

  it('a word or URL longer than the line stands alone, unbroken', () => {
    const url = 'https://console.cloud.tencent.com/cam/capi?with=a&long=query&string=1';
    const out = wrapText(`    1. Go to the page ${url} to view the key information.`, 40);
    const lines = out.split('\n');
    expect(lines).toContain(`       ${url}`);
    expect(words(out)).toEqual(words(`1. Go to the page ${url} to view the key information.`));
    const b64 = 'eyJjb25kaXRpb25zIjpbeyJxLXNpZ24tYWxnb3JpdGhtIjoic2hhMSJ9LHsicS1hayI6IkFLSUQ4QTBmQlZ0WUZyTm0wMm9ZMWcxSlFRRjBjM0pPNk5FdSJ9';
    expect(wrapText(`    policy=${b64}`, 40)).toBe(`    policy=${b64}`);
  });

  it('Chinese and Japanese break between characters, by display width, not before closing marks nor after opening ones', () => {
    const zh = '  原因：用密钥计算的签名与表单中的签名不一致。服务器会拒绝上传（SignatureDoesNotMatch），请确认密钥与表单中的访问密钥 ID 属于同一对。';
    const out = wrapText(zh, 30);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    // nothing lost or added but the breaks and their indentation
    expect(out.replace(/\s/g, '')).toBe(zh.replace(/\s/g, ''));
    for (const l of lines.slice(1)) expect(l.trim()[0]).not.toMatch(/[、。，）」：；！？]/);
    for (const l of lines.slice(0, -1)) expect(l.at(-1)).not.toMatch(/[（「]/);
    const ja = '署名が一致しない：シークレットキーから計算した署名はフォームの署名と一致しません。サーバーはアップロードを拒否します。';
    const jaOut = wrapText(ja, 24).split('\n');
    expect(Math.max(...jaOut.map(displayWidth))).toBeLessThanOrEqual(24);
    expect(jaOut.join('')).toBe(ja);
    for (const l of jaOut.slice(1)) expect(l[0]).not.toMatch(/[、。ーっゃゅょァィゥェォッャュョ：]/);
  });

  it('never splits a colour sequence; colours open at a break are closed and opened again', () => {
    const text = `  ${ESC}[36mi${ESC}[39m ${ESC}[1mSignature not checked: no secret key, and this is a long bold title${ESC}[22m [signature.not-checked]`;
    const out = wrapText(text, 40);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(strip(out).split('\n')[1]).toMatch(/^ {4}\S/);
    // every escape is whole
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain(ESC);
    // the bold part: closed before the break, reopened after the indentation
    expect(lines[0]!.endsWith(`${ESC}[0m`)).toBe(true);
    expect(lines[1]).toMatch(/^ {4}\u001b\[1m/);
    expect(strip(out).replace(/\n\s+/g, ' ')).toBe(strip(text));
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(40);
  });

  it('a hanging indent for records that start at column 0', () => {
    const out = wrapText('#2 POST /example-bucket -> 403 SignatureDoesNotMatch: The request signature we calculated does not match', 40, { hangingIndent: 4 });
    expect(
      out
        .split('\n')
        .slice(1)
        .every((l) => /^ {4}\S/.test(l)),
    ).toBe(true);
  });

  it('an indentation that leaves too little room is dropped for the continuation', () => {
    const deep = `${' '.repeat(18)}- deeply indented item with several words in it`;
    const out = wrapText(deep, 30).split('\n');
    expect(out.length).toBeGreaterThan(1);
    expect(out.slice(1).every((l) => displayWidth(l) <= 30 || !l.includes(' ', l.search(/\S/)))).toBe(true);
  });
});

function memIo(columns?: number): Io & { out: () => string } {
  let out = '';
  return {
    stdout: (s) => {
      out += s;
    },
    stderr: () => undefined,
    isTTY: columns !== undefined,
    ...(columns !== undefined ? { columns } : {}),
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: {},
    cwd: '/',
    out: () => out,
  };
}

describe('writeText and helpWidth', () => {
  const text = `${'A long sentence of human text that goes on. '.repeat(4)}\n`;

  it('wraps only on a terminal whose width is known', () => {
    const tty = memIo(40);
    writeText(tty, text);
    expect(Math.max(...widths(tty.out()))).toBeLessThanOrEqual(40);
    expect(words(tty.out())).toEqual(words(text));
    const piped = memIo();
    writeText(piped, text);
    expect(piped.out()).toBe(text);
  });

  it("gives commander the terminal's width, else 80", () => {
    expect(helpWidth(memIo(132))).toBe(132);
    expect(helpWidth(memIo())).toBe(80);
  });
});
