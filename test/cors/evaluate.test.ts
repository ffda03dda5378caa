// What the server answers and what the browser makes of it: documented answers (COS OPTIONS
// Object examples, OBS OPTIONS Bucket example), S3 answers recorded against AWS (LocalStack's
// AWS-validated snapshots), GCS and OSS documented behaviour, TOS's assumed (S3) answers and
// unknown refusal, and Chromium's console error kinds.
import { describe, expect, it } from 'vitest';
import {
  browserCheck,
  COS_NOT_ALLOWED,
  evaluateActual,
  evaluatePreflight,
  OBS_NOT_ALLOWED,
  OBS_NOT_ENABLED,
  OSS_NOT_ALLOWED,
  parseCorsConfig,
  S3_NOT_ALLOWED,
  S3_NOT_ENABLED,
} from '../../src/cors/index.js';
import type { CorsConfig, ServerAnswer } from '../../src/cors/index.js';
import { kbEntry } from '../../src/core/catalogue.js';
import { fixtureText } from './helpers.js';

const s3 = (rules: unknown[]): CorsConfig => parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 's3' });
const sorted = (h: Array<[string, string]>) => [...h].sort((a, b) => a[0].localeCompare(b[0]));

describe('COS: the OPTIONS Object examples (https://www.tencentcloud.com/document/product/436/8288)', () => {
  const config = parseCorsConfig(fixtureText('configs/cos-put-bucket-cors.xml'), { provider: 'cos' });

  it('example 1: PUT Object from https://example.com', () => {
    const ev = evaluatePreflight(config, { origin: 'https://example.com', method: 'PUT', requestHeaders: ['content-md5', 'content-type', 'x-cos-meta-author'] });
    expect(ev.answer.status).toBe(200);
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Headers', 'content-md5,content-type,x-cos-meta-author'],
        ['Access-Control-Allow-Methods', 'PUT,GET,POST,DELETE,HEAD'],
        ['Access-Control-Allow-Origin', 'https://example.com'],
        ['Access-Control-Expose-Headers', 'Content-Length,ETag,x-cos-meta-author'],
        ['Access-Control-Max-Age', '600'],
      ]),
    );
    expect(ev.browser).toMatchObject({ ok: true, kind: null });
  });

  it('example 2: GET Object with range (the * rule answers with its own header list)', () => {
    const ev = evaluatePreflight(config, { origin: 'https://example.com', method: 'GET', requestHeaders: ['range'] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Headers', 'range,x-cos-server-side-encryption-customer-algorithm,x-cos-server-side-encryption-customer-key,x-cos-server-side-encryption-customer-key-md5'],
        ['Access-Control-Allow-Methods', 'GET,HEAD'],
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Expose-Headers', 'Content-Length,ETag,x-cos-meta-author'],
        ['Access-Control-Max-Age', '600'],
      ]),
    );
  });

  it('example 4: a preflight no rule matches is 403 AccessForbidden', () => {
    const ev = evaluatePreflight(config, { origin: 'https://example.org', method: 'PUT', requestHeaders: [] });
    expect(ev.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: COS_NOT_ALLOWED, headers: [], basis: 'documented', kb: 'cos.code.access-forbidden' });
    // the documented XML body writes the apostrophe as &apos;
    expect(COS_NOT_ALLOWED).toContain("resource's CORS spec");
    expect(ev.browser).toMatchObject({ ok: false, kind: 'preflight-missing-allow-origin', kb: 'browser.cors.missing-allow-origin', facts: { status: 403, allowOrigin: null } });
  });
});

