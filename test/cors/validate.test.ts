// Configuration problems: what PutBucketCors refuses, and origins that never match.
import { describe, expect, it } from 'vitest';
import { configFindings, originProblem, parseCorsConfig, validateConfig } from '../../src/cors/index.js';

describe('validateConfig', () => {
  it('S3: two * in an origin or a header, an unsupported or lowercase method, * in ExposeHeader, an ID over 255', () => {
    const config = parseCorsConfig(
      JSON.stringify({
        CORSRules: [
          { AllowedOrigins: ['*example*.com', 'https://ok.test'], AllowedMethods: ['get', 'PATCH', 'PUT'], AllowedHeaders: ['x-*-*', 'x-amz-*'], ExposeHeaders: ['*'], ID: 'x'.repeat(256) },
          { AllowedOrigins: [], AllowedMethods: [] },
        ],
      }),
    );
    expect(validateConfig(config)).toEqual([
      { kind: 'origin-wildcards', rule: 0, value: '*example*.com', rejected: true },
      { kind: 'method-unsupported', rule: 0, value: 'get', rejected: true },
      { kind: 'method-unsupported', rule: 0, value: 'PATCH', rejected: true },
      { kind: 'header-wildcards', rule: 0, value: 'x-*-*', rejected: true },
      { kind: 'expose-wildcard', rule: 0, value: '*', rejected: true },
      { kind: 'id-too-long', rule: 0, value: 'x'.repeat(256), rejected: true },
      { kind: 'rule-without-origin', rule: 1, rejected: true },
      { kind: 'rule-without-method', rule: 1, rejected: true },
    ]);
  });

  it('origins a browser never sends', () => {
    const origins = [
      'https://app.example.com/',
      'https://app.example.com/upload',
      'https://App.example.com',
      'app.example.com',
      'https://app.example.com:443',
      'http://app.example.com:80',
      ' https://a.test',
      '',
    ];
    const config = parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: origins, AllowedMethods: ['GET'] }] }), { provider: 's3' });
    expect(validateConfig(config).map((i) => [i.value, i.problem, i.rejected])).toEqual([
      ['https://app.example.com/', 'path', false],
      ['https://app.example.com/upload', 'path', false],
      ['https://App.example.com', 'uppercase', false],
      ['app.example.com', 'no-scheme', false],
      ['https://app.example.com:443', 'default-port', false],
      ['http://app.example.com:80', 'default-port', false],
      [' https://a.test', 'whitespace', false],
      ['', 'empty', false],
    ]);
    for (const ok of ['*', 'https://app.example.com', 'https://*.example.com', 'http*', 'https://app.example.com:8443', 'null']) expect(originProblem(ok), ok).toBeNull();
  });

  it('OSS allows 10 rules; COS and GCS wildcards it does not document are reported as literal', () => {
    const rule = '<CORSRule><AllowedOrigin>https://a.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-cos-*</AllowedHeader></CORSRule>';
    const oss = parseCorsConfig(`<CORSConfiguration>${rule.repeat(11)}</CORSConfiguration>`, { provider: 'oss' });
    expect(validateConfig(oss)[0]).toEqual({ kind: 'too-many-rules', rule: null, count: 11, max: 10, rejected: true });
    const cos = parseCorsConfig(`<CORSConfiguration>${rule}</CORSConfiguration>`, { provider: 'cos' });
    expect(validateConfig(cos)).toEqual([{ kind: 'header-wildcard-literal', rule: 0, value: 'x-cos-*', rejected: null }]);
    const gcs = parseCorsConfig(JSON.stringify([{ origin: ['https://*.example.com'], method: ['*', 'OPTIONS', 'put'], responseHeader: ['*'] }]));
    expect(validateConfig(gcs)).toEqual([
      { kind: 'origin-wildcard-literal', rule: 0, value: 'https://*.example.com', rejected: null },
      { kind: 'method-options', rule: 0, value: 'OPTIONS', rejected: false },
      { kind: 'method-unsupported', rule: 0, value: 'put', rejected: null },
      { kind: 'header-wildcard-literal', rule: 0, value: '*', rejected: null },
    ]);
  });

  it('OBS: the documented limits are enforced; a negative MaxAgeSeconds is accepted', () => {
    const rule = (extra = '') => `<CORSRule>${extra}<AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://a.test</AllowedOrigin></CORSRule>`;
    const one = parseCorsConfig(
      `<CORSConfiguration>${rule(`<ID>${'x'.repeat(256)}</ID><AllowedHeader>x-*-*</AllowedHeader><ExposeHeader>*</ExposeHeader><MaxAgeSeconds>-1</MaxAgeSeconds><AllowedOrigin>https://*.*.test</AllowedOrigin>`)}</CORSConfiguration>`,
      { provider: 'obs' },
    );
    expect(validateConfig(one).map((i) => [i.kind, i.rejected])).toEqual([
      ['origin-wildcards', true],
      ['header-wildcards', true],
      ['expose-wildcard', true],
      ['max-age-negative', false],
      ['id-too-long', true],
    ]);
    const many = parseCorsConfig(`<CORSConfiguration>${rule().repeat(101)}</CORSConfiguration>`, { provider: 'obs' });
    expect(validateConfig(many)[0]).toEqual({ kind: 'too-many-rules', rule: null, count: 101, max: 100, rejected: true });
    expect(configFindings(many).map((f) => f.id)).toEqual(['cors.config-too-many-rules']);
  });

  it("TOS: documented limits are enforced, S3's assumed ones are not reported as refusals", () => {
    const config = parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://*.*.test'], AllowedMethods: ['GET', 'PATCH'], AllowedHeaders: ['x-*-*'], ExposeHeaders: ['*'] }] }), {
      provider: 'tos',
    });
    expect(validateConfig(config).map((i) => [i.kind, i.rejected])).toEqual([
      ['origin-wildcards', true],
      ['method-unsupported', true],
      ['header-wildcards', null],
      ['expose-wildcard', true],
    ]);
    const rules = Array.from({ length: 101 }, () => ({ AllowedOrigins: ['https://a.test'], AllowedMethods: ['GET'] }));
    const many = parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 'tos' });
    expect(validateConfig(many)[0]).toEqual({ kind: 'too-many-rules', rule: null, count: 101, max: 100, rejected: null });
    expect(configFindings(many)).toEqual([]);
  });

  it('a clean configuration has no issue', () => {
    expect(
      validateConfig(
        parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }] }), {
          provider: 's3',
        }),
      ),
    ).toEqual([]);
  });
});
