// post-doctor.config.json / package.json "postDoctor": validation, messages, and its effect on check.
import type { FindingId } from '../../src/generated/ids.js';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyFindingRules, loadConfig, validateConfig } from '../../src/config/index.js';
import { InputError } from '../../src/core/errors.js';
import { cli } from './helpers.js';

const root = resolve(__dirname, '..', '..');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pd-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  cpSync(join(root, 'examples/cos/sample1-simple.http'), join(dir, 'capture.http'));
  return dir;
}

const NOW = ['--now', '2030-01-01T00:00:00Z'];

describe('config file', () => {
  test('no config: null; post-doctor.config.json wins over package.json', () => {
    expect(loadConfig(project({}))).toBeNull();
    const both = project({ 'post-doctor.config.json': '{"provider": "oss"}', 'package.json': '{"name": "x", "postDoctor": {"provider": "cos"}}' });
    expect(loadConfig(both)).toMatchObject({ config: { provider: 'oss' }, source: 'post-doctor.config.json' });
    const pkg = project({ 'package.json': '{"name": "x", "postDoctor": {"provider": "cos", "format": "json"}}' });
    expect(loadConfig(pkg)).toMatchObject({ config: { provider: 'cos', format: 'json' } });
    expect(loadConfig(project({ 'package.json': '{"name": "x"}' }))).toBeNull();
  });

  test('precise messages with line numbers', () => {
    const msg = (text: string): string => {
      try {
        loadConfig(project({ 'post-doctor.config.json': text }));
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(msg('{\n  "provider": "cos",\n  "ignore": "time.expired"\n}')).toBe("post-doctor.config.json: 'ignore' must be an array of finding ids (line 3)");
    expect(msg('{\n  "ignore": ["time.expird"]\n}')).toBe("post-doctor.config.json: 'ignore' names unknown finding id 'time.expird' (line 2)");
    expect(msg('{\n  "downgrade": {\n    "time.expired": "error"\n  }\n}')).toBe('post-doctor.config.json: \'downgrade.time.expired\' must be "warning" or "info" (line 3)');
    expect(msg('{"provider": "azure"}')).toMatch(/'provider' must be one of cos, oss, s3, gcs, obs, tos \(line 1\)/);
    expect(msg('{"secretEnv": {"cos": "not a name"}}')).toMatch(/'secretEnv.cos' must be an environment variable name/);
    expect(msg('{"format": "xml"}')).toMatch(/'format' must be one of text, json, sarif, github/);
    expect(msg('{\n\n  "colour": true}')).toBe("post-doctor.config.json: unknown property 'colour' (allowed: provider, secretEnv, ignore, downgrade, format, failOn) (line 3)");
    expect(msg('{\n  "provider": "cos",\n}')).toMatch(/^post-doctor.config.json: not valid JSON: .*\(line 3, column 1\)$/);
    expect(msg('[]')).toMatch(/must be a JSON object/);
    expect(() => validateConfig({ postDoctor: 1 }, 'package.json ("postDoctor")')).toThrow(/package.json \("postDoctor"\): unknown property 'postDoctor'/);
  });

  test('invalid config is exit 2 with the message on stderr', async () => {
    const dir = project({ 'post-doctor.config.json': '{\n  "ignore": 3\n}' });
    const r = await cli(['check', join(dir, 'capture.http'), ...NOW], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe("post-doctor: post-doctor.config.json: 'ignore' must be an array of finding ids (line 2)\n");
    const bad = project({ 'package.json': '{\n  "name": "app",\n  "postDoctor": {\n    "downgrade": []\n  }\n}' });
    const r2 = await cli(['check', join(bad, 'capture.http'), ...NOW], { cwd: bad });
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('package.json ("postDoctor"): \'downgrade\' must be an object');
    expect(r2.err).toContain('(line 4)');
  });

  test('ignore and downgrade apply after the engine, before the verdict', async () => {
    const plain = project({});
    const base = await cli(['check', join(plain, 'capture.http'), '--format', 'json', ...NOW], { cwd: plain });
    const errors = JSON.parse(base.out)
      .findings.filter((f: any) => f.severity === 'error')
      .map((f: any) => f.id) as string[];
    expect(base.code).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    const [first, ...rest] = errors;
    const dir = project({ 'post-doctor.config.json': JSON.stringify({ ignore: [first], downgrade: Object.fromEntries(rest.map((id) => [id, 'warning'])) }) });
    const r = await cli(['check', join(dir, 'capture.http'), '--format', 'json', ...NOW], { cwd: dir });
    const doc = JSON.parse(r.out);
    expect(doc.findings.map((f: any) => f.id)).not.toContain(first);
    for (const id of rest) expect(doc.findings.find((f: any) => f.id === id).severity).toBe('warning');
    expect(doc.verdict).toBe('pass');
    expect(r.code).toBe(0);
    expect((await cli(['check', join(dir, 'capture.http'), '--fail-on', 'warning', ...NOW], { cwd: dir })).code).toBe(rest.length > 0 ? 1 : 0);
  });

  test('format default from config; --format wins', async () => {
    const dir = project({ 'post-doctor.config.json': '{"format": "github", "failOn": "never"}' });
    const r = await cli(['check', join(dir, 'capture.http'), ...NOW], { cwd: dir });
    expect(r.out.startsWith('::error ')).toBe(true);
    expect(r.code).toBe(0);
    const j = await cli(['check', join(dir, 'capture.http'), '--format', 'text', '--fail-on', 'error', ...NOW], { cwd: dir });
    expect(j.out.startsWith('FAIL')).toBe(true);
    expect(j.code).toBe(1);
  });

  test('secretEnv names the variable holding the secret', async () => {
    const dir = project({ 'post-doctor.config.json': '{"secretEnv": {"cos": "MY_COS_SECRET"}}' });
    const r = await cli(['check', join(dir, 'capture.http'), '--format', 'json', ...NOW], { cwd: dir, env: { MY_COS_SECRET: 'SomeCosSecretValue0000' } });
    const doc = JSON.parse(r.out);
    expect(doc.signature.checked).toBe(true);
    expect(r.out).not.toContain('SomeCosSecretValue0000');
  });

  test('applyFindingRules never raises a severity and keeps order', () => {
    const f = (id: string, severity: 'error' | 'warning' | 'info') => ({ id: id as FindingId, severity, facts: {}, predicts: null });
    const out = applyFindingRules([f('a', 'error'), f('b', 'error'), f('c', 'info'), f('d', 'warning')], { ignore: ['d'], downgrade: { a: 'info', c: 'warning' } });
    expect(out.map((x) => [x.id, x.severity])).toEqual([
      ['b', 'error'],
      ['a', 'info'],
      ['c', 'info'],
    ]);
  });
});
