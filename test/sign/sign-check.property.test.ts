// Property: whatever the options, the form `sign` produces passes `check` — verdict pass,
// signature recomputed and valid with the same secret — for every provider and version.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, type Check } from '../../src/check/index.js';
import { checks as defaultChecks } from '../../src/checks/index.js';
import type { ProviderId, UploadRequest } from '../../src/core/types.js';
import { isFullMimeType, sign, type SignOptions, type SignedForm } from '../../src/sign/index.js';

const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = `${alnum}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const str = (chars: string, minLength: number, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...chars.split('')), minLength, maxLength });

// Key and file-name characters: spaces, quotes, percent, non-ASCII on purpose.
const KEY_CHARS = `${ALNUM}-_. /'"%&+=é日`;
const keyPart = (min: number, max: number): fc.Arbitrary<string> => str(KEY_CHARS, min, max);
const fileName = str(`${ALNUM}-_. 'é日`, 1, 20).filter((s) => s.trim() !== '');

type Scheme = { provider: ProviderId; version?: string };
const SCHEMES: Scheme[] = [
  { provider: 'cos' },
  { provider: 'oss', version: 'v1' },
  { provider: 'oss', version: 'v4' },
  { provider: 'oss' },
  { provider: 's3', version: 'v4' },
  { provider: 's3', version: 'v2' },
  { provider: 's3' },
  { provider: 'gcs' },
  { provider: 'obs' },
  { provider: 'obs', version: 'obs' },
  { provider: 'obs', version: 'v2' },
  { provider: 'obs', version: 'v4' },
  { provider: 'tos' },
  { provider: 'tos', version: 'v4' },
];

const REGIONS: Record<ProviderId, string[]> = {
  cos: ['ap-beijing', 'ap-guangzhou', 'na-siliconvalley'],
  oss: ['cn-hangzhou', 'ap-southeast-1', 'oss-cn-beijing'],
  s3: ['us-east-1', 'eu-central-1', 'ap-northeast-1'],
  gcs: ['auto'],
  obs: ['cn-north-4', 'ap-southeast-1', 'eu-west-101'],
  tos: ['cn-beijing', 'cn-guangzhou', 'ap-southeast-1'],
};
const META: Record<ProviderId, string> = { cos: 'x-cos-meta-', oss: 'x-oss-meta-', s3: 'x-amz-meta-', gcs: 'x-goog-meta-', obs: 'x-obs-meta-', tos: 'x-tos-meta-' };
/** The metadata prefix of a scheme: OBS's S3-compatible forms carry Amazon's. */
const metaOf = (s: Scheme): string => (s.provider === 'obs' && (s.version === 'v2' || s.version === 'v4') ? 'x-amz-meta-' : META[s.provider]);

const bucketFor = (p: ProviderId): fc.Arbitrary<string> => {
  const name = fc.tuple(str(alnum, 1, 1), str(`${alnum}-`, 1, 18), str(alnum, 1, 1)).map((t) => t.join(''));
  return p === 'cos' ? fc.tuple(name, fc.integer({ min: 1250000000, max: 1259999999 })).map(([n, a]) => `${n}-${a}`) : name;
};

const keyMode = (provider: ProviderId): fc.Arbitrary<Pick<SignOptions, 'key' | 'keyPrefix'>> => {
  const part = keyPart(0, 20).filter((s) => provider !== 'oss' || !/^[/\\]/.test(s));
  const nonEmpty = keyPart(1, 30).filter((s) => provider !== 'oss' || !/^[/\\]/.test(s));
  return fc.oneof(
    fc.record({ key: nonEmpty }),
    fc.tuple(part, keyPart(0, 8)).map(([a, b]) => ({ key: `${a}\${filename}${b}` })),
    fc.record({ keyPrefix: part }),
    fc
      .tuple(part, keyPart(0, 10), fc.boolean())
      .map(([p, rest, withName]) => ({ keyPrefix: p, key: `${p}${rest}${withName ? '${filename}' : ''}` }))
      .filter((o) => o.key !== '' && (provider !== 'oss' || !/^[/\\]/.test(o.key))),
    fc.constant({}),
  );
};

const sizes: fc.Arbitrary<{ minSize?: number; maxSize?: number }> = fc.oneof<fc.Arbitrary<{ minSize?: number; maxSize?: number }>[]>(
  fc.constant({}),
  fc.integer({ min: 0, max: 10_000_000 }).map((maxSize) => ({ maxSize })),
  fc.integer({ min: 0, max: 1_000_000 }).map((minSize) => ({ minSize })),
  fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 5_000_000 })).map(([minSize, d]) => ({ minSize, maxSize: minSize + d })),
);

/** Content-Type condition: none, a full type, or a prefix (which the user must complete). */
const contentType = fc.oneof(fc.constant(undefined), fc.constantFrom('image/png', 'application/pdf', 'text/plain'), fc.constantFrom('image/', 'text', 'application/vnd.', 'video/'));

