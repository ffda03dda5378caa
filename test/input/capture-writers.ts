// Writers of captures in the shapes the tools produce them, for tests. Each follows the producing
// tool's own algorithm as published (Chromium DevTools front_end/panels/network/NetworkLogView.ts:
// generateFetchCall, generatePowerShellCommand, generateCurlCommand; HAR 1.2 as DevTools
// exports it; Postman collection v2.1). Real samples of each format are kept verbatim in
// test/fixtures/captures/real/.

export const BOUNDARY = '----WebKitFormBoundaryq3tRw7LgYx2kP9aZ';

export interface Form {
  url: string;
  fields: Array<[string, string]>;
  /** The file: its name, type and bytes (the copies leave the bytes out). */
  file: { field: string; name: string; type: string; bytes: Buffer };
  /** Fields after the file part. */
  after?: Array<[string, string]>;
  origin?: string;
}

/** The multipart body as sent, or as DevTools copies it (the file's bytes left out). */
export function multipart(form: Form, withFileBytes: boolean): string {
  let t = '';
  for (const [k, v] of form.fields) t += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  t += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${form.file.field}"; filename="${form.file.name}"\r\nContent-Type: ${form.file.type}\r\n\r\n${withFileBytes ? form.file.bytes.toString('latin1') : ''}\r\n`;
  for (const [k, v] of form.after ?? []) t += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  return `${t}--${BOUNDARY}--\r\n`;
}

/** Length on the wire: the body with the file's bytes. */
export function wireLength(form: Form): number {
  return Buffer.byteLength(multipart(form, false), 'utf8') + form.file.bytes.length;
}

function browserHeaders(): Array<[string, string]> {
  return [
    ['accept', '*/*'],
    ['accept-language', 'en-US,en;q=0.9'],
    ['content-type', `multipart/form-data; boundary=${BOUNDARY}`],
    ['sec-ch-ua', '"Chromium";v="131", "Not_A Brand";v="24"'],
    ['sec-ch-ua-mobile', '?0'],
    ['sec-ch-ua-platform', '"Linux"'],
    ['sec-fetch-dest', 'empty'],
    ['sec-fetch-mode', 'cors'],
    ['sec-fetch-site', 'cross-site'],
  ];
}

/** DevTools "Copy as fetch" (browser) or "Copy as fetch (Node.js)". */
export function copyAsFetch(form: Form, style: 'browser' | 'node'): string {
  const headers: Record<string, string> = {};
  for (const [k, v] of browserHeaders()) headers[k] = v;
  const referrer = `${form.origin ?? 'http://localhost:5173'}/`;
  const options: Record<string, unknown> = { headers, referrer, referrerPolicy: 'strict-origin-when-cross-origin', body: multipart(form, false), method: 'POST', mode: 'cors' };
  if (style === 'node') {
    delete options.mode;
    delete options.referrer;
    delete options.referrerPolicy;
    options.headers = { ...headers, Referer: referrer, 'Referrer-Policy': 'strict-origin-when-cross-origin' };
  } else options.credentials = 'omit';
  return `fetch(${JSON.stringify(form.url)}, ${JSON.stringify(options, null, 2)});`;
}

function psEscape(str: string): string {
  return `"${str.replace(/[`$"]/g, '`$&').replace(/[^\x20-\x7E]/g, (c) => `$([char]${c.charCodeAt(0)})`)}"`;
}

/** DevTools "Copy as PowerShell". */
export function copyAsPowerShell(form: Form): string {
  const command: string[] = [];
  command.push(`-Uri ${psEscape(form.url)}`);
  command.push(`-Method ${psEscape('POST')}`);
  command.push('-WebSession $session');
  const pairs = browserHeaders()
    .filter(([k]) => k !== 'content-type')
    .concat([['origin', form.origin ?? 'http://localhost:5173']])
    .map(([k, v]) => `${psEscape(k)}=${psEscape(v)}`);
  command.push(`-Headers @{\n${pairs.join('\n  ')}\n}`);
  command.push(`-ContentType ${psEscape(`multipart/form-data; boundary=${BOUNDARY}`)}`);
  const body = multipart(form, false);
  command.push(/[^\x20-\x7E]/.test(body) ? `-Body ([System.Text.Encoding]::UTF8.GetBytes(${psEscape(body)}))` : `-Body ${psEscape(body)}`);
  const session = `$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n$session.UserAgent = ${psEscape('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')}\n`;
  return `${session}Invoke-WebRequest -UseBasicParsing ${command.join(' `\n')}`;
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

/** DevTools "Copy as cURL (bash)", the current form (`--url`) or the older one. */
export function copyAsCurl(form: Form, modern: boolean): string {
  const cmd: string[] = [modern ? `--url ${posix(form.url)}` : posix(form.url)];
  for (const [k, v] of [...browserHeaders(), ['origin', form.origin ?? 'http://localhost:5173']]) cmd.push(`-H ${posix(`${k}: ${v}`)}`);
  cmd.push(`--data-raw ${posix(multipart(form, false))}`);
  return `curl ${cmd.join(' \\\n  ')}`;
}

/** A HAR as DevTools exports it ("with content"): multipart text without the file's bytes, the real Content-Length. */
export function devtoolsHar(form: Form, opts: { contentLength?: boolean; postData?: boolean } = {}): string {
  const headers = [...browserHeaders(), ['origin', form.origin ?? 'http://localhost:5173']].map(([name, value]) => ({ name, value }));
  if (opts.contentLength !== false) headers.push({ name: 'content-length', value: String(wireLength(form)) });
  const request: Record<string, unknown> = { method: 'POST', url: form.url, httpVersion: 'http/2.0', headers, queryString: [], cookies: [], headersSize: -1, bodySize: wireLength(form) };
  if (opts.postData !== false) {
    request.postData = {
      mimeType: `multipart/form-data; boundary=${BOUNDARY}`,
      text: multipart(form, false),
      params: [...form.fields.map(([name, value]) => ({ name, value })), { name: form.file.field, value: '(binary)' }],
    };
  }
  const entry = {
    startedDateTime: '2030-01-01T00:00:00.000Z',
    time: 120,
    request,
    response: { status: 204, statusText: '', httpVersion: 'http/2.0', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 0, wait: 100, receive: 1 },
  };
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: [entry] } }, null, 2);
}

/** A Postman collection v2.1 with a formdata body; the file entry points at `filePath`. */
export function postmanCollection(form: Form, filePath: string | null, vars: Record<string, string> = {}, url = form.url): string {
  const formdata: Array<Record<string, unknown>> = form.fields.map(([key, value]) => ({ key, value, type: 'text' }));
  formdata.push({ key: form.file.field, type: 'file', src: filePath });
  for (const [key, value] of form.after ?? []) formdata.push({ key, value, type: 'text' });
  return JSON.stringify(
    {
      info: { _postman_id: '5b0c3c1e-1111-4d2a-9c55-0123456789ab', name: 'upload', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'folder', item: [{ name: 'POST upload', request: { method: 'POST', header: [], body: { mode: 'formdata', formdata }, url: { raw: url } }, response: [] }] }],
      variable: Object.entries(vars).map(([key, value]) => ({ key, value })),
    },
    null,
    '\t',
  );
}

/** Firefox's multipart boundary (current releases). */
export const GECKO_BOUNDARY = '----geckoformboundary1f3a9c0e5d7b2a4c8e6f0123456789ab';

function geckoBody(form: Form, withFileBytes: boolean): string {
  return multipart(form, withFileBytes).split(BOUNDARY).join(GECKO_BOUNDARY);
}

function firefoxPosix(str: string): string {
  if (!/[^\x20-\x7E]|!|'/.test(str)) return `'${str}'`;
  return `$'${str
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/!/g, '\\041')
    .replace(/[^\x20-\x7E]/g, (c) => (c.charCodeAt(0) < 256 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}'`;
}

