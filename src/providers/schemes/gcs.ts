// Google Cloud Storage V4 POST policy: GOOG4-HMAC-SHA256 (HMAC key) and GOOG4-RSA-SHA256 (service
// account key). Both sign the policy's base64 text exactly as sent; the signature is lowercase hex.
//
//   HMAC: the SigV4 chain with key prefix "GOOG4", region "auto", service "storage", terminator "goog4_request"
//   RSA:  x-goog-signature = hex RSASSA-PKCS1-v1_5 SHA-256 signature of policyBase64
// Credential: <id>/<yyyymmdd>/auto/storage/goog4_request (id = HMAC access id or service account email).
// GCS also reads S3's SigV4 forms (x-amz-* fields, AWS4 chain) for interoperability: PROVIDER_SCHEMES.
import { X509Certificate, createPrivateKey, createPublicKey, publicDecrypt, sign as rsaSign, verify as rsaVerify, constants, type KeyObject } from 'node:crypto';
import type { FormView } from '../../core/fields.js';
import { decodeBase64Lenient, digest, fromBase64, fromHex, sameBytes } from '../../crypto/index.js';
import { findMistake, notChecked, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';
import { MAX_VALIDITY_SECONDS } from '../limits.js';
import { GCS_REGIONS } from '../regions.js';
import type { SignatureContext } from '../types.js';
import { formPolicy, policyLineEndings, prepare } from './common.js';
import { COMPACT_TIME, credentialPrecheck, parseV4Credential, sigV4Facts, sigV4Scheme, type SigV4Options } from './sigv4.js';
import type { SchemeSignature, SigningScheme, V4Credential } from './types.js';

export const GCS_HMAC_ALGORITHM = 'GOOG4-HMAC-SHA256';
export const GCS_RSA_ALGORITHM = 'GOOG4-RSA-SHA256';

const ALGORITHM_FIELD = 'x-goog-algorithm';
const CREDENTIAL_FIELD = 'x-goog-credential';

/** The form's algorithm, normalised (trimmed, uppercase), or undefined. */
function algorithmOf(form: FormView): string | undefined {
  return form.value(ALGORITHM_FIELD)?.trim().toUpperCase();
}

/** Is the form RSA-signed: its algorithm says so, or (naming no HMAC algorithm) its credential is a service account's. */
function isRsaForm(form: FormView): boolean {
  const alg = algorithmOf(form);
  if (alg === GCS_RSA_ALGORITHM) return true;
  if (alg === GCS_HMAC_ALGORITHM) return false;
  return /^[^/@]+@[^/@]+\.iam\.gserviceaccount\.com\//i.test((form.value(CREDENTIAL_FIELD) ?? '').trim());
}

/** Does the form name one of the two algorithms (else the key supplied decides)? */
export function namesGcsAlgorithm(form: FormView): boolean {
  const alg = algorithmOf(form);
  return alg === GCS_RSA_ALGORITHM || alg === GCS_HMAC_ALGORITHM;
}

/** The legacy V2 form's names the service also reads; the signer never writes them. */
const LEGACY = ['GoogleAccessId', 'signature'];

const V4_MARKS = [ALGORITHM_FIELD, CREDENTIAL_FIELD, 'x-goog-signature', 'x-goog-date'];

const HMAC_OPTIONS: SigV4Options = {
  id: 'gcs-hmac',
  provider: 'gcs',
  name: 'GCS HMAC',
  algorithm: GCS_HMAC_ALGORITHM,
  algorithms: [GCS_HMAC_ALGORITHM, GCS_RSA_ALGORITHM],
  fields: { policy: 'policy', signature: 'x-goog-signature', credential: CREDENTIAL_FIELD, date: 'x-goog-date', algorithm: ALGORITHM_FIELD },
  nameCase: 'any-case',
  detect: { marks: V4_MARKS },
  chain: { keyPrefix: 'GOOG4', service: 'storage', terminator: 'goog4_request' },
  idPlaceholder: '<id>',
  fixedRegion: 'auto',
  regions: GCS_REGIONS,
  // a bucket location (or an S3 default) signed instead of the credential's "auto"
  defaultRegions: ['us-east-1', 'us', 'auto'],
  // the S3 key chain reused for GCS
  otherChains: [{ prefix: 'AWS4', service: 's3', terminator: 'aws4_request' }, { prefix: 'AWS4' }],
  steps: 'chain',
  dateFact: 'googDate',
  maxValiditySeconds: MAX_VALIDITY_SECONDS,
  token: false,
  legacy: LEGACY,
};

export const GCS_HMAC: SigningScheme = sigV4Scheme(HMAC_OPTIONS);

// ---------------------------------------------------------------------------
// GOOG4-RSA-SHA256.

/** Hex RSA-SHA256 signature of the policy text with a PEM private key. */
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

/** The key that checks the form: the public key or certificate given, else a private key passed as the secret. */
function keyText(ctx: SignatureContext): string {
  return ctx.publicKey ?? (ctx.secret && /-----BEGIN|"private_key"/.test(ctx.secret) ? ctx.secret : '');
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
  for (const v of policyLineEndings(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => (signedOver(hexBytes, v.base64) ? provided : null) };
  }
  yield { mistake: 'signature.mistake.sha1', compute: () => (signedOver(hexBytes, policyBase64, 'sha1') ? provided : null) };
}

function rsaSigned(privateKey: string | KeyObject, policyBase64: string): SchemeSignature {
  const signature = gcsRsaSign({ privateKey, policyBase64 });
  return { signature, steps: [...rsaSteps(policyBase64), { name: 'Signature', value: signature }] };
}

function rsaSteps(policyBase64: string): SchemeSignature['steps'] {
  return [
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Digest', value: digest('sha256', policyBase64).toString('hex') },
  ];
}

function verifyRsa(ctx: SignatureContext): SignatureReportWithFacts {
  const s = GCS_RSA;
  const p = prepare(s, ctx, credentialPrecheck(HMAC_OPTIONS));
  if ('report' in p) return p.report;
  const signature = p.provided;
  const policyBase64 = formPolicy(s, ctx).base64;
  const facts: Record<string, unknown> = { scheme: s.id, ...sigV4Facts(HMAC_OPTIONS, ctx, parseV4Credential(ctx.form.value(CREDENTIAL_FIELD) ?? '') as V4Credential) };
  const text = keyText(ctx);
  if (!text.trim()) return notChecked(s.id, 'signature.no-public-key', { scheme: s.id }, [], signature);
  const key = readPublicKey(text);
  if (!key) return notChecked(s.id, 'signature.key-unreadable', { scheme: s.id }, [], signature);
  facts['keySource'] = key.source;
  const steps = rsaSteps(policyBase64);
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
  return { scheme: s.id, checked: true, valid, steps, expected, provided: signature, mistake, facts };
}

export const GCS_RSA: SigningScheme = {
  id: 'gcs-rsa',
  provider: 'gcs',
  name: 'GCS RSA',
  algorithm: GCS_RSA_ALGORITHM,
  fields: GCS_HMAC.fields,
  legacy: LEGACY,
  nameCase: 'any-case',
  detect: { marks: V4_MARKS, when: isRsaForm },
  credential: GCS_HMAC.credential,
  chain: null,
  time: COMPACT_TIME,
  maxValiditySeconds: MAX_VALIDITY_SECONDS,
  required: GCS_HMAC.required,
  layout: GCS_HMAC.layout,
  // the secret is the service account's PEM private key
  sign: (input) => rsaSigned(input.secret, input.policy.base64),
  verify: verifyRsa,
  // no refresh: re-signing takes an HMAC secret, not a service account's private key
  mistakes(ctx, _expected, provided) {
    const key = readPublicKey(keyText(ctx));
    return key ? rsaMistakes(key.key, formPolicy(GCS_RSA, ctx).base64, provided) : [];
  },
};
