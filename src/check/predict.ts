// What each provider answers to a problem the generic checks find: one table, keyed by
// situation, naming knowledge-base entries (rules/kb; KbId makes a missing one a compile error).

import type { KbId } from '../generated/ids.js';
import { kbEntry } from '../core/catalogue.js';
import type { Prediction, ProviderId, ServerFlavour } from '../core/types.js';
import { goConditionError, goExpirationError, goUnmarshalError } from '../checks/s3-minio.js';

/** Whose answer: a provider, or the Ceph RGW or MinIO flavour of S3. */
export type Target = ProviderId | 'rgw' | 'minio';

/**
 * A cell whose entry documents the answer (its code, at most its status) but not that the
 * provider gives it in this situation: predicted, and said as "probably" (Prediction.basis).
 */
interface Inferred {
  inferred: KbId;
}
const inferred = (rule: KbId): Inferred => ({ inferred: rule });
type Cell = KbId | Inferred | null;

/**
 * Situation -> target -> KB entry id. `rgw` falls back to `s3` when absent; `minio` does not (an
 * absent cell is an answer not known from MinIO's source, and MinIO's wordings are its own);
 * `null` says the target answers nothing for this situation (Ceph RGW or MinIO accepts what AWS
 * refuses). The `minio` cells follow github.com/minio/minio (commit 7aac2a2c): PostPolicyBucketHandler
 * in cmd/bucket-handlers.go, parsePostPolicyForm / checkPostPolicy in cmd/postpolicyform.go, the
 * errorCodes table in cmd/api-errors.go; where the answer depends on the facts (the Go error text
 * appended to an unreadable policy), minioPrediction below decides.
 */
/**
 * OBS's error-code table gives InvalidPolicyDocument ("the form does not match the policy") and no
 * answer to a policy it cannot read: that code is the likeliest, not a documented answer.
 */
const OBS_POLICY = inferred('obs.code.invalid-policy-document');
/** MalformedPOSTRequest is in Open Telekom Cloud's S3-compatible code table, not OBS's own. */
const OBS_MALFORMED = inferred('obs.code.malformed-post-request');
/** What a policy the server cannot read at all gets, where the answer does not depend on why. */
const UNREADABLE_POLICY = {
  cos: 'cos.code.invalid-policy-document',
  oss: 'oss.ec.policy-invalid',
  s3: 's3.post.invalid-json',
  rgw: 'rgw.post.policy-undecodable',
  obs: OBS_POLICY,
} as const satisfies Partial<Record<Target, Cell>>;

