// Guards between the checks and the finding catalogue:
// - every finding id a check can emit has a catalogue entry (static scan of the sources
//   plus every finding produced by the scenarios below);
// - every catalogue entry is declared by what emits it (a check's `emits`, the engine's or
//   serve's list) and every declared id is in the catalogue; for the generic areas (policy,
//   time, body, signature, internal, input, file) a scenario here emits it;
// - every placeholder of an emitted finding's templates (en, ja, zh) is given by its facts;
// - every prediction names an existing knowledge-base entry.
import { FINDING_SEVERITY, type FindingId } from '../../src/generated/ids.js';
import { describe, expect, test } from 'vitest';
import { check, ENGINE_EMITS } from '../../src/check/index.js';
import type { CheckContext, CheckFinding } from '../../src/check/types.js';
import { checks } from '../../src/checks/index.js';
import { SERVE_EMITS } from '../../src/serve/emits.js';
import { signatureVerify } from '../../src/checks/signature-verify.js';
import { findingEntries, findingEntry, kbEntry, renderFinding } from '../../src/core/catalogue.js';
import { FormView } from '../../src/core/fields.js';
import { placeholders } from '../../src/core/template.js';
import type { BodyProblemKind, Finding, SignatureReport, UploadRequest } from '../../src/core/types.js';
import { LANGS } from '../../src/core/types.js';
import { adapter } from '../../src/providers/index.js';
import { b64, cosPolicy, cosRequest, field, file, ossPolicy, ossRequest } from './helpers.js';

const BODY_KINDS: BodyProblemKind[] = ['no-content-type', 'not-multipart', 'missing-boundary', 'boundary-mismatch', 'no-closing-delimiter', 'no-content-disposition', 'bare-lf', 'parse-error'];
const GENERIC_FILES = ['policy', 'time', 'body', 'signature', 'internal', 'input', 'file'].map((a) => `rules/findings/${a}.yaml`);

// ---------------------------------------------------------------------------
// Scenarios: requests that together make the generic checks emit every finding they have.

const now = new Date('2029-12-31T00:00:00Z');
const exp = '2030-01-01T00:00:00.000Z';
const emitted: Finding[] = [];
const cond = (c: unknown) => ossRequest({ expiration: exp, conditions: [{ a: 'b' }, c] });

