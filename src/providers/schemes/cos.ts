// Tencent COS POST Object signature (q-sign-algorithm=sha1).
//
//   SignKey      = hex HMAC-SHA1(key = SecretKey, msg = KeyTime)
//   StringToSign = hex SHA1(policy JSON: the exact bytes the policy field decodes to)
//   Signature    = hex HMAC-SHA1(key = SignKey as hex text, msg = StringToSign as hex text)
// KeyTime is the q-key-time field, "start;end" in unix seconds; the policy pins it as q-sign-time.
import { digestHex, hmac, hmacHex, toBytes } from '../../crypto/index.js';
import type { MistakeCandidate } from '../../crypto/search.js';
import { policyEqValues } from '../form.js';
import { formatKeyTime, parseKeyTime } from '../time.js';
import type { SignatureContext } from '../types.js';
import { formPolicy, hexOutputMistakes, lineEndingEdits, secretWhitespaceMistakes, verifyWithSecret } from './common.js';
import type { SchemeSignature, SigningScheme } from './types.js';

export interface CosSignInput {
  secretKey: string;
  /** "start;end" in unix seconds (the q-key-time field; the policy's q-sign-time). */
  keyTime: string;
  /** The policy JSON: bytes exactly as base64-encoded into the form, or a text taken as UTF-8. */
  policyJson: string | Uint8Array;
}

export interface CosSignResult {
  keyTime: string;
  signKey: string;
  stringToSign: string;
  signature: string;
}

/** SignKey: lowercase hex HMAC-SHA1 of KeyTime keyed with the SecretKey. */
export function cosSignKey(secretKey: string, keyTime: string): string {
  return hmacHex('sha1', secretKey, keyTime);
}

/** StringToSign: lowercase hex SHA1 of the policy bytes. */
export function cosStringToSign(policyJson: string | Uint8Array): string {
  return digestHex('sha1', toBytes(policyJson));
}

/** Signature: lowercase hex HMAC-SHA1 of StringToSign (hex text) keyed with SignKey (hex text). */
export function cosSignature(signKey: string, stringToSign: string): string {
  return hmacHex('sha1', signKey, stringToSign);
}

/** The whole COS POST signature computation. */
export function cosSign(input: CosSignInput): CosSignResult {
  const signKey = cosSignKey(input.secretKey, input.keyTime);
  const stringToSign = cosStringToSign(input.policyJson);
  return { keyTime: input.keyTime, signKey, stringToSign, signature: cosSignature(signKey, stringToSign) };
}

function signed(r: CosSignResult): SchemeSignature {
  return {
    signature: r.signature,
    steps: [
      { name: 'KeyTime', value: r.keyTime },
      { name: 'SignKey', value: r.signKey, secret: true },
      { name: 'StringToSign', value: r.stringToSign },
      { name: 'Signature', value: r.signature },
    ],
  };
}

/** JSON texts a signer may have hashed after parsing and re-serialising the policy. */
function reserializations(doc: unknown): Array<{ variant: string; text: string }> {
  return [
    { variant: 'compact', text: JSON.stringify(doc) },
    { variant: 'indent-2', text: JSON.stringify(doc, null, 2) },
    { variant: 'indent-4', text: JSON.stringify(doc, null, 4) },
    { variant: 'indent-tab', text: JSON.stringify(doc, null, '\t') },
  ];
}

/** The policy bytes with their line endings or final newline changed. */
export function lineEndingVariants(bytes: Buffer): Array<{ variant: string; bytes: Buffer }> {
  // latin1: byte-preserving, whatever the bytes are
  return lineEndingEdits(bytes.toString('latin1')).map((e) => ({ variant: e.edit, bytes: Buffer.from(e.text, 'latin1') }));
}

const KEY_TIME = 'q-key-time';
const SIGN_TIME = 'q-sign-time';