describe('S3: answers recorded against AWS', () => {
  const rule = { AllowedOrigins: ['https://localhost:4200'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 3000, AllowedHeaders: ['*'] };
  it('an allowed preflight (test_cors_match_origins)', () => {
    const ev = evaluatePreflight(s3([rule]), { origin: 'https://localhost:4200', method: 'PUT', requestHeaders: [] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', 'GET, PUT'],
        ['Access-Control-Allow-Origin', 'https://localhost:4200'],
        ['Access-Control-Max-Age', '3000'],
        ['Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'],
      ]),
    );
    expect(ev.answer.basis).toBe('observed');
  });
  it('another scheme is 403 "This CORS request is not allowed"', () => {
    const ev = evaluatePreflight(s3([rule]), { origin: 'http://localhost:4200', method: 'PUT', requestHeaders: [] });
    expect(ev.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: S3_NOT_ALLOWED, headers: [] });
    expect(S3_NOT_ALLOWED).toContain('evalution');
  });
  it('origin * answers * without credentials', () => {
    const ev = evaluatePreflight(s3([{ ...rule, AllowedOrigins: ['*'] }]), { origin: 'http://random:1234', method: 'PUT', requestHeaders: [] });
    const names = ev.answer.headers.map(([n]) => n);
    expect(ev.answer.headers).toContainEqual(['Access-Control-Allow-Origin', '*']);
    expect(names).not.toContain('Access-Control-Allow-Credentials');
  });
  it('requested headers come back lowercased, matched without regard to case (test_cors_match_headers)', () => {
    const config = s3([
      { AllowedOrigins: ['*'], AllowedMethods: ['GET'], AllowedHeaders: ['x-amz-expected-bucket-owner', 'x-amz-server-side-encryption-customer-algorithm', 'x-AMZ-server-SIDE-encryption'] },
    ]);
    const ok = evaluatePreflight(config, { origin: 'https://a.test', method: 'GET', requestHeaders: ['x-AMZ-expected-BUCKET-owner', 'x-amz-server-side-encryption'] });
    expect(ok.answer.headers).toContainEqual(['Access-Control-Allow-Headers', 'x-amz-expected-bucket-owner, x-amz-server-side-encryption']);
    const refused = evaluatePreflight(config, { origin: 'https://a.test', method: 'GET', requestHeaders: ['x-amz-request-payer'] });
    expect(refused.answer.status).toBe(403);
  });
  it('a rule without AllowedHeader allows no requested header (test_put_cors_default_values)', () => {
    const config = s3([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]);
    const ok = evaluatePreflight(config, { origin: 'https://a.test', method: 'GET', requestHeaders: [] });
    expect(ok.answer.headers.map(([n]) => n).sort()).toEqual(['Access-Control-Allow-Methods', 'Access-Control-Allow-Origin', 'Vary']);
    expect(evaluatePreflight(config, { origin: 'https://a.test', method: 'GET', requestHeaders: ['x-a'] }).refusal?.reason).toBe('header');
  });
  it('no configuration: 403 "CORS is not enabled for this bucket"', () => {
    const ev = evaluatePreflight(s3([]), { origin: 'https://a.test', method: 'PUT', requestHeaders: [] });
    expect(ev.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: S3_NOT_ENABLED });
    expect(ev.refusal).toMatchObject({ reason: 'no-rules', closest: null });
  });
  it('an actual request no rule allows is answered without CORS headers; the browser reports the missing Allow-Origin', () => {
    const ev = evaluateActual(s3([rule]), { origin: 'https://other.test', method: 'GET' });
    expect(ev.answer).toMatchObject({ status: null, headers: [] });
    expect(ev.browser.kind).toBe('missing-allow-origin');
    expect(ev.unexposed).toEqual(ev.readHeaders);
  });
});

describe('GCS (XML API, https://cloud.google.com/storage/docs/cross-origin)', () => {
  const config = parseCorsConfig(JSON.stringify([{ origin: ['*'], method: ['PUT', 'POST'], responseHeader: ['Content-Type', 'ETag'] }]), { provider: 'gcs' });
  it('echoes the origin even for *, never sends Allow-Credentials, and defaults Max-Age to 3600', () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'PUT', requestHeaders: ['content-type'] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
        ['Access-Control-Allow-Methods', 'PUT,POST'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', '3600'],
      ]),
    );
  });
  it('answers a method or header mismatch 200 without CORS headers', () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'DELETE', requestHeaders: [] });
    expect(ev.answer).toMatchObject({ status: 200, code: null, headers: [], basis: 'documented' });
    expect(ev.browser).toMatchObject({ kind: 'preflight-missing-allow-origin', facts: { status: 200 } });
  });
  it('exposes the responseHeader values on a simple request', () => {
    const ev = evaluateActual(config, { origin: 'https://app.example.com', method: 'POST', readHeaders: ['ETag', 'Content-Type', 'x-goog-generation'] });
    expect(ev.answer.headers).toContainEqual(['Access-Control-Expose-Headers', 'Content-Type,ETag']);
    expect(ev.unexposed).toEqual(['x-goog-generation']);
  });
  it('never sends Access-Control-Allow-Credentials, so a request with credentials fails', () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'PUT', requestHeaders: [], credentials: true });
    expect(ev.browser).toMatchObject({ ok: false, kind: 'preflight-invalid-allow-credentials', certain: true });
  });
  it('does not say what status it answers without a matching entry, beyond the missing Allow-Origin', () => {
    const none = evaluatePreflight(parseCorsConfig('[]'), { origin: 'https://a.test', method: 'PUT', requestHeaders: [] });
    expect(none.answer).toMatchObject({ status: null, basis: 'unknown', headers: [] });
  });
});

