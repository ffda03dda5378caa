// Re-signing a captured form: refresh what time wears out (expiration, key time / signing date)
// and the signature, keeping every other field and condition as captured, so that a replay tells
// a time problem from the rest. What each scheme refreshes and how it signs is its description
// (src/providers/schemes).

import { InputError, UsageError } from '../core/errors.js';
import { FormView } from '../core/fields.js';
import type { FieldPart, ProviderId, UploadRequest } from '../core/types.js';
import { decodeBase64 } from '../policy/index.js';
import { replaceEqCondition } from '../providers/form.js';
import { SCHEMES, schemeFor, type SchemeId } from '../providers/schemes/index.js';
import { policyExpiration } from '../providers/time.js';

/** How long a re-signed form stays valid. */
export const RESIGN_VALIDITY_SECONDS = 15 * 60;

/** The schemes a secret key can re-sign (not GCS RSA, which needs the service account's private key). */
export type ResignScheme = Exclude<SchemeId, 'gcs-rsa'>;

export interface ResignChange {
  field: string;
  from: string;
  to: string;
}

export interface ResignResult {
  req: UploadRequest;
  scheme: ResignScheme;
  expiration: string;
  /** Form fields whose value changed (the policy and the signature included). */
  changed: ResignChange[];
  /** Policy conditions that were updated to the new values (field names). */
  conditions: string[];
}

function cloneRequest(req: UploadRequest): UploadRequest {
  return {
    ...req,
    headers: req.headers.map(([k, v]) => [k, v] as [string, string]),
    parts: req.parts.map((p) => ({ ...p })),
    bodyProblems: [...req.bodyProblems],
    notes: [...req.notes],
  };
}

/**
 * Re-sign a captured form at `now`: expiration = now + 15 min; key time / date and the
 * credential's date refreshed in the fields and in the conditions that pinned them; policy
 * re-encoded and signed again with `secret`. Everything else is kept.
 */
export function resign(input: UploadRequest, provider: ProviderId, secret: string, now: Date): ResignResult {
  if (!secret) throw new UsageError('cannot re-sign without the secret key');
  const req = cloneRequest(input);
  const form = new FormView(req);
  const field = (name: string): FieldPart | undefined => form.get(name);
  const policyPart = field('policy');
  if (!policyPart) throw new InputError('cannot re-sign: the form has no policy field', { field: 'policy' });
  const decoded = decodeBase64(policyPart.value);
  let doc: Record<string, unknown>;
  try {
    if (!decoded.bytes) throw new Error('undecodable');
    doc = JSON.parse(Buffer.from(decoded.bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InputError('cannot re-sign: the policy does not decode to JSON', { field: policyPart.name });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('cannot re-sign: the policy is not a JSON object', { field: policyPart.name });
  const conditions = Array.isArray(doc.conditions) ? (doc.conditions as unknown[]) : [];
  const id = schemeFor(provider, form);
  if (id === null) throw new InputError(`cannot re-sign: the form carries no ${provider.toUpperCase()} signing fields`);
  const scheme = SCHEMES[id];
  // (gcs-rsa has no refresh: named here so that `id` is a ResignScheme below)
  if (!scheme.refresh || id === 'gcs-rsa') throw new UsageError(`cannot re-sign a ${scheme.name} (service account) policy with a secret key; only HMAC signatures`);

  const nowSec = Math.floor(now.getTime() / 1000);
  const expiration = policyExpiration(new Date((nowSec + RESIGN_VALIDITY_SECONDS) * 1000), provider);
  doc.expiration = expiration;

  const changed: ResignChange[] = [];
  const touched: string[] = [];
  const touch = (name: string): void => {
    if (!touched.includes(name)) touched.push(name);
  };
  const set = (name: string, to: string, required: boolean): void => {
    const p = field(name);
    if (!p) {
      if (required) throw new InputError(`cannot re-sign: the form has no ${name} field`, { field: name });
      return;
    }
    if (p.value === to) return;
    if (replaceEqCondition(conditions, p.name, p.value, to)) touch(p.name);
    changed.push({ field: p.name, from: p.value, to });
    p.value = to;
  };

  // time fields first (the policy pins them), then the policy, then the signature over it
  const refresh = scheme.refresh((name) => form.value(name), now, RESIGN_VALIDITY_SECONDS);
  if ('problem' in refresh) throw new InputError(`cannot re-sign: ${refresh.problem.message}`, { field: refresh.problem.field });
  for (const u of refresh.updates) {
    const old = field(u.field)?.value;
    set(u.field, u.value, u.required);
    if (u.alsoCondition !== undefined && old !== undefined && replaceEqCondition(conditions, u.alsoCondition, old, u.value)) touch(u.alsoCondition);
  }

  const json = JSON.stringify(doc);
  const base64 = Buffer.from(json, 'utf8').toString('base64');
  changed.push({ field: policyPart.name, from: policyPart.value, to: base64 });
  policyPart.value = base64;
  const signature = scheme.sign({ secret, policy: { base64, bytes: Buffer.from(json, 'utf8') }, field: (name) => form.value(name) }).signature;
  const sigName = scheme.fields.signature;
  const sigPart = field(sigName);
  if (!sigPart) throw new InputError(`cannot re-sign: the form has no ${sigName} field`, { field: sigName });
  if (sigPart.value !== signature) changed.push({ field: sigPart.name, from: sigPart.value, to: signature });
  sigPart.value = signature;
  return { req, scheme: id, expiration, changed, conditions: touched };
}
