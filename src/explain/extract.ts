// Finding an error inside whatever the user pasted around it: prose and log prefixes, Markdown,
// stack traces, SDK printouts (botocore, the AWS Java, Go, PHP and .NET SDKs, aws-sdk-js v2/v3
// objects, ali-oss and cos-js-sdk error objects, Python dict reprs), JSON log lines with
// escaped XML, DevTools copies and browser console CORS lines.
//
// Every regular expression here runs on bounded text (a line of at most MAX_LINE characters,
// or the whole paste with bounded quantifiers only), so nothing backtracks without bound.

import { decodeEntities, normaliseSpace, squash } from './text.js';
import type { ProviderId } from '../core/types.js';

/** Lines longer than this are cut before line-based shapes are read. */
export const MAX_LINE = 8192;

const EC_RE = /^\d{4}-\d{8}$/;

export interface CorsLine {
  browser: 'chrome' | 'firefox' | 'safari';
  /** The blocked URL, as the console printed it. */
  url: string | null;
  host: string | null;
  origin: string | null;
  /** The console line itself (whitespace-normalised). */
  line: string;
}

/** What the text around the error says: hosts, operation, method, SDK, a console CORS line. */
export interface TextHints {
  hosts: string[];
  /** An API operation the paste names (PutObject, CreateMultipartUpload, ...). */
  operation: string | null;
  /** The HTTP method of the failing request, when the paste shows it. */
  method: string | null;
  sdk: string | null;
  cors: CorsLine | null;
  /** Providers the prose names ("S3", "OSS", "腾讯云 COS", "Google Cloud Storage"): weak evidence. */
  prose: ProviderId[];
}

// ---------------------------------------------------------------------------
// Unwrapping what surrounds a paste.

