// Issue 12: real pastes collected from public issue threads and Q&A pages, kept verbatim under
// test/fixtures/pastes/<area>/*.yaml with their source and what the thread established (format:
// test/fixtures/pastes/README.md). Each runs through explain as a user's paste would.
//
// A case with `disagrees:` names a known disagreement between the product and the collector's
// expectation, with the reason; it runs as an expected failure (`it.fails`), so fixing it turns
// the test red until the note is removed. The whole corpus must stay at or above ACCURACY.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { explain } from '../../src/explain/index.js';
import { PROVIDER_IDS, type ProviderId } from '../../src/core/types.js';

interface Paste {
  source: string;
  title: string;
  shape: string;
  established: string;
  paste: string;
  expect: {
    provider: ProviderId | 'unknown';
    server?: 'aws' | 'rgw' | 'minio';
    code?: string;
    status?: number;
    rule?: string;
    candidates?: ProviderId[];
    facts?: Record<string, unknown>;
  };
  disagrees?: string;
}

const ROOT = join(__dirname, '..', 'fixtures', 'pastes');
const ACCURACY = 0.8;
/** Facts the product reads (others in a fixture are notes for the reader). */
const CHECKED_FACTS = ['host', 'origin', 'blocked'];

const cases: Array<{ file: string; doc: Paste }> = [];
for (const area of readdirSync(ROOT, { withFileTypes: true })) {
  if (!area.isDirectory()) continue;
  for (const f of readdirSync(join(ROOT, area.name)).sort()) {
    if (f.endsWith('.yaml')) cases.push({ file: `${area.name}/${f}`, doc: YAML.parse(readFileSync(join(ROOT, area.name, f), 'utf8')) as Paste });
  }
}

function problems(doc: Paste): string[] {
  const r = explain(doc.paste, { lang: 'en', now: new Date('2024-01-01T00:00:00Z') });
  const e = doc.expect;
  const out: string[] = [];
  if (r.provider !== e.provider) out.push(`provider ${r.provider}, expected ${e.provider}`);
  if (e.provider === 'unknown' && e.candidates) {
    for (const c of e.candidates) if (!r.candidates.includes(c)) out.push(`candidate ${c} missing from ${r.candidates.join(',')}`);
  }
  if (e.server && r.server !== e.server) out.push(`server ${r.server}, expected ${e.server}`);
  if (e.code && (r.error.code ?? '').toLowerCase() !== e.code.toLowerCase()) out.push(`code ${r.error.code}, expected ${e.code}`);
  if (e.status && r.error.status !== null && r.error.status !== e.status) out.push(`status ${r.error.status}, expected ${e.status}`);
  if (e.rule && r.matches[0]?.rule !== e.rule) out.push(`rule ${r.matches[0]?.rule ?? 'none'}, expected ${e.rule}`);
  const facts = { ...r.facts, ...(r.matches[0]?.facts ?? {}) } as Record<string, unknown>;
  for (const k of CHECKED_FACTS) {
    // where the block happened is told only for a console CORS line
    if (k === 'blocked' && facts.browser === undefined) continue;
    if (e.facts && k in e.facts && String(facts[k] ?? '').toLowerCase() !== String(e.facts[k]).toLowerCase()) out.push(`fact ${k}=${String(facts[k])}, expected ${String(e.facts[k])}`);
  }
  return out;
}

describe('real pastes', () => {
  it('the corpus holds at least 100 real pastes, each in the documented format', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const { file, doc } of cases) {
      expect(doc.source, file).toMatch(/^https?:\/\//);
      expect(typeof doc.paste, file).toBe('string');
      expect(doc.paste.trim(), file).not.toBe('');
      expect(typeof doc.established, file).toBe('string');
      expect([...PROVIDER_IDS, 'unknown'], file).toContain(doc.expect.provider);
    }
  });

  it(`at least ${ACCURACY * 100} % are read right (provider, server, code, entry, facts)`, () => {
    const wrong = cases.filter((c) => problems(c.doc).length > 0).map((c) => c.file);
    expect((cases.length - wrong.length) / cases.length, wrong.join('\n')).toBeGreaterThanOrEqual(ACCURACY);
  });

  it('every shape of paste the issue names is read right at least once', () => {
    const REQUIRED = [
      'xml',
      'http-response',
      'devtools',
      'json',
      'json-log-escaped',
      'prose-prefix',
      'log-prefix',
      'cjk-prose',
      'markdown',
      'code-glued',
      'code-line-above',
      'stack-php',
      'stack-java',
      'stack-python',
      'stack-node',
      'botocore',
      'aws-java',
      'aws-js-v2',
      'aws-js-v3',
      'aws-go',
      'aws-php',
      'aws-dotnet',
      'ali-oss',
      'cos-js',
      'mobile-sdk',
      'minio-sdk',
      'console-cors-chrome',
      'console-cors-firefox',
      'console-cors-safari',
      'bare-message',
      'bare-code',
    ];
    const right = new Set(cases.filter((c) => !c.doc.disagrees && problems(c.doc).length === 0).map((c) => c.doc.shape));
    expect(REQUIRED.filter((s) => !right.has(s))).toEqual([]);
  });

  it('no paste is refused as unreadable, and a paste whose provider cannot be told gets candidates', () => {
    for (const { file, doc } of cases) {
      const r = explain(doc.paste, { lang: 'en' });
      if (r.provider === 'unknown' && r.recognised) expect(r.candidates.length, file).toBeGreaterThan(0);
    }
  });

  for (const { file, doc } of cases) {
    if (doc.disagrees) {
      it.fails(`${file} (known disagreement: ${doc.disagrees.slice(0, 80)})`, () => {
        expect(problems(doc)).toEqual([]);
      });
    } else {
      it(file, () => {
        expect(problems(doc)).toEqual([]);
      });
    }
  }
});
