// Generated POST upload variants for the RGW agreement suite: valid forms, and forms broken in
// one way each (time, conditions, fields, order, files, bucket, credentials, size, policy text,
// multipart framing), for SigV4 and SigV2. Each becomes a raw HTTP capture on disk.
import { randomBytes } from 'node:crypto';
import { sign } from '../../src/sign/index.js';
import { parseV4Credential, s3V2Sign, s3V4Sign } from '../../src/providers/s3/sign.js';

export type Scheme = 'v4' | 'v2';

export interface Target {
  host: string;
  bucket: string;
  otherBucket: string;
  region: string;
  accessKey: string;
  secret: string;
  /** A second user of the gateway (its key exists, but it owns no bucket here). */
  otherAccessKey: string;
  otherSecret: string;
}

export type FormPart = { kind: 'field'; name: string; value: string } | { kind: 'file'; name: string; filename: string; size: number; contentType: string };

export interface Variant {
  name: string;
  scheme: Scheme;
  group: string;
  /** Raw capture bytes (request line, headers, body). */
  capture: Buffer;
  /** The body alone (what the server must receive). */
  body: Buffer;
  /** Whether the multipart framing is regular (replay rebuilds it byte for byte). */
  wellFormed: boolean;
  /** Secret the user would give to check: the one belonging to the access key the form names. */
  checkSecret: string;
  /**
   * Set when the outcome depends on what exists on the gateway, which a dry run cannot know:
   * why, and the error code the gateway answers. Such variants are sent and recorded but kept
   * out of the agreement count.
   */
  outside?: { reason: string; code: string };
}

const CRLF = '\r\n';

function fileBytes(size: number): Buffer {
  // printable bytes, so that no accidental boundary or CR/LF appears in the content
  const b = randomBytes(size);
  for (let i = 0; i < b.length; i++) b[i] = 0x41 + ((b[i] as number) % 26);
  return b;
}

export function multipart(parts: FormPart[], boundary: string, eol = CRLF, closing = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (p.kind === 'field') {
      chunks.push(Buffer.from(`--${boundary}${eol}Content-Disposition: form-data; name="${p.name}"${eol}${eol}${p.value}${eol}`));
    } else {
      chunks.push(Buffer.from(`--${boundary}${eol}Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"${eol}Content-Type: ${p.contentType}${eol}${eol}`));
      chunks.push(fileBytes(p.size));
      chunks.push(Buffer.from(eol));
    }
  }
  if (closing) chunks.push(Buffer.from(`--${boundary}--${eol}`));
  return Buffer.concat(chunks);
}

export function capture(t: Target, path: string, contentType: string | null, body: Buffer): Buffer {
  const head = [`POST ${path} HTTP/1.1`, `Host: ${t.host}`, 'User-Agent: post-doctor-agreement'];
  if (contentType !== null) head.push(`Content-Type: ${contentType}`);
  head.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(head.join(CRLF) + CRLF + CRLF), body]);
}

interface BaseOpts {
  key?: string;
  keyPrefix?: string;
  minSize?: number;
  maxSize?: number;
  contentTypePrefix?: string;
  fields?: Array<[string, string]>;
  now?: Date;
  expiresAt?: Date;
  bucket?: string;
}

type Fields = Array<[string, string]>;

function base(t: Target, scheme: Scheme, o: BaseOpts = {}): Fields {
  const now = o.now ?? new Date();
  const opts: Parameters<typeof sign>[0] = {
    provider: 's3',
    bucket: o.bucket ?? t.bucket,
    region: t.region,
    now,
    expiresAt: o.expiresAt ?? new Date(now.getTime() + 15 * 60_000),
    accessKeyId: t.accessKey,
    secret: t.secret,
    endpoint: `http://${t.host}/${t.bucket}`,
    signatureVersion: scheme,
    fields: o.fields ?? [],
  };
  if (o.key !== undefined) opts.key = o.key;
  if (o.keyPrefix !== undefined) opts.keyPrefix = o.keyPrefix;
  if (o.key === undefined && o.keyPrefix === undefined) opts.key = 'agree/object.bin';
  if (o.minSize !== undefined) opts.minSize = o.minSize;
  if (o.maxSize !== undefined) opts.maxSize = o.maxSize;
  if (o.contentTypePrefix !== undefined) opts.contentTypePrefix = o.contentTypePrefix;
  return sign(opts).fields.map(([k, v]) => [k, v] as [string, string]);
}

