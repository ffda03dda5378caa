// The data model of the CORS engine: a bucket's CORS configuration as every provider's
// forms read into one shape, and the requests the engine evaluates against it.
// Pure data: no words (those live in rules/findings/cors.yaml).

import type { ProviderId } from '../core/types.js';
import type { KbId } from '../generated/ids.js';

export type CorsProvider = ProviderId;
export type CorsSource = 'json' | 'xml';

/** One rule of a bucket's CORS configuration. */
export interface CorsRule {
  /** Position in the configuration, counted from 0 (providers match rules in this order). */
  index: number;
  allowedOrigins: string[];
  allowedMethods: string[];
  /**
   * Request headers a preflight may ask for (S3/COS/OSS AllowedHeader). For GCS this is the
   * rule's `responseHeader` list, which GCS uses both to check a preflight's headers and to
   * expose response headers; `exposeHeaders` holds the same list.
   */
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
  id?: string;
  /** TOS `ResponseVary` of this rule (TOS sets it per rule, COS and OSS per configuration). */
  responseVary?: boolean;
}

export interface CorsConfig {
  provider: CorsProvider;
  rules: CorsRule[];
  /** OSS / COS `ResponseVary` (send `Vary: Origin`), when the configuration sets it. */
  responseVary?: boolean;
  source: CorsSource;
}

/** What decided, or narrowed, the provider of a configuration read from text. */
export type DetectionEvidence =
  | { kind: 'hint'; provider: CorsProvider }
  | { kind: 's3-json' }
  | { kind: 'gcs-json' }
  | { kind: 'gcs-xml' }
  | { kind: 'cors-configuration-xml' }
  | { kind: 's3-namespace'; namespace: string }
  | { kind: 'obs-namespace'; namespace: string }
  | { kind: 'response-vary'; excludes: CorsProvider[] }
  | { kind: 'rule-response-vary'; excludes: CorsProvider[] }
  | { kind: 'rule-id'; excludes: CorsProvider[] }
  | { kind: 'rule-count'; count: number; excludes: CorsProvider[] };

/** A configuration read from text: the provider may be undecided (several candidates). */
export interface CorsConfigReading {
  /** The provider, or null when the text fits several providers (see `candidates`). */
  provider: CorsProvider | null;
  /** Providers the text fits, in the order s3, cos, oss, obs, tos, gcs. */
  candidates: CorsProvider[];
  evidence: DetectionEvidence[];
  rules: CorsRule[];
  responseVary?: boolean;
  source: CorsSource;
}

/** The request a preflight (OPTIONS) asks about. */
export interface PreflightRequest {
  /** The page's origin, as the browser sends it in `Origin`. */
  origin: string;
  /** The actual request's method (`Access-Control-Request-Method`). */
  method: string;
  /** `Access-Control-Request-Headers` names (any case). */
  requestHeaders: string[];
  /** The actual request's credentials mode is "include" (cookies / `withCredentials`). */
  credentials?: boolean;
}

/** The actual cross-origin request (after a passed preflight, or a simple request). */
export interface ActualRequest {
  origin: string;
  method: string;
  /** Response headers the page wants to read; default: `defaultReadHeaders(provider)`. */
  readHeaders?: string[];
  credentials?: boolean;
}

/** How one rule fares against a request. */
export interface RuleCheck {
  index: number;
  origin: boolean;
  method: boolean;
  /** Requested headers (lowercased) the rule does not allow; empty when all are allowed. */
  refusedHeaders: string[];
  /** Origin, method and (for a preflight) every requested header match. */
  matches: boolean;
}

export type RefusalReason = 'no-rules' | 'origin' | 'method' | 'header';

/** Why no rule answered the request with CORS headers. */
export interface Refusal {
  reason: RefusalReason;
  /** For `header`: the requested headers the closest rule does not allow (lowercased). */
  headers: string[];
  /** The rule that came closest (or, for GCS, the first rule matching origin and method), if any. */
  closest: number | null;
  /** Every rule's check, in order. */
  nearMisses: RuleCheck[];
}

/** Where a statement about a provider's answer comes from. */
export type Basis = 'documented' | 'observed' | 'derived' | 'unknown';

/** What the server sends back, as far as CORS is concerned. */
export interface ServerAnswer {
  /** HTTP status; null when no source gives it (or, for an actual request, whatever the operation answers). */
  status: number | null;
  /** Error code of the XML error body, if the answer is an error. */
  code: string | null;
  /** Error message of the XML error body, verbatim as the provider sends it. */
  message: string | null;
  /** CORS response headers (and Vary), in the order the provider sends them. */
  headers: Array<[string, string]>;
  /** Headers no source says whether the provider sends (lowercase names). */
  unknownHeaders: string[];
  basis: Basis;
  /** Knowledge-base entry (rules/kb) explaining this answer, if there is one. */
  kb: KbId | null;
  /** Documentation pages and observations the answer is taken from. */
  sources: string[];
}

/** Chromium's CORS error kinds (network::mojom::CorsError), as a browser console reports them. */
export type ConsoleKind =
  | 'preflight-missing-allow-origin'
  | 'preflight-multiple-allow-origin-values'
  | 'preflight-wildcard-origin-not-allowed'
  | 'preflight-allow-origin-mismatch'
  | 'preflight-invalid-allow-credentials'
  | 'preflight-invalid-status'
  | 'method-disallowed-by-preflight-response'
  | 'header-disallowed-by-preflight-response'
  | 'missing-allow-origin'
  | 'multiple-allow-origin-values'
  | 'wildcard-origin-not-allowed'
  | 'allow-origin-mismatch'
  | 'invalid-allow-credentials';

/** What the browser makes of an answer. */
export interface BrowserVerdict {
  ok: boolean;
  /** The console error, when not ok. */
  kind: ConsoleKind | null;
  /** False when the verdict depends on a header no source documents (see ServerAnswer.unknownHeaders). */
  certain: boolean;
  /** Values the console line carries. */
  facts: {
    status: number | null;
    allowOrigin: string | null;
    method?: string;
    headers?: string[];
  };
  /** Knowledge-base entry (rules/kb/browser/cors.yaml) for the console line. */
  kb: KbId | null;
}

export interface PreflightEvaluation {
  provider: CorsProvider;
  /** The browser goes on to send the actual request. */
  allowed: boolean;
  /** The rule that answered with CORS headers, or null. */
  matchedRule: number | null;
  /** Why no rule answered (null when one did). */
  refusal: Refusal | null;
  answer: ServerAnswer;
  browser: BrowserVerdict;
  /** The requested headers, lowercased, in the order given. */
  requestHeaders: string[];
}

export interface ActualEvaluation {
  provider: CorsProvider;
  /** The page can read the answer. */
  allowed: boolean;
  matchedRule: number | null;
  refusal: Refusal | null;
  answer: ServerAnswer;
  browser: BrowserVerdict;
  /** The response headers the page wants to read. */
  readHeaders: string[];
  /** Those of them the page cannot read (all of them when the answer is not shared). */
  unexposed: string[];
}
