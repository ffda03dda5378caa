// GCS V4 POST policy signatures: GOOG4-HMAC-SHA256 (HMAC key) and GOOG4-RSA-SHA256 (service
// account key). Compute, verify with every intermediate, and name the usual mistake.
// Both sign the policy's base64 text exactly as sent; the signature is lowercase hex.
//
//   HMAC: DateKey = HMAC-SHA256("GOOG4" + secret, yyyymmdd); RegionKey = HMAC(DateKey, "auto");
//         ServiceKey = HMAC(RegionKey, "storage"); SigningKey = HMAC(ServiceKey, "goog4_request");
//         x-goog-signature = hex HMAC-SHA256(SigningKey, policyBase64)
//   RSA:  x-goog-signature = hex RSASSA-PKCS1-v1_5 SHA-256 signature of policyBase64
// Credential: <id>/<yyyymmdd>/auto/storage/goog4_request (id = HMAC access id or service account email).
//
// GCS also accepts S3-style forms (x-amz-* fields, AWS4 key chain) for interoperability; those are
// verified by the S3 code.
import { GCS_REGIONS } from '../regions.js';
import { X509Certificate, createPrivateKey, createPublicKey, publicDecrypt, sign as rsaSign, verify as rsaVerify, constants, type KeyObject } from 'node:crypto';
import type { SignatureReport, SignatureStep } from '../../core/types.js';
import type { SignatureContext } from '../types.js';
import { decodeBase64Lenient, digest, fromBase64, fromHex, hmac, sameBytes } from '../../crypto/index.js';
import { findMistake, notChecked, secretVariants, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';
import { lineEndingVariants, parseV4Credential, shiftDay, v4KeyChain, verifyS3V4, type V4SignResult } from '../s3/sign.js';

export const GCS_HMAC_SCHEME = 'gcs-hmac';
export const GCS_RSA_SCHEME = 'gcs-rsa';
export const GCS_HMAC_ALGORITHM = 'GOOG4-HMAC-SHA256';
export const GCS_RSA_ALGORITHM = 'GOOG4-RSA-SHA256';

/** The signature context, with the public key (PEM key or certificate) used to check RSA signatures. */
export type GcsSignatureContext = SignatureContext & { publicKey?: string };

// ---------------------------------------------------------------------------
// Pure signing functions.

/** GOOG4-HMAC-SHA256: every key of the chain and the signature, as lowercase hex. */
export function gcsHmacSign(input: { secret: string; date: string; region?: string; policyBase64: string }): V4SignResult {
  const k = v4KeyChain('GOOG4', input.secret, input.date, input.region ?? 'auto', 'storage', 'goog4_request');
  return {
    dateKey: k.dateKey.toString('hex'),
    regionKey: k.regionKey.toString('hex'),
    serviceKey: k.serviceKey.toString('hex'),
    signingKey: k.signingKey.toString('hex'),
    signature: hmac('sha256', k.signingKey, input.policyBase64).toString('hex'),
  };
}

/** GOOG4-RSA-SHA256: hex RSA-SHA256 signature of the policy text with a PEM private key. */
export function gcsRsaSign(input: { privateKey: string | KeyObject; policyBase64: string }): string {
  return rsaSign('sha256', Buffer.from(input.policyBase64, 'utf8'), input.privateKey).toString('hex');
}

/** True when `signatureHex` is a valid RSA-SHA256 signature of the policy text under the public key. */
export function gcsRsaVerify(input: { publicKey: string | KeyObject; policyBase64: string; signatureHex: string }): boolean {
  const sig = fromHex(input.signatureHex);
  if (!sig) return false;
  return rsaVerify('sha256', Buffer.from(input.policyBase64, 'utf8'), input.publicKey, sig);
}

/**
 * A public key from what the user supplied: a PEM public key, an X.509 certificate, a PEM private
 * key, or a service-account JSON key file (its private_key). Null when none can be read.
 */
export function readPublicKey(text: string): { key: KeyObject; privateKey: KeyObject | null; source: 'public-key' | 'certificate' | 'private-key' | 'service-account' } | null {
  const t = text.trim();
  if (!t) return null;
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as { private_key?: unknown };
      if (typeof j.private_key === 'string') {
        const pk = createPrivateKey(j.private_key);
        return { key: createPublicKey(pk), privateKey: pk, source: 'service-account' };
      }
    } catch {
      return null;
    }
    return null;
  }
  if (/-----BEGIN CERTIFICATE-----/.test(t)) {
    try {
      return { key: new X509Certificate(t).publicKey, privateKey: null, source: 'certificate' };
    } catch {
      return null;
    }
  }
  if (/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(t)) {
    try {
      const pk = createPrivateKey(t);
      return { key: createPublicKey(pk), privateKey: pk, source: 'private-key' };
    } catch {
      return null;
    }
  }
  try {
    return { key: createPublicKey(t), privateKey: null, source: 'public-key' };
  } catch {
    return null;
  }
}

