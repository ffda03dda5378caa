import { describe, expect, test } from 'vitest';
import { analysePolicy, decodeBase64, parseJson } from '../../src/policy/index.js';
import { b64 } from './helpers.js';

const ids = (s: string): string[] => analysePolicy(s).problems.map((p) => p.id);
const good = { expiration: '2019-08-30T09:38:12.414Z', conditions: [{ bucket: 'b' }] };

describe('base64', () => {
  test('standard base64 decodes without problems', () => {
    const r = decodeBase64(b64(good));
    expect(r.problems).toEqual([]);
    expect(Buffer.from(r.bytes!).toString()).toBe(JSON.stringify(good));
  });
  test('bad character with its offset', () => {
    const s = b64(good);
    const bad = `${s.slice(0, 10)}%2B${s.slice(10)}`;
    const r = decodeBase64(bad);
    expect(r.bytes).toBeNull();
    expect(r.problems).toEqual([{ kind: 'bad-char', char: '%', codePoint: 0x25, offset: 10, count: 1 }]);
    const a = analysePolicy(bad);
    expect(a.policy).toBeNull();
    expect(a.problems[0]).toMatchObject({ id: 'policy.base64-bad-char', facts: { char: '%', codePoint: 'U+0025', offset: 10 } });
  });
  test('URL-safe alphabet is noticed and still decoded', () => {
    const json = '{"expiration":"2019-08-30T09:38:12.414Z","conditions":[{"key":"a>>>?"}]}';
    const std = Buffer.from(json).toString('base64');
    expect(std).toMatch(/[+/]/);
    const url = std.replace(/\+/g, '-').replace(/\//g, '_');
    const a = analysePolicy(url);
    expect(a.problems.map((p) => p.id)).toEqual(['policy.base64-url-safe']);
    expect(a.policy?.json).toBe(json);
  });
  test('missing and extra padding', () => {
    const s = Buffer.from('{"ab":12}').toString('base64'); // 9 bytes: no padding
    const p = Buffer.from('{"ab":1}').toString('base64');
    expect(p.endsWith('=')).toBe(true);
    expect(decodeBase64(p.replace(/=+$/, '')).problems).toEqual([{ kind: 'padding-missing', expected: p.length - p.replace(/=+$/, '').length, found: 0 }]);
    expect(decodeBase64(`${p}=`).problems[0]?.kind).toBe('padding-extra');
    expect(decodeBase64(`${s}==`).problems[0]).toEqual({ kind: 'padding-extra', expected: 0, found: 2 });
    expect(decodeBase64(`${p}${p}`).problems[0]?.kind).toBe('padding-inside');
  });
  test('bad length, whitespace, empty', () => {
    expect(decodeBase64('abcde').problems).toEqual([{ kind: 'bad-length', length: 5 }]);
    const wrapped = b64(good).replace(/(.{20})/g, '$1\n');
    const r = decodeBase64(wrapped);
    expect(r.problems[0]).toMatchObject({ kind: 'whitespace', offset: 20 });
    expect(Buffer.from(r.bytes!).toString()).toBe(JSON.stringify(good));
    expect(ids('')).toEqual(['policy.empty']);
  });
  test('not UTF-8', () => {
    const s = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64');
    const a = analysePolicy(s);
    expect(a.problems).toEqual([{ id: 'policy.not-utf8', severity: 'error', facts: { offset: 2 } }]);
  });
});

describe('JSON with positions', () => {
  test('agrees with JSON.parse on valid text', () => {
    const t = '{"a": [1, -2.5e3, "x\\u0041\\n", true, false, null, {}], "b": {"c": []}}';
    const r = parseJson(t);
    expect(r.ok && r.value).toEqual(JSON.parse(t));
  });
  test('missing comma: expected, with line and column', () => {
    const t = '{\n  "expiration": "2019-08-30T09:38:12.414Z",\n  "conditions": [\n    {"a": "b"}\n    {"c": "d"}\n  ]\n}';
    const r = parseJson(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ reason: 'expected', line: 5, column: 5, found: '{', expected: [',', ']'] });
  });
  test('single quotes: unknown character', () => {
    const r = parseJson("{'expiration': 1}");
    expect(!r.ok && r.error).toMatchObject({ reason: 'unknown-character', line: 1, column: 2, found: "'" });
  });
  test('trailing comma, end of text, trailing data, bad literal', () => {
    expect(!parseJson('[1,2,]').ok && (parseJson('[1,2,]') as { error: { reason: string } }).error.reason).toBe('trailing-comma');
    const end = parseJson('{"a": [1');
    expect(!end.ok && end.error).toMatchObject({ reason: 'unexpected-end', offset: 8 });
    const tail = parseJson('{} x');
    expect(!tail.ok && tail.error).toMatchObject({ reason: 'trailing-data', column: 4 });
    const lit = parseJson('{"a": True}');
    expect(!lit.ok && lit.error).toMatchObject({ reason: 'unknown-character', column: 7 });
  });
  test('duplicate keys are found with their position', () => {
    const r = parseJson('{"expiration": "x",\n "expiration": "y", "conditions": [{"a": 1, "a": 2}]}');
    expect(r.ok).toBe(true);
    expect(r.duplicates).toEqual([
      { key: 'expiration', path: '$', line: 2, column: 2 },
      { key: 'a', path: '$.conditions[0]', line: 2, column: 45 },
    ]);
  });
  test('CRLF counts as one line break', () => {
    const r = parseJson('{\r\n"a": 1\r\n x}');
    expect(!r.ok && r.error).toMatchObject({ line: 3, column: 2 });
  });
  test('policy.json-invalid carries the prediction key by reason', () => {
    const a = analysePolicy(b64('{"expiration": "2019-08-30T09:38:12.414Z", "conditions": [["eq", "$key" "a"]]}'));
    expect(a.problems[0]).toMatchObject({ id: 'policy.json-invalid', predict: 'policy.json-invalid.expected', facts: { line: 1, found: '"' } });
    const b = analysePolicy(b64("{'a': 1}"));
    expect(b.problems[0]).toMatchObject({ id: 'policy.json-invalid', predict: 'policy.json-invalid.unknown-character' });
    expect(b.policy?.document).toBeNull();
    expect(b.policy?.json).toBe("{'a': 1}");
  });
  test('byte order mark', () => {
    expect(ids(Buffer.from(`\ufeff${JSON.stringify(good)}`).toString('base64'))).toEqual(['policy.bom', 'policy.json-invalid']);
  });
});

