// The contract every provider adapter fulfils (see src/providers/README.md).
import type { FindingId } from '../generated/ids.js';
import type { PolicyReading } from '../policy/index.js';
import type { DecodedPolicy, ProviderId, ServerFlavour, SignatureReport, UploadRequest } from '../core/types.js';
import type { FormView } from '../core/fields.js';

/** What the bucket endpoint (URL) says. */
export interface EndpointInfo {
  url: string;
  host: string;
  /** Bucket as addressed by the URL (COS: "<bucket>-<appid>"), or null. */
  bucket: string | null;
  region: string | null;
  /** COS APPID, when the host carries one. */
  appid?: string | null;
  style: 'virtual' | 'path' | 'custom' | 'unknown';
  /** Problems with the endpoint form, as finding ids with facts (e.g. bucket twice in the host). */
  problems: Array<{ id: string; facts: Record<string, unknown> }>;
}

/** An error answer, as explain parsed it (provider-neutral). */
export interface ErrorAnswer {
  status: number | null;
  headers: Array<[string, string]>;
  code: string | null;
  message: string | null;
  requestId: string | null;
  hostId: string | null;
  ec: string | null;
  /** Other child elements of <Error> (Endpoint, ServerTime, Condition, Details, ...), verbatim text. */
  elements: Record<string, string>;
  /** The raw body text. */
  body: string;
}

/**
 * The answer half of an adapter: what explain needs to tell whose answer a paste is. Kept apart
 * from the signing half so that reading an answer loads no signing code (src/providers/answers.ts).
 */
export interface AnswerReader {
  id: ProviderId;
  /** Confidence 0..1 that an error answer came from this provider (Server header, request-id headers, HostId, EC, wording). */
  detectResponse(answer: ErrorAnswer): number;
  /** Provider-specific facts an error answer carries beyond code and message (e.g. OSS <Endpoint>, COS <ServerTime>). */
  answerFacts(answer: ErrorAnswer): Record<string, unknown>;
  /** Whether a host name is one of this provider's storage endpoints (and which server, when it tells). */
  storageHost(host: string): { server?: ServerFlavour } | null;
  /** SDKs whose printouts name this provider (explain's SDK hints), with the confidence each gives. */
  sdks: Readonly<Record<string, number>>;
}

export interface SignatureContext {
  req: UploadRequest;
  form: FormView;
  policy: DecodedPolicy | null;
  /** The secret key (already read from env/file; never printed). */
  secret: string;
  /** The time used as "now" (for stale key-time detection). */
  now: Date;
  /** GCS RSA: the PEM public key or certificate that checks the signature. */
  publicKey?: string;
}

export interface ProviderAdapter {
  id: ProviderId;
  /** Environment variables holding the secret, in order of preference. */
  secretEnv: readonly string[];
  /** Confidence 0..1 that an upload request is for this provider (field names, host). */
  detectRequest(req: UploadRequest): number;
  /** How the provider's error answers are recognised and read (also in the answer registry). */
  answers: AnswerReader;
  /**
   * The form with the provider's shorthand fields read as the fields they stand for (OBS: `token`
   * = AccessKeyId:signature:policy), and a note saying so (one of `formNotes`); null when there is none.
   */
  expandForm?(req: UploadRequest): UploadRequest | null;
  /** The notes expandForm may add (finding ids, reported by the body.input-notes check). */
  formNotes?: readonly FindingId[];
  /** How the provider reads a policy text beyond JSON (OBS: the SDK's trailing commas). */
  policyReading?: PolicyReading;
  /** Parse a bucket endpoint URL. Absent until the provider's endpoint rules are implemented. */
  parseEndpoint?(url: string, style?: 'virtual' | 'path'): EndpointInfo;
  /** Recompute and compare the upload's signature, showing every intermediate value. Absent until the provider's signing is implemented. */
  verifySignature?(ctx: SignatureContext): SignatureReport;
}
