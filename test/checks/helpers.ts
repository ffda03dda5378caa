// Hand-built requests and a runner for the COS / OSS / endpoint check tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/check/index.js';
import type { Check } from '../../src/check/types.js';
import { renderFinding } from '../../src/core/catalogue.js';
import type { Finding, Part, ProviderId, UploadRequest } from '../../src/core/types.js';
import { parseRawHttp } from '../../src/input/raw.js';

export function b64(doc: unknown): string {
  return Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)).toString('base64');
}

export const f = (name: string, value: string): Part => ({ kind: 'field', name, value });

export function filePart(filename: string | null = 'photo.jpg', name = 'file'): Part {
  return { kind: 'file', name, filename, contentType: 'image/jpeg', size: 1024, source: { type: 'generated', size: 1024 } };
}

export function request(url: string | null, parts: Part[]): UploadRequest {
  return {
    method: 'POST',
    url,
    headers: [['Content-Type', 'multipart/form-data; boundary=----b']],
    parts,
    boundary: '----b',
    bodyProblems: [],
    notes: [],
  };
}

export interface RunOptions {
  now?: Date;
  serverTime?: Date | null;
}

/** Run one check through the engine; every finding must render from the catalogue. */
export async function run(c: Check, req: UploadRequest, provider: ProviderId, opts: RunOptions = {}): Promise<Finding[]> {
  const res = await check(req, { provider, checks: [c], now: opts.now ?? new Date('2019-08-29T08:00:00Z'), serverTime: opts.serverTime ?? null });
  for (const x of res.findings) renderFinding(x, 'en');
  return res.findings;
}

export const ids = (fs: Finding[]): string[] => fs.map((x) => x.id);

export async function fixture(name: string): Promise<UploadRequest> {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
  return parseRawHttp({ text, path: null, source: name });
}

// --- COS -------------------------------------------------------------------------------

export const COS_HOST = 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/';
export const COS_AK = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
export const KEY_TIME = '1567064374;1567071574';

export function cosPolicy(extra: unknown[] = [], over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    expiration: '2019-08-29T09:39:34.000Z',
    conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': COS_AK }, { 'q-sign-time': KEY_TIME }, ...extra],
    ...over,
  };
}

export interface CosForm {
  url?: string | null;
  policy?: unknown;
  key?: string | null;
  fields?: Part[];
  qak?: string;
  keyTime?: string;
  algorithm?: string;
  filename?: string | null;
  omit?: string[];
}

export function cosForm(o: CosForm = {}): UploadRequest {
  const parts: Part[] = [];
  if (o.key !== null) parts.push(f('key', o.key ?? 'folder/photo.jpg'));
  parts.push(...(o.fields ?? []));
  parts.push(f('policy', b64(o.policy ?? cosPolicy())));
  parts.push(f('q-sign-algorithm', o.algorithm ?? 'sha1'));
  parts.push(f('q-ak', o.qak ?? COS_AK));
  parts.push(f('q-key-time', o.keyTime ?? KEY_TIME));
  parts.push(f('q-signature', '7758dc9a832e9d301dca704cacbf9d9f8172fdef'));
  const kept = parts.filter((p) => !(o.omit ?? []).includes(p.name));
  kept.push(filePart(o.filename === undefined ? 'photo.jpg' : o.filename));
  return request(o.url === undefined ? COS_HOST : o.url, kept);
}

// --- OSS -------------------------------------------------------------------------------

export const OSS_HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/';
export const OSS_AK = 'LTAI5tExampleAccessKey1';

export function ossPolicy(conditions: unknown[] = [], over: Record<string, unknown> = {}): Record<string, unknown> {
  return { expiration: '2030-01-01T12:00:00.000Z', conditions: [['content-length-range', 0, 1048576000], ...conditions], ...over };
}

export function ossForm(o: { url?: string | null; policy?: unknown; key?: string | null; fields?: Part[]; ak?: string; omit?: string[]; filename?: string } = {}): UploadRequest {
  const parts: Part[] = [];
  if (o.key !== null) parts.push(f('key', o.key ?? 'user/photo.jpg'));
  parts.push(f('OSSAccessKeyId', o.ak ?? OSS_AK));
  parts.push(f('policy', b64(o.policy ?? ossPolicy())));
  parts.push(f('Signature', 'bm90LWEtcmVhbC1zaWduYXR1cmU='));
  parts.push(...(o.fields ?? []));
  const kept = parts.filter((p) => !(o.omit ?? []).includes(p.name));
  kept.push(filePart(o.filename ?? 'photo.jpg'));
  return request(o.url === undefined ? OSS_HOST : o.url, kept);
}

export const V4_DATE = '20291231T120000Z';
export const V4_CRED = `${OSS_AK}/20291231/cn-hangzhou/oss/aliyun_v4_request`;

export function ossV4Form(o: { url?: string; version?: string; credential?: string; date?: string; policy?: unknown; omit?: string[]; extra?: Part[] } = {}): UploadRequest {
  const version = o.version ?? 'OSS4-HMAC-SHA256';
  const credential = o.credential ?? V4_CRED;
  const date = o.date ?? V4_DATE;
  const policy = o.policy ?? ossPolicy([{ 'x-oss-signature-version': version }, { 'x-oss-credential': credential }, { 'x-oss-date': date }], { expiration: '2029-12-31T13:00:00.000Z' });
  const parts: Part[] = [
    f('key', 'user/photo.jpg'),
    f('x-oss-signature-version', version),
    f('x-oss-credential', credential),
    f('x-oss-date', date),
    f('policy', b64(policy)),
    f('x-oss-signature', 'a'.repeat(64)),
    ...(o.extra ?? []),
  ].filter((p) => !(o.omit ?? []).includes(p.name));
  parts.push(filePart());
  return request(o.url ?? OSS_HOST, parts);
}

export const V4_NOW = new Date('2029-12-31T12:05:00Z');
