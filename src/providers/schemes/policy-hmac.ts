// The V1/V2 policy signature, one algorithm for several services, parameterised only by field
// names: Alibaba OSS V1, Amazon S3 SigV2 (and Huawei OBS: AccessKeyId / policy / signature).
//
//   Signature = base64(HMAC-SHA1(secret, policyBase64))   (the base64 text exactly as sent)
import type { ProviderId } from '../../core/types.js';
import { decodeBase64Lenient, hmac } from '../../crypto/index.js';
import type { MistakeCandidate } from '../../crypto/search.js';
import { sentName } from '../form.js';
import type { SignatureContext } from '../types.js';
import { base64OutputMistakes, formPolicy, policyLineEndings, secretWhitespaceMistakes, verifyWithSecret } from './common.js';
import type { SchemeDetection, SchemeFields, SchemeId, SchemeSignature, SigningScheme } from './types.js';

/** base64 HMAC-SHA1 of the policy's base64 text, keyed with the secret. */
export function policyHmacSign(input: { secret: string; policyBase64: string }): string {
  return hmac('sha1', input.secret, input.policyBase64).toString('base64');
}

/** The intermediates of a V1/V2 signature. */
function signed(secret: string, policyBase64: string): SchemeSignature {
  const signature = policyHmacSign({ secret, policyBase64 });
  return {
    signature,
    steps: [
      { name: 'StringToSign', value: policyBase64 },
      { name: 'Signature', value: signature },
    ],
  };
}

/** The usual wrong ways of making a V1/V2 signature. */
function* policyHmacMistakes(secret: string, policyBase64: string, expected: string, provided: string): Generator<MistakeCandidate> {
  yield* base64OutputMistakes(expected, provided);
  yield { mistake: 'signature.mistake.signed-json', compute: () => hmac('sha1', secret, decodeBase64Lenient(policyBase64)).toString('base64') };
  for (const v of policyLineEndings(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => policyHmacSign({ secret, policyBase64: v.base64 }) };
  }
  yield { mistake: 'signature.mistake.swapped-hmac', compute: () => hmac('sha1', policyBase64, secret).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'base64' }, compute: () => hmac('sha256', secret, policyBase64).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'hex' }, compute: () => hmac('sha256', secret, policyBase64).toString('hex') };
  yield* secretWhitespaceMistakes(secret, (s) => policyHmacSign({ secret: s, policyBase64 }));
}

/** A V1/V2 scheme description: the algorithm above under the service's field names. */
export function policyHmacScheme(o: {
  id: SchemeId;
  provider: ProviderId;
  name: string;
  /** policy, signature, accessKeyId and (optionally) token. */
  fields: SchemeFields;
  nameCase: 'exact' | 'any-case';
  detect: SchemeDetection;
  /** Whether the policy pins the security token (S3 SigV2 does, OSS V1 does not). */
  tokenPinned: boolean;
  /** Where the signer writes the token: right after the access key id (S3), or last (OSS). */
  tokenAfter: 'accessKeyId' | 'signature';
}): SigningScheme {
  const fields = o.fields;
  const layout = o.tokenAfter === 'accessKeyId' ? (['accessKeyId', 'token', 'policy', 'signature'] as const) : (['accessKeyId', 'policy', 'signature', 'token'] as const);
  const scheme: SigningScheme = {
    id: o.id,
    provider: o.provider,
    name: o.name,
    algorithm: null,
    fields,
    nameCase: o.nameCase,
    detect: o.detect,
    credential: null,
    chain: null,
    time: null,
    maxValiditySeconds: null,
    required: [fields.policy, fields.signature],
    layout: { fields: layout, pinned: o.tokenPinned ? ['token'] : [] },
    sign: (input) => signed(input.secret, input.policy.base64),
    verify: (ctx) => verifyWithSecret(scheme, ctx, { facts: () => ({ signatureField: sentName(ctx.form, fields.signature) }) }),
    // nothing but the policy (expiration) and the signature depends on the time
    refresh: () => ({ updates: [] }),
    mistakes: (ctx: SignatureContext, expected, provided) => policyHmacMistakes(ctx.secret, formPolicy(scheme, ctx).base64, expected, provided),
  };
  return scheme;
}
