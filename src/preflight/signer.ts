// Asking the application's signer for an upload form: an HTTP endpoint (undici, loaded lazily,
// through src/net/http.ts) or a command that prints the answer. No printing, no exiting.

import { spawn } from 'node:child_process';
import { InputError, NetworkError, UsageError } from '../core/errors.js';
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
  if (i <= 0) throw new UsageError(`--header must look like "Name: value"; got '${h}'`);
  const name = h.slice(0, i).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header: invalid header name '${name}'`);
  return [name, h.slice(i + 1).trim()];
}

/** GET or POST the signing endpoint; a non-2xx answer is an InputError naming the status. */
export async function fetchSigner(o: SignerHttpOptions): Promise<SignerReply> {
  const url = parseHttpUrl(o.url, '--signer-url').toString();
  const method = o.method ?? (o.body !== undefined ? 'POST' : 'GET');
  const headers: Array<[string, string]> = [['Accept', 'application/json']];
  for (const h of o.headers ?? []) headers.push(parseHeaderOption(h));
  let body: Uint8Array | null = null;
  if (o.body !== undefined) {
    try {
      JSON.parse(o.body);
    } catch (e) {
      throw new UsageError(`--body must be JSON (${(e as Error).message})`);
    }
    if (method === 'GET') throw new UsageError('--body needs --method POST');
    body = Buffer.from(o.body, 'utf8');
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
  }
  const res = await send({ method, url, headers, body, timeoutMs: o.timeoutMs ?? SIGNER_TIMEOUT_MS, env: o.env ?? process.env, maxBodyBytes: SIGNER_MAX_BYTES });
  if (res.status < 200 || res.status >= 300) {
    const head = res.body.trim().slice(0, 200).replace(/\s+/g, ' ');
    throw new InputError(`the signer answered HTTP ${res.status}${head ? `: ${head}` : ''}`, { source: url });
  }
  return { source: url, text: res.body, status: res.status };
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
      reject(new InputError(`--signer-cmd could not start: ${e.message}`, { source: 'signer' }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new NetworkError(`--signer-cmd gave no answer within ${Math.round(timeoutMs / 1000)} s`));
      if (code !== 0) {
        const tail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ').slice(0, 300);
        return reject(new InputError(`--signer-cmd exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`, { source: 'signer' }));
      }
      resolvePromise({ source: 'command', text: Buffer.concat(out).toString('utf8') });
    });
  });
}
