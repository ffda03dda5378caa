// smallestFix round trips: for every refused request of the match tables, the fix text read
// back with the engine's own reader lets the request (preflight and actual) through, with the
// headers the page reads exposed.
import { describe, expect, it } from 'vitest';
import { defaultReadHeaders, evaluateActual, evaluatePreflight, parseCorsConfig, readCorsConfig, smallestFix, validateConfig } from '../../src/cors/index.js';
import type { CorsConfig, CorsProvider } from '../../src/cors/index.js';
import { matchTable, PROVIDERS, tableConfig } from './helpers.js';

function roundTrip(config: CorsConfig, provider: CorsProvider, origin: string, method: string, requestHeaders: string[]) {
  const readHeaders = defaultReadHeaders(provider);
  const fix = smallestFix(config, { origin, method, requestHeaders, readHeaders }, provider);
  const again = parseCorsConfig(fix.text, { provider });
  const pre = evaluatePreflight(again, { origin, method, requestHeaders });
  const act = evaluateActual(again, { origin, method, readHeaders });
  return { fix, again, pre, act };
}

describe.each(PROVIDERS.map((p) => [p] as const))('%s', (provider) => {
  const table = matchTable(provider);
  const refused = table.cases.filter((c) => !c.allowed);
  it.each(refused.map((c) => [c.name, c] as const))('fixes: %s', (_name, c) => {
    const config = tableConfig(table.configs[c.config], provider);
    const { fix, again, pre, act } = roundTrip(config, provider, c.origin, c.method, c.headers ?? []);
    // a configuration PutBucketCors already refuses stays refused until its own rules are corrected
    const clean = validateConfig(config).every((i) => i.rejected !== true);
    expect(fix.fixable).toBe(clean);
    if (!clean) expect(fix.blockers.map((b) => b.kind)).toEqual(['existing-rules-rejected']);
    expect(pre.allowed).toBe(true);
    expect(pre.matchedRule).toBe(0);
    expect(act.allowed).toBe(true);
    expect(act.unexposed).toEqual([]);
    expect(again.rules).toHaveLength(config.rules.length + 1);
    // the existing rules are kept, in order, after the new one
    expect(again.rules.slice(1).map((r) => r.allowedOrigins)).toEqual(config.rules.map((r) => r.allowedOrigins));
  });
});

