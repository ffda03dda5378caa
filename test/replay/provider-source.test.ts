// replay says where the provider came from: "given with --provider" only when it was; otherwise
// detected, and from what in the capture (its host, its form fields). The explanation of a
// refusal does not present a detected provider as given either (text and JSON).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { providerEvidence } from '../../src/cli/commands/replay.js';
import { readUploadRequest } from '../../src/input/index.js';
import { sign } from '../../src/sign/index.js';

const SECRET = 'replayProviderSecret/0000000000000000000000';
const AK = 'AKIAREPLAYPROVIDER01';
const S3_ERROR = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>';

let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-replay-provider-'));
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(403, { 'Content-Type': 'application/xml' }).end(S3_ERROR));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const io = (env: Record<string, string>): MemoryIo => memoryIo({ env });

async function replay(args: string[]): Promise<{ code: number; out: string }> {
  const x = io({ S: SECRET });
  const code = await run(['node', 'post-doctor', 'replay', ...args], x);
  return { code, out: x.out() };
}

/** An S3 form (x-amz-* fields) for `endpoint`, as a JSON capture. */
function s3Form(endpoint: string, name: string): string {
  const now = new Date();
  const f = sign({ provider: 's3', bucket: 'replay-bucket', region: 'us-east-1', key: 'uploads/a.txt', now, expiresAt: new Date(now.getTime() + 600_000), accessKeyId: AK, secret: SECRET, endpoint });
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ url: f.url, method: 'POST', fields: f.fields, file: { field: 'file', name: 'a.txt', content: 'hello\n', contentType: 'text/plain' } }));
  return p;
}

describe('where the provider came from', () => {
  test('detected from the form fields (a loopback host names no provider): never "given with --provider"', async () => {
    const form = s3Form(`${url}/replay-bucket`, 'fields.json');
    const r = await replay([form, '--send', '--secret-env', 'S']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Provider: Amazon S3, detected from the capture's form fields");
    expect(r.out).not.toContain('given with --provider');
    // the explanation names the provider without claiming it was given
    expect(r.out).toMatch(/^Provider: Amazon S3$/m);
    const j = JSON.parse((await replay([form, '--send', '--secret-env', 'S', '--format', 'json'])).out);
    expect(j.provider).toEqual({ id: 's3', source: 'capture', from: ['fields'] });
    expect(j.explanation.detection.forced).toBe(false);
  });

  test('given with --provider: said so, in the replay and in the explanation', async () => {
    const form = s3Form(`${url}/replay-bucket`, 'option.json');
    const r = await replay([form, '--send', '--secret-env', 'S', '--provider', 's3']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Provider: Amazon S3 (given with --provider)');
    expect(r.out).toMatch(/^Provider: Amazon S3 \(given with --provider\)$/m);
    const j = JSON.parse((await replay([form, '--send', '--secret-env', 'S', '--provider', 's3', '--format', 'json'])).out);
    expect(j.provider).toEqual({ id: 's3', source: 'option' });
    expect(j.explanation.detection.forced).toBe(true);
  });

  test('a dry run says it too, in every language', async () => {
    const form = s3Form('https://replay-bucket.s3.us-east-1.amazonaws.com/', 'host.json');
    expect((await replay([form])).out).toContain("Provider: Amazon S3, detected from the capture's host and form fields");
    expect((await replay([form, '--lang', 'ja'])).out).toContain('プロバイダー：Amazon S3（キャプチャのホストとフォームフィールドから判別）');
    expect((await replay([form, '--lang', 'zh'])).out).toContain('服务商：Amazon S3（根据抓包的主机名和表单字段识别）');
  });

  test('providerEvidence: the host alone, the fields alone, or both', async () => {
    const read = async (p: string) => readUploadRequest({ path: p, text: (await import('node:fs')).readFileSync(p, 'utf8'), source: p });
    const both = await read(s3Form('https://replay-bucket.s3.us-east-1.amazonaws.com/', 'e1.json'));
    expect(providerEvidence(both, 's3')).toEqual(['host', 'fields']);
    const fields = await read(s3Form('http://127.0.0.1:9/replay-bucket', 'e2.json'));
    expect(providerEvidence(fields, 's3')).toEqual(['fields']);
    const host = { ...both, parts: both.parts.filter((p) => p.kind !== 'field' || !/^x-amz-|^policy$/i.test(p.name)) };
    expect(providerEvidence(host, 's3')).toEqual(['host']);
  });
});

describe('replay on a terminal', () => {
  test("prose wraps to the terminal's width; the request and the answer are shown exactly", async () => {
    const form = s3Form(`${url}/replay-bucket`, 'tty.json');
    let out = '';
    const tty: Io = { ...io({ S: SECRET }), isTTY: true, columns: 50, stdout: (s) => void (out += s) };
    expect(await run(['node', 'post-doctor', 'replay', form, '--send', '--secret-env', 'S', '--no-color'], tty)).toBe(1);
    const lines = out.split('\n');
    // a part's value (the policy, one base64 word) and the answer's XML body: one line each, whatever their length
    expect(lines.some((l) => /^ {3}\d\. policy = \S{60,}$/.test(l))).toBe(true);
    expect(lines).toContain(S3_ERROR.split('\n')[1]);
    // the explanation's prose: within 50 columns, except single words longer than that
    const prose = lines.slice(lines.indexOf('Explanation of the answer:'));
    for (const l of prose) expect(l.length <= 50 || !/\S \S/.test(l.trim()), l).toBe(true);
    expect(prose.length).toBeGreaterThan(10);
  });
});
