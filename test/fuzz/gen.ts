// Generators for fuzzing: near-valid upload forms rendered as every input format post-doctor
// reads (raw HTTP, HAR, curl for bash / cmd / PowerShell, JSON form), error answers (XML,
// HTTP, JSON, text), policies (JSON and base64), then mutated the way pasted text gets
// damaged: truncation, byte flips, stray quotes, CRLF/LF mixing, huge numbers, odd unicode.
import fc from 'fast-check';
import { kbEntries } from '../../src/core/catalogue.js';

// ---------------------------------------------------------------------------
// Building blocks

/** Pieces that break parsers: quotes, escapes of every shell, line breaks, huge numbers, unicode. */
export const NASTY = [
  '"',
  "'",
  '\\',
  '`',
  '^',
  '$',
  '%',
  '&',
  '|',
  '!',
  ';',
  '=',
  '@',
  '<',
  '>',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\u0001',
  '\u007f',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\ud800',
  '\udfff',
  'é',
  '日本語',
  '😀',
  'İ',
  '\u0301',
  '1e999999',
  '-1e-999999',
  '99999999999999999999999999',
  '-0',
  '0x10',
  'NaN',
  'Infinity',
  '9007199254740993',
  '--',
  '--b',
  '--b--',
  '\r\n--b\r\n',
  '$(',
  '${',
  "$'",
  '^"',
  '`"',
  "'\\''",
  '\\"',
  '&#x41;',
  '&amp;',
  '%00',
  '%zz',
  'null',
  'true',
  '[]',
  '{}',
  '[[',
  ']]',
  '{"',
  '"}',
  ',]',
  '<![CDATA[',
  ']]>',
  '<?xml',
  '</',
  '/>',
];

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
/** Deep nesting: brackets, braces or tags repeated up to 20,000 times. */
const deepPiece = fc.tuple(fc.constantFrom('[', '{"a":', '<a>', '(', '"'), fc.integer({ min: 100, max: 20_000 })).map(([p, n]) => p.repeat(n));
const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/);
const nastyPiece = fc.constantFrom(...NASTY);
/** Text made of plain tokens and nasty pieces. */
export const messyText = fc
  .array(fc.oneof({ weight: 3, arbitrary: token }, { weight: 2, arbitrary: nastyPiece }, { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) }), { maxLength: 8 })
  .map((a) => a.join(''));
export const fieldValue = fc.oneof({ weight: 4, arbitrary: token }, { weight: 2, arbitrary: messyText }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });

const ISO = fc.oneof(
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((t) => new Date(t).toISOString()),
  fc.constantFrom('2030-01-01T12:00:00.000Z', '2019-08-29T08:00:00Z', '2024-02-30T00:00:00Z', 'tomorrow', '', '9999-99-99', '1e999999'),
  messyText,
);

const conditionArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.constantFrom('eq', 'starts-with', 'EQ', 'in'), fc.constantFrom('$key', '$bucket', '$Content-Type', '$x-amz-meta-a', '$success_action_status', 'key', '$'), fieldValue).map((t) => [...t]),
  fc.tuple(fc.constant('content-length-range'), fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 1e21, Number.MAX_SAFE_INTEGER)), fc.oneof(fc.integer(), fc.constant('10'))).map((t) => [...t]),
  fc.dictionary(fc.constantFrom('bucket', 'key', 'acl', 'q-ak', 'x-amz-credential', 'x-amz-algorithm', 'x-amz-date', 'q-sign-algorithm', 'success_action_redirect'), fieldValue, { maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A policy document, as a JS value (not always a valid policy). */
export const policyDoc: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ expiration: ISO, conditions: fc.array(conditionArb, { maxLength: 6 }) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** Policy JSON text: stringified documents, sometimes hand-damaged. */
export const policyJson = fc.oneof(
  { weight: 4, arbitrary: policyDoc.map((d) => JSON.stringify(d) ?? 'null') },
  { weight: 1, arbitrary: fc.tuple(policyDoc, fc.integer({ min: 0, max: 4 })).map(([d, sp]) => JSON.stringify(d, null, sp) ?? 'null') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        policyDoc.map((d) => JSON.stringify(d) ?? ''),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), nastyPiece), { maxLength: 3 }),
      )
      .map(([s, ins]) => insertAll(s, ins)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        policyDoc.map((d) => JSON.stringify(d) ?? ''),
        fc.double({ min: 0, max: 1, noNaN: true }),
        deepPiece,
      )
      .map(([s, p, d]) => insertAll(s, [[p, d]])),
  },
);

