// How MinIO reads a POST policy form, for the S3 checks' `--server minio` branches (not a check
// itself). Everything here follows MinIO's source (github.com/minio/minio, snapshot of
// 2026-02-12, commit 7aac2a2c); each rule names the file and function it comes from:
//
// - cmd/bucket-handlers.go PostPolicyBucketHandler reads the parts in order and stops at the
//   first part named exactly "file" (`name != "file"`), whether or not it has a filename; every
//   other named part before it, file parts under another name included, becomes a form value
//   under its Go canonical name (http.CanonicalHeaderKey: "x-amz-date" -> "X-Amz-Date"); parts
//   without a form-data name are skipped; x-minio-fanout-list is not a form value. It then sets
//   `Bucket` to the bucket of the URL and replaces `${filename}` in `Key`.
// - cmd/postpolicyform.go checkPostPolicy: the expiration first, then every eq / starts-with
//   condition in order (operator and field name lower-cased by parsePostPolicyForm). A field sent
//   more than once fails any condition on it. The fields of startsWithConds are compared and
//   answered without naming the condition; starts-with is refused on bucket, x-amz-algorithm,
//   x-amz-credential, x-amz-date and tagging. Other x-amz-* fields are compared and the failed
//   condition is named. Conditions on any other field are never compared. An absent field
//   compares as "". Last, every form value no condition names is refused, except those of
//   keyInPolicyExceptions, X-Ignore-*, and (SigV2) Signature / AWSAccessKeyId.
// - cmd/signature-v4.go doesPolicySignatureMatch: SigV2 when a `Signature` field is sent, else
//   SigV4, which never reads x-amz-algorithm or x-amz-date (only a policy condition does).
import type { FormView } from '../core/fields.js';
import type { Part, Prediction } from '../core/types.js';
import { FILENAME_VARIABLE } from '../providers/form.js';
import { predictFirst, type MatchCondition } from './shared.js';

/** The token characters of an HTTP field name (Go's validHeaderFieldByte). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;

/**
 * Go's http.CanonicalHeaderKey (net/textproto CanonicalMIMEHeaderKey): the first letter and every
 * letter after a hyphen upper-cased, the rest lower-cased; a name with any byte outside the token
 * characters (a space, non-ASCII) is left as it is.
 */
