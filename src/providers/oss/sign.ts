// OSS PostObject signatures, V1 (HMAC-SHA1, base64) and V4 (OSS4-HMAC-SHA256, hex):
// compute, verify with every intermediate, and name the usual mistake that reproduces a
// wrong signature. Both versions sign the policy's base64 text exactly as sent.
//
//   V1: Signature = base64(HMAC-SHA1(AccessKeySecret, policyBase64))
//   V4: k1 = HMAC-SHA256("aliyun_v4" + secret, yyyymmdd); k2 = HMAC(k1, region);
//       k3 = HMAC(k2, "oss"); SigningKey = HMAC(k3, "aliyun_v4_request");
//       Signature = hex HMAC-SHA256(SigningKey, policyBase64)
import { OSS_REGIONS } from '../regions.js';
import type { SignatureReport, SignatureStep } from '../../core/types.js';
import type { SignatureContext } from '../types.js';
import { decodeBase64Lenient, fromBase64, fromHex, hmac, sameBytes, v4KeyChain } from '../../crypto/index.js';
import { findMistake, notChecked, secretVariants, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';

export const OSS_V1_SCHEME = 'oss-v1';
export const OSS_V4_SCHEME = 'oss-v4';
export const OSS_V4_ALGORITHM = 'OSS4-HMAC-SHA256';

// ---------------------------------------------------------------------------
// Pure signing functions.

/** V1: base64 HMAC-SHA1 of the policy base64 text, keyed with the AccessKeySecret. */
export function ossV1Sign(input: { secret: string; policyBase64: string }): string {
  return hmac('sha1', input.secret, input.policyBase64).toString('base64');
}

/** V4 signing key (raw bytes): the HMAC-SHA256 chain over date, region, "oss", "aliyun_v4_request". */
export function ossV4SigningKey(secret: string, date: string, region: string, prefix = 'aliyun_v4'): Buffer {
  return v4KeyChain(prefix, secret, date, region, 'oss', 'aliyun_v4_request').signingKey;
}

/** V4: signing key (hex) and signature (hex HMAC-SHA256 of the policy base64 text). */
export function ossV4Sign(input: { secret: string; date: string; region: string; policyBase64: string }): { signingKey: string; signature: string } {
  const key = ossV4SigningKey(input.secret, input.date, input.region);
  return { signingKey: key.toString('hex'), signature: hmac('sha256', key, input.policyBase64).toString('hex') };
}

/** The V4 credential scope "<yyyymmdd>/<region>/oss/aliyun_v4_request". */
export function ossV4Scope(date: string, region: string): string {
  return `${date}/${region}/oss/aliyun_v4_request`;
}

/** Split "<AccessKeyId>/<yyyymmdd>/<region>/oss/aliyun_v4_request"; null when it has another shape. */
export function parseOssCredential(credential: string): { accessKeyId: string; date: string; region: string; service: string; terminator: string } | null {
  const parts = credential.trim().split('/');
  if (parts.length !== 5) return null;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (!accessKeyId || !date || !region) return null;
  return { accessKeyId, date, region, service, terminator };
}

// ---------------------------------------------------------------------------
// Verification.

/** Which OSS scheme a form uses: V4 when any V4 field is present, else V1. */
export function ossScheme(ctx: Pick<SignatureContext, 'form'>): typeof OSS_V1_SCHEME | typeof OSS_V4_SCHEME {
  const f = ctx.form;
  if (f.get('x-oss-signature-version') || f.get('x-oss-credential') || f.get('x-oss-signature') || f.get('x-oss-date')) return OSS_V4_SCHEME;
  return OSS_V1_SCHEME;
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  return ossScheme(ctx) === OSS_V4_SCHEME ? verifyOssV4(ctx) : verifyOssV1(ctx);
}

function missingFields(ctx: SignatureContext, names: string[]): { absent: string[]; empty: string[] } {
  const absent = names.filter((n) => ctx.form.value(n) === undefined);
  const empty = names.filter((n) => {
    const v = ctx.form.value(n);
    return v !== undefined && v.trim() === '';
  });
  return { absent, empty };
}

export function verifyOssV1(ctx: SignatureContext): SignatureReportWithFacts {
  const { absent, empty } = missingFields(ctx, ['policy', 'Signature']);
  const provided = ctx.form.value('Signature') ?? null;
  if (absent.length || empty.length) {
    return notChecked(OSS_V1_SCHEME, 'signature.fields-missing', { scheme: OSS_V1_SCHEME, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  if (!ctx.secret) return notChecked(OSS_V1_SCHEME, 'signature.no-secret', { scheme: OSS_V1_SCHEME }, [], provided);
  const policyBase64 = ctx.form.value('policy')!;
  const signature = provided!;
  const expected = ossV1Sign({ secret: ctx.secret, policyBase64 });
  const steps: SignatureStep[] = [
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: expected },
  ];
  const facts: Record<string, unknown> = { scheme: OSS_V1_SCHEME };
  const valid = expected === signature;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signature, v1Mistakes(ctx.secret, policyBase64, expected, signature));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: OSS_V1_SCHEME, checked: true, valid, steps, expected, provided: signature, mistake, facts };
}

function* v1Mistakes(secret: string, policyBase64: string, expected: string, provided: string): Generator<MistakeCandidate> {
  const expectedBytes = Buffer.from(expected, 'base64');
  yield { mistake: 'signature.mistake.hex-output', compute: () => (sameBytes(fromHex(provided), expectedBytes) ? provided : null) };
  yield {
    mistake: 'signature.mistake.url-encoded',
    compute: () => {
      if (!provided.includes('%')) return null;
      try {
        return decodeURIComponent(provided) === expected ? provided : null;
      } catch {
        return null;
      }
    },
  };
  yield {
    mistake: 'signature.mistake.signed-json',
    compute: () => hmac('sha1', secret, decodeBase64Lenient(policyBase64)).toString('base64'),
  };
  yield { mistake: 'signature.mistake.swapped-hmac', compute: () => hmac('sha1', policyBase64, secret).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'base64' }, compute: () => hmac('sha256', secret, policyBase64).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'hex' }, compute: () => hmac('sha256', secret, policyBase64).toString('hex') };
  for (const v of secretVariants(secret)) {
    yield {
      mistake: 'signature.mistake.secret-whitespace',
      facts: { variant: v.variant },
      compute: () => ossV1Sign({ secret: v.secret, policyBase64 }),
    };
  }
}

