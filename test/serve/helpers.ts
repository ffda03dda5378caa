// Helpers for the serve tests: a sandbox bucket on loopback, forms signed with `sign`, and
// the raw answer of a POST.
import { SandboxBucket, type Diagnosis, type ServeOptions } from '../../src/serve/index.js';
import { sign, type SignOptions, type SignedForm } from '../../src/sign/index.js';

/** The providers the sandbox behaves like (every ProviderId). */
export type SandboxProvider = 'cos' | 'oss' | 's3' | 'gcs' | 'obs' | 'tos';

export const SECRET = 'sandbox-secret-0123456789abcdefXYZ';
export const AK: Record<SandboxProvider, string> = {
  cos: 'AKIDsandboxAccessKey0123456789abcd',
  oss: 'LTAIsandboxAccessKey0123',
  s3: 'AKIASANDBOXACCESSKEY',
  gcs: 'GOOG1ESANDBOXHMACACCESSID0123456789',
  obs: 'OBSSANDBOXACCESSKEY01',
  tos: 'AKLTsandboxAccessKey0123456789',
};
export const BUCKET: Record<SandboxProvider, string> = {
  cos: 'examplebucket-1250000000',
  oss: 'example-bucket',
  s3: 'example-bucket',
  gcs: 'example-bucket',
  obs: 'example-bucket',
  tos: 'example-bucket',
};
export const REGION: Record<SandboxProvider, string | undefined> = { cos: 'ap-beijing', oss: 'cn-hangzhou', s3: 'us-east-1', gcs: undefined, obs: 'cn-north-4', tos: 'cn-beijing' };
/** When the forms are signed; the sandbox's "now" is a minute later. */
export const SIGNED_AT = new Date('2030-03-01T10:00:00Z');
export const SERVE_NOW = new Date('2030-03-01T10:01:00Z');

export interface Running {
  sb: SandboxBucket;
  url: string;
  /** Where forms are posted: the root for COS/OSS/OBS/TOS, path-style /<bucket> for S3/GCS. */
  endpoint: string;
  diags: Diagnosis[];
  close: () => Promise<void>;
}

export async function startSandbox(provider: SandboxProvider, opts: Partial<ServeOptions> = {}): Promise<Running> {
  const diags: Diagnosis[] = [];
  const sb = new SandboxBucket({ provider, secret: SECRET, bucket: BUCKET[provider], now: SERVE_NOW, ...opts, onDiagnosis: (d) => diags.push(d) });
  const url = await sb.listen();
  const endpoint = provider === 's3' || provider === 'gcs' ? `${url}${BUCKET[provider]}` : url;
  return { sb, url, endpoint, diags, close: () => sb.close() };
}

export function signedForm(provider: SandboxProvider, endpoint: string, over: Partial<SignOptions> = {}): SignedForm {
  return sign({
    provider,
    bucket: BUCKET[provider],
    ...(REGION[provider] ? { region: REGION[provider] } : {}),
    keyPrefix: 'uploads/',
    now: SIGNED_AT,
    expiresAt: new Date(SIGNED_AT.getTime() + 3600_000),
    accessKeyId: AK[provider],
    secret: SECRET,
    endpoint,
    ...over,
  });
}

export interface FormOptions {
  key?: string;
  /** Extra fields appended before the file. */
  extra?: Array<[string, string]>;
  /** Fields placed after the file. */
  after?: string[];
  /** Field values replaced. */
  replace?: Record<string, string>;
  content?: string;
  filename?: string;
}

export function formData(form: SignedForm, o: FormOptions = {}): FormData {
  const fd = new FormData();
  const after = new Set(o.after ?? []);
  const value = (k: string, v: string): string => o.replace?.[k] ?? (k === 'key' ? (o.key ?? 'uploads/photo.txt') : v);
  for (const [k, v] of form.fields) if (!after.has(k)) fd.append(k, value(k, v));
  for (const [k, v] of o.extra ?? []) fd.append(k, v);
  fd.append('file', new Blob([o.content ?? 'hello from the sandbox\n'], { type: 'text/plain' }), o.filename ?? 'photo.txt');
  for (const [k, v] of form.fields) if (after.has(k)) fd.append(k, value(k, v));
  return fd;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: string;
}

export async function post(url: string, body: FormData | string | Uint8Array, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await fetch(url, { method: 'POST', body, headers, redirect: 'manual' });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

/** A whole HTTP response text (what `explain` reads). */
export function responseText(r: Reply): string {
  const lines = [`HTTP/1.1 ${r.status} X`];
  r.headers.forEach((v, k) => {
    lines.push(`${k}: ${v}`);
  });
  return `${lines.join('\r\n')}\r\n\r\n${r.body}`;
}

export function xmlElement(body: string, name: string): string | null {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return m
    ? (m[1] as string)
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    : null;
}

/** A TOS error answer's JSON document (TOS answers in JSON, not XML); null when the body is not one. */
export function jsonError(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Sandboxes started through the returned function are closed after each test (register in the
 * test file: `const sandbox = sandboxesClosedAfterEach(afterEach)`).
 */
export function sandboxesClosedAfterEach(afterEach: (fn: () => Promise<void>) => void): (...args: Parameters<typeof startSandbox>) => Promise<Running> {
  let running: Running[] = [];
  afterEach(async () => {
    await Promise.all(running.map((r) => r.close()));
    running = [];
  });
  return async (...args) => {
    const r = await startSandbox(...args);
    running.push(r);
    return r;
  };
}
