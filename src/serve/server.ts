// The sandbox bucket: an HTTP server on loopback that takes browser POST uploads the way the
// provider does. Each request body is streamed to a temporary file (bounded by maxBody),
// parsed from there, judged by the check engine, and answered with the provider's own
// success or error answer; CORS is evaluated like a bucket's CORS rules. Every request gives
// one Diagnosis (kept in a short history for the live view, and passed to onDiagnosis).
// Library code: never prints, never exits.
//
// Whatever a page on any origin sends, the process stays up (./limits.ts has every number):
// multipart parts are capped as the CLI caps them; HTTP headers, connections, request bodies
// on disk and bodies parsed at once are capped; a diagnosis is a bounded summary and the
// history is bounded by bytes as well as by count; temporary body files are removed on every
// exit path (answer, abort, parse error, limit, close, process exit). Text from a request is
// masked and escaped before it is shown (./text.ts); --store never follows a symlink and holds
// any key (./store.ts); the live view answers only to the Host names of this server (DNS
// rebinding).
import { FILENAME_VARIABLE } from '../providers/form.js';
import { createHash } from 'node:crypto';
import { constants as FS, createReadStream, createWriteStream, openSync, promises as fsp, unlinkSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, type CheckResult } from '../check/index.js';
import { predictedRule } from '../check/predict.js';
import { resolvePrediction, ui } from '../core/catalogue.js';
import { formatBytes } from '../core/template.js';
import { InputError } from '../core/errors.js';
import { FormView } from '../core/fields.js';
import { Redactor } from '../core/mask.js';
import type { FilePart, Finding, Lang, ProviderId, ServerFlavour, UploadRequest } from '../core/types.js';
import { parseMultipart } from '../input/multipart.js';
import { errorAnswer, newRequestId, ruleFor, successAnswer, type Answer, type AnswerContext, type ErrorExtras, type ErrorSpec, type KbRule } from './answers.js';
import { actualCors, corsCause, originsConfig, preflightCapture, type ActualCors } from './cors.js';
import { diagnoseCors, type CorsConfig } from '../cors/index.js';
import { renderSummary, summariseFindings, type Diagnosis } from './diagnosis.js';
import {
  SERVE_BODY_IDLE_MS,
  SERVE_HISTORY,
  SERVE_HISTORY_BYTES,
  SERVE_MAX_BODIES,
  SERVE_MAX_CONNECTIONS,
  SERVE_MAX_HEADER_BYTES,
  SERVE_MAX_HEADERS,
  SERVE_MAX_JUDGES,
  SERVE_LIMITS,
  SERVE_MAX_PARTS,
} from './limits.js';
import { livePage, LIVE_API } from './live.js';
import { storeObject } from './store.js';
import { addRequestCredentials, shownDeep } from './text.js';

export interface ServeOptions {
  provider: ProviderId;
  server?: ServerFlavour;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (0 = any free port). */
  port?: number;
  /** The bucket this endpoint answers for (path-style requests naming another bucket get NoSuchBucket). */
  bucket?: string | null;
  secret?: string | null;
  /** Directory for accepted files; null = hash and discard. */
  store?: string | null;
  /** Allowed CORS origins ("*" = any): a configuration of one rule (./cors.ts originsConfig). */
  corsOrigins?: readonly string[];
  /** The bucket's CORS configuration, in the engine's model (instead of corsOrigins; for this provider). */
  cors?: CorsConfig | null;
  /** Largest request body read, in bytes. */
  maxBody?: number;
  /** A fixed "now" for the checks (default: the clock at each request). */
  now?: Date | null;
  lang?: Lang;
  /** Diagnoses kept for the live view (default SERVE_HISTORY). */
  history?: number;
  /** Bytes of JSON the kept diagnoses may take (default SERVE_HISTORY_BYTES); the newest is always kept. */
  historyBytes?: number;
  /** Directory for the temporary request bodies (default: the OS temp dir). */
  tmpDir?: string;
  onDiagnosis?: (d: Diagnosis) => void;
}

export const DEFAULT_MAX_BODY = 100 * 1024 * 1024;
/** Temporary body files: created new (never through an existing name or a symlink), owner-only. */
const TMP_FLAGS = FS.O_WRONLY | FS.O_CREAT | FS.O_EXCL | FS.O_NOFOLLOW;

interface Received {
  size: number;
  overflow: boolean;
}

/**
 * Stream a request body into `path`, stopping (without reading further) past `max` bytes.
 * Rejects when the request is aborted or sends nothing for `idleMs`; the file is then closed
 * (the caller removes it).
 */