describe('OSS (https://www.alibabacloud.com/help/en/oss/developer-reference/options)', () => {
  const xml =
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>';
  const config = parseCorsConfig(xml, { provider: 'oss' });
  it('answers the request origin, and Vary: Origin when ResponseVary is true', () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'POST', requestHeaders: ['x-oss-meta-a'] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
        ['Access-Control-Allow-Methods', 'POST'],
        ['Access-Control-Allow-Headers', 'x-oss-meta-a'],
        ['Access-Control-Expose-Headers', 'ETag,x-oss-request-id'],
        ['Access-Control-Max-Age', '60'],
        ['Vary', 'Origin'],
      ]),
    );
    expect(ev.answer.unknownHeaders).toEqual(['access-control-allow-credentials']);
  });
  it('refuses with 403 AccessForbidden (and still Vary: Origin)', () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'PUT', requestHeaders: [] });
    expect(ev.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: OSS_NOT_ALLOWED, headers: [['Vary', 'Origin']], kb: 'oss.cors.not-allowed' });
  });
  it('cannot be sure about credentials: Allow-Credentials is undocumented', () => {
    const ev = evaluateActual(config, { origin: 'https://app.example.com', method: 'POST', credentials: true });
    expect(ev.browser).toMatchObject({ ok: false, kind: 'invalid-allow-credentials', certain: false });
  });
  it('every knowledge-base entry an answer names exists', () => {
    expect(kbEntry('oss.cors.not-allowed')).toBeDefined();
    expect(kbEntry('cos.code.access-forbidden')).toBeDefined();
  });
});