async function runScenarios(): Promise<void> {
  const runs: Array<[UploadRequest, Parameters<typeof check>[1]]> = [
    [ossRequest(ossPolicy({ expiration: exp })), { now }],
    [ossRequest('not%base64'), { now }],
    [
      ossRequest(
        b64({ expiration: exp, conditions: [{ 'x-oss-meta-a': '>>>?' }] })
          .replace(/\+/g, '-')
          .replace(/\//g, '_'),
      ),
      { now },
    ],
    [ossRequest(b64(ossPolicy()).replace(/(.{20})/g, '$1\n')), { now }],
    [ossRequest(Buffer.from('{"a":"bc"}').toString('base64').replace(/=+$/, '')), { now }],
    [ossRequest(`${b64(ossPolicy())}===`), { now }],
    [ossRequest(`${Buffer.from('{"ab":1}').toString('base64')}${Buffer.from('{"ab":1}').toString('base64')}`), { now }],
    [ossRequest('abcde'), { now }],
    [ossRequest(' '), { now }],
    [ossRequest(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64')), { now }],
    [ossRequest(Buffer.from(`\ufeff${JSON.stringify(ossPolicy())}`).toString('base64')), { now }],
    [ossRequest(b64('{"expiration": "2030-01-01T00:00:00.000Z", "expiration": "2030-01-01T00:00:00.000Z", "conditions": [{"a": "b"}]}')), { now }],
    [ossRequest(b64([1])), { now }],
    [ossRequest({ expiration: exp, conditions: [{ a: 'b' }], extra: 1 }), { now }],
    [ossRequest({ conditions: [{ a: 'b' }] }), { now }],
    [ossRequest({ expiration: 1, conditions: [{ a: 'b' }] }), { now }],
    [ossRequest({ expiration: 'soon', conditions: [{ a: 'b' }] }), { now }],
    [ossRequest({ expiration: '2030-01-01T08:00:00+08:00', conditions: [{ a: 'b' }] }), { now }],
    [ossRequest({ expiration: exp }), { now }],
    [ossRequest({ expiration: exp, conditions: {} }), { now }],
    [ossRequest({ expiration: exp, conditions: [] }), { now }],
    [cond({ a: 'b', c: 'd' }), { now }],
    [cond(5), { now }],
    [cond(['in', '$key', 'a']), { now }],
    [cond(['eq', '$key']), { now }],
    [cond(['eq', 'key', 'a']), { now }],
    [cond(['eq', 1, 'a']), { now }],
    [cond(['eq', '$success_action_status', 201]), { now }],
    [cond(['content-length-range', 'x', 1]), { now }],
    [cond(['content-length-range', 9, 1]), { now }],
    [ossRequest(ossPolicy({ expiration: exp })), { now: new Date('2030-01-02T00:00:00Z') }],
    [ossRequest(ossPolicy({ expiration: exp })), { now: new Date('2029-12-31T23:00:00Z'), serverTime: new Date('2030-01-01T01:00:00Z') }],
    [ossRequest(ossPolicy({ expiration: exp })), { now: new Date('2029-12-31T23:00:00Z'), serverTime: new Date('2029-12-31T22:00:00Z') }],
    [ossRequest(ossPolicy({ expiration: exp })), { now: new Date('2029-12-01T00:00:00Z') }],
    [ossRequest(ossPolicy({ expiration: exp })), { now: new Date('2029-12-01T00:00:00Z'), provider: 'gcs' }],
    [ossRequest(ossPolicy({ expiration: exp, conditions: [['content-length-range', 10, 20]] }), { fileSize: 30 }), { now }],
    [ossRequest(ossPolicy({ expiration: exp, conditions: [['content-length-range', 10, 20]] }), { fileSize: 3 }), { now }],
    [ossRequest(ossPolicy({ expiration: exp, conditions: [['content-length-range', 10, 20]] }), { fileSize: null }), { now }],
    [ossRequest(ossPolicy({ expiration: exp }), { fileSize: 6 * 1024 ** 3 }), { now }],
    [ossRequest(ossPolicy({ expiration: exp }), { extra: [file(3, 'file0')] }), { now }],
    [cosRequest(cosPolicy({ expiration: exp }), { fileSize: 10 }), { now, secret: 'wrong-secret-value' }],
    [cosRequest(cosPolicy({ expiration: exp }), { fileSize: 10 }), { now, secret: '' }],
  ];
  const noFile = ossRequest(ossPolicy({ expiration: exp }));
  noFile.parts = noFile.parts.filter((p) => p.kind !== 'file');
  runs.push([noFile, { now }]);
  const after = ossRequest(ossPolicy({ expiration: exp }));
  after.parts.push(field('x-oss-meta-late', '1'));
  runs.push([after, { now }], [after, { now, provider: 's3' }]);
  const body = ossRequest(ossPolicy({ expiration: exp }));
  body.bodyProblems = BODY_KINDS.map((kind, i) => ({ kind, offset: i * 10, detail: '' }));
  body.notes = [
    { id: 'input.lf-transcription', facts: {} },
    { id: 'input.placeholder-file', facts: { field: 'file', text: '[Object Content]' } },
    { id: 'input.har-entry-picked', facts: {} },
    { id: 'input.content-length-mismatch', facts: {} },
    { id: 'input.file-missing', facts: {} },
    { id: 'input.file-part-added', facts: {} },
    { id: 'input.body-re-encoded', facts: { field: 'file', replacement: true } },
    { id: 'input.unresolved-variable', facts: { names: ['host'] } },
    { id: 'input.body-truncated', facts: { declared: 100, actual: 50 } },
    { id: 'input.not-a-known-note' as FindingId, facts: {} },
  ];
  runs.push([body, { now }]);
  const noPolicy = ossRequest(ossPolicy());
  noPolicy.parts = noPolicy.parts.filter((p) => p.name !== 'policy');
  runs.push([noPolicy, { now }]);
  for (const [req, opts] of runs) emitted.push(...(await check(req, opts)).findings);
  const boom = await check(ossRequest(ossPolicy({ expiration: exp })), {
    now,
    checks: [
      {
        id: 't.boom',
        providers: ['oss'],
        emits: [],
        run: () => {
          throw new Error('x');
        },
      },
    ],
  });
  emitted.push(...boom.findings);

  // signature reports as the adapters produce them
  const req = cosRequest(cosPolicy({ expiration: exp }));
  const ctx = (signature: SignatureReport | null, secret: string | null, provider: 'cos' | 'gcs' = 'cos'): CheckContext => ({
    req,
    form: new FormView(req),
    provider,
    adapter: provider === 'gcs' ? { ...adapter('gcs'), verifySignature: undefined } : adapter('cos'),
    server: 'aws',
    endpoint: null,
    policy: null,
    policyError: null,
    now,
    serverTime: null,
    secret,
    signature,
    cors: null,
  });
  const settled = (fs: CheckFinding[]): Finding[] => fs.map((f) => ({ ...f, severity: f.severity ?? FINDING_SEVERITY[f.id] }));
  const report = (o: Partial<SignatureReport> & { facts?: Record<string, unknown> }): SignatureReport =>
    ({ scheme: 'cos-sha1', checked: true, valid: false, steps: [], expected: 'a'.repeat(40), provided: 'b'.repeat(40), mistake: null, ...o }) as SignatureReport;
  emitted.push(...settled(signatureVerify.run(ctx(null, 'secret-value', 'gcs'))));
  emitted.push(...settled(signatureVerify.run(ctx(report({ valid: true }), 'k'))));
  emitted.push(...settled(signatureVerify.run(ctx(report({ checked: false, valid: null, reason: 'signature.fields-missing', facts: { scheme: 'cos-sha1', missing: ['q-ak'] } }), 'k'))));
  emitted.push(
    ...settled(signatureVerify.run(ctx(report({ checked: false, valid: null, reason: 'signature.credential-malformed', facts: { scheme: 'oss-v4', field: 'x-oss-credential', parts: 2 } }), 'k'))),
  );
  emitted.push(...settled(signatureVerify.run(ctx(report({ checked: false, valid: null, reason: 'signature.policy-undecodable', facts: { scheme: 'cos-sha1', field: 'policy' } }), 'k'))));
  const mistakes = findingEntries.filter((e) => e.id.startsWith('signature.mistake.')).map((e) => e.id);
  for (const m of [...mistakes.filter((x) => x !== 'signature.mistake.unknown'), 'signature.mistake.invented-here']) {
    // mistake facts as the adapters attach them
    const mistakeFacts = m.endsWith('wrong-region') ? { signedRegion: 'us-east-1', credentialRegion: 'eu-west-1', source: 'default' } : {};
    emitted.push(...settled(signatureVerify.run(ctx(report({ mistake: m, facts: { mistakeFacts } }), 'k'))));
  }
  for (const reason of ['signature.no-public-key', 'signature.key-unreadable']) {
    emitted.push(...settled(signatureVerify.run(ctx(report({ scheme: 'gcs-rsa', checked: false, valid: null, reason, facts: { scheme: 'gcs-rsa' } }), 'k'))));
  }
}

describe('finding catalogue guard', () => {
  test('scenarios run', async () => {
    await runScenarios();
    expect(emitted.length).toBeGreaterThan(50);
  });

  test('every finding emitted by the scenarios has a catalogue entry and renders in every language with all placeholders filled', () => {
    for (const f of emitted) {
      const entry = findingEntry(f.id);
      expect(entry, f.id).toBeDefined();
      for (const lang of LANGS) {
        const t = entry!.text[lang] ?? entry!.text.en;
        for (const tpl of [t.title, t.detail, ...(t.fix ?? [])]) {
          for (const name of placeholders(tpl)) expect(f.facts, `${f.id} (${lang}) uses {${name}}`).toHaveProperty(name);
        }
        const r = renderFinding(f, lang);
        for (const s of [r.title, r.detail, ...r.fix]) expect(s, `${f.id} ${lang}`).not.toMatch(/(?<!\$)\{[A-Za-z_][\w.-]*(\|[a-z]+)?\}/);
      }
    }
  });

  test('every entry of the generic catalogue files is emitted by some scenario', () => {
    const seen = new Set<string>(emitted.map((f) => f.id));
    const missing = findingEntries.filter((e) => GENERIC_FILES.includes(e.file.replace(/\\/g, '/')) && !seen.has(e.id)).map((e) => e.id);
    expect(missing).toEqual([]);
  });

  // Finding ids, note ids and prediction rules in the sources are typed (FindingId, KbId generated
  // from rules/ by scripts/compile-rules.mjs): a name that does not exist is a compile error.

  test('the declared emitters cover the catalogue exactly', () => {
    const declared = new Set<string>([...checks.flatMap((c) => c.emits), ...ENGINE_EMITS, ...SERVE_EMITS]);
    const undeclared = findingEntries.filter((e) => !declared.has(e.id)).map((e) => `${e.id} (${e.file})`);
    expect(undeclared).toEqual([]);
    const unknown = [...declared].filter((id) => !findingEntry(id));
    expect(unknown).toEqual([]);
  });

  test('every check declares what it emits, once each; check ids are unique', () => {
    for (const c of checks) {
      expect(c.emits.length, c.id).toBeGreaterThan(0);
      expect(new Set(c.emits).size, `${c.id} declares an id twice`).toBe(c.emits.length);
    }
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  test('every declared finding has en, ja and zh words with the same placeholders', () => {
    for (const id of new Set(checks.flatMap((c) => c.emits))) {
      const e = findingEntry(id)!;
      const names = (l: 'en' | 'ja' | 'zh') => new Set([e.text[l]!.title, e.text[l]!.detail, ...(e.text[l]!.fix ?? [])].flatMap(placeholders));
      for (const lang of ['en', 'ja', 'zh'] as const) {
        expect(e.text[lang]?.title ?? '', `${id} ${lang}`).not.toBe('');
        expect(e.text[lang]?.detail ?? '', `${id} ${lang}`).not.toBe('');
      }
      expect(names('ja'), id).toEqual(names('en'));
      expect(names('zh'), id).toEqual(names('en'));
    }
  });

  test('translations use only placeholders of the English text', () => {
    for (const e of findingEntries) {
      const en = new Set([e.text.en.title, e.text.en.detail, ...(e.text.en.fix ?? [])].flatMap(placeholders));
      for (const lang of ['ja', 'zh'] as const) {
        const t = e.text[lang];
        if (!t) continue;
        for (const name of [t.title, t.detail, ...(t.fix ?? [])].flatMap(placeholders)) expect(en.has(name), `${e.id} ${lang} {${name}}`).toBe(true);
      }
    }
  });

  test('every prediction the scenarios emit resolves', () => {
    const bad: string[] = [];
    for (const f of emitted) if (f.predicts && !kbEntry(f.predicts.rule)) bad.push(`${f.id}: ${f.predicts.rule}`);
    expect(bad).toEqual([]);
  });

  test('the guard can fail: an unknown id is noticed', () => {
    expect(findingEntry('policy.no-such-thing')).toBeUndefined();
    expect(() => renderFinding({ id: 'policy.no-such-thing' as FindingId, severity: 'error', facts: {}, predicts: null })).toThrow();
  });
});
