import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FilePart } from '../../src/core/types.js';
import { EXAMPLES, SEED_004, expectInputError, fields, fromFile, fromText, multipart, rawRequest } from './helpers.js';

const B = '----WebKitFormBoundaryTEST123';
const CT = `multipart/form-data; boundary=${B}`;

describe('raw HTTP: COS document samples 1-9', () => {
  const files = readdirSync(join(EXAMPLES, 'cos'))
    .filter((f) => f.endsWith('.http'))
    .sort();
  const seed = readFileSync(SEED_004, 'utf8');
  const blocks = [...seed.matchAll(/::: {2}shell\n([\s\S]*?)\n:::/g)].map((m) => m[1]!);

  it('has the nine samples, identical to the document text', () => {
    expect(files).toHaveLength(9);
    expect(blocks).toHaveLength(9);
    for (let i = 0; i < 9; i++) {
      const f = files.find((x) => x.startsWith(`sample${i + 1}-`))!;
      expect(readFileSync(join(EXAMPLES, 'cos', f), 'utf8')).toBe(`${blocks[i]}\n`);
    }
  });

  for (const f of files) {
    it(`${f}: reads as an LF transcription with a placeholder file last`, async () => {
      const path = join(EXAMPLES, 'cos', f);
      const text = readFileSync(path, 'utf8');
      const req = await fromFile(path);
      expect(req.method).toBe('POST');
      expect(req.url).toBe('http://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
      expect(req.bodyProblems).toEqual([]);
      expect(req.notes.map((n) => n.id)).toContain('input.lf-transcription');
      expect(req.notes.map((n) => n.id)).toContain('input.placeholder-file');
      // Content-Length in the document counts CRLF line endings: it matches once normalised.
      expect(req.notes.find((n) => n.id === 'input.content-length-mismatch')).toBeUndefined();
      const boundary = /boundary=(\S+)/.exec(text)![1]!;
      expect(req.boundary).toBe(boundary);
      // every field the text shows, in order
      const expected = [...text.matchAll(/name="([^"]+)"(?:; filename="[^"]*")?\n(?:Content-Type: [^\n]*\n)?\n([^\n]*)/g)].map((m) => m[1]!);
      expect(req.parts.map((p) => p.name)).toEqual(expected);
      const file = req.parts[req.parts.length - 1] as FilePart;
      expect(file.kind).toBe('file');
      expect(file.contentType).toBe('image/jpeg');
      expect(file.size).toBeNull();
      expect(file.source).toEqual({ type: 'placeholder', text: '[Object Content]' });
      const policy = req.parts.find((p) => p.name === 'policy');
      expect(policy?.kind === 'field' && policy.value).toMatch(/^eyJ[A-Za-z0-9+/=]+$/);
      // offsets point at the part headers in the body
      const bodyStart = text.indexOf('\n\n') + 2;
      for (const p of req.parts) expect(text.slice(bodyStart + p.offset!).startsWith(`Content-Disposition: form-data; name="${p.name}"`)).toBe(true);
    });
  }

  it('sample 2 keeps field-name case and values with ; and =', async () => {
    const req = await fromFile(join(EXAMPLES, 'cos', 'sample2-metadata-acl.http'));
    expect(fields(req).slice(0, 8)).toEqual([
      ['key', 'exampleobject'],
      ['acl', 'public-read'],
      ['Cache-Control', 'max-age=86400'],
      ['Content-Disposition', 'attachment; filename=example.jpg'],
      ['Content-Type', 'image/jpeg'],
      ['x-cos-meta-example-field', 'example-value'],
      ['Content-MD5', '7o3pGNBWQBRbGPcPTDqmAg=='],
      ['policy', expect.stringMatching(/^eyJ/) as unknown as string],
    ]);
    expect(
      fields(req)
        .map(([k]) => k)
        .slice(8),
    ).toEqual(['q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature', 'file']);
  });

  it('the same sample from stdin (no path) gives the same parts', async () => {
    const path = join(EXAMPLES, 'cos', 'sample7-filename-wildcard.http');
    const a = await fromFile(path);
    const b = await fromText(readFileSync(path, 'utf8'));
    expect(b.parts).toEqual(a.parts);
    expect(fields(b)[0]).toEqual(['key', 'folder/subfolder/${filename}']);
    expect((b.parts[b.parts.length - 1] as FilePart).filename).toBe('photo.jpg');
  });
});

