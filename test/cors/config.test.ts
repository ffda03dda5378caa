// Config readers: every provider form (documentation examples in test/fixtures/cors/configs,
// their URLs in configs/index.json), provider detection, and one-line errors for bad input.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { configFor, parseCorsConfig, readCorsConfig } from '../../src/cors/index.js';
import type { CorsProvider } from '../../src/cors/index.js';
import { fixtureJson, fixtureText } from './helpers.js';

interface FormFixture {
  file: string;
  url: string;
  detect: { provider: CorsProvider | null; candidates: CorsProvider[] };
  responseVary?: boolean;
  rules: Array<Record<string, unknown>>;
}

const index = fixtureJson<{ forms: FormFixture[] }>('configs/index.json');

function caught(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe("readCorsConfig: the providers' forms", () => {
  it.each(index.forms.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    expect(f.url).toMatch(/^https:\/\//);
    const r = readCorsConfig(fixtureText(`configs/${f.file}`), { sourceName: f.file });
    expect({ provider: r.provider, candidates: r.candidates }).toEqual(f.detect);
    expect(r.rules).toEqual(f.rules.map((rule, index) => ({ index, ...rule })));
    expect(r.responseVary).toBe(f.responseVary);
  });

  it('takes the provider hint over the shape', () => {
    const text = fixtureText('configs/s3-example1.xml');
    const r = readCorsConfig(text, { provider: 'cos' });
    expect(r.provider).toBe('cos');
    expect(r.evidence).toEqual([{ kind: 'hint', provider: 'cos' }]);
    expect(parseCorsConfig(text, { provider: 'oss' }).provider).toBe('oss');
  });

  it('reads the S3 namespace as S3', () => {
    const r = readCorsConfig(
      '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    );
    expect(r.provider).toBe('s3');
    expect(r.evidence).toContainEqual({ kind: 's3-namespace', namespace: 'http://s3.amazonaws.com/doc/2006-03-01/' });
  });

  it('narrows by ResponseVary (not S3), a rule ID (not OSS) and the rule count (OSS allows 10)', () => {
    const vary = readCorsConfig('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>');
    expect(vary).toMatchObject({ provider: null, candidates: ['cos', 'oss'], responseVary: true });
    const both = readCorsConfig(
      '<CORSConfiguration><CORSRule><ID>a</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>false</ResponseVary></CORSConfiguration>',
    );
    expect(both).toMatchObject({ provider: 'cos', candidates: ['cos'] });
    const rule = '<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>';
    const many = readCorsConfig(`<CORSConfiguration>${rule.repeat(11)}</CORSConfiguration>`);
    expect(many.candidates).toEqual(['s3', 'cos', 'obs']);
    expect(many.evidence).toContainEqual({ kind: 'rule-count', count: 11, excludes: ['oss'] });
  });

  it('never guesses: an undecided reading needs the provider', () => {
    const text = fixtureText('configs/s3-example2.xml');
    const e = caught(() => parseCorsConfig(text, { sourceName: 'cors.xml' }));
    expect(e.oneLine()).toBe('cors.xml: the CORS configuration is XML that s3, cos, oss, obs all accept; give the provider');
    const reading = readCorsConfig(text);
    expect(configFor(reading, 'cos')).toMatchObject({ provider: 'cos', source: 'xml' });
    expect(() => configFor(reading)).toThrow(InputError);
  });

  it('reads an empty GCS list and a bucket resource without CORS as no rules', () => {
    expect(parseCorsConfig('[]')).toMatchObject({ provider: 'gcs', rules: [] });
    expect(parseCorsConfig('{"kind": "storage#bucket", "name": "b"}')).toMatchObject({ provider: 'gcs', rules: [] });
    expect(readCorsConfig('{"CORSRules": []}')).toMatchObject({ provider: null, candidates: ['s3', 'tos'], rules: [] });
    expect(parseCorsConfig('{"CORSRules": []}', { provider: 's3' })).toMatchObject({ provider: 's3', rules: [] });
  });
});

describe('readCorsConfig: OBS and TOS', () => {
  const rule = '<CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule>';

  it("reads OBS's own namespace as OBS, whatever region or OBS cloud wrote it", () => {
    for (const ns of ['http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/', 'http://obs.eu-de.otc.t-systems.com/doc/2015-06-30/', 'http://obs.myhwclouds.com/doc/2015-06-30/']) {
      const r = readCorsConfig(`<CORSConfiguration xmlns="${ns}">${rule}</CORSConfiguration>`);
      expect(r).toMatchObject({ provider: 'obs', candidates: ['obs'] });
      expect(r.evidence).toContainEqual({ kind: 'obs-namespace', namespace: ns });
    }
  });

  it("never guesses OBS: S3-shaped XML stays S3 with S3's namespace, and lists OBS only as a candidate without one", () => {
    expect(readCorsConfig(`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rule}</CORSConfiguration>`)).toMatchObject({ provider: 's3', candidates: ['s3'] });
    expect(readCorsConfig(`<CORSConfiguration>${rule}</CORSConfiguration>`)).toMatchObject({ provider: null, candidates: ['s3', 'cos', 'oss', 'obs'] });
    // OBS has no ResponseVary
    expect(readCorsConfig(`<CORSConfiguration>${rule}<ResponseVary>true</ResponseVary></CORSConfiguration>`).candidates).toEqual(['cos', 'oss']);
    // OBS allows 100 rules, like S3 and COS
    expect(readCorsConfig(`<CORSConfiguration>${rule.repeat(101)}</CORSConfiguration>`, { provider: 'obs' }).rules).toHaveLength(101);
    expect(() => readCorsConfig(`<CORSConfiguration>${rule.repeat(101)}</CORSConfiguration>`)).toThrow(/fits no provider/);
  });

  it('tells TOS JSON from S3 JSON only by a per-rule ResponseVary (TOS) or a rule ID (S3)', () => {
    const tos = readCorsConfig('{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ResponseVary": true}]}');
    expect(tos).toMatchObject({ provider: 'tos', candidates: ['tos'] });
    expect(tos.rules[0]).toMatchObject({ responseVary: true });
    expect(tos.evidence).toContainEqual({ kind: 'rule-response-vary', excludes: ['s3'] });
    const s3 = readCorsConfig('{"CORSRules": [{"ID": "a", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}');
    expect(s3).toMatchObject({ provider: 's3', candidates: ['s3'] });
    expect(s3.evidence).toContainEqual({ kind: 'rule-id', excludes: ['tos'] });
    const both = '{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}';
    expect(readCorsConfig(both)).toMatchObject({ provider: null, candidates: ['s3', 'tos'] });
    expect(caught(() => parseCorsConfig(both, { sourceName: 'cors.json' })).oneLine()).toBe('cors.json: the CORS configuration is JSON that s3, tos all accept; give the provider');
    // the S3 console's bare list is S3's form only
    expect(readCorsConfig('[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]')).toMatchObject({ provider: 's3' });
    expect(() => readCorsConfig('[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ResponseVary": true}]')).toThrow(/fits no provider/);
    expect(() => readCorsConfig('{"CORSRules": [{"ID": "a", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ResponseVary": true}]}')).toThrow(/fits no provider/);
  });

  it('a TOS ResponseVary must be a boolean', () => {
    const e = caught(() => readCorsConfig('{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ResponseVary": "true"}]}', { sourceName: 'cors.json' }));
    expect(e.oneLine()).toBe("cors.json: field 'CORSRules[0].ResponseVary': expected true or false");
  });
});

describe('readCorsConfig: bad input is one line saying what and where', () => {
  const cases: Array<[string, string, string]> = [
    ['empty', '  ', 'cors.json: CORS configuration is empty'],
    ['broken JSON', '{"CORSRules": [}', "cors.json: CORS configuration is not valid JSON: Unexpected token '}'"],
    ['truncated JSON', '{"CORSRules": [', 'cors.json: CORS configuration is not valid JSON: '],
    ['broken XML', '<CORSConfiguration><CORSRule></CORSConfiguration>', 'cors.json:1:'],
    ['unknown S3 key', '{"CORSRules": [{"AllowedOrigin": ["*"], "AllowedMethods": ["GET"]}]}', "cors.json: field 'CORSRules[0]': unknown key 'AllowedOrigin'"],
    ['not a list', '{"CORSRules": [{"AllowedOrigins": "*", "AllowedMethods": ["GET"]}]}', "cors.json: field 'CORSRules[0].AllowedOrigins': expected a list of strings"],
    [
      'MaxAgeSeconds not a number',
      '{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": "3000"}]}',
      "cors.json: field 'CORSRules[0].MaxAgeSeconds': expected a whole number of seconds",
    ],
    ['unknown GCS key', '[{"origins": ["*"], "method": ["GET"]}]', "cors.json: field '[0]': unknown key 'origins'"],
    ['GCS key typo', '[{"origin": ["*"], "methods": ["GET"]}]', "cors.json: field '[0]': unknown key 'methods'"],
    [
      'unknown XML element',
      '<CORSConfiguration><CORSRule><AllowedOrigins>*</AllowedOrigins></CORSRule></CORSConfiguration>',
      "cors.json: field 'CORSConfiguration/CORSRule[1]': unknown element <AllowedOrigins>",
    ],
    [
      'XML MaxAgeSeconds',
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>1h</MaxAgeSeconds></CORSRule></CORSConfiguration>',
      "cors.json: field 'CORSConfiguration/CORSRule[1]/MaxAgeSeconds': expected a whole number of seconds, found '1h'",
    ],
    ['ResponseVary not boolean', '<CORSConfiguration><ResponseVary>0</ResponseVary></CORSConfiguration>', "cors.json: field 'CORSConfiguration/ResponseVary': expected true or false, found '0'"],
    ['wrong root', '<CORS><CORSRule/></CORS>', "cors.json: field 'CORS': root element is <CORS>"],
    ['neither form', '{"rules": []}', "cors.json: field '(top level)': no CORS rules found"],
  ];
  it.each(cases)('%s', (_name, text, start) => {
    const e = caught(() => readCorsConfig(text, { sourceName: 'cors.json' }));
    expect(e.oneLine().startsWith(start), e.oneLine()).toBe(true);
    expect(e.oneLine()).not.toContain('\n');
  });

  it('refuses a form the hinted provider does not use', () => {
    const e = caught(() => readCorsConfig('[{"origin": ["*"], "method": ["GET"]}]', { provider: 's3' }));
    expect(e.message).toBe('the text is a GCS CORS configuration, which s3 does not use');
    expect(() => readCorsConfig('{"CORSRules": []}', { provider: 'gcs' })).toThrow(/S3-style/);
  });
});
