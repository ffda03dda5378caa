// S3 signing, as the adapter exposes it: the s3-v4 and s3-v2 descriptions (../schemes/s3.ts).
import type { SignatureReport } from '../../core/types.js';
import { detectScheme, verifyForm, SCHEMES } from '../schemes/index.js';
import { policyHmacSign } from '../schemes/policy-hmac.js';
import { sigV4Sign, type V4SignResult } from '../schemes/sigv4.js';
import type { SignatureContext } from '../types.js';

export { parseV4Credential, type V4SignResult } from '../schemes/sigv4.js';
export { policyLineEndings as lineEndingVariants } from '../schemes/common.js';
export { shiftDay } from '../time.js';

/** SigV4 for a POST policy: every key of the chain and the signature, as lowercase hex. */
export function s3V4Sign(input: { secret: string; date: string; region: string; service?: string; policyBase64: string }): V4SignResult {
  const chain = SCHEMES['s3-v4'].chain!;
  const { keys: _keys, ...r } = sigV4Sign(
    chain.keyPrefix,
    input.secret,
    { date: input.date, region: input.region, service: input.service ?? chain.service, terminator: chain.terminator },
    input.policyBase64,
  );
  return r;
}

/** SigV2 for a POST policy: base64 HMAC-SHA1 of the policy text. */
export const s3V2Sign = policyHmacSign;

/** Which S3 scheme a form uses: V4 when any x-amz-* signing field is present, V2 for AWSAccessKeyId/signature, else null. */
export function s3Scheme(ctx: Pick<SignatureContext, 'form'>): 's3-v4' | 's3-v2' | null {
  const id = detectScheme('s3', ctx.form);
  return id === 's3-v4' || id === 's3-v2' ? id : null;
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  return verifyForm('s3', ctx);
}
