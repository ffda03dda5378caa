// `post-doctor explain` through the CLI entry point, in-process with a fake Io.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

interface Fake {
  io: Io;
  out: () => string;
  err: () => string;
}

function fakeIo(opts: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean; stdinTTY?: boolean } = {}): Fake {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    isTTY: opts.tty ?? false,
    stdinIsTTY: opts.stdinTTY ?? opts.stdin === undefined,
    readStdin: async () => Buffer.from(opts.stdin ?? '', 'utf8'),
    env: opts.env ?? { LANG: 'C' },
    cwd: process.cwd(),
  };
  return { io, out: () => out, err: () => err };
}

const argv = (...a: string[]): string[] => ['node', 'post-doctor', 'explain', ...a];
const EXPIRED = `<Code>AccessDenied</Code>\n<Message>You post object request has been expired, expiration time: 1621188104 but the time now : 1621245817</Message>`;
const ESC = /\u001b\[/;

describe('explain CLI', () => {
  it('explains a recognised error (exit 0), text by default', async () => {
    const f = fakeIo();
    const code = await run(argv(EXPIRED), f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('AccessDenied');
    expect(f.out()).toContain('2021-05-16T18:01:44');
    expect(f.out()).toMatch(/16 h 2 min/);
    expect(f.err()).toBe('');
  });

  it('joins several words into one message', async () => {
    const f = fakeIo();
    const code = await run(argv('--format', 'json', 'Condition', 'key', 'q-ak', "doesn't", 'match', 'the', 'value', 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q'), f.io);
    expect(code).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.error.message).toMatch(/^Condition key q-ak doesn't match the value AKIDQj\*+$/);
    // the access key id is masked everywhere in the output
    expect(f.out()).not.toContain('AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q');
  });

  it('JSON output keeps the schema field names', async () => {
    const f = fakeIo();
    const code = await run(argv('--format', 'json', '--now', '2021-05-17T10:06:42Z', `HTTP/1.1 403 Forbidden\r\nServer: tencent-cos\r\nDate: Mon, 17 May 2021 10:03:37 GMT\r\n\r\n${EXPIRED}`), f.io);
    expect(code).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.schema).toBe('post-doctor/explain@1');
    expect(j.provider).toBe('cos');
    expect(j.recognised).toBe(true);
    expect(Object.keys(j.error)).toEqual(expect.arrayContaining(['status', 'code', 'message', 'requestId', 'ec']));
    expect(j.error.status).toBe(403);
    expect(j.error.ec).toBeNull();
    expect(j.matches.length).toBeGreaterThan(0);
    const m = j.matches[0];
    for (const k of ['rule', 'title', 'cause', 'steps', 'docs', 'facts', 'facts_text']) expect(m).toHaveProperty(k);
    expect(m.facts.expiredBySeconds).toBe(57713);
    expect(j.clock).toEqual({ serverTime: '2021-05-17T10:03:37.000Z', localTime: '2021-05-17T10:06:42.000Z', skewSeconds: 185 });
  });

  it('prints the server clock line when a Date header is present', async () => {
    const f = fakeIo();
    await run(argv('--now', '2021-05-17T10:06:42Z', `HTTP/1.1 403 Forbidden\nServer: tencent-cos\nDate: Mon, 17 May 2021 10:03:37 GMT\n\n${EXPIRED}`), f.io);
    expect(f.out()).toMatch(/2021-05-17T10:03:37\.000Z.*3 min 5 s/);
  });

  it('an unknown error exits 1 and says so', async () => {
    const f = fakeIo();
    const code = await run(argv('--format', 'json', 'The frobnicator refused the widget.'), f.io);
    expect(code).toBe(1);
    const j = JSON.parse(f.out());
    expect(j.recognised).toBe(false);
    const t = fakeIo();
    expect(await run(argv('The frobnicator refused the widget.'), t.io)).toBe(1);
    expect(t.out().length).toBeGreaterThan(0);
  });

  it('empty input exits 2 with a location', async () => {
    const f = fakeIo({ stdin: '   \n' });
    const code = await run(argv('-'), f.io);
    expect(code).toBe(2);
    expect(f.err()).toMatch(/^post-doctor: stdin: /);
  });

  it('no input on a terminal exits 2', async () => {
    const f = fakeIo({ stdinTTY: true });
    expect(await run(argv(), f.io)).toBe(2);
  });

  it('reads stdin with "-" and when piped', async () => {
    const dash = fakeIo({ stdin: EXPIRED });
    expect(await run(argv('-', '--format', 'json'), dash.io)).toBe(0);
    expect(JSON.parse(dash.out()).provider).toBe('cos');
    const piped = fakeIo({ stdin: EXPIRED });
    piped.io.stdinIsTTY = false;
    expect(await run(argv('--format', 'json'), piped.io)).toBe(0);
  });

  it('reads a file path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-explain-'));
    const p = join(dir, 'error.xml');
    writeFileSync(p, EXPIRED);
    const f = fakeIo();
    expect(await run(argv(p, '--format', 'json'), f.io)).toBe(0);
    expect(JSON.parse(f.out()).matches[0].facts.expiredBySeconds).toBe(57713);
  });

  it('--lang picks the language of the words; the locale is the default', async () => {
    const ja = fakeIo();
    await run(argv('--lang', 'ja', '--format', 'json', EXPIRED), ja.io);
    const en = fakeIo();
    await run(argv('--lang', 'en', '--format', 'json', EXPIRED), en.io);
    const jaTitle = JSON.parse(ja.out()).matches[0].title as string;
    expect(jaTitle).not.toBe(JSON.parse(en.out()).matches[0].title);
    expect(jaTitle).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const zhEnv = fakeIo({ env: { LANG: 'zh_CN.UTF-8' } });
    await run(argv('--format', 'json', EXPIRED), zhEnv.io);
    expect(JSON.parse(zhEnv.out()).lang).toBe('zh');
    const text = fakeIo();
    await run(argv('--lang', 'ja', EXPIRED), text.io);
    expect(text.out()).toContain('プロバイダー');
  });

  it('bad --lang, --now or --provider exit 2', async () => {
    expect(await run(argv('--lang', 'fr', EXPIRED), fakeIo().io)).toBe(2);
    expect(await run(argv('--now', 'yesterday-ish', EXPIRED), fakeIo().io)).toBe(2);
    expect(await run(argv('--provider', 'azure', EXPIRED), fakeIo().io)).toBe(2);
  });

  it('--provider overrides detection', async () => {
    const f = fakeIo();
    await run(argv('--provider', 'oss', '--format', 'json', 'SignatureDoesNotMatch'), f.io);
    const j = JSON.parse(f.out());
    expect(j.provider).toBe('oss');
    for (const m of j.matches) expect(m.providers).toContain('oss');
  });

  it('EC codes', async () => {
    const f = fakeIo();
    expect(await run(argv('--format', 'json', '0002-00000705'), f.io)).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.provider).toBe('oss');
    expect(j.error.ec).toBe('0002-00000705');
  });

  it('S3 answers report the server flavour', async () => {
    const f = fakeIo();
    await run(
      argv(
        '--format',
        'json',
        'HTTP/1.1 403 Forbidden\nx-amz-request-id: tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1014-default\n\n<Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>',
      ),
      f.io,
    );
    const j = JSON.parse(f.out());
    expect(j.provider).toBe('s3');
    expect(j.server).toBe('rgw');
  });

  it('colour only on a terminal without NO_COLOR', async () => {
    const tty = fakeIo({ tty: true, env: { LANG: 'C' } });
    await run(argv(EXPIRED), tty.io);
    expect(tty.out()).toMatch(ESC);
    const noColor = fakeIo({ tty: true, env: { LANG: 'C', NO_COLOR: '1' } });
    await run(argv(EXPIRED), noColor.io);
    expect(noColor.out()).not.toMatch(ESC);
    const flag = fakeIo({ tty: true, env: { LANG: 'C' } });
    await run(['node', 'post-doctor', '--no-color', 'explain', EXPIRED], flag.io);
    expect(flag.out()).not.toMatch(ESC);
    const pipe = fakeIo();
    await run(argv(EXPIRED), pipe.io);
    expect(pipe.out()).not.toMatch(ESC);
  });

  it('shows at most three explanations and counts the rest', async () => {
    const f = fakeIo();
    await run(argv('SignatureDoesNotMatch'), f.io);
    const j = fakeIo();
    await run(argv('--format', 'json', 'SignatureDoesNotMatch'), j.io);
    const n = JSON.parse(j.out()).matches.length as number;
    if (n > 3) expect(f.out()).toContain(String(n - 3));
    expect(n).toBeGreaterThan(0);
  });
});

describe('explain masks key ids that have no shape of their own', () => {
  it("OBS's 'the access key … is inactive.' shows the key id masked (text and JSON)", async () => {
    const key = 'QWERTYUIOPASDFGHJKL1';
    const answer = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>the access key ${key} is inactive.</Message><RequestId>0000018E8F3C9A1B2C3D4E5F60718293</RequestId></Error>`;
    for (const format of ['text', 'json']) {
      const f = fakeIo({ env: { LANG: 'C', NO_COLOR: '1' } });
      const code = await run(argv(answer, '--provider', 'obs', '--format', format), f.io);
      expect(code).toBe(0);
      expect(f.out()).toContain('InvalidAccessKeyId');
      expect(f.out() + f.err()).not.toContain(key);
      expect(f.out()).toContain(key.slice(0, 4));
    }
  });
});
