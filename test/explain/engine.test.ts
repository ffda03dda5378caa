// Detection, fact derivation, matching and ranking of the explain engine, on small
// knowledge bases built here (independent of rules/kb) and on the real one where stated.
import { describe, expect, it } from 'vitest';
import type { KbEntry } from '../../src/core/catalogue.js';
import { explain } from '../../src/explain/index.js';
import { deriveFacts, parseCondition, conditionField } from '../../src/explain/facts.js';
import { literalLength, requiredLiteral, squashPattern, messageHits } from '../../src/explain/match.js';
import { templateSource } from './template-oracle.js';
import { parseInput } from '../../src/explain/parse.js';
import * as cos from '../../src/providers/cos/errors.js';
import * as oss from '../../src/providers/oss/errors.js';
import * as s3 from '../../src/providers/s3/errors.js';
import * as gcs from '../../src/providers/gcs/errors.js';

function entry(p: Partial<KbEntry> & { id: string }): KbEntry {
  const words = (s: string) => ({ title: `${s} title`, cause: `${s} cause`, steps: [`${s} step`] });
  return {
    providers: ['cos'],
    status: 403,
    code: 'AccessDenied',
    source: 'test',
    docs: ['https://example.test/doc'],
    text: { en: words('en'), ja: words('ja'), zh: words('zh') },
    file: 'test.yaml',
    ...p,
  } as KbEntry;
}

const NOW = new Date('2021-05-17T10:06:42Z');

describe('fact derivation', () => {
  it('COS expiry epochs -> expiration, serverTime, expiredBySeconds', () => {
    const a = parseInput('x').answer;
    const f = deriveFacts({}, { expirationEpoch: '1621188104', serverEpoch: '1621245817' }, a, NOW);
    expect(f.expiredBySeconds).toBe(57713);
    expect(f.expiration).toBe('2021-05-16T18:01:44.000Z');
    expect(f.serverTime).toBe('2021-05-17T10:03:37.000Z');
  });

  it('Date header -> serverTime and clock skew (local minus server)', () => {
    const a = parseInput('HTTP/1.1 403 Forbidden\nDate: Mon, 17 May 2021 10:03:37 GMT\n\n<Error><Code>AccessDenied</Code><Message>x</Message></Error>').answer;
    const f = deriveFacts({}, {}, a, NOW);
    expect(f.serverTime).toBe('2021-05-17T10:03:37.000Z');
    expect(f.clockSkewSeconds).toBe(185);
  });

  it('conditions: JSON, curly quotes with \\$, RGW wording', () => {
    expect(parseCondition('["eq", "$success_action_redirect", "http://x"]')).toEqual(['eq', '$success_action_redirect', 'http://x']);
    expect(parseCondition('[\u201cstarts-with\u201d , \u201c\\$key\u201d , \u201cuser/eric/\u201d]')).toEqual(['starts-with', '$key', 'user/eric/']);
    expect(parseCondition('starts-with: $key, user/')).toEqual(['starts-with', '$key', 'user/']);
    expect(parseCondition('{"bucket": "b"}')).toEqual({ bucket: 'b' });
    expect(parseCondition('Bucket POST must be of the enclosure-type multipart/form-data')).toBeNull();
    expect(conditionField(['eq', '$Content-Type', 'image/png'])).toBe('Content-Type');
    expect(conditionField(['content-length-range', 0, 10])).toBeNull();
  });

  it('condition capture -> parsed array and field as written', () => {
    const a = parseInput('x').answer;
    const f = deriveFacts({}, { condition: '["eq", "$Content-Type", "image/png"]' }, a, NOW);
    expect(f.condition).toEqual(['eq', '$Content-Type', 'image/png']);
    expect(f.field).toBe('Content-Type');
    expect(f.conditionText).toBe('["eq", "$Content-Type", "image/png"]');
  });

  it('Extra input fields, regions, sizes', () => {
    const extra = parseInput('Invalid according to Policy: Extra input fields: content-type, x-amz-meta-a').answer;
    expect(deriveFacts({}, {}, extra, NOW)).toMatchObject({ field: 'content-type', fields: ['content-type', 'x-amz-meta-a'] });
    const region = parseInput("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'").answer;
    expect(deriveFacts({}, {}, region, NOW)).toMatchObject({ region: 'us-east-1', expectedRegion: 'eu-central-1' });
    const sizes = deriveFacts({}, { proposedSize: '10485760', maxSizeAllowed: '1048576', minSizeAllowed: 'n/a' }, extra, NOW);
    expect(sizes).toMatchObject({ proposedSize: 10485760, maxSizeAllowed: 1048576, minSizeAllowed: 'n/a' });
  });
});

