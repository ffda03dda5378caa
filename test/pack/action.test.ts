// The GitHub Action (action.yml at the repository root): its declared interface, and its shell
// step run locally (test/pack/run-action.ts) against a local signing server, with the CLI of this
// checkout's build as the action's own build.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sign } from '../../src/sign/index.js';
import { startServer, type TestServer } from '../preflight/server.js';
import { loadAction, runAction, type ActionDoc } from './run-action.js';

const root = join(__dirname, '..', '..');
const AK = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const WRONG = 'NotTheRightSecretAtAll0000000000';
const ENV = { AWS_SECRET_ACCESS_KEY: SECRET };

function form(secret: string, skewSeconds = 0, validSeconds = 900) {
  const now = new Date(Date.now() + skewSeconds * 1000);
  const f = sign({
    provider: 's3',
    bucket: 'action-bucket',
    region: 'eu-central-1',
    accessKeyId: AK,
    secret,
    now,
    expiresAt: new Date(now.getTime() + validSeconds * 1000),
    keyPrefix: 'uploads/',
    minSize: 1,
    maxSize: 1024 * 1024,
  });
  return { url: f.url, fields: Object.fromEntries(f.fields) };
}

let doc: ActionDoc;
let tmp: string;
let actionPath: string;
let work: string;
let signer: TestServer;
let storage: TestServer;