export function verifyOssV4(ctx: SignatureContext): SignatureReportWithFacts {
  const { absent, empty } = missingFields(ctx, ['policy', 'x-oss-credential', 'x-oss-signature']);
  const provided = ctx.form.value('x-oss-signature') ?? null;
  if (absent.length || empty.length) {
    return notChecked(OSS_V4_SCHEME, 'signature.fields-missing', { scheme: OSS_V4_SCHEME, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  const credential = ctx.form.value('x-oss-credential')!;
  const cred = parseOssCredential(credential);
  if (!cred) {
    return notChecked(OSS_V4_SCHEME, 'signature.credential-malformed', { scheme: OSS_V4_SCHEME, field: 'x-oss-credential', parts: credential.split('/').length }, [], provided);
  }
  if (!ctx.secret) return notChecked(OSS_V4_SCHEME, 'signature.no-secret', { scheme: OSS_V4_SCHEME }, [], provided);

  const policyBase64 = ctx.form.value('policy')!;
  const signature = provided!;
  const { date, region } = cred;
  const r = ossV4Sign({ secret: ctx.secret, date, region, policyBase64 });
  const steps: SignatureStep[] = [
    { name: 'date', value: date },
    { name: 'region', value: region },
    { name: 'scope', value: ossV4Scope(date, region) },
    { name: 'SigningKey', value: r.signingKey, secret: true },
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: r.signature },
  ];
  const xOssDate = ctx.form.value('x-oss-date') ?? null;
  const facts: Record<string, unknown> = {
    scheme: OSS_V4_SCHEME,
    credentialDate: date,
    region,
    algorithm: ctx.form.value('x-oss-signature-version') ?? null,
    xOssDate,
  };
  if (cred.service !== 'oss' || cred.terminator !== 'aliyun_v4_request') {
    facts['credentialScopeInvalid'] = true;
    facts['credentialService'] = cred.service;
    facts['credentialTerminator'] = cred.terminator;
  }
  const valid = r.signature === signature;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signature, v4Mistakes(ctx.secret, date, region, xOssDate, policyBase64, r.signature, signature));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: OSS_V4_SCHEME, checked: true, valid, steps, expected: r.signature, provided: signature, mistake, facts };
}