describe('provider answer facts', () => {
  it('OSS elements', () => {
    const a = parseInput(
      '<Error><Code>AccessDenied</Code><Message>m</Message><Endpoint>oss-cn-hangzhou.aliyuncs.com</Endpoint><Bucket>b</Bucket><ArgumentName>x-oss-a</ArgumentName><ArgumentValue>v</ArgumentValue><Method>abc</Method><ResourceType>Bucket</ResourceType><Header>If-Modified-Since</Header></Error>',
    ).answer;
    expect(oss.answerFacts(a)).toMatchObject({
      endpoint: 'oss-cn-hangzhou.aliyuncs.com',
      bucket: 'b',
      argumentName: 'x-oss-a',
      argumentValue: 'v',
      method: 'abc',
      resourceType: 'Bucket',
      header: 'If-Modified-Since',
    });
  });
  it('COS elements', () => {
    const a = parseInput(
      '<Error><Code>AccessDenied</Code><Message>m</Message><Resource>examplebucket-1250000000.cos.ap-beijing.myqcloud.com/x</Resource><TraceId>OGVm</TraceId><ServerTime>2021-05-17T10:03:37Z</ServerTime></Error>',
    ).answer;
    expect(cos.answerFacts(a)).toMatchObject({ serverTime: '2021-05-17T10:03:37.000Z', traceId: 'OGVm', bucket: 'examplebucket-1250000000', appid: '1250000000', region: 'ap-beijing' });
  });
  it('S3 elements (sizes as numbers, StringToSign, Condition, Region)', () => {
    const a = parseInput(
      '<Error><Code>EntityTooLarge</Code><Message>m</Message><ProposedSize>10</ProposedSize><MaxSizeAllowed>5</MaxSizeAllowed><MinSizeAllowed>1</MinSizeAllowed><StringToSign>eyJ9</StringToSign><Condition>c</Condition><Region>eu-central-1</Region><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId></Error>',
    ).answer;
    const f = s3.answerFacts(a);
    expect(f).toMatchObject({ proposedSize: 10, maxSizeAllowed: 5, minSizeAllowed: 1, stringToSign: 'eyJ9', condition: 'c', expectedRegion: 'eu-central-1' });
    expect(f.accessKeyId).toBe('AKIAIO****');
  });
  it('GCS details', () => {
    const a = parseInput('<Error><Code>InvalidPolicyDocument</Code><Message>m</Message><Details>Policy did not reference these fields: submit</Details></Error>').answer;
    expect(gcs.answerFacts(a)).toMatchObject({ details: 'Policy did not reference these fields: submit', field: 'submit' });
  });
});

