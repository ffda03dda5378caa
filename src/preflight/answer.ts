// Reading a signing endpoint's answer: the common shapes applications return for a browser
// POST upload, turned into an upload URL and form fields in order.
//   s3      {url, fields}                 (S3/GCS presigned-post helpers; fields an object or pairs)
//   oss     {accessid, host, policy, signature, dir, expire, callback?}  (OSS web-upload samples,
//           also the V4 sample's x_oss_* names)
//   cos     {policy, q-ak, q-key-time, q-signature, q-sign-algorithm, key?, url?}  (also the
//           camelCase names of the COS samples: qAk, qKeyTime, cosHost, cosKey, securityToken...)
//   path    the object at --fields-path (fields), the upload URL next to it or at the top
//   form    any object holding a policy among field-like members and a url/host/action

import { InputError, jsonErrorText } from '../core/errors.js';
import { maskText } from '../core/mask.js';
import type { ProviderId } from '../core/types.js';

export type AnswerShape = 's3' | 'oss' | 'cos' | 'path' | 'form';

export interface SignerAnswer {
  shape: AnswerShape;
  /** Upload URL (absolute), or null when the answer carries none. */
  url: string | null;
  /** Form fields in the order to send them. */
  fields: Array<[string, string]>;
  /** OSS `dir`: the key prefix the signer allows. */
  dir?: string;
  /** Provider the shape itself names (oss/cos shapes), when it does. */
  provider?: ProviderId;
  /** Where in the answer the form was found ("$", "$.data", the --fields-path). */
  at: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Case-insensitive member lookup. */
function member(o: Obj, ...names: string[]): unknown {
  for (const n of names) {
    if (n in o) return o[n];
    const k = Object.keys(o).find((x) => x.toLowerCase() === n.toLowerCase());
    if (k !== undefined) return o[k];
  }
  return undefined;
}

/** A host without scheme ("bucket.oss-cn-hangzhou.aliyuncs.com") becomes an https URL. */
export function absoluteUrl(v: unknown): string | null {
  const s = scalar(v)?.trim();
  if (!s) return null;
  if (/^https?:\/\//i.test(s)) return s;
  if (s.startsWith('//')) return `https:${s}`;
  if (/^[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/.test(s) && s.includes('.')) return `https://${s}`;
  return null;
}

/** Form fields from an object ({name: value}) or a list ([[name, value]] / [{name, value}]). */
export function fieldPairs(v: unknown, where: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      if (Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && scalar(x[1]) !== null) out.push([x[0], scalar(x[1]) as string]);
      else if (isObj(x) && typeof member(x, 'name', 'key') === 'string' && scalar(member(x, 'value')) !== null) out.push([member(x, 'name', 'key') as string, scalar(member(x, 'value')) as string]);
      else throw new InputError(`${where}[${i}] is not a [name, value] pair or {name, value}`);
    }
    return out;
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const s = scalar(x);
      if (s === null) {
        if (x === null || x === undefined) continue;
        throw new InputError(`${where}.${k} is not a string, number or boolean`);
      }
      out.push([k, s]);
    }
    return out;
  }
  throw new InputError(`${where} is not an object or a list of fields`);
}

// ---------------------------------------------------------------------------
// Shapes.

const OSS_NAMES: Record<string, string> = {
  accessid: 'OSSAccessKeyId',
  ossaccesskeyid: 'OSSAccessKeyId',
  policy: 'policy',
  signature: 'Signature',
  callback: 'callback',
  x_oss_signature_version: 'x-oss-signature-version',
  x_oss_credential: 'x-oss-credential',
  x_oss_date: 'x-oss-date',
  x_oss_signature: 'x-oss-signature',
  security_token: 'x-oss-security-token',
  securitytoken: 'x-oss-security-token',
  x_oss_security_token: 'x-oss-security-token',
  success_action_status: 'success_action_status',
  key: 'key',
};
const OSS_META = new Set(['host', 'dir', 'expire', 'url']);