export function goCanonical(name: string): string {
  if (!TOKEN.test(name)) return name;
  let upper = true;
  let out = '';
  for (const c of name) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

/** One value of a MinIO form: the part and its text (null for a file part read as a value). */
export interface MinioValue {
  part: Part;
  value: string | null;
}

/** The form as PostPolicyBucketHandler holds it (`formValues`), before `Bucket` is added. */
export interface MinioForm {
  /** Canonical name -> values in the order sent. */
  values: Map<string, MinioValue[]>;
  /** The part MinIO stores: the first part named exactly "file", or null (the upload is refused). */
  file: Part | null;
  /** The file's name as MinIO takes it: the part's filename, else the first `key` value. */
  fileName: string;
}

export function minioForm(form: FormView): MinioForm {
  const values = new Map<string, MinioValue[]>();
  let file: Part | null = null;
  for (const p of form.parts) {
    if (p.name === '') continue;
    if (p.name === 'file') {
      file = p;
      break;
    }
    const name = goCanonical(p.name);
    if (name === 'X-Minio-Fanout-List') continue;
    const list = values.get(name) ?? [];
    list.push({ part: p, value: p.kind === 'field' ? p.value : null });
    values.set(name, list);
  }
  const key = values.get('Key')?.[0]?.value ?? '';
  const fileName = file?.kind === 'file' && file.filename ? file.filename : key;
  return { values, file, fileName };
}

/** formValues.Get: the first value of a field ("" when absent); null for a file part's unknown content. */
export function minioGet(mf: MinioForm, name: string): string | null {
  const first = mf.values.get(goCanonical(name))?.[0];
  return first ? first.value : '';
}

/** Form values that need no condition (postpolicyform.go keyInPolicyExceptions, compared with the canonical name). */
const EXEMPT = new Set([
  'X-Amz-Signature',
  'File',
  'Policy',
  // minio-go pkg/encrypt: SseKmsKeyID, SseEncryptionContext, SseCustomerAlgorithm, SseCustomerKey
  'X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id',
  'X-Amz-Server-Side-Encryption-Context',
  'X-Amz-Server-Side-Encryption-Customer-Algorithm',
  'X-Amz-Server-Side-Encryption-Customer-Key',
  // SseCustomerKeyMD5 is spelt "...-Key-MD5" there, which never equals the canonical "...-Key-Md5"
  // of a form value: MinIO asks for a condition on that field all the same.
]);

/** Is a form value (by any spelling) one checkPostPolicy does not require a condition for? */
export function minioExempt(name: string, mf: MinioForm): boolean {
  const c = goCanonical(name);
  if (EXEMPT.has(c) || c.startsWith('X-Ignore-')) return true;
  // "For SignV2 - Signature/AWSAccessKeyId fields do not need to be in the policy"
  return mf.values.has('Signature') && (c === 'Signature' || c.toLowerCase() === 'awsaccesskeyid');
}

/** Does some eq / starts-with condition name this field (the name lower-cased, then canonical)? */
export function minioCovered(conditions: readonly MatchCondition[], name: string): boolean {
  const c = goCanonical(name);
  return conditions.some((x) => goCanonical(x.field.toLowerCase()) === c);
}

/**
 * The form values no condition names, canonical names in the order sent and `Bucket` last:
 * what MinIO lists in "... %q not specified in the policy." (it joins them in Go's map order,
 * which varies from one request to the next when there are several).
 */
export function minioUncovered(mf: MinioForm, conditions: readonly MatchCondition[]): string[] {
  const out: string[] = [];
  for (const name of [...mf.values.keys(), 'Bucket']) {
    if (out.includes(name) || minioExempt(name, mf) || minioCovered(conditions, name)) continue;
    out.push(name);
  }
  return out;
}

/** MinIO's answer to form values without a condition. */
export function minioUncoveredPrediction(names: readonly string[]): Prediction | null {
  return predictFirst(['minio.post.field-not-in-policy'], { field: names.join(', ') });
}

/** postpolicyform.go startsWithConds: the fields compared without naming the condition, and whether starts-with is allowed. */
const STARTS_WITH_CONDS: Readonly<Record<string, boolean>> = {
  acl: true,
  bucket: false,
  'cache-control': true,
  'content-type': true,
  'content-disposition': true,
  'content-encoding': true,
  expires: true,
  key: true,
  success_action_redirect: true,
  redirect: true,
  success_action_status: true,
  'x-amz-algorithm': false,
  'x-amz-credential': false,
  'x-amz-date': false,
  tagging: false,
};

/** How checkPostPolicy treats a condition: compared unnamed, compared and named, or never compared. */
export function minioConditionKind(c: MatchCondition): 'unnamed' | 'named' | 'unchecked' {
  const f = c.field.toLowerCase();
  if (f in STARTS_WITH_CONDS) return 'unnamed';
  return f.startsWith('x-amz-') ? 'named' : 'unchecked';
}

/** Is starts-with refused on this field (bucket, x-amz-algorithm, x-amz-credential, x-amz-date, tagging)? */
export function minioExactOnly(c: MatchCondition): boolean {
  return c.type === 'starts-with' && STARTS_WITH_CONDS[c.field.toLowerCase()] === false;
}

/** The value checkPostPolicy compares a condition with: `Bucket` from the URL, `Key` with `${filename}` replaced. */
export function minioConditionValue(mf: MinioForm, c: MatchCondition, urlBucket: string | null): string | null {
  const f = goCanonical(c.field.toLowerCase());
  if (f === 'Bucket') return urlBucket;
  const v = minioGet(mf, f);
  if (f === 'Key' && v !== null && mf.fileName !== '' && v.includes(FILENAME_VARIABLE)) return v.split(FILENAME_VARIABLE).join(mf.fileName);
  return v;
}

/** MinIO's answer to a failed condition (checkPostPolicy's three wordings). */
export function minioConditionPrediction(c: MatchCondition, mf: MinioForm): Prediction | null {
  const name = goCanonical(c.field.toLowerCase());
  const key = `$${c.field.toLowerCase()}`;
  const sent = mf.values.get(name) ?? [];
  if (sent.length >= 2) {
    const values = sent.map((v) => v.value ?? '').join(', ');
    return predictFirst(['minio.post.condition-multiple-values'], { op: c.type, field: key, value: c.value, values });
  }
  if (minioConditionKind(c) === 'named') return predictFirst(['minio.post.condition-failed-named'], { op: c.type, field: key, value: c.value });
  return predictFirst(['minio.post.condition-failed']);
}

/** checkPolicyCond: eq exact, starts-with a prefix, on the whole value (no Content-Type lists). */
export function minioSatisfies(c: MatchCondition, value: string): boolean {
  return c.type === 'eq' ? value === c.value : value.startsWith(c.value);
}

// ---------------------------------------------------------------------------
// Signature stage (cmd/signature-v4.go, cmd/signature-v2.go, cmd/signature-v4-parser.go).

/** strings.TrimRight(strings.TrimSpace(s), "/"), without a regular expression (linear on any input). */
export function trimCredential(s: string): string {
  const t = s.trim();
  let end = t.length;
  while (end > 0 && t[end - 1] === '/') end--;
  return t.slice(0, end);
}

/** auth.IsAccessKeyValid: at least 3 characters (internal/auth/credentials.go accessKeyMinLen). */
const ACCESS_KEY_MIN = 3;

/** time.Parse("20060102", s): four-digit year, two-digit month and day, a real date. */
function isGoYyyymmdd(s: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * signature-v4-parser.go parseCredentialHeader on "Credential=" + x-amz-credential: trailing
 * slashes dropped, at least five parts (the access key may hold slashes), an access key of 3
 * characters or more, a yyyymmdd date, service "s3", terminator "aws4_request". The region is
 * compared only when the server has one set (MinIO's default has none), so it is not judged
 * here. Null when MinIO reads the credential.
 */
export function minioCredentialAnswer(credential: string): Prediction | null {
  const parts = trimCredential(credential).split('/');
  if (parts.length < 5) return predictFirst(['minio.post.credential-malformed']);
  const accessKey = parts.slice(0, -4).join('/');
  if (accessKey.length < ACCESS_KEY_MIN) return predictFirst(['minio.post.invalid-access-key-id']);
  const [date, , service, terminator] = parts.slice(-4) as [string, string, string, string];
  if (!isGoYyyymmdd(date)) return predictFirst(['minio.post.credential-date']);
  if (service !== 's3') return predictFirst(['minio.post.credential-service']);
  if (terminator !== 'aws4_request') return predictFirst(['minio.post.credential-terminal']);
  return null;
}

/**
 * The signature stage's answer as far as the form alone tells it, or null when it passes (or only
 * the secret key could tell: the signature-verify check's part). SigV2 when `Signature` is sent:
 * a missing access key is unknown to checkKeyValid (InvalidAccessKeyId), an empty signature never
 * matches. SigV4 otherwise (also for a form without any signing field: MinIO takes no anonymous
 * POST): the credential, then a missing signature or a missing policy (the signature is compared
 * with the one computed over the policy text as sent, "" when absent) do not match.
 */
export function minioSignatureAnswer(mf: MinioForm): Prediction | null {
  if (mf.values.has('Signature')) {
    if ((minioGet(mf, 'AWSAccessKeyId') ?? '') === '') return predictFirst(['minio.post.invalid-access-key-id']);
    if ((minioGet(mf, 'Signature') ?? '') === '' || !mf.values.has('Policy')) return predictFirst(['minio.post.signature-mismatch']);
    return null;
  }
  const cred = minioCredentialAnswer(minioGet(mf, 'X-Amz-Credential') ?? '');
  if (cred) return cred;
  if ((minioGet(mf, 'X-Amz-Signature') ?? '') === '' || !mf.values.has('Policy')) return predictFirst(['minio.post.signature-mismatch']);
  return null;
}

// ---------------------------------------------------------------------------
// Go's wording of values (fmt's %s and %q, strconv.Quote, time.Parse errors), for the reason
// MinIO appends to a policy it cannot parse. Null wherever the exact text is not certain.

/** fmt's %v of a float64, for the numbers whose shortest form Go and JavaScript write alike. */
function goFloat(n: number): string | null {
  if (!Number.isFinite(n) || Object.is(n, -0)) return null;
  const a = Math.abs(n);
  // %v is %g with the shortest precision: exponent form from 1e+06 and below 1e-04
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return null;
  return String(n);
}

/** A printable-ASCII string, the only kind quoted here (Go escapes the rest its own way). */
const PRINTABLE = /^[\x20-\x7e]*$/;

/** strconv.Quote (also time's quote and %q) of printable ASCII. */
export function goQuote(s: string): string | null {
  if (!PRINTABLE.test(s)) return null;
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** fmt's %s of a value decoded from JSON into interface{} (depth > 0 inside slices and maps). */
function goFormatS(v: unknown, top: boolean): string | null {
  if (typeof v === 'string') return PRINTABLE.test(v) ? v : null;
  if (typeof v === 'number') {
    const f = goFloat(v);
    return f === null ? null : `%!s(float64=${f})`;
  }
  if (typeof v === 'boolean') return `%!s(bool=${v})`;
  if (v === null) return top ? null : '<nil>';
  if (Array.isArray(v)) {
    const items = v.map((x) => goFormatS(x, false));
    return items.some((x) => x === null) ? null : `[${items.join(' ')}]`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    const items = keys.map((k) => {
      const val = goFormatS(o[k], false);
      return val === null || !PRINTABLE.test(k) ? null : `${k}:${val}`;
    });
    return items.some((x) => x === null) ? null : `map[${items.join(' ')}]`;
  }
  return null;
}

/** The RFC3339Nano layout MinIO parses `expiration` with (time.RFC3339Nano). */
const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

/**
 * time.Parse(time.RFC3339Nano, value)'s error when it fails at the first element (the year: fewer
 * than four characters, or not starting with a digit); null otherwise (a later element fails
 * with a wording this does not reproduce).
 */
export function goExpirationError(value: string): string | null {
  if (value.length >= 4 && /^\d/.test(value)) return null;
  const q = goQuote(value);
  return q === null ? null : `parsing time ${q} as "${RFC3339_NANO}": cannot parse ${q} as "2006"`;
}

/** encoding/json's name of a JSON value's kind in "json: cannot unmarshal <kind> into ...". */
function goJsonKind(type: unknown): string | null {
  switch (type) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
  }
  return null;
}

/** encoding/json's error for a top-level member of the wrong type (into MinIO's anonymous struct). */
export function goUnmarshalError(kind: unknown, field: 'expiration' | 'conditions'): string | null {
  const k = goJsonKind(kind);
  if (k === null) return null;
  return `json: cannot unmarshal ${k} into Go struct field .${field} of type ${field === 'expiration' ? 'string' : '[]interface {}'}`;
}

/** strconv.Atoi's verdict on a content-length-range bound given as a string (null: it parses). */
function atoiError(s: string): string | null | undefined {
  if (/^[+-]?\d+$/.test(s)) return s.replace(/^[+-]/, '').replace(/^0+/, '').length > 18 ? undefined : null;
  const q = goQuote(s);
  return q === null ? undefined : `strconv.Atoi: parsing ${q}: invalid syntax`;
}

/**
 * parsePostPolicyForm's error for one condition (cmd/postpolicyform.go), or null when MinIO
 * reads it; undefined when its exact wording is not certain.
 */
export function goConditionError(c: unknown): string | null | undefined {
  if (Array.isArray(c)) {
    const all = goFormatS(c, true);
    if (c.length !== 3) return all === null ? undefined : `Malformed conditional fields ${all} of type []interface {} found in POST policy form`;
    const op = typeof c[0] === 'string' ? c[0].toLowerCase() : '';
    if (op === 'eq' || op === 'starts-with') {
      if (!c.every((x) => typeof x === 'string')) return all === null ? undefined : `Unknown type []interface {} of conditional field value ${all} found in POST policy form`;
      const [, name, value] = c as [string, string, string];
      if (!name.toLowerCase().startsWith('$')) {
        return PRINTABLE.test(name + value) ? `Invalid according to Policy: Policy Condition failed: [${op}, ${name.toLowerCase()}, ${value}]` : undefined;
      }
      return null;
    }
    if (op === 'content-length-range') {
      for (const bound of [c[1], c[2]]) {
        if (typeof bound === 'number') continue; // toInteger takes any float64 (truncated)
        if (typeof bound === 'string') {
          const e = atoiError(bound);
          if (e !== null) return e;
          continue;
        }
        return 'Invalid number format';
      }
      return null;
    }
    return all === null ? undefined : `Unknown type []interface {} of conditional field value ${all} found in POST policy form`;
  }
  if (c !== null && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    if (Object.values(o).every((v) => typeof v === 'string')) return null; // every pair is an eq condition
    const all = goFormatS(c, true);
    return all === null ? undefined : `Unknown type map[string]interface {} of conditional field value ${all} found in POST policy form`;
  }
  if (typeof c === 'string') return PRINTABLE.test(c) ? `Unknown field ${c} of type string found in POST policy form` : undefined;
  if (typeof c === 'number') {
    const f = goFloat(c);
    return f === null ? undefined : `Unknown field %!s(float64=${f}) of type float64 found in POST policy form`;
  }
  if (typeof c === 'boolean') return `Unknown field %!s(bool=${c}) of type bool found in POST policy form`;
  // null: reflect.TypeOf(nil).String() panics in parsePostPolicyForm; the answer is not known
  return undefined;
}
