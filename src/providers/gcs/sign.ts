// GCS signing, as the adapter exposes it: the gcs-hmac and gcs-rsa descriptions (../schemes/gcs.ts);
// an S3-style form sent to GCS is verified with the s3-v4 description.
import type { SignatureReport } from '../../core/types.js';
import { namesGcsAlgorithm } from '../schemes/gcs.js';
import { detectScheme, verifyForm, SCHEMES } from '../schemes/index.js';
import { sigV4Sign, type V4SignResult } from '../schemes/sigv4.js';
import type { SignatureContext } from '../types.js';

export { gcsRsaSign, gcsRsaVerify, readPublicKey, recoverDigest } from '../schemes/gcs.js';

/** GOOG4-HMAC-SHA256: every key of the chain and the signature, as lowercase hex. */
export function gcsHmacSign(input: { secret: string; date: string; region?: string; policyBase64: string }): V4SignResult {
  const chain = SCHEMES['gcs-hmac'].chain!;
  const region = input.region ?? SCHEMES['gcs-hmac'].credential!.fixedRegion!;
  const { keys: _keys, ...r } = sigV4Sign(chain.keyPrefix, input.secret, { date: input.date, region, service: chain.service, terminator: chain.terminator }, input.policyBase64);
  return r;
}

/**
 * Which GCS scheme the form uses: as its fields tell; null for an S3-style form. A form that names
 * neither GOOG4 algorithm is checked as RSA when only a public key is supplied.
 */
export function gcsScheme(ctx: SignatureContext): 'gcs-hmac' | 'gcs-rsa' | null {
  const id = detectScheme('gcs', ctx.form);
  if (id === 's3-v4') return null;
  if (id === 'gcs-rsa') return id;
  return !namesGcsAlgorithm(ctx.form) && ctx.publicKey && !ctx.secret ? 'gcs-rsa' : 'gcs-hmac';
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  const id = gcsScheme(ctx);
  return verifyForm('gcs', ctx, id ?? 's3-v4');
}