function receiveBody(req: IncomingMessage, path: string, max: number, idleMs: number): Promise<Received> {
  return new Promise((resolveP, reject) => {
    if (req.destroyed || req.socket?.destroyed) {
      reject(new Error('request aborted'));
      return;
    }
    let fd: number;
    try {
      fd = openSync(path, TMP_FLAGS, 0o600);
    } catch (e) {
      reject(e as Error);
      return;
    }
    const out = createWriteStream(path, { fd });
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | null = null;
    const arm = (): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        onError(new Error(`request body idle for ${idleMs} ms`));
        req.destroy();
      }, idleMs);
      idle.unref();
    };
    const detach = (): void => {
      if (idle) clearTimeout(idle);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onClose);
    };
    const finish = (r: Received): void => {
      if (done) return;
      done = true;
      detach();
      out.end(() => resolveP(r));
    };
    const onData = (chunk: Buffer): void => {
      arm();
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish({ size, overflow: true });
        return;
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    };
    const onEnd = (): void => finish({ size, overflow: false });
    const onError = (e: Error): void => {
      if (done) return;
      done = true;
      detach();
      // the file is closed before the caller removes it
      if (out.closed) reject(e);
      else {
        out.once('close', () => reject(e));
        out.destroy();
      }
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    const onClose = (): void => {
      if (!req.complete) onAborted();
    };
    out.on('error', onError);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
    req.on('close', onClose);
    arm();
  });
}

/** At most `n` holders at once; the others wait in order. */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly n: number) {}
  async acquire(): Promise<() => void> {
    if (this.used < this.n) this.used++;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
  }
}

async function md5OfRange(path: string, start: number, end: number): Promise<string> {
  const h = createHash('md5');
  if (end > start) {
    for await (const c of createReadStream(path, { start, end: end - 1 })) h.update(c as Buffer);
  }
  return h.digest('hex');
}