describe('OBS (OPTIONS Bucket, https://support.huaweicloud.com/api-obs/obs_04_0077.html)', () => {
  const config = parseCorsConfig(fixtureText('configs/obs-set-bucket-cors.xml'), { provider: 'obs' });
  const xml = (rules: string) => parseCorsConfig(`<CORSConfiguration>${rules}</CORSConfiguration>`, { provider: 'obs' });

  it('the documented example: the SetBucketCors rule answers PUT from www.example.com exactly as the example answer', () => {
    const ev = evaluatePreflight(config, { origin: 'www.example.com', method: 'PUT', requestHeaders: [] });
    expect(ev.answer.status).toBe(200);
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Origin', 'www.example.com'],
        ['Access-Control-Allow-Methods', 'POST,GET,HEAD,PUT,DELETE'],
        ['Access-Control-Max-Age', '100'],
        ['Access-Control-Expose-Headers', 'ExposeHeader_1,ExposeHeader_2'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
    );
    expect(ev.answer).toMatchObject({ basis: 'documented', unknownHeaders: [] });
  });

  it('answers the requested headers it allows, and the origin even for a * rule (Allow-Credentials then undocumented)', () => {
    const star = xml('<CORSRule><AllowedMethod>POST</AllowedMethod><AllowedOrigin>*</AllowedOrigin><AllowedHeader>x-obs-*</AllowedHeader></CORSRule>');
    const ev = evaluatePreflight(star, { origin: 'https://app.example.com', method: 'POST', requestHeaders: ['x-obs-meta-a'] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
        ['Access-Control-Allow-Methods', 'POST'],
        ['Access-Control-Allow-Headers', 'x-obs-meta-a'],
      ]),
    );
    expect(ev.answer.unknownHeaders).toEqual(['access-control-allow-credentials']);
    const cred = evaluatePreflight(star, { origin: 'https://app.example.com', method: 'POST', requestHeaders: [], credentials: true });
    expect(cred.browser).toMatchObject({ ok: false, kind: 'preflight-invalid-allow-credentials', certain: false });
  });

  it("refuses a preflight 403 AccessForbidden with the knowledge base's two wordings", () => {
    const none = evaluatePreflight(xml(''), { origin: 'https://app.example.com', method: 'PUT', requestHeaders: [] });
    expect(none.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: OBS_NOT_ENABLED, headers: [], basis: 'documented', kb: 'obs.cors.not-enabled' });
    const miss = evaluatePreflight(config, { origin: 'https://www.example.com', method: 'PUT', requestHeaders: [] });
    expect(miss.answer).toMatchObject({ status: 403, code: 'AccessForbidden', message: OBS_NOT_ALLOWED, headers: [], basis: 'documented', kb: 'obs.cors.not-allowed' });
    expect(miss.browser).toMatchObject({ ok: false, kind: 'preflight-missing-allow-origin', facts: { status: 403, allowOrigin: null } });
    // the answers are the knowledge base's entries, word for word
    expect(kbEntry('obs.cors.not-enabled')).toMatchObject({ status: 403, code: 'AccessForbidden', message: OBS_NOT_ENABLED });
    expect(kbEntry('obs.cors.not-allowed')).toMatchObject({ status: 403, code: 'AccessForbidden', message: OBS_NOT_ALLOWED });
  });

  it('an actual request gets the origin and the exposed headers (derived from the OPTIONS answer)', () => {
    const ev = evaluateActual(config, { origin: 'www.example.com', method: 'POST', readHeaders: ['ExposeHeader_1', 'x-obs-request-id'] });
    expect(ev.answer.basis).toBe('derived');
    expect(ev.answer.headers).toContainEqual(['Access-Control-Expose-Headers', 'ExposeHeader_1,ExposeHeader_2']);
    expect(ev.unexposed).toEqual(['x-obs-request-id']);
  });
});

describe("TOS (S3's answers ASSUMED; https://www.volcengine.com/docs/6349/75033)", () => {
  const json = (rules: unknown[]) => parseCorsConfig(JSON.stringify({ CORSRules: rules }), { provider: 'tos' });
  const config = json([
    { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], ResponseVary: true },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ]);

  it("an allowed preflight: S3's headers, Max-Age 3600 by default, Vary: Origin from the rule's ResponseVary; marked as not documented", () => {
    const ev = evaluatePreflight(config, { origin: 'https://app.example.com', method: 'PUT', requestHeaders: ['content-type'] });
    expect(sorted(ev.answer.headers)).toEqual(
      sorted([
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', 'POST, PUT'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Expose-Headers', 'ETag'],
        ['Access-Control-Max-Age', '3600'],
        ['Vary', 'Origin'],
      ]),
    );
    expect(ev.answer).toMatchObject({ basis: 'derived', unknownHeaders: ['access-control-allow-origin', 'access-control-allow-credentials'] });
    expect(evaluatePreflight(config, { origin: 'https://x.test', method: 'GET', requestHeaders: [] }).answer.headers.map(([n]) => n)).not.toContain('Vary');
  });

  it('a verdict with credentials rests on the assumed answer, so it is not certain', () => {
    const star = evaluateActual(config, { origin: 'https://x.test', method: 'GET', credentials: true });
    expect(star.browser).toMatchObject({ ok: false, kind: 'wildcard-origin-not-allowed', certain: false });
    const exact = evaluateActual(config, { origin: 'https://app.example.com', method: 'POST', credentials: true });
    expect(exact.browser).toMatchObject({ ok: true, certain: false });
    expect(evaluateActual(config, { origin: 'https://app.example.com', method: 'POST' }).browser).toMatchObject({ ok: true, certain: true });
  });

  it('predicts no refusal: TOS documents neither the status nor the wording', () => {
    for (const c of [json([]), config]) {
      const ev = evaluatePreflight(c, { origin: 'https://other.test', method: 'PUT', requestHeaders: [] });
      expect(ev.answer).toMatchObject({ status: null, code: null, message: null, headers: [], basis: 'unknown', kb: null });
      expect(ev.browser).toMatchObject({ ok: false, kind: 'preflight-missing-allow-origin' });
    }
  });

  it('reads x-tos-request-id among the default headers', () => {
    const ev = evaluateActual(config, { origin: 'https://app.example.com', method: 'POST' });
    expect(ev.readHeaders).toEqual(['ETag', 'Location', 'Date', 'x-tos-request-id']);
    expect(ev.unexposed).toEqual(['Location', 'Date', 'x-tos-request-id']);
  });
});

