// No secret is ever printed: every command and format, on every bundled example and on forms
// produced by `sign`, with the provider secrets in the environment, with and without --debug.
// Access key ids, signatures and tokens may appear only as a masked prefix; secret keys not
// at all. `sign` must print the access key, token and signature of the form it makes (that
// is its purpose), never the secret.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, detectProvider } from '../../src/check/index.js';
import { SENSITIVE_FIELDS } from '../../src/core/mask.js';
import type { ProviderId } from '../../src/core/types.js';
import { readUploadRequest } from '../../src/input/index.js';
import { adapter } from '../../src/providers/index.js';
import { ROOT, SECRETS, TOKEN, cli, filesUnder } from './helpers.js';

const ENV: Record<string, string> = { ...SECRETS };
const SECRET_VALUES = Object.values(SECRETS);
const FORMATS = ['text', 'json', 'sarif', 'github'];
const tmp = mkdtempSync(join(tmpdir(), 'pd-secrets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Values that may be printed only masked (at least 8 characters long, so a prefix is not the value). */
async function sensitiveValuesOf(path: string): Promise<string[]> {
  const req = await readUploadRequest({ text: readFileSync(path, 'utf8'), path, source: path });
  const out = new Set<string>();
  for (const p of req.parts) {
    if (p.kind !== 'field') continue;
    const name = p.name.toLowerCase();
    if (!SENSITIVE_FIELDS.has(name)) continue;
    out.add(name.endsWith('-credential') ? p.value.split('/')[0]! : p.value);
  }
  for (const [name, value] of req.headers) if (name.toLowerCase() === 'authorization') out.add(value);
  // the signature the secret produces
  const provider = detectProvider(req).provider;
  if (provider) {
    const secret = adapter(provider).secretEnv.map((n) => ENV[n]).find(Boolean) ?? null;
    const r = await check(req, { provider, secret, now: new Date('2024-01-01T00:00:00Z') });
    if (r.signature?.expected) out.add(r.signature.expected);
  }
  return [...out].filter((v) => v.length >= 8 && !/^\*+$/.test(v) && !v.includes('****'));
}

function assertClean(label: string, text: string, sensitive: string[]): void {
  for (const s of SECRET_VALUES) {
    expect(text.includes(s), `${label}: secret ${s.slice(0, 4)}... printed`).toBe(false);
    // not even a prefix of a secret: the Redactor removes secrets entirely
    expect(text.includes(s.slice(0, 10)), `${label}: secret prefix printed`).toBe(false);
  }
  for (const v of sensitive) expect(text.includes(v), `${label}: ${v.slice(0, 6)}... printed in full`).toBe(false);
}

const examples = filesUnder(join(ROOT, 'examples')).filter((f) => !f.endsWith('.md'));

describe('check: no secret, key id, signature or token in any output', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });
  for (const file of examples) {
    const rel = relative(ROOT, file);
    it(rel, async () => {
      const sensitive = await sensitiveValuesOf(file);
      for (const format of FORMATS) {
        for (const extra of [[], ['--debug'], ['--debug', '--redact']]) {
          const r = await cli(['check', rel, '--format', format, ...extra], ENV);
          const label = `check ${rel} --format ${format} ${extra.join(' ')}`;
          expect([0, 1], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
          assertClean(label, r.stdout + r.stderr, sensitive);
          if (extra.includes('--debug')) expect(r.stderr).toMatch(/^post-doctor: debug: detection /m);
        }
      }
    });
  }
});

