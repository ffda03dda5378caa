// Known answers per provider: tables of configurations x (origin, method, request headers) ->
// allowed (by which rule) or refused (and why), in test/fixtures/cors/match-<provider>.json.
import { describe, expect, it } from 'vitest';
import { evaluateActual, evaluatePreflight, headerAllowed, originMatches, PROFILES } from '../../src/cors/index.js';
import { matchTable, PROVIDERS, tableConfig } from './helpers.js';

describe.each(PROVIDERS.map((p) => [p] as const))('%s', (provider) => {
  const table = matchTable(provider);
  it('has a case for every configuration of its table', () => {
    for (const name of Object.keys(table.configs))
      expect(
        table.cases.some((c) => c.config === name),
        name,
      ).toBe(true);
  });
  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const config = tableConfig(table.configs[c.config], provider);
    const ev = c.preflight ? evaluatePreflight(config, { origin: c.origin, method: c.method, requestHeaders: c.headers ?? [] }) : evaluateActual(config, { origin: c.origin, method: c.method });
    expect(ev.allowed).toBe(c.allowed);
    if (c.allowed) {
      expect(ev.matchedRule).toBe(c.rule);
      expect(ev.refusal).toBeNull();
      return;
    }
    expect(ev.matchedRule).toBeNull();
    expect(ev.refusal?.reason).toBe(c.reason);
    if (c.refused) expect(ev.refusal?.headers).toEqual(c.refused);
    if (c.closest !== undefined) expect(ev.refusal?.closest).toBe(c.closest);
    expect(ev.refusal?.nearMisses).toHaveLength(config.rules.length);
  });
});

describe('wildcards', () => {
  const s3 = PROFILES.s3;
  it('a * matches the empty string and is anchored at both ends (ceph s3-tests test_cors_origin_response)', () => {
    expect(originMatches('*suffix', 'foo.suffix', s3)).toBe(true);
    expect(originMatches('start*end', 'startend', s3)).toBe(true);
    expect(originMatches('start*end', 'start12end', s3)).toBe(true);
    expect(originMatches('start*end', '0start12end', s3)).toBe(false);
    expect(originMatches('prefix*', 'prefix', s3)).toBe(true);
    expect(originMatches('prefix*', 'bla.prefix', s3)).toBe(false);
    expect(originMatches('*suffix', 'foo.suffix.get', s3)).toBe(false);
  });
  it('an entry with two * never matches (PutBucketCors refuses it)', () => {
    expect(originMatches('https://*.*.example.com', 'https://a.b.example.com', s3)).toBe(false);
    expect(headerAllowed(['x-*-*'], 'x-a-b', s3)).toBe(false);
  });
  it('GCS compares a * inside an origin literally, COS a * inside a header', () => {
    expect(originMatches('https://*.example.com', 'https://a.example.com', PROFILES.gcs)).toBe(false);
    expect(originMatches('https://*.example.com', 'https://*.example.com', PROFILES.gcs)).toBe(true);
    expect(headerAllowed(['x-cos-*'], 'x-cos-meta-a', PROFILES.cos)).toBe(false);
    expect(headerAllowed(['*'], 'x-cos-meta-a', PROFILES.cos)).toBe(true);
    expect(headerAllowed(['*'], 'content-type', PROFILES.gcs)).toBe(false);
  });
});
