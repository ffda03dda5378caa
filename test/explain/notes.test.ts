// Issue 12 "facts said plainly" and issue 11 "output cannot drive the terminal".
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import YAML from 'yaml';
import { explain } from '../../src/explain/index.js';
import { renderExplainText } from '../../src/render/explain-text.js';

const plain = new Chalk({ level: 0 });
const paste = (f: string): string => (YAML.parse(readFileSync(join(__dirname, '..', 'fixtures', 'pastes', f), 'utf8')) as { paste: string }).paste;

describe('notes', () => {
  it("RequestTime against ServerTime: the signer's clock, said plainly (real paste)", () => {
    const r = explain(paste('s3/036-stack-php-fatal-request-time-too-skewed.yaml'));
    expect(r.notes).toEqual([{ id: 'explain.note.clock-ahead', facts: { skew: 3583, requestTime: '2015-06-04T23:25:59.000Z', serverTime: '2015-06-04T22:26:16.000Z' } }]);
    expect(renderExplainText(r, plain)).toContain('is 59 min 43 s ahead of the server');
  });
  it('a request time in 1970: the device clock was never set', () => {
    const r = explain(
      '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>19700101T000012Z</RequestTime><ServerTime>2024-05-01T10:00:00Z</ServerTime></Error>',
    );
    expect(r.notes.map((n) => n.id)).toEqual(['explain.note.clock-unset']);
  });
  it('a bucket named undefined or null: never filled in', () => {
    expect(explain('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>undefined</BucketName></Error>').notes).toEqual([
      { id: 'explain.note.bucket-unset', facts: { bucket: 'undefined' } },
    ]);
    expect(explain('PUT https://null.s3.amazonaws.com/photo.jpg 403 (Forbidden)\nAccessDenied').notes.map((n) => n.id)).toContain('explain.note.bucket-unset');
    expect(explain('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>photos</BucketName></Error>').notes).toEqual([]);
  });
  it('a condition on a field no browser form can send gets the fix that removes it', () => {
    const r = explain('Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Length", "1024"]');
    expect(r.notes).toEqual([{ id: 'explain.note.impossible-condition', facts: { field: 'Content-Length' } }]);
    expect(renderExplainText(r, plain)).toContain('remove that condition');
  });
});

describe('candidates', () => {
  it('a wording S3 and OSS share, with nothing else: unknown, both named, S3 first', () => {
    const r = explain('SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    expect(r.provider).toBe('unknown');
    expect(r.candidates.slice(0, 2)).toEqual(['s3', 'oss']);
    expect(r.matches[0]!.providers).toEqual(['s3']);
    expect(renderExplainText(r, plain)).toContain('it is one of: Amazon S3, Alibaba Cloud OSS');
  });
});

describe('control characters never reach the terminal', () => {
  it('ESC, OSC, clear-screen and a bare CR from a server message are shown escaped', () => {
    const r = explain('<Error><Code>AccessDenied</Code><Message>Denied\u001b]0;pwned\u0007\u001b[2J\rXX\u202e</Message></Error>');
    const text = renderExplainText(r, plain);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('Denied\\x1b]0;pwned\\x07');
    expect(text).toContain('XX\\u202e');
  });
});

describe('facts read without a matching entry', () => {
  it('two regions and a condition quoted in an unknown wording are still facts', () => {
    const r = explain("upload failed: the region 'us-east-1' is wrong; expecting 'eu-west-3' (custom proxy wording)");
    expect(r.facts).toMatchObject({ region: 'us-east-1', expectedRegion: 'eu-west-3' });
    const c = explain('Upload refused by gateway: condition ["starts-with", "$key", "user/42/"] not met');
    expect(c.facts).toMatchObject({ field: 'key' });
  });
});

describe('the last guard before the terminal', () => {
  it('escapes every control character but newline, tab and colour; keeps spinner sequences on stderr', async () => {
    const { terminalSafe } = await import('../../src/core/visible.js');
    expect(terminalSafe('a\u001b]0;t\u0007b\u001b[2Jc\rd\u001b[31mred\u001b[39m\n')).toBe('a\\x1b]0;t\\x07b\\x1b[2Jc\\x0dd\u001b[31mred\u001b[39m\n');
    expect(terminalSafe('\r\u001b[2K\u001b[1Gspinner\u001b[?25l', true)).toBe('\r\u001b[2K\u001b[1Gspinner\u001b[?25l');
    expect(terminalSafe('plain text\twith tab\n')).toBe('plain text\twith tab\n');
  });
});
