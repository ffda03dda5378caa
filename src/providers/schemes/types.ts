// The description of one signing scheme: everything the signer (src/sign), re-signing
// (src/replay/resign.ts), the checks and the adapters' verifySignature need to know about it.
// The registry of descriptions is ./index.ts (SCHEMES).
import type { FormView } from '../../core/fields.js';
import type { ProviderId, SignatureStep } from '../../core/types.js';
import type { MistakeCandidate, SignatureReportWithFacts } from '../../crypto/search.js';
import type { SignatureContext } from '../types.js';

export type SchemeId = 'cos-sha1' | 'oss-v1' | 'oss-v4' | 's3-v2' | 's3-v4' | 'gcs-hmac' | 'gcs-rsa' | 'obs-native' | 'obs-s3-v2' | 'obs-s3-v4' | 'tos-v4';

/** What a signing field is for. */
export type FieldRole = 'policy' | 'signature' | 'accessKeyId' | 'algorithm' | 'credential' | 'date' | 'keyTime' | 'token';

/** Field names by role, spelled as the provider documents them (looked up case-insensitively unless `nameCase` is 'exact'). */
export type SchemeFields = Readonly<Partial<Record<FieldRole, string>>> & { readonly policy: string; readonly signature: string };

/** How a form is told to use a scheme. */
export interface SchemeDetection {
  /** The form sends any of these (names compared case-insensitively)... */
  readonly marks: readonly string[];
  /** ...or, when no scheme of the provider is marked, any of these (S3: a lone x-amz-date). */
  readonly weakMarks?: readonly string[];
  /** ...and this holds (GCS: the algorithm or the credential says RSA). */
  readonly when?: (form: FormView) => boolean;
}

/** A V4-style credential, "<id>/<yyyymmdd>/<region>/<service>/<terminator>". */
export interface V4Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** The SigV4-style key chain: HMAC-SHA256 keyed with keyPrefix + secret over the day, then region, service, terminator. */
export interface KeyChainParams {
  /** Prepended to the secret for the first HMAC key ('AWS4', 'aliyun_v4', 'GOOG4'; none for TOS). */
  readonly keyPrefix: string;
  readonly service: string;
  readonly terminator: string;
}

/** The credential field of a V4-style scheme: its documented pattern, how it is read and written, and its region. */
export interface CredentialFormat {
  /** As the documents write it: "<AKID>/<yyyymmdd>/<region>/s3/aws4_request". */
  readonly pattern: string;
  parse(credential: string): V4Credential | null;
  format(accessKeyId: string, day: string, region: string): string;
  /** The region every credential names (GCS: "auto"). */
  readonly fixedRegion?: string;
  /** The region a new form is signed for when an endpoint but no region is given (S3: us-east-1); without it a region is required. */
  readonly defaultRegion?: string;
}

/** A date field's format. */
export interface TimeFormat {
  readonly pattern: string;
  /** Epoch ms, or null when the text is not a real time in this format. */
  parse(text: string): number | null;
  format(at: Date): string;
}

/** The policy as signed: the base64 text exactly as sent, and the bytes it decodes to. */
export interface PolicyText {
  base64: string;
  bytes: Uint8Array;
}

/** Reads a form field's value by name (the scheme's parameters: key time, credential). */
export type FieldReader = (name: string) => string | undefined;

export interface SignInput {
  /** The secret key (GCS RSA: the PEM private key). */
  secret: string;
  policy: PolicyText;
  /** The form's fields, where the scheme reads its parameters. */
  field: FieldReader;
}

/** A signature and every intermediate value (derived keys flagged secret). */
export interface SchemeSignature {
  signature: string;
  steps: SignatureStep[];
}

/** A field re-signing sets to a fresh value (and the policy condition that pins it). */
export interface FieldUpdate {
  field: string;
  value: string;
  /** The form must send this field. */
  required: boolean;
  /** The condition name that pins the same value under another name (COS: q-sign-time for q-key-time). */
  alsoCondition?: string;
}

/** What re-signing at a new time changes, or why the form cannot be re-signed. */
export type Refresh = { updates: FieldUpdate[] } | { problem: { field: string; message: string } };

/** What the signer knows when it writes a new form. */
export interface NewFormInput {
  accessKeyId: string;
  now: Date;
  expiresAt: Date;
  region: string | null;
  token?: string;
}

export interface SigningScheme {
  readonly id: SchemeId;
  /** The provider whose scheme it is (GCS also reads S3's SigV4 forms: see PROVIDER_SCHEMES). */
  readonly provider: ProviderId;
  /** Short name for messages: "OSS V4". */
  readonly name: string;
  /** The value of the algorithm field ("AWS4-HMAC-SHA256"; COS: "sha1"), or null. */
  readonly algorithm: string | null;
  readonly fields: SchemeFields;
  /** Names policy conditions use instead of the field's own (COS pins q-key-time as q-sign-time). */
  readonly conditionNames?: Readonly<Partial<Record<FieldRole, string>>>;
  /** Other signing names the service reads and the signer never writes (GCS's legacy GoogleAccessId / signature). */
  readonly legacy?: readonly string[];
  /** 'exact': the service matches field names case-sensitively (OSS); 'any-case': it does not. */
  readonly nameCase: 'exact' | 'any-case';
  readonly detect: SchemeDetection;
  /** V4-style schemes: the credential field's format. */
  readonly credential: CredentialFormat | null;
  /** V4-style schemes: the key chain. */
  readonly chain: KeyChainParams | null;
  /** The date field's format. */
  readonly time: TimeFormat | null;
  /** Longest validity the service accepts for this scheme, or null. */
  readonly maxValiditySeconds: number | null;
  /** Fields verification needs (sent, not blank), in the order they are reported. */
  readonly required: readonly string[];
  /** The signing fields of a new form in the order the signer writes them, and those its policy pins with exact conditions. */
  readonly layout: { readonly fields: readonly FieldRole[]; readonly pinned: readonly FieldRole[] };
  /** Policy -> signature, with every intermediate. */
  sign(input: SignInput): SchemeSignature;
  /** Recompute the form's signature with the supplied secret (or key) and compare. */
  verify(ctx: SignatureContext): SignatureReportWithFacts;
  /** What re-signing at `now` changes besides the policy and the signature; absent when a secret cannot re-sign (RSA). */
  refresh?(field: FieldReader, now: Date, validitySeconds: number): Refresh;
  /** The usual wrong ways of signing, for the signing-mistake search (src/crypto/search.ts). */
  mistakes(ctx: SignatureContext, expected: string, provided: string): Iterable<MistakeCandidate>;
}
