import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { htmlEscape, plainFormValue, shellQuote } from '../../src/sign/format.js';
import { parseExpires } from '../../src/cli/commands/sign.js';

const dir = mkdtempSync(join(tmpdir(), 'pd-sign-'));

const fakeIo = (env: Record<string, string> = {}): MemoryIo => memoryIo({ env, cwd: dir });

async function cli(args: string[], env: Record<string, string> = {}, cmd = 'sign'): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(env);
  const code = await run(['node', 'post-doctor', cmd, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const COS_SECRET = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const COS_AK = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const NOW = '2024-03-05T07:08:09Z';
const COS_ARGS = ['--provider', 'cos', '--bucket', 'examplebucket-1250000000', '--region', 'ap-beijing', '--access-key', COS_AK, '--key-prefix', 'uploads/', '--now', NOW];

describe('sign CLI: json', () => {
  it('prints the signed form as post-doctor/sign@1 and never the secret', async () => {
    const r = await cli([...COS_ARGS, '--max-size', '1048576', '--field', 'x-cos-meta-a=1', '--field', 'acl=private'], { COS_SECRET_KEY: COS_SECRET });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe('post-doctor/sign@1');
    expect(doc.provider).toBe('cos');
    expect(doc.url).toBe('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
    expect(doc.fields.map((f: [string, string]) => f[0])).toEqual(['key', 'x-cos-meta-a', 'acl', 'policy', 'q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature']);
    expect(doc.policy.expiration).toBe('2024-03-05T08:08:09.000Z'); // default --expires 1h
    expect(doc.policy.conditions).toContainEqual(['content-length-range', 0, 1048576]);
    expect(doc.policy.conditions).toContainEqual({ acl: 'private' });
    expect(r.out).not.toContain(COS_SECRET);
    expect(r.err).not.toContain(COS_SECRET);
  });

  it('the JSON output is itself a form `check` accepts: it passes with the same secret', async () => {
    const s = await cli([...COS_ARGS, '--content-type-prefix', 'image/png', '--expires', '2d'], { COS_SECRET_KEY: COS_SECRET });
    expect(s.code).toBe(0);
    const path = join(dir, 'cos-form.json');
    writeFileSync(path, s.out);
    const c = await cli([path, '--now', NOW, '--format', 'json'], { COS_SECRET_KEY: COS_SECRET }, 'check');
    expect(c.code, c.out + c.err).toBe(0);
    const result = JSON.parse(c.out);
    expect(JSON.stringify(result)).toContain('signature.valid');
    // and fails with another secret
    const bad = await cli([path, '--now', NOW], { COS_SECRET_KEY: `${COS_SECRET}X` }, 'check');
    expect(bad.code).toBe(1);
  });

  it.each([
    ['oss', ['--bucket', 'examplebucket', '--region', 'cn-hangzhou'], 'OSS_ACCESS_KEY_SECRET', []],
    ['oss', ['--bucket', 'examplebucket', '--region', 'cn-hangzhou'], 'OSS_ACCESS_KEY_SECRET', ['--signature-version', 'v1']],
    ['s3', ['--bucket', 'my-bucket', '--region', 'eu-central-1'], 'AWS_SECRET_ACCESS_KEY', []],
    ['s3', ['--bucket', 'my-bucket', '--region', 'eu-central-1'], 'AWS_SECRET_ACCESS_KEY', ['--signature-version', 'v2']],
    ['gcs', ['--bucket', 'travel-maps'], 'GCS_HMAC_SECRET', []],
  ])('%s %j: signed form passes check', async (provider, extra, envName, version) => {
    const secret = 'Secret0123456789Secret0123456789';
    const args = ['--provider', provider, ...extra, ...version, '--access-key', 'AKEXAMPLE0123456', '--key', 'a/${filename}', '--now', NOW, '--max-size', '5000'];
    const s = await cli(args, { [envName]: secret });
    expect(s.code, s.err).toBe(0);
    const path = join(dir, `${provider}-${version.join('')}.json`);
    const doc = JSON.parse(s.out);
    expect(doc.file).toEqual({ field: 'file' });
    doc.file = { field: 'file', name: 'x.jpg', size: 10 };
    writeFileSync(path, JSON.stringify(doc));
    const c = await cli([path, '--now', NOW, '--provider', provider, '--format', 'json'], { [envName]: secret }, 'check');
    expect(c.code, c.out).toBe(0);
  });
});

describe('sign CLI: options', () => {
  it('an access key id is required', async () => {
    const r = await cli(
      COS_ARGS.filter((a, i, all) => a !== '--access-key' && all[i - 1] !== '--access-key'),
      { COS_SECRET_KEY: COS_SECRET },
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/access key/);
  });

  it('--access-key-env reads it; an unset variable is a usage error', async () => {
    const args = COS_ARGS.filter((a, i, all) => a !== '--access-key' && all[i - 1] !== '--access-key');
    const ok = await cli([...args, '--access-key-env', 'MY_AK'], { COS_SECRET_KEY: COS_SECRET, MY_AK: COS_AK });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).fields).toContainEqual(['q-ak', COS_AK]);
    const bad = await cli([...args, '--access-key-env', 'MY_AK'], { COS_SECRET_KEY: COS_SECRET });
    expect(bad.code).toBe(2);
  });

  it('no secret is a usage error naming where to put it', async () => {
    const r = await cli(COS_ARGS);
    expect(r.code).toBe(2);
    expect(r.err).toContain('COS_SECRET_KEY');
  });

  it('--secret-env and --secret-file; a file others can read gets a warning', async () => {
    const a = await cli([...COS_ARGS, '--secret-env', 'MINE'], { MINE: COS_SECRET });
    expect(a.code).toBe(0);
    const path = join(dir, 'secret.txt');
    writeFileSync(path, `${COS_SECRET}\n`);
    chmodSync(path, 0o644);
    const b = await cli([...COS_ARGS, '--secret-file', path]);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.out).fields).toEqual(JSON.parse(a.out).fields);
    if (process.platform !== 'win32') expect(b.err).toContain('secret.txt');
    chmodSync(path, 0o600);
    const c = await cli([...COS_ARGS, '--secret-file', path]);
    expect(c.err).toBe('');
    expect(b.err + c.err).not.toContain(COS_SECRET);
  });

  it('--token-env adds the token; an unset variable is a usage error', async () => {
    const r = await cli([...COS_ARGS, '--token-env', 'TOK'], { COS_SECRET_KEY: COS_SECRET, TOK: 'temporary-token' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.fields.at(-1)).toEqual(['x-cos-security-token', 'temporary-token']);
    expect(doc.policy.conditions).toContainEqual({ 'x-cos-security-token': 'temporary-token' });
    expect((await cli([...COS_ARGS, '--token-env', 'TOK'], { COS_SECRET_KEY: COS_SECRET })).code).toBe(2);
  });

  it('--expires: durations and ISO times', async () => {
    const now = new Date(NOW);
    expect(parseExpires('30m', now).toISOString()).toBe('2024-03-05T07:38:09.000Z');
    expect(parseExpires('2d', now).toISOString()).toBe('2024-03-07T07:08:09.000Z');
    expect(parseExpires('2024-03-06T00:00:00Z', now).toISOString()).toBe('2024-03-06T00:00:00.000Z');
    const r = await cli([...COS_ARGS, '--expires', '90s'], { COS_SECRET_KEY: COS_SECRET });
    expect(JSON.parse(r.out).policy.expiration).toBe('2024-03-05T07:09:39.000Z');
    expect((await cli([...COS_ARGS, '--expires', 'soon'], { COS_SECRET_KEY: COS_SECRET })).code).toBe(2);
    expect((await cli([...COS_ARGS, '--expires', '2020-01-01T00:00:00Z'], { COS_SECRET_KEY: COS_SECRET })).code).toBe(2);
  });

  it('more than 7 days: GCS refuses, COS warns', async () => {
    const g = await cli(['--provider', 'gcs', '--bucket', 'b-1', '--access-key', 'GOOG1X', '--expires', '8d', '--now', NOW], { GCS_HMAC_SECRET: 's3cr3t-s3cr3t' });
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/7 days/);
    const c = await cli([...COS_ARGS, '--expires', '30d'], { COS_SECRET_KEY: COS_SECRET });
    expect(c.code).toBe(0);
    expect(c.err).toMatch(/warning/);
  });

  it('bad values are usage errors', async () => {
    const env = { COS_SECRET_KEY: COS_SECRET };
    expect((await cli([...COS_ARGS, '--max-size', '1e6'], env)).code).toBe(2);
    expect((await cli([...COS_ARGS, '--field', 'novalue'], env)).code).toBe(2);
    expect((await cli([...COS_ARGS, '--field', 'policy=x'], env)).code).toBe(2);
    expect((await cli([...COS_ARGS, '--signature-version', 'v4'], env)).code).toBe(2);
    expect((await cli([...COS_ARGS, '--now', 'yesterday'], env)).code).toBe(2);
    expect((await cli(['--bucket', 'b'], env)).code).toBe(2); // --provider is mandatory
  });

  it('a Content-Type prefix the user must complete is announced on stderr', async () => {
    const r = await cli([...COS_ARGS, '--content-type-prefix', 'image/'], { COS_SECRET_KEY: COS_SECRET });
    expect(r.code).toBe(0);
    expect(r.err).toContain("'image/'");
    expect(JSON.parse(r.out).needs).toEqual([{ field: 'Content-Type', startsWith: 'image/' }]);
  });
});