const extraFields = (prefix: string): fc.Arbitrary<Array<[string, string]>> => {
  const meta = fc.tuple(str(`${alnum}-`, 1, 10), fc.string({ maxLength: 30 })).map(([n, v]) => [`${prefix}${n}`, v] as [string, string]);
  const status = fc.constantFrom('200', '201', '204').map((v) => ['success_action_status', v] as [string, string]);
  return fc.uniqueArray(fc.oneof(meta, status), { maxLength: 3, selector: ([n]) => n.toLowerCase() });
};

interface Case {
  opts: SignOptions;
  file: { filename: string; type: string; size: number; ctSuffix: string };
}

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...SCHEMES).chain((s) => {
  const p = s.provider;
  // schemes with a longest validity: GCS, OSS V4, OBS's S3-compatible V4
  const limited = p === 'gcs' || (p === 'oss' && s.version !== 'v1') || (p === 'obs' && s.version === 'v4');
  const tokenArb = p === 'gcs' ? fc.constant(undefined) : fc.option(str(`${ALNUM}+/=`, 10, 200), { nil: undefined });
  return fc
    .record({
      bucket: bucketFor(p),
      region: fc.constantFrom(...REGIONS[p]),
      keys: keyMode(p),
      sizes,
      contentTypePrefix: contentType,
      fields: extraFields(metaOf(s)),
      token: tokenArb,
      ak: str(ALNUM, 16, 36),
      secret: str(`${ALNUM}+/`, 20, 44),
      nowSec: fc.integer({ min: 1_450_000_000, max: 2_050_000_000 }),
      nowMs: fc.integer({ min: 0, max: 999 }),
      validity: fc.integer({ min: 60, max: limited ? 7 * 86400 : 30 * 86400 }),
      endpoint: p === 's3' || p === 'obs' || p === 'tos' ? fc.boolean() : fc.constant(false),
      filename: fileName,
      ctSuffix: str(alnum, 1, 8),
      sizeSeed: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((r) => {
      const now = new Date(r.nowSec * 1000 + r.nowMs);
      // a temporary key: OSS STS keys start with "STS."
      const accessKeyId = r.token !== undefined && p === 'oss' ? `STS.${r.ak}` : r.ak;
      const opts: SignOptions = {
        provider: p,
        bucket: r.bucket,
        region: r.region,
        ...r.keys,
        ...r.sizes,
        fields: r.fields,
        now,
        expiresAt: new Date(r.nowSec * 1000 + r.validity * 1000),
        accessKeyId,
        secret: r.secret,
      };
      if (s.version) opts.signatureVersion = s.version;
      if (r.contentTypePrefix !== undefined) opts.contentTypePrefix = r.contentTypePrefix;
      if (r.token !== undefined) opts.token = r.token;
      // S3: a path-style local stand-in; OBS and TOS: a custom domain bound to the bucket
      if (r.endpoint) opts.endpoint = p === 's3' ? `http://localhost:9000/${r.bucket}` : 'https://uploads.example.com/';
      const min = r.sizes.minSize ?? 0;
      const max = r.sizes.maxSize ?? min + 1_000_000;
      const size = min + Math.floor(r.sizeSeed * (max - min));
      const ct = r.contentTypePrefix;
      const type = ct === undefined ? 'application/octet-stream' : isFullMimeType(ct) ? ct : `${ct}${ct.includes('/') ? '' : '/'}${r.ctSuffix}`;
      return { opts, file: { filename: r.filename, type, size, ctSuffix: r.ctSuffix } };
    });
});

/** The upload a browser would send: the signed fields in order, then the file. */
function toRequest(form: SignedForm, file: Case['file'], fields = form.fields): UploadRequest {
  return {
    method: 'POST',
    url: form.url,
    headers: [['Content-Type', 'multipart/form-data; boundary=----pdSignBoundary']],
    parts: [
      ...fields.map(([name, value]) => ({ kind: 'field' as const, name, value })),
      { kind: 'file', name: form.file.field, filename: file.filename, contentType: file.type, size: file.size, source: { type: 'generated', size: file.size } },
    ],
    boundary: '----pdSignBoundary',
    bodyProblems: [],
    notes: [],
  };
}

/** The form as the user completes it: a stand-in value replaced with a real one. */
function completed(form: SignedForm, file: Case['file']): Array<[string, string]> {
  const needs = new Map(form.needs.map((n) => [n.field, n]));
  return form.fields.map(([k, v]) => (needs.has(k) ? [k, file.type] : [k, v]));
}

// Every check the repository has, registered or not yet (provider checks are added to the
// default list as they are finished): the signed form must satisfy all of them.
const allChecks: Check[] = [...defaultChecks];
beforeAll(async () => {
  const dir = join(__dirname, '../../src/checks');
  const seen = new Set(allChecks.map((c) => c.id));
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
    const mod = (await import(join(dir, f))) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      const c = v as Check;
      if (c && typeof c === 'object' && typeof c.id === 'string' && Array.isArray(c.providers) && typeof c.run === 'function' && !seen.has(c.id)) {
        seen.add(c.id);
        allChecks.push(c);
      }
    }
  }
});

