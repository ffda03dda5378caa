// TOS signing, as the adapter exposes it: the descriptions in ../schemes/tos.ts.
import type { SignatureReport } from '../../core/types.js';
import { verifyForm } from '../schemes/index.js';
import type { SignatureContext } from '../types.js';

export function verifySignature(ctx: SignatureContext): SignatureReport {
  return verifyForm('tos', ctx);
}
