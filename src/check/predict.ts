// What each provider answers to a problem the generic checks find: one table, keyed by
// situation, naming knowledge-base entries (rules/kb; KbId makes a missing one a compile error).

import type { KbId } from '../generated/ids.js';
import { kbEntry } from '../core/catalogue.js';
import type { Prediction, ProviderId, ServerFlavour } from '../core/types.js';

/** Whose answer: a provider, or the Ceph RGW flavour of S3. */
export type Target = ProviderId | 'rgw';

/**
 * Situation -> target -> KB entry id. `rgw` falls back to `s3` when absent; `null` says the
 * target answers nothing for this situation (Ceph RGW accepts what AWS refuses).
 */
export const PREDICTIONS: Record<string, Partial<Record<Target, KbId | null>>> = {
  // policy text
  'policy.base64': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-undecodable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-not-base64',
  },
  'policy.json-invalid.unknown-character': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.invalid-json-unknown-character',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-json',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-invalid-json',
  },
  'policy.json-invalid.expected': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.invalid-json-expected',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-json',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-invalid-json',
  },
  'policy.not-object': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
  },
  // expiration
  'policy.expiration-missing': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-missing',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.missing-expiration',
    obs: 'obs.code.invalid-policy-document',
  },
  'policy.expiration-not-string': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-not-string',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-expiration-format',
  },
  'policy.expiration-empty': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-empty',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-expiration-format',
  },
  'policy.expiration-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-expiration-format',
  },
  // conditions
  'policy.conditions-missing': {
    cos: 'cos.post.policy-no-condition',
    oss: 'oss.ec.policy-conditions-missing',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
  },
  'policy.conditions-not-array': {
    cos: 'cos.post.policy-no-condition',
    oss: 'oss.ec.policy-conditions-not-array',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.policy-conditions-not-list',
  },
  'policy.conditions-empty': { cos: 'cos.post.policy-no-condition', oss: 'oss.ec.policy-invalid' },
  'policy.simple-condition-properties': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.simple-condition',
    s3: 's3.post.simple-condition',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.condition-map-size',
  },
  'policy.condition-invalid-type': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-item-type',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
  },
  'policy.condition-unknown-operator': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-no-match-mode',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-condition',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.condition-operator',
  },
  'policy.condition-arity': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-argument-count',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.condition-list-length',
  },
  'policy.condition-field-prefix': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.condition-field-name',
  },
  'policy.condition-field-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.condition-field-name',
  },
  'policy.content-length-range-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: 'obs.code.invalid-policy-document',
    tos: 'tos.post.content-length-range-invalid',
  },
  // time
  // GCS answers every policy failure with InvalidPolicyDocument, the reason in <Details>. For
  // content-length-range this rests on that entry's own description, not on a captured answer:
  // the <Details> wording of an oversized or undersized GCS upload is unverified.
  'time.expired': {
    cos: 'cos.post.expired',
    oss: 'oss.post.policy-expired',
    s3: 's3.post.policy-expired',
    rgw: 'rgw.post.policy-expired',
    gcs: 'gcs.post.invalid-policy-document',
    tos: 'tos.post.policy-expired',
  },
  'time.clock-skew': { cos: 'cos.code.request-time-too-skewed', oss: 'oss.code.request-time-too-skewed', s3: 's3.code.request-time-too-skewed' },
  'time.validity-too-long': { oss: 'oss.ec.policy-invalid' },
  // signature
  'signature.invalid': {
    cos: 'cos.post.signature-invalid',
    oss: 'oss.post.signature-mismatch',
    s3: 's3.post.signature-mismatch',
    rgw: 'rgw.post.signature-mismatch',
    gcs: 'gcs.post.signature-mismatch',
    obs: 'obs.post.signature-mismatch',
    tos: 'tos.post.signature-mismatch',
  },
  // body
  'body.malformed': { cos: 'cos.post.malformed-body', oss: 'oss.post.malformed-body', s3: 's3.code.malformed-post-request', rgw: 'rgw.post.malformed-body', obs: 'obs.code.malformed-post-request' },
  'body.missing-boundary': {
    cos: 'cos.post.malformed-body',
    oss: 'oss.post.malformed-body',
    s3: 's3.code.malformed-post-request',
    rgw: 'rgw.post.missing-boundary',
    obs: 'obs.code.malformed-post-request',
  },
  'body.not-multipart': { cos: 'cos.post.malformed-body', oss: 'oss.post.malformed-body', s3: 's3.post.not-multipart', rgw: 'rgw.post.not-multipart', obs: 'obs.code.request-is-not-multipart' },
  // RGW only: a field part runs to the end of the body without a delimiter ("Couldn't find boundary")
  'body.boundary-not-found': { rgw: 'rgw.post.boundary-not-found' },
  // RGW only: a part without a usable name is read as a field named "" that no condition covers
  'body.nameless-part': { rgw: 'rgw.post.missing-condition' },
  // file
  // TOS: a form without a file part (EC 0017-00000421); several files: not documented
  'file.missing': { tos: 'tos.post.file-missing' },
  // OBS documents the codes of these answers (the error-code table), not their wording; its
  // answers to an expired policy or a failed condition are not documented, so none is predicted.
  // RGW 16.2 stores an empty object for a form without a file and keeps the first of several files
  'file.count': {
    cos: 'cos.code.incorrect-number-of-files-in-post-request',
    oss: 'oss.code.incorrect-number-of-files-in-post-request',
    s3: 's3.post.one-file',
    rgw: null,
    obs: 'obs.code.incorrect-number-of-files',
  },
  'file.too-large': {
    cos: 'cos.code.entity-too-large',
    oss: 'oss.code.entity-too-large',
    s3: 's3.post.entity-too-large',
    rgw: 'rgw.post.entity-too-large',
    gcs: 'gcs.post.invalid-policy-document',
    obs: 'obs.code.entity-too-large',
    tos: 'tos.post.size-out-of-range',
  },
  'file.too-small': {
    cos: 'cos.code.entity-too-small',
    oss: 'oss.code.entity-too-small',
    s3: 's3.post.entity-too-small',
    rgw: 'rgw.post.entity-too-small',
    gcs: 'gcs.post.invalid-policy-document',
    obs: 'obs.code.entity-too-small',
    tos: 'tos.post.size-out-of-range',
  },
  'file.over-provider-limit': {
    cos: 'cos.code.entity-too-large',
    oss: 'oss.code.entity-too-large',
    s3: 's3.post.entity-too-large',
    rgw: 'rgw.post.entity-too-large',
    obs: 'obs.code.entity-too-large',
    tos: 'tos.code.entity-too-large',
  },
};

export function target(provider: ProviderId, server: ServerFlavour): Target {
  return provider === 's3' && server === 'rgw' ? 'rgw' : provider;
}

/** The KB id predicted for a situation, or null when the table names none (or it does not exist). */
export function predictedRule(key: string, provider: ProviderId, server: ServerFlavour): KbId | null {
  const row = PREDICTIONS[key];
  if (!row) return null;
  const t = target(provider, server);
  if (row[t] === null) return null;
  const candidates = t === 'rgw' ? [row.rgw, row.s3] : [row[t]];
  for (const id of candidates) {
    if (id && kbEntry(id)) return id;
  }
  return null;
}

export function predict(key: string, ctx: { provider: ProviderId; server: ServerFlavour }, vars?: Record<string, string | number>): Prediction | null {
  const rule = predictedRule(key, ctx.provider, ctx.server);
  if (!rule) return null;
  return vars ? { rule, vars } : { rule };
}