// DER prefixes of PKCS#1 v1.5 DigestInfo structures: what a signature says it signed.
const DIGEST_INFO: Array<{ alg: 'sha256' | 'sha1'; prefix: string }> = [
  { alg: 'sha256', prefix: '3031300d060960864801650304020105000420' },
  { alg: 'sha1', prefix: '3021300906052b0e03021a05000414' },
];

/** Open an RSA signature with the public key: the digest it carries, or null (another key, or not PKCS#1 v1.5). */
export function recoverDigest(publicKey: KeyObject, signature: Buffer): { alg: 'sha256' | 'sha1'; digest: Buffer } | null {
  let info: Buffer;
  try {
    info = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return null;
  }
  const hex = info.toString('hex');
  for (const d of DIGEST_INFO) if (hex.startsWith(d.prefix)) return { alg: d.alg, digest: info.subarray(d.prefix.length / 2) };
  return null;
}

// ---------------------------------------------------------------------------
// Verification.

/** Which GCS scheme the form uses: by x-goog-algorithm, else RSA when a public key was given; null for S3-style forms. */
export function gcsScheme(ctx: GcsSignatureContext): typeof GCS_HMAC_SCHEME | typeof GCS_RSA_SCHEME | null {
  const f = ctx.form;
  const alg = f.value('x-goog-algorithm')?.trim().toUpperCase();
  if (alg === GCS_RSA_ALGORITHM) return GCS_RSA_SCHEME;
  if (alg === GCS_HMAC_ALGORITHM) return GCS_HMAC_SCHEME;
  const googFields = f.get('x-goog-algorithm') || f.get('x-goog-credential') || f.get('x-goog-signature') || f.get('x-goog-date');
  if (!googFields && (f.get('x-amz-algorithm') || f.get('x-amz-credential') || f.get('x-amz-signature'))) return null;
  // No (or an unknown) algorithm: a service-account email in the credential means RSA.
  const cred = f.value('x-goog-credential') ?? '';
  if (/^[^/@]+@[^/@]+\.iam\.gserviceaccount\.com\//i.test(cred.trim())) return GCS_RSA_SCHEME;
  if (ctx.publicKey && !ctx.secret) return GCS_RSA_SCHEME;
  return GCS_HMAC_SCHEME;
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  const g = ctx as GcsSignatureContext;
  const scheme = gcsScheme(g);
  if (scheme === null) {
    // S3-compatible form sent to GCS: same algorithm as Amazon's SigV4.
    return verifyS3V4(ctx);
  }
  return scheme === GCS_RSA_SCHEME ? verifyGcsRsa(g) : verifyGcsHmac(g);
}

function missingFields(ctx: SignatureContext, names: string[]): { absent: string[]; empty: string[] } {
  const absent = names.filter((n) => ctx.form.value(n) === undefined);
  const empty = names.filter((n) => {
    const v = ctx.form.value(n);
    return v !== undefined && v.trim() === '';
  });
  return { absent, empty };
}

interface Common {
  policyBase64: string;
  signature: string;
  cred: NonNullable<ReturnType<typeof parseV4Credential>>;
  facts: Record<string, unknown>;
}

/** Fields, credential and facts shared by both algorithms; a not-checked report when they are unusable. */
function common(ctx: GcsSignatureContext, scheme: string): Common | SignatureReportWithFacts {
  const { absent, empty } = missingFields(ctx, ['policy', 'x-goog-credential', 'x-goog-signature']);
  const provided = ctx.form.value('x-goog-signature') ?? null;
  if (absent.length || empty.length) {
    return notChecked(scheme, 'signature.fields-missing', { scheme, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  const credential = ctx.form.value('x-goog-credential')!;
  const cred = parseV4Credential(credential);
  if (!cred) return notChecked(scheme, 'signature.credential-malformed', { scheme, field: ctx.form.get('x-goog-credential')!.name, parts: credential.trim().split('/').length }, [], provided);
  const algorithm = ctx.form.value('x-goog-algorithm') ?? null;
  const googDate = ctx.form.value('x-goog-date') ?? null;
  const facts: Record<string, unknown> = {
    scheme,
    credentialDate: cred.date,
    region: cred.region,
    service: cred.service,
    terminator: cred.terminator,
    algorithm,
    googDate,
  };
  if (algorithm === null) facts['algorithmMissing'] = true;
  else if (![GCS_HMAC_ALGORITHM, GCS_RSA_ALGORITHM].includes(algorithm.trim())) facts['algorithmUnexpected'] = true;
  if (cred.service !== 'storage' || cred.terminator !== 'goog4_request') facts['credentialScopeInvalid'] = true;
  if (cred.region !== 'auto') facts['regionNotAuto'] = true;
  const day = googDate ? /^(\d{8})/.exec(googDate.trim())?.[1] ?? null : null;
  if (day && day !== cred.date) facts['googDateDayMismatch'] = true;
  return { policyBase64: ctx.form.value('policy')!, signature: provided!, cred, facts };
}

export function verifyGcsHmac(ctx: GcsSignatureContext): SignatureReportWithFacts {
  const c = common(ctx, GCS_HMAC_SCHEME);
  if ('checked' in c) return c;
  if (!ctx.secret) return notChecked(GCS_HMAC_SCHEME, 'signature.no-secret', { scheme: GCS_HMAC_SCHEME }, [], c.signature);
  const { policyBase64, signature, cred, facts } = c;
  const { date, region, service, terminator } = cred;
  const k = v4KeyChain('GOOG4', ctx.secret, date, region, service, terminator);
  const expected = hmac('sha256', k.signingKey, policyBase64).toString('hex');
  const steps: SignatureStep[] = [
    { name: 'date', value: date },
    { name: 'region', value: region },
    { name: 'service', value: service },
    { name: 'scope', value: `${date}/${region}/${service}/${terminator}` },
    { name: 'DateKey', value: k.dateKey.toString('hex'), secret: true },
    { name: 'RegionKey', value: k.regionKey.toString('hex'), secret: true },
    { name: 'ServiceKey', value: k.serviceKey.toString('hex'), secret: true },
    { name: 'SigningKey', value: k.signingKey.toString('hex'), secret: true },
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: expected },
  ];
  const valid = expected === signature;
  let mistake: string | null = null;
  if (!valid) {
    const googDay = typeof facts['googDate'] === 'string' ? /^(\d{8})/.exec((facts['googDate'] as string).trim())?.[1] ?? null : null;
    const found = findMistake(signature, hmacMistakes(ctx.secret, cred, googDay, policyBase64, expected, signature));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: GCS_HMAC_SCHEME, checked: true, valid, steps, expected, provided: signature, mistake, facts };
}

function* hmacMistakes(
  secret: string,
  cred: Common['cred'],
  googDay: string | null,
  policyBase64: string,
  expected: string,
  provided: string,
): Generator<MistakeCandidate> {
  const sig = (o: { secret?: string; date?: string; region?: string; msg?: string | Uint8Array; prefix?: string; service?: string; terminator?: string } = {}): string => {
    const k = v4KeyChain(o.prefix ?? 'GOOG4', o.secret ?? secret, o.date ?? cred.date, o.region ?? cred.region, o.service ?? cred.service, o.terminator ?? cred.terminator);
    return hmac('sha256', k.signingKey, o.msg ?? policyBase64).toString('hex');
  };
  yield { mistake: 'signature.mistake.base64-output', compute: () => (sameBytes(fromBase64(provided), fromHex(expected)) ? provided : null) };
  yield { mistake: 'signature.mistake.uppercase-hex', compute: () => (provided !== expected && provided.toLowerCase() === expected ? provided : null) };
  // The S3 key chain reused for GCS ("AWS4" ... "s3" / "aws4_request").
  yield { mistake: 'signature.mistake.wrong-key-chain', facts: { usedPrefix: 'AWS4', usedService: 's3', usedTerminator: 'aws4_request' }, compute: () => sig({ prefix: 'AWS4', service: 's3', terminator: 'aws4_request' }) };
  yield { mistake: 'signature.mistake.wrong-key-chain', facts: { usedPrefix: 'AWS4', usedService: cred.service, usedTerminator: cred.terminator }, compute: () => sig({ prefix: 'AWS4' }) };
  // A bucket location (or an S3 default) signed instead of the credential's "auto".
  for (const r of ['us-east-1', 'us']) {
    if (r !== cred.region) yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: r, credentialRegion: cred.region, source: 'default' }, compute: () => sig({ region: r }) };
  }
  if (cred.region !== 'auto') yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: 'auto', credentialRegion: cred.region, source: 'default' }, compute: () => sig({ region: 'auto' }) };
  for (const r of GCS_REGIONS) {
    if (r !== cred.region && r !== 'auto' && r !== 'us') yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: r, credentialRegion: cred.region, source: 'other-region' }, compute: () => sig({ region: r }) };
  }
  const dates: Array<{ date: string; source: string }> = [];
  if (googDay && googDay !== cred.date) dates.push({ date: googDay, source: 'x-goog-date' });
  for (const d of [-1, 1]) {
    const x = shiftDay(cred.date, d);
    if (x && !dates.some((y) => y.date === x)) dates.push({ date: x, source: d < 0 ? 'previous-day' : 'next-day' });
  }
  for (const d of dates) {
    yield { mistake: 'signature.mistake.wrong-date', facts: { signedDate: d.date, credentialDate: cred.date, source: d.source }, compute: () => sig({ date: d.date }) };
  }
  yield { mistake: 'signature.mistake.signed-json', compute: () => sig({ msg: decodeBase64Lenient(policyBase64) }) };
  for (const v of lineEndingVariants(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => sig({ msg: v.base64 }) };
  }
  yield { mistake: 'signature.mistake.v4-prefix-missing', facts: { prefix: 'GOOG4' }, compute: () => sig({ prefix: '' }) };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { where: 'final' },
    compute: () => hmac('sha256', policyBase64, v4KeyChain('GOOG4', secret, cred.date, cred.region, cred.service, cred.terminator).signingKey).toString('hex'),
  };
  for (const v of secretVariants(secret)) {
    yield { mistake: 'signature.mistake.secret-whitespace', facts: { variant: v.variant }, compute: () => sig({ secret: v.secret }) };
  }
}

