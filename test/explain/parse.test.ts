// Reading error answers: XML, HTTP responses, JSON, one-liners, codes, EC codes, PDF text.
import { describe, expect, it } from 'vitest';
import { parseInput, readXml } from '../../src/explain/parse.js';
import { InputError } from '../../src/core/errors.js';
import { decodeEntities, normaliseSpace } from '../../src/explain/text.js';

const known = (c: string): boolean => ['AccessDenied', 'SignatureDoesNotMatch', 'MethodNotAllowed', 'EntityTooLarge'].includes(c);

describe('entities and whitespace', () => {
  it('decodes named, decimal and hex entities once', () => {
    expect(decodeEntities('doesn&apos;t &quot;x&quot; a&amp;b &#39;q&#39; &#x27;h&#x27; &amp;apos; &unknown;')).toBe(`doesn't "x" a&b 'q' 'h' &apos; &unknown;`);
  });
  it('normalises whitespace runs', () => {
    expect(normaliseSpace('  a\n\t b\u00a0 c  ')).toBe('a b c');
  });
});

describe('XML bodies', () => {
  it('reads a full error document with declaration', () => {
    const p = parseInput(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>abc=</HostId><Endpoint>oss-cn-hangzhou.aliyuncs.com</Endpoint></Error>`,
    );
    expect(p.kind).toBe('xml');
    expect(p.tolerant).toBe(false);
    expect(p.answer).toMatchObject({ code: 'AccessDenied', message: 'Access Denied.', requestId: '4442587FB7D0A2F9', hostId: 'abc=' });
    expect(p.answer.elements).toEqual({ Endpoint: 'oss-cn-hangzhou.aliyuncs.com' });
  });

  it('reads fragments without declaration or root, with entities and stray whitespace', () => {
    const p = parseInput(`\n   <Code> AccessDenied </Code>\n<Message>Condition key q-ak doesn&apos;t match the value &quot;AK&amp;1&quot; &#8220;x&#8221;</Message>  \n`);
    expect(p.answer.code).toBe('AccessDenied');
    expect(p.answer.message).toBe(`Condition key q-ak doesn't match the value "AK&1" \u201cx\u201d`);
  });

  it('keeps CDATA text and ignores comments', () => {
    const p = parseInput('<Error><!-- note --><Code>InvalidArgument</Code><Message><![CDATA[a <b> & c]]></Message></Error>');
    expect(p.answer.message).toBe('a <b> & c');
  });

  it('reads the EC element and other elements', () => {
    const p = parseInput('<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><EC>0002-00000705</EC><RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000705</RecommendDoc></Error>');
    expect(p.answer.ec).toBe('0002-00000705');
    expect(p.answer.elements.RecommendDoc).toContain('troubleshoot');
  });

  it('reads PDF-mangled XML (spaces in tags, words and ids; mismatched closing case)', () => {
    const text = `<? xml version = " 1 . 0 " ? >
    < Error xmlns = " http :// doc . oss - cn - hangzhou
    . aliyuncs . com ">
        < Code >
            AccessDeni ed
        </ Code >
        < Message > The bucket you are attempting to access must
be addressed using the specified endpoint . Please
send all future requests to this endpoint .</ message >
        < RequestId > 57ABF6C8BC 4D25D86CBA 5ADE </ RequestId >
        < HostId > bucketname . oss - cn - shanghai . aliyuncs . com </
HostId >
        < ResourceTy pe > Bucket </ ResourceTy pe >
        < Endpoint > oss - cn -****. aliyuncs . com </ Endpoint >
    </ Error >`;
    const p = parseInput(text);
    expect(p.tolerant).toBe(true);
    expect(p.answer.code).toBe('AccessDenied');
    expect(p.answer.message).toBe('The bucket you are attempting to access must be addressed using the specified endpoint . Please send all future requests to this endpoint .');
    expect(p.answer.requestId).toBe('57ABF6C8BC4D25D86CBA5ADE');
    expect(p.answer.hostId).toBe('bucketname.oss-cn-shanghai.aliyuncs.com');
    expect(p.answer.elements.ResourceType).toBe('Bucket');
    expect(p.answer.elements.Endpoint).toBe('oss-cn-****.aliyuncs.com');
  });

  it('reads truncated XML leniently', () => {
    const p = parseInput('<Error><Code>AccessDenied</Code><Message>Policy expired');
    expect(p.answer.message).toBe('Policy expired');
    expect(p.tolerant).toBe(true);
  });

  it('takes an HTML error page title as the message', () => {
    const p = parseInput('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
    expect(p.answer.code).toBeNull();
    expect(p.answer.message).toBe('502 Bad Gateway');
  });

  it('readXml reports leaves in order', () => {
    const r = readXml('<Error><Code>A</Code><Message>B</Message></Error>');
    expect(r.leaves.map((l) => l.name)).toEqual(['Code', 'Message']);
    expect(r.tolerant).toBe(false);
  });
});

describe('HTTP responses', () => {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>10485760</ProposedSize><MaxSizeAllowed>1048576</MaxSizeAllowed><RequestId>4442587FB7D0A2F9</RequestId></Error>';
  const headers = ['HTTP/1.1 400 Bad Request', 'x-amz-request-id: 4442587FB7D0A2F9', 'Content-Type: application/xml', 'Date: Mon, 17 May 2021 10:03:37 GMT', 'Server: AmazonS3'];

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`reads status, headers and body (${name})`, () => {
      const p = parseInput([...headers, '', body].join(eol));
      expect(p.kind).toBe('http');
      expect(p.answer.status).toBe(400);
      expect(p.answer.code).toBe('EntityTooLarge');
      expect(p.answer.headers).toContainEqual(['Server', 'AmazonS3']);
      expect(p.answer.headers).toContainEqual(['Date', 'Mon, 17 May 2021 10:03:37 GMT']);
      expect(p.answer.elements.ProposedSize).toBe('10485760');
    });
  }

  it('skips a 100 Continue answer', () => {
    const p = parseInput(['HTTP/1.1 100 Continue', '', ...headers, '', body].join('\r\n'));
    expect(p.answer.status).toBe(400);
    expect(p.answer.code).toBe('EntityTooLarge');
  });

  it('reads HTTP/2 status lines and takes ids and EC from headers when the body lacks them', () => {
    const p = parseInput('HTTP/2 403\nx-oss-request-id: 5C3D9175B6FC201293AD4890\nx-oss-ec: 0002-00000705\n\n<Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>');
    expect(p.answer.status).toBe(403);
    expect(p.answer.requestId).toBe('5C3D9175B6FC201293AD4890');
    expect(p.answer.ec).toBe('0002-00000705');
  });

  it('reads curl -v transcripts', () => {
    const p = parseInput(
      '* Connected\n> POST / HTTP/1.1\n> Host: b.cos.ap-beijing.myqcloud.com\n>\n< HTTP/1.1 403 Forbidden\n< Server: tencent-cos\n< x-cos-request-id: NWQ2NzgxMzZfYzFhMzNmMGFfMjU2OWVfMmI2MjQ3YQ==\n<\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>',
    );
    expect(p.answer.status).toBe(403);
    expect(p.answer.requestId).toBe('NWQ2NzgxMzZfYzFhMzNmMGFfMjU2OWVfMmI2MjQ3YQ==');
    expect(p.answer.message).toBe('Access Denied.');
  });

  it('reads a PDF-mangled response whose body follows the headers without a blank line', () => {
    const text = `HTTP / 1 . 1 405 Method Not Allowed
Server : AliyunOSS
Date : Thu , 11 Aug 2016 03 : 53 : 44 GMT
x - oss - request - id : 57ABF6C8BC 4D25D86CBA 5ADE
<? xml version =" 1 . 0 " encoding =" UTF - 8 "? >
< Error >
< Code > MethodNotA llowed </ Code >
< Message > The specified method is not allowed against
this resource .</ Message >
  < Method > abc </ Method >
</ Error >`;
    const p = parseInput(text);
    expect(p.answer.status).toBe(405);
    expect(p.answer.code).toBe('MethodNotAllowed');
    expect(p.answer.headers).toContainEqual(['Server', 'AliyunOSS']);
    expect(p.answer.requestId).toBe('57ABF6C8BC4D25D86CBA5ADE');
    expect(p.answer.elements.Method).toBe('abc');
  });

  it('accepts a response with no body (status only)', () => {
    const p = parseInput('HTTP/1.1 403 Forbidden\r\nServer: tencent-cos\r\n\r\n');
    expect(p.answer.status).toBe(403);
    expect(p.answer.code).toBeNull();
  });
});

