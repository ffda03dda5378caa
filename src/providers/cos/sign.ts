// COS signing, as the adapter exposes it: the cos-sha1 description (../schemes/cos.ts).
import type { SignatureReport } from '../../core/types.js';
import { verifyForm } from '../schemes/index.js';
import type { SignatureContext } from '../types.js';

export { cosSign, lineEndingVariants, type CosSignInput, type CosSignResult } from '../schemes/cos.js';
export { policyEqValues } from '../form.js';

/** Recompute the form's COS signature with the supplied secret and compare. */
export function verifySignature(ctx: SignatureContext): SignatureReport {
  return verifyForm('cos', ctx);
}