beforeAll(async () => {
  doc = loadAction(join(root, 'action.yml'));
  // The action runs its own build when it has one (a checkout with dist/): build this checkout if
  // needed, then give the action a snapshot of it, so a rebuild elsewhere cannot pull it away.
  if (!existsSync(join(root, 'dist', 'cli.cjs'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  tmp = mkdtempSync(join(tmpdir(), 'pd-action-'));
  actionPath = join(tmp, 'action');
  mkdirSync(actionPath);
  for (const p of ['action.yml', 'package.json', 'bin', 'dist']) cpSync(join(root, p), join(actionPath, p), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(actionPath, 'node_modules'), 'dir');
  work = join(tmp, 'workspace');
  mkdirSync(work);

  signer = await startServer({
    '/ok': () => ({ json: form(SECRET) }),
    '/wrong-secret': () => ({ json: form(WRONG) }),
    '/expired': () => ({ json: form(SECRET, -7200, 3600) }),
    '/auth': (req, body) => {
      if (req.method !== 'POST' || req.headers.authorization !== 'Bearer t0ken' || JSON.parse(body || '{}').filename !== 'a.png') return { status: 401, json: { error: 'unauthorised' } };
      return { json: form(SECRET) };
    },
  });
  storage = await startServer({ '/action-bucket/': () => ({ status: 204, text: '' }) });
}, 300_000);

afterAll(async () => {
  await signer?.close();
  await storage?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const run = (inputs: Record<string, string>, env: Record<string, string> = ENV) => runAction(doc, { actionPath, inputs, env, cwd: work });
const hits = (s: TestServer, path: string) => s.requests.filter((r) => r.path === path).length;

describe('action.yml', () => {
  test('is a composite action with the documented inputs and outputs', () => {
    expect(doc.runs.using).toBe('composite');
    expect(doc.name).toBe('post-doctor preflight');
    expect(doc.description).toMatch(/upload signer/i);
    for (const i of [
      'signer-url',
      'signer-cmd',
      'method',
      'body',
      'headers',
      'fields-path',
      'provider',
      'secret-env',
      'send',
      'endpoint',
      'fail-on',
      'format',
      'sarif',
      'working-directory',
      'version',
    ]) {
      expect(doc.inputs[i], i).toBeDefined();
      // a sentence, not a placeholder: at least three words
      expect(doc.inputs[i]!.description, i).toMatch(/\S+\s+\S+\s+\S+/);
    }
    expect(doc.inputs['fail-on']!.default).toBe('error');
    expect(doc.inputs.format!.default).toBe('github');
    expect(Object.keys(doc.outputs).sort()).toEqual(['exit-code', 'sarif']);
  });

  test('passes inputs to the script through env only, and uses every input it declares', () => {
    const text = readFileSync(join(root, 'action.yml'), 'utf8');
    const used = new Set([...text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(doc.inputs).sort());
    for (const step of doc.runs.steps) {
      expect(step.shell).toBe('bash');
      expect(String(step.run)).not.toContain('${{');
    }
  });

  test('every input is documented in docs/action.md', () => {
    const md = readFileSync(join(root, 'docs', 'action.md'), 'utf8');
    for (const i of Object.keys(doc.inputs)) expect(md, i).toContain(`\`${i}\``);
    for (const o of Object.keys(doc.outputs)) expect(md, o).toContain(`\`${o}\``);
  });
});

describe('the action against a local signer', () => {
  test('a good signer: exit 0, annotations in the log, a SARIF file written', async () => {
    const r = await run({ 'signer-url': `${signer.url}/ok`, sarif: 'reports/post-doctor.sarif' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::notice title=The signature is valid::/m);
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.outputs['exit-code']).toBe('0');
    const sarifPath = join(work, 'reports', 'post-doctor.sarif');
    expect(r.outputs.sarif).toBe(sarifPath);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('post-doctor');
    expect(sarif.runs[0].results.filter((x: any) => x.level === 'error')).toEqual([]);
  });

  test('a signer with the wrong secret: the step fails, ::error annotation, SARIF result', async () => {
    const r = await run({ 'signer-url': `${signer.url}/wrong-secret`, sarif: 'wrong.sarif' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=The signature does not match::/m);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8'));
    expect(sarif.runs[0].results.map((x: any) => [x.ruleId, x.level])).toContainEqual(['signature.invalid', 'error']);
  });

  test('fail-on never keeps the step green but still annotates; no sarif input, no file', async () => {
    const r = await run({ 'signer-url': `${signer.url}/expired`, 'fail-on': 'never' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::error title=.*::.*predicts 403 AccessDenied/m);
    expect(r.outputs).toEqual({ 'exit-code': '0', sarif: '' });
  });

  test('signer-cmd runs in working-directory; format json; provider given', async () => {
    const dir = join(work, 'app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'signer.json'), JSON.stringify({ data: form(SECRET) }));
    writeFileSync(join(dir, 'print-signer.mjs'), "import { readFileSync } from 'node:fs';\nprocess.stdout.write(readFileSync('signer.json', 'utf8'));\n");
    const r = await run({ 'signer-cmd': 'node print-signer.mjs', 'working-directory': 'app', format: 'json', provider: 's3' });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('post-doctor/preflight@1');
    expect(out.check.verdict).toBe('pass');
  });

  test('POST with a body and several headers (one per line)', async () => {
    const before = signer.requests.length;
    const r = await run({ 'signer-url': `${signer.url}/auth`, method: 'POST', body: '{"filename":"a.png"}', headers: 'Authorization: Bearer t0ken\r\nX-Trace: ci\n\n' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const req = signer.requests.slice(before).find((q) => q.path === '/auth')!;
    expect(req.headers['x-trace']).toBe('ci');
    expect(r.stdout).not.toContain('t0ken');
  });

  test('send: the test upload is sent once, by the main run, even with a SARIF report', async () => {
    const s0 = hits(storage, '/action-bucket/');
    const k0 = hits(signer, '/ok');
    const r = await run({ 'signer-url': `${signer.url}/ok`, send: 'true', endpoint: `${storage.url}/action-bucket/`, sarif: 'send.sarif' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(hits(storage, '/action-bucket/')).toBe(s0 + 1);
    expect(hits(signer, '/ok')).toBe(k0 + 2); // the SARIF run asks the signer again
    expect(existsSync(join(work, 'send.sarif'))).toBe(true);
  });

  test('format sarif with a sarif path: one run, its report in the file', async () => {
    const k0 = hits(signer, '/wrong-secret');
    const r = await run({ 'signer-url': `${signer.url}/wrong-secret`, format: 'sarif', sarif: 'only.sarif' });
    expect(r.code).toBe(1);
    expect(hits(signer, '/wrong-secret')).toBe(k0 + 1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(work, 'only.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(r.outputs['exit-code']).toBe('1');
  });

  test('input values are data, never shell code', async () => {
    const marker = join(work, 'injected');
    rmSync(marker, { force: true });
    const evil = `$(touch ${marker}) \`touch ${marker}\` "; touch ${marker}; echo "`;
    const before = signer.requests.length;
    const r = await run({ 'signer-url': `${signer.url}/ok`, headers: `X-Evil: ${evil}`, 'fields-path': '', lang: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(signer.requests.slice(before)[0]!.headers['x-evil']).toBe(evil);
  });

  test('no signer, or an unreachable one: exit 2 / 3 with the reason, no SARIF left behind', async () => {
    const none = await run({ sarif: 'none.sarif' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--signer-url');
    expect(none.outputs).toEqual({ 'exit-code': '2', sarif: '' });
    expect(existsSync(join(work, 'none.sarif'))).toBe(false);
    const down = await run({ 'signer-url': 'http://127.0.0.1:9/api/upload-form' });
    expect(down.code).toBe(3);
    expect(down.outputs['exit-code']).toBe('3');
  });
});
