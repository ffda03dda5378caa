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
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://other.test"], "AllowedMethods": ["GET"]}]}');
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
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["POST"], "ExposeHeaders": ["x-amz-version-id"]}]}');
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

  it("writes another provider's format on request", () => {
    const config = parseCorsConfig('{"CORSRules": []}');
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST', readHeaders: ['ETag'] }, 'gcs');
    expect(fix.format).toBe('gcs-json');
    expect(readCorsConfig(fix.text).provider).toBe('gcs');
  });

  it('says when PutBucketCors would refuse the result', () => {
    const patch = smallestFix(parseCorsConfig('{"CORSRules": []}'), { origin: 'https://app.example.com', method: 'PATCH' });
    expect(patch).toMatchObject({ fixable: false, blockers: [{ kind: 'method-unsupported', method: 'PATCH' }] });
    const rule = '<CORSRule><AllowedOrigin>https://a.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>';
    const full = parseCorsConfig(`<CORSConfiguration>${rule.repeat(10)}</CORSConfiguration>`, { provider: 'oss' });
    expect(smallestFix(full, { origin: 'https://app.example.com', method: 'POST' }).blockers).toEqual([{ kind: 'too-many-rules', count: 11, max: 10 }]);
  });

  it('says when existing rules keep PutBucketCors from taking the result, naming them by their new position', () => {
    const config = parseCorsConfig('{"CORSRules": [{"AllowedOrigins": ["https://*.*.example.com"], "AllowedMethods": ["GET"]}]}');
    const fix = smallestFix(config, { origin: 'https://app.example.com', method: 'POST' });
    expect(fix).toMatchObject({ fixable: false, blockers: [{ kind: 'existing-rules-rejected', issues: [{ kind: 'origin-wildcards', rule: 1 }] }] });
  });

  it('writes lists on one line', () => {
    const fix = smallestFix(parseCorsConfig('{"CORSRules": []}'), { origin: 'https://app.example.com', method: 'POST', readHeaders: ['ETag'] });
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