describe('structure', () => {
  const with_ = (doc: unknown) => ids(b64(doc));
  test('a good policy has no problems and normalised conditions', () => {
    const a = analysePolicy(
      b64({
        expiration: '2019-08-30T09:38:12.414Z',
        conditions: [{ acl: 'default' }, ['EQ', '$x-cos-server-side-encryption', 'AES256'], ['starts-with', '$key', 'a/'], ['content-length-range', '0', 100]],
      }),
    );
    expect(a.problems).toEqual([]);
    expect(a.policy?.expiration).toBe('2019-08-30T09:38:12.414Z');
    expect(a.policy?.conditions.map(({ raw, ...c }) => c)).toEqual([
      { type: 'eq', field: 'acl', value: 'default', index: 0 },
      { type: 'eq', field: 'x-cos-server-side-encryption', value: 'AES256', index: 1 },
      { type: 'starts-with', field: 'key', value: 'a/', index: 2 },
      { type: 'content-length-range', min: 0, max: 100, index: 3 },
    ]);
  });
  test('document and top-level problems', () => {
    expect(with_([1])).toEqual(['policy.not-object']);
    expect(with_({ conditions: [{ a: 'b' }] })).toEqual(['policy.expiration-missing']);
    expect(with_({ expiration: 1567157892, conditions: [{ a: 'b' }] })).toEqual(['policy.expiration-not-string']);
    expect(with_({ expiration: '2019-08-30', conditions: [{ a: 'b' }] })).toEqual(['policy.expiration-invalid']);
    expect(with_({ expiration: '2019-13-30T09:38:12Z', conditions: [{ a: 'b' }] })).toEqual(['policy.expiration-invalid']);
    expect(with_({ expiration: '2019-08-30T09:38:12+08:00', conditions: [{ a: 'b' }] })).toEqual(['policy.expiration-not-utc']);
    expect(with_({ expiration: '2019-08-30T09:38:12.414Z' })).toEqual(['policy.conditions-missing']);
    expect(with_({ expiration: '2019-08-30T09:38:12.414Z', conditions: { a: 'b' } })).toEqual(['policy.conditions-not-array']);
    expect(with_({ expiration: '2019-08-30T09:38:12.414Z', conditions: [] })).toEqual(['policy.conditions-empty']);
    expect(with_({ expiration: '2019-08-30T09:38:12.414Z', conditions: [{ a: 'b' }], condition: [] })).toEqual(['policy.unknown-property']);
    expect(analysePolicy(b64({ expiration: '', conditions: [{ a: 'b' }] })).problems[0]).toMatchObject({ id: 'policy.expiration-invalid', predict: 'policy.expiration-empty' });
  });
  test('condition problems', () => {
    const c = (cond: unknown) => analysePolicy(b64({ expiration: '2019-08-30T09:38:12.414Z', conditions: [{ ok: 'x' }, cond] })).problems;
    expect(c({ a: 'b', c: 'd' })[0]).toMatchObject({ id: 'policy.simple-condition-properties', facts: { number: 2, index: 1, count: 2 } });
    expect(c({})[0]).toMatchObject({ id: 'policy.simple-condition-properties', facts: { count: 0 } });
    expect(c('key')[0]).toMatchObject({ id: 'policy.condition-invalid-type', facts: { type: 'string' } });
    expect(c(['matches', '$key', 'a'])[0]).toMatchObject({ id: 'policy.condition-unknown-operator', facts: { operator: 'matches' } });
    expect(c([1, '$key', 'a'])[0]).toMatchObject({ id: 'policy.condition-unknown-operator', facts: { operator: '1' } });
    expect(c(['eq', '$key'])[0]).toMatchObject({ id: 'policy.condition-arity', facts: { operator: 'eq', count: 2 } });
    expect(c(['starts-with', '$key', 'a', 'b'])[0]).toMatchObject({ id: 'policy.condition-arity', facts: { count: 4 } });
    expect(c(['eq', 'key', 'a'])[0]).toMatchObject({ id: 'policy.condition-field-prefix', facts: { field: 'key' } });
    expect(c(['eq', 5, 'a'])[0]).toMatchObject({ id: 'policy.condition-field-invalid', facts: { type: 'number' } });
    expect(c(['eq', '$success_action_status', 201])[0]).toMatchObject({ id: 'policy.condition-value-type', severity: 'warning', facts: { field: 'success_action_status', type: 'number' } });
    expect(c({ acl: null })[0]).toMatchObject({ id: 'policy.condition-value-type', severity: 'error', facts: { type: 'null' } });
    expect(c(['content-length-range', 'a', 10])[0]).toMatchObject({ id: 'policy.content-length-range-invalid' });
    expect(c(['content-length-range', -1, 10])[0]).toMatchObject({ id: 'policy.content-length-range-invalid' });
    expect(c(['content-length-range', 1.5, 10])[0]).toMatchObject({ id: 'policy.content-length-range-invalid' });
    expect(c(['content-length-range', 100, 10])[0]).toMatchObject({ id: 'policy.content-length-range-order', facts: { min: 100, max: 10 } });
    expect(c(['content-length-range', ' 10 ', '10'])).toEqual([]);
  });
});