describe('raw HTTP: request line, URL, headers', () => {
  const body = multipart(B, [['key', 'a.txt'], { name: 'file', filename: 'a.txt', type: 'text/plain', content: 'hello' }]);

  it('CRLF capture: no transcription note, exact Content-Length, inline file', async () => {
    const len = Buffer.byteLength(body);
    const req = await fromText(rawRequest(body, CT, [`Content-Length: ${len}`]));
    expect(req.notes).toEqual([]);
    expect(req.bodyProblems).toEqual([]);
    expect(req.url).toBe('http://bucket.example.com/');
    expect(req.headers[0]).toEqual(['Host', 'bucket.example.com']);
    const f = req.parts[1] as FilePart;
    expect(f).toMatchObject({ kind: 'file', name: 'file', filename: 'a.txt', contentType: 'text/plain', size: 5 });
    expect(f.source.type).toBe('inline');
    expect(Buffer.from((f.source as { data: Uint8Array }).data).toString()).toBe('hello');
  });

  it('Content-Length mismatch is a note with declared and actual', async () => {
    const req = await fromText(rawRequest(body, CT, ['Content-Length: 12']));
    expect(req.notes).toContainEqual({ id: 'input.content-length-mismatch', facts: { declared: 12, actual: Buffer.byteLength(body) } });
    expect(req.bodyProblems).toEqual([]);
  });

  it('https from Host :443, absolute-form targets, paths kept', async () => {
    const a = await fromText(`POST /up?x=1 HTTP/1.1\r\nHost: b.example.com:443\r\nContent-Type: ${CT}\r\n\r\n${body}`);
    expect(a.url).toBe('https://b.example.com/up?x=1');
    const b = await fromText(`POST https://b.example.com/ HTTP/1.1\r\nContent-Type: ${CT}\r\n\r\n${body}`);
    expect(b.url).toBe('https://b.example.com/');
    const c = await fromText(`POST / HTTP/1.1\r\nHost: b.example.com:8080\r\nContent-Type: ${CT}\r\n\r\n${body}`);
    expect(c.url).toBe('http://b.example.com:8080/');
    const d = await fromText(`POST / HTTP/1.1\r\nContent-Type: ${CT}\r\n\r\n${body}`);
    expect(d.url).toBeNull();
  });

  it('a header line without a colon is refused with its line number', async () => {
    const e = await expectInputError(fromText(`POST / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n`));
    expect(e.where).toMatchObject({ line: 3, column: 1, source: 'argument' });
  });

  it('unknown input is refused at line 1', async () => {
    const e = await expectInputError(fromText('hello world\nPOST / HTTP/1.1\n'));
    expect(e.message).toBe('not a raw HTTP request, HAR, curl command, fetch call, PowerShell Invoke-WebRequest, Postman collection or JSON form description');
    expect(e.where.line).toBe(1);
  });
});