export const PREDICTIONS: Record<string, Partial<Record<Target, Cell>>> = {
  // policy text
  // MinIO: base64.StdEncoding.DecodeString of the policy fails (PostPolicyBucketHandler):
  // MalformedPOSTRequest without a reason. Empty, BOM and non-UTF-8 policies have rows of their
  // own (src/check/findings.ts tries a problem's own row first): MinIO and TOS decode those as
  // base64, and what they answer then is not documented (null).
  'policy.base64': { ...UNREADABLE_POLICY, tos: 'tos.post.policy-not-base64', minio: 'minio.post.malformed-post-request-bare' },
  'policy.empty': { ...UNREADABLE_POLICY, tos: null, minio: null },
  'policy.bom': { ...UNREADABLE_POLICY, tos: null, minio: null },
  'policy.not-utf8': { ...UNREADABLE_POLICY, tos: null, minio: null },
  'policy.json-invalid.unknown-character': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.invalid-json-unknown-character',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-json',
    obs: OBS_POLICY,
    tos: 'tos.post.policy-invalid-json',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.json-invalid.expected': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.invalid-json-expected',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-json',
    obs: OBS_POLICY,
    tos: 'tos.post.policy-invalid-json',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.not-object': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    minio: 'minio.post.policy-invalid-format',
  },
  // expiration
  'policy.expiration-missing': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-missing',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.missing-expiration',
    obs: OBS_POLICY,
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.expiration-not-string': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-not-string',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: OBS_POLICY,
    tos: inferred('tos.post.policy-expiration-format'),
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.expiration-empty': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-expiration-empty',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: OBS_POLICY,
    tos: inferred('tos.post.policy-expiration-format'),
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.expiration-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-expiration',
    rgw: 'rgw.post.invalid-expiration',
    obs: OBS_POLICY,
    tos: 'tos.post.policy-expiration-format',
    minio: 'minio.post.policy-invalid-format',
  },
  // conditions
  // MinIO: no conditions is a policy without conditions; s3.policy-fields reports the form
  // values it then refuses (checkPostPolicy: "... not specified in the policy").
  'policy.conditions-missing': {
    cos: 'cos.post.policy-no-condition',
    oss: 'oss.ec.policy-conditions-missing',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    minio: null,
  },
  'policy.conditions-not-array': {
    cos: 'cos.post.policy-no-condition',
    oss: 'oss.ec.policy-conditions-not-array',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.policy-conditions-not-list',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.conditions-empty': { cos: 'cos.post.policy-no-condition', oss: 'oss.ec.policy-invalid', minio: null },
  'policy.simple-condition-properties': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.post.simple-condition',
    s3: 's3.post.simple-condition',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.condition-map-size',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.condition-invalid-type': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-item-type',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.condition-unknown-operator': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-no-match-mode',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.invalid-condition',
    obs: OBS_POLICY,
    tos: 'tos.post.condition-operator',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.condition-arity': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-condition-argument-count',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.condition-list-length',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.condition-field-prefix': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.condition-field-name',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.condition-field-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.condition-field-name',
    minio: 'minio.post.policy-invalid-format',
  },
  'policy.content-length-range-invalid': {
    cos: 'cos.code.invalid-policy-document',
    oss: 'oss.ec.policy-invalid',
    s3: 's3.post.invalid-json',
    rgw: 'rgw.post.policy-unparsable',
    obs: OBS_POLICY,
    tos: 'tos.post.content-length-range-invalid',
    minio: 'minio.post.policy-invalid-format',
  },
  // TOS documents a minimum above the maximum as EC 0017-00000412 (the others: not documented)
  'policy.content-length-range-order': { tos: 'tos.post.content-length-range-invalid' },
  // MinIO refuses a condition value that is not a string (parsePostPolicyForm's isString pre-check);
  // AWS takes numbers and booleans, so for the others this stays a warning without an answer
  'policy.condition-value-type': { minio: 'minio.post.policy-invalid-format' },
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
    minio: 'minio.post.policy-expired',
  },
  // MinIO compares no request time with its clock for a POST form (only the policy's expiration)
  'time.clock-skew': { cos: 'cos.code.request-time-too-skewed', oss: 'oss.code.request-time-too-skewed', s3: 's3.code.request-time-too-skewed', minio: null },
  'time.validity-too-long': { oss: 'oss.ec.policy-invalid' },
  // signature
  'signature.invalid': {
    cos: 'cos.post.signature-invalid',
    oss: 'oss.post.signature-mismatch',
    s3: 's3.post.signature-mismatch',
    rgw: 'rgw.post.signature-mismatch',
    gcs: 'gcs.post.signature-mismatch',
    obs: 'obs.post.signature-mismatch',
    tos: inferred('tos.post.signature-mismatch'),
    minio: 'minio.post.signature-mismatch',
  },
  // body
  'body.malformed': { cos: 'cos.post.malformed-body', oss: 'oss.post.malformed-body', s3: 's3.code.malformed-post-request', rgw: 'rgw.post.malformed-body', obs: OBS_MALFORMED },
  'body.missing-boundary': {
    cos: 'cos.post.malformed-body',
    oss: 'oss.post.malformed-body',
    s3: 's3.code.malformed-post-request',
    rgw: 'rgw.post.missing-boundary',
    obs: OBS_MALFORMED,
    minio: 'minio.post.malformed-post-request',
  },
  // MinIO: a POST whose Content-Type is not multipart/form-data never reaches the POST policy
  // handler (api-router.go, isRequestPostPolicySignatureV4): the router's fallback answers it
  // (handler-utils.go errorResponseHandler), with the method and path (body-problems.ts fills them).
  'body.not-multipart': {
    cos: 'cos.post.malformed-body',
    oss: 'oss.post.malformed-body',
    s3: 's3.post.not-multipart',
    rgw: 'rgw.post.not-multipart',
    obs: inferred('obs.code.request-is-not-multipart'),
    minio: 'minio.post.unsupported-api-call',
  },
  // RGW only: a field part runs to the end of the body without a delimiter ("Couldn't find boundary")
  'body.boundary-not-found': { rgw: 'rgw.post.boundary-not-found' },
  // RGW only: a part without a usable name is read as a field named "" that no condition covers
  'body.nameless-part': { rgw: 'rgw.post.missing-condition' },
  // file
  // TOS: a form without a file part (EC 0017-00000421); several files: not documented
  'file.missing': { tos: 'tos.post.file-missing', minio: 'minio.post.file-missing' },
  // OBS documents the codes of these answers (the error-code table, which situation gets which
  // code read from each code's description there), not their wording; its
  // answers to an expired policy or a failed condition are not documented, so none is predicted.
  // RGW 16.2 stores an empty object for a form without a file and keeps the first of several files
  // MinIO stores the first part named "file" and reads nothing after it
  'file.count': {
    cos: 'cos.code.incorrect-number-of-files-in-post-request',
    oss: 'oss.code.incorrect-number-of-files-in-post-request',
    s3: 's3.post.one-file',
    rgw: null,
    obs: 'obs.code.incorrect-number-of-files',
    minio: null,
  },
  'file.too-large': {
    cos: 'cos.code.entity-too-large',
    oss: 'oss.code.entity-too-large',
    s3: 's3.post.entity-too-large',
    rgw: 'rgw.post.entity-too-large',
    gcs: 'gcs.post.invalid-policy-document',
    obs: 'obs.code.entity-too-large',
    tos: 'tos.post.size-out-of-range',
    minio: 'minio.post.entity-too-large',
  },
  'file.too-small': {
    cos: 'cos.code.entity-too-small',
    oss: 'oss.code.entity-too-small',
    s3: 's3.post.entity-too-small',
    rgw: 'rgw.post.entity-too-small',
    gcs: 'gcs.post.invalid-policy-document',
    obs: 'obs.code.entity-too-small',
    tos: 'tos.post.size-out-of-range',
    minio: 'minio.post.entity-too-small',
  },
  'file.over-provider-limit': {
    cos: 'cos.code.entity-too-large',
    oss: 'oss.code.entity-too-large',
    s3: 's3.post.entity-too-large',
    rgw: 'rgw.post.entity-too-large',
    obs: 'obs.code.entity-too-large',
    tos: inferred('tos.code.entity-too-large'),
  },
};