describe('provider detection (headers, ids, elements)', () => {
  const det = (text: string) => {
    const a = parseInput(text).answer;
    return { cos: cos.detectResponse(a), oss: oss.detectResponse(a), s3: s3.detectResponse(a), gcs: gcs.detectResponse(a), server: s3.detectServer(a) };
  };
  const body = '<Error><Code>AccessDenied</Code><Message>zzz</Message></Error>';
  it('Server headers', () => {
    expect(det(`HTTP/1.1 403 Forbidden\nServer: tencent-cos\n\n${body}`).cos).toBeGreaterThan(0.9);
    expect(det(`HTTP/1.1 403 Forbidden\nServer: AliyunOSS\n\n${body}`).oss).toBeGreaterThan(0.9);
    expect(det(`HTTP/1.1 403 Forbidden\nServer: AmazonS3\n\n${body}`)).toMatchObject({ server: 'aws' });
    expect(det(`HTTP/1.1 403 Forbidden\nServer: UploadServer\n\n${body}`).gcs).toBeGreaterThan(0.9);
  });
  it('request-id headers', () => {
    expect(det(`HTTP/1.1 403 Forbidden\nx-cos-request-id: abc\n\n${body}`).cos).toBeGreaterThan(0.9);
    expect(det(`HTTP/1.1 403 Forbidden\nx-oss-request-id: abc\n\n${body}`).oss).toBeGreaterThan(0.9);
    expect(det(`HTTP/1.1 403 Forbidden\nx-amz-request-id: abc\n\n${body}`).s3).toBeGreaterThan(0.8);
    expect(det(`HTTP/1.1 403 Forbidden\nx-guploader-uploadid: abc\n\n${body}`).gcs).toBeGreaterThan(0.9);
  });
  it('ids and elements in the body', () => {
    const d1 = det('<Error><Code>A</Code><Message>m</Message><RequestId>NWQ2NzgxMzZfYzFhMzNmMGFfMjU2OWVfMmI2MjQ3YQ==</RequestId></Error>');
    expect(d1.cos).toBeGreaterThan(Math.max(d1.oss, d1.s3, d1.gcs));
    const d2 = det('<Error><Code>A</Code><Message>m</Message><RequestId>5C3D9175B6FC201293AD4890</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>');
    expect(d2.oss).toBeGreaterThan(Math.max(d2.cos, d2.s3, d2.gcs));
    const d3 = det(
      '<Error><Code>A</Code><Message>m</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=</HostId></Error>',
    );
    expect(d3.s3).toBeGreaterThan(Math.max(d3.cos, d3.oss, d3.gcs));
    expect(d3.server).toBe('aws');
    const d4 = det('<Error><Code>A</Code><Message>m</Message><TraceId>OGVm</TraceId></Error>');
    expect(d4.cos).toBeGreaterThan(0.5);
    const d5 = det('<Error><Code>A</Code><Message>m</Message><EC>0002-00000705</EC></Error>');
    expect(d5.oss).toBeGreaterThan(0.9);
  });
  it('GCS: the <Details> element and Google wording in it', () => {
    const d = det(
      '<Error><Code>AccessDenied</Code><Message>Access denied.</Message><Details>Anonymous caller does not have storage.objects.create access to the Google Cloud Storage object.</Details></Error>',
    );
    expect(d.gcs).toBeGreaterThan(Math.max(d.cos, d.oss, d.s3, 0.6));
  });
  it('Ceph RGW: transaction ids and server names', () => {
    const d = det(
      '<Error><Code>AccessDenied</Code><Message>Policy expired</Message><RequestId>tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1014-default</RequestId><HostId>1014-default-default</HostId></Error>',
    );
    expect(d.s3).toBeGreaterThan(0.9);
    expect(d.server).toBe('rgw');
    expect(det(`HTTP/1.1 403 Forbidden\nServer: Ceph Object Gateway (squid)\n\n${body}`).server).toBe('rgw');
  });
  it('explain reports the detected provider and S3 flavour', () => {
    const r = explain('HTTP/1.1 403 Forbidden\nx-amz-request-id: tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1014-default\n\n<Error><Code>AccessDenied</Code><Message>zzz</Message></Error>', { kb: [] });
    expect(r.provider).toBe('s3');
    expect(r.server).toBe('rgw');
    expect(explain('<Error><Code>AccessDenied</Code><Message>zzz</Message></Error>', { kb: [] }).provider).toBe('unknown');
  });
  it('--provider overrides detection', () => {
    const r = explain('HTTP/1.1 403 Forbidden\nServer: AliyunOSS\n\n<Error><Code>AccessDenied</Code><Message>zzz</Message></Error>', { kb: [], provider: 'cos' });
    expect(r.provider).toBe('cos');
    expect(r.detection.forced).toBe(true);
  });
});