function isOss(o: Obj): boolean {
  const keys = Object.keys(o).map((k) => k.toLowerCase());
  const has = (k: string): boolean => keys.includes(k);
  return has('policy') && (has('accessid') || has('ossaccesskeyid') || has('x_oss_credential') || has('x-oss-credential')) && (has('host') || has('dir') || has('signature') || has('x_oss_signature'));
}

function ossAnswer(o: Obj, at: string): SignerAnswer {
  const v4 = Object.keys(o).some((k) => /^x[_-]oss[_-]credential$/i.test(k));
  const fields: Array<[string, string]> = [];
  for (const [k, x] of Object.entries(o)) {
    const lk = k.toLowerCase();
    if (OSS_META.has(lk)) continue;
    const s = scalar(x);
    if (s === null) continue;
    let name = OSS_NAMES[lk] ?? (lk.startsWith('x_oss_') ? lk.replace(/_/g, '-') : k);
    if (lk === 'signature' && v4) name = 'x-oss-signature';
    fields.push([name, s]);
  }
  const dir = scalar(member(o, 'dir')) ?? undefined;
  const a: SignerAnswer = { shape: 'oss', url: absoluteUrl(member(o, 'host', 'url')), fields, provider: 'oss', at };
  if (dir !== undefined) a.dir = dir;
  return a;
}

const COS_NAMES: Record<string, string> = {
  qak: 'q-ak',
  qkeytime: 'q-key-time',
  qsignalgorithm: 'q-sign-algorithm',
  qsignature: 'q-signature',
  securitytoken: 'x-cos-security-token',
  xcossecuritytoken: 'x-cos-security-token',
  coskey: 'key',
  key: 'key',
  policy: 'policy',
};
const COS_META = new Set(['url', 'coshost', 'host', 'bucket', 'region', 'expiration', 'expiredtime', 'starttime', 'dir']);

function squash(k: string): string {
  return k.toLowerCase().replace(/[-_]/g, '');
}

function isCos(o: Obj): boolean {
  const keys = Object.keys(o).map(squash);
  return keys.includes('policy') && keys.includes('qak') && keys.includes('qsignature');
}

function cosAnswer(o: Obj, at: string): SignerAnswer {
  const fields: Array<[string, string]> = [];
  for (const [k, x] of Object.entries(o)) {
    const sk = squash(k);
    if (COS_META.has(sk)) continue;
    const s = scalar(x);
    if (s === null) continue;
    fields.push([k.startsWith('q-') || k.startsWith('x-cos-') ? k : (COS_NAMES[sk] ?? k), s]);
  }
  let url = absoluteUrl(member(o, 'url', 'cosHost', 'host'));
  if (!url) {
    const bucket = scalar(member(o, 'bucket'));
    const region = scalar(member(o, 'region'));
    if (bucket && region) url = `https://${bucket}.cos.${region}.myqcloud.com/`;
  }
  return { shape: 'cos', url, fields, provider: 'cos', at };
}

function isUrlFields(o: Obj): boolean {
  const f = member(o, 'fields', 'formData', 'formFields');
  return (isObj(f) || Array.isArray(f)) && absoluteUrl(member(o, 'url', 'action', 'host', 'endpoint')) !== null;
}

function urlFieldsAnswer(o: Obj, at: string): SignerAnswer {
  const f = member(o, 'fields', 'formData', 'formFields');
  return { shape: 's3', url: absoluteUrl(member(o, 'url', 'action', 'host', 'endpoint')), fields: fieldPairs(f, `${at}.fields`), at };
}

function hasPolicyField(pairs: Array<[string, string]>): boolean {
  return pairs.some(([k]) => k.toLowerCase() === 'policy');
}