function insertAll(s: string, ins: Array<[number, string]>): string {
  let out = s;
  for (const [p, piece] of ins) {
    const i = Math.floor(p * out.length);
    out = out.slice(0, i) + piece + out.slice(i);
  }
  return out;
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** The `policy` field value: base64 of JSON, done right or in one of the usual wrong ways. */
export const policyField = fc.oneof(
  { weight: 5, arbitrary: policyJson.map(b64) },
  { weight: 1, arbitrary: policyJson.map((j) => b64(j).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')) },
  { weight: 1, arbitrary: policyJson.map((j) => (b64(j).match(/.{1,20}/g) ?? []).join('\n')) },
  { weight: 1, arbitrary: policyJson.map((j) => `\ufeff${j}`).map(b64) },
  { weight: 1, arbitrary: policyJson },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u).toString('base64')) },
  { weight: 1, arbitrary: messyText },
);

// ---------------------------------------------------------------------------
// Upload forms

export interface GenFile {
  field: string;
  filename: string;
  contentType: string | null;
  content: string;
}

export interface GenForm {
  url: string;
  fields: Array<[string, string]>;
  file: GenFile | null;
  /** Index in `fields` before which the file part goes (fields.length = last). */
  fileAt: number;
  boundary: string;
  eol: '\r\n' | '\n';
}

const URLS = [
  'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/',
  'http://examplebucket.oss-cn-hangzhou.aliyuncs.com/',
  'https://my-bucket.s3.eu-central-1.amazonaws.com/',
  'https://s3.amazonaws.com/my-bucket',
  'https://storage.googleapis.com/my-bucket',
  'http://127.0.0.1:7480/bucket',
  'https://example.com/upload?x=1#f',
];

