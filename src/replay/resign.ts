// --resign: refresh what time wears out (expiration, key time / signing date) and the signature,
// keeping every other field and condition as captured, so that a replay tells a time problem
// from the rest. The signing itself is the providers' own functions.

import { InputError, UsageError } from '../core/errors.js';
import { FormView } from '../core/fields.js';
import type { FieldPart, ProviderId, UploadRequest } from '../core/types.js';
import { decodeBase64 } from '../policy/index.js';
import { cosSign } from '../providers/cos/sign.js';
import { ossV1Sign, ossV4Sign, parseOssCredential } from '../providers/oss/sign.js';
import { parseV4Credential, s3V2Sign, s3V4Sign } from '../providers/s3/sign.js';
import { gcsHmacSign } from '../providers/gcs/sign.js';

/** How long a re-signed form stays valid. */
export const RESIGN_VALIDITY_SECONDS = 15 * 60;

export type ResignScheme = 'cos-sha1' | 'oss-v1' | 'oss-v4' | 's3-v4' | 's3-v2' | 'gcs-hmac';

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

/** yyyymmddTHHMMSSZ. */
export function compactTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
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

function schemeOf(provider: ProviderId, form: FormView): ResignScheme {
  switch (provider) {
    case 'cos':
      return 'cos-sha1';
    case 'oss':
      return form.get('x-oss-signature-version') || form.get('x-oss-credential') || form.get('x-oss-signature') ? 'oss-v4' : 'oss-v1';
    case 's3':
      return form.get('x-amz-credential') || form.get('x-amz-signature') || form.get('x-amz-algorithm') ? 's3-v4' : 's3-v2';
    case 'gcs':
      if ((form.value('x-goog-algorithm') ?? '').toUpperCase().includes('RSA')) throw new UsageError('--resign cannot re-sign a GCS RSA (service account) policy; only HMAC');
      return 'gcs-hmac';
  }
}

/** Replace the value of an exact-match condition on `field` whose value was `from`. */
function updateConditions(conditions: unknown[], field: string, from: string, to: string): boolean {
  const name = field.toLowerCase();
  let hit = false;
  for (const c of conditions) {
    if (Array.isArray(c)) {
      if (c.length === 3 && typeof c[0] === 'string' && c[0].toLowerCase() === 'eq' && typeof c[1] === 'string' && c[1].replace(/^\$/, '').toLowerCase() === name && c[2] === from) {
        c[2] = to;
        hit = true;
      }
    } else if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (k.replace(/^\$/, '').toLowerCase() === name && o[k] === from) {
          o[k] = to;
          hit = true;
        }
      }
    }
  }
  return hit;
}

/**
 * Re-sign a captured form at `now`: expiration = now + 15 min; key time / date and the
 * credential's date refreshed in the fields and in the conditions that pinned them; policy
 * re-encoded and signed again with `secret`. Everything else is kept.
 */
