// What each provider sends back to a CORS request: the CORS headers of an allowed preflight or
// actual request, and the answer to a refused preflight. Sources: docs/cors.md.

import type { KbId } from '../generated/ids.js';
import { PROFILES } from './match.js';
import type { CorsConfig, CorsProvider, CorsRule, RefusalReason, ServerAnswer } from './types.js';

export const SOURCES = {
  s3Troubleshooting: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors-troubleshooting.html',
  s3Testing: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/testing-cors.html',
  s3Options: 'https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html',
  s3Recorded: 'https://github.com/localstack/localstack/blob/8b9a79f05846835cf4dff63ab7eefdde9df83783/tests/aws/services/s3/test_s3_cors.snapshot.json',
  s3NotEnabled: 'https://github.com/aws-amplify/amplify-hosting/issues/3267',
  cosOptions: 'https://www.tencentcloud.com/document/product/436/8288',
  ossOptions: 'https://www.alibabacloud.com/help/en/oss/developer-reference/options',
  oss403: 'https://www.alibabacloud.com/help/en/oss/how-to-troubleshoot-403-status-code-when-you-access-oss',
  ossVary: 'https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketcors',
  gcsCors: 'https://cloud.google.com/storage/docs/cross-origin',
  obsOptions: 'https://support.huaweicloud.com/api-obs/obs_04_0077.html',
  obsErrors: 'https://support.huaweicloud.com/api-obs/obs_errorcode_0004.html',
  tosPut: 'https://www.volcengine.com/docs/6349/196028',
  tosConsole: 'https://www.volcengine.com/docs/6349/75033',
} as const;

const S3_VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** S3's 403 messages, verbatim (the misspelling "evalution" is S3's). */
export const S3_NOT_ENABLED = 'CORSResponse: CORS is not enabled for this bucket.';
export const S3_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
/** COS's 403 message, verbatim from its OPTIONS Object page ("Requet", no final period). */
export const COS_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec";
/** OSS's 403 message, verbatim from its error-code tables. */
export const OSS_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.";

/** OBS's 403 messages, verbatim from its AccessForbidden error page (the knowledge base's
 * `obs.cors.not-enabled` and `obs.cors.not-allowed`; OBS's OPTIONS page prints the second with a
 * "CORSResponse: " prefix and "Requet", as COS and OSS do). */
export const OBS_NOT_ENABLED = 'CORS is not enabled for this bucket.';
export const OBS_NOT_ALLOWED =
  "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** How each provider fills the answer headers. */
interface AnswerStyle {
  /** Access-Control-Allow-Origin for a rule listing `*`: `*`, or the request's origin. */
  starOrigin: '*' | 'echo';
  /** Access-Control-Allow-Credentials: `true` whenever the origin is echoed, never, undocumented,
   * or (OBS) `true` documented for a rule that lists the origin itself and undocumented otherwise. */
  credentials: 'with-echo' | 'never' | 'unknown' | 'exact-origin';
  /** Access-Control-Allow-Methods of a preflight: the rule's methods, or the requested one. */
  methods: 'rule' | 'requested';
  /** Access-Control-Allow-Headers: the requested names, or (COS, rule without `*`) the rule's list. */
  allowHeaders: 'requested' | 'rule-unless-star';
  separator: string;
  /** Default Access-Control-Max-Age when the rule sets none. */
  defaultMaxAge: number | null;
  /** Where the answer to an allowed actual request comes from: S3 recorded, documented, or derived
   * from the documented preflight answer (COS, OBS, TOS). */
  actualBasis: 'observed' | 'documented' | 'derived';
  /** The same for an actual request no rule allows (OBS and TOS document none: derived). */
  refusedBasis: 'documented' | 'derived';
}

const STYLE: Readonly<Record<CorsProvider, AnswerStyle>> = {
  s3: { starOrigin: '*', credentials: 'with-echo', methods: 'rule', allowHeaders: 'requested', separator: ', ', defaultMaxAge: null, actualBasis: 'observed', refusedBasis: 'documented' },
  cos: { starOrigin: '*', credentials: 'with-echo', methods: 'rule', allowHeaders: 'rule-unless-star', separator: ',', defaultMaxAge: null, actualBasis: 'derived', refusedBasis: 'documented' },
  oss: { starOrigin: 'echo', credentials: 'unknown', methods: 'requested', allowHeaders: 'requested', separator: ',', defaultMaxAge: null, actualBasis: 'documented', refusedBasis: 'documented' },
  gcs: { starOrigin: 'echo', credentials: 'never', methods: 'rule', allowHeaders: 'requested', separator: ',', defaultMaxAge: 3600, actualBasis: 'documented', refusedBasis: 'documented' },
  // OPTIONS Bucket / Object: the request's Origin, the rule's methods, the requested headers, the
  // rule's ExposeHeader and MaxAgeSeconds; the example answer adds Allow-Credentials: true
  obs: { starOrigin: 'echo', credentials: 'exact-origin', methods: 'rule', allowHeaders: 'requested', separator: ',', defaultMaxAge: null, actualBasis: 'derived', refusedBasis: 'derived' },
  // ASSUMED: S3's answer (TOS documents none); MaxAgeSeconds defaults to 3600 (documented)
  tos: { starOrigin: '*', credentials: 'with-echo', methods: 'rule', allowHeaders: 'requested', separator: ', ', defaultMaxAge: 3600, actualBasis: 'derived', refusedBasis: 'derived' },
};

