// Every knowledge-base entry the COS / OSS / endpoint checks can predict exists in the
// compiled catalogue, and every finding they can report has en, ja and zh words.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { findingEntry, kbEntry } from '../../src/core/catalogue.js';
import { placeholders } from '../../src/core/template.js';
import { EC_RULE } from '../../src/checks/oss-common.js';

const dir = fileURLToPath(new URL('../../src/checks/', import.meta.url));
const files = readdirSync(dir).filter((n) => /^(cos|oss|endpoint)-.*\.ts$/.test(n));
const source = files.map((n) => readFileSync(dir + n, 'utf8')).join('\n');

/** KB ids named as string literals, plus the entries of the EC codes the checks name. */
function predictedIds(): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/'((?:cos|oss)\.(?:post|code|ec|403|callback)\.[a-z0-9.-]+)'/g)) out.add(m[1] as string);
  for (const m of source.matchAll(/'(\d{4}-\d{8})'/g)) {
    const rule = EC_RULE[m[1] as string];
    out.add(rule ?? `unmapped EC ${m[1]}`);
  }
  return [...out].sort();
}

/** Finding ids with the severity the code gives them. */
function emitted(): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/id: '((?:cos|oss|endpoint)\.[a-z0-9.-]+)',\s*severity: '(error|warning|info)'/g)) out.set(m[1] as string, m[2] as string);
  for (const m of source.matchAll(/'(endpoint\.(?:cos|oss)\.[a-z0-9-]+)': \{ severity: '(error|warning|info)'/g)) out.set(m[1] as string, m[2] as string);
  return [...out.entries()];
}

describe('predictions', () => {
  const ids = predictedIds();
  test('the scan finds the predictions', () => {
    expect(ids).toEqual(expect.arrayContaining(['cos.post.q-ak-mismatch', 'cos.post.bucket-mismatch', 'oss.post.key-missing', 'oss.post.condition-failed-bucket', 'oss.ec.access-key-id-missing']));
  });
  test.each(ids)('%s exists in the knowledge base', (id) => {
    expect(kbEntry(id), `missing KB entry ${id}`).toBeDefined();
  });
});

describe('findings', () => {
  const list = emitted();
  test('the scan finds the findings', () => {
    expect(list.length).toBeGreaterThan(60);
  });
  test.each(list)('%s has a catalogue entry with severity %s and en/ja/zh text', (id, severity) => {
    const e = findingEntry(id);
    expect(e, `missing finding ${id}`).toBeDefined();
    expect(e!.severity).toBe(severity);
    for (const lang of ['en', 'ja', 'zh'] as const) {
      expect(e!.text[lang]?.title ?? '').not.toBe('');
      expect(e!.text[lang]?.detail ?? '').not.toBe('');
    }
    // the three languages use the same facts
    const names = (l: 'en' | 'ja' | 'zh') => new Set([e!.text[l]!.title, e!.text[l]!.detail, ...(e!.text[l]!.fix ?? [])].flatMap(placeholders));
    expect(names('ja')).toEqual(names('en'));
    expect(names('zh')).toEqual(names('en'));
  });
});