describe('the rule added', () => {
  it('S3: the origin as given, the method, only the needed headers, the read headers exposed, a MaxAge', () => {
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://other.test"], "AllowedMethods": ["GET"]}]}', { provider: 's3' });
    const fix = smallestFix(config, {
      origin: 'https://app.example.com:8443',
      method: 'post',
      requestHeaders: ['X-Amz-Meta-B', 'x-amz-meta-a'],
      readHeaders: ['ETag', 'Content-Type', 'x-amz-request-id'],
    });
    expect(fix.rule).toEqual({
      index: 0,
      allowedOrigins: ['https://app.example.com:8443'],
      allowedMethods: ['POST'],
      allowedHeaders: ['x-amz-meta-a', 'x-amz-meta-b'],
      exposeHeaders: ['ETag', 'x-amz-request-id'],
      maxAgeSeconds: 3000,
    });
    expect(fix.format).toBe('s3-json');
    expect(fix.applyWith).toContain('aws s3api put-bucket-cors');
    expect(JSON.parse(fix.text)).toEqual({
      CORSRules: [
        {
          AllowedHeaders: ['x-amz-meta-a', 'x-amz-meta-b'],
          AllowedMethods: ['POST'],
          AllowedOrigins: ['https://app.example.com:8443'],
          ExposeHeaders: ['ETag', 'x-amz-request-id'],
          MaxAgeSeconds: 3000,
        },
        { AllowedMethods: ['GET'], AllowedOrigins: ['https://other.test'] },
      ],
    });
  });

  it('keeps the exposures the previously answering rule gave', () => {
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["POST"], "ExposeHeaders": ["x-amz-version-id"]}]}', { provider: 's3' });
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST', requestHeaders: ['x-amz-meta-a'], readHeaders: ['ETag'] });
    expect(fix.rule.exposeHeaders).toEqual(['ETag', 'x-amz-version-id']);
  });

  it('COS keeps rule IDs and ResponseVary; OSS drops IDs', () => {
    const xml =
      '<CORSConfiguration><CORSRule><ID>keep-me</ID><AllowedOrigin>https://other.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>';
    const cos = smallestFix(parseCorsConfig(xml, { provider: 'cos' }), { origin: 'https://app.example.com', method: 'PUT' });
    expect(cos.text).toContain('<ID>keep-me</ID>');
    expect(cos.text).toContain('<ResponseVary>true</ResponseVary>');
    expect(cos.rule.maxAgeSeconds).toBe(600);
    expect(readCorsConfig(cos.text)).toMatchObject({ provider: 'cos', responseVary: true });
    const oss = smallestFix(parseCorsConfig(xml, { provider: 'oss' }), { origin: 'https://app.example.com', method: 'PUT' });
    expect(oss.text).not.toContain('<ID>');
    expect(parseCorsConfig(oss.text, { provider: 'oss' }).rules[1]).not.toHaveProperty('id');
  });

  it('GCS: one responseHeader list for the requested and the exposed headers, first in the list', () => {
    const config = parseCorsConfig('[{"origin": ["https://app.example.com"], "method": ["PUT"], "responseHeader": ["Content-Type"]}]');
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'PUT', requestHeaders: ['content-type', 'x-goog-meta-a'], readHeaders: ['ETag', 'x-goog-generation'] });
    expect(JSON.parse(fix.text)[0]).toEqual({
      origin: ['https://app.example.com'],
      method: ['PUT'],
      responseHeader: ['content-type', 'x-goog-meta-a', 'ETag', 'x-goog-generation'],
      maxAgeSeconds: 3600,
    });
    expect(fix.applyWith).toBe('gcloud storage buckets update gs://BUCKET --cors-file=cors.json');
  });

  it('OBS: SetBucketCors XML with rule IDs, no namespace and no ResponseVary; x-obs-request-id exposed', () => {
    const xml =
      '<CORSConfiguration xmlns="http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/"><CORSRule><ID>keep-me</ID><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://other.test</AllowedOrigin></CORSRule></CORSConfiguration>';
    const config = parseCorsConfig(xml);
    expect(config.provider).toBe('obs');
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST', requestHeaders: ['x-obs-meta-a'], readHeaders: defaultReadHeaders('obs') });
    expect(fix).toMatchObject({ format: 'obs-xml', fixable: true, applyWith: 'PUT /?cors (SetBucketCors)' });
    expect(fix.text).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<CORSConfiguration>',
        '  <CORSRule>',
        '    <AllowedOrigin>https://app.example.com</AllowedOrigin>',
        '    <AllowedMethod>POST</AllowedMethod>',
        '    <AllowedHeader>x-obs-meta-a</AllowedHeader>',
        '    <ExposeHeader>ETag</ExposeHeader>',
        '    <ExposeHeader>Location</ExposeHeader>',
        '    <ExposeHeader>Date</ExposeHeader>',
        '    <ExposeHeader>x-obs-request-id</ExposeHeader>',
        '    <MaxAgeSeconds>3000</MaxAgeSeconds>',
        '  </CORSRule>',
        '  <CORSRule>',
        '    <ID>keep-me</ID>',
        '    <AllowedOrigin>https://other.test</AllowedOrigin>',
        '    <AllowedMethod>GET</AllowedMethod>',
        '  </CORSRule>',
        '</CORSConfiguration>',
        '',
      ].join('\n'),
    );
    // read back without a hint the text is S3-shaped XML: OBS is one candidate, never a guess
    expect(readCorsConfig(fix.text)).toMatchObject({ provider: null, candidates: ['s3', 'cos', 'obs'] });
    expect(parseCorsConfig(fix.text, { provider: 'obs' }).rules[1]).toMatchObject({ id: 'keep-me' });
    // a COS configuration's ResponseVary is not written for OBS
    const vary = parseCorsConfig('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>', {
      provider: 'cos',
    });
    expect(smallestFix(vary, { origin: 'https://app.example.com', method: 'PUT' }, 'obs').text).not.toContain('ResponseVary');
  });

  it('TOS: PutBucketCORS JSON without rule IDs, ResponseVary kept per rule and taken over from the rule that answered before', () => {
    const config = parseCorsConfig(
      JSON.stringify({
        CORSRules: [
          { ID: 'dropped', AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'], ExposeHeaders: ['x-tos-version-id'], ResponseVary: true },
          { AllowedOrigins: ['*'], AllowedMethods: ['GET'], ResponseVary: false },
        ],
      }),
      { provider: 'tos' },
    );
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST', requestHeaders: ['x-tos-meta-a'], readHeaders: defaultReadHeaders('tos') });
    expect(fix).toMatchObject({ format: 'tos-json', fixable: true, applyWith: 'PUT /?cors (PutBucketCORS)' });
    expect(fix.rule).toMatchObject({ maxAgeSeconds: 3600, responseVary: true, exposeHeaders: ['ETag', 'Location', 'Date', 'x-tos-request-id', 'x-tos-version-id'] });
    expect(JSON.parse(fix.text)).toEqual({
      CORSRules: [
        {
          AllowedOrigins: ['https://app.example.com'],
          AllowedMethods: ['POST'],
          AllowedHeaders: ['x-tos-meta-a'],
          ExposeHeaders: ['ETag', 'Location', 'Date', 'x-tos-request-id', 'x-tos-version-id'],
          MaxAgeSeconds: 3600,
          ResponseVary: true,
        },
        { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'], ExposeHeaders: ['x-tos-version-id'], ResponseVary: true },
        { AllowedOrigins: ['*'], AllowedMethods: ['GET'], ResponseVary: false },
      ],
    });
    // the ResponseVary of its rules names TOS when read back without a hint
    expect(readCorsConfig(fix.text).provider).toBe('tos');
  });

  it("TOS: S3's 100-rule limit is only assumed, so it blocks no fix", () => {
    const rules = Array.from({ length: 100 }, (_, i) => ({ AllowedOrigins: [`https://a${i}.test`], AllowedMethods: ['GET'] }));
    const fix = smallestFix(parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 'tos' }), { origin: 'https://app.example.com', method: 'POST' });
    expect(fix).toMatchObject({ fixable: true, blockers: [] });
    const obs = smallestFix(parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 'obs' }), { origin: 'https://app.example.com', method: 'POST' });
    expect(obs.blockers).toEqual([{ kind: 'too-many-rules', count: 101, max: 100 }]);
  });

  it("writes another provider's format on request", () => {
    const config = parseCorsConfig('{"CORSRules": []}', { provider: 's3' });
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST', readHeaders: ['ETag'] }, 'gcs');
    expect(fix.format).toBe('gcs-json');
    expect(readCorsConfig(fix.text).provider).toBe('gcs');
  });

  it('says when PutBucketCors would refuse the result', () => {
    const patch = smallestFix(parseCorsConfig('{"CORSRules": []}', { provider: 's3' }), { origin: 'https://app.example.com', method: 'PATCH' });
    expect(patch).toMatchObject({ fixable: false, blockers: [{ kind: 'method-unsupported', method: 'PATCH' }] });
    const rule = '<CORSRule><AllowedOrigin>https://a.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>';
    const full = parseCorsConfig(`<CORSConfiguration>${rule.repeat(10)}</CORSConfiguration>`, { provider: 'oss' });
    expect(smallestFix(full, { origin: 'https://app.example.com', method: 'POST' }).blockers).toEqual([{ kind: 'too-many-rules', count: 11, max: 10 }]);
  });

  it('says when existing rules keep PutBucketCors from taking the result, naming them by their new position', () => {
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://*.*.example.com"], "AllowedMethods": ["GET"]}]}', { provider: 's3' });
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST' });
    expect(fix).toMatchObject({ fixable: false, blockers: [{ kind: 'existing-rules-rejected', issues: [{ kind: 'origin-wildcards', rule: 1 }] }] });
  });

  it('writes lists on one line', () => {
    const fix = smallestFix(parseCorsConfig('{"CORSRules": []}', { provider: 's3' }), { origin: 'https://app.example.com', method: 'POST', readHeaders: ['ETag'] });
    expect(fix.text).toBe(
      '{\n  "CORSRules": [\n    {\n      "AllowedMethods": ["POST"],\n      "AllowedOrigins": ["https://app.example.com"],\n      "ExposeHeaders": ["ETag"],\n      "MaxAgeSeconds": 3000\n    }\n  ]\n}\n',
    );
  });

  it('escapes XML special characters', () => {
    const fix = smallestFix(parseCorsConfig('<CORSConfiguration/>', { provider: 'cos' }), { origin: 'https://a.test', method: 'GET', readHeaders: ['x-cos-meta-<&>'] });
    expect(fix.text).toContain('<ExposeHeader>x-cos-meta-&lt;&amp;&gt;</ExposeHeader>');
    expect(parseCorsConfig(fix.text, { provider: 'cos' }).rules[0]?.exposeHeaders).toEqual(['x-cos-meta-<&>']);
  });
});