/**
 * Firefox "Copy as cURL" (devtools/client/shared/curl.js): -X POST, every header, and for a
 * multipart body `--data-binary` with the file part's bytes removed together with the line break
 * before the next delimiter. Firefox 89-130 write it on one line.
 */
export function firefoxCurl(form: Form, oneLine: boolean): string {
  const headers: Array<[string, string]> = [
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'],
    ['Accept', '*/*'],
    ['Content-Type', `multipart/form-data; boundary=${GECKO_BOUNDARY}`],
    ['Origin', form.origin ?? 'http://localhost:5173'],
    ['Sec-Fetch-Mode', 'cors'],
  ];
  const body = geckoBody(form, false).split(`\r\n\r\n\r\n--${GECKO_BOUNDARY}`).join(`\r\n\r\n--${GECKO_BOUNDARY}`);
  const parts = [`curl ${firefoxPosix(form.url)}`, '-X POST', ...headers.map(([k, v]) => `-H ${firefoxPosix(`${k}: ${v}`)}`), '--data-binary', firefoxPosix(body)];
  return parts.join(oneLine ? ' ' : ' \\\n  ');
}

/** Firefox "Copy as Fetch": `await fetch(...)`, 4-space JSON, the whole body (file included). */
export function firefoxFetch(form: Form): string {
  const options = {
    credentials: 'omit',
    headers: {
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      Accept: '*/*',
      'Content-Type': `multipart/form-data; boundary=${GECKO_BOUNDARY}`,
      'Sec-Fetch-Mode': 'cors',
    },
    referrer: `${form.origin ?? 'http://localhost:5173'}/`,
    body: geckoBody(form, true),
    method: 'POST',
    mode: 'cors',
  };
  return `await fetch(${JSON.stringify(form.url)}, ${JSON.stringify(options, null, 4)});`;
}

/** Safari "Copy as fetch": keys sorted, no trailing semicolon; the file part's bytes left out. */
export function safariFetch(form: Form): string {
  const options = {
    body: multipart(form, false),
    cache: 'default',
    credentials: 'omit',
    headers: { Accept: '*/*', 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Origin: form.origin ?? 'http://localhost:5173' },
    method: 'POST',
    mode: 'cors',
    redirect: 'follow',
    referrer: `${form.origin ?? 'http://localhost:5173'}/`,
    referrerPolicy: 'strict-origin-when-cross-origin',
  };
  return `fetch(${JSON.stringify(form.url)}, ${JSON.stringify(options, null, 4)})`;
}

/** Firefox "Copy as PowerShell": -UserAgent, `"n" = "v"` pairs. */
export function firefoxPowerShell(form: Form): string {
  const body = geckoBody(form, false);
  return [
    `Invoke-WebRequest -UseBasicParsing -Uri ${psEscape(form.url)}`,
    `-Method ${psEscape('POST')}`,
    `-UserAgent ${psEscape('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')}`,
    `-Headers @{\n${[
      ['Accept', '*/*'],
      ['Origin', form.origin ?? 'http://localhost:5173'],
    ]
      .map(([k, v]) => `${psEscape(k!)} = ${psEscape(v!)}`)
      .join('\n  ')}\n}`,
    `-ContentType ${psEscape(`multipart/form-data; boundary=${GECKO_BOUNDARY}`)}`,
    `-Body ([System.Text.Encoding]::UTF8.GetBytes(${psEscape(body)}))`,
  ].join(' `\n');
}
