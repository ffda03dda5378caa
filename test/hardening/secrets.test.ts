// No secret is ever printed: every command and format, on every bundled example and on forms
// produced by `sign`, with the provider secrets in the environment, with and without --debug.
// Access key ids, signatures and tokens may appear only as a masked prefix; secret keys not
// at all. `sign` must print the access key, token and signature of the form it makes (that
// is its purpose), never the secret.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const secret =
      adapter(provider)
        .secretEnv.map((n) => ENV[n])
        .find(Boolean) ?? null;
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
      const base = [
        'sign',
        '--provider',
        c.provider,
        ...c.args,
        '--access-key',
        c.accessKey,
        '--key-prefix',
        'uploads/',
        '--now',
        '2024-01-01T00:00:00Z',
        ...(c.token ? ['--token-env', 'PD_TOKEN'] : []),
      ];
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
          assertClean(
            label,
            r.stdout + r.stderr,
            sensitive.filter((v) => v.length >= 8),
          );
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

// ---------------------------------------------------------------------------
// Issue 11: error paths and URLs. Every message of every error path passes the same masking
// as the reports: the known secrets are in the environment of every run, and each run also
// carries credentials of its own (a URL password, a bearer token, a signature in a query).

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const URL_PASSWORD = 'UrlPassw0rdHardening42';
const BEARER = 'BearerTokenHardening0123456789';
const ACCESS_TOKEN = 'AccessTokenHardening0123456789';
const SIGNATURE = '4bce301c77ca2e499adec52cec85e3f866081bce54d6dd1b426a802c8a31d57f';
const GOOG_SIGNATURE = '9f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978';
const OSS_SIGNATURE = 'QWERTYUIOPasdfghjkl1234567890=';
const Q_SIGNATURE = 'c0ffee0123456789abcdefc0ffee0123456789ab';
/** Values no run may print in full (the secrets not even as a 10-character prefix). */
const CREDENTIALS = [TOKEN, KEY_ID, URL_PASSWORD, BEARER, ACCESS_TOKEN, SIGNATURE, GOOG_SIGNATURE, OSS_SIGNATURE, Q_SIGNATURE];
const ERR_ENV: Record<string, string> = { ...SECRETS, AWS_SESSION_TOKEN: TOKEN, PATH: process.env.PATH ?? '' };

function assertNoCredential(label: string, text: string): void {
  for (const s of SECRET_VALUES) {
    expect(text.includes(s), `${label}: secret ${s.slice(0, 4)}... printed\n${text}`).toBe(false);
    expect(text.includes(s.slice(0, 10)), `${label}: secret prefix printed\n${text}`).toBe(false);
  }
  for (const c of CREDENTIALS) expect(text.includes(c), `${label}: ${c.slice(0, 6)}... printed in full\n${text}`).toBe(false);
}

/** A query string carrying every credential parameter shape. */
const CRED_QUERY =
  `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${KEY_ID}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=${SIGNATURE}` +
  `&x-amz-security-token=${TOKEN}&X-Goog-Signature=${GOOG_SIGNATURE}&OSSAccessKeyId=LTAI5tExampleKeyId0001&Signature=${encodeURIComponent(OSS_SIGNATURE)}&q-signature=${Q_SIGNATURE}&access_token=${ACCESS_TOKEN}`;

describe('a capture URL with credentials in its query: check and the replay dry run mask them', () => {
  it('every format of check; replay text and JSON', async () => {
    const form = JSON.parse(readFileSync(join(ROOT, 'examples/oss/postobject-v1.json'), 'utf8'));
    form.url = `https://user:${URL_PASSWORD}@examplebucket.oss-cn-hangzhou.aliyuncs.com/?${CRED_QUERY}`;
    form.headers.push(['Authorization', `Bearer ${BEARER}`]);
    const file = join(tmp, 'query-credentials.json');
    writeFileSync(file, JSON.stringify(form));
    for (const format of FORMATS) {
      for (const extra of [[], ['--debug'], ['--redact']]) {
        const r = await cli(['check', file, '--format', format, ...extra], ERR_ENV);
        const label = `check --format ${format} ${extra.join(' ')}`;
        expect([0, 1], `${label}: ${r.stderr}`).toContain(r.code);
        assertNoCredential(label, r.stdout + r.stderr);
      }
    }
    for (const format of ['text', 'json']) {
      const r = await cli(['replay', file, '--format', format], ERR_ENV);
      expect(r.code, r.stderr).toBe(0);
      assertNoCredential(`replay --format ${format}`, r.stdout + r.stderr);
      // still recognisably the URL and its parameters, masked to a prefix
      expect(r.stdout).toContain('X-Amz-Signature=4bce30****');
    }
  });
});

