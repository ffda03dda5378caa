// The check contract: one check per file in src/checks/, registered in src/checks/index.ts.
import type { CorsConfig } from '../cors/types.js';
import type { DecodedPolicy, Finding, ProviderId, ServerFlavour, Severity, SignatureReport, UploadRequest } from '../core/types.js';
import type { FindingId } from '../generated/ids.js';
import type { FormView } from '../core/fields.js';
import type { EndpointInfo, ProviderAdapter } from '../providers/types.js';

export interface CheckContext {
  req: UploadRequest;
  form: FormView;
  provider: ProviderId;
  adapter: ProviderAdapter;
  /** S3 family: whose wording predictions follow. */
  server: ServerFlavour;
  /** Parsed endpoint, when the request has a URL and the adapter parses endpoints. */
  endpoint: EndpointInfo | null;
  /** The decoded policy, or null when there is none or it does not decode (see policyError). */
  policy: DecodedPolicy | null;
  /** Why the policy could not be decoded: a finding the policy checks report. */
  policyError: Finding | null;
  /** "Now" for time checks (--now, else the clock). */
  now: Date;
  /** The server's clock when known (--server-time, probe). */
  serverTime: Date | null;
  /** The secret key, when one was supplied (never printed). */
  secret: string | null;
  /** Signature verification report (computed once by the engine), or null without a secret or support. */
  signature: SignatureReport | null;
  /** The bucket's CORS configuration and the page's origin when given (--origin), or null. */
  cors: CorsOptions | null;
}

export interface CorsOptions {
  config: CorsConfig;
  origin: string | null;
}

/**
 * What a check returns: a finding whose severity, when left out, is the catalogue's
 * (FINDING_SEVERITY, from rules/findings); a check gives one only for a milder occurrence.
 */
export type CheckFinding = Omit<Finding, 'severity'> & { severity?: Severity };

export interface Check {
  /** Stable id of the check itself (for --debug and internal findings), e.g. "cos.signature-fields". */
  id: string;
  /** Providers the check applies to. */
  providers: readonly ProviderId[];
  /**
   * Every finding id the check can emit. The engine reports any other as internal.check-failed,
   * and a test holds the union of all declarations (with the engine's) equal to the catalogue.
   */
  emits: readonly FindingId[];
  run(ctx: CheckContext): CheckFinding[];
}
