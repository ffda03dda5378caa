// COS POST Object signature (q-sign-algorithm=sha1): compute, verify with every
// intermediate, and when it does not match, find the usual mistake that reproduces it.
//
//   SignKey      = hex HMAC-SHA1(key = SecretKey, msg = KeyTime)
//   StringToSign = hex SHA1(policy JSON: the exact bytes the policy field decodes to)
//   Signature    = hex HMAC-SHA1(key = SignKey as hex text, msg = StringToSign as hex text)
import type { SignatureReport, SignatureStep } from '../../core/types.js';
import type { SignatureContext } from '../types.js';
import { decodeBase64Lenient, digestHex, fromBase64, fromHex, hmac, hmacHex, sameBytes, toBytes } from '../../crypto/index.js';
import { findMistake, notChecked, secretVariants, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';

export const COS_SCHEME = 'cos-sha1';

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

/** Values of exact-match conditions on `field` in a policy document ({"f": v} or ["eq", "$f", v]). */
export function policyEqValues(doc: unknown, field: string): string[] {
  const out: string[] = [];
  const conditions = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)['conditions'] : undefined;
  if (!Array.isArray(conditions)) return out;
  const want = field.toLowerCase();
  for (const c of conditions) {
    if (Array.isArray(c)) {
      if (c.length === 3 && String(c[0]).toLowerCase() === 'eq' && String(c[1]).replace(/^\$/, '').toLowerCase() === want && c[2] !== null && c[2] !== undefined) {
        out.push(String(c[2]));
      }
    } else if (c && typeof c === 'object') {
      for (const [k, v] of Object.entries(c as Record<string, unknown>)) {
        if (k.toLowerCase() === want && v !== null && v !== undefined && typeof v !== 'object') out.push(String(v));
      }
    }
  }
  return out;
}

function parseKeyTime(keyTime: string): { start: number; end: number } | null {
  const m = /^\s*(\d+)\s*;\s*(\d+)\s*$/.exec(keyTime);
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]) };
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
  const text = bytes.toString('latin1'); // byte-preserving
  const out: Array<{ variant: string; bytes: Buffer }> = [];
  const add = (variant: string, t: string): void => {
    if (t !== text && !out.some((o) => o.bytes.toString('latin1') === t)) out.push({ variant, bytes: Buffer.from(t, 'latin1') });
  };
  if (text.includes('\r\n')) add('crlf-to-lf', text.replace(/\r\n/g, '\n'));
  if (/(^|[^\r])\n/.test(text)) add('lf-to-crlf', text.replace(/\r?\n/g, '\r\n'));
  if (/\r?\n$/.test(text)) add('trailing-newline-removed', text.replace(/\r?\n$/, ''));
  else {
    add('trailing-newline-added', `${text}\n`);
    add('trailing-crlf-added', `${text}\r\n`);
  }
  return out;
}

/** Recompute the form's COS signature with the supplied secret and compare. */
export function verifySignature(ctx: SignatureContext): SignatureReport {
  return verifyCos(ctx);
}

