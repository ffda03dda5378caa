// Issue 13 "input mistakes get a clear answer": a path that does not exist, a directory, an empty
// file (explain and check), and check given the capture's text as its argument.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pd-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'empty.har'), '');

describe('input mistakes', () => {
  for (const cmd of ['explain', 'check']) {
    it(`${cmd}: no such file, a directory, an empty file: exit 2, one line`, async () => {
      const cases: Array<[string, RegExp]> = [
        [join(dir, 'error.xml'), /no such file/],
        ['./captures/upload.har', /no such file/],
        [join(dir, 'sub'), /is a directory/],
        [join(dir, 'empty.har'), /empty file/],
      ];
      for (const [arg, msg] of cases) {
        const r = await cli([cmd, arg]);
        expect(r.code, `${cmd} ${arg}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(msg);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    });
  }
  it('explain still takes a bare code, message or EC code as text', async () => {
    for (const arg of ['AccessDenied', 'AuthFailure.SignatureFailure', '0006-00000213', 'Invalid according to Policy: Policy expired.']) {
      const r = await cli(['explain', arg]);
      expect(r.code, `${arg}: ${r.stderr}`).toBeLessThan(2);
    }
  });
  it('check takes a capture given as its argument', async () => {
    const capture =
      'POST / HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\nContent-Disposition: form-data; name="key"\r\n\r\na.txt\r\n--x--\r\n';
    const r = await cli(['check', capture, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).request.url).toBe('http://examplebucket.s3.amazonaws.com/');
  });
});

describe('pointers to the right command or option', () => {
  it('check given an error answer points to explain', async () => {
    const f = join(dir, 'answer.xml');
    writeFileSync(f, '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>');
    const r = await cli(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/looks like an error answer: run post-doctor explain on it\n$/);
  });
  it('--secret points to --secret-env / --secret-file and never echoes the value', async () => {
    const r = await cli(['check', 'examples/cos/sample2-metadata-acl.http', '--secret', 'SuperSecretValue123456']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('there is no --secret option: give the secret with --secret-env NAME');
    expect(r.stderr).not.toContain('SuperSecretValue123456');
  });
});

describe('UTF-16 text files', () => {
  it('a capture and an error answer written by PowerShell 5 (UTF-16 LE with BOM) read like UTF-8', async () => {
    const answer = '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>';
    const f = join(dir, 'answer-utf16.xml');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(answer, 'utf16le')]));
    const r = await cli(['explain', f, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).matches[0].rule).toBe('s3.post.policy-expired');
    const be = join(dir, 'answer-utf16be.xml');
    const le = Buffer.from(answer, 'utf16le');
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]));
    expect(JSON.parse((await cli(['explain', be, '--format', 'json'])).stdout).matches[0].rule).toBe('s3.post.policy-expired');
  });
});
