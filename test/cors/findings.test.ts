// rules/findings/cors.yaml against the engine: every entry is emitted by some diagnosis, named in
// src/cors, severities agree, and every placeholder is filled in every language.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingEntries, findingEntry, renderFinding } from '../../src/core/catalogue.js';
import { placeholders } from '../../src/core/template.js';
import { LANGS, type Finding } from '../../src/core/types.js';
import { CORS_FINDINGS, diagnoseCors, parseCorsConfig } from '../../src/cors/index.js';
import type { CorsCapture, CorsConfig } from '../../src/cors/index.js';

const ORIGIN = 'https://app.example.com';
const multipart: Array<[string, string]> = [
  ['Content-Type', 'multipart/form-data; boundary=----x'],
  ['Sec-Fetch-Mode', 'cors'],
  ['Origin', ORIGIN],
];
const post = (extra: Array<[string, string]> = [], more: Partial<CorsCapture> = {}): CorsCapture => ({ origin: ORIGIN, method: 'POST', headers: [...multipart, ...extra], ...more });
const s3 = (rules: unknown[]): CorsConfig => parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 's3' });

const scenarios: Array<[string, CorsConfig, CorsCapture]> = [
  ['preflight refused: origin', s3([{ AllowedOrigins: ['https://other.test'], AllowedMethods: ['POST'], AllowedHeaders: ['*'] }]), post([['x-amz-meta-a', '1']])],
  ['preflight refused: method', s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'] }]), { origin: ORIGIN, method: 'PUT', headers: [] }],
  ['preflight refused: header', s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'], AllowedHeaders: ['content-type'] }]), post([['x-amz-meta-a', '1']])],
  [
    'preflight refused: header, rule without headers',
    parseCorsConfig(`<CORSConfiguration><CORSRule><AllowedOrigin>${ORIGIN}</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule></CORSConfiguration>`, { provider: 'oss' }),
    post([['x-oss-meta-a', '1']]),
  ],
  [
    'preflight refused on COS',
    parseCorsConfig('<CORSConfiguration><CORSRule><AllowedOrigin>https://other.test</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>', { provider: 'cos' }),
    { origin: ORIGIN, method: 'PUT', headers: [] },
  ],
  ['no rules', s3([]), post()],
  ['no rules, preflighted', s3([]), post([['Authorization', 'x']])],
  ['no Allow-Origin on the actual request', s3([{ AllowedOrigins: ['https://other.test'], AllowedMethods: ['POST'] }]), post()],
  ['credentials and origin *', s3([{ AllowedOrigins: ['*'], AllowedMethods: ['POST'], ExposeHeaders: ['ETag'] }]), post([], { credentials: true })],
  ['credentials on GCS', parseCorsConfig(JSON.stringify([{ origin: [ORIGIN], method: ['POST'] }])), post([], { credentials: true })],
  ['exposed headers missing', s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'], ExposeHeaders: ['ETag'] }]), post()],
  [
    'form navigation',
    s3([]),
    {
      origin: ORIGIN,
      method: 'POST',
      headers: [
        ['Sec-Fetch-Mode', 'navigate'],
        ['Sec-Fetch-Dest', 'document'],
      ],
    },
  ],
  ['origin unknown', s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'] }]), { origin: null, method: 'POST', headers: [['Sec-Fetch-Mode', 'cors']] }],
  [
    'configuration problems',
    s3([{ AllowedOrigins: ['*a*', 'https://app.example.com/', ORIGIN], AllowedMethods: ['get', 'POST'], AllowedHeaders: ['x-*-*'], ExposeHeaders: ['*'] }]),
    post([], { readHeaders: ['ETag'] }),
  ],
  [
    'too many rules',
    parseCorsConfig(
      `<CORSConfiguration>${`<CORSRule><AllowedOrigin>${ORIGIN}</AllowedOrigin><AllowedMethod>POST</AllowedMethod><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-oss-request-id</ExposeHeader><ExposeHeader>Location</ExposeHeader><ExposeHeader>Date</ExposeHeader></CORSRule>`.repeat(11)}</CORSConfiguration>`,
      { provider: 'oss' },
    ),
    post(),
  ],
  [
    'preflight refused on OBS',
    parseCorsConfig('<CORSConfiguration><CORSRule><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://other.test</AllowedOrigin></CORSRule></CORSConfiguration>', { provider: 'obs' }),
    { origin: ORIGIN, method: 'PUT', headers: [] },
  ],
  ['no rules on OBS, preflighted', parseCorsConfig('<CORSConfiguration></CORSConfiguration>', { provider: 'obs' }), post([['x-obs-meta-a', '1']])],
  [
    'preflight refused on TOS',
    parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'] }] }), { provider: 'tos' }),
    { origin: ORIGIN, method: 'PUT', headers: [] },
  ],
  ['credentials and origin * on TOS', parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['POST'] }] }), { provider: 'tos' }), post([], { credentials: true })],
];

