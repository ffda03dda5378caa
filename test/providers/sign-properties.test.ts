import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { verifySignature as verifyCos } from '../../src/providers/cos/sign.js';
import { verifySignature as verifyOss } from '../../src/providers/oss/sign.js';
import { makeContext, makeRequest } from './helpers.js';

const secretArb = fc.string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')) });
const policyArb = fc
  .record({
    expiration: fc.constant('2030-01-01T00:00:00.000Z'),
    conditions: fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 12 }), { minKeys: 1, maxKeys: 1 }), { maxLength: 4 }),
  })
  .map((d) => JSON.stringify(d, null, 1));
const hexArb = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => Buffer.from(b).toString('hex'));

describe('signature properties', () => {
  it('COS: a correct signature is valid; a random one is invalid and names no mistake', () => {
    fc.assert(
      fc.property(secretArb, policyArb, hexArb, (secret, json, random) => {
        const kt = '1700000000;1700003600';
        const sig = createHmac('sha1', createHmac('sha1', secret).update(kt).digest('hex')).update(createHash('sha1').update(json).digest('hex')).digest('hex');
        const fields = (s: string): Array<[string, string]> => [
          ['policy', Buffer.from(json).toString('base64')],
          ['q-key-time', kt],
          ['q-signature', s],
        ];
        const ok = verifyCos(makeContext(makeRequest(null, fields(sig)), secret));
        expect(ok.valid).toBe(true);
        if (random !== sig) {
          const bad = verifyCos(makeContext(makeRequest(null, fields(random)), secret));
          expect(bad.valid).toBe(false);
          expect(bad.mistake).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });
  it('OSS V1: a correct signature is valid; one made with a trailing-newline secret is named', () => {
    fc.assert(
      fc.property(secretArb, policyArb, (secret, json) => {
        const p = Buffer.from(json).toString('base64');
        const good = createHmac('sha1', secret).update(p).digest('base64');
        const wrong = createHmac('sha1', `${secret}\n`).update(p).digest('base64');
        const f = (s: string): Array<[string, string]> => [
          ['OSSAccessKeyId', 'ak'],
          ['policy', p],
          ['Signature', s],
        ];
        expect(verifyOss(makeContext(makeRequest(null, f(good)), secret)).valid).toBe(true);
        expect(verifyOss(makeContext(makeRequest(null, f(wrong)), secret)).mistake).toBe('signature.mistake.secret-whitespace');
      }),
      { numRuns: 60 },
    );
  });
});
