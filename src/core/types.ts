// Shared data model of post-doctor. Everything downstream of the input parsers
import type { FindingId, KbId } from '../generated/ids.js';
// speaks these types; nothing here knows where a request came from.

export type ProviderId = 'cos' | 'oss' | 's3' | 'gcs' | 'obs' | 'tos';
export const PROVIDER_IDS: readonly ProviderId[] = ['cos', 'oss', 's3', 'gcs', 'obs', 'tos'];

/** S3-family server flavour: predictions follow the server's own wording. */
export type ServerFlavour = 'aws' | 'rgw' | 'minio';

export type Lang = 'en' | 'ja' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'ja', 'zh'];

export type Severity = 'error' | 'warning' | 'info';

/** Plain values a finding or an explanation carries; words come from rules/ at render time. */
export type Facts = Record<string, unknown>;

/**
 * What the server would answer. `rule` names a knowledge-base entry (rules/kb); its
 * `status`, `code` and `message` template (filled with `vars`) give the exact answer.
 */
export interface Prediction {
  /** Knowledge-base entry (rules/kb) of the answer. */
  rule: KbId;
  vars?: Record<string, string | number>;
  /** 'inferred': the entry documents the answer (its code), not that the provider gives it in
   * this situation; said as "probably". Absent: the entry documents this situation. */
  basis?: 'inferred';
}

/** A prediction with the knowledge-base words filled in. */
export interface ResolvedPrediction {
  rule: KbId;
  /** null where the provider's documents do not give it (TOS answers known only by their EC). */
  status: number | null;
  code: string | null;
  message: string | null;
  /** The provider's error code of the answer (OSS, TOS), when the entry documents one. */
  ec?: string;
  /** See Prediction.basis. */
  basis?: 'inferred';
}

/** One problem (or remark) found by a check. Pure data: no prose. */
export interface Finding {
  /** Finding catalogue id (rules/findings), e.g. "policy.expired". */
  id: FindingId;
  severity: Severity;
  /** Values for the catalogue entry's title/detail templates. */
  facts: Facts;
  /** The server's answer this problem leads to, or null when it leads to none. */
  predicts: Prediction | null;
  /** Form field concerned, when there is one. */
  field?: string;
  /** Root cause: ids of the findings this one causes (they follow it). */
  causes?: FindingId[];
  /** Consequence: the id of the finding that causes this one (listed before it). */
  causedBy?: FindingId;
}

// ---------------------------------------------------------------------------
// The one request model every input parser returns.

export interface FieldPart {
  kind: 'field';
  /** Field name exactly as sent (case kept). */
  name: string;
  value: string;
  /** Byte offset of the part's header in the original body, when known. */
  offset?: number;
}

export type FileSource =
  /** Bytes [start, end) of a file on disk (a real file, or a file part inside a capture). */
  | { type: 'path'; path: string; start?: number; end?: number }
  /** Small content held in memory (HAR text bodies, tests). */
  | { type: 'inline'; data: Uint8Array }
  /** The capture holds no real content (e.g. "[Object Content]"); size is unknown unless given. */
  | { type: 'placeholder'; text?: string }
  /** Content to be generated on demand (preflight, tests): `size` bytes of `byte`. */
  | { type: 'generated'; size: number; byte?: number };

export interface FilePart {
  kind: 'file';
  /** Form field name (normally "file"). */
  name: string;
  filename: string | null;
  contentType: string | null;
  /** Size in bytes; null when unknown. */
  size: number | null;
  /**
   * Where the size comes from: the bytes themselves, or inferred from the request's
   * Content-Length when a capture left the file's bytes out; 'unknown' when neither can tell.
   */
  sizeSource?: 'bytes' | 'content-length' | 'unknown';
  source: FileSource;
  offset?: number;
}

export type Part = FieldPart | FilePart;

export type BodyProblemKind =
  | 'no-content-type' // no Content-Type header on the request
  | 'not-multipart' // Content-Type is not multipart/form-data
  | 'missing-boundary' // multipart/form-data without boundary parameter
  | 'boundary-mismatch' // the body never uses the declared boundary
  | 'no-closing-delimiter' // body ends without --boundary--
  | 'no-content-disposition' // a part without Content-Disposition: form-data; name=...
  | 'bare-lf' // a line ending without CR inside the multipart framing
  | 'parse-error'; // anything else the parser refused

export interface BodyProblem {
  kind: BodyProblemKind;
  /** Byte offset in the body, when known. */
  offset?: number;
  detail?: string;
}

export interface UploadRequest {
  method: string;
  /** Absolute URL, or null when the input had none. */
  url: string | null;
  /** Request headers in order, names as sent. */
  headers: Array<[string, string]>;
  /** Form parts in the order they were sent (fields and file parts). */
  parts: Part[];
  /** Multipart boundary, when there is one. */
  boundary: string | null;
  /** Problems with the body framing; each becomes a finding predicting MalformedPOSTRequest. */
  bodyProblems: BodyProblem[];
  /** Remarks about the input that are not problems of the request (e.g. LF-only transcription). */
  notes: Array<{ id: FindingId; facts: Facts }>;
}

// ---------------------------------------------------------------------------
// Policies, decoded.

export type PolicyCondition =
  | { type: 'eq'; field: string; value: string; raw: unknown; index: number }
  | { type: 'starts-with'; field: string; value: string; raw: unknown; index: number }
  | { type: 'content-length-range'; min: number; max: number; raw: unknown; index: number }
  | { type: 'unknown'; raw: unknown; index: number };

export interface DecodedPolicy {
  /** The base64 text exactly as found in the form. */
  base64: string;
  /** The decoded bytes as text (UTF-8), exactly as signed by COS. */
  json: string;
  /** Parsed document, or null when it is not valid JSON. */
  document: unknown;
  expiration: string | null;
  conditions: PolicyCondition[];
}

/** One step of a signature computation, shown to the user. */
export interface SignatureStep {
  name: string;
  value: string;
  /** Marks values that must be masked in output (derived keys). */
  secret?: boolean;
}

export interface SignatureReport {
  /** Scheme id, e.g. "cos-sha1", "oss-v1", "oss-v4", "s3-v4", "s3-v2", "gcs-hmac", "gcs-rsa". */
  scheme: string | null;
  checked: boolean;
  valid: boolean | null;
  steps: SignatureStep[];
  expected: string | null;
  provided: string | null;
  /** Mistake id (rules/findings "signature.mistake.*") that reproduces the provided signature. */
  mistake: string | null;
  /** Why it was not checked (finding id), when checked is false. */
  reason?: string;
  /** Fields sent after the file part: the server never reads them, so they take no part in the signature it checks. */
  ignoredFields?: string[];
  /** Facts for the reason / mistake findings (missing fields, the variant that reproduced it, ...). */
  facts?: Record<string, unknown>;
}