function get(f: Fields, name: string): string | undefined {
  return f.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}
function set(f: Fields, name: string, value: string): Fields {
  return f.map(([k, v]) => [k, k.toLowerCase() === name.toLowerCase() ? value : v] as [string, string]);
}
function drop(f: Fields, name: string): Fields {
  return f.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
}

/** Replace the policy text and sign it again (properly, with `secret`). */
function repolicy(f: Fields, scheme: Scheme, secret: string, policyBase64: string): Fields {
  let out = set(f, 'policy', policyBase64);
  if (scheme === 'v4') {
    const cred = parseV4Credential(get(f, 'x-amz-credential') as string)!;
    out = set(out, 'x-amz-signature', s3V4Sign({ secret, date: cred.date, region: cred.region, policyBase64 }).signature);
  } else {
    out = set(out, 'signature', s3V2Sign({ secret, policyBase64 }));
  }
  return out;
}

function policyDoc(f: Fields): { expiration?: unknown; conditions: unknown[] } & Record<string, unknown> {
  return JSON.parse(Buffer.from(get(f, 'policy') as string, 'base64').toString('utf8'));
}

function encode(doc: unknown): string {
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
}

/** Edit the decoded policy and sign it again. */
function editPolicy(f: Fields, scheme: Scheme, secret: string, edit: (doc: ReturnType<typeof policyDoc>) => unknown): Fields {
  const doc = policyDoc(f);
  const out = edit(doc) ?? doc;
  return repolicy(f, scheme, secret, encode(out));
}

const FILE = (size = 64, name = 'file'): FormPart => ({ kind: 'file', name, filename: 'object.bin', size, contentType: 'application/octet-stream' });

function parts(f: Fields, file: FormPart | null = FILE(), after: Fields = []): FormPart[] {
  const out: FormPart[] = f.map(([name, value]) => ({ kind: 'field', name, value }));
  if (file) out.push(file);
  for (const [name, value] of after) out.push({ kind: 'field', name, value });
  return out;
}

