// Helpers for the OBS and TOS end-to-end tests (obs-check.test.ts, tos-check.test.ts): the CLI
// run in-process on a JSON form input (what `post-doctor sign --format json` writes), an
// UploadRequest from form fields, and the SDKs' own signing made to sign a given policy text.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { type CliResult, runCli } from '../helpers/io.js';
import type { Finding, UploadRequest } from '../../src/core/types.js';

export const dir = mkdtempSync(join(tmpdir(), 'pd-obs-tos-'));

export type { CliResult };

/** When the forms are signed: the clock of the tests (useFixedClock). */
export const NOW = new Date('2030-01-01T00:00:00Z');
/** check runs a minute after the forms are signed. */
export const LATER = new Date('2030-01-01T00:01:00Z');

/** Date is NOW for the tests of the calling file. */
export function useFixedClock(): void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}

/** The findings that are errors. */
export const errors = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.severity === 'error');

/** `post-doctor <args>` in-process, with `env` as the environment and `dir` as the working directory. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env, cwd: dir });
}

/** A JSON form input (the shape `sign --format json` writes, read by src/input/jsonform.ts). */
export interface JsonForm {
  url: string;
  fields: Array<[string, string]>;
  file?: { name?: string; size?: number; contentType?: string; field?: string };
}

let n = 0;
/** Write a JSON form input to a file of `dir`; returns its path. */
export function writeForm(form: JsonForm, name = 'form'): string {
  const path = join(dir, `${name}-${++n}.json`);
  writeFileSync(path, JSON.stringify(form, null, 2));
  return path;
}

/** What `check --format json` prints, as far as these tests read it. */
export interface CheckJson {
  verdict: 'pass' | 'fail' | 'warn' | string;
  provider: string;
  signature: { scheme: string; checked: boolean; valid: boolean | null } | null;
  findings: Array<{ id: string; severity: string; field?: string | null; predicts: { status: number | null; code: string | null; message: string | null; ec?: string } | null }>;
}

/** `check <file> --format json`, with the secret from an environment variable. */
export async function checkJson(file: string, secret: string, now: Date, extra: string[] = []): Promise<CliResult & { json: CheckJson | null }> {
  const r = await cli(['check', file, '--secret-env', 'PD_SECRET', '--now', now.toISOString(), '--format', 'json', ...extra], { PD_SECRET: secret });
  return { ...r, json: r.code < 2 ? (JSON.parse(r.out) as CheckJson) : null };
}

/** An upload of the fields in order, then a file part of `size` bytes (content not held). */
export function uploadOf(url: string, fields: Array<[string, string]>, o: { size?: number; file?: boolean; filename?: string; contentType?: string } = {}): UploadRequest {
  const size = o.size ?? 100;
  const parts: UploadRequest['parts'] = fields.map(([name, value]) => ({ kind: 'field' as const, name, value }));
  if (o.file !== false) parts.push({ kind: 'file', name: 'file', filename: o.filename ?? 'photo.png', contentType: o.contentType ?? 'image/png', size, source: { type: 'generated', size } });
  return { method: 'POST', url, headers: [['Content-Type', 'multipart/form-data; boundary=----pdObsTos']], parts, boundary: '----pdObsTos', bodyProblems: [], notes: [] };
}

/** The fields with one value replaced (by name, case-insensitively). */
export function replaced(fields: Array<[string, string]>, name: string, value: string): Array<[string, string]> {
  return fields.map(([k, v]) => [k, k.toLowerCase() === name.toLowerCase() ? value : v]);
}

/** The fields without the named ones. */
export function without(fields: Array<[string, string]>, ...names: string[]): Array<[string, string]> {
  const drop = new Set(names.map((x) => x.toLowerCase()));
  return fields.filter(([k]) => !drop.has(k.toLowerCase()));
}

/** The decoded policy document of a form. */
export function policyOf(fields: Array<[string, string]>): { expiration: string; conditions: unknown[] } & Record<string, unknown> {
  const p = fields.find(([k]) => k.toLowerCase() === 'policy')![1];
  return JSON.parse(Buffer.from(p, 'base64').toString('utf8'));
}

/** base64 of a document's JSON text. */
export function b64json(doc: unknown): string {
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
}

/**
 * Run `fn` (an SDK's signing helper) while the SDK's own policy text is replaced by `policyJson`:
 * `Buffer.from(text, 'utf8')` of a text starting `{"expiration":` (esdk-obs-nodejs encodes the
 * policy it concatenated that way) and `JSON.stringify` of an object holding only expiration and
 * conditions (@volcengine/tos-sdk serialises its policy that way) give `policyJson` instead. The
 * SDK then signs post-doctor's policy with its own key chain and HMAC. Returns what `fn` returns.
 */
export async function withPolicyText<T>(policyJson: string, fn: () => T | Promise<T>): Promise<{ result: T; swapped: number }> {
  let swapped = 0;
  const origFrom = Buffer.from.bind(Buffer) as (...a: unknown[]) => Buffer;
  const origStringify = JSON.stringify;
  const fromSpy = vi.spyOn(Buffer, 'from').mockImplementation(((...a: unknown[]) => {
    if (typeof a[0] === 'string' && a[0].startsWith('{"expiration":') && (a[1] === 'utf8' || a[1] === 'utf-8')) {
      swapped++;
      return origFrom(policyJson, 'utf8');
    }
    return origFrom(...a);
  }) as typeof Buffer.from);
  const stringifySpy = vi.spyOn(JSON, 'stringify').mockImplementation(((v: unknown, ...rest: unknown[]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).join(',') === 'expiration,conditions') {
      swapped++;
      return policyJson;
    }
    return (origStringify as (...a: unknown[]) => string)(v, ...rest);
  }) as typeof JSON.stringify);
  try {
    const result = await fn();
    return { result, swapped };
  } finally {
    fromSpy.mockRestore();
    stringifySpy.mockRestore();
  }
}