describe('matching helpers', () => {
  it('templates become anchored regexes with captures', () => {
    const re = new RegExp(templateSource("Condition key {field} doesn't match the value {value}"), 'iu');
    expect(re.exec("Condition key q-ak doesn't match the value AKID1")?.groups).toEqual({ field: 'q-ak', value: 'AKID1' });
    expect(new RegExp(templateSource('Access Denied.'), 'iu').test('Access Denied')).toBe(true);
    expect(new RegExp(templateSource('Access Denied.', true), 'iu').test('AccessDenied.')).toBe(true);
  });
  it('literal length and required literal ignore regex syntax', () => {
    expect(literalLength('^Policy expired\\.?$')).toBe('Policy expired.'.length);
    expect(literalLength("^Condition key (?<field>\\S+) doesn't$")).toBe("Condition key  doesn't".length);
    expect(requiredLiteral('^Invalid according to Policy: Policy expired\\.?$')).toBe('invalid according to policy: policy expired');
    expect(requiredLiteral('^(?:a|b) long literal here(?<x>.*)$')).toBe(' long literal here');
    expect(requiredLiteral('^a|b$')).toBe('');
    expect(requiredLiteral('^colou?r of the sky$')).toBe('r of the sky');
  });
  it('squashed patterns drop spaces and \\s tokens outside classes', () => {
    expect(squashPattern('^Policy\\s+expired [a b]x$')).toBe('^Policyexpired[a b]x$');
  });
  it('message hits prefer the cleanest reading', () => {
    const kb = [entry({ id: 'cos.t.a', message: 'The bucket you are attempting to access must be addressed using the specified endpoint.' })];
    const clean = messageHits(kb, 'The bucket you are attempting to access must be addressed using the specified endpoint.', []);
    expect(clean[0]?.variant).toBe(0);
    const pdf = messageHits(kb, 'The bucket you are attempt ing to access must be addressed using the specified end point .', []);
    expect(pdf[0]?.variant).toBe(2);
  });
});

