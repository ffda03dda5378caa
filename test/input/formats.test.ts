import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FilePart } from '../../src/core/types.js';
import { detectFormat, readUploadRequest } from '../../src/input/index.js';
import { EXAMPLES, FIXTURES, comparable, expectInputError, fields, fromFile, fromText } from './helpers.js';

const OSS = join(EXAMPLES, 'oss');

describe('the four OSS example formats read as the same form', () => {
  it('raw, HAR, bash curl and JSON give identical parts in the same order', async () => {
    const raw = await fromFile(join(OSS, 'postobject-v1.http'));
    const har = await fromFile(join(OSS, 'postobject-v1.har'));
    const curl = await fromFile(join(OSS, 'postobject-v1.curl.sh'));
    const json = await fromFile(join(OSS, 'postobject-v1.json'));
    const expected = comparable(raw.parts);
    expect(expected.map((p) => (p as { name: string }).name)).toEqual(['key', 'OSSAccessKeyId', 'policy', 'Signature', 'success_action_status', 'file']);
    expect(comparable(har.parts)).toEqual(expected);
    expect(comparable(curl.parts)).toEqual(expected);
    expect(comparable(json.parts)).toEqual(expected);
    for (const r of [raw, har, curl, json]) {
      expect(r.url).toBe('http://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
      expect(r.method).toBe('POST');
      expect(r.bodyProblems).toEqual([]);
    }
    expect(raw.notes).toEqual([]);
    expect(har.notes).toEqual([]);
    expect(curl.notes).toEqual([]);
    // the raw capture on disk: the file part is a byte range of the capture itself
    const f = raw.parts[5] as FilePart;
    expect(f.source).toMatchObject({ type: 'path', path: join(OSS, 'postobject-v1.http') });
    expect(f.size).toBe(24);
    expect(raw.boundary).toBe('----WebKitFormBoundary7MA4YWxkTrZu0gW');
    expect(har.boundary).toBe(raw.boundary);
    expect(curl.boundary).toBe(raw.boundary);
  });

  it('the Chrome cmd and PowerShell curl variants read the same form', async () => {
    const raw = await fromFile(join(OSS, 'postobject-v1.http'));
    const cmd = await fromFile(join(FIXTURES, 'oss-chrome.curl.cmd'));
    const ps = await fromFile(join(FIXTURES, 'oss-powershell.curl.ps1'));
    expect(comparable(cmd.parts)).toEqual(comparable(raw.parts));
    expect(comparable(ps.parts)).toEqual(comparable(raw.parts));
    expect(cmd.url).toBe(raw.url);
    expect(ps.url).toBe(raw.url);
    expect(ps.headers).toEqual([
      ['Origin', 'https://www.example.com'],
      ['Content-Type', 'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW'],
    ]);
    // Chrome's cmd escaping turns CRLF into LF: read as a transcription, not as bare LF
    expect(cmd.bodyProblems).toEqual([]);
    expect(cmd.notes.map((n) => n.id)).toEqual(['input.lf-transcription']);
    expect(ps.bodyProblems).toEqual([]);
  });
});

describe('format detection', () => {
  it('detects each format and refuses others', async () => {
    expect(detectFormat('  {"url": "x"}')).toBe('json');
    expect(detectFormat('\ncurl -F a=b http://x')).toBe('curl');
    expect(detectFormat('curl.exe http://x')).toBe('curl');
    expect(detectFormat('POST /a HTTP/1.1\nHost: x\n\n')).toBe('raw');
    expect(detectFormat('post / http/1.1')).toBeNull();
    expect(detectFormat('curly braces')).toBeNull();
    const e = await expectInputError(fromText('GET'));
    expect(e.where).toMatchObject({ line: 1, source: 'argument' });
  });
});

describe('HAR', () => {
  const chrome = join(FIXTURES, 'chrome-three-uploads.har');

  it('several POST multipart entries: the last one, with a note', async () => {
    const req = await fromFile(chrome);
    expect(req.url).toBe('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
    expect(fields(req)).toEqual([
      ['key', 'user/third.txt'],
      ['success_action_status', '201'],
      ['file', '<file third.png>'],
    ]);
    expect(req.notes).toContainEqual({ id: 'input.har-entry-picked', facts: { entry: 3, count: 3 } });
    const f = req.parts[2] as FilePart;
    expect(f).toMatchObject({ size: null, contentType: 'image/png', source: { type: 'placeholder', text: '(binary)' } });
    expect(req.notes).toContainEqual({ id: 'input.placeholder-file', facts: { field: 'file', text: '(binary)' } });
  });

  it('--entry picks among POST multipart entries only (1-based)', async () => {
    const first = await fromFile(chrome, { entry: 1 });
    expect(first.url).toBe('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
    expect(fields(first)[0]).toEqual(['key', 'first.txt']);
    expect(first.notes.map((n) => n.id)).not.toContain('input.har-entry-picked');
    expect(first.headers[0]).toEqual([':authority', 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com']);
    const second = await fromFile(chrome, { entry: 2 });
    expect(fields(second)).toEqual([
      ['key', 'user/second.txt'],
      ['OSSAccessKeyId', 'LTAI5tExampleKeyId0001'],
      ['file', '<file second.txt>'],
    ]);
    const f = second.parts[2] as FilePart;
    expect(f.size).toBe('second file'.length);
    expect(Buffer.from((f.source as { data: Uint8Array }).data).toString()).toBe('second file');
  });

  it('--entry out of range names the count', async () => {
    for (const entry of [0, 4, -1]) {
      const e = await expectInputError(fromFile(chrome, { entry }));
      expect(e.message).toMatch(/3 POST multipart entries/);
      expect(e.where.source).toBe(chrome);
    }
  });

  it('Firefox params only: fields from params, file without content', async () => {
    const req = await fromFile(join(FIXTURES, 'firefox-params-only.har'));
    expect(fields(req)).toEqual([
      ['key', 'photos/cat.jpg'],
      ['policy', 'eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMDowMDowMFoiLCJjb25kaXRpb25zIjpbXX0='],
      ['q-ak', 'AKIDEXAMPLE'],
      ['file', '<file cat.jpg>'],
    ]);
    expect(req.parts[3]).toMatchObject({ kind: 'file', filename: 'cat.jpg', contentType: 'image/jpeg', size: null, source: { type: 'placeholder' } });
    expect(req.boundary).toBe('---------------------------4111111111');
    expect(req.notes).toEqual([{ id: 'input.placeholder-file', facts: { field: 'file' } }]);
  });

  it('a HAR without any POST multipart entry is refused', async () => {
    const e = await expectInputError(fromFile(join(FIXTURES, 'no-upload.har')));
    expect(e.message).toMatch(/no POST entry with a multipart\/form-data body/);
  });
});

describe('curl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-input-'));
  writeFileSync(join(dir, 'photo.jpg'), Buffer.alloc(1234, 7));
  writeFileSync(join(dir, 'policy.txt'), 'eyJwb2xpY3kiOjF9');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bash -F/--form-string in command-line order, @file stat, <file read, missing file noted', async () => {
    const cmd = `curl -sS -X POST \\
  --url https://bucket.example.com/ \\
  -H 'Origin: https://app.example.com' \\
  -F 'key=uploads/\${filename}' \\
  --form-string 'x-note=@not-a-file;type=x' \\
  -F 'policy=<policy.txt' \\
  -F 'Content-Disposition="attachment; filename=a.jpg"' \\
  -F "Unquoted=attachment; filename=a.jpg" \\
  -F 'file=@photo.jpg;type=image/jpeg;filename=renamed.jpg' \\
  -F file2=@missing.bin`;
    const req = await readUploadRequest({ text: cmd, path: null, source: 'stdin' }, { cwd: dir });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://bucket.example.com/');
    expect(req.headers).toEqual([['Origin', 'https://app.example.com']]);
    expect(fields(req)).toEqual([
      ['key', 'uploads/${filename}'],
      ['x-note', '@not-a-file;type=x'],
      ['policy', 'eyJwb2xpY3kiOjF9'],
      ['Content-Disposition', 'attachment; filename=a.jpg'],
      // as curl does: an unquoted "; filename=" makes a file part
      ['Unquoted', '<file a.jpg>'],
      ['file', '<file renamed.jpg>'],
      ['file2', '<file missing.bin>'],
    ]);
    expect(comparable([req.parts[4]!])).toEqual([{ kind: 'file', name: 'Unquoted', filename: 'a.jpg', contentType: 'text/plain', size: 10, content: 'attachment' }]);
    req.parts.splice(4, 1);
    expect(req.parts[4]).toEqual({ kind: 'file', name: 'file', filename: 'renamed.jpg', contentType: 'image/jpeg', size: 1234, source: { type: 'path', path: join(dir, 'photo.jpg') } });
    expect(req.parts[5]).toMatchObject({ size: null, contentType: 'application/octet-stream', source: { type: 'path', path: join(dir, 'missing.bin') } });
    expect(req.notes).toEqual([{ id: 'input.file-missing', facts: { path: join(dir, 'missing.bin') } }]);
    expect(req.bodyProblems).toEqual([]);
  });

  it("bash $'...' body with \\r\\n, \\xHH and \\u escapes", async () => {
    const cmd = `curl 'https://b.example.com/' -H 'content-type: multipart/form-data; boundary=XyZ' --data-raw $'--XyZ\\r\\nContent-Disposition: form-data; name="k\\u00e9y"\\r\\n\\r\\nit\\'s\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="file"; filename="b.bin"\\r\\n\\r\\n\\xff\\x00\\x41\\r\\n--XyZ--\\r\\n' --compressed`;
    const req = await fromText(cmd);
    expect(req.bodyProblems).toEqual([]);
    expect(req.parts[0]).toMatchObject({ kind: 'field', name: 'kéy', value: "it's" });
    const f = req.parts[1] as FilePart;
    expect(f.size).toBe(3);
    expect([...(f.source as { data: Uint8Array }).data]).toEqual([0xff, 0x00, 0x41]);
  });

  it('--data-binary @file is parsed as a multipart body from the file (path ranges)', async () => {
    const body = '--b1\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--b1\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\nhello\r\n--b1--\r\n';
    writeFileSync(join(dir, 'body.bin'), body);
    const req = await readUploadRequest({ text: `curl https://b.example.com -H "Content-Type: multipart/form-data; boundary=b1" --data-binary @body.bin`, path: null, source: 'x' }, { cwd: dir });
    expect(req.url).toBe('https://b.example.com');
    const f = req.parts[1] as FilePart;
    expect(f.source).toEqual({ type: 'path', path: join(dir, 'body.bin'), start: body.indexOf('hello'), end: body.indexOf('hello') + 5 });
    expect(f.size).toBe(5);
  });

  it('--data-raw without a multipart Content-Type: not-multipart', async () => {
    const req = await fromText(`curl http://b.example.com/ --data-raw 'a=1&b=2'`);
    expect(req.bodyProblems.map((p) => p.kind)).toEqual(['not-multipart']);
    expect(req.url).toBe('http://b.example.com/');
  });

  it('cmd: caret escapes, ^\\^" quotes, ^ continuations', async () => {
    const cmd = 'curl ^"https://b.example.com/up^" ^\r\n  -H ^"X-Test: a^&b^" ^\r\n  -F ^"key=say ^\\^"hi^\\^"^" ^\r\n  -F ^"file=@C:\\\\tmp\\\\a.txt^"\r\n';
    const req = await fromText(cmd);
    expect(req.url).toBe('https://b.example.com/up');
    expect(req.headers).toEqual([['X-Test', 'a&b']]);
    expect(req.parts[0]).toEqual({ kind: 'field', name: 'key', value: 'say "hi"' });
    expect(req.parts[1]).toMatchObject({ kind: 'file', name: 'file' });
  });

  it('PowerShell: \'\' and "" quoting, backtick escapes', async () => {
    const cmd = 'curl.exe -X POST `\n \'https://b.example.com/\' `\n -F \'key=it\'\'s\' `\n --form-string "acl=`"public-read`"" `\n -F "x=a`tb" `\n --form-string "q=a""b"';
    const req = await fromText(cmd);
    expect(req.url).toBe('https://b.example.com/');
    expect(fields(req)).toEqual([
      ['key', "it's"],
      ['acl', '"public-read"'],
      ['x', 'a\tb'],
      ['q', 'a"b'],
    ]);
  });

  it('unterminated quotes are refused with line and column', async () => {
    const e = await expectInputError(fromText("curl http://x \\\n  -F 'key=abc"));
    expect(e.where).toMatchObject({ line: 2, column: 6 });
    const e2 = await expectInputError(fromText("curl http://x --data-raw $'abc"));
    expect(e2.where).toMatchObject({ line: 1, column: 26 });
  });

  it('-F without name= is refused at the word', async () => {
    const e = await expectInputError(fromText('curl http://x \\\n -F novalue'));
    expect(e.where).toMatchObject({ line: 2, column: 5 });
  });
});