function headerPairs(req: IncomingMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function f(id: Finding['id'], facts: Record<string, unknown>, predicts: Finding['predicts'] = null): Finding {
  return { id, severity: 'error', facts, predicts };
}

export class SandboxBucket {
  readonly opts: Required<Omit<ServeOptions, 'onDiagnosis' | 'now' | 'bucket' | 'secret' | 'store' | 'tmpDir' | 'cors'>> &
    Pick<ServeOptions, 'onDiagnosis' | 'now'> & { bucket: string | null; secret: string | null; store: string | null; tmpDir: string; cors: CorsConfig };
  private readonly http: Server;
  private readonly history: Array<{ d: Diagnosis; bytes: number }> = [];
  private historyBytes = 0;
  private counter = 0;
  private baseUrl = '';
  private reachable: string[] = [];
  private readonly sockets = new Set<Socket>();
  /** Temporary body files that exist now. */
  private readonly temps = new Set<string>();
  private readonly bodies = new Slots(SERVE_MAX_BODIES);
  private readonly judges = new Slots(SERVE_MAX_JUDGES);
  /** Host header values (lower case) the live view answers to. */
  private hosts = new Set<string>();
  /** Per request: the values masked wherever its text is shown. */
  private readonly redactors = new WeakMap<IncomingMessage, Redactor>();
  private readonly onExit = (): void => this.removeTemps();

  constructor(opts: ServeOptions) {
    if (opts.cors && opts.corsOrigins?.length) throw new Error('give either corsOrigins or cors (a CORS configuration), not both');
    if (opts.cors && opts.cors.provider !== opts.provider) throw new Error(`the CORS configuration is for ${opts.cors.provider}, not ${opts.provider}`);
    this.opts = {
      provider: opts.provider,
      server: opts.server ?? 'aws',
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      bucket: opts.bucket ?? null,
      secret: opts.secret ?? null,
      store: opts.store ?? null,
      corsOrigins: opts.corsOrigins ?? [],
      cors: opts.cors ?? originsConfig(opts.provider, opts.corsOrigins ?? []),
      maxBody: opts.maxBody ?? DEFAULT_MAX_BODY,
      now: opts.now ?? null,
      lang: opts.lang ?? 'en',
      history: opts.history ?? SERVE_HISTORY,
      historyBytes: opts.historyBytes ?? SERVE_HISTORY_BYTES,
      tmpDir: opts.tmpDir ?? tmpdir(),
      onDiagnosis: opts.onDiagnosis,
    };
    this.http = createServer({ requestTimeout: 10 * 60_000, headersTimeout: 60_000, maxHeaderSize: SERVE_MAX_HEADER_BYTES }, (req, res) => {
      this.handle(req, res).catch((e) => this.crashAnswer(req, res, e));
    });
    this.http.maxHeadersCount = SERVE_MAX_HEADERS;
    this.http.maxConnections = SERVE_MAX_CONNECTIONS;
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.http.on('clientError', (e: NodeJS.ErrnoException, socket) => {
      // headers over SERVE_MAX_HEADER_BYTES: 431, anything else the HTTP parser refuses: 400
      const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    });
  }

  /**
   * Start listening; resolves to the base URL ("http://127.0.0.1:PORT/"). Bound to every interface
   * (0.0.0.0, ::), it is the loopback address (a browser cannot open 0.0.0.0 everywhere), and
   * `urls` lists the addresses other machines reach it at.
   */
  listen(): Promise<string> {
    return new Promise((res, rej) => {
      const onError = (e: Error): void => rej(e);
      this.http.once('error', onError);
      this.http.listen(this.opts.port, this.opts.host, () => {
        this.http.off('error', onError);
        const a = this.http.address() as AddressInfo;
        this.reachable = reachableUrls(a);
        this.baseUrl = this.reachable[0] as string;
        this.hosts = liveHosts(this.opts.host, a);
        process.on('exit', this.onExit);
        res(this.baseUrl);
      });
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Every URL the server is reached at: `url` first, then (bound to every interface) one per non-internal IPv4 address of this machine. */
  get urls(): string[] {
    return [...this.reachable];
  }

  /** Whether it listens on every interface (0.0.0.0 or ::). */
  get allInterfaces(): boolean {
    const a = this.http.address();
    return a !== null && typeof a === 'object' && isUnspecified(a.address);
  }

  /** Requests handled so far. */
  get requestCount(): number {
    return this.counter;
  }

  /** Recent diagnoses, oldest first. */
  diagnoses(): Diagnosis[] {
    return this.history.map((h) => h.d);
  }

  /** Bytes of JSON the kept diagnoses take (what the live view's data answers at most). */
  get historySize(): number {
    return this.historyBytes;
  }

  /** The limits in force (./limits.ts), as the HTTP server holds them. */
  get limits(): Record<keyof typeof SERVE_LIMITS, number> {
    return { ...SERVE_LIMITS, headers: this.http.maxHeadersCount ?? 0, connections: this.http.maxConnections, history: this.opts.history, historyBytes: this.opts.historyBytes };
  }

  /** Temporary body files that exist now (each one request being received or judged). */
  get openBodies(): number {
    return this.temps.size;
  }

  /**
   * Stop accepting, end idle keep-alive connections, wait for the server to close (open
   * connections are cut after a second), and remove every temporary body file left.
   */
  close(): Promise<void> {
    return new Promise((res) => {
      this.http.close(() => {
        this.removeTemps();
        process.off('exit', this.onExit);
        res();
      });
      this.http.closeIdleConnections?.();
      setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 1000).unref();
    });
  }

  // -------------------------------------------------------------------------

  private removeTemps(): void {
    for (const t of this.temps) {
      try {
        unlinkSync(t);
      } catch {
        /* gone already */
      }
    }
    this.temps.clear();
  }

  private redactor(req: IncomingMessage): Redactor {
    let r = this.redactors.get(req);
    if (!r) {
      r = new Redactor().addSecret(this.opts.secret);
      addRequestCredentials(r, req.url ?? '', req.rawHeaders);
      this.redactors.set(req, r);
    }
    return r;
  }

  /**
   * Keep a diagnosis (masked, escaped and bounded: ./text.ts) and pass it on. The history keeps
   * at most `history` diagnoses and `historyBytes` bytes of JSON, dropping the oldest first.
   */
  private record(d: Diagnosis, redactor: Redactor): void {
    const { findings, ...rest } = d;
    Object.assign(d, shownDeep(rest, redactor));
    d.findings = findings;
    const bytes = Buffer.byteLength(JSON.stringify(d), 'utf8');
    this.history.push({ d, bytes });
    this.historyBytes += bytes;
    while (this.history.length > 1 && (this.history.length > this.opts.history || this.historyBytes > this.opts.historyBytes)) {
      this.historyBytes -= (this.history.shift() as { bytes: number }).bytes;
    }
    try {
      this.opts.onDiagnosis?.(d);
    } catch {
      /* a listener's failure is not the request's */
    }
  }

  private send(res: ServerResponse, a: Answer, extra: Array<[string, string]> = [], head = false): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Array<[string, string]> = [...a.headers, ...extra];
    const body = Buffer.from(a.body, 'utf8');
    res.statusCode = a.status;
    for (const [k, v] of headers) res.appendHeader(k, v);
    res.setHeader('Content-Length', String(body.length));
    res.end(head ? undefined : body);
  }

  private ctx(req: IncomingMessage, requestId: string, bucket: string | null): AnswerContext {
    const path = new URL(req.url ?? '/', 'http://h').pathname;
    return { provider: this.opts.provider, server: this.opts.server, requestId, host: one(req.headers.host) ?? this.opts.host, path, bucket };
  }

  private resolved(rule: KbRule | null, fallback: { status: number; code: string }): ErrorSpec {
    if (rule) return resolvePrediction({ rule });
    return { rule: '', status: fallback.status, code: fallback.code, message: '' };
  }

  private baseDiagnosis(req: IncomingMessage, kind: Diagnosis['kind'], requestId: string): Diagnosis {
    const u = new URL(req.url ?? '/', 'http://h');
    return {
      id: ++this.counter,
      time: new Date().toISOString(),
      provider: this.opts.provider,
      method: req.method ?? '',
      path: u.pathname + u.search,
      origin: one(req.headers.origin) ?? null,
      kind,
      verdict: 'refused',
      blocked: false,
      status: 0,
      code: null,
      message: null,
      requestId,
      cause: null,
      key: null,
      file: null,
      etag: null,
      stored: null,
      findings: [],
    };
  }

  private crashAnswer(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    try {
      const requestId = newRequestId(this.opts.provider, this.opts.server);
      const d = this.baseDiagnosis(req, 'other', requestId);
      const p = this.resolved(ruleFor('internal-error', this.opts.provider, this.opts.server), { status: 500, code: 'InternalError' });
      const finding = f('serve.internal-error', { message: e instanceof Error ? e.message : String(e) });
      const redactor = this.redactor(req);
      d.findings = renderSummary([{ finding, more: 0 }], this.opts.lang, redactor);
      Object.assign(d, { status: p.status, code: p.code, message: p.message, cause: finding.id });
      this.record(d, redactor);
      this.send(res, errorAnswer(p, this.ctx(req, requestId, this.opts.bucket)), [['Connection', 'close']]);
    } catch {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    }
  }

  /** Whether a request for the live view names this server in its Host header (DNS rebinding). */
  private hostAllowed(req: IncomingMessage): boolean {
    const host = one(req.headers.host);
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  /** 403 without data, for a live-view request under another Host name. */
  private refuseHost(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    this.send(
      res,
      {
        status: 403,
        headers: [
          ['Content-Type', 'text/plain; charset=utf-8'],
          ['Cache-Control', 'no-store'],
        ],
        body: '',
      },
      [['Connection', 'close']],
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? '').toUpperCase();
    const u = new URL(req.url ?? '/', 'http://h');
    if (method === 'GET' || method === 'HEAD') {
      const live = u.pathname === '/' || u.pathname === '/index.html' || u.pathname === LIVE_API;
      if (live && !this.hostAllowed(req)) return this.refuseHost(req, res);
      if (u.pathname === '/' || u.pathname === '/index.html') {
        // the address the browser used (one of this server's names: hostAllowed), else the base URL
        const host = one(req.headers.host);
        const html = livePage({ provider: this.opts.provider, url: host ? `http://${host}/` : this.baseUrl, lang: this.opts.lang });
        this.send(
          res,
          {
            status: 200,
            headers: [
              ['Content-Type', 'text/html; charset=utf-8'],
              ['Cache-Control', 'no-store'],
            ],
            body: html,
          },
          [],
          method === 'HEAD',
        );
        return;
      }
      if (u.pathname === LIVE_API) {
        const after = Number(u.searchParams.get('after') ?? '0') || 0;
        const list = this.history.filter((h) => h.d.id > after).map((h) => h.d);
        this.send(
          res,
          {
            status: 200,
            headers: [
              ['Content-Type', 'application/json; charset=utf-8'],
              ['Cache-Control', 'no-store'],
            ],
            body: JSON.stringify({ requests: list }),
          },
          [],
          method === 'HEAD',
        );
        return;
      }
      if (u.pathname === '/favicon.ico') {
        this.send(res, { status: 404, headers: [], body: '' });
        return;
      }
    }
    if (method === 'OPTIONS') return this.preflight(req, res);
    if (method === 'POST') return this.upload(req, res);
    return this.refuseMethod(req, res);
  }

  private refuseMethod(req: IncomingMessage, res: ServerResponse): void {
    const requestId = newRequestId(this.opts.provider, this.opts.server);
    const d = this.baseDiagnosis(req, 'other', requestId);
    const p = this.resolved(ruleFor('method-not-allowed', this.opts.provider, this.opts.server), { status: 405, code: 'MethodNotAllowed' });
    const finding = f('serve.method-not-allowed', { method: d.method, path: d.path, live: this.baseUrl }, p.rule ? { rule: p.rule } : null);
    const redactor = this.redactor(req);
    d.findings = renderSummary([{ finding, more: 0 }], this.opts.lang, redactor);
    Object.assign(d, { status: p.status, code: p.code, message: p.message, cause: finding.id });
    this.record(d, redactor);
    req.resume();
    this.send(res, errorAnswer(p, this.ctx(req, requestId, this.opts.bucket)), this.actualCors(req).headers, req.method === 'HEAD');
  }

  /** The origin a page on this server would have (no page but the live view is served here). */
  private ownOrigin(req: IncomingMessage): string {
    return `http://${one(req.headers.host) ?? new URL(this.baseUrl).host}`;
  }

  /** CORS of an actual request (./cors.ts actualCors): the answer's CORS headers and the engine's diagnosis. */
  private actualCors(req: IncomingMessage): ActualCors {
    const contentType = one(req.headers['content-type']);
    return actualCors(
      this.opts.cors,
      {
        origin: one(req.headers.origin),
        method: req.method ?? 'GET',
        headers: headerPairs(req),
        contentType,
        secFetchMode: one(req.headers['sec-fetch-mode']),
        secFetchSite: one(req.headers['sec-fetch-site']),
      },
      this.ownOrigin(req),
    );
  }

  /** serve's own CORS refusal (a knowledge-base entry when there is one), where the engine does not know the provider's. */
  private corsRefusal(): ErrorSpec {
    const rule = ruleFor('cors', this.opts.provider, this.opts.server);
    // TOS does not document how it refuses a preflight: no code or wording is made up for it
    if (!rule && this.opts.provider === 'tos') return { rule: '', status: 403, code: null, message: null };
    return this.resolved(rule, { status: 403, code: 'AccessForbidden' });
  }

  /**
   * A preflight, answered as the engine says the provider answers it: allowed, with the CORS
   * headers of the rule that matches; refused, with the provider's refusal (serve's own when the
   * engine does not know it). The diagnosis carries the engine's findings.
   */
  private preflight(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const requestId = newRequestId(this.opts.provider, this.opts.server);
    const d = this.baseDiagnosis(req, 'preflight', requestId);
    const origin = one(req.headers.origin);
    const reqMethod = one(req.headers['access-control-request-method']);
    const reqHeaders = one(req.headers['access-control-request-headers']);
    const actx = this.ctx(req, requestId, this.opts.bucket);
    const redactor = this.redactor(req);
    if (!origin || !reqMethod) {
      const refusal = this.corsRefusal();
      const missing = [...(!origin ? ['Origin'] : []), ...(!reqMethod ? ['Access-Control-Request-Method'] : [])];
      const finding = f('serve.cors-preflight-incomplete', { missing }, refusal.rule ? { rule: refusal.rule } : null);
      d.findings = renderSummary([{ finding, more: 0 }], this.opts.lang, redactor);
      Object.assign(d, { status: refusal.status, code: refusal.code, message: refusal.message, cause: finding.id, blocked: true });
      this.record(d, redactor);
      this.send(res, errorAnswer(refusal, actx));
      return;
    }
    const diagnosis = diagnoseCors(this.opts.cors, preflightCapture(origin, reqMethod, reqHeaders));
    const ev = diagnosis.preflight;
    const summary = (keep: Finding | null): void => {
      const s = summariseFindings(diagnosis.findings, keep);
      d.findings = renderSummary(s.kept, this.opts.lang, redactor);
      if (s.omitted) d.omitted = s.omitted;
    };
    if (ev && ev.matchedRule !== null) {
      // the bucket answers with CORS headers (the browser's verdict is in the findings)
      const cause = ev.allowed ? null : corsCause(diagnosis.findings);
      summary(cause);
      Object.assign(d, { verdict: ev.allowed ? 'allowed' : 'refused', status: ev.answer.status ?? 200, cause: cause?.id ?? null, blocked: !ev.allowed });
      this.record(d, redactor);
      this.send(res, { status: ev.answer.status ?? 200, headers: [...headersOf(actx)], body: '' }, ev.answer.headers);
      return;
    }
    const cause = corsCause(diagnosis.findings);
    summary(cause);
    const a = ev?.answer;
    let answer: Answer;
    if (!a || a.basis === 'unknown' || a.status === null) {
      const p = this.corsRefusal();
      answer = errorAnswer(p, actx);
      Object.assign(d, { status: p.status, code: p.code, message: p.message });
    } else if (a.code === null) {
      // GCS: 200 without CORS headers
      answer = { status: a.status, headers: [...headersOf(actx)], body: '' };
      Object.assign(d, { status: a.status, code: null, message: a.message });
    } else {
      const p: ErrorSpec = { rule: a.kb ?? '', status: a.status, code: a.code, message: a.message ?? '' };
      answer = errorAnswer(p, actx);
      Object.assign(d, { status: p.status, code: p.code, message: p.message });
    }
    Object.assign(d, { verdict: 'refused', cause: cause?.id ?? null, blocked: true });
    this.record(d, redactor);
    this.send(res, answer, a && a.basis !== 'unknown' ? a.headers : []);
  }

  private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const o = this.opts;
    const requestId = newRequestId(o.provider, o.server);
    const d = this.baseDiagnosis(req, 'upload', requestId);
    const u = new URL(req.url ?? '/', 'http://h');
    const hostHeader = one(req.headers.host) ?? new URL(this.baseUrl).host;
    // CORS: the headers the bucket adds, and whether the browser shows the answer to the page
    const corsOf = this.actualCors(req);
    const cors = corsOf.headers;
    d.blocked = corsOf.blocked;

    // Which bucket the path names.
    let segs: string[];
    try {
      segs = u.pathname
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      segs = u.pathname.split('/').filter(Boolean);
    }
    let bucket = o.bucket;
    const serveFindings: Finding[] = [];
    let pathRule: { rule: KbRule | null; fallback: { status: number; code: string } } | null = null;
    const pathStyle = o.provider === 's3' || o.provider === 'gcs';
    const bucketUrl = `${this.baseUrl}${pathStyle && o.bucket ? encodeURIComponent(o.bucket) : ''}`;
    if (segs.length === 1 && pathStyle) {
      const requested = segs[0] as string;
      if (o.bucket && requested !== o.bucket) {
        const rule = ruleFor('no-such-bucket', o.provider, o.server);
        serveFindings.push(f('serve.wrong-bucket', { requested, bucket: o.bucket, path: u.pathname, expected: bucketUrl }, rule ? { rule } : null));
        pathRule = { rule, fallback: { status: 404, code: 'NoSuchBucket' } };
      }
      bucket = requested;
    } else if (segs.length > 0) {
      const rule = ruleFor('method-not-allowed', o.provider, o.server);
      serveFindings.push(f('serve.post-to-object-url', { path: u.pathname, expected: bucketUrl }, rule ? { rule } : null));
      pathRule = { rule, fallback: { status: 405, code: 'MethodNotAllowed' } };
    }
    const actx = this.ctx(req, requestId, bucket);

    const redactor = this.redactor(req);

    // Oversized bodies: refused as the provider refuses an oversized upload.
    const tooLarge = (size: number): void => {
      const rule = predictedRule('file.over-provider-limit', o.provider, o.server);
      const finding = f('serve.body-too-large', { size, limit: o.maxBody }, rule ? { rule } : null);
      const p = this.resolved(rule, { status: 400, code: 'EntityTooLarge' });
      d.findings = renderSummary([{ finding, more: 0 }], o.lang, redactor);
      Object.assign(d, { status: p.status, code: p.code, message: p.message, cause: finding.id });
      this.record(d, redactor);
      this.send(res, errorAnswer(p, actx, sizeExtras(p.code ?? '', { size, max: o.maxBody })), [...cors, ['Connection', 'close']]);
      res.on('finish', () => setTimeout(() => req.destroy(), 200).unref());
    };
    const declared = Number(one(req.headers['content-length']));
    if (Number.isFinite(declared) && declared > o.maxBody) {
      tooLarge(declared);
      return;
    }

    // One of SERVE_MAX_BODIES temporary files; uploads beyond it wait here, unread.
    const release = await this.bodies.acquire();
    const tmp = join(o.tmpDir, `post-doctor-serve-${process.pid}-${d.id}-${requestId.slice(0, 8).replace(/[^\w-]/g, '')}.body`);
    let reply: () => void;
    try {
      this.temps.add(tmp);
      const got = await receiveBody(req, tmp, o.maxBody, SERVE_BODY_IDLE_MS);
      if (got.overflow) reply = () => tooLarge(got.size);
      else {
        // one body parsed and checked at a time (SERVE_MAX_JUDGES)
        const releaseJudge = await this.judges.acquire();
        try {
          reply = await this.judge(req, res, tmp, { d, u, hostHeader, corsOf, serveFindings, pathRule, actx, bucket, pathStyle, redactor });
        } finally {
          releaseJudge();
        }
      }
    } finally {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      this.temps.delete(tmp);
      release();
    }
    reply();
  }

  /** Parse the stored body, run the checks, decide the answer; returns the function that sends it. */
  private async judge(req: IncomingMessage, res: ServerResponse, tmp: string, c: JudgeContext): Promise<() => void> {
    const { d, corsOf, serveFindings, redactor } = c;
    const cors = corsOf.headers;
    const read = await this.readUpload(req, tmp, c);
    if ('refused' in read) return this.refuseBody(read.refused, res, c);
    const { upload, result } = read;
    redactor.addRequest(upload);
    if (result.signature?.expected) redactor.addSensitive(result.signature.expected);
    if (result.signature?.provided) redactor.addSensitive(result.signature.provided);

    const form = new FormView(upload);
    const file = form.file();
    d.file = file ? { field: file.name, name: file.filename, size: file.size, sizeText: file.size !== null ? formatBytes(file.size, this.opts.lang) : null, contentType: file.contentType } : null;
    const rawKey = form.value('key') ?? null;
    d.key = rawKey !== null && file?.filename ? rawKey.split(FILENAME_VARIABLE).join(file.filename) : rawKey;

    // CORS first (what the page sees), then what serve and check find about the form
    const findings: Finding[] = [...corsOf.findings, ...serveFindings, ...result.findings];
    const refused = this.refusal(result, c);
    let answer: Answer;
    let decisive: Finding | null = refused?.decisive ?? null;
    if (refused) answer = refused.answer;
    else {
      answer = await this.accept(form, result, findings, c);
      if (corsOf.blocked && corsOf.cause) {
        // stored, but the page only sees a network error: the CORS finding says why
        decisive = corsOf.cause;
        d.cause = corsOf.cause.id;
      }
    }
    // a bounded summary: the first findings of each kind, the rest counted
    const summary = summariseFindings(findings, decisive);
    d.findings = renderSummary(summary.kept, this.opts.lang, redactor);
    if (summary.omitted) d.omitted = summary.omitted;
    this.record(d, redactor);
    return () => this.send(res, answer, cors);
  }

  /** The stored body read as a form and checked; a body the input parsers refuse (more than
   * SERVE_MAX_PARTS parts, a policy over the CLI's limit) comes back as `refused`. */
  private async readUpload(req: IncomingMessage, tmp: string, c: JudgeContext): Promise<{ upload: UploadRequest; result: CheckResult } | { refused: InputError }> {
    const o = this.opts;
    const upload: UploadRequest = { method: 'POST', url: `http://${c.hostHeader}${c.u.pathname}${c.u.search}`, headers: headerPairs(req), parts: [], boundary: null, bodyProblems: [], notes: [] };
    try {
      const mp = await parseMultipart({ kind: 'file', path: tmp }, one(req.headers['content-type']) ?? null, { lfTranscription: false, maxParts: SERVE_MAX_PARTS });
      upload.parts = mp.parts;
      upload.boundary = mp.boundary;
      upload.bodyProblems = mp.bodyProblems;
      upload.notes = [...mp.notes];
      const result = await check(upload, { provider: o.provider, server: o.server, now: o.now ?? new Date(), secret: o.secret, providerSource: 'option' });
      return { upload, result };
    } catch (e) {
      if (e instanceof InputError) return { refused: e };
      throw e;
    }
  }

  /** A body the input parsers refuse, answered as the provider answers a malformed POST body. */
  private refuseBody(e: InputError, res: ServerResponse, c: JudgeContext): () => void {
    const o = this.opts;
    const rule = predictedRule('body.malformed', o.provider, o.server);
    const finding = f('body.parse-error', { offset: e.where.offset ?? '?', detail: e.message }, rule ? { rule } : null);
    const p = this.resolved(rule, { status: 400, code: 'MalformedPOSTRequest' });
    c.d.findings = renderSummary([{ finding, more: 0 }], o.lang, c.redactor);
    Object.assign(c.d, { status: p.status, code: p.code, message: p.message, cause: finding.id });
    this.record(c.d, c.redactor);
    const answer = errorAnswer(p, c.actx);
    return () => this.send(res, answer, c.corsOf.headers);
  }

  /**
   * The refusal, if any: the path, then what check predicts. CORS does not change it: the bucket
   * carries out a cross-origin upload whatever its CORS rules, and leaves the CORS headers out when
   * no rule allows it (the browser then hides the answer from the page: d.blocked).
   */
  private refusal(result: CheckResult, c: JudgeContext): { answer: Answer; decisive: Finding | null } | null {
    if (c.pathRule) {
      const p = this.resolved(c.pathRule.rule, c.pathRule.fallback);
      Object.assign(c.d, { status: p.status, code: p.code, message: p.message, cause: c.serveFindings[0]?.id ?? null });
      return { answer: errorAnswer(p, c.actx), decisive: null };
    }
    const cause = result.findings.find((x) => x.severity === 'error' && x.predicts);
    if (!cause?.predicts) {
      // the provider refuses this form but does not document its answer (OBS, an expired policy):
      // a refusal marked as the sandbox's own, never an acceptance the real bucket would not give
      const unknown = result.findings.find((x) => x.severity === 'error');
      if (!unknown) return null;
      const p: ErrorSpec = { rule: '', status: 403, code: 'UndocumentedRefusal', message: ui('serve.undocumented-refusal', this.opts.lang, { provider: this.opts.provider, finding: unknown.id }) };
      Object.assign(c.d, { status: p.status, code: p.code, message: p.message, cause: unknown.id });
      return { answer: errorAnswer(p, c.actx), decisive: unknown };
    }
    const p = resolvePrediction(cause.predicts);
    const answer = errorAnswer(p, c.actx, errorExtras(p, cause, result, this.opts.provider));
    // what was sent (a status the documents leave out is sent as 400: errorAnswer)
    Object.assign(c.d, { status: answer.status, code: p.code, message: p.message, cause: cause.id });
    return { answer, decisive: cause };
  }

  /** Accepted: hash (and keep) the file, answer as the provider does. */
  private async accept(form: FormView, result: CheckResult, findings: Finding[], c: JudgeContext): Promise<Answer> {
    const o = this.opts;
    const file = form.file();
    const etagHex = file ? await fileMd5(file) : createHash('md5').digest('hex');
    const etag = `"${etagHex}"`;
    const objectKey = c.d.key ?? '';
    const b = c.bucket ?? form.value('bucket') ?? result.request.bucket ?? '';
    const location = `${this.baseUrl}${c.pathStyle && b ? `${encodeURIComponent(b)}/` : ''}${objectKey.split('/').map(encodeURIComponent).join('/')}`;
    if (o.store && file) {
      const stored = await storeObject(o.store, objectKey, (fh) => writeFilePart(file, fh));
      c.d.stored = stored.path;
      findings.push({ id: 'serve.stored', severity: 'info', facts: { path: stored.path, size: file.size ?? 0, md5: etagHex }, predicts: null });
    }
    const answer = successAnswer(
      { bucket: b, key: objectKey, etag, location },
      { status: form.value('success_action_status'), redirect: form.value('success_action_redirect') ?? (o.provider === 's3' ? form.value('redirect') : undefined) },
      c.actx,
    );
    Object.assign(c.d, { verdict: 'accepted', status: answer.status, etag });
    return answer;
  }
}

/** What judge needs of the request beyond its body. */
interface JudgeContext {
  d: Diagnosis;
  u: URL;
  hostHeader: string;
  corsOf: ActualCors;
  serveFindings: Finding[];
  pathRule: { rule: KbRule | null; fallback: { status: number; code: string } } | null;
  actx: AnswerContext;
  bucket: string | null;
  pathStyle: boolean;
  redactor: Redactor;
}

/** 0.0.0.0, ::, and their spellings: every interface. */
function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || (isIP(address) === 6 && /^[0:]+$/.test(address));
}

/**
 * The URLs a server bound to `a` is reached at: the bound address itself; for every interface
 * (0.0.0.0 or ::) http://127.0.0.1:PORT/ first, then each non-internal IPv4 address of this
 * machine (os.networkInterfaces), in the order the system lists them.
 */
export function reachableUrls(a: AddressInfo, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string[] {
  if (!isUnspecified(a.address)) {
    const host = a.family === 'IPv6' || a.address.includes(':') ? `[${a.address}]` : a.address;
    return [`http://${host}:${a.port}/`];
  }
  const out = [`http://127.0.0.1:${a.port}/`];
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      const v4 = i.family === 'IPv4' || (i.family as unknown) === 4;
      if (!v4 || i.internal) continue;
      const u = `http://${i.address}:${a.port}/`;
      if (!out.includes(u)) out.push(u);
    }
  }
  return out;
}