const FIELD_SETS: Array<Array<[string, fc.Arbitrary<string>]>> = [
  [
    ['key', fieldValue],
    ['policy', policyField],
    ['q-sign-algorithm', fc.constantFrom('sha1', 'SHA1', 'sha256')],
    ['q-ak', fc.constantFrom('AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q', 'AKID', '')],
    ['q-key-time', fc.oneof(fc.constantFrom('1547696879;1547700479', '1;2', ';'), fieldValue)],
    ['q-signature', fc.oneof(hex(40), fieldValue)],
    ['success_action_status', fc.constantFrom('200', '201', '204', '999', 'x')],
  ],
  [
    ['key', fieldValue],
    ['OSSAccessKeyId', fc.constantFrom('LTAI5tExampleKeyId0001', 'x')],
    ['policy', policyField],
    ['Signature', fc.oneof(fc.base64String({ minLength: 28, maxLength: 28 }), fieldValue)],
    ['x-oss-security-token', fieldValue],
    ['callback', fc.oneof(policyJson.map(b64), fieldValue)],
  ],
  [
    ['key', fieldValue],
    ['x-amz-algorithm', fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1', '')],
    ['x-amz-credential', fc.oneof(fc.constantFrom('AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request', 'AKIA/x', '/'), fieldValue)],
    ['x-amz-date', fc.constantFrom('20240101T000000Z', '2024', '')],
    ['policy', policyField],
    ['x-amz-signature', fc.oneof(hex(64), fieldValue)],
    ['AWSAccessKeyId', fc.constant('AKIAIOSFODNN7EXAMPLE')],
  ],
  [
    ['key', fieldValue],
    ['x-goog-algorithm', fc.constantFrom('GOOG4-HMAC-SHA256', 'GOOG4-RSA-SHA256')],
    ['x-goog-credential', fc.constantFrom('GOOG1EXAMPLE/20240101/auto/storage/goog4_request', 'sa@p.iam.gserviceaccount.com/20240101/auto/storage/goog4_request')],
    ['x-goog-date', fc.constantFrom('20240101T000000Z')],
    ['policy', policyField],
    ['x-goog-signature', fc.oneof(hex(64), fieldValue)],
  ],
];

const fieldsArb: fc.Arbitrary<Array<[string, string]>> = fc
  .tuple(
    fc.integer({ min: 0, max: FIELD_SETS.length - 1 }).chain((i) =>
      fc.tuple(
        ...FIELD_SETS[i]!.map(([n, v]) =>
          fc.tuple(
            fc.constant(n),
            v,
            fc.integer({ min: 0, max: 4 }).map((k) => k > 0),
          ),
        ),
      ),
    ),
    fc.array(fc.tuple(fc.oneof(token, messyText), fieldValue), { maxLength: 4 }),
  )
  .map(([known, extra]) => [...known.filter(([, , keep]) => keep).map(([n, v]) => [n, v] as [string, string]), ...extra]);

export const formArb: fc.Arbitrary<GenForm> = fc
  .record({
    url: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...URLS) }, { weight: 1, arbitrary: messyText }),
    fields: fieldsArb,
    file: fc.option(
      fc.record({
        field: fc.oneof({ weight: 5, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fieldValue }),
        filename: fc.oneof(fc.constantFrom('a.jpg', 'hello.txt', '', 'C:\\x\\y.png', 'é ü.txt'), fieldValue),
        contentType: fc.option(fc.constantFrom('image/jpeg', 'text/plain', 'application/octet-stream', ''), { nil: null }),
        content: fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom('<binary>', '(binary)', '', 'Hello\r\n--b\r\n'),
          fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u).toString('latin1')),
        ),
      }),
      { nil: null, freq: 5 },
    ),
    fileAt: fc.integer({ min: 0, max: 20 }),
    boundary: fc.oneof(
      fc.constantFrom('----WebKitFormBoundary7MA4YWxkTrZu0gW', 'b', 'XyZ', '---------------------------9051914041544843365972754266'),
      fc.stringMatching(/^[A-Za-z0-9'()+_,./:=? -]{1,70}$/),
    ),
    eol: fc.constantFrom('\r\n' as const, '\r\n' as const, '\n' as const),
  })
  .map((f) => ({ ...f, fileAt: Math.min(f.fileAt, f.fields.length) }));

type Item = { kind: 'field'; name: string; value: string } | { kind: 'file'; file: GenFile };

function items(f: GenForm): Item[] {
  const out: Item[] = f.fields.map(([name, value]) => ({ kind: 'field', name, value }));
  if (f.file) out.splice(f.fileAt, 0, { kind: 'file', file: f.file });
  return out;
}

export function multipartBody(f: GenForm): string {
  const e = f.eol;
  let s = '';
  for (const it of items(f)) {
    if (it.kind === 'field') s += `--${f.boundary}${e}Content-Disposition: form-data; name="${it.name}"${e}${e}${it.value}${e}`;
    else {
      s += `--${f.boundary}${e}Content-Disposition: form-data; name="${it.file.field}"; filename="${it.file.filename}"${e}`;
      if (it.file.contentType !== null) s += `Content-Type: ${it.file.contentType}${e}`;
      s += `${e}${it.file.content}${e}`;
    }
  }
  return `${s}--${f.boundary}--${e}`;
}

function hostPath(url: string): { host: string; path: string } {
  const m = /^[a-z]+:\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m) return { host: 'example.com', path: url || '/' };
  return { host: m[1] || 'example.com', path: m[2] || '/' };
}