function* cosMistakes(ctx: SignatureContext, expectedSignature: string, provided: string): Generator<MistakeCandidate> {
  const secret = ctx.secret;
  const keyTime = ctx.form.value(KEY_TIME) ?? '';
  const policy = formPolicy(COS_SHA1, ctx);
  const policyBytes = Buffer.from(policy.bytes);
  const expected = cosSign({ secretKey: secret, keyTime, policyJson: policyBytes });

  // Output encoding: the right bytes, written in base64 (or in uppercase hex).
  yield* hexOutputMistakes(expectedSignature, provided);

  // What was hashed into StringToSign.
  yield {
    mistake: 'signature.mistake.hashed-base64',
    facts: { hashed: 'policy-base64' },
    compute: () => cosSignature(expected.signKey, cosStringToSign(policy.base64)),
  };
  let doc: unknown;
  let parsed = false;
  try {
    doc = JSON.parse(policyBytes.toString('utf8'));
    parsed = true;
  } catch {
    parsed = false;
  }
  if (parsed) {
    for (const v of reserializations(doc)) {
      if (Buffer.from(v.text, 'utf8').equals(policyBytes)) continue;
      yield { mistake: 'signature.mistake.reserialized-json', facts: { variant: v.variant }, compute: () => cosSignature(expected.signKey, cosStringToSign(v.text)) };
    }
  }
  for (const v of lineEndingVariants(policyBytes)) {
    yield { mistake: 'signature.mistake.line-endings', facts: { variant: v.variant }, compute: () => cosSignature(expected.signKey, cosStringToSign(v.bytes)) };
  }

  // How the HMACs were keyed.
  yield { mistake: 'signature.mistake.binary-signkey', compute: () => hmacHex('sha1', hmac('sha1', secret, keyTime), expected.stringToSign) };
  yield { mistake: 'signature.mistake.swapped-hmac', facts: { step: 'Signature' }, compute: () => hmacHex('sha1', expected.stringToSign, expected.signKey) };
  yield { mistake: 'signature.mistake.swapped-hmac', facts: { step: 'SignKey' }, compute: () => cosSignature(hmacHex('sha1', keyTime, secret), expected.stringToSign) };
  yield { mistake: 'signature.mistake.swapped-hmac', facts: { step: 'both' }, compute: () => hmacHex('sha1', expected.stringToSign, hmacHex('sha1', keyTime, secret)) };

  // Which KeyTime was signed.
  const seen = new Set<string>([keyTime]);
  const keyTimes: Array<{ keyTime: string; source: string }> = [];
  const addKt = (kt: string, source: string): void => {
    if (!seen.has(kt)) {
      seen.add(kt);
      keyTimes.push({ keyTime: kt, source });
    }
  };
  const policyDoc = parsed ? doc : ctx.policy?.document;
  for (const v of policyEqValues(policyDoc, SIGN_TIME)) addKt(v, 'policy q-sign-time');
  ctx.form.all(KEY_TIME).forEach((f, i) => {
    if (i > 0) addKt(f.value, `q-key-time #${i + 1}`);
  });
  for (const f of ctx.form.all(SIGN_TIME)) addKt(f.value, 'q-sign-time field');
  addKt(keyTime.trim(), 'q-key-time trimmed');
  for (const k of keyTimes.slice(0, 6)) {
    yield {
      mistake: 'signature.mistake.stale-key-time',
      facts: { keyTime: k.keyTime, source: k.source, formKeyTime: keyTime },
      compute: () => cosSignature(cosSignKey(secret, k.keyTime), expected.stringToSign),
    };
  }

  // Which secret was used.
  yield* secretWhitespaceMistakes(secret, (s) => cosSignature(cosSignKey(s, keyTime), expected.stringToSign));
}

export const COS_SHA1: SigningScheme = {
  id: 'cos-sha1',
  provider: 'cos',
  name: 'COS',
  algorithm: 'sha1',
  fields: { policy: 'policy', signature: 'q-signature', accessKeyId: 'q-ak', algorithm: 'q-sign-algorithm', keyTime: KEY_TIME, token: 'x-cos-security-token' },
  conditionNames: { keyTime: SIGN_TIME },
  nameCase: 'any-case',
  detect: { marks: ['q-sign-algorithm', 'q-ak', KEY_TIME, 'q-signature'] },
  credential: null,
  chain: null,
  time: null,
  maxValiditySeconds: null,
  required: [KEY_TIME, 'q-signature', 'policy'],
  layout: { fields: ['policy', 'algorithm', 'accessKeyId', 'keyTime', 'signature', 'token'], pinned: ['algorithm', 'accessKeyId', 'keyTime', 'token'] },
  // the server hashes the decoded bytes, whatever they are (even invalid UTF-8)
  sign: (input) => signed(cosSign({ secretKey: input.secret, keyTime: input.field(KEY_TIME) ?? '', policyJson: input.policy.bytes })),
  verify: (ctx) =>
    verifyWithSecret(COS_SHA1, ctx, {
      afterSecret: (_ctx, policy) => (policy.bytes.length === 0 ? { reason: 'signature.policy-undecodable', facts: { field: 'policy' } } : null),
      facts: (c, policy) => {
        const keyTime = c.form.value(KEY_TIME) ?? '';
        const facts: Record<string, unknown> = { keyTime, policyBytes: policy.bytes.length };
        const kt = parseKeyTime(keyTime.trim());
        if (kt) {
          const nowSec = Math.floor(c.now.getTime() / 1000);
          facts['keyTimeStart'] = kt.start;
          facts['keyTimeEnd'] = kt.end;
          facts['keyTimeExpired'] = nowSec > kt.end;
          facts['keyTimeNotYetValid'] = nowSec < kt.start;
        }
        return facts;
      },
    }),
  refresh(_field, now, validitySeconds) {
    const nowSec = Math.floor(now.getTime() / 1000);
    const keyTime = formatKeyTime(nowSec, nowSec + validitySeconds);
    // the policy pins the key time as q-sign-time, even when the form only sends q-key-time
    return {
      updates: [
        { field: SIGN_TIME, value: keyTime, required: false },
        { field: KEY_TIME, value: keyTime, required: true, alsoCondition: SIGN_TIME },
      ],
    };
  },
  mistakes: cosMistakes,
};