describe('malformed multipart bodies become bodyProblems, never exceptions', () => {
  it('missing boundary parameter: problem, parts still read from the body', async () => {
    const body = multipart(B, [
      ['key', 'k'],
      ['policy', 'p'],
    ]);
    const req = await fromText(rawRequest(body, 'multipart/form-data'));
    expect(req.bodyProblems.map((p) => p.kind)).toEqual(['missing-boundary']);
    expect(req.boundary).toBeNull();
    expect(fields(req)).toEqual([
      ['key', 'k'],
      ['policy', 'p'],
    ]);
  });

  it('wrong boundary: boundary-mismatch at offset 0 naming the one used', async () => {
    const body = multipart(B, [['key', 'k']]);
    const req = await fromText(rawRequest(body, 'multipart/form-data; boundary=----Other'));
    expect(req.bodyProblems).toEqual([{ kind: 'boundary-mismatch', offset: 0, detail: B }]);
    expect(req.boundary).toBe('----Other');
    expect(fields(req)).toEqual([['key', 'k']]);
  });

  it('no closing delimiter: problem at the body end, last part kept', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nDATA\r\n`;
    const req = await fromText(rawRequest(body, CT));
    expect(req.bodyProblems).toEqual([{ kind: 'no-closing-delimiter', offset: Buffer.byteLength(body) }]);
    expect(req.parts).toHaveLength(2);
    expect((req.parts[1] as FilePart).size).toBe(4);
  });

  it('part without Content-Disposition: problem at its header offset, other parts kept', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${B}\r\nContent-Type: text/plain\r\n\r\norphan\r\n--${B}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--${B}--\r\n`;
    const req = await fromText(rawRequest(body, CT));
    const at = body.indexOf('Content-Type: text/plain');
    expect(req.bodyProblems).toEqual([{ kind: 'no-content-disposition', offset: at }]);
    expect(fields(req)).toEqual([
      ['key', 'k'],
      ['x', 'y'],
    ]);
  });

  it('bare LF inside CRLF framing: bare-lf at the LF offset', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${B}\r\nContent-Disposition: form-data; name="x"\n\r\ny\r\n--${B}--\r\n`;
    const req = await fromText(rawRequest(body, CT));
    const at = body.indexOf('name="x"\n') + 'name="x"'.length;
    expect(req.bodyProblems.map((p) => [p.kind, p.offset])).toEqual([['bare-lf', at]]);
    expect(fields(req)).toEqual([
      ['key', 'k'],
      ['x', 'y'],
    ]);
    expect(req.notes.map((n) => n.id)).not.toContain('input.lf-transcription');
  });

  it('bare LF before a delimiter is found too', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\n--${B}--\r\n`;
    const req = await fromText(rawRequest(body, CT));
    expect(req.bodyProblems).toEqual([{ kind: 'bare-lf', offset: body.indexOf('k\n') + 1, detail: '1' }]);
    expect(fields(req)).toEqual([['key', 'k']]);
  });

  it('no Content-Type, not multipart', async () => {
    const body = multipart(B, [['key', 'k']]);
    const a = await fromText(rawRequest(body, null));
    expect(a.bodyProblems.map((p) => p.kind)).toEqual(['no-content-type']);
    expect(fields(a)).toEqual([['key', 'k']]);
    const b = await fromText(rawRequest('key=k&policy=p', 'application/x-www-form-urlencoded'));
    expect(b.bodyProblems.map((p) => p.kind)).toEqual(['not-multipart']);
    expect(b.parts).toEqual([]);
  });

  it('empty filename is still a file part; field names keep their case', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="Key"\r\n\r\nv\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--${B}--\r\n`;
    const req = await fromText(rawRequest(body, CT));
    expect(req.bodyProblems).toEqual([]);
    expect(req.parts[0]).toMatchObject({ kind: 'field', name: 'Key', value: 'v' });
    expect(req.parts[1]).toMatchObject({ kind: 'file', name: 'file', filename: '', size: 0 });
  });

  it('a part of type application/octet-stream without filename is a field', async () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="x"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n--${B}--\r\n`;
    const req = await fromText(rawRequest(body, CT));
    expect(req.parts).toEqual([{ kind: 'field', name: 'x', value: 'abc', offset: `--${B}\r\n`.length }]);
  });

  it('garbage after the headers never throws', async () => {
    const inputs = [
      rawRequest('', CT),
      rawRequest('--', CT),
      rawRequest(`--${B}`, CT),
      rawRequest(`--${B}\r\n`, CT),
      rawRequest(`--${B}\r\nContent-Disposition: form-data; name="a"`, CT),
      rawRequest(`--${B}--`, CT),
      rawRequest('\u0000\u0001\r\n\r\n--', 'multipart/form-data; boundary=""'),
      rawRequest(`--${B}\r\nBad Header Name: x\r\n\r\nv\r\n--${B}--\r\n`, CT),
    ];
    for (const t of inputs) {
      const req = await fromText(t);
      expect(Array.isArray(req.bodyProblems)).toBe(true);
    }
    const bad = await fromText(inputs[7]!);
    expect(bad.bodyProblems.map((p) => p.kind)).toEqual(['no-content-disposition']);
  });
});