const emitted: Array<[string, Finding]> = scenarios.flatMap(([name, config, capture]) => diagnoseCors(config, capture).findings.map((f) => [name, f] as [string, Finding]));
const corsEntries = findingEntries.filter((e) => e.id.startsWith('cors.'));

describe('rules/findings/cors.yaml', () => {
  it('holds exactly the findings the engine names', () => {
    expect(corsEntries.map((e) => e.id).sort()).toEqual([...CORS_FINDINGS].sort());
  });

  it('every entry is emitted by a scenario', () => {
    const seen = new Set<string>(emitted.map(([, f]) => f.id));
    expect(corsEntries.map((e) => e.id).filter((id) => !seen.has(id))).toEqual([]);
  });

  it('every id is named as a literal in src/cors (the catalogue reachability guard)', () => {
    const dir = join(__dirname, '..', '..', 'src', 'cors');
    const text = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const e of corsEntries) expect(text.includes(`'${e.id}'`), e.id).toBe(true);
  });

  it.each(emitted.map(([name, f]) => [`${name}: ${f.id}`, f] as const))('%s renders in every language with every placeholder filled', (_name, f) => {
    const entry = findingEntry(f.id);
    expect(entry).toBeDefined();
    expect(f.severity).toBe(entry!.severity);
    for (const lang of LANGS) {
      const t = entry!.text[lang] ?? entry!.text.en;
      for (const tpl of [t.title, t.detail, ...(t.fix ?? [])]) for (const name of placeholders(tpl)) expect(f.facts, `${f.id} ${lang} {${name}}`).toHaveProperty(name);
      const r = renderFinding(f, lang);
      for (const s of [r.title, r.detail, ...r.fix]) expect(s, `${f.id} ${lang}`).not.toMatch(/(?<!\$)\{[A-Za-z_][\w.-]*(\|[a-z]+)?\}/);
    }
  });

  it('the translations use the English placeholders, and all of them', () => {
    for (const e of corsEntries) {
      const names = (l: 'en' | 'ja' | 'zh') => new Set([e.text[l]!.title, e.text[l]!.detail, ...(e.text[l]!.fix ?? [])].flatMap(placeholders));
      expect(names('ja'), e.id).toEqual(names('en'));
      expect(names('zh'), e.id).toEqual(names('en'));
    }
  });
});