// Values chosen to break naive quoting: quotes, $, backticks, ; (a curl -F modifier), @ and <.
const NASTY: Array<[string, string]> = [
  ['x-cos-meta-quote', `it's "quoted"`],
  ['x-cos-meta-shell', '$(touch /tmp/pwned) `id` $HOME \\n'],
  ['x-cos-meta-semi', 'a;type=text/html'],
  ['x-cos-meta-at', '@/etc/passwd'],
  ['x-cos-meta-lt', '<file'],
  ['x-cos-meta-html', '</form><script>alert(1)</script>&amp;'],
];
const nastyArgs = NASTY.flatMap(([k, v]) => ['--field', `${k}=${v}`]);

describe('sign CLI: curl', () => {
  it('quoting survives bash: every argument reaches curl exactly, file last', async () => {
    const r = await cli([...COS_ARGS, ...nastyArgs, '--content-type-prefix', 'image/png'], { COS_SECRET_KEY: COS_SECRET });
    expect(r.code).toBe(0);
    const doc = await cli([...COS_ARGS, ...nastyArgs, '--content-type-prefix', 'image/png', '--format', 'json'], { COS_SECRET_KEY: COS_SECRET });
    const fields: Array<[string, string]> = JSON.parse(doc.out).fields;
    expect(r.code).toBe(0);
    const curlText = (await cli([...COS_ARGS, ...nastyArgs, '--content-type-prefix', 'image/png', '--format', 'curl'], { COS_SECRET_KEY: COS_SECRET })).out;
    expect(curlText).toMatch(/^curl /m);
    // run the command with curl replaced by a function printing its arguments, NUL-separated
    const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\nFILE=/tmp/photo.png\n${curlText}`;
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    const argv = out.split('\0').slice(0, -1);
    expect(argv.slice(0, 3)).toEqual(['-sS', '-i', 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/']);
    const pairs: Array<[string, string]> = [];
    for (let i = 3; i < argv.length; i += 2) {
      const opt = argv[i]!;
      const val = argv[i + 1]!;
      expect(['-F', '--form-string']).toContain(opt);
      const eq = val.indexOf('=');
      pairs.push([val.slice(0, eq), val.slice(eq + 1)]);
      if (opt === '-F' && val.slice(0, eq) !== 'file') expect(plainFormValue(val.slice(eq + 1))).toBe(true);
    }
    expect(pairs.at(-1)).toEqual(['file', '@/tmp/photo.png']);
    expect(pairs.slice(0, -1)).toEqual(fields);
    // values curl -F would misread go through --form-string
    const semi = argv.findIndex((a) => a.startsWith('x-cos-meta-semi='));
    expect(argv[semi - 1]).toBe('--form-string');
    const kt = argv.findIndex((a) => a.startsWith('q-key-time='));
    expect(argv[kt - 1]).toBe('--form-string');
    expect(curlText).not.toContain(COS_SECRET);
  });

  it('the curl command reads back into `check`, which passes it', async () => {
    const env = { COS_SECRET_KEY: COS_SECRET };
    const r = await cli([...COS_ARGS, ...nastyArgs, '--content-type-prefix', 'image/png', '--max-size', '100', '--format', 'curl'], env);
    expect(r.code).toBe(0);
    expect(r.err).toContain('FILE=');
    const capture = join(dir, 'upload.curl');
    writeFileSync(capture, r.out);
    const photo = join(dir, 'photo.png');
    writeFileSync(photo, 'not really a png');
    const c = await cli([capture, '--file', photo, '--now', NOW, '--format', 'json'], env, 'check');
    const result = JSON.parse(c.out);
    expect(result.verdict, c.out).toBe('pass');
    expect(result.signature.valid).toBe(true);
    expect(c.code).toBe(0);
  });

  it('without FILE the command stops before running curl', async () => {
    const curlText = (await cli([...COS_ARGS, '--format', 'curl'], { COS_SECRET_KEY: COS_SECRET })).out;
    const script = `curl() { echo CALLED; }\nunset FILE\n${curlText}`;
    let status = 0;
    let stdout = '';
    try {
      stdout = execFileSync('bash', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      status = (e as { status: number }).status;
      stdout = String((e as { stdout: string }).stdout);
    }
    expect(status).not.toBe(0);
    expect(stdout).not.toContain('CALLED');
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});

/** Attributes of every <input>/<button> of the first <form>, in order (entities decoded). */
function formControls(html: string): Array<{ tag: string; attrs: Record<string, string> }> {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  expect(form).not.toBeNull();
  const decode = (s: string): string =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const out: Array<{ tag: string; attrs: Record<string, string> }> = [];
  for (const m of form![2]!.matchAll(/<(input|button)\b([^>]*)>/gi)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attrs[a[1]!.toLowerCase()] = decode(a[2] ?? '');
    out.push({ tag: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

describe('sign CLI: html', () => {
  it('a complete page: hidden inputs in order, the file input last, an unnamed submit button', async () => {
    const env = { COS_SECRET_KEY: COS_SECRET };
    const fields: Array<[string, string]> = JSON.parse((await cli([...COS_ARGS, ...nastyArgs], env)).out).fields;
    const r = await cli([...COS_ARGS, ...nastyArgs, '--format', 'html'], env);
    expect(r.code).toBe(0);
    const html = r.out;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toMatch(/<\/html>\s*$/);
    const formTag = /<form\b([^>]*)>/i.exec(html)![1]!;
    expect(formTag).toContain('method="post"');
    expect(formTag).toContain('enctype="multipart/form-data"');
    expect(formTag).toContain('action="https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/"');
    const controls = formControls(html);
    const named = controls.filter((c) => c.attrs.name !== undefined);
    expect(named.slice(0, -1).map((c) => [c.attrs.name, c.attrs.value])).toEqual(fields);
    expect(named.slice(0, -1).every((c) => c.attrs.type === 'hidden')).toBe(true);
    expect(named.at(-1)!.attrs).toMatchObject({ type: 'file', name: 'file' });
    const button = controls.at(-1)!;
    expect(button.tag).toBe('button');
    expect(button.attrs.name).toBeUndefined();
    // the injected markup stays a value
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(COS_SECRET);
  });

  it('a Content-Type to complete is a visible text input in its place', async () => {
    const r = await cli([...COS_ARGS, '--content-type-prefix', 'image/', '--format', 'html'], { COS_SECRET_KEY: COS_SECRET });
    const ct = formControls(r.out).find((c) => c.attrs.name === 'Content-Type')!;
    expect(ct.attrs.type).toBe('text');
    expect(ct.attrs.value).toBe('image/');
    expect(htmlEscape(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});
