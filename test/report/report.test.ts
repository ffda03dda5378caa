// SARIF, GitHub annotations, --fail-on and --redact on check and explain.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { findingEntries, kbEntries } from '../../src/core/catalogue.js';
import { checkToGithub, checkToSarif, escapeData, escapeProperty, workflowCommand } from '../../src/report/index.js';
import { fails, parseFailOn } from '../../src/report/fail-on.js';
import { b64, field, file, request } from '../check/helpers.js';
import { cli } from './helpers.js';

const root = resolve(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(__dirname, 'sarif-2.1.0.subset.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validateSarif = ajv.compile(schema);

const COS_EXPIRED = 'examples/cos/sample1-simple.http';
const OSS_OK = 'examples/oss/postobject-v1.json';
const OSS_SECRET = 'ExampleSecretKey0000000000000000';

function sarifOf(out: string): any {
  const doc = JSON.parse(out);
  const ok = validateSarif(doc);
  expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
  return doc;
}

describe('SARIF', () => {
  test('check --format sarif: valid SARIF 2.1.0, one rule per KB and finding entry, one result per finding', async () => {
    const json = await cli(['check', COS_EXPIRED, '--format', 'json', '--now', '2030-01-01T00:00:00Z']);
    const findings = JSON.parse(json.out).findings as Array<{ id: string; severity: string; title: string; predicts: any }>;
    expect(findings.length).toBeGreaterThan(0);
    const r = await cli(['check', COS_EXPIRED, '--format', 'sarif', '--now', '2030-01-01T00:00:00Z']);
    expect(r.err).toBe('');
    expect(r.code).toBe(json.code);
    const doc = sarifOf(r.out);
    expect(doc.version).toBe('2.1.0');
    const run = doc.runs[0];
    const driver = run.tool.driver;
    expect(driver.name).toBe('post-doctor');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const ids = driver.rules.map((x: any) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(kbEntries.length + findingEntries.length);
    for (const e of kbEntries) expect(ids).toContain(e.id);
    for (const e of findingEntries) expect(ids).toContain(e.id);
    // a KB rule carries cause + steps as help, and its first doc link
    const kb = kbEntries.find((e) => e.docs.length > 0 && e.text.en.steps.length > 0)!;
    const kbRule = driver.rules.find((x: any) => x.id === kb.id);
    expect(kbRule.help.text).toContain(kb.text.en.cause);
    expect(kbRule.help.text).toContain(`1. ${kb.text.en.steps[0]}`);
    expect(kbRule.helpUri).toBe(kb.docs[0]);
    // results, in order, with the prediction
    expect(run.results.map((x: any) => x.ruleId)).toEqual(findings.map((f) => f.id));
    for (const [i, res] of run.results.entries()) {
      const f = findings[i]!;
      expect(res.level).toBe(f.severity === 'info' ? 'note' : f.severity);
      expect(driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.message.text).toContain(f.title);
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(COS_EXPIRED);
      expect(res.properties.predicts === null ? null : res.properties.predicts.code).toBe(f.predicts === null ? null : f.predicts.code);
    }
    expect(run.results.some((x: any) => x.ruleId === 'time.expired' || x.ruleId.startsWith('cos.key-time'))).toBe(true);
  });

  test('a finding with a line fact gets a region; stdin input has no location', async () => {
    const req = request('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', [
      field('key', 'a.txt'),
      field('policy', b64('{"expiration": "2030-01-01T00:00:00.000Z",\n "conditions": [ }')),
      file(10),
    ]);
    const result = await check(req, { provider: 'cos', now: new Date('2029-01-01T00:00:00Z') });
    const withLine = result.findings.find((f) => typeof f.facts.line === 'number');
    expect(withLine, JSON.stringify(result.findings.map((f) => [f.id, f.facts]))).toBeDefined();
    const doc = checkToSarif(result, { uri: 'captures\\form.json' });
    expect(validateSarif(doc)).toBe(true);
    const res = doc.runs[0]!.results.find((r) => r.ruleId === withLine!.id)!;
    expect(res.locations![0]!.physicalLocation.artifactLocation.uri).toBe('captures/form.json');
    expect(res.locations![0]!.physicalLocation.region!.startLine).toBe(withLine!.facts.line);
    const noUri = checkToSarif(result, {});
    expect(noUri.runs[0]!.results.every((r) => r.locations === undefined)).toBe(true);
  });

  test('explain --format sarif: the best match as an error result naming the KB rule', async () => {
    const r = await cli(['explain', "Condition key q-ak doesn't match the value AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q", '--provider', 'cos', '--format', 'sarif']);
    expect(r.code).toBe(0);
    const doc = sarifOf(r.out);
    const res = doc.runs[0].results;
    expect(res.length).toBeGreaterThan(0);
    expect(res[0].level).toBe('error');
    expect(res[0].ruleId).toMatch(/^cos\./);
    expect(r.out).not.toContain('AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q');
  });
});

describe('GitHub workflow commands', () => {
  test('escaping of data and properties', () => {
    expect(escapeData('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab: c, d');
    expect(escapeProperty('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab%3A c%2C d');
    expect(
      workflowCommand(
        'warning',
        [
          ['file', 'dir/a,b:c.json'],
          ['title', 'T: 50%'],
          ['line', undefined],
        ],
        'x\ny',
      ),
    ).toBe('::warning file=dir/a%2Cb%3Ac.json,title=T%3A 50%25::x%0Ay\n');
    expect(workflowCommand('error', [], 'm')).toBe('::error::m\n');
  });

  test('check --format github: one annotation per finding with title, detail and prediction', async () => {
    const json = JSON.parse((await cli(['check', COS_EXPIRED, '--format', 'json', '--now', '2030-01-01T00:00:00Z'])).out);
    const r = await cli(['check', COS_EXPIRED, '--format', 'github', '--now', '2030-01-01T00:00:00Z']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBe(json.findings.length);
    for (const [i, line] of lines.entries()) {
      const f = json.findings[i];
      const level = f.severity === 'info' ? 'notice' : f.severity;
      expect(line.startsWith(`::${level} file=${escapeProperty(COS_EXPIRED)},title=${escapeProperty(f.title)}::`)).toBe(true);
      expect(line).toContain(escapeData(f.detail));
      if (f.predicts) expect(line).toContain(escapeData(` — predicts ${f.predicts.status} ${f.predicts.code}: ${f.predicts.message}`));
    }
  });

  test('stdin input: no file property; multi-line details stay on one line', async () => {
    const req = request('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', [field('key', 'a.txt'), file(10)]);
    const result = await check(req, { provider: 'cos', now: new Date('2029-01-01T00:00:00Z') });
    result.findings.push({ id: 'internal.check-failed', severity: 'warning', facts: { check: 'x', message: 'line1\nline2, 100%' }, predicts: null });
    const out = checkToGithub(result, {});
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBe(result.findings.length);
    expect(lines.every((l) => /^::(error|warning|notice) title=/.test(l))).toBe(true);
    expect(out).toContain('line1%0Aline2, 100%25');
  });
});

describe('--fail-on', () => {
  test('parse and decide', () => {
    expect(parseFailOn(undefined)).toBe('error');
    expect(() => parseFailOn('sometimes')).toThrow(/^failOn must be one of error, warning, never/);
    const w = [{ severity: 'warning' as const }];
    expect(fails(w, 'error')).toBe(false);
    expect(fails(w, 'warning')).toBe(true);
    expect(fails([{ severity: 'error' as const }], 'never')).toBe(false);
    expect(fails([{ severity: 'info' as const }], 'warning')).toBe(false);
  });

  test('check: default error, never, warning', async () => {
    const bad = await cli(['check', COS_EXPIRED, '--now', '2030-01-01T00:00:00Z']);
    expect(bad.code).toBe(1);
    expect((await cli(['check', COS_EXPIRED, '--now', '2030-01-01T00:00:00Z', '--fail-on', 'never'])).code).toBe(0);
    const ok = await cli(['check', OSS_OK, '--format', 'json', '--now', '2029-12-31T00:00:00Z'], { env: { OSS_ACCESS_KEY_SECRET: OSS_SECRET } });
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.out);
    const warned = await cli(['check', OSS_OK, '--now', '2029-12-31T00:00:00Z', '--fail-on', 'warning'], { env: { OSS_ACCESS_KEY_SECRET: OSS_SECRET } });
    expect(warned.code).toBe(doc.summary.warnings > 0 ? 1 : 0);
    // bad input stays exit 2 whatever --fail-on says
    expect((await cli(['check', 'no-such-file.http', '--fail-on', 'never'])).code).toBe(2);
    expect((await cli(['check', COS_EXPIRED, '--fail-on', 'maybe'])).code).toBe(2);
  });

  test('explain: unchanged unless never', async () => {
    expect((await cli(['explain', 'no idea what this is zzz'])).code).toBe(1);
    expect((await cli(['explain', 'no idea what this is zzz', '--fail-on', 'warning'])).code).toBe(1);
    expect((await cli(['explain', 'no idea what this is zzz', '--fail-on', 'never'])).code).toBe(0);
    expect((await cli(['explain', 'SignatureDoesNotMatch', '--provider', 'oss', '--fail-on', 'error'])).code).toBe(0);
  });
});

describe('--redact', () => {
  test('hides field values, policy values, file names and the bucket, keeps provider host parts', async () => {
    const plain = await cli(['check', COS_EXPIRED, '--format', 'json', '--now', '2030-01-01T00:00:00Z']);
    const p = JSON.parse(plain.out);
    const r = await cli(['check', COS_EXPIRED, '--format', 'json', '--now', '2030-01-01T00:00:00Z', '--redact']);
    expect(r.code).toBe(plain.code);
    const d = JSON.parse(r.out);
    const bucket = p.endpoint.bucket as string;
    expect(bucket.length).toBeGreaterThan(3);
    expect(r.out).not.toContain(bucket);
    expect(d.request.url).toMatch(/\[redacted-\d+\]\.cos\.[a-z-]+\.myqcloud\.com/);
    const key = p.request.key as string;
    expect(r.out).not.toContain(key);
    if (p.request.file?.name) expect(r.out).not.toContain(p.request.file.name);
    for (const c of p.policy.conditions) if ((c.type === 'eq' || c.type === 'starts-with') && c.value.length >= 4 && !/^q-/.test(c.field.replace('$', ''))) expect(r.out).not.toContain(`"${c.value}"`);
    // field names and protocol values stay; the findings are the same
    expect(d.request.fields.map((f: string[]) => f[0])).toEqual(p.request.fields.map((f: string[]) => f[0]));
    expect(d.request.fields.find((f: string[]) => f[0] === 'q-sign-algorithm')?.[1]).toBe('sha1');
    expect(d.findings.map((f: any) => f.id)).toEqual(p.findings.map((f: any) => f.id));
    // the input's file name is hidden in SARIF / GitHub
    const s = await cli(['check', COS_EXPIRED, '--format', 'sarif', '--now', '2030-01-01T00:00:00Z', '--redact']);
    expect(s.out).not.toContain('sample1-simple');
    expect(s.out).toContain('redacted-input.http');
  });

  test('explain --redact hides the bucket and request id of the answer', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message><BucketName>my-secret-project-bucket</BucketName><RequestId>5F0C1A2B3C4D5E6F70819203</RequestId><HostId>my-secret-project-bucket.oss-cn-hangzhou.aliyuncs.com</HostId></Error>';
    const dir = mkdtempSync(join(tmpdir(), 'pd-redact-'));
    const f = join(dir, 'answer.xml');
    writeFileSync(f, xml);
    const plain = await cli(['explain', f, '--format', 'json']);
    expect(plain.out).toContain('my-secret-project-bucket');
    const r = await cli(['explain', f, '--format', 'json', '--redact']);
    expect(r.code).toBe(plain.code);
    expect(r.out).not.toContain('my-secret-project-bucket');
    expect(r.out).not.toContain('5F0C1A2B3C4D5E6F70819203');
    expect(JSON.parse(r.out).error.code).toBe('NoSuchBucket');
  });
});

test('root is the repository', () => {
  expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('"post-doctor"');
});