describe('explain: access keys and signatures echoed by the server stay masked', () => {
  const answers: Array<[string, string, string[]]> = [
    ['cos q-ak', "Condition key q-ak doesn't match the value AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q", ['AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q']],
    [
      's3 signature',
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>eyJleHBpcmF0aW9uIjoiMjAyNC0wMS0wMVQwMTowMDowMFoifQ==</StringToSign><SignatureProvided>4bce301c77ca2e499adec52cec85e3f866081bce54d6dd1b426a802c8a31d57f</SignatureProvided><RequestId>4442587FB7D0A2F9</RequestId></Error>',
      ['AKIAIOSFODNN7EXAMPLE', '4bce301c77ca2e499adec52cec85e3f866081bce54d6dd1b426a802c8a31d57f'],
    ],
    [
      'oss signature',
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n  <RequestId>5C3D9175B6FC201293AD****</RequestId>\n  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <OSSAccessKeyId>LTAI5tExampleKeyId0001</OSSAccessKeyId>\n  <SignatureProvided>5XtMIvVSrFWVrZQzVZGuLxbCFP4=</SignatureProvided>\n  <StringToSign>eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQxMjowMDowMC4wMDBaIn0=</StringToSign>\n  <EC>0002-00000040</EC>\n</Error>',
      ['LTAI5tExampleKeyId0001', '5XtMIvVSrFWVrZQzVZGuLxbCFP4='],
    ],
  ];
  for (const [name, text, sensitive] of answers) {
    it(name, async () => {
      const file = join(tmp, `${name.replace(/\W+/g, '-')}.txt`);
      writeFileSync(file, text);
      for (const format of FORMATS) {
        for (const extra of [[], ['--debug']]) {
          for (const input of [[file], ['-']]) {
            const r = await cli(['explain', ...input, '--format', format, ...extra], ENV, input[0] === '-' ? text : null);
            const label = `explain ${name} --format ${format} ${extra.join(' ')}`;
            expect([0, 1], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
            assertClean(label, r.stdout + r.stderr, sensitive);
          }
        }
      }
    });
  }
});

interface SignCase {
  provider: ProviderId;
  args: string[];
  accessKey: string;
  token: boolean;
}

const SIGN_CASES: SignCase[] = [
  { provider: 'cos', args: ['--bucket', 'examplebucket-1250000000', '--region', 'ap-beijing'], accessKey: 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q', token: true },
  { provider: 'oss', args: ['--bucket', 'examplebucket', '--region', 'cn-hangzhou', '--signature-version', 'v1'], accessKey: 'LTAI5tExampleKeyId0001', token: true },
  { provider: 'oss', args: ['--bucket', 'examplebucket', '--region', 'cn-hangzhou', '--signature-version', 'v4'], accessKey: 'LTAI5tExampleKeyId0001', token: true },
  { provider: 's3', args: ['--bucket', 'my-bucket', '--region', 'us-east-1'], accessKey: 'AKIAIOSFODNN7EXAMPLE', token: true },
  { provider: 's3', args: ['--bucket', 'my-bucket', '--region', 'us-east-1', '--signature-version', 'v2'], accessKey: 'AKIAIOSFODNN7EXAMPLE', token: false },
  { provider: 'gcs', args: ['--bucket', 'my-bucket'], accessKey: 'GOOG1EXAMPLEHMACKEYID0000000000000000000000000000000000', token: false },
];

describe('sign: prints the form (key id, token, signature) but never the secret; checking that form masks them', () => {
  for (const c of SIGN_CASES) {
    it(`${c.provider} ${c.args.join(' ')}`, async () => {
      const base = ['sign', '--provider', c.provider, ...c.args, '--access-key', c.accessKey, '--key-prefix', 'uploads/', '--now', '2024-01-01T00:00:00Z', ...(c.token ? ['--token-env', 'PD_TOKEN'] : [])];
      const env = { ...ENV, PD_TOKEN: TOKEN };
      let form: { url: string; fields: Array<[string, string]> } | null = null;
      for (const format of ['json', 'curl', 'html']) {
        for (const extra of [[], ['--debug']]) {
          const r = await cli([...base, '--format', format, ...extra], env);
          expect(r.code, `sign --format ${format}: ${r.stderr}`).toBe(0);
          assertClean(`sign ${c.provider} --format ${format}`, r.stdout + r.stderr, []);
          if (format === 'json') form = JSON.parse(r.stdout);
          // the exemption is real: sign prints the key id (and token) of the form it makes
          if (format === 'json') expect(r.stdout).toContain(c.accessKey);
          if (format === 'json' && c.token) expect(r.stdout).toContain(TOKEN);
        }
      }
      expect(form).not.toBeNull();
      // the signed form as a JSON form description, checked like a capture
      const sensitive = form!.fields.filter(([n]) => SENSITIVE_FIELDS.has(n.toLowerCase())).map(([n, v]) => (n.toLowerCase().endsWith('-credential') ? v.split('/')[0]! : v));
      if (c.token) expect(sensitive).toContain(TOKEN);
      const fields = form!.fields.map(([n, v]) => [n, n === 'key' ? v.replace('${filename}', 'a.txt') : v]);
      const file = join(tmp, `signed-${c.provider}-${c.args.join('-').replace(/\W+/g, '')}.json`);
      writeFileSync(file, JSON.stringify({ url: form!.url, method: 'POST', fields, file: { field: 'file', name: 'a.txt', contentType: 'text/plain', content: 'hello' } }));
      for (const format of FORMATS) {
        for (const extra of [[], ['--debug']]) {
          const r = await cli(['check', file, '--format', format, '--now', '2024-01-01T00:00:30Z', ...extra], env);
          const label = `check signed ${c.provider} --format ${format} ${extra.join(' ')}`;
          expect([0, 1], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
          assertClean(label, r.stdout + r.stderr, sensitive.filter((v) => v.length >= 8));
        }
      }
    });
  }
});

describe('a secret on the command line: a warning, and the value is never echoed', () => {
  const secret = SECRETS.COS_SECRET_KEY;
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['--secret=VALUE', ['check', 'examples/cos/worked-example.json', `--secret=${secret}`], {}],
    ['--secret-key VALUE', ['check', 'examples/cos/worked-example.json', '--secret-key', secret], {}],
    ['the value of COS_SECRET_KEY as an argument', ['explain', secret], { COS_SECRET_KEY: secret }],
    ['a pasted assignment', ['check', `COS_SECRET_KEY=${secret}`, 'examples/cos/worked-example.json'], {}],
    ['the value of the --secret-env variable', ['check', 'examples/cos/worked-example.json', '--secret-env', 'MY_KEY', '--file', secret], { MY_KEY: secret }],
  ];
  for (const [name, args, env] of cases) {
    it(name, async () => {
      const r = await cli(args, env);
      const warning = r.stderr.split('\n').find((l) => l.startsWith('post-doctor: warning: '));
      expect(warning, r.stderr).toBeDefined();
      expect(warning).toMatch(/argument \d+/);
      expect(warning).toMatch(/--secret-env/);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret.slice(0, 10));
    });
  }

  it('no warning for --secret-env / --secret-file or an ordinary run', async () => {
    const keyFile = join(tmp, 'key.txt');
    writeFileSync(keyFile, `${secret}\n`);
    for (const args of [
      ['check', 'examples/cos/worked-example.json', '--secret-env', 'MY_KEY', '--now', '2019-08-30T08:00:00Z'],
      ['check', 'examples/cos/worked-example.json', '--secret-file', keyFile, '--now', '2019-08-30T08:00:00Z'],
      ['check', 'examples/cos/worked-example.json', '--now', '2019-08-30T08:00:00Z'],
    ]) {
      const r = await cli(args, { MY_KEY: secret, COS_SECRET_KEY: secret });
      expect(r.stderr, args.join(' ')).not.toMatch(/warning/);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(secret);
    }
  });
});