describe('arguments that are not what the option expects are never echoed whole', () => {
  it('--secret-env given the secret instead of a variable name', async () => {
    for (const value of [SECRETS.AWS_SECRET_ACCESS_KEY, SECRETS.COS_SECRET_KEY, 'x'.repeat(3) + SECRETS.GCS_HMAC_SECRET]) {
      for (const cmd of [
        ['check', 'examples/cos/worked-example.json'],
        ['replay', 'examples/cos/worked-example.json'],
        ['sign', '--provider', 'cos', '--bucket', 'b-1250000000', '--region', 'ap-beijing', '--access-key', 'AKIDx'],
      ]) {
        // not in the environment: the argument guard cannot know it is a secret
        const r = await cli([...cmd, '--secret-env', value], { PATH: process.env.PATH ?? '' });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/^post-doctor: --secret-env/);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout + r.stderr).not.toContain(value);
        expect(r.stdout + r.stderr).not.toContain(value.slice(0, 10));
      }
    }
  });

  it('a missing file: a path is named, a whole capture or a key is not', async () => {
    const plain = await cli(['check', 'no/such/capture.http'], ERR_ENV);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe('post-doctor: no/such/capture.http: no such file: no/such/capture.http\n');
    const capture = `POST /?X-Amz-Signature=${SIGNATURE} HTTP/1.1\r\nHost: b.s3.amazonaws.com\r\nAuthorization: Bearer ${BEARER}\r\n\r\npolicy=${TOKEN}`;
    // the capture's own text is read as the input (issue 13), and its credentials stay masked
    for (const cmd of ['check', 'replay']) {
      const r = await cli([cmd, capture], { PATH: process.env.PATH ?? '' });
      expect(r.code, r.stderr).toBeLessThan(3);
      for (const s of [SIGNATURE, BEARER, TOKEN]) expect(`${r.stdout}${r.stderr}`).not.toContain(s);
    }
    for (const arg of ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ', `${TOKEN}x`]) {
      for (const cmd of ['check', 'replay']) {
        const r = await cli([cmd, arg], { PATH: process.env.PATH ?? '' });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toMatch(/^post-doctor: argument: no such file: \S{1,4}\*\*\*\* \(\d+ characters\)\n$/);
        expect(r.stderr).not.toContain(arg.slice(0, 10));
      }
    }
  });

  it('a one-character (or short) secret is not masked by value: the report keeps its letters', async () => {
    for (const secret of ['a', 'e', 'ab', 'key', 'Signat']) {
      for (const format of ['text', 'json']) {
        const r = await cli(['check', 'examples/cos/worked-example.json', '--secret-env', 'S', '--now', '2019-08-30T08:00:00Z', '--format', format], { S: secret });
        expect(r.code, r.stderr).toBe(1);
        if (format === 'text') expect(r.stdout).toMatch(/the server would refuse this upload\n\d+ error\(s\), \d+ warning\(s\)/);
        else expect(() => JSON.parse(r.stdout)).not.toThrow();
        // a masked value is a prefix followed by "****"; never "****" inside a word
        expect(r.stdout + r.stderr).not.toMatch(/\*\*\*\*[A-Za-z]/);
      }
    }
    const warn = await cli(['check', 'examples/cos/worked-example.json', '--secret=k1', '--now', '2019-08-30T08:00:00Z'], {});
    expect(warn.stdout + warn.stderr).not.toContain('--secret=k1');
  });
});