describe("browserCheck: Chromium's order and kinds", () => {
  const answer = (status: number, headers: Array<[string, string]>): ServerAnswer => ({ status, code: null, message: null, headers, unknownHeaders: [], basis: 'derived', kb: null, sources: [] });
  const pre = { preflight: true, origin: 'https://app.example.com', method: 'PUT', requestHeaders: ['x-amz-meta-a'], credentials: false };
  const allow: Array<[string, string]> = [['Access-Control-Allow-Origin', 'https://app.example.com']];
  it('checks Allow-Origin before the status', () => {
    expect(browserCheck(answer(403, []), pre).kind).toBe('preflight-missing-allow-origin');
    expect(browserCheck(answer(403, allow), pre)).toMatchObject({ kind: 'preflight-invalid-status', kb: 'browser.cors.preflight-not-ok' });
  });
  it('then the method, then the headers', () => {
    expect(browserCheck(answer(200, [...allow, ['Access-Control-Allow-Methods', 'GET, POST']]), pre)).toMatchObject({
      kind: 'method-disallowed-by-preflight-response',
      facts: { method: 'PUT' },
      kb: 'browser.cors.method-not-allowed',
    });
    expect(browserCheck(answer(200, [...allow, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'content-type']]), pre)).toMatchObject({
      kind: 'header-disallowed-by-preflight-response',
      facts: { headers: ['x-amz-meta-a'] },
      kb: 'browser.cors.header-not-allowed',
    });
    expect(browserCheck(answer(200, [...allow, ['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', '*']]), pre).ok).toBe(true);
  });
  it('a * in Allow-Headers does not cover Authorization, nor anything with credentials', () => {
    const headers: Array<[string, string]> = [...allow, ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', '*']];
    expect(browserCheck(answer(200, headers), { ...pre, requestHeaders: ['authorization'] }).facts.headers).toEqual(['authorization']);
    expect(browserCheck(answer(200, headers), { ...pre, credentials: true }).kind).toBe('header-disallowed-by-preflight-response');
  });
  it('reads mismatched, multiple and wildcard Allow-Origin values', () => {
    expect(browserCheck(answer(200, [['Access-Control-Allow-Origin', 'https://other.test']]), pre).kind).toBe('preflight-allow-origin-mismatch');
    expect(browserCheck(answer(200, [['Access-Control-Allow-Origin', 'https://a.test, https://b.test']]), pre).kind).toBe('preflight-multiple-allow-origin-values');
    expect(browserCheck(answer(200, [['Access-Control-Allow-Origin', '*']]), { ...pre, preflight: false, credentials: true }).kind).toBe('wildcard-origin-not-allowed');
    expect(browserCheck(answer(200, allow), { ...pre, preflight: false, credentials: true }).kind).toBe('invalid-allow-credentials');
  });
});

describe('exposed headers', () => {
  it('lists the default headers an upload page reads that the rule does not expose', () => {
    const config = s3([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'], ExposeHeaders: ['ETag'] }]);
    const ev = evaluateActual(config, { origin: 'https://app.example.com', method: 'POST' });
    expect(ev.allowed).toBe(true);
    expect(ev.readHeaders).toEqual(['ETag', 'Location', 'Date', 'x-amz-request-id']);
    expect(ev.unexposed).toEqual(['Location', 'Date', 'x-amz-request-id']);
  });
  it('never lists the CORS-safelisted response headers', () => {
    const config = s3([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]);
    const ev = evaluateActual(config, { origin: 'https://a.test', method: 'GET', readHeaders: ['Content-Type', 'content-length', 'Last-Modified', 'etag'] });
    expect(ev.unexposed).toEqual(['etag']);
  });
});
