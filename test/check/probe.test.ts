// check --probe: the server's clock is read from the named endpoint and used for time checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

let server: Server;
let url = '';
let hits = 0;
// The server's clock reads 2019-08-30T12:00:00Z: after sample 1's expiration (2019-08-29T09:39:34Z).
const SERVER_DATE = 'Fri, 30 Aug 2019 12:00:00 GMT';

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { Date: SERVER_DATE });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function io(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

describe('check --probe', () => {
  test("uses the probed server clock: the policy is expired by the server's clock", async () => {
    const o = io();
    // local "now" is inside the validity window; only the server clock says it has expired
    const code = await run(['node', 'pd', 'check', 'examples/cos/sample1-simple.http', '--now', '2019-08-29T08:00:00Z', '--probe', url, '--format', 'json'], o);
    expect(hits).toBeGreaterThan(0);
    const doc = JSON.parse(o.out());
    const ids = doc.findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('time.expired-server');
    expect(code).toBe(1);
  });

  test('without --probe nothing is sent and the local clock decides', async () => {
    const before = hits;
    const o = io();
    const code = await run(['node', 'pd', 'check', 'examples/cos/sample1-simple.http', '--now', '2019-08-29T08:00:00Z', '--format', 'json'], o);
    expect(hits).toBe(before);
    const ids = JSON.parse(o.out()).findings.map((f: { id: string }) => f.id);
    expect(ids).not.toContain('time.expired-server');
    expect(code).toBe(0);
  });
});
