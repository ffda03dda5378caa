// The published library as a user gets it: `import { check, explain, sign } from 'post-doctor'`
// resolved through node_modules and package.json "exports" to dist/api.js, with the type
// declarations of dist/types. Needs the build (npm test builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const root = resolve(__dirname, '..', '..');
const consumer = mkdtempSync(join(tmpdir(), 'pd-consumer-'));

beforeAll(() => {
  expect(existsSync(join(root, 'dist', 'api.js')), 'dist/api.js is missing: run the build (npm test builds first)').toBe(true);
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(root, join(consumer, 'node_modules', 'post-doctor'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});

const USE = `
import { check, explain, sign, parseUpload, toSarif, toJson, toGithub, preflight, CHECK_SCHEMA, VERSION } from 'post-doctor';
let writes = 0;
const realWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (...a) => { writes++; return true; };
const realErr = process.stderr.write.bind(process.stderr);
process.stderr.write = (...a) => { writes++; return true; };
for (const k of ['log', 'error', 'warn', 'info']) console[k] = () => { writes++; };
process.exit = () => { throw new Error('the library called process.exit'); };

const now = new Date('2030-01-01T00:00:00Z');
const form = sign({ provider: 's3', bucket: 'consumer-bucket', region: 'eu-west-1', keyPrefix: 'in/', maxSize: 1000, now,
  expiresAt: new Date(now.getTime() + 600000), accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'consumer-secret' });
const req = await parseUpload({ source: 'form.json', path: null, text: JSON.stringify({ url: form.url, method: 'POST',
  fields: form.fields.map(([k, v]) => k === 'key' ? [k, 'in/a.txt'] : [k, v]),
  file: { field: 'file', name: 'a.txt', contentType: 'text/plain', content: 'hello' } }) });
const good = await check(req, { now, secret: 'consumer-secret' });
const bad = await check(req, { now, secret: 'another-secret' });
const ignored = await check(req, { now, secret: 'another-secret', ignore: ['signature.invalid'] });
const ex = explain('SignatureDoesNotMatch', { provider: 'oss' });
const sarif = toSarif(bad, { uri: 'form.json' });
const json = toJson(bad);
const gh = toGithub(bad, { file: 'form.json' });
process.stdout.write = realWrite;
realWrite(JSON.stringify({
  writes, version: VERSION, schema: CHECK_SCHEMA, fns: [typeof check, typeof explain, typeof sign, typeof preflight],
  good: good.verdict, bad: bad.verdict, badIds: bad.findings.map((f) => f.id), ignored: ignored.verdict,
  recognised: ex.recognised, sarifVersion: sarif.version, sarifResults: sarif.runs[0].results.length,
  jsonSchema: json.schema, ghLines: gh.trim().split('\\n').length, secretLeak: JSON.stringify(json).includes('another-secret'),
}));
`;

describe('the built package', () => {
  test('resolves through package.json exports and works without printing or exiting', () => {
    writeFileSync(join(consumer, 'use.mjs'), USE);
    const r = spawnSync(process.execPath, ['use.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.writes).toBe(0);
    expect(out.fns).toEqual(['function', 'function', 'function', 'function']);
    expect(out.schema).toBe('post-doctor/check@1');
    expect(out.good).toBe('pass');
    expect(out.bad).toBe('fail');
    expect(out.badIds).toContain('signature.invalid');
    expect(out.ignored).toBe('pass');
    expect(out.recognised).toBe(true);
    expect(out.sarifVersion).toBe('2.1.0');
    expect(out.sarifResults).toBe(out.badIds.length);
    expect(out.jsonSchema).toBe('post-doctor/check@1');
    expect(out.ghLines).toBe(out.badIds.length);
    expect(out.secretLeak).toBe(false);
  });

  test('ships type declarations that a TypeScript consumer compiles against', () => {
    expect(existsSync(join(root, 'dist', 'types', 'api.d.ts'))).toBe(true);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { check, explain, sign, toSarif, type CheckResult, type UploadRequest, type ExplainResult, type SignedForm, type SarifLog, type Finding } from 'post-doctor';
export async function run(req: UploadRequest): Promise<number> {
  const result: CheckResult = await check(req, { provider: 'cos', now: new Date(), downgrade: { 'time.expired': 'warning' } });
  const errors: Finding[] = result.findings.filter((f) => f.severity === 'error');
  const ex: ExplainResult = explain('AccessDenied', { provider: 'cos', lang: 'ja' });
  const form: SignedForm = sign({ provider: 'oss', bucket: 'b', region: 'cn-hangzhou', now: new Date(), expiresAt: new Date(), accessKeyId: 'a', secret: 's' });
  const log: SarifLog = toSarif(result);
  // @ts-expect-error: not a provider
  await check(req, { provider: 'azure' });
  // @ts-expect-error: downgrade levels are warning or info
  await check(req, { downgrade: { 'time.expired': 'fatal' } });
  // @ts-expect-error: explain takes text
  explain(42);
  return errors.length + ex.matches.length + form.fields.length + log.runs.length;
}
`,
    );
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], { cwd: consumer, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