export function toRaw(f: GenForm): string {
  const body = multipartBody(f);
  const { host, path } = hostPath(f.url);
  const e = f.eol;
  return (
    [`POST ${path} HTTP/1.1`, `Host: ${host}`, `Content-Type: multipart/form-data; boundary=${f.boundary}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Origin: https://www.example.com'].join(e) +
    e +
    e +
    body
  );
}

export function toHar(f: GenForm, asParams: boolean): string {
  const ct = `multipart/form-data; boundary=${f.boundary}`;
  const postData: Record<string, unknown> = { mimeType: ct };
  if (asParams) {
    postData.params = items(f).map((it) =>
      it.kind === 'field' ? { name: it.name, value: it.value } : { name: it.file.field, fileName: it.file.filename, contentType: it.file.contentType ?? undefined, value: '' },
    );
  } else postData.text = multipartBody(f);
  return JSON.stringify(
    {
      log: {
        version: '1.2',
        creator: { name: 'fuzz', version: '1' },
        entries: [
          { request: { method: 'GET', url: 'https://example.com/', headers: [] } },
          {
            request: {
              method: 'POST',
              url: f.url,
              httpVersion: 'HTTP/1.1',
              headers: [
                { name: 'Content-Type', value: ct },
                { name: 'Origin', value: 'https://www.example.com' },
              ],
              postData,
            },
            response: { status: 403 },
          },
        ],
      },
    },
    null,
    1,
  );
}

function bashQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function bashAnsi(s: string): string {
  let out = "$'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

export function toCurlBash(f: GenForm, dataRaw: boolean): string {
  const lines = [`curl ${bashQuote(f.url)}`, '-X POST', `-H ${bashQuote('Origin: https://www.example.com')}`];
  if (dataRaw) {
    lines.push(`-H ${bashQuote(`Content-Type: multipart/form-data; boundary=${f.boundary}`)}`, `--data-raw ${bashAnsi(multipartBody({ ...f, eol: '\r\n' }))}`);
  } else {
    for (const it of items(f)) {
      if (it.kind === 'field') lines.push(`${it.value.includes('@') || it.value.startsWith('<') ? '--form-string' : '-F'} ${bashQuote(`${it.name}=${it.value}`)}`);
      else lines.push(`-F ${bashQuote(`${it.file.field}=@${it.file.filename || 'x'}${it.file.contentType ? `;type=${it.file.contentType}` : ''}`)}`);
    }
  }
  return `${lines.join(' \\\n  ')}\n`;
}

function cmdQuote(s: string): string {
  let out = '^"';
  for (const ch of s) {
    if (ch === '"') out += '^\\^"';
    else if ('^&|<>()%!'.includes(ch)) out += `^${ch}`;
    else if (ch === '\n') out += '^\n\n';
    else if (ch === '\r') continue;
    else out += ch;
  }
  return `${out}^"`;
}

export function toCurlCmd(f: GenForm, dataRaw: boolean): string {
  const lines = [`curl ${cmdQuote(f.url)}`, `-H ${cmdQuote('Origin: https://www.example.com')}`];
  if (dataRaw) lines.push(`-H ${cmdQuote(`Content-Type: multipart/form-data; boundary=${f.boundary}`)}`, `--data-raw ${cmdQuote(multipartBody({ ...f, eol: '\n' }))}`);
  else for (const it of items(f)) lines.push(it.kind === 'field' ? `--form-string ${cmdQuote(`${it.name}=${it.value}`)}` : `-F ${cmdQuote(`${it.file.field}=@${it.file.filename || 'x'}`)}`);
  return `${lines.join(' ^\r\n  ')}\r\n`;
}

function psDouble(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '`' || ch === '$') out += `\`${ch}`;
    else if (ch === '\r') out += '`r';
    else if (ch === '\n') out += '`n';
    else if (ch === '\t') out += '`t';
    else out += ch;
  }
  return `${out}"`;
}

function psSingle(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function toCurlPowerShell(f: GenForm, dataRaw: boolean): string {
  const lines = [`curl.exe ${psSingle(f.url)}`, '-X POST', `-H ${psSingle('Origin: https://www.example.com')}`];
  if (dataRaw) lines.push(`-H ${psDouble(`Content-Type: multipart/form-data; boundary=${f.boundary}`)}`, `--data-binary ${psDouble(multipartBody({ ...f, eol: '\r\n' }))}`);
  else for (const it of items(f)) lines.push(it.kind === 'field' ? `--form-string ${psSingle(`${it.name}=${it.value}`)}` : `-F ${psDouble(`${it.file.field}=@${it.file.filename || 'x'}`)}`);
  return `${lines.join(' `\n  ')}\n`;
}

export function toJsonForm(f: GenForm, objectFields: boolean): string {
  const fields: unknown = objectFields ? Object.fromEntries(f.fields) : f.fields;
  const doc: Record<string, unknown> = { url: f.url, method: 'POST', headers: [['Origin', 'https://www.example.com']], fields };
  if (f.file) doc.file = { field: f.file.field, name: f.file.filename, contentType: f.file.contentType ?? undefined, content: f.file.content };
  return JSON.stringify(doc, null, 2);
}

// ---------------------------------------------------------------------------
// Mutation

export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'eol'; to: 'lf' | 'crlf' | 'cr' | 'mixed' };

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at }),
  fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ op: fc.constant('insert' as const), at, text: fc.oneof({ weight: 6, arbitrary: nastyPiece }, { weight: 2, arbitrary: messyText }, { weight: 1, arbitrary: deepPiece }) }),
  fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('eol' as const), to: fc.constantFrom('lf' as const, 'crlf' as const, 'cr' as const, 'mixed' as const) }),
);

