// Configuration problems: what PutBucketCors refuses, and origins that never match.
import { describe, expect, it } from 'vitest';
import { originProblem, parseCorsConfig, validateConfig } from '../../src/cors/index.js';

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
    const config = parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: origins, AllowedMethods: ['GET'] }] }));
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

  it('a clean configuration has no issue', () => {
    expect(
      validateConfig(
        parseCorsConfig(JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }] })),
      ),
    ).toEqual([]);
  });
});