describe('JSON errors', () => {
  it('{"Code","Message",...}', () => {
    const p = parseInput(
      '{"Code":"AccessDenied","Message":"Invalid according to Policy: Policy expired.","RequestId":"5C3D9175B6FC201293AD4890","HostId":"b.oss-cn-hangzhou.aliyuncs.com","EC":"0006-00000213"}',
    );
    expect(p.kind).toBe('json');
    expect(p.answer).toMatchObject({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.', requestId: '5C3D9175B6FC201293AD4890', ec: '0006-00000213' });
  });
  it('{"code","message"}', () => {
    const p = parseInput('{"code":"SignatureDoesNotMatch","message":"The request signature we calculated does not match"}');
    expect(p.answer.code).toBe('SignatureDoesNotMatch');
  });
  it('GCS JSON API {"error":{"code":403,"message":..,"errors":[..]}}', () => {
    const p = parseInput(
      '{"error":{"code":403,"message":"Caller does not have storage.objects.create access.","errors":[{"message":"Caller does not have storage.objects.create access.","domain":"global","reason":"forbidden"}]}}',
    );
    expect(p.answer.status).toBe(403);
    expect(p.answer.code).toBeNull();
    expect(p.answer.message).toBe('Caller does not have storage.objects.create access.');
    expect(p.answer.elements).toMatchObject({ reason: 'forbidden', domain: 'global' });
  });
  it('SDK error objects with nested error and headers', () => {
    const p = parseInput('{"statusCode":403,"headers":{"x-cos-request-id":"NWQ2"},"error":{"Code":"AccessDenied","Message":"Access Denied.","RequestId":"NWQ2NzgxMzZf"}}');
    expect(p.answer).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Access Denied.', requestId: 'NWQ2NzgxMzZf' });
    expect(p.answer.headers).toContainEqual(['x-cos-request-id', 'NWQ2']);
  });
  it('broken JSON is read leniently', () => {
    const p = parseInput('{"Code": "AccessDenied", "Message": "Access Denied.", ');
    expect(p.answer.code).toBe('AccessDenied');
    expect(p.tolerant).toBe(true);
  });
  it('JSON without an error is refused with InputError and its position', () => {
    expect(() => parseInput('{"ok": true')).toThrow(InputError);
    try {
      parseInput('{"ok": true', undefined, 'err.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toMatchObject({ source: 'err.json', line: 1, column: 12 });
    }
  });
});

describe('one-liners, codes, EC codes', () => {
  it('a bare code', () => {
    const p = parseInput('SignatureDoesNotMatch', known);
    expect(p.kind).toBe('code');
    expect(p.answer.code).toBe('SignatureDoesNotMatch');
    expect(p.answer.message).toBeNull();
  });
  it('a code split by a stray space (PDF) is still a code; words are a message', () => {
    expect(parseInput('AccessDeni ed', known).answer.code).toBe('AccessDenied');
    expect(parseInput('MethodNotA llowed', known).answer.code).toBe('MethodNotAllowed');
    const words = parseInput('Access Denied', known);
    expect(words.answer.code).toBeNull();
    expect(words.answer.message).toBe('Access Denied');
  });
  it('an EC code, with or without its label', () => {
    expect(parseInput('0002-00000705').answer.ec).toBe('0002-00000705');
    expect(parseInput('EC: 0002-00000705').kind).toBe('ec');
    expect(parseInput('EC: 0002-00000705').answer.ec).toBe('0002-00000705');
  });
  it('a bare message, whitespace normalised and entities decoded', () => {
    const p = parseInput('  Condition key q-ak doesn&apos;t\n match the value X ');
    expect(p.kind).toBe('message');
    expect(p.answer.message).toBe("Condition key q-ak doesn't match the value X");
  });
  it('"ErrorCode: X ErrorMessage: Y" (tables in documents)', () => {
    const p = parseInput('ErrorCode: AccessDenied ErrorMessage: Invalid according to Policy: Policy expired.');
    expect(p.answer).toMatchObject({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
  });
  it('boto-style one-liners', () => {
    const p = parseInput('An error occurred (AccessDenied) when calling the PutObject operation: Access Denied');
    expect(p.answer).toMatchObject({ code: 'AccessDenied', message: 'Access Denied' });
  });
  it('Go SDK style "Code: message" when the code is known', () => {
    const p = parseInput('EntityTooLarge: Your proposed upload exceeds the maximum allowed size\n\tstatus code: 400, request id: 4442587FB7D0A2F9, host id: abc', known);
    expect(p.answer).toMatchObject({ code: 'EntityTooLarge', status: 400, requestId: '4442587FB7D0A2F9' });
    // not a known code: the whole text is the message
    expect(parseInput('Invalid according to Policy: Policy expired.', known).answer.message).toBe('Invalid according to Policy: Policy expired.');
  });
  it('key: value lines', () => {
    const p = parseInput('Code: AccessDenied\nMessage: Access Denied.\nRequestId: ABC\nStatus: 403');
    expect(p.answer).toMatchObject({ code: 'AccessDenied', message: 'Access Denied.', requestId: 'ABC', status: 403 });
  });
  it('an EC named inside a message', () => {
    expect(parseInput('The signature is wrong. EC: 0002-00000705').answer.ec).toBe('0002-00000705');
  });
});

describe('unreadable input', () => {
  it('empty input is an InputError with its source', () => {
    try {
      parseInput('  \n\t ', undefined, 'stdin');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where.source).toBe('stdin');
    }
  });
  it('binary input is an InputError', () => {
    expect(() => parseInput('\u0000\u0001abc')).toThrow(InputError);
  });
});

describe('SDK printouts', () => {
  it('a Python dict repr (oss2 ServerError)', () => {
    const p = parseInput(
      `{'status': 403, 'x-oss-request-id': '5C3D9175B6FC201293AD4890', 'details': {'Code': 'AccessDenied', 'Message': 'You have no right to access this object because of bucket acl.', 'RequestId': '5C3D9175B6FC201293AD4890', 'HostId': 'b.oss-cn-hangzhou.aliyuncs.com', 'EC': '0003-00000001'}}`,
    );
    expect(p.answer).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'You have no right to access this object because of bucket acl.',
      requestId: '5C3D9175B6FC201293AD4890',
      hostId: 'b.oss-cn-hangzhou.aliyuncs.com',
      ec: '0003-00000001',
    });
  });
});