function describeFailure(result: Awaited<ReturnType<typeof check>>): string {
  return JSON.stringify({ findings: result.findings.filter((f) => f.severity !== 'info'), signature: result.signature && { ...result.signature, steps: undefined } }, null, 1);
}

describe('sign -> check', () => {
  it('every check in src/checks is in the one explicit list', () => {
    const unregistered = allChecks.filter((c) => !defaultChecks.includes(c)).map((c) => c.id);
    expect(unregistered).toEqual([]);
    expect(new Set(defaultChecks.map((c) => c.id)).size).toBe(defaultChecks.length);
    for (const p of ['cos', 'oss', 's3', 'gcs', 'obs', 'tos'])
      expect(
        defaultChecks.some((c) => c.id.startsWith(`${p}.`)),
        p,
      ).toBe(true);
  });

  it('every signed form passes check with a valid signature', async () => {
    const seenSchemes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ opts, file }) => {
        const form = sign(opts);
        seenSchemes.add(form.scheme);
        expect(form.fields.some(([k]) => k === form.file.field)).toBe(false);
        for (const fields of form.needs.length ? [form.fields, completed(form, file)] : [form.fields]) {
          const req = toRequest(form, file, fields);
          for (const list of [undefined, allChecks]) {
            const o: Parameters<typeof check>[1] = { provider: opts.provider, now: opts.now, secret: opts.secret };
            if (list) o.checks = list;
            const result = await check(req, o);
            if (result.verdict !== 'pass' || !result.signature?.valid) throw new Error(`${form.scheme}: ${describeFailure(result)}`);
            expect(result.signature?.checked).toBe(true);
            expect(result.signature?.valid).toBe(true);
            expect(result.signature?.scheme).toBe(form.scheme);
            expect(result.findings.some((f) => f.id === 'signature.valid')).toBe(true);
          }
        }
        // the same form checked with another secret must not pass
        const wrong = await check(toRequest(form, file), { provider: opts.provider, now: opts.now, secret: `${opts.secret}x` });
        expect(wrong.verdict).toBe('fail');
        expect(wrong.signature?.valid).toBe(false);
      }),
      { numRuns: 600 },
    );
    expect([...seenSchemes].sort()).toEqual(['cos-sha1', 'gcs-hmac', 'obs-native', 'obs-s3-v2', 'obs-s3-v4', 'oss-v1', 'oss-v4', 's3-v2', 's3-v4', 'tos-v4']);
  });

  it('S3 and GCS: every field except the exempt ones is covered by a condition', () => {
    const EXEMPT = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'x-goog-signature', 'file']);
    fc.assert(
      fc.property(
        caseArb.filter((c) => c.opts.provider === 's3' || c.opts.provider === 'gcs'),
        ({ opts }) => {
          const form = sign(opts);
          const covered = new Set(form.policy.conditions.map((c) => (Array.isArray(c) ? String(c[1]).replace(/^\$/, '') : Object.keys(c as object)[0]!).toLowerCase()));
          for (const [name] of form.fields) {
            const n = name.toLowerCase();
            if (EXEMPT.has(n) || n.startsWith('x-ignore-')) continue;
            expect(covered.has(n), name).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  // OBS (API reference "POST Upload") and TOS (EC 0017-00000417) require a condition for every
  // form field but their exempt ones; TOS's signing fields x-tos-algorithm, -credential, -date and
  // -security-token are not exempt.
  it('OBS and TOS: every field except the exempt ones is covered by a condition', () => {
    const EXEMPT: Partial<Record<ProviderId, Set<string>>> = {
      obs: new Set(['accesskeyid', 'signature', 'file', 'policy', 'token', 'awsaccesskeyid', 'x-amz-signature']),
      tos: new Set(['x-tos-signature', 'file', 'policy']),
    };
    fc.assert(
      fc.property(
        caseArb.filter((c) => c.opts.provider === 'obs' || c.opts.provider === 'tos'),
        ({ opts }) => {
          const form = sign(opts);
          const exempt = EXEMPT[opts.provider]!;
          const covered = new Set(form.policy.conditions.map((c) => (Array.isArray(c) ? String(c[1]).replace(/^\$/, '') : Object.keys(c as object)[0]!).toLowerCase()));
          for (const [name] of form.fields) {
            const n = name.toLowerCase();
            if (exempt.has(n) || n.startsWith('x-ignore-')) continue;
            expect(covered.has(n), name).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