/**
 * The Host header values the live view answers to: the loopback names (127.0.0.1, localhost,
 * [::1]), the bound address, the --host name, and, when bound to every interface (0.0.0.0,
 * ::), the addresses of this machine's interfaces; each with the port (and without it on
 * port 80). A DNS-rebinding page sends its own host name, which is none of these.
 */
export function liveHosts(host: string, a: AddressInfo): Set<string> {
  const names = new Set<string>(['127.0.0.1', 'localhost', '::1', a.address, host.replace(/^\[(.*)\]$/, '$1')]);
  if (a.address === '0.0.0.0' || a.address === '::' || host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address.replace(/%.*$/, ''));
  }
  const out = new Set<string>();
  for (const n of names) {
    if (!n) continue;
    const name = isIP(n) === 6 ? `[${n.toLowerCase()}]` : n.toLowerCase();
    out.add(`${name}:${a.port}`);
    if (a.port === 80) out.add(name);
  }
  return out;
}

function headersOf(actx: AnswerContext): Array<[string, string]> {
  return errorAnswer({ rule: '', status: 200, code: '', message: '' }, actx).headers.filter(([k]) => k.toLowerCase() !== 'content-type' && k.toLowerCase() !== 'x-oss-ec');
}

async function fileMd5(file: FilePart): Promise<string> {
  const s = file.source;
  if (s.type === 'path') return md5OfRange(s.path, s.start ?? 0, s.end ?? (await fsp.stat(s.path)).size);
  if (s.type === 'inline') return createHash('md5').update(s.data).digest('hex');
  if (s.type === 'placeholder')
    return createHash('md5')
      .update(s.text ?? '')
      .digest('hex');
  return createHash('md5').digest('hex');
}