/** yyyymmdd shifted by `days` (UTC calendar), or null when `date` is not yyyymmdd. */
export function shiftDate(date: string, days: number): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000;
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '');
}

function* v4Mistakes(
  secret: string,
  date: string,
  region: string,
  xOssDate: string | null,
  policyBase64: string,
  expected: string,
  provided: string,
): Generator<MistakeCandidate> {
  const sig = (s: string, d: string, rg: string, msg: string | Uint8Array = policyBase64, prefix = 'aliyun_v4'): string =>
    hmac('sha256', ossV4SigningKey(s, d, rg, prefix), msg).toString('hex');

  yield { mistake: 'signature.mistake.base64-output', compute: () => (sameBytes(fromBase64(provided), fromHex(expected)) ? provided : null) };
  yield {
    mistake: 'signature.mistake.uppercase-hex',
    compute: () => (provided !== expected && provided.toLowerCase() === expected ? provided : null),
  };
  // Region written with (or without) the endpoint's "oss-" prefix.
  if (region.startsWith('oss-')) {
    yield { mistake: 'signature.mistake.region-prefix', facts: { signedRegion: region.slice(4), credentialRegion: region }, compute: () => sig(secret, date, region.slice(4)) };
  } else {
    yield { mistake: 'signature.mistake.region-prefix', facts: { signedRegion: `oss-${region}`, credentialRegion: region }, compute: () => sig(secret, date, `oss-${region}`) };
  }
  // Signed for another region than the credential names: any OSS region, named as such.
  const bare = region.replace(/^oss-/, '');
  for (const r of OSS_REGIONS) {
    if (r !== bare) yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: r, credentialRegion: region, source: 'other-region' }, compute: () => sig(secret, date, r) };
  }
  // Signing day other than the credential's: x-oss-date's day, or a local-time day off by one.
  const dates: Array<{ date: string; source: string }> = [];
  const xDay = xOssDate ? /^(\d{8})/.exec(xOssDate.trim())?.[1] : undefined;
  if (xDay && xDay !== date) dates.push({ date: xDay, source: 'x-oss-date' });
  for (const d of [-1, 1]) {
    const s = shiftDate(date, d);
    if (s && !dates.some((x) => x.date === s)) dates.push({ date: s, source: d < 0 ? 'previous-day' : 'next-day' });
  }
  for (const d of dates) {
    yield { mistake: 'signature.mistake.wrong-date', facts: { signedDate: d.date, credentialDate: date, source: d.source }, compute: () => sig(secret, d.date, region) };
  }
  yield { mistake: 'signature.mistake.signed-json', compute: () => sig(secret, date, region, decodeBase64Lenient(policyBase64)) };
  yield { mistake: 'signature.mistake.v4-prefix-missing', compute: () => sig(secret, date, region, policyBase64, '') };
  for (const v of secretVariants(secret)) {
    yield { mistake: 'signature.mistake.secret-whitespace', facts: { variant: v.variant }, compute: () => sig(v.secret, date, region) };
  }
}