describe('ranking', () => {
  const kb: KbEntry[] = [
    entry({ id: 'generic.access-denied', providers: ['cos', 'oss', 's3', 'gcs'], generic: true }),
    entry({ id: 'cos.code.access-denied' }),
    entry({ id: 'cos.t.short', pattern: '^Condition key (?<field>\\S+) .*$' }),
    entry({
      id: 'cos.t.long',
      pattern: "^Condition key (?<field>\\S+) doesn't match the value (?<value>.*)$",
      text: { en: { title: 't', cause: 'c', steps: ['s'], facts: 'Field {field} had value {value}.' }, ja: { title: 't', cause: 'c', steps: ['s'] }, zh: { title: 't', cause: 'c', steps: ['s'] } },
    }),
    entry({ id: 'oss.t.same', providers: ['oss'], pattern: "^Condition key (?<field>\\S+) doesn't match the value (?<value>.*)$" }),
    entry({ id: 'oss.t.ec', providers: ['oss'], code: 'SignatureDoesNotMatch', ec: ['0002-00000705'], message: 'The request signature we calculated does not match the signature you provided.' }),
    entry({ id: 's3.t.expired', providers: ['s3'], message: 'Invalid according to Policy: Policy expired.' }),
    entry({ id: 'rgw.t.expired', providers: ['s3'], server: 'rgw', message: 'Policy expired' }),
    entry({ id: 's3.t.code', providers: ['s3'], code: 'EntityTooLarge', status: 400 }),
    entry({ id: 'rgw.t.code', providers: ['s3'], server: 'rgw', code: 'EntityTooLarge', status: 400 }),
  ];

  it('message matches > code-level > generic; longer literal first; facts text filled', () => {
    const r = explain('<Code>AccessDenied</Code><Message>Condition key q-ak doesn&apos;t match the value AKID1</Message>', { kb, provider: 'cos' });
    expect(r.matches.map((m) => m.rule)).toEqual(['cos.t.long', 'cos.t.short', 'cos.code.access-denied', 'generic.access-denied']);
    expect(r.matches.map((m) => m.via)).toEqual(['message', 'message', 'code', 'generic']);
    expect(r.matches[0]!.facts).toMatchObject({ field: 'q-ak', value: 'AKID1' });
    expect(r.matches[0]!.facts_text).toBe('Field q-ak had value AKID1.');
    expect(r.matches[1]!.facts_text).toBeNull();
    expect(r.recognised).toBe(true);
  });

  it("only the provider's entries once the provider is known", () => {
    const r = explain("Condition key q-ak doesn't match the value X", { kb, provider: 'oss' });
    expect(r.matches.map((m) => m.rule)).toEqual(['oss.t.same']);
  });

  it('wording documented for one provider is evidence for it', () => {
    expect(explain('Invalid according to Policy: Policy expired.', { kb }).provider).toBe('s3');
    const rgw = explain('Policy expired', { kb });
    expect(rgw.provider).toBe('s3');
    expect(rgw.server).toBe('rgw');
    expect(rgw.matches[0]!.rule).toBe('rgw.t.expired');
  });

  it("S3 flavour: entries of the detected server first, the other server's code-level entries dropped", () => {
    const aws = explain('HTTP/1.1 400 Bad Request\nServer: AmazonS3\n\n<Error><Code>EntityTooLarge</Code><Message></Message></Error>', { kb });
    expect(aws.matches.map((m) => m.rule)).toEqual(['s3.t.code']);
    const rgw = explain('HTTP/1.1 400 Bad Request\nx-amz-request-id: tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1014-default\n\n<Error><Code>EntityTooLarge</Code><Message></Message></Error>', { kb });
    expect(rgw.matches.map((m) => m.rule)).toEqual(['rgw.t.code']);
    const unknownFlavour = explain('EntityTooLarge', { kb, provider: 's3' });
    expect(unknownFlavour.matches.map((m) => m.rule)).toEqual(['s3.t.code', 'rgw.t.code']);
  });

  it('a bare code matches all entries of that code: code-level first, then message entries, then generic', () => {
    const r = explain('AccessDenied', { kb, provider: 'cos' });
    expect(r.matches.map((m) => m.rule)).toEqual(['cos.code.access-denied', 'cos.t.long', 'cos.t.short', 'generic.access-denied']);
  });

  it('an EC code matches entries listing it, and is a strong match with a message too', () => {
    const r = explain('0002-00000705', { kb });
    expect(r.provider).toBe('oss');
    expect(r.matches[0]!.rule).toBe('oss.t.ec');
    expect(r.matches[0]!.via).toBe('ec');
    const both = explain('<Error><Code>SignatureDoesNotMatch</Code><Message>Something else entirely</Message><EC>0002-00000705</EC></Error>', { kb });
    expect(both.matches[0]!.rule).toBe('oss.t.ec');
    expect(both.recognised).toBe(true);
  });

  it('not in the knowledge base: only generic meaning, recognised false', () => {
    const r = explain('<Code>AccessDenied</Code><Message>Some wording nobody documented</Message>', { kb, provider: 'gcs' });
    expect(r.recognised).toBe(false);
    expect(r.matches.map((m) => m.rule)).toEqual(['generic.access-denied']);
    const none = explain('<Code>NoSuchThing</Code><Message>nothing</Message>', { kb });
    expect(none.recognised).toBe(false);
    expect(none.matches).toEqual([]);
  });

  it('PDF-mangled messages match after whitespace removal', () => {
    const r = explain("< Code > AccessDeni ed </ Code >\n< Message > Condition key q-ak does n't match the val ue AKID1 </ Message >", { kb, provider: 'cos' });
    expect(r.matches[0]!.rule).toBe('cos.t.long');
    expect(r.matches[0]!.lenient).toBe(true);
    expect(r.input.tolerant).toBe(true);
    expect(r.error.code).toBe('AccessDenied');
  });

  it('titles, causes and steps follow the language', () => {
    const r = explain('AccessDenied', { kb, provider: 'cos', lang: 'ja' });
    expect(r.matches[0]!.title).toBe('ja title');
    expect(r.lang).toBe('ja');
  });
});

describe('the real knowledge base', () => {
  it('explains the COS expiry example with its facts', () => {
    const r = explain('<Code>AccessDenied</Code>\n<Message>You post object request has been expired, expiration time: 1621188104 but the time now : 1621245817</Message>', { now: NOW });
    expect(r.provider).toBe('cos');
    expect(r.recognised).toBe(true);
    expect(r.matches[0]!.facts).toMatchObject({ expiredBySeconds: 57713, expiration: '2021-05-16T18:01:44.000Z', serverTime: '2021-05-17T10:03:37.000Z' });
  });
  it('an unknown message is not recognised', () => {
    const r = explain('The frobnicator refused the widget.');
    expect(r.recognised).toBe(false);
  });
});