export function verifyGcsRsa(ctx: GcsSignatureContext): SignatureReportWithFacts {
  const c = common(ctx, GCS_RSA_SCHEME);
  if ('checked' in c) return c;
  const { policyBase64, signature, facts } = c;
  // The key: the public key or certificate given, else a private key passed as the secret.
  const keyText = ctx.publicKey ?? (ctx.secret && /-----BEGIN|"private_key"/.test(ctx.secret) ? ctx.secret : '');
  if (!keyText.trim()) return notChecked(GCS_RSA_SCHEME, 'signature.no-public-key', { scheme: GCS_RSA_SCHEME }, [], signature);
  const key = readPublicKey(keyText);
  if (!key) return notChecked(GCS_RSA_SCHEME, 'signature.key-unreadable', { scheme: GCS_RSA_SCHEME }, [], signature);
  facts['keySource'] = key.source;
  const steps: SignatureStep[] = [
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Digest', value: digest('sha256', policyBase64).toString('hex') },
  ];
  // With a private key the (deterministic) signature can be shown; with a public key only the verdict.
  const expected = key.privateKey ? gcsRsaSign({ privateKey: key.privateKey, policyBase64 }) : null;
  if (expected) steps.push({ name: 'Signature', value: expected });
  const sigBytes = fromHex(signature);
  const valid = sigBytes !== null && signature === signature.toLowerCase() && gcsRsaVerify({ publicKey: key.key, policyBase64, signatureHex: signature });
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signature, rsaMistakes(key.key, policyBase64, signature));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    } else {
      // Opened with this key at all? If not, it was made with another key (or is not an RSA signature).
      const bytes = sigBytes ?? fromBase64(signature);
      facts['signedWithThisKey'] = bytes ? recoverDigest(key.key, bytes) !== null : false;
    }
  }
  return { scheme: GCS_RSA_SCHEME, checked: true, valid, steps, expected, provided: signature, mistake, facts };
}