describe('diagnoseCors', () => {
  const ids = (config: CorsConfig, capture: CorsCapture) => diagnoseCors(config, capture).findings.map((f) => f.id);

  it('a multipart POST with no custom header sends no preflight; the actual answer decides', () => {
    const d = diagnoseCors(s3([{ AllowedOrigins: ['https://other.test'], AllowedMethods: ['POST'] }]), post());
    expect(d.need?.needed).toBe(false);
    expect(d.preflight).toBeNull();
    expect(d.actual?.browser.kind).toBe('missing-allow-origin');
    expect(d.findings.map((f) => f.id)).toEqual(['cors.no-allow-origin']);
    expect(d.findings[0]?.facts).toMatchObject({ origin: ORIGIN, method: 'POST', allowed: ['https://other.test'], console: 'browser.cors.missing-allow-origin' });
  });

  it('a refused preflight stops there, with the fix and the answer the provider gives', () => {
    const d = diagnoseCors(s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'], AllowedHeaders: ['content-type'] }]), post([['x-amz-meta-foo', 'bar']]));
    expect(d.actual).toBeNull();
    expect(d.preflight?.answer.status).toBe(403);
    const f = d.findings[0]!;
    expect(f).toMatchObject({ id: 'cors.preflight-refused-header', facts: { headers: ['x-amz-meta-foo'], allowed: ['content-type'], rule: 1 } });
    expect(JSON.parse(String(f.facts.fix)).CORSRules[0]).toMatchObject({ AllowedHeaders: ['x-amz-meta-foo'], AllowedOrigins: [ORIGIN] });
  });

  it('predicts the COS and OSS refusals from the knowledge base', () => {
    const cos = diagnoseCors(scenarios[4]![1], scenarios[4]![2]).findings[0]!;
    expect(cos.predicts).toEqual({ rule: 'cos.code.access-forbidden' });
    expect(renderFinding(cos).predicts).toMatchObject({ status: 403, code: 'AccessForbidden' });
    expect(diagnoseCors(scenarios[3]![1], scenarios[3]![2]).findings[0]?.predicts).toEqual({ rule: 'oss.cors.not-allowed' });
  });

  it('predicts the OBS refusals from the knowledge base, and none for TOS (its wording is unknown)', () => {
    const named = (name: string) => scenarios.find(([n]) => n === name)!;
    const obs = diagnoseCors(named('preflight refused on OBS')[1], named('preflight refused on OBS')[2]).findings[0]!;
    expect(obs).toMatchObject({ id: 'cors.preflight-refused-origin', predicts: { rule: 'obs.cors.not-allowed' }, facts: { provider: 'Huawei Cloud OBS' } });
    expect(renderFinding(obs).predicts).toMatchObject({ status: 403, code: 'AccessForbidden' });
    const none = diagnoseCors(named('no rules on OBS, preflighted')[1], named('no rules on OBS, preflighted')[2]).findings[0]!;
    expect(none).toMatchObject({ id: 'cors.no-rules', predicts: { rule: 'obs.cors.not-enabled' } });
    expect(String(none.facts.fix)).toContain('<CORSConfiguration>');
    const tos = diagnoseCors(named('preflight refused on TOS')[1], named('preflight refused on TOS')[2]);
    expect(tos.findings[0]).toMatchObject({ id: 'cors.preflight-refused-method', predicts: null, facts: { provider: 'Volcengine TOS' } });
    expect(tos.preflight?.answer).toMatchObject({ status: null, kb: null });
    expect(JSON.parse(String(tos.findings[0]!.facts.fix)).CORSRules[0]).toMatchObject({ AllowedOrigins: [ORIGIN], AllowedMethods: ['PUT'], MaxAgeSeconds: 3600 });
  });

  it('a form navigation is not evaluated', () => {
    const d = diagnoseCors(s3([]), scenarios[11]![2]);
    expect(d).toMatchObject({ navigation: true, need: null, preflight: null, actual: null, fix: null });
    expect(d.findings.map((f) => f.id)).toEqual(['cors.form-navigation']);
  });

  it('an upload that passes with everything exposed has no finding', () => {
    const config = s3([{ AllowedOrigins: [ORIGIN], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'Location', 'Date', 'x-amz-request-id'] }]);
    expect(ids(config, post([['x-amz-meta-foo', 'bar']]))).toEqual([]);
    expect(diagnoseCors(config, post()).fix).toBeNull();
  });
});
