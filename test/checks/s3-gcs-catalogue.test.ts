// Every knowledge-base entry the S3 / RGW / GCS checks can predict exists, every finding they
// can report has en, ja and zh words with the same placeholders, and the checks are registered.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { findingEntry, kbEntry } from '../../src/core/catalogue.js';
import { placeholders } from '../../src/core/template.js';
import { checks } from '../../src/checks/index.js';

const dir = fileURLToPath(new URL('../../src/checks/', import.meta.url));
const files = readdirSync(dir).filter((n) => /^(s3|gcs)-.*\.ts$/.test(n));
const source = files.map((n) => readFileSync(dir + n, 'utf8')).join('\n');

const predicted = [...new Set([...source.matchAll(/'((?:s3|rgw|gcs)\.(?:post|code)\.[a-z0-9.-]+)'/g)].map((m) => m[1] as string))].sort();
const emitted = [...new Map([...source.matchAll(/id: '((?:s3|gcs)\.[a-z0-9.-]+)',\s*severity: '(error|warning|info)'/g)].map((m) => [m[1] as string, m[2] as string])).entries()];
// ids chosen by a conditional expression: id: cond ? 'a' : 'b', severity: ...
for (const m of source.matchAll(/id: [^,\n]*\? '((?:s3|gcs)\.[a-z0-9.-]+)' : '((?:s3|gcs)\.[a-z0-9.-]+)',\s*severity: '(error|warning|info)'/g)) {
  emitted.push([m[1] as string, m[3] as string], [m[2] as string, m[3] as string]);
}

describe('predictions', () => {
  test('the scan finds the predictions', () => {
    expect(predicted).toEqual(
      expect.arrayContaining([
        's3.post.missing-field',
        's3.post.extra-input-fields',
        's3.post.condition-failed',
        'rgw.post.missing-condition',
        'rgw.post.missing-auth-field',
        'gcs.post.invalid-policy-document',
      ]),
    );
  });
  test.each(predicted)('%s exists in the knowledge base', (id) => {
    expect(kbEntry(id), `missing KB entry ${id}`).toBeDefined();
  });
  test('RGW predictions use RGW entries and AWS predictions AWS entries', () => {
    for (const id of predicted) {
      const e = kbEntry(id)!;
      if (id.startsWith('rgw.')) expect(e.server, id).toBe('rgw');
      if (id.startsWith('s3.')) expect(e.server ?? 'aws', id).toBe('aws');
    }
  });
});

describe('findings', () => {
  test('the scan finds the findings', () => {
    expect(emitted.length).toBeGreaterThanOrEqual(30);
  });
  test.each(emitted)('%s has a catalogue entry with severity %s and en/ja/zh text', (id, severity) => {
    const e = findingEntry(id);
    expect(e, `missing finding ${id}`).toBeDefined();
    expect(e!.severity).toBe(severity);
    const names = (l: 'en' | 'ja' | 'zh') => new Set([e!.text[l]!.title, e!.text[l]!.detail, ...(e!.text[l]!.fix ?? [])].flatMap(placeholders));
    for (const lang of ['en', 'ja', 'zh'] as const) expect(e!.text[lang]?.title ?? '').not.toBe('');
    expect(names('ja')).toEqual(names('en'));
    expect(names('zh')).toEqual(names('en'));
  });
});

test('the S3 and GCS checks are registered once each', () => {
  const names = checks.map((c) => c.id);
  for (const id of ['s3.signature-fields', 's3.policy-fields', 's3.conditions', 's3.credential', 's3.pre-data', 'gcs.fields', 'gcs.policy-fields', 'gcs.conditions', 'gcs.credential']) {
    expect(
      names.filter((n) => n === id),
      id,
    ).toHaveLength(1);
  }
});