export function mutate(s: string, muts: Mutation[]): string {
  let out = s;
  for (const m of muts) {
    const i = 'at' in m ? Math.floor(m.at * (out.length + 1)) : 0;
    switch (m.op) {
      case 'truncate':
        out = out.slice(0, i);
        break;
      case 'flip': {
        if (out.length === 0) break;
        const j = Math.min(i, out.length - 1);
        out = out.slice(0, j) + String.fromCharCode(out.charCodeAt(j) ^ (1 << m.bit)) + out.slice(j + 1);
        break;
      }
      case 'insert':
        out = out.slice(0, i) + m.text + out.slice(i);
        break;
      case 'delete':
        out = out.slice(0, i) + out.slice(i + m.len);
        break;
      case 'duplicate':
        out = out.slice(0, i + m.len) + out.slice(i, i + m.len) + out.slice(i + m.len);
        break;
      case 'eol':
        if (m.to === 'lf') out = out.replace(/\r\n/g, '\n');
        else if (m.to === 'crlf') out = out.replace(/\r?\n/g, '\r\n');
        else if (m.to === 'cr') out = out.replace(/\r?\n/g, '\r');
        else {
          let k = 0;
          out = out.replace(/\r?\n/g, () => (k++ % 2 ? '\n' : '\r\n'));
        }
        break;
    }
  }
  return out;
}

/** A text from `base`, left intact half of the time, else with 1-4 mutations. */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.oneof({ weight: 1, arbitrary: fc.constant([] as Mutation[]) }, { weight: 2, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) }))
    .map(([s, m]) => mutate(s, m));
}

export const rawText = mutated(formArb.map(toRaw));
export const harText = mutated(fc.tuple(formArb, fc.boolean()).map(([f, p]) => toHar(f, p)));
export const curlBashText = mutated(fc.tuple(formArb, fc.boolean()).map(([f, d]) => toCurlBash(f, d)));
export const curlCmdText = mutated(fc.tuple(formArb, fc.boolean()).map(([f, d]) => toCurlCmd(f, d)));
export const curlPowerShellText = mutated(fc.tuple(formArb, fc.boolean()).map(([f, d]) => toCurlPowerShell(f, d)));
export const jsonFormText = mutated(fc.tuple(formArb, fc.boolean()).map(([f, o]) => toJsonForm(f, o)));

/** Any check input. */
export const anyUploadText = fc.oneof(rawText, harText, curlBashText, curlCmdText, curlPowerShellText, jsonFormText);

