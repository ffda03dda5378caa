import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readUploadRequest } from '../../src/input/index.js';

async function outcome(text: string): Promise<'ok' | 'input-error'> {
  try {
    const req = await readUploadRequest({ text, path: null, source: 'fuzz' });
    expect(Array.isArray(req.parts)).toBe(true);
    return 'ok';
  } catch (e) {
    // readUploadRequest wraps parser bugs as "cannot read input: ..."; none may occur
    if (e instanceof InputError && !e.message.startsWith('cannot read input:')) return 'input-error';
    throw e;
  }
}

const prefixes = [
  '',
  '{',
  '{"log":{"entries":[',
  '{"url":"https://x/","fields":',
  'curl ',
  "curl -F 'a=",
  'curl ^"',
  'curl.exe `\n',
  'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\n',
  'POST / HTTP/1.1\nContent-Type: multipart/form-data; boundary=b\n\n--b\n',
];

describe('any input: an UploadRequest or an InputError, nothing else', () => {
  it('random text after each format prefix', async () => {
    const alphabet = fc.constantFrom(...'ab-\r\n"\':;=@<{}[],\\^`$ \u00e9'.split(''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc.array(alphabet, { maxLength: 120 }).map((a) => a.join('')),
        async (prefix, rest) => {
          await outcome(prefix + rest);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('multipart bodies cut at every byte', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nDATA\r\n--b--\r\n';
    for (let i = 0; i <= body.length; i++) {
      const r = await outcome(`POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n${body.slice(0, i)}`);
      expect(r).toBe('ok');
    }
  });
});