export function verifyCos(ctx: SignatureContext): SignatureReportWithFacts {
  const form = ctx.form;
  const values: Record<string, string | undefined> = {
    'q-key-time': form.value('q-key-time'),
    'q-signature': form.value('q-signature'),
    policy: form.value('policy'),
  };
  const absent = Object.keys(values).filter((k) => values[k] === undefined);
  const empty = Object.keys(values).filter((k) => values[k] !== undefined && values[k]!.trim() === '');
  const provided = values['q-signature'] ?? null;
  if (absent.length || empty.length) {
    return notChecked(COS_SCHEME, 'signature.fields-missing', { scheme: COS_SCHEME, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  if (!ctx.secret) return notChecked(COS_SCHEME, 'signature.no-secret', { scheme: COS_SCHEME }, [], provided);

  const keyTime = values['q-key-time']!;
  const policyText = values['policy']!;
  const signatureText = provided!;
  // The server hashes the decoded bytes, whatever they are (even invalid UTF-8).
  const policyBytes = decodeBase64Lenient(policyText);
  if (policyBytes.length === 0) {
    return notChecked(COS_SCHEME, 'signature.policy-undecodable', { scheme: COS_SCHEME, field: 'policy' }, [], signatureText);
  }

  const r = cosSign({ secretKey: ctx.secret, keyTime, policyJson: policyBytes });
  const steps: SignatureStep[] = [
    { name: 'KeyTime', value: r.keyTime },
    { name: 'SignKey', value: r.signKey, secret: true },
    { name: 'StringToSign', value: r.stringToSign },
    { name: 'Signature', value: r.signature },
  ];
  const facts: Record<string, unknown> = { scheme: COS_SCHEME, keyTime, policyBytes: policyBytes.length };
  const kt = parseKeyTime(keyTime);
  if (kt) {
    const nowSec = Math.floor(ctx.now.getTime() / 1000);
    facts['keyTimeStart'] = kt.start;
    facts['keyTimeEnd'] = kt.end;
    facts['keyTimeExpired'] = nowSec > kt.end;
    facts['keyTimeNotYetValid'] = nowSec < kt.start;
  }
  const valid = r.signature === signatureText;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signatureText, cosMistakes(ctx, { keyTime, policyText, policyBytes, expected: r, provided: signatureText }));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: COS_SCHEME, checked: true, valid, steps, expected: r.signature, provided: signatureText, mistake, facts };
}

interface CosState {
  keyTime: string;
  policyText: string;
  policyBytes: Buffer;
  expected: CosSignResult;
  provided: string;
}

function* cosMistakes(ctx: SignatureContext, s: CosState): Generator<MistakeCandidate> {
  const { expected, provided, policyBytes, keyTime } = s;
  const secret = ctx.secret;

  // Output encoding: the right bytes, written in base64 (or in uppercase hex).
  yield {
    mistake: 'signature.mistake.base64-output',
    compute: () => (sameBytes(fromBase64(provided), fromHex(expected.signature)) ? provided : null),
  };
  yield {
    mistake: 'signature.mistake.uppercase-hex',
    compute: () => (provided !== expected.signature && provided.toLowerCase() === expected.signature ? provided : null),
  };

  // What was hashed into StringToSign.
  yield {
    mistake: 'signature.mistake.hashed-base64',
    facts: { hashed: 'policy-base64' },
    compute: () => cosSignature(expected.signKey, cosStringToSign(s.policyText)),
  };
  let doc: unknown = undefined;
  let parsed = false;
  try {
    doc = JSON.parse(policyBytes.toString('utf8'));
    parsed = true;
  } catch {
    parsed = false;
  }
  if (parsed) {
    for (const v of reserializations(doc)) {
      if (sameBytes(Buffer.from(v.text, 'utf8'), policyBytes)) continue;
      yield {
        mistake: 'signature.mistake.reserialized-json',
        facts: { variant: v.variant },
        compute: () => cosSignature(expected.signKey, cosStringToSign(v.text)),
      };
    }
  }
  for (const v of lineEndingVariants(policyBytes)) {
    yield {
      mistake: 'signature.mistake.line-endings',
      facts: { variant: v.variant },
      compute: () => cosSignature(expected.signKey, cosStringToSign(v.bytes)),
    };
  }

  // How the HMACs were keyed.
  yield {
    mistake: 'signature.mistake.binary-signkey',
    compute: () => hmacHex('sha1', hmac('sha1', secret, keyTime), expected.stringToSign),
  };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { step: 'Signature' },
    compute: () => hmacHex('sha1', expected.stringToSign, expected.signKey),
  };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { step: 'SignKey' },
    compute: () => cosSignature(hmacHex('sha1', keyTime, secret), expected.stringToSign),
  };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { step: 'both' },
    compute: () => hmacHex('sha1', expected.stringToSign, hmacHex('sha1', keyTime, secret)),
  };

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
  for (const v of policyEqValues(policyDoc, 'q-sign-time')) addKt(v, 'policy q-sign-time');
  ctx.form.all('q-key-time').forEach((f, i) => {
    if (i > 0) addKt(f.value, `q-key-time #${i + 1}`);
  });
  for (const f of ctx.form.all('q-sign-time')) addKt(f.value, 'q-sign-time field');
  addKt(keyTime.trim(), 'q-key-time trimmed');
  for (const k of keyTimes.slice(0, 6)) {
    yield {
      mistake: 'signature.mistake.stale-key-time',
      facts: { keyTime: k.keyTime, source: k.source, formKeyTime: keyTime },
      compute: () => cosSignature(cosSignKey(secret, k.keyTime), expected.stringToSign),
    };
  }

  // Which secret was used.
  for (const v of secretVariants(secret)) {
    yield {
      mistake: 'signature.mistake.secret-whitespace',
      facts: { variant: v.variant },
      compute: () => cosSignature(cosSignKey(v.secret, keyTime), expected.stringToSign),
    };
  }
}