/** A multipart body and the Content-Type it was sent with. */
export const multipartCase = fc
  .tuple(
    formArb,
    fc.array(mutationArb, { maxLength: 4 }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant('declared') },
      { weight: 1, arbitrary: fc.constantFrom('none', 'other', 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=""', "multipart/form-data; boundary*=utf-8''x") },
    ),
  )
  .map(([f, muts, ct]) => ({
    body: mutate(multipartBody(f), muts),
    contentType: ct === 'declared' ? `multipart/form-data; boundary=${f.boundary}` : ct === 'none' ? null : ct === 'other' ? `multipart/form-data; boundary="${f.boundary}x"` : ct,
  }));

// ---------------------------------------------------------------------------
// Error answers for `explain`

const kbMessages = kbEntries.filter((e) => e.message).map((e) => e.message as string);
const kbCodes = [...new Set(kbEntries.map((e) => e.code).filter((c): c is string => !!c))];
const kbEcs = [...new Set(kbEntries.flatMap((e) => e.ec ?? []))];

const kbMessage = fc.tuple(fc.constantFrom(...kbMessages), fc.array(fieldValue, { maxLength: 4 })).map(([m, vals]) => {
  let k = 0;
  return m.replace(/\{[A-Za-z0-9_]+\}/g, () => vals[k++ % Math.max(vals.length, 1)] ?? 'x');
});
const code = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...kbCodes) }, { weight: 1, arbitrary: fieldValue });
const message = fc.oneof({ weight: 4, arbitrary: kbMessage }, { weight: 1, arbitrary: messyText });
const ec = fc.oneof(fc.constantFrom(...(kbEcs.length ? kbEcs : ['0002-00000705'])), fc.constant('0000-00000000'));

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

const xmlAnswer = fc
  .record({
    code,
    message,
    ec: fc.option(ec, { nil: null }),
    rid: token,
    extra: fc.array(fc.tuple(fc.constantFrom('StringToSign', 'SignatureProvided', 'Condition', 'Details', 'HostId', 'Resource', 'ServerTime', 'RequestTime'), fieldValue), { maxLength: 3 }),
    escape: fc.boolean(),
  })
  .map((r) => {
    const esc = r.escape ? xmlEscape : (s: string) => s;
    const extra = r.extra.map(([k, v]) => `  <${k}>${esc(v)}</${k}>\n`).join('');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${esc(r.code)}</Code>\n  <Message>${esc(r.message)}</Message>\n  <RequestId>${r.rid}</RequestId>\n${r.ec ? `  <EC>${r.ec}</EC>\n` : ''}${extra}</Error>\n`;
  });

const jsonAnswer = fc
  .record({ code, message, shape: fc.integer({ min: 0, max: 2 }) })
  .map((r) =>
    r.shape === 0
      ? JSON.stringify({ error: { code: 403, message: r.message, errors: [{ reason: r.code, message: r.message }] } })
      : r.shape === 1
        ? JSON.stringify({ Code: r.code, Message: r.message, RequestId: 'x' })
        : `{"code":"${r.code}","message":"${r.message}"}`,
  );

const headersArb = fc.array(
  fc.oneof(
    fc.constantFrom(
      'Server: tencent-cos',
      'Server: AliyunOSS',
      'Server: AmazonS3',
      'Server: UploadServer',
      'x-amz-request-id: ABC',
      'x-oss-request-id: 5C3D',
      'x-cos-request-id: NWQ',
      'x-oss-ec: 0002-00000705',
      'Date: Wed, 21 Oct 2015 07:28:00 GMT',
      'Date: nonsense',
      'Content-Type: application/xml',
    ),
    fc.tuple(token, fieldValue).map(([k, v]) => `${k}: ${v}`),
  ),
  { maxLength: 6 },
);

const httpAnswer = fc
  .record({
    status: fc.oneof(fc.constantFrom(400, 403, 404, 405, 411, 412, 413, 500, 503), fc.integer({ min: 0, max: 9999 })),
    headers: headersArb,
    body: fc.oneof(xmlAnswer, jsonAnswer, fc.constant(''), messyText),
    eol: fc.constantFrom('\r\n', '\n'),
    verbose: fc.boolean(),
  })
  .map((r) => {
    const lines = [`HTTP/1.1 ${r.status} Whatever`, ...r.headers];
    const head = r.verbose ? `${lines.map((l) => `< ${l}`).join(r.eol)}${r.eol}<` : lines.join(r.eol) + r.eol;
    return `${head}${r.eol}${r.body}`;
  });

export const explainText = mutated(
  fc.oneof(
    { weight: 3, arbitrary: xmlAnswer },
    { weight: 3, arbitrary: httpAnswer },
    { weight: 2, arbitrary: jsonAnswer },
    { weight: 2, arbitrary: message },
    { weight: 1, arbitrary: code },
    { weight: 1, arbitrary: ec.map((e) => `EC: ${e}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
  ),
);