const ANSWER_SOURCES: Readonly<Record<CorsProvider, string[]>> = {
  s3: [SOURCES.s3Testing, SOURCES.s3Options, SOURCES.s3Recorded],
  cos: [SOURCES.cosOptions],
  oss: [SOURCES.ossOptions, SOURCES.ossVary],
  gcs: [SOURCES.gcsCors],
  obs: [SOURCES.obsOptions],
  tos: [SOURCES.tosPut, SOURCES.tosConsole],
};

/** The provider's answer headers are taken from S3's (no source documents them): TOS. */
function answerAssumed(provider: CorsProvider): boolean {
  return PROFILES[provider].assumed.includes('answer');
}

function allowOrigin(rule: CorsRule, origin: string, s: AnswerStyle): string {
  return s.starOrigin === '*' && rule.allowedOrigins.includes('*') ? '*' : origin;
}

/** The Vary header the provider adds (S3 on every matched answer; COS/OSS when the
 * configuration's ResponseVary is true; TOS when the answering rule's is). */
function vary(config: CorsConfig, rule: CorsRule): Array<[string, string]> {
  if (config.provider === 's3') return [['Vary', S3_VARY]];
  const where = PROFILES[config.provider].responseVary;
  if ((where === 'configuration' && config.responseVary) || (where === 'rule' && rule.responseVary)) return [['Vary', 'Origin']];
  return [];
}

/** The rule lists the request's origin itself (not through a wildcard). */
function listsOrigin(rule: CorsRule, origin: string): boolean {
  return rule.allowedOrigins.includes(origin);
}

function originHeaders(rule: CorsRule, origin: string, s: AnswerStyle): Array<[string, string]> {
  const value = allowOrigin(rule, origin, s);
  const out: Array<[string, string]> = [['Access-Control-Allow-Origin', value]];
  const credentials = (s.credentials === 'with-echo' && value !== '*') || (s.credentials === 'exact-origin' && listsOrigin(rule, origin));
  if (credentials) out.push(['Access-Control-Allow-Credentials', 'true']);
  return out;
}

function unknownHeaders(config: CorsConfig, rule: CorsRule, origin: string, s: AnswerStyle): string[] {
  if (answerAssumed(config.provider)) return ['access-control-allow-origin', 'access-control-allow-credentials'];
  if (s.credentials === 'unknown' || (s.credentials === 'exact-origin' && !listsOrigin(rule, origin))) return ['access-control-allow-credentials'];
  return [];
}

function maxAge(rule: CorsRule, s: AnswerStyle): Array<[string, string]> {
  const age = rule.maxAgeSeconds ?? s.defaultMaxAge;
  return age === null || age === undefined ? [] : [['Access-Control-Max-Age', String(age)]];
}

function allowHeaders(rule: CorsRule, requested: readonly string[], s: AnswerStyle): Array<[string, string]> {
  if (requested.length === 0) return [];
  const names = s.allowHeaders === 'rule-unless-star' && !rule.allowedHeaders.includes('*') ? rule.allowedHeaders.map((h) => h.toLowerCase()) : requested.map((h) => h.toLowerCase());
  return [['Access-Control-Allow-Headers', names.join(s.separator)]];
}

function exposeHeaders(rule: CorsRule, s: AnswerStyle): Array<[string, string]> {
  return rule.exposeHeaders.length ? [['Access-Control-Expose-Headers', rule.exposeHeaders.join(s.separator)]] : [];
}

