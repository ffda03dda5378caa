// Asking the application's signer for an upload form: an HTTP endpoint (undici, loaded lazily,
// through src/net/http.ts) or a command that prints the answer. No printing, no exiting.

import { spawn } from 'node:child_process';
import { InputError, NetworkError, UsageError, jsonErrorText } from '../core/errors.js';
import { Redactor, maskUrl, shownArgument } from '../core/mask.js';
import { SECRET_ENV } from '../core/secret-env.js';
import { PROVIDER_IDS } from '../core/types.js';
import { parseHttpUrl, send } from '../net/http.js';

export interface SignerHttpOptions {
  url: string;
  method?: 'GET' | 'POST';
  /** JSON text sent as the body (POST). */
  body?: string;
  /** "Name: value" headers. */
  headers?: string[];
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SignerReply {
  /** Where it came from, for reports: the URL, or "command". */
  source: string;
  text: string;
  status?: number;
}

export const SIGNER_TIMEOUT_MS = 30_000;
/** Largest signer answer read. */
export const SIGNER_MAX_BYTES = 4 * 1024 * 1024;

export function parseHeaderOption(h: string): [string, string] {
  const i = h.indexOf(':');
  // (a header may carry a token: it is never echoed whole)
  if (i <= 0) throw new UsageError(`header must look like "Name: value"; got ${shownArgument(h)}`, { about: 'header' });
  const name = h.slice(0, i).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`header: invalid header name ${shownArgument(name)}`, { about: 'header' });
  return [name, h.slice(i + 1).trim()];
}

/**
 * What a signer's output may echo and a message must not print: the secrets of the environment
 * the signer runs with, the --header values (tokens), the URL's password and credential
 * parameters; credentials by shape too (maskText).
 */
export function signerRedactor(env: NodeJS.ProcessEnv, headers: Array<[string, string]> = [], url?: string): Redactor {
  const red = new Redactor({ shapes: true });
  red.addEnv(
    env,
    PROVIDER_IDS.flatMap((p) => SECRET_ENV[p]),
  );
  for (const [, v] of headers) red.addHeaderValue(v);
  red.addUrl(url);
  return red;
}

/** One line of a signer's output for a message: whitespace folded, masked, cut. */
function excerpt(text: string, red: Redactor, max: number): string {
  return red
    .scrub(
      text
        .slice(0, max * 4)
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .slice(0, max);
}

/** GET or POST the signing endpoint; a non-2xx answer is an InputError naming the status. */
export async function fetchSigner(o: SignerHttpOptions): Promise<SignerReply> {
  const url = parseHttpUrl(o.url, 'signerUrl', 'signerUrl').toString();
  // reports name the signer by this: no password, no token
  const shown = maskUrl(url);
  const method = o.method ?? (o.body !== undefined ? 'POST' : 'GET');
  const headers: Array<[string, string]> = [['Accept', 'application/json']];
  for (const h of o.headers ?? []) headers.push(parseHeaderOption(h));
  const red = signerRedactor(o.env ?? process.env, headers.slice(1), url);
  let body: Uint8Array | null = null;
  if (o.body !== undefined) {
    try {
      JSON.parse(o.body);
    } catch (e) {
      throw new UsageError(`body must be JSON (${jsonErrorText(e)})`, { about: 'body' });
    }
    if (method === 'GET') throw new UsageError('body needs the POST method', { about: 'body', option: 'method' });
    body = Buffer.from(o.body, 'utf8');
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
  }
  const res = await send({ method, url, headers, body, timeoutMs: o.timeoutMs ?? SIGNER_TIMEOUT_MS, env: o.env ?? process.env, maxBodyBytes: SIGNER_MAX_BYTES });
  if (res.status < 200 || res.status >= 300) {
    const head = excerpt(res.body.trim(), red, 200);
    throw new InputError(`the signer answered HTTP ${res.status}${head ? `: ${head}` : ''}`, { source: shown });
  }
  return { source: shown, text: res.body, status: res.status };
}

/** Run `--signer-cmd` through the shell; its stdout is the answer. */
export function runSignerCommand(command: string, o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<SignerReply> {
  const timeoutMs = o.timeoutMs ?? SIGNER_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, { shell: true, cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes <= SIGNER_MAX_BYTES) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.reduce((n, x) => n + x.length, 0) < 4096) err.push(b);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new InputError(`signerCmd could not start: ${e.message}`, { source: 'signer', about: 'signerCmd' }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new NetworkError(`the signer command gave no answer within ${Math.round(timeoutMs / 1000)} s`));
      if (code !== 0) {
        // the last lines of its stderr, masked: a `set -x` trace shows the secrets it was given
        const lines = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join('\n');
        const tail = excerpt(lines, signerRedactor(o.env ?? process.env), 300);
        return reject(new InputError(`signerCmd exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`, { source: 'signer', about: 'signerCmd' }));
      }
      resolvePromise({ source: 'command', text: Buffer.concat(out).toString('utf8') });
    });
  });
}
