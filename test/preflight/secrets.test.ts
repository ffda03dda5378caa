// Issue 11: preflight never prints a secret, a token or a whole access key: not in the lines of
// its error paths (a signer's stderr, an answer that is not JSON, an HTTP error body), not in
// its reports (the --signer-url's basic-auth password and access_token parameter).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSignerAnswer, runSignerCommand } from '../../src/preflight/index.js';
import { cli } from '../report/helpers.js';
import { startServer, type TestServer } from './server.js';

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SESSION = 'FwoGZXIvYXdzEBYaDPreflightSessionToken0123456789';
const BEARER = 'PreflightBearerToken0123456789abcdef';
const PASSWORD = 'SignerPassw0rd0123';
const ACCESS_TOKEN = 'SignerAccessToken0123456789';
const ENV = { AWS_SECRET_ACCESS_KEY: AWS_SECRET, AWS_SESSION_TOKEN: SESSION, PATH: process.env.PATH ?? '' };
const NEVER = [AWS_SECRET, AWS_SECRET.slice(0, 10), KEY_ID, SESSION, BEARER, PASSWORD, ACCESS_TOKEN];

function clean(label: string, text: string): void {
  for (const v of NEVER) expect(text.includes(v), `${label}: ${v.slice(0, 6)}... printed\n${text}`).toBe(false);
}

let srv: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'pd-pf-secrets-'));
const policy = Buffer.from(JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions: [['starts-with', '$key', 'uploads/'], { bucket: 'my-bucket' }] })).toString('base64');
const form = {
  url: 'https://my-bucket.s3.us-east-1.amazonaws.com/',
  fields: {
    key: 'uploads/a.txt',
    policy,
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': `${KEY_ID}/20240101/us-east-1/s3/aws4_request`,
    'x-amz-date': '20240101T000000Z',
    'x-amz-security-token': SESSION,
    'x-amz-signature': 'a'.repeat(64),
  },
};

beforeAll(async () => {
  srv = await startServer({
    '/form': () => ({ json: form }),
    '/echo': (req) => ({ status: 403, text: `<Error><Code>AccessDenied</Code><Message>bad token: ${req.headers.authorization}; signer key ${KEY_ID} secret=${AWS_SECRET}</Message></Error>` }),
    '/login': () => ({ status: 200, text: `<html>session ${SESSION} for ${KEY_ID}: AWS_SECRET_ACCESS_KEY=${AWS_SECRET}</html>` }),
  });
});
afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('preflight error lines mask what the signer printed', () => {
  test("--signer-cmd's stderr: a `set -x` trace with the secret, the key id and a token", async () => {
    const script = join(dir, 'signer.sh');
    writeFileSync(
      script,
      `set -x\nexport AWS_ACCESS_KEY_ID=${KEY_ID}\ncurl -s -H "Authorization: Bearer ${BEARER}" --user "me:$AWS_SECRET_ACCESS_KEY" https://signer.invalid/ 2>/dev/null || true\necho "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" >&2\nexit 7\n`,
    );
    const r = await cli(['preflight', '--signer-cmd', `sh ${script}`], { env: ENV, cwd: dir });
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^post-doctor: signer: --signer-cmd exited with 7: /);
    clean('set -x', r.out + r.err);
    // the library itself masks too (the message an API user catches)
    const e = await runSignerCommand(`sh ${script}`, { cwd: dir, env: ENV }).catch((x: Error) => x);
    clean('runSignerCommand', (e as Error).message);
  });

  test('an answer that is not JSON', async () => {
    const r = await cli(['preflight', '--signer-cmd', `echo "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY token=$AWS_SESSION_TOKEN ${KEY_ID}"`], { env: ENV, cwd: dir });
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/not JSON/);
    clean('not JSON (command)', r.out + r.err);
    const u = await cli(['preflight', '--signer-url', `${srv.url}/login`], { env: ENV });
    expect(u.code, u.err).toBe(2);
    clean('not JSON (url)', u.out + u.err);
    expect(() => parseSignerAnswer(`{"secretAccessKey": "${AWS_SECRET}", broken`)).toThrow();
    try {
      parseSignerAnswer(`{"secretAccessKey": "${AWS_SECRET}", "sessionToken": "${SESSION}", broken`);
    } catch (e) {
      clean('parseSignerAnswer', (e as Error).message);
    }
  });

  test('an HTTP error body that echoes the --header bearer token and the secret', async () => {
    const r = await cli(['preflight', '--signer-url', `${srv.url}/echo`, '--header', `Authorization: Bearer ${BEARER}`], { env: ENV });
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/the signer answered HTTP 403/);
    clean('HTTP error body', r.out + r.err);
  });

  test('a malformed --header or --body is not echoed whole', async () => {
    const h = await cli(['preflight', '--signer-url', `${srv.url}/form`, '--header', `Authorization Bearer ${BEARER}`], { env: ENV });
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/^post-doctor: --header must look like "Name: value"; got Auth\*\*\*\* \(\d+ characters\)\n$/);
    const b = await cli(['preflight', '--signer-url', `${srv.url}/form`, '--method', 'POST', '--body', `{"token": ${BEARER}}`], { env: ENV });
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^post-doctor: --body must be JSON \(/);
    clean('--header / --body', h.err + b.err);
  });
});

describe('preflight reports name the signer without its password or token', () => {
  test('--signer-url with a basic-auth password and an access_token parameter, every format', async () => {
    const url = `http://me:${PASSWORD}@${srv.url.replace(/^http:\/\//, '')}/form?access_token=${ACCESS_TOKEN}&v=1`;
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await cli(['preflight', '--signer-url', url, '--header', `Authorization: Bearer ${BEARER}`, '--format', format, '--now', '2024-01-01T00:00:00Z'], { env: ENV });
      expect([0, 1], r.err).toContain(r.code);
      clean(`report ${format}`, r.out + r.err);
      if (format === 'text') expect(r.out).toMatch(/^Signer: http:\/\/me:\*\*\*\*@127\.0\.0\.1:\d+\/form\?access_token=Signer\*\*\*\*&v=1$/m);
      if (format === 'json') expect(JSON.parse(r.out).signer.source).toMatch(/^http:\/\/me:\*\*\*\*@127\.0\.0\.1:\d+\/form\?access_token=Signer\*\*\*\*&v=1$/);
    }
    // the signer was asked with the real credentials
    const last = srv.requests.filter((x) => x.path === '/form').at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${BEARER}`);
  });
});