/**
 * RSA mistakes are found by opening the provided signature with the public key: the digest inside
 * tells what was signed. Each candidate returns `provided` when the recovered digest is the digest
 * of what that mistake would sign.
 */
function* rsaMistakes(publicKey: KeyObject, policyBase64: string, provided: string): Generator<MistakeCandidate> {
  const open = (bytes: Buffer | null): { alg: 'sha256' | 'sha1'; digest: Buffer } | null => (bytes ? recoverDigest(publicKey, bytes) : null);
  const signedOver = (bytes: Buffer | null, data: string | Uint8Array, alg: 'sha256' | 'sha1' = 'sha256'): boolean => {
    const d = open(bytes);
    return d !== null && d.alg === alg && sameBytes(d.digest, digest(alg, data));
  };
  const hexBytes = fromHex(provided);
  yield { mistake: 'signature.mistake.base64-output', compute: () => (signedOver(fromBase64(provided), policyBase64) && !hexBytes ? provided : null) };
  yield { mistake: 'signature.mistake.uppercase-hex', compute: () => (provided !== provided.toLowerCase() && signedOver(hexBytes, policyBase64) ? provided : null) };
  yield { mistake: 'signature.mistake.signed-json', compute: () => (signedOver(hexBytes, decodeBase64Lenient(policyBase64)) ? provided : null) };
  for (const v of lineEndingVariants(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => (signedOver(hexBytes, v.base64) ? provided : null) };
  }
  yield { mistake: 'signature.mistake.sha1', compute: () => (signedOver(hexBytes, policyBase64, 'sha1') ? provided : null) };
}