/** An answer object in one of the known shapes, or null. */
function readShape(o: Obj, at: string): SignerAnswer | null {
  if (isUrlFields(o)) return urlFieldsAnswer(o, at);
  if (isCos(o)) return cosAnswer(o, at);
  if (isOss(o)) return ossAnswer(o, at);
  // a flat form: field-like members with a policy, plus a url/host/action
  if ('policy' in o || 'Policy' in o) {
    const url = absoluteUrl(member(o, 'url', 'action', 'host', 'endpoint'));
    const fields: Array<[string, string]> = [];
    for (const [k, x] of Object.entries(o)) {
      if (['url', 'action', 'host', 'endpoint'].includes(k.toLowerCase())) continue;
      const s = scalar(x);
      if (s !== null) fields.push([k, s]);
    }
    return { shape: 'form', url, fields, at };
  }
  return null;
}

/** Parse a JSON path: "data.form.fields", "$.data.items[0].fields", "data['x-y']". */
export function parsePath(path: string): Array<string | number> {
  const p = path.trim().replace(/^\$\.?/, '');
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(p)) !== null) {
    const between = p.slice(last, m.index);
    if (between !== '' && between !== '.') throw new InputError(`fieldsPath: cannot read '${path}'`, { about: 'fieldsPath' });
    last = re.lastIndex;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] as string);
  }
  if (p.slice(last) !== '') throw new InputError(`fieldsPath: cannot read '${path}'`, { about: 'fieldsPath' });
  return out;
}

function at(path: Array<string | number>): string {
  return `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

/** Read a signer's answer (JSON text). `fieldsPath` names where the form fields are. */
export function parseSignerAnswer(text: string, opts: { fieldsPath?: string } = {}): SignerAnswer {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // (masked: what a broken signer prints instead may hold its credentials)
    const head = maskText(text.trim().slice(0, 320).replace(/\s+/g, ' ')).slice(0, 80);
    throw new InputError(`the signer's answer is not JSON (${jsonErrorText(e)}); it starts with: ${head || '(empty)'}`, { source: 'signer' });
  }
  if (opts.fieldsPath !== undefined) {
    const path = parsePath(opts.fieldsPath);
    const chain: unknown[] = [doc];
    let cur: unknown = doc;
    for (const [i, seg] of path.entries()) {
      const next = typeof seg === 'number' ? (Array.isArray(cur) ? cur[seg] : undefined) : isObj(cur) ? cur[seg] : undefined;
      if (next === undefined) throw new InputError(`fieldsPath: the answer has nothing at ${at(path.slice(0, i + 1))}`, { source: 'signer', about: 'fieldsPath' });
      cur = next;
      chain.push(cur);
    }
    if (isObj(cur)) {
      const shaped = isUrlFields(cur) || isCos(cur) || isOss(cur) ? readShape(cur, at(path)) : null;
      if (shaped) return shaped;
    }
    const fields = fieldPairs(cur, at(path));
    // the upload URL: next to the fields, else further up
    let url: string | null = null;
    for (let i = chain.length - 2; i >= 0 && url === null; i--) {
      const o = chain[i];
      if (isObj(o)) url = absoluteUrl(member(o, 'url', 'action', 'host', 'endpoint', 'uploadUrl', 'cosHost'));
    }
    return { shape: 'path', url, fields, at: at(path) };
  }
  // the answer itself, else common envelopes ({data: ...}, {result: ...}, two levels at most)
  const queue: Array<{ v: unknown; path: string; depth: number }> = [{ v: doc, path: '$', depth: 0 }];
  while (queue.length) {
    const { v, path, depth } = queue.shift() as { v: unknown; path: string; depth: number };
    if (!isObj(v)) continue;
    const shaped = readShape(v, path);
    if (shaped && (shaped.shape !== 'form' || hasPolicyField(shaped.fields))) return shaped;
    if (depth < 2) for (const [k, x] of Object.entries(v)) if (isObj(x)) queue.push({ v: x, path: `${path}.${k}`, depth: depth + 1 });
  }
  throw new InputError("the signer's answer is not a known upload-form shape ({url, fields}; OSS {accessid, host, policy, signature, dir}; COS {policy, q-ak, q-key-time, q-signature})", {
    source: 'signer',
    option: 'fieldsPath',
  });
}