export function target(provider: ProviderId, server: ServerFlavour): Target {
  if (provider !== 's3' || server === 'aws') return provider;
  return server;
}

/** The KB id predicted for a situation, or null when the table names none (or it does not exist). */
export function predictedRule(key: string, provider: ProviderId, server: ServerFlavour): KbId | null {
  return predictedCell(key, provider, server)?.rule ?? null;
}

/** The table's prediction for a situation (see Cell), or null. */
function predictedCell(key: string, provider: ProviderId, server: ServerFlavour): Prediction | null {
  const row = PREDICTIONS[key];
  if (!row) return null;
  const t = target(provider, server);
  if (row[t] === null) return null;
  const candidates = t === 'rgw' ? [row.rgw, row.s3] : [row[t]];
  for (const cell of candidates) {
    if (!cell) continue;
    const p: Prediction = typeof cell === 'string' ? { rule: cell } : { rule: cell.inferred, basis: 'inferred' };
    if (kbEntry(p.rule)) return p;
  }
  return null;
}

/** The situations whose MinIO answer is MinIO's reading of one policy condition (facts.condition, as JSON). */
const MINIO_CONDITION_KEYS = new Set([
  'policy.simple-condition-properties',
  'policy.condition-invalid-type',
  'policy.condition-unknown-operator',
  'policy.condition-arity',
  'policy.condition-field-prefix',
  'policy.condition-field-invalid',
  'policy.content-length-range-invalid',
  'policy.condition-value-type',
]);