describe('JSON form description', () => {
  it('the COS worked example', async () => {
    const req = await fromFile(join(EXAMPLES, 'cos', 'worked-example.json'));
    expect(req.url).toBe('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/');
    expect(req.parts.map((p) => p.name)).toEqual([
      'key',
      'acl',
      'Content-Type',
      'success_action_redirect',
      'x-cos-server-side-encryption',
      'policy',
      'q-sign-algorithm',
      'q-ak',
      'q-key-time',
      'q-signature',
      'file',
    ]);
    expect(req.parts[10]).toEqual({ kind: 'file', name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', size: 1024, source: { type: 'generated', size: 1024 } });
    expect(req.notes).toEqual([]);
  });

  it('object form keeps key order (even integer-like keys); a null field marks the file position', async () => {
    const req = await fromText('{"url": "https://b/", "fields": {"key": "k", "10": "ten", "2": "two", "file": null, "late": "after"}, "file": {"name": "a.txt", "content": "abc"}}');
    expect(fields(req)).toEqual([
      ['key', 'k'],
      ['10', 'ten'],
      ['2', 'two'],
      ['file', '<file a.txt>'],
      ['late', 'after'],
    ]);
    expect(req.parts[3]).toMatchObject({ size: 3, source: { type: 'inline' } });
  });

  it('pair form with ["file", {"file": true}] marker, header pairs, numbers as text', async () => {
    const text =
      '{"url":"https://b/","headers":[["Origin","https://o"]],"fields":[["key","k"],["upload",{"file":true}],["success_action_status",201]],"file":{"name":"p.png","contentType":"image/png"}}';
    const req = await fromText(text);
    expect(req.headers).toEqual([['Origin', 'https://o']]);
    expect(fields(req)).toEqual([
      ['key', 'k'],
      ['upload', '<file p.png>'],
      ['success_action_status', '201'],
    ]);
    expect(req.parts[1]).toMatchObject({ size: null, source: { type: 'placeholder' } });
    expect(req.notes).toEqual([{ id: 'input.placeholder-file', facts: { field: 'upload' } }]);
  });

  it('syntax errors carry line and column', async () => {
    const e = await expectInputError(fromText('{\n  "url": "x",\n  "fields": [["a", "b"],]\n}'));
    expect(e.where).toMatchObject({ line: 3, column: 25 });
    const e2 = await expectInputError(fromText('{"url": "x"'));
    expect(e2.where.line).toBe(1);
    const e3 = await expectInputError(fromText('{\n "a": tru }'));
    expect(e3.where).toMatchObject({ line: 2, column: 7 });
  });

  it('schema errors name the field and its position', async () => {
    const e = await expectInputError(fromText('{\n "url": "x",\n "fields": [["a"]]\n}'));
    expect(e.where).toMatchObject({ field: 'fields[0]', line: 3, column: 13 });
    const e2 = await expectInputError(fromText('{"url": 5}'));
    expect(e2.where.field).toBe('url');
  });
});

describe('--file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-file-'));
  writeFileSync(join(dir, 'real.jpg'), Buffer.alloc(4321, 1));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the placeholder of a document sample with the real file', async () => {
    const req = await fromFile(join(EXAMPLES, 'cos', 'sample1-simple.http'), { file: 'real.jpg', cwd: dir });
    const f = req.parts[req.parts.length - 1] as FilePart;
    expect(f).toMatchObject({ filename: 'example.jpg', contentType: 'image/jpeg', size: 4321, source: { type: 'path', path: join(dir, 'real.jpg') } });
    expect(req.notes.map((n) => n.id)).not.toContain('input.placeholder-file');
  });

  it('fills a HAR file part without content', async () => {
    const req = await fromFile(join(FIXTURES, 'firefox-params-only.har'), { file: join(dir, 'real.jpg') });
    expect(req.parts[3]).toMatchObject({ size: 4321, source: { type: 'path', path: join(dir, 'real.jpg') } });
    expect(req.notes).toEqual([]);
  });

  it('an unreadable --file is an InputError', async () => {
    const e = await expectInputError(fromFile(join(EXAMPLES, 'cos', 'sample1-simple.http'), { file: 'nope.jpg', cwd: dir }));
    expect(e.message).toMatch(/cannot read the file given for the file part/);
    expect(e.where.source).toBe('nope.jpg');
    await expectInputError(fromFile(join(EXAMPLES, 'cos', 'sample1-simple.http'), { file: dir }));
  });

  it('adds a file part when the request has none', async () => {
    const req = await fromText('{"url":"https://b/","fields":[["key","k"]]}', { file: join(dir, 'real.jpg') });
    expect(req.parts[1]).toMatchObject({ kind: 'file', name: 'file', filename: 'real.jpg', size: 4321 });
    expect(req.notes).toEqual([{ id: 'input.file-part-added', facts: { path: join(dir, 'real.jpg') } }]);
  });
});