/** Write a file part's bytes to an open file (the store's new file). */
async function writeFilePart(file: FilePart, fh: FileHandle): Promise<void> {
  const s = file.source;
  if (s.type === 'path') {
    const start = s.start ?? 0;
    const end = s.end ?? (await fsp.stat(s.path)).size;
    if (end <= start) return;
    for await (const c of createReadStream(s.path, { start, end: end - 1 })) await writeAll(fh, c as Buffer);
    return;
  }
  const data = s.type === 'inline' ? Buffer.from(s.data) : Buffer.from(s.type === 'placeholder' ? (s.text ?? '') : '');
  await writeAll(fh, data);
}

async function writeAll(fh: FileHandle, b: Buffer): Promise<void> {
  for (let off = 0; off < b.length; ) off += (await fh.write(b, off, b.length - off)).bytesWritten;
}

/** Size elements of EntityTooLarge / EntityTooSmall (S3 and OSS carry them). */
function sizeExtras(code: string, facts: Record<string, unknown>): ErrorExtras {
  const num = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
  const out: ErrorExtras = [];
  const size = num(facts.size);
  if (code === 'EntityTooLarge') {
    const max = num(facts.max ?? facts.limit);
    if (size) out.push(['ProposedSize', size]);
    if (max) out.push(['MaxSizeAllowed', max]);
  } else if (code === 'EntityTooSmall') {
    const min = num(facts.min);
    if (size) out.push(['ProposedSize', size]);
    if (min) out.push(['MinSizeAllowed', min]);
  }
  return out;
}

/** Elements the provider adds to this error beyond Code and Message. */
function errorExtras(p: ErrorSpec, cause: Finding, result: CheckResult, provider: ProviderId): ErrorExtras {
  const vars = cause.predicts?.vars ?? {};
  if (provider === 'gcs') {
    const details = vars.details ?? cause.facts.details;
    return typeof details === 'string' && details ? [['Details', details]] : [];
  }
  if (provider === 'cos') return [];
  const out = sizeExtras(p.code ?? '', cause.facts);
  if (provider === 's3') {
    if (typeof vars.condition === 'string') out.push(['Condition', vars.condition]);
    if (p.code === 'SignatureDoesNotMatch') {
      const form = result.request.fields;
      const get = (n: string): string | undefined => form.find(([k]) => k.toLowerCase() === n)?.[1];
      const cred = get('x-amz-credential');
      const ak = cred ? cred.split('/')[0] : get('awsaccesskeyid');
      if (ak) out.push(['AWSAccessKeyId', ak]);
      const policy = get('policy');
      if (policy !== undefined) out.push(['StringToSign', policy]);
      const sig = get('x-amz-signature') ?? get('signature');
      if (sig !== undefined) out.push(['SignatureProvided', sig]);
    }
  }
  return out;
}