/**
 * MinIO's answer where it depends on the facts: a prediction, null when MinIO accepts (or another
 * check reports what it refuses), undefined to take the table's cell as it is. An unreadable
 * policy is answered 403 PostPolicyInvalidKeyName with Go's error appended
 * (PostPolicyBucketHandler: "%s '(%s)'" of parsePostPolicyForm's error); the reason is filled in
 * only where Go's text is certain, else the entry's {reason} placeholder stays.
 */
function minioPrediction(key: string, vars: Record<string, string | number>): Prediction | null | undefined {
  const invalid = (reason: string | null | undefined): Prediction | null => {
    const rule: KbId = 'minio.post.policy-invalid-format';
    if (!kbEntry(rule)) return null;
    return typeof reason === 'string' ? { rule, vars: { reason } } : { rule };
  };
  switch (key) {
    case 'policy.json-invalid.unknown-character':
    case 'policy.json-invalid.expected':
      // the jstream decoder's error (internal/s3select/jstream): position and context not reproduced
      return invalid(undefined);
    case 'policy.not-object':
      // sanitizePolicy re-encodes top-level objects only: json.Decoder then reads nothing (io.EOF)
      return invalid('EOF');
    case 'policy.expiration-missing':
      return invalid(goExpirationError(''));
    case 'policy.expiration-not-string':
      // a JSON null leaves the Go string empty: time.Parse of ""
      return invalid(vars.type === 'null' ? goExpirationError('') : goUnmarshalError(vars.type, 'expiration'));
    case 'policy.expiration-empty':
    case 'policy.expiration-invalid':
      return invalid(typeof vars.value === 'string' ? goExpirationError(vars.value) : undefined);
    case 'policy.conditions-not-array':
      // a JSON null is no conditions at all (s3.policy-fields reports what that refuses)
      return vars.type === 'null' ? null : invalid(goUnmarshalError(vars.type, 'conditions'));
    case 'body.missing-boundary':
      // multipartReader: http.ErrMissingBoundary, appended to MalformedPOSTRequest
      return kbEntry('minio.post.malformed-post-request') ? { rule: 'minio.post.malformed-post-request', vars: { reason: 'no multipart boundary param in Content-Type' } } : null;
  }
  if (MINIO_CONDITION_KEYS.has(key)) {
    let raw: unknown;
    try {
      raw = JSON.parse(String(vars.condition));
    } catch {
      return invalid(undefined);
    }
    const reason = goConditionError(raw);
    return reason === null ? null : invalid(reason);
  }
  return undefined;
}

export function predict(key: string, ctx: { provider: ProviderId; server: ServerFlavour }, vars?: Record<string, string | number>): Prediction | null {
  if (target(ctx.provider, ctx.server) === 'minio') {
    const m = minioPrediction(key, vars ?? {});
    if (m !== undefined) return m;
    // the table's MinIO entries take no variables: the facts never fill MinIO's wording
    return predictedCell(key, ctx.provider, ctx.server);
  }
  const p = predictedCell(key, ctx.provider, ctx.server);
  if (!p) return null;
  return vars ? { ...p, vars } : p;
}