export function resign(input: UploadRequest, provider: ProviderId, secret: string, now: Date): ResignResult {
  if (!secret) throw new UsageError('--resign needs the secret key (--secret-env, --secret-file or the provider variable)');
  const req = cloneRequest(input);
  const form = new FormView(req);
  const field = (name: string): FieldPart | undefined => form.get(name);
  const policyPart = field('policy');
  if (!policyPart) throw new InputError('--resign: the form has no policy field to re-sign', { field: 'policy' });
  const decoded = decodeBase64(policyPart.value);
  let doc: Record<string, unknown>;
  try {
    if (!decoded.bytes) throw new Error('undecodable');
    doc = JSON.parse(Buffer.from(decoded.bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InputError('--resign: the policy does not decode to JSON; fix it before re-signing', { field: policyPart.name });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('--resign: the policy is not a JSON object', { field: policyPart.name });
  const conditions = Array.isArray(doc.conditions) ? (doc.conditions as unknown[]) : [];
  const scheme = schemeOf(provider, form);

  const nowSec = Math.floor(now.getTime() / 1000);
  const expDate = new Date((nowSec + RESIGN_VALIDITY_SECONDS) * 1000);
  const expiration = provider === 'gcs' ? expDate.toISOString().replace(/\.\d{3}Z$/, 'Z') : expDate.toISOString();
  doc.expiration = expiration;

  const changed: ResignChange[] = [];
  const touched: string[] = [];
  const set = (name: string, to: string, orAdd = false): void => {
    const p = field(name);
    if (!p) {
      if (orAdd) throw new InputError(`--resign: the form has no ${name} field`, { field: name });
      return;
    }
    if (p.value === to) return;
    if (updateConditions(conditions, p.name, p.value, to)) touched.push(p.name);
    changed.push({ field: p.name, from: p.value, to });
    p.value = to;
  };
  const compact = compactTime(now);
  const day = compact.slice(0, 8);

  // time fields first (the policy pins them), then the policy, then the signature over it
  let signWith: (policyBase64: string, policyJson: string) => [string, string];
  switch (scheme) {
    case 'cos-sha1': {
      const keyTime = `${nowSec};${nowSec + RESIGN_VALIDITY_SECONDS}`;
      const oldKeyTime = field('q-key-time')?.value;
      set('q-sign-time', keyTime);
      set('q-key-time', keyTime, true);
      // the policy pins the key time as q-sign-time even when the form only sends q-key-time
      if (oldKeyTime !== undefined && updateConditions(conditions, 'q-sign-time', oldKeyTime, keyTime) && !touched.includes('q-sign-time')) touched.push('q-sign-time');
      signWith = (_b, json) => ['q-signature', cosSign({ secretKey: secret, keyTime, policyJson: json }).signature];
      break;
    }
    case 'oss-v1':
      signWith = (b) => ['signature', ossV1Sign({ secret, policyBase64: b })];
      break;
    case 'oss-v4': {
      const credPart = field('x-oss-credential');
      const cred = credPart ? parseOssCredential(credPart.value) : null;
      if (!credPart || !cred) throw new InputError('--resign: x-oss-credential is missing or malformed', { field: 'x-oss-credential' });
      set('x-oss-date', compact, true);
      set(credPart.name, [cred.accessKeyId, day, cred.region, cred.service, cred.terminator].join('/'));
      signWith = (b) => ['x-oss-signature', ossV4Sign({ secret, date: day, region: cred.region, policyBase64: b }).signature];
      break;
    }
    case 's3-v4': {
      const credPart = field('x-amz-credential');
      const cred = credPart ? parseV4Credential(credPart.value) : null;
      if (!credPart || !cred) throw new InputError('--resign: x-amz-credential is missing or malformed', { field: 'x-amz-credential' });
      set('x-amz-date', compact, true);
      set(credPart.name, [cred.accessKeyId, day, cred.region, cred.service, cred.terminator].join('/'));
      signWith = (b) => ['x-amz-signature', s3V4Sign({ secret, date: day, region: cred.region, service: cred.service, policyBase64: b }).signature];
      break;
    }
    case 's3-v2':
      signWith = (b) => ['signature', s3V2Sign({ secret, policyBase64: b })];
      break;
    case 'gcs-hmac': {
      const credPart = field('x-goog-credential');
      const cred = credPart ? parseV4Credential(credPart.value) : null;
      if (!credPart || !cred) throw new InputError('--resign: x-goog-credential is missing or malformed', { field: 'x-goog-credential' });
      set('x-goog-date', compact, true);
      set(credPart.name, [cred.accessKeyId, day, cred.region, cred.service, cred.terminator].join('/'));
      signWith = (b) => ['x-goog-signature', gcsHmacSign({ secret, date: day, region: cred.region, policyBase64: b }).signature];
      break;
    }
  }

  const json = JSON.stringify(doc);
  const base64 = Buffer.from(json, 'utf8').toString('base64');
  changed.push({ field: policyPart.name, from: policyPart.value, to: base64 });
  policyPart.value = base64;
  const [sigName, signature] = signWith(base64, json);
  const sigPart = field(sigName);
  if (!sigPart) throw new InputError(`--resign: the form has no ${sigName} field`, { field: sigName });
  if (sigPart.value !== signature) changed.push({ field: sigPart.name, from: sigPart.value, to: signature });
  sigPart.value = signature;
  return { req, scheme, expiration, changed, conditions: touched };
}