/** ANSI colour codes, Markdown fences and quote markers, line numbers of code views. */
export function unwrapPaste(text: string): string {
  let t = text.replace(/\u001b\[[0-9;]{0,20}[A-Za-z]/g, '');
  const lines = t.split(/\r?\n/);
  const quoted = lines.filter((l) => /^\s{0,3}>(?:\s|$)/.test(l)).length;
  const nonEmpty = lines.filter((l) => l.trim() !== '').length;
  const out: string[] = [];
  for (let line of lines) {
    if (quoted > 0 && quoted >= nonEmpty / 2) line = line.replace(/^\s{0,3}>\s?/, '');
    if (/^\s{0,3}(?:```|~~~)/.test(line)) continue;
    out.push(line);
  }
  t = out.join('\n');
  return t;
}

/** JSON string escapes undone (`\"`, `\n`, `\u003c`, `\/`): an error inside a JSON log line. */
export function unescapeJsonText(text: string): string | null {
  if (!/\\(?:["nrt/]|u[0-9a-fA-F]{4})/.test(text)) return null;
  const out = text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/nrt]))/g, (_w, hex: string | undefined, c: string | undefined) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c!;
  });
  return out === text ? null : out;
}

// ---------------------------------------------------------------------------
// Hints.

const URL_RE = /\bhttps?:\/\/([A-Za-z0-9.-]{1,253})(?::\d{1,5})?(?:[/?#][^\s'"`<>)\]]{0,2000})?/g;
const HOST_RE =
  /\b((?:[A-Za-z0-9-]{1,63}\.){1,8}(?:amazonaws\.com(?:\.cn)?|aliyuncs\.com|myqcloud\.com|tencentcos\.cn|googleapis\.com|digitaloceanspaces\.com|r2\.cloudflarestorage\.com|backblazeb2\.com|wasabisys\.com|myhuaweicloud\.com|volces\.com))\b/gi;

const OPERATIONS = [
  'PutObject',
  'PostObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'CopyObject',
  'CreateMultipartUpload',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'ListObjects',
  'ListObjectsV2',
  'ListBuckets',
  'CreateBucket',
  'HeadBucket',
  'PutObjectAcl',
  'GetObjectAcl',
  'PutBucketCors',
  'AppendObject',
];
const OPERATION_RE = new RegExp(`\\b(${OPERATIONS.join('|')})\\b`);

export function readHints(text: string): TextHints {
  const t = text.length > 262_144 ? text.slice(0, 262_144) : text;
  const hosts = new Set<string>();
  for (const m of t.matchAll(URL_RE)) if (hosts.size < 20) hosts.add(m[1]!.toLowerCase());
  for (const m of t.matchAll(HOST_RE)) if (hosts.size < 20) hosts.add(m[1]!.toLowerCase());
  const op = OPERATION_RE.exec(t);
  let method: string | null = null;
  const mm =
    /\b(PUT|POST|GET|HEAD|DELETE|OPTIONS)\s{1,4}(?:https?:\/\/|\/)/.exec(t) ??
    /"method"\s{0,4}:\s{0,4}"(PUT|POST|GET|HEAD|DELETE)"/i.exec(t) ??
    /Request Method:\s{0,4}(PUT|POST|GET|HEAD|DELETE|OPTIONS)\b/i.exec(t);
  if (mm) method = mm[1]!.toUpperCase();
  let sdk: string | null = null;
  if (
    /\bS3::|\bS3Client\b|\bS3ResponseError\b|\bboto\.exception\b|\bbotocore\b|\bboto3\b|An error occurred \(\w{1,80}\) when calling the|A client error \(\w{1,80}\) occurred|\bs3:\/\/|arn:aws:|\bs3:(?:PutObject|GetObject|ListBucket)\b/.test(
      t,
    )
  )
    sdk = 'botocore';
  else if (/\(Service: Amazon S3;|AmazonS3Exception|com\.amazonaws\.|software\.amazon\.awssdk/.test(t)) sdk = 'aws-java';
  else if (/operation error S3:|aws-sdk-go/.test(t)) sdk = 'aws-go';
  else if (/Aws\\S3\\|S3Exception|AWS HTTP error/.test(t)) sdk = 'aws-php';
  else if (/Amazon\.S3\.|Amazon\.Runtime\./.test(t)) sdk = 'aws-dotnet';
  else if (/\$metadata|@aws-sdk\/|\$fault/.test(t)) sdk = 'aws-js-v3';
  else if (/\baws-sdk\b|extendedRequestId|retryable:/.test(t)) sdk = 'aws-js-v2';
  else if (
    /\bali-oss\b|\bali_oss\b|OSSException|com\.aliyun\.oss|\boss2\b|aliyun-oss|\boss: service returned error|\boss ?brow|\baliyun\b|阿里云|\bossutil\b|\boss:\/\/|ResponseError[^\n]{0,200}aliyun/i.test(
      t,
    )
  )
    sdk = 'oss';
  else if (/cos-js-sdk|cos-nodejs-sdk|CosServiceError|CosClientError|qcloud_cos|com\.qcloud|cos-go-sdk|QCloud/i.test(t)) sdk = 'cos';
  else if (/Google secret key|GoogleAccessId|\bx-goog-|@google-cloud\/storage|google\.cloud\.storage|google-cloud-storage|com\.google\.cloud\.storage|gsutil|google\.api_core/.test(t)) sdk = 'gcs';
  else if (/ObsException|com\.obs\.services|esdk-obs|\bObsClient\b|\bobs: service returned error|huaweicloud-sdk-(?:go|nodejs|python|java)-obs|\bobsutil\b/i.test(t)) sdk = 'obs';
  else if (/TosServerError|TosClientError|@volcengine\/tos-sdk|ve-tos-(?:js|python|golang|java)-sdk|\btos\.exceptions\b|\btosutil\b/i.test(t)) sdk = 'tos';
  else if (/\bminio\b/i.test(t)) sdk = 'minio';
  const prose: TextHints['prose'] = [];
  if (/\bS3\b|\bs3 (?:bucket|url|upload|api)\b|\bAWS\b|Amazon S3/.test(t)) prose.push('s3');
  if (/\bOSS\b|\boss (?:bucket|url)\b|阿里云|\baliyun\b|Alibaba Cloud/i.test(t)) prose.push('oss');
  if (/\bCOS\b|\bcos ?js ?sdk\b|腾讯云|\bqcloud\b|Tencent Cloud/i.test(t)) prose.push('cos');
  if (/\bGCS\b|Google Cloud Storage|Firebase Storage|\bgs:\/\//.test(t)) prose.push('gcs');
  if ((/\bOBS\b/.test(t) && !/\bOBS Studio\b/.test(t)) || /华为云|Huawei ?Cloud|\bhuaweicloud\b|Open Telekom Cloud/i.test(t)) prose.push('obs');
  if (/\bTOS\b/.test(t) || /火山引擎|Volcengine|\bvolces\b/i.test(t)) prose.push('tos');
  return { hosts: [...hosts], operation: op ? op[1]! : null, method, sdk, cors: readCorsLine(t), prose };
}

// ---------------------------------------------------------------------------
// Browser console CORS lines (Chrome, Firefox, Safari).

function hostOf(url: string | null): string | null {
  if (!url) return null;
  const m = /^[a-z][a-z0-9+.-]{0,20}:\/\/([^/?#\s]{1,260})/i.exec(url.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export function readCorsLine(text: string): CorsLine | null {
  if (!/CORS|Access-Control-Allow-Origin|access control check|Cross-Origin Request Blocked|preflight|跨源请求|跨域|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/i.test(text)) return null;
  // console messages wrap over lines when copied: read them as one line
  const one = normaliseSpace(text.length > 262_144 ? text.slice(0, 262_144) : text);
  const at = (m: RegExpExecArray, browser: CorsLine['browser'], url: string | null, origin: string | null): CorsLine => {
    const u = url ? trimTrailing(url, '.,:;') : null;
    return { browser, url: u, host: hostOf(u), origin, line: consoleMessage(text, one.slice(m.index, m.index + 60)) ?? one.slice(m.index, m.index + 2000) };
  };
  let m: RegExpExecArray | null;
  // Chrome: Access to XMLHttpRequest at 'URL' from origin 'ORIGIN' has been blocked by CORS policy: ...
  m =
    /Access to (?:XMLHttpRequest|fetch|resource|font|image|script)(?: at)? '([^'\s]{1,4000})' (?:\(redirected from '[^'\s]{1,4000}'\) )?from origin '([^'\s]{1,400})' has been blocked by CORS policy/.exec(
      one,
    );
  if (m) return at(m, 'chrome', m[1]!, m[2]!);
  // older Chrome: "XMLHttpRequest cannot load URL. ..." / "Failed to load URL: ..." ... "Origin 'X' is therefore not allowed access."
  m =
    /(?:XMLHttpRequest cannot load|Failed to load) (https?:\/\/[^\s'"`]{1,4000}) (?:Response to preflight|No 'Access-Control|The request was redirected|Redirect from|Request header field|The value of the|A wildcard|Credentials flag|Method \w{1,10} is not allowed|Response for preflight|Origin ')/.exec(
      one,
    );
  if (m) {
    const o = /Origin '([^'\s]{1,400})' is (?:therefore )?not allowed access/.exec(one.slice(m.index, m.index + 4000));
    return at(m, 'chrome', m[1]!, o ? o[1]! : null);
  }
  // Firefox: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at URL. (Reason: ...)
  m =
    /(?:Response to preflight request doesn't pass access control check|No 'Access-Control-Allow-Origin' header is present)[^\n]{0,300}?Origin '([^'\s]{1,400})' is therefore not allowed access/.exec(
      one,
    );
  if (m) return at(m, 'chrome', null, m[1]!);
  m = /(?:Cross-Origin Request Blocked|已拦截跨源请求)[:：]/.exec(one);
  if (m) {
    // "... disallows reading the remote resource at URL. (Reason: ...)": the URL read by hand
    const from = one.indexOf('http', m.index);
    if (from >= 0 && from - m.index < 300) {
      let end = from;
      while (end < one.length && end - from < 4000 && !' \t（('.includes(one[end]!)) end++;
      return at(m, 'firefox', one.slice(from, end), null);
    }
  }
  // Safari: Origin X is not allowed by Access-Control-Allow-Origin. / ... cannot load URL due to access control checks.
  m = /Origin (\S{1,400}) is not allowed by Access-Control-Allow-Origin/.exec(one);
  if (m) {
    const u = /(?:cannot load|Failed to load resource:?[^\n]{0,40}?) (https?:\/\/[^\s'"`]{1,4000})/.exec(one);
    return at(m, 'safari', u ? u[1]! : null, m[1]!);
  }
  m = /(?:XMLHttpRequest|Fetch API) cannot load (https?:\/\/[^\s'"`]{1,4000}) due to access control checks/.exec(one);
  if (m) return at(m, 'safari', m[1]!, null);
  m = /Preflight response is not successful|Request header field \S{1,200} is not allowed by Access-Control-Allow-Headers/.exec(one);
  if (m) {
    const u = /https?:\/\/[^\s'"`]{1,4000}/.exec(one);
    return at(m, 'safari', u ? u[0] : null, null);
  }
  // a DevTools network line: "OPTIONS https://bucket.../key 403 (Forbidden)", "net::ERR_NAME_NOT_RESOLVED"
  m = /\b(OPTIONS|POST|PUT) (https?:\/\/[^\s'"`]{1,4000}) ?(?:\d{3} \([^)]{1,40}\)|net::ERR_[A-Z_]{1,40})/.exec(one);
  if (m) {
    const url = m[2]!;
    const cut = url.indexOf('net::ERR_');
    return at(m, 'chrome', cut >= 0 ? url.slice(0, cut) : url, null);
  }
  return null;
}

/**
 * The console message that starts with `head`, as the browser printed it: its line, and the
 * lines it wrapped onto when copied (up to six), but not the stack frames or log lines after it.
 */
function consoleMessage(text: string, head: string): string | null {
  const lines = text.split(/\r?\n/);
  const key = head.slice(0, 30);
  for (let i = 0; i < lines.length && i < 5000; i++) {
    const line = normaliseSpace(lines[i]!.length > MAX_LINE ? lines[i]!.slice(0, MAX_LINE) : lines[i]!);
    const at = line.indexOf(key);
    if (at < 0) continue;
    let msg = line.slice(at);
    for (let j = i + 1; j < lines.length && j <= i + 6; j++) {
      const next = normaliseSpace(lines[j]!.slice(0, MAX_LINE));
      if (next === '' || /^(?:at |[\w.-]{1,80}\.(?:js|ts|html|vue|jsx|tsx)\b|\d{1,4}[-:/]\d|[\w.]{1,60}Error\b|>|\*|`)/.test(next)) break;
      msg += ` ${next}`;
    }
    return msg;
  }
  return null;
}

/** `s` without the trailing characters listed in `chars`. */
export function trimTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** A storage endpoint's region, read from its host name (S3, OSS, COS), or null. */
export function hostRegion(host: string): string | null {
  const h = host.toLowerCase();
  let m = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/.exec(h);
  if (m) return m[1]!;
  m = /(?:^|\.)(oss-[a-z]{2}-[a-z0-9-]{1,30}?)(?:-internal)?\.aliyuncs\.com$/.exec(h);
  if (m) return m[1]!;
  m = /(?:^|\.)cos\.([a-z]{2}-[a-z0-9-]{1,30})\.myqcloud\.com$/.exec(h);
  if (m) return m[1]!;
  return null;
}

// ---------------------------------------------------------------------------
// SDK one-line shapes.

export interface Found {
  /** Response headers seen as `name: value` lines (x-amz-*, x-oss-*, x-cos-*, x-goog-*, Server). */
  headers?: Array<[string, string]>;
  code?: string | null;
  message?: string | null;
  status?: number | null;
  requestId?: string | null;
  hostId?: string | null;
  ec?: string | null;
  elements?: Record<string, string>;
  shape: string;
}

function clip(s: string): string {
  return s.length > MAX_LINE ? s.slice(0, MAX_LINE) : s;
}

/** Code and message from the printouts of the official SDKs, or null. */
export function readSdkShapes(text: string): Found | null {
  const t = text.length > 262_144 ? text.slice(0, 262_144) : text;
  let m: RegExpExecArray | null;
  // botocore: An error occurred (Code) when calling the Op operation: Message
  m = /An error occurred \(([\w.-]{1,80})\) when calling the ([\w-]{1,80}) operation(?: \(reached max retries: \d{1,4}\))?: ?([^\n]{0,4000})/.exec(t);
  if (m) return { ...codeOrStatus(m[1]!), message: cleanTail(m[3]!), shape: 'botocore' };
  // old aws-cli: A client error (Code) occurred when calling the Op operation: Message
  m = /A (?:client|server) error \(([\w.-]{1,80})\) occurred when calling the ([\w-]{1,80}) operation: ?([^\n]{0,4000})/.exec(t);
  if (m) return { ...codeOrStatus(m[1]!), message: cleanTail(m[3]!), shape: 'botocore' };
  // AWS Java SDK: Message (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: X; S3 Extended Request ID: Y; Proxy: null)
  m = /\(Service: ([^;\n)]{1,80}); Status Code: (\d{3}); Error Code: ([^;\n)]{1,80}); Request ID: ([^;\n)]{0,200})(?:; (?:S3 )?Extended Request ID: ([^;\n)]{0,300}))?/.exec(t);
  if (m) {
    return {
      code: m[3]!.trim(),
      message: cleanJavaMessage(textBefore(t, m.index)),
      status: Number(m[2]),
      requestId: nullish(m[4]),
      hostId: nullish(m[5]),
      shape: 'aws-java',
      elements: { service: m[1]!.trim() },
    };
  }
  // AWS SDK for Java v2: ... (Service: S3, Status Code: 403, Request ID: X, Extended Request ID: Y)
  m = /\(Service: ([^,\n)]{1,80}), Status Code: (\d{3}), Request ID: ([^,\n)]{0,200})(?:, Extended Request ID: ([^,\n)]{0,300}))?/.exec(t);
  if (m) return { message: cleanJavaMessage(textBefore(t, m.index)), status: Number(m[2]), requestId: nullish(m[3]), hostId: nullish(m[4]), shape: 'aws-java', elements: { service: m[1]!.trim() } };
  // AWS Go SDK v2: operation error S3: PutObject, https response error StatusCode: 403, RequestID: X, HostID: Y, api error AccessDenied: Access Denied
  m =
    /operation error ([\w ]{1,40}): ([\w-]{1,80}), (?:exceeded maximum number of attempts, \d{1,3}, )?https response error StatusCode: (\d{3}), RequestID: ([^,\n]{0,200}), HostID: ([^,\n]{0,300}), (?:api error )?([\w.-]{1,80}): ?([^\n]{0,4000})/.exec(
      t,
    );
  if (m) return { code: m[6]!, message: cleanTail(m[7]!), status: Number(m[3]), requestId: nullish(m[4]), hostId: nullish(m[5]), shape: 'aws-go' };
  m =
    /operation error ([\w ]{1,40}): ([\w-]{1,80}), (?:exceeded maximum number of attempts, \d{1,3}, )?https response error StatusCode: (\d{3}), RequestID: ([^,\n]{0,200})(?:, HostID: ([^,\n]{0,300}))?(?:, ([\w.-]{1,80}): ?([^\n]{0,4000}))?/.exec(
      t,
    );
  if (m) return { code: m[6] ?? null, message: m[7] ? cleanTail(m[7]) : null, status: Number(m[3]), requestId: nullish(m[4]), hostId: nullish(m[5]), shape: 'aws-go' };
  // AWS Go SDK v1: Code: Message\n\tstatus code: 403, request id: X, host id: Y
  m = /(?:^|[\s:])([A-Z][A-Za-z0-9.]{2,80}): ([^\n]{0,4000})\n[ \t]{0,20}status code: (\d{3}), request id: ([^,\n]{0,200})(?:, host id: ([^\s,]{0,300}))?/.exec(t);
  if (m) return { code: m[1]!, message: cleanTail(m[2]!), status: Number(m[3]), requestId: nullish(m[4]), hostId: nullish(m[5]), shape: 'aws-go' };
  m = /\bstatus code: (\d{3}), request id: ([^,\n]{0,200})(?:, host id: ([^\s,]{0,300}))?/.exec(t);
  const goTail = m ? { status: Number(m[1]), requestId: nullish(m[2]), hostId: nullish(m[3]) } : null;
  // aws-sdk-php: ... AWS HTTP error: ... resulted in a `403 Forbidden` response: ... Code (client): Message - <?xml
  m = /\b([A-Z][A-Za-z0-9.]{2,80}) \((client|server)\): ([^\n]{0,4000}?)(?: - <|\s*$| - \n|\n)/m.exec(t);
  if (m && /AWS HTTP error|S3Exception|Aws\\/.test(t)) {
    const st = /resulted in a `(\d{3})[^`\n]{0,60}` response/.exec(t);
    return { code: m[1]!, message: cleanTail(m[3]!), status: st ? Number(st[1]) : null, shape: 'aws-php' };
  }
  // aws .NET: Amazon.S3.AmazonS3Exception: Message ---> Amazon.Runtime.Internal.HttpErrorResponseException
  m = /Amazon\.S3\.AmazonS3Exception: ([^\n]{0,4000}?)(?: --->|\r?\n|$)/.exec(t);
  if (m) return { message: cleanTail(m[1]!), shape: 'aws-dotnet', ...(goTail ?? {}) };
  if (goTail) return { ...goTail, shape: 'aws-go' };
  return null;
}

/** The text of the line before `index` (at most 2,000 characters). */
function textBefore(t: string, index: number): string {
  const start = Math.max(t.lastIndexOf('\n', index - 1) + 1, index - 2000);
  return t.slice(start, index);
}

function nullish(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === 'null' || t === 'undefined' ? null : t;
}

/** A message cut from a line: trailing quotes, backticks and brackets of the surrounding text removed. */
function cleanTail(s: string): string {
  let t = s.trim();
  for (let i = 0; i < 4; i++) {
    const before = t;
    const bare = trimTrailing(t, ',;)]}');
    if (bare !== t && /["'`]$/.test(bare)) t = bare;
    t = trimTrailing(t, '"\'`').trimEnd();
    if (t === before) break;
  }
  return t;
}

function cleanJavaMessage(s: string): string {
  // "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied" -> "Access Denied"
  const t = s.replace(/^.*?(?:Exception|Error)(?:\[[^\]]{0,80}\])?: /, '');
  return cleanTail(t);
}

/** botocore names an HTTP status where the answer had no code ("An error occurred (403)"). */
function codeOrStatus(code: string): { code?: string; status?: number } {
  return /^\d{3}$/.test(code) ? { status: Number(code) } : { code };
}

// ---------------------------------------------------------------------------
// Key-value printouts: console.log of SDK error objects, Python dicts, embedded JSON.

const KEY_VALUE =
  /(?:^|[\s{,([])(?:'|"|\\")?([A-Za-z_$][\w$-]{0,40}|Request ID|Error Code|Status Code|Error Message|Host ID)(?:'|"|\\")?\]?[ \t]{0,4}[:=][ \t]{0,4}(?:\[ ?)?(?:'((?:[^'\\\n]|\\.){0,4000})'|"((?:[^"\\\n]|\\.){0,4000})"|\\"((?:[^"\\\n]|\\[^"]){0,4000})\\"|`([^`\n]{0,4000})`|(-?\d{1,15})(?![\w.:-])|([A-Za-z0-9][\w.-]{0,100})(?=[\s,})\]]|$))/dgm;

const K_CODE = new Set(['code', 'errorcode', 'error_code', 'error code']);
const K_MESSAGE = new Set(['message', 'errormessage', 'error_message', 'errormsg', 'error message', 'msg']);
const K_STATUS = new Set(['status', 'statuscode', 'httpstatuscode', 'status_code', 'http_status', 'status code', 'httpstatus']);
const K_REQUEST = new Set(['requestid', 'request_id', 'x-oss-request-id', 'x-cos-request-id', 'x-amz-request-id', 'request id', 'x-amz-id-2']);
const K_HOST = new Set(['hostid', 'host_id', 'extendedrequestid', 'host id']);
const K_EC = new Set(['ec', 'eccode']);
const K_KEEP = new Set([
  'endpoint',
  'bucket',
  'bucketname',
  'region',
  'condition',
  'resource',
  'key',
  'stringtosign',
  'requesttime',
  'servertime',
  'expires',
  'argumentname',
  'argumentvalue',
  'recommenddoc',
  'awsaccesskeyid',
  'ossaccesskeyid',
  'traceid',
  'maxallowedskewmilliseconds',
  'proposedsize',
  'maxsizeallowed',
  'minsizeallowed',
  'host',
  'method',
  'url',
  'name',
]);

function unquote(v: string): string {
  return v.replace(/\\(["'\\/])/g, '$1').replace(/\\n/g, '\n');
}

/** Code, message, status and ids from `key: value` pairs anywhere in the text, or null. */
export function readKeyValues(text: string): Found | null {
  const t = text.length > 262_144 ? text.slice(0, 262_144) : text;
  if (!/[:=]/.test(t)) return null;
  const f: Found = { shape: 'object', elements: {} };
  let any = false;
  let n = 0;
  for (const m of t.matchAll(KEY_VALUE)) {
    if (++n > 2000) break;
    const key = m[1]!;
    const k = key.toLowerCase();
    const raw = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7];
    if (raw === undefined) continue;
    const quoted = m[6] === undefined && m[7] === undefined;
    if (!quoted && /^(?:null|undefined|true|false|None|nil)$/.test(raw)) continue;
    const v = quoted ? unquote(raw) : raw;
    if (K_CODE.has(k)) {
      if (/^\d{3}$/.test(v)) {
        if (f.status == null) f.status = Number(v);
      } else if (f.code == null && /^[A-Za-z][\w.-]{1,80}$/.test(v)) {
        f.code = v;
        any = true;
      }
    } else if (K_MESSAGE.has(k)) {
      if (f.message == null && v.trim() !== '' && (quoted || !/^\d+$/.test(v))) {
        if (quoted) f.message = v;
        else {
          // an unquoted message runs to the end of its line ("Message:The authorization header is ...")
          const start = m.indices?.[7]?.[0] ?? 0;
          const nl = t.indexOf('\n', start);
          f.message = cleanTail(t.slice(start, Math.min(nl < 0 ? t.length : nl, start + 4000)));
        }
        any = true;
      }
    } else if (K_STATUS.has(k)) {
      const s = /^\d{3}$/.test(v.trim()) ? Number(v.trim()) : null;
      if (f.status == null && s !== null && s >= 100 && s <= 599) {
        f.status = s;
        any = true;
      }
    } else if (K_REQUEST.has(k)) {
      if (f.requestId == null && v.trim()) f.requestId = squash(v);
    } else if (K_HOST.has(k)) {
      if (f.hostId == null && v.trim()) f.hostId = squash(v);
    } else if (K_EC.has(k)) {
      const e = squash(v);
      if (f.ec == null && EC_RE.test(e)) {
        f.ec = e;
        any = true;
      }
    } else if (/^(?:x-(?:amz|oss|cos|goog)-[\w-]{1,40}|server)$/i.test(key)) {
      f.headers ??= [];
      if (f.headers.length < 50) f.headers.push([key, v]);
    }
    if (K_KEEP.has(k) && quoted) {
      const name = key[0]!.toUpperCase() + key.slice(1);
      if (!(name in f.elements!)) f.elements![name] = v;
    }
  }
  // ali-oss names its errors after the code: name: 'InvalidAccessKeyIdError'
  if (f.code == null && f.elements!.Name && /^[A-Z]\w{2,60}Error$/.test(f.elements!.Name) && f.elements!.Name !== 'ResponseError') {
    f.code = f.elements!.Name.replace(/Error$/, '');
  }
  delete f.elements!.Name;
  return any || f.requestId || f.hostId || f.headers?.length ? f : null;
}

// ---------------------------------------------------------------------------
// Codes in prose: "I get 'SignatureDoesNotMatch', '...'", "AccessDeniedInvalid according to Policy".

/**
 * The first known error code written as a word in the text, and the message glued to it or on
 * the line below, or null. `knownCode` tells the knowledge base's codes.
 */
export function readCodeInProse(text: string, knownCode: (c: string) => boolean): Found | null {
  const t = text.length > 262_144 ? text.slice(0, 262_144) : text;
  let n = 0;
  for (const m of t.matchAll(/(?<![\w.-])[A-Z][a-z]{1,20}(?:[A-Z][a-z0-9]{0,20}){1,8}/g)) {
    if (++n > 5000) break;
    const word = m[0];
    const at = m.index ?? 0;
    // the longest known code the word starts with (glued: "AccessDeniedInvalid")
    let code: string | null = null;
    if (knownCode(word)) code = word;
    else {
      for (let cut = word.length - 1; cut >= 6; cut--) {
        const head = word.slice(0, cut);
        if (/[a-z0-9]$/.test(head) && /^[A-Z]/.test(word.slice(cut)) && knownCode(head)) {
          code = head;
          break;
        }
      }
    }
    if (!code) continue;
    const lineEnd0 = t.indexOf('\n', at);
    const glued = t.slice(at + code.length, lineEnd0 < 0 ? Math.min(t.length, at + 4100) : Math.min(lineEnd0, at + 4100));
    if (code !== word) return { code, message: cleanTail(glued), shape: 'code-glued' };
    // the code alone on its line, the message on the next one
    const lineEnd = t.indexOf('\n', at + word.length);
    const lineStart = t.lastIndexOf('\n', at) + 1;
    const line = t.slice(lineStart, lineEnd < 0 ? t.length : lineEnd).trim();
    if (line === word && lineEnd >= 0) {
      const nextEnd = t.indexOf('\n', lineEnd + 1);
      const next = t.slice(lineEnd + 1, nextEnd < 0 ? t.length : nextEnd).trim();
      if (next && !/^\s*at\s/.test(next)) return { code, message: clip(next), shape: 'code-line-above' };
    }
    // 'Code', 'Message' or "Code": "Message" written next to each other
    const after = t.slice(at + word.length, at + word.length + 4100);
    const q = /^['"`]?\s{0,2}[,:;-]\s{0,2}['"`]([^'"`\n]{3,4000})['"`]/.exec(after);
    if (q) return { code, message: q[1]!, shape: 'prose' };
    return { code, shape: 'prose' };
  }
  return null;
}

/** Plain decoded, normalised text of a found message. */
export function cleanMessage(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = normaliseSpace(decodeEntities(s));
  return t === '' ? null : t;
}
