// The signature, recomputed by the provider adapter (once, by the engine): valid, invalid
// (with the mistake that reproduces it), or why it could not be checked.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckFinding } from '../check/types.js';
import { isFindingId } from '../core/catalogue.js';
import { finding, findingIdsWith } from '../check/findings.js';
import { predict } from '../check/predict.js';

export const signatureVerify: Check = {
  id: 'signature.verify',
  providers: PROVIDER_IDS,
  emits: findingIdsWith('signature.'),
  run(ctx) {
    const envVars = [...ctx.adapter.secretEnv];
    const sig = ctx.signature;
    if (!sig) {
      if (ctx.secret === null) return [finding('signature.not-checked', { provider: ctx.provider, envVars })];
      if (!ctx.adapter.verifySignature) return [finding('signature.unsupported', { provider: ctx.provider })];
      return []; // verification failed: the engine reported internal.check-failed
    }
    const scheme = sig.scheme ?? '?';
    // adapters may attach facts to the report (why it was not checked, what the mistake was)
    const extra = (sig as { facts?: Record<string, unknown> }).facts ?? {};
    if (!sig.checked) {
      const id = sig.reason && isFindingId(sig.reason) ? sig.reason : 'signature.not-checked';
      return [finding(id, { provider: ctx.provider, envVars, ...extra, scheme })];
    }
    if (sig.valid) return [finding('signature.valid', { scheme })];
    const out: CheckFinding[] = [];
    const field = signatureField(ctx.form.fields().map((f) => f.name));
    out.push(finding('signature.invalid', { scheme, expected: sig.expected ?? '?', provided: sig.provided ?? '?' }, predict('signature.invalid', ctx), field));
    if (sig.mistake) {
      const id = isFindingId(sig.mistake) ? sig.mistake : 'signature.mistake.unknown';
      const mistakeFacts = extra['mistakeFacts'];
      const more = mistakeFacts && typeof mistakeFacts === 'object' ? (mistakeFacts as Record<string, unknown>) : {};
      out.push(finding(id, { ...more, scheme, mistake: sig.mistake }, predict('signature.invalid', ctx), field));
    }
    return out;
  },
};

const SIGNATURE_FIELDS = ['q-signature', 'x-oss-signature', 'x-amz-signature', 'x-goog-signature', 'signature'];

function signatureField(names: string[]): string | undefined {
  for (const s of SIGNATURE_FIELDS) {
    const n = names.find((x) => x.toLowerCase() === s);
    if (n) return n;
  }
  return undefined;
}
