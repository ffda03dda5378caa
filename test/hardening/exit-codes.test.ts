// Every exit code of the contract, for every command: 0 nothing wrong / explained,
// 1 problems found / not recognised / refused by the server, 2 bad usage or unreadable
// input (one line "post-doctor: ..."), 3 internal error or network failure.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadCli } from '../fuzz/targets.js';
import { ROOT, SECRETS, cli } from './helpers.js';

const OSS = 'examples/oss/postobject-v1.json';
const OSS_ENV = { OSS_ACCESS_KEY_SECRET: SECRETS.OSS_ACCESS_KEY_SECRET };
const NOW = ['--now', '2029-12-31T00:00:00Z'];
const SIGN = ['sign', '--provider', 'oss', '--bucket', 'examplebucket', '--region', 'cn-hangzhou', '--access-key', 'LTAI5tExampleKeyId0001', '--key-prefix', 'u/'];

/** Exit 2: exactly one line on stderr, from post-doctor or from the option parser. */
function expectUsage(r: { code: number; stderr: string }): void {
  expect(r.code, r.stderr).toBe(2);
  const first = r.stderr.split('\n')[0]!;
  expect(first).toMatch(/^(post-doctor: |error: )/);
  if (first.startsWith('post-doctor: ')) expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

/** Run with an stdout that fails: an unexpected exception inside a command is exit 3. */
async function withBrokenStdout(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const run = await loadCli();
  let stderr = '';
  const code = await run(['node', 'post-doctor', ...args], {
    stdout: () => {
      throw new Error('stdout is broken');
    },
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: { NO_COLOR: '1', ...env },
    cwd: ROOT,
  });
  return { code, stderr };
}

async function server(status: number, body = ''): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/xml', Server: 'AliyunOSS', Date: new Date().toUTCString() });
      res.end(body);
    });
  });
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const { port } = s.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => s.close(() => done())) };
}

describe('check', () => {
  it('0: nothing wrong', async () => {
    const r = await cli(['check', OSS, ...NOW], OSS_ENV);
    expect(r.code, r.stderr).toBe(0);
  });
  it('1: problems found (wrong secret; expired policy)', async () => {
    expect((await cli(['check', OSS, ...NOW], { OSS_ACCESS_KEY_SECRET: 'WrongSecretWrongSecret0000000000' })).code).toBe(1);
    expect((await cli(['check', OSS, '--now', '2031-01-01T00:00:00Z'], OSS_ENV)).code).toBe(1);
  });
  it('2: unreadable input, bad option value, unknown option', async () => {
    expectUsage(await cli(['check', 'no/such/file.har']));
    expectUsage(await cli(['check', OSS, '--now', 'yesterday']));
    expectUsage(await cli(['check', OSS, '--bogus']));
    expectUsage(await cli(['check', '-'], {}, 'GET / HTTP/1.1\r\n\r\n'));
  });
  it('3: internal error', async () => {
    const r = await withBrokenStdout(['check', OSS, ...NOW], OSS_ENV);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^post-doctor: internal error: stdout is broken\n$/);
  });
});

describe('explain', () => {
  it('0: explained', async () => {
    expect((await cli(['explain', "Condition key q-ak doesn't match the value AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"])).code).toBe(0);
  });
  it('1: not recognised', async () => {
    const r = await cli(['explain', 'the', 'printer', 'is', 'on', 'fire']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
  });
  it('2: empty input, broken JSON, bad option', async () => {
    expectUsage(await cli(['explain', '-'], {}, '   \n'));
    expectUsage(await cli(['explain', '-'], {}, '{"error": {"code": '));
    expectUsage(await cli(['explain', 'AccessDenied', '--format', 'yaml']));
  });
  it('3: internal error', async () => {
    expect((await withBrokenStdout(['explain', 'AccessDenied'])).code).toBe(3);
  });
});

describe('sign', () => {
  it('0: a form is produced', async () => {
    expect((await cli([...SIGN], OSS_ENV)).code).toBe(0);
  });
  it('2: missing option, no secret, bad value', async () => {
    expectUsage(await cli(['sign', '--provider', 'oss'], OSS_ENV));
    expectUsage(await cli([...SIGN], {}));
    expectUsage(await cli([...SIGN, '--expires', 'soon'], OSS_ENV));
  });
  it('3: internal error', async () => {
    expect((await withBrokenStdout([...SIGN], OSS_ENV)).code).toBe(3);
  });
});

describe('replay', () => {
  it('0: the upload succeeded; 1: the server refused it', async () => {
    const ok = await server(204);
    try {
      const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', ok.url], OSS_ENV);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await ok.close();
    }
    const refused = await server(
      403,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>5C3D</RequestId></Error>',
    );
    try {
      const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', refused.url], OSS_ENV);
      expect(r.code, r.stderr).toBe(1);
    } finally {
      await refused.close();
    }
  });
  it('2: bad input or option', async () => {
    expectUsage(await cli(['replay', 'no/such/capture.http']));
    expectUsage(await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', 'ftp://x/']));
  });
  it('3: network failure', async () => {
    const s = await server(204);
    await s.close();
    const r = await cli(['replay', 'examples/oss/postobject-v1.http', '--send', '--endpoint', s.url, '--timeout', '5'], OSS_ENV);
    expect(r.code, r.stderr).toBe(3);
  });
});

describe('probe', () => {
  it('0: the clock was read', async () => {
    const s = await server(403);
    try {
      expect((await cli(['probe', s.url])).code).toBe(0);
    } finally {
      await s.close();
    }
  });
  it('2: bad endpoint', async () => {
    expectUsage(await cli(['probe', 'not a url']));
  });
  it('3: network failure', async () => {
    const s = await server(204);
    await s.close();
    expect((await cli(['probe', s.url, '--timeout', '5'])).code).toBe(3);
  });
});