/** Every variant for one target. */
export function buildVariants(t: Target): Variant[] {
  const out: Variant[] = [];
  const path = `/${t.bucket}`;
  const add = (name: string, scheme: Scheme, group: string, ps: FormPart[], o: { path?: string; checkSecret?: string; outside?: Variant['outside'] } = {}): void => {
    const boundary = `----AgreementBoundary${randomBytes(8).toString('hex')}`;
    const body = multipart(ps, boundary);
    const v: Variant = { name, scheme, group, capture: capture(t, o.path ?? path, `multipart/form-data; boundary=${boundary}`, body), body, wellFormed: true, checkSecret: o.checkSecret ?? t.secret };
    if (o.outside) v.outside = o.outside;
    out.push(v);
  };
  const addRaw = (name: string, scheme: Scheme, contentType: string | null, body: Buffer): void => {
    out.push({ name, scheme, group: 'multipart', capture: capture(t, path, contentType, body), body, wellFormed: false, checkSecret: t.secret });
  };
  const past = new Date(Date.now() - 2 * 3600_000);

  for (const s of ['v4', 'v2'] as const) {
    const sec = t.secret;
    // --- valid forms
    add('valid: exact key', s, 'valid', parts(base(t, s)));
    add('valid: key prefix', s, 'valid', parts(set(base(t, s, { keyPrefix: 'agree/' }), 'key', 'agree/by-prefix.bin')));
    add('valid: ${filename} in key', s, 'valid', parts(base(t, s, { key: 'agree/${filename}' })));
    add('valid: Content-Type prefix condition', s, 'valid', parts(set(base(t, s, { contentTypePrefix: 'image/' }), 'Content-Type', 'image/png')));
    add('valid: x-amz-meta field with condition', s, 'valid', parts(base(t, s, { fields: [['x-amz-meta-tag', 'blue']] })));
    add('valid: success_action_status 201', s, 'valid', parts(base(t, s, { fields: [['success_action_status', '201']] })));
    add('valid: size at the range minimum', s, 'valid', parts(base(t, s, { minSize: 10, maxSize: 100 }), FILE(10)));
    add('valid: size at the range maximum', s, 'valid', parts(base(t, s, { minSize: 10, maxSize: 100 }), FILE(100)));
    add('valid: x-ignore- field not in the policy', s, 'valid', parts([...base(t, s), ['x-ignore-note', 'hello']]));
    add('valid: field after the file (ignored)', s, 'valid', parts(base(t, s), FILE(), [['x-amz-meta-late', 'ignored']]));

    // --- time and policy structure
    add('expired policy', s, 'time', parts(base(t, s, { now: past, expiresAt: new Date(past.getTime() + 600_000) })));
    add('expiration not a date', s, 'time', parts(editPolicy(base(t, s), s, sec, (d) => void (d.expiration = 'tomorrow'))));
    add('expiration missing', s, 'time', parts(editPolicy(base(t, s), s, sec, (d) => void delete d.expiration)));

    // --- each condition violated in turn
    add('condition violated: exact key', s, 'condition', parts(set(base(t, s, { key: 'agree/exact.bin' }), 'key', 'agree/other.bin')));
    add('condition violated: key prefix', s, 'condition', parts(set(base(t, s, { keyPrefix: 'agree/' }), 'key', 'elsewhere/x.bin')));
    add('condition violated: Content-Type prefix', s, 'condition', parts(set(base(t, s, { contentTypePrefix: 'image/' }), 'Content-Type', 'text/plain')));
    add('condition violated: x-amz-meta exact value', s, 'condition', parts(set(base(t, s, { fields: [['x-amz-meta-tag', 'blue']] }), 'x-amz-meta-tag', 'red')));
    add('condition violated: success_action_status', s, 'condition', parts(set(base(t, s, { fields: [['success_action_status', '201']] }), 'success_action_status', '200')));
    add('condition violated: bucket', s, 'condition', parts(base(t, s, { bucket: t.otherBucket })));
    add(
      'condition violated: array eq on a field',
      s,
      'condition',
      parts(
        editPolicy(base(t, s, { fields: [['x-amz-meta-color', 'blue']] }), s, sec, (d) => {
          d.conditions = d.conditions.map((c) => (c && typeof c === 'object' && !Array.isArray(c) && 'x-amz-meta-color' in c ? ['eq', '$x-amz-meta-color', 'red'] : c));
        }),
      ),
    );
    add('condition field missing from the form', s, 'condition', parts(drop(base(t, s, { fields: [['x-amz-meta-tag', 'blue']] }), 'x-amz-meta-tag')));
    if (s === 'v4') {
      add(
        'condition violated: x-amz-date differs from the policy',
        s,
        'condition',
        parts(
          set(
            base(t, s),
            'x-amz-date',
            (get(base(t, s), 'x-amz-date') as string).replace(/\d\dZ$/, '59Z').replace(/T(\d\d)/, (_m, h: string) => `T${h === '00' ? '01' : '00'}`),
          ),
        ),
      );
      add(
        'condition violated: x-amz-algorithm',
        s,
        'condition',
        parts(
          editPolicy(base(t, s), s, sec, (d) => {
            d.conditions = d.conditions.map((c) => (c && typeof c === 'object' && !Array.isArray(c) && 'x-amz-algorithm' in c ? { 'x-amz-algorithm': 'AWS4-HMAC-SHA1' } : c));
          }),
        ),
      );
    }

    // --- fields not covered by the policy
    add('extra field: Content-Type', s, 'extra', parts([...base(t, s), ['Content-Type', 'image/png']]));
    add('extra field: x-amz-meta-*', s, 'extra', parts([...base(t, s), ['x-amz-meta-extra', 'yes']]));
    add('extra field: submit button', s, 'extra', parts([...base(t, s), ['submit', 'Upload']]));

    // --- missing fields
    add('missing field: key', s, 'missing', parts(drop(base(t, s), 'key')));
    add('missing field: policy', s, 'missing', parts(drop(base(t, s), 'policy')));
    add('missing field: signature', s, 'missing', parts(drop(base(t, s), s === 'v4' ? 'x-amz-signature' : 'signature')));
    add(s === 'v4' ? 'missing field: x-amz-credential' : 'missing field: AWSAccessKeyId', s, 'missing', parts(drop(base(t, s), s === 'v4' ? 'x-amz-credential' : 'AWSAccessKeyId')));
    if (s === 'v4') {
      add('missing field: x-amz-date', s, 'missing', parts(drop(base(t, s), 'x-amz-date')));
      add('missing field: x-amz-algorithm', s, 'missing', parts(drop(base(t, s), 'x-amz-algorithm')));
    }

    // --- order and number of files
    {
      const f = base(t, s);
      add('file not last: key after the file', s, 'files', parts(drop(f, 'key'), FILE(), [['key', get(f, 'key') as string]]));
      add('file first: every field after it', s, 'files', parts([], FILE(), f));
      add('two files', s, 'files', [...parts(f), FILE(32, 'file')]);
      add('no file', s, 'files', parts(f, null));
    }

    // --- bucket
    add('wrong bucket: posted to another bucket', s, 'bucket', parts(base(t, s)), { path: `/${t.otherBucket}` });
    add('wrong bucket: no such bucket', s, 'bucket', parts(base(t, s, { bucket: 'pd-no-such-bucket' })), {
      path: '/pd-no-such-bucket',
      outside: { reason: 'which buckets exist is known only to the gateway: the form, its policy and its signature are all consistent', code: 'NoSuchBucket' },
    });

    // --- credentials and signature
    {
      const f = base(t, s);
      const policy = get(f, 'policy') as string;
      add('wrong secret', s, 'credentials', parts(repolicy(f, s, `${sec}-wrong`, policy)));
      // the form names a key id the gateway has, but the signature was made with another user's
      // secret: check, given the secret of the key the form names, sees the mismatch
      const claim = (key: string): Fields =>
        s === 'v4'
          ? editPolicy(set(f, 'x-amz-credential', (get(f, 'x-amz-credential') as string).replace(t.accessKey, key)), s, sec, (d) => {
              d.conditions = d.conditions.map((c) =>
                c && typeof c === 'object' && !Array.isArray(c) && 'x-amz-credential' in c ? { 'x-amz-credential': (c as Record<string, string>)['x-amz-credential']!.replace(t.accessKey, key) } : c,
              );
            })
          : set(f, 'AWSAccessKeyId', key);
      add("wrong access key: names another user's key", s, 'credentials', parts(claim(t.otherAccessKey)), { checkSecret: t.otherSecret });
      add('unknown access key', s, 'credentials', parts(claim('PDUNKNOWNKEY00000000')), {
        outside: { reason: 'which access keys exist is known only to the gateway: the signature is valid for the secret the user holds', code: 'AccessDenied' },
      });
      add('policy changed after signing', s, 'credentials', parts(set(f, 'policy', encode({ ...policyDoc(f), expiration: new Date(Date.now() + 3600_000).toISOString() }))));
      if (s === 'v4') {
        add('signature in uppercase hex', s, 'credentials', parts(set(f, 'x-amz-signature', (get(f, 'x-amz-signature') as string).toUpperCase())));
        const swapCred = (fields: Fields, edit: (c: string) => string): Fields => {
          const oldCred = get(fields, 'x-amz-credential') as string;
          const newCred = edit(oldCred);
          return editPolicy(set(fields, 'x-amz-credential', newCred), s, sec, (d) => {
            d.conditions = d.conditions.map((c) => (c && typeof c === 'object' && !Array.isArray(c) && 'x-amz-credential' in c ? { 'x-amz-credential': newCred } : c));
          });
        };
        add('wrong region in the credential', s, 'credentials', parts(swapCred(f, (c) => c.replace(`/${t.region}/`, '/eu-west-1/'))));
        add(
          'wrong date in the credential (3 days old)',
          s,
          'credentials',
          parts(
            swapCred(f, (c) => {
              const d = new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
              return c.replace(/\/\d{8}\//, `/${d}/`);
            }),
          ),
        );
      } else {
        add('signature in hex instead of base64', s, 'credentials', parts(set(f, 'signature', Buffer.from(get(f, 'signature') as string, 'base64').toString('hex'))));
      }
    }

    // --- size
    add('size below the range', s, 'size', parts(base(t, s, { minSize: 10, maxSize: 100 }), FILE(9)));
    add('size above the range', s, 'size', parts(base(t, s, { minSize: 10, maxSize: 100 }), FILE(101)));
    add('empty file with a minimum of 1', s, 'size', parts(base(t, s, { minSize: 1, maxSize: 100 }), FILE(0)));

    // --- policy text
    {
      const f = base(t, s);
      add('policy: bad base64', s, 'policy', parts(repolicy(f, s, sec, '%%%not-base64%%%')));
      add('policy: not JSON', s, 'policy', parts(repolicy(f, s, sec, Buffer.from('{"expiration": "2030-01-01T00:00:00Z", "conditions": [').toString('base64'))));
      add('policy: conditions not an array', s, 'policy', parts(editPolicy(f, s, sec, (d) => void ((d as Record<string, unknown>).conditions = { bucket: t.bucket }))));
      add('policy: unknown operator', s, 'policy', parts(editPolicy(f, s, sec, (d) => void d.conditions.push(['ends-with', '$key', '.bin']))));
    }

    // --- multipart framing (sent as captured)
    {
      const f = base(t, s);
      const b = `----AgreementBoundary${randomBytes(8).toString('hex')}`;
      const good = multipart(parts(f), b);
      addRaw('multipart: body uses another boundary', s, `multipart/form-data; boundary=${b}x`, good);
      addRaw('multipart: no closing delimiter', s, `multipart/form-data; boundary=${b}`, multipart(parts(f), b, CRLF, false));
      addRaw('multipart: no boundary parameter', s, 'multipart/form-data', good);
      addRaw('multipart: not multipart (urlencoded)', s, 'application/x-www-form-urlencoded', Buffer.from(f.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')));
      addRaw('multipart: bare LF line endings', s, `multipart/form-data; boundary=${b}`, multipart(parts(f), b, '\n'));
      const noDisp = Buffer.concat([Buffer.from(`--${b}\r\nX-Note: no disposition\r\n\r\nhello\r\n`), good]);
      addRaw('multipart: part without Content-Disposition', s, `multipart/form-data; boundary=${b}`, noDisp);
      const noName = Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; filename="note.txt"\r\n\r\nhello\r\n`), good]);
      addRaw('multipart: part with a filename but no name', s, `multipart/form-data; boundary=${b}`, noName);
      addRaw('multipart: cut before the file (no closing delimiter)', s, `multipart/form-data; boundary=${b}`, multipart(parts(f, null), b, CRLF, false));
    }
  }
  return out;
}
