// OSS signing, as the adapter exposes it: the oss-v1 and oss-v4 descriptions (../schemes/oss.ts).
import type { SignatureReport } from '../../core/types.js';
import { policyHmacSign } from '../schemes/policy-hmac.js';
import { detectScheme, verifyForm, SCHEMES } from '../schemes/index.js';
import { parseV4Credential, sigV4Sign } from '../schemes/sigv4.js';
import type { SignatureContext } from '../types.js';

export { shiftDay as shiftDate } from '../time.js';

/** V1: base64 HMAC-SHA1 of the policy base64 text, keyed with the AccessKeySecret. */
export const ossV1Sign = policyHmacSign;

/** V4: signing key (hex) and signature (hex HMAC-SHA256 of the policy base64 text). */
export function ossV4Sign(input: { secret: string; date: string; region: string; policyBase64: string }): { signingKey: string; signature: string } {
  const chain = SCHEMES['oss-v4'].chain!;
  const r = sigV4Sign(chain.keyPrefix, input.secret, { date: input.date, region: input.region, service: chain.service, terminator: chain.terminator }, input.policyBase64);
  return { signingKey: r.signingKey, signature: r.signature };
}

/** Split "<AccessKeyId>/<yyyymmdd>/<region>/oss/aliyun_v4_request"; null when it has another shape. */
export const parseOssCredential = parseV4Credential;

/** Which OSS scheme a form uses: V4 when any V4 field is present, else V1. */
export function ossScheme(ctx: Pick<SignatureContext, 'form'>): 'oss-v1' | 'oss-v4' {
  return detectScheme('oss', ctx.form) === 'oss-v4' ? 'oss-v4' : 'oss-v1';
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  return verifyForm('oss', ctx);
}