describe('every error path: no secret, token, key id or signature in stdout or stderr', () => {
  interface Case {
    name: string;
    args: string[];
    env?: Record<string, string>;
    stdin?: string;
    /** Allowed exit codes (default 2). */
    codes?: number[];
  }

  let signer: import('../preflight/server.js').TestServer;
  let closedPort = 0;
  let proxy: import('node:http').Server;
  let proxyPort = 0;

  const answerWithout = { fields: { policy: 'e30=', 'x-amz-signature': SIGNATURE } };
  const s3Answer = (req: import('node:http').IncomingMessage) => ({
    json: {
      url: 'https://my-bucket.s3.us-east-1.amazonaws.com/',
      fields: {
        key: 'uploads/a.txt',
        policy: Buffer.from(JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions: [['starts-with', '$key', 'uploads/']] })).toString('base64'),
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-credential': `${KEY_ID}/20240101/us-east-1/s3/aws4_request`,
        'x-amz-date': '20240101T000000Z',
        'x-amz-security-token': TOKEN,
        'x-amz-signature': SIGNATURE,
        echo: String(req.headers.authorization ?? ''),
      },
    },
  });

  beforeAll(async () => {
    const { startServer } = await import('../preflight/server.js');
    signer = await startServer({
      // an error page that echoes what it was sent and what the application had in its environment
      '/echo': (req) => ({
        status: 500,
        text: `<Error><Code>Boom</Code><Message>auth ${req.headers.authorization} secret=${SECRETS.AWS_SECRET_ACCESS_KEY}</Message><AWSAccessKeyId>${KEY_ID}</AWSAccessKeyId><SecretAccessKey>${SECRETS.OSS_ACCESS_KEY_SECRET}</SecretAccessKey><SessionToken>${TOKEN}</SessionToken></Error>`,
      }),
      '/json-error': (req) => ({
        status: 401,
        json: { error: 'unauthorised', received: req.headers.authorization, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRETS.AWS_SECRET_ACCESS_KEY, sessionToken: TOKEN } },
      }),
      '/not-json': () => ({ status: 200, text: `login page; token=${TOKEN} AWS_SECRET_ACCESS_KEY=${SECRETS.AWS_SECRET_ACCESS_KEY} ${KEY_ID}` }),
      '/no-url': () => ({ json: answerWithout }),
      '/s3': (req) => s3Answer(req),
    });
    const closed = await startServer({});
    closedPort = Number(new URL(closed.url).port);
    await closed.close();
    const http = await import('node:http');
    proxy = http.createServer((_q, res) => res.writeHead(403).end());
    proxy.on('connect', (_q, sock) => sock.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    proxyPort = (proxy.address() as import('node:net').AddressInfo).port;
  });
  afterAll(async () => {
    await signer?.close();
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  });

  function cases(): Case[] {
    const good = 'examples/oss/postobject-v1.json';
    const credUrl = `http://user:${URL_PASSWORD}@127.0.0.1:${closedPort}/up?${CRED_QUERY}`;
    const form = join(tmp, 'err-form.json');
    const f = JSON.parse(readFileSync(join(ROOT, good), 'utf8'));
    f.url = credUrl;
    f.headers.push(['Authorization', `Bearer ${BEARER}`]);
    writeFileSync(form, JSON.stringify(f));
    const files: Record<string, string> = {
      'bad-json.json': `{"url": "https://b.s3.amazonaws.com/?X-Amz-Signature=${SIGNATURE}", "fields": [["x-amz-security-token", "${TOKEN}"], ["policy", ${SECRETS.AWS_SECRET_ACCESS_KEY}]]}`,
      'bad-har.har': `{"log": {"entries": [{"request": {"method": "POST", "url": "${credUrl}", "headers": [{"name": "Authorization", "value": "Bearer ${BEARER}"}], "postData": {"mimeType": "multipart/form-data; boundary=b", "text": 42}}]}}`,
      'bad-curl.sh': `curl '${credUrl}' -H 'Authorization: Bearer ${BEARER}' -F 'x-amz-security-token=${TOKEN}' -F "policy=${SECRETS.COS_SECRET_KEY}`,
      'bad-raw.http': `POST /?X-Amz-Signature=${SIGNATURE} HTTP/1.1\r\nHost: b.s3.amazonaws.com\r\nAuthorization: Bearer ${BEARER}\r\nx-amz-security-token ${TOKEN}\r\n\r\n`,
      'bad-form.json': `{"url": "${credUrl}", "headers": [["Authorization", "Bearer ${BEARER}"]], "fields": [["x-amz-signature", {"v": "${SIGNATURE}"}]]}`,
      'key.txt': `${SECRETS.AWS_SECRET_ACCESS_KEY}\n`,
    };
    for (const [n, t] of Object.entries(files)) writeFileSync(join(tmp, n), t);
    const setx = `set -x; AWS_SECRET_ACCESS_KEY='${SECRETS.AWS_SECRET_ACCESS_KEY}' AWS_ACCESS_KEY_ID=${KEY_ID} TOKEN=${TOKEN} false`;
    const signerUrl = (path: string): string => `http://user:${URL_PASSWORD}@127.0.0.1:${new URL(signer.url).port}${path}?access_token=${ACCESS_TOKEN}`;
    const bearer = ['--header', `Authorization: Bearer ${BEARER}`];
    const sign = ['sign', '--provider', 's3', '--bucket', 'my-bucket', '--region', 'us-east-1', '--access-key', KEY_ID];
    return [
      // missing and unreadable input
      { name: 'missing file', args: ['check', join(tmp, 'nope.http')] },
      { name: 'a key where a file goes', args: ['check', SECRETS.GCS_HMAC_SECRET] },
      { name: 'a capture where a file goes', args: ['replay', readFileSync(join(tmp, 'bad-raw.http'), 'utf8')] },
      { name: 'empty stdin', args: ['check', '-'], stdin: '' },
      ...Object.keys(files)
        .filter((n) => n.startsWith('bad-'))
        .flatMap((n): Case[] => [
          { name: `unreadable ${n}`, args: ['check', join(tmp, n)] },
          { name: `unreadable ${n} on stdin`, args: ['replay', '-'], stdin: files[n] },
        ]),
      // bad options
      { name: '--secret-env secret', args: ['check', good, '--secret-env', SECRETS.OSS_ACCESS_KEY_SECRET] },
      { name: '--secret-env unset', args: ['check', good, '--secret-env', 'PD_UNSET_VARIABLE'] },
      { name: '--secret-file missing', args: ['check', good, '--secret-file', join(tmp, 'nope.txt')] },
      { name: '--secret-file directory', args: ['check', good, '--secret-file', tmp] },
      { name: '--format token', args: ['check', good, '--format', TOKEN] },
      { name: '--now token', args: ['check', good, '--now', TOKEN] },
      { name: '--entry signature', args: ['check', good, '--entry', SIGNATURE] },
      { name: 'unknown option with a token', args: ['check', good, `--token=${TOKEN}`] },
      { name: '--endpoint with a password', args: ['replay', good, '--endpoint', `ftp://user:${URL_PASSWORD}@h/?X-Amz-Signature=${SIGNATURE}`] },
      { name: '--resign without secret', args: ['replay', form, '--resign', '--provider', 's3'], env: { PATH: process.env.PATH ?? '' } },
      { name: 'sign --token-env token', args: [...sign, '--token-env', TOKEN] },
      { name: 'sign --access-key-env key', args: ['sign', '--provider', 's3', '--bucket', 'my-bucket', '--access-key-env', KEY_ID] },
      { name: 'sign --expires token', args: [...sign, '--expires', TOKEN] },
      { name: 'sign --endpoint with a password', args: [...sign, '--endpoint', `notaurl://u:${URL_PASSWORD}@x`], codes: [0, 2] },
      { name: 'probe with a password', args: ['probe', `ftp://user:${URL_PASSWORD}@127.0.0.1/?access_token=${ACCESS_TOKEN}`] },
      // network errors
      { name: 'replay --send, connection refused', args: ['replay', form, '--send', '--timeout', '5'], codes: [3] },
      { name: 'replay --send, endpoint refused', args: ['replay', good, '--send', '--endpoint', credUrl, '--timeout', '5'], codes: [3] },
      { name: 'probe refused', args: ['probe', credUrl, '--timeout', '5'], codes: [3] },
      { name: 'check --probe refused', args: ['check', good, '--probe', credUrl], codes: [3] },
      { name: 'malformed HTTP_PROXY', args: ['replay', form, '--send'], env: { ...ERR_ENV, HTTP_PROXY: `http://user:${URL_PASSWORD}@proxy host:8080/` } },
      { name: 'proxy refusing CONNECT', args: ['replay', form, '--send', '--timeout', '5'], env: { ...ERR_ENV, HTTP_PROXY: `http://user:${URL_PASSWORD}@127.0.0.1:${proxyPort}` }, codes: [3] },
      // preflight signer failures
      { name: 'signer-cmd set -x', args: ['preflight', '--signer-cmd', setx] },
      { name: 'signer-cmd prints the environment', args: ['preflight', '--signer-cmd', 'env >&2; exit 3'] },
      { name: 'signer-cmd not JSON', args: ['preflight', '--signer-cmd', `echo "oops ${KEY_ID} secret=$AWS_SECRET_ACCESS_KEY token=$AWS_SESSION_TOKEN"`] },
      { name: 'signer-url 500 echoing', args: ['preflight', '--signer-url', signerUrl('/echo'), ...bearer] },
      { name: 'signer-url 401 JSON echoing', args: ['preflight', '--signer-url', signerUrl('/json-error'), ...bearer] },
      { name: 'signer-url not JSON', args: ['preflight', '--signer-url', signerUrl('/not-json'), ...bearer] },
      { name: 'signer-url no upload URL', args: ['preflight', '--signer-url', signerUrl('/no-url'), ...bearer] },
      { name: 'signer-url refused', args: ['preflight', '--signer-url', `http://user:${URL_PASSWORD}@127.0.0.1:${closedPort}/?access_token=${ACCESS_TOKEN}`, ...bearer], codes: [3] },
      { name: 'signer --header malformed', args: ['preflight', '--signer-url', signerUrl('/s3'), '--header', `Authorization Bearer ${BEARER}`] },
      { name: 'signer --body not JSON', args: ['preflight', '--signer-url', signerUrl('/s3'), '--method', 'POST', '--body', `{"password": ${SECRETS.COS_SECRET_KEY}}`] },
      { name: 'signer --secret-file too large', args: ['preflight', '--signer-url', signerUrl('/s3'), '--secret-file', '/dev/zero'] },
      // and the reports of a signer that answered: its URL's password and token stay hidden
      ...['text', 'json', 'sarif', 'github'].map(
        (format): Case => ({
          name: `preflight report ${format}`,
          args: ['preflight', '--signer-url', signerUrl('/s3'), ...bearer, '--format', format, '--now', '2024-01-01T00:00:00Z'],
          codes: [0, 1],
        }),
      ),
      ...['text', 'json'].map(
        (format): Case => ({
          name: `preflight --debug report ${format}`,
          args: ['preflight', '--debug', '--signer-cmd', `cat ${JSON.stringify(join(tmp, 'answer.json'))}`, '--format', format, '--secret-file', join(tmp, 'key.txt')],
          codes: [0, 1],
        }),
      ),
    ];
  }

  it('runs them all', async () => {
    writeFileSync(join(tmp, 'answer.json'), JSON.stringify(s3Answer({ headers: {} } as never).json));
    const all = cases();
    expect(all.length).toBeGreaterThan(40);
    for (const c of all) {
      const r = await cli(c.args, c.env ?? ERR_ENV, c.stdin ?? null, ROOT);
      const label = `${c.name} (exit ${r.code})`;
      expect(c.codes ?? [2], `${label}\n${r.stderr}`).toContain(r.code);
      if (r.code !== 0 && r.code !== 1) expect(r.stderr, label).toMatch(/^(post-doctor|error): /m);
      assertNoCredential(label, r.stdout + r.stderr);
    }
  }, 120_000);
});

describe('explain: credentials pasted with the error', () => {
  const SIG = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
  const TOK = 'FwoGZXIvYXdzEBYaDPastedSessionToken0123';
  const line = `Access to XMLHttpRequest at 'https://b.s3.amazonaws.com/k.jpg?X-Amz-Signature=${SIG}&X-Amz-Security-Token=${TOK}' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
  for (const format of ['text', 'json', 'sarif', 'github']) {
    it(`a presigned URL's signature and token in a console line are masked (${format})`, async () => {
      const r = await cli(['explain', line, '--format', format]);
      expect(r.code).toBeLessThan(2);
      expect(r.stdout).not.toContain(SIG);
      expect(r.stdout).not.toContain(TOK);
    });
  }
});