/** The answer to a preflight that rule `rule` allows (status 200, CORS headers). */
export function allowedPreflightAnswer(config: CorsConfig, rule: CorsRule, origin: string, method: string, requested: readonly string[]): ServerAnswer {
  const s = STYLE[config.provider];
  const methods = s.methods === 'rule' ? rule.allowedMethods.join(s.separator) : method;
  const headers: Array<[string, string]> = [...originHeaders(rule, origin, s), ['Access-Control-Allow-Methods', methods], ...allowHeaders(rule, requested, s)];
  // GCS documents Access-Control-Expose-Headers for simple requests only
  if (config.provider !== 'gcs') headers.push(...exposeHeaders(rule, s));
  headers.push(...maxAge(rule, s), ...vary(config, rule));
  return {
    status: 200,
    code: null,
    message: null,
    headers,
    unknownHeaders: unknownHeaders(config, rule, origin, s),
    basis: config.provider === 's3' ? 'observed' : answerAssumed(config.provider) ? 'derived' : 'documented',
    kb: null,
    sources: ANSWER_SOURCES[config.provider],
  };
}

/** The CORS headers of the answer to an actual request that rule `rule` allows (the status is the operation's). */
export function allowedActualAnswer(config: CorsConfig, rule: CorsRule, origin: string): ServerAnswer {
  const s = STYLE[config.provider];
  const headers: Array<[string, string]> = [...originHeaders(rule, origin, s)];
  if (config.provider === 's3') headers.push(['Access-Control-Allow-Methods', rule.allowedMethods.join(s.separator)]);
  headers.push(...exposeHeaders(rule, s));
  if (config.provider === 's3') headers.push(...maxAge(rule, s));
  headers.push(...vary(config, rule));
  return { status: null, code: null, message: null, headers, unknownHeaders: unknownHeaders(config, rule, origin, s), basis: s.actualBasis, kb: null, sources: ANSWER_SOURCES[config.provider] };
}

/** The answer to an actual request no rule allows: the operation's own answer, without CORS headers. */
export function refusedActualAnswer(config: CorsConfig): ServerAnswer {
  const headers: Array<[string, string]> = config.provider === 'oss' && config.responseVary ? [['Vary', 'Origin']] : [];
  return { status: null, code: null, message: null, headers, unknownHeaders: [], basis: STYLE[config.provider].refusedBasis, kb: null, sources: ANSWER_SOURCES[config.provider] };
}

function errorAnswer(
  status: number | null,
  code: string | null,
  message: string | null,
  basis: ServerAnswer['basis'],
  kb: KbId | null,
  sources: string[],
  headers: Array<[string, string]> = [],
): ServerAnswer {
  return { status, code, message, headers, unknownHeaders: [], basis, kb, sources };
}

/** The answer to a preflight no rule allows. */
export function refusedPreflightAnswer(config: CorsConfig, reason: RefusalReason): ServerAnswer {
  switch (config.provider) {
    case 's3':
      return reason === 'no-rules'
        ? errorAnswer(403, 'AccessForbidden', S3_NOT_ENABLED, 'documented', null, [SOURCES.s3Troubleshooting, SOURCES.s3NotEnabled, SOURCES.s3Recorded])
        : errorAnswer(403, 'AccessForbidden', S3_NOT_ALLOWED, 'documented', null, [SOURCES.s3Troubleshooting, SOURCES.s3Recorded]);
    case 'cos':
      return errorAnswer(403, 'AccessForbidden', COS_NOT_ALLOWED, 'documented', 'cos.code.access-forbidden', [SOURCES.cosOptions]);
    case 'oss':
      return errorAnswer(403, 'AccessForbidden', OSS_NOT_ALLOWED, 'documented', 'oss.cors.not-allowed', [SOURCES.oss403], config.responseVary ? [['Vary', 'Origin']] : []);
    case 'gcs':
      // documented: a method or header mismatch is 200 without CORS headers; for an origin
      // mismatch GCS documents only the missing Access-Control-Allow-Origin
      return reason === 'method' || reason === 'header' ? errorAnswer(200, null, null, 'documented', null, [SOURCES.gcsCors]) : errorAnswer(null, null, null, 'unknown', null, [SOURCES.gcsCors]);
    case 'obs':
      // documented: 403 AccessForbidden, "not enabled" for an empty rule list, "not allowed"
      // when no rule matches origin, method and headers (the 400 answers for a missing Origin or
      // Access-Control-Request-Method never come from a browser)
      return reason === 'no-rules'
        ? errorAnswer(403, 'AccessForbidden', OBS_NOT_ENABLED, 'documented', 'obs.cors.not-enabled', [SOURCES.obsErrors])
        : errorAnswer(403, 'AccessForbidden', OBS_NOT_ALLOWED, 'documented', 'obs.cors.not-allowed', [SOURCES.obsErrors, SOURCES.obsOptions]);
    case 'tos':
      // UNKNOWN: TOS documents no refusal (status, code or wording); the browser sees no
      // Access-Control-Allow-Origin either way
      return errorAnswer(null, null, null, 'unknown', null, [SOURCES.tosConsole]);
  }
}
