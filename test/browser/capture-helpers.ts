// DevTools' "Copy as fetch / cURL (bash) / PowerShell" written from what DevTools itself holds for
// a request: its URL, method, request headers (the extra-info headers when the browser sent them)
// and the body text DevTools gets from Network.getRequestPostData. Unlike test/input/capture-writers.ts
// (which builds the text from a Form), these take the raw body text as the browser gave it.
// Each follows Chromium DevTools front_end/panels/network/NetworkLogView.ts (generateFetchCall,
// generateCurlCommand for 'unix', generatePowerShellCommand) and the body text follows
// front_end/core/sdk/NetworkManager.ts requestPostData (a base64Encoded answer is decoded as UTF-8).

export interface Header {
  name: string;
  value: string;
}

/** What DevTools has for one request. */
export interface DevtoolsRequest {
  url: string;
  method: string;
  headers: Header[];
  /** The body text (Network.getRequestPostData, decoded as DevTools decodes it); null when DevTools
   * could not get it (the protocol answered an error): the copies then have no body. */
  body: string | null;
  referrerPolicy?: string;
  /** Cookies DevTools saw on the request (none in these tests). */
  cookies?: Array<{ name: string; value: string; domain: string }>;
}

/**
 * The body text DevTools uses from a Network.getRequestPostData answer: the text as given, or,
 * when base64Encoded, the bytes decoded as the request's charset (UTF-8 for multipart): bytes
 * that are not UTF-8 become U+FFFD there.
 */
export function devtoolsBodyText(answer: { postData: string; base64Encoded?: boolean }, contentType: string | undefined): string {
  if (!answer.base64Encoded || !answer.postData) return answer.postData;
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2] ?? 'utf-8';
  return new TextDecoder(charset).decode(Buffer.from(answer.postData, 'base64'));
}

const FETCH_IGNORED = new Set([
  'method',
  'path',
  'scheme',
  'version',
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  'user-agent',
]);

/** "Copy as fetch" (browser) or "Copy as fetch (Node.js)". */
export function copyAsFetchRaw(r: DevtoolsRequest, style: 'browser' | 'node' = 'browser'): string {
  // DevTools collects them in a Headers object: names lower-cased, repeats joined, sorted by name
  const joined = new Map<string, string>();
  for (const h of r.headers) {
    if (FETCH_IGNORED.has(h.name.toLowerCase()) || h.name.includes(':')) continue;
    const k = h.name.toLowerCase();
    joined.set(k, joined.has(k) ? `${joined.get(k)}, ${h.value}` : h.value);
  }
  const headers: Record<string, string> = {};
  for (const k of [...joined.keys()].sort()) headers[k] = joined.get(k) as string;
  const credentials = r.cookies?.length || r.headers.some((h) => ['cookie', 'authorization'].includes(h.name.toLowerCase())) ? 'include' : 'omit';
  const referrer = r.headers.find((h) => h.name.toLowerCase() === 'referer')?.value;
  const options: Record<string, unknown> = {
    headers: Object.keys(headers).length ? headers : undefined,
    referrer,
    referrerPolicy: r.referrerPolicy || undefined,
    body: r.body ?? undefined,
    method: r.method,
    mode: 'cors',
  };
  if (style === 'node') {
    const extra: Record<string, string> = {};
    delete options.mode;
    const cookie = r.headers.find((h) => h.name.toLowerCase() === 'cookie');
    if (cookie) extra.cookie = cookie.value;
    if (referrer) {
      delete options.referrer;
      extra.Referer = referrer;
      delete options.referrerPolicy;
      extra['Referrer-Policy'] = r.referrerPolicy ?? '';
    }
    if (Object.keys(extra).length) options.headers = { ...headers, ...extra };
  } else options.credentials = credentials;
  return `fetch(${JSON.stringify(r.url)}, ${JSON.stringify(options, null, 2)});`;
}

function posix(str: string): string {
  if (/[\0-\x1F\x7F-\x9F!]|'/.test(str)) {
    return `$'${str
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/[\0-\x1F\x7F-\x9F!]/g, (x) => `\\u${x.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
  }
  return `'${str}'`;
}

/** "Copy as cURL (bash)". */
export function copyAsCurlRaw(r: DevtoolsRequest, insecure = false): string {
  let command: string[] = [posix(r.url).replace(/[[{}\]]/g, '\\$&')];
  const ignored = new Set(['accept-encoding', 'host', 'method', 'path', 'scheme', 'version']);
  let inferred = 'GET';
  const data: string[] = [];
  if (r.body) {
    data.push(`--data-raw ${posix(r.body)}`);
    ignored.add('content-length');
    inferred = 'POST';
  }
  if (r.method !== inferred) command.push(`-X ${posix(r.method)}`);
  for (const h of r.headers) {
    const name = h.name.replace(/^:/, '');
    if (ignored.has(name.toLowerCase())) continue;
    command.push(`-H ${posix(`${name}: ${h.value}`)}`);
  }
  command = command.concat(data);
  command.push('--compressed');
  if (insecure) command.push('--insecure');
  return `curl ${command.join(command.length >= 3 ? ' \\\n  ' : ' ')}`;
}

function psEscape(str: string): string {
  return `"${str.replace(/[`$"]/g, '`$&').replace(/[^\x20-\x7E]/g, (c) => `$([char]${c.charCodeAt(0)})`)}"`;
}

/** "Copy as PowerShell". */
export function copyAsPowerShellRaw(r: DevtoolsRequest): string {
  const command: string[] = [];
  const ignored = new Set(['host', 'connection', 'proxy-connection', 'content-length', 'expect', 'range', 'content-type', 'user-agent', 'cookie']);
  const props: string[] = [];
  const ua = r.headers.find((h) => h.name.toLowerCase() === 'user-agent');
  if (ua) props.push(`$session.UserAgent = ${psEscape(ua.value)}`);
  for (const c of r.cookies ?? []) props.push(`$session.Cookies.Add((New-Object System.Net.Cookie(${psEscape(c.name)}, ${psEscape(c.value)}, "/", ${psEscape(c.domain)})))`);
  const session = props.length ? `$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n${props.join('\n')}\n` : null;
  command.push(`-Uri ${psEscape(r.url)}`);
  if (r.method !== 'GET') command.push(`-Method ${psEscape(r.method)}`);
  if (session) command.push('-WebSession $session');
  const pairs: string[] = [];
  for (const h of r.headers) {
    const name = h.name.replace(/^:/, '');
    if (ignored.has(name.toLowerCase())) continue;
    pairs.push(`${psEscape(name)}=${psEscape(h.value)}`);
  }
  if (pairs.length) command.push(`-Headers @{\n${pairs.join('\n  ')}\n}`);
  const ct = r.headers.find((h) => h.name.toLowerCase() === 'content-type');
  if (ct) command.push(`-ContentType ${psEscape(ct.value)}`);
  if (r.body) {
    const body = psEscape(r.body);
    command.push(/[^\x20-\x7E]/.test(r.body) ? `-Body ([System.Text.Encoding]::UTF8.GetBytes(${body}))` : `-Body ${body}`);
  }
  return `${session ?? ''}Invoke-WebRequest -UseBasicParsing ${command.join(command.length >= 3 ? ' `\n' : ' ')}`;
}
