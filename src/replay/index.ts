// Replay: turn a captured upload back into the exact request (same parts, same order, same
// bytes, file streamed from disk), send it when asked, and compare the server's answer with
// what `check` predicted. Library code: no printing, no exiting.

import { headerValue } from '../providers/answer.js';
import { promises as fsp } from 'node:fs';
import { resolvePrediction } from '../core/catalogue.js';
import { InputError, UsageError } from '../core/errors.js';
import type { Lang, ProviderId, UploadRequest } from '../core/types.js';
import type { CheckResult } from '../check/index.js';
import { explain, type ExplainResult } from '../explain/index.js';
import { parseHttpUrl, send, type HttpResponse } from '../net/http.js';
import { planBody, segmentLength, streamSegments, type BodyPlan, type Segment } from './body.js';

export { planBody, streamSegments, collect, newBoundary, type BodyPlan, type Segment } from './body.js';
export { resign, RESIGN_VALIDITY_SECONDS, type ResignResult, type ResignChange } from './resign.js';

export const REPLAY_SCHEMA = 'post-doctor/replay@1';

/** Request headers never replayed as captured: the transport sets them for the real exchange. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'http2-settings',
  // an encoded answer would be unreadable; ask for it plain
  'accept-encoding',
]);

export type PartView =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string | null; contentType: string | null; size: number; from: 'path' | 'inline' | 'generated'; path?: string };

export interface ReplayPlan {
  method: string;
  url: string | null;
  /** Headers exactly as they will be sent (Content-Type with boundary, Content-Length included). */
  headers: Array<[string, string]>;
  /** 'multipart': framing rebuilt from the parts; 'verbatim': the captured body bytes as they are. */
  mode: 'multipart' | 'verbatim';
  boundary: string | null;
  contentLength: number;
  parts: PartView[];
  segments: Segment[];
}

export interface PlanOptions {
  /** Send here instead of the captured URL (used as given, path included). */
  endpoint?: string;
  /** The captured body bytes, for captures whose framing cannot be rebuilt (malformed multipart). */
  verbatimBody?: Segment | null;
}

function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headerValue(headers, name) ?? undefined;
}

function partViews(req: UploadRequest, plan: BodyPlan | null): PartView[] {
  const sizes = plan ? plan.segments.filter((s) => s.kind !== 'bytes').map(segmentLength) : [];
  let fileIndex = 0;
  return req.parts.map((p): PartView => {
    if (p.kind === 'field') return { kind: 'field', name: p.name, value: p.value };
    const src = p.source;
    const size = sizes[fileIndex++] ?? p.size ?? 0;
    const base = { kind: 'file' as const, name: p.name, filename: p.filename, contentType: p.contentType, size };
    if (src.type === 'path') return { ...base, from: 'path', path: src.path };
    if (src.type === 'generated') return { ...base, from: 'generated' };
    return { ...base, from: 'inline' };
  });
}

/** The exact request a replay sends. Throws InputError for a file that cannot be read. */
export async function planReplay(req: UploadRequest, opts: PlanOptions = {}): Promise<ReplayPlan> {
  let url = req.url;
  if (opts.endpoint !== undefined) url = parseHttpUrl(opts.endpoint, 'endpoint', 'endpoint').toString();
  const capturedType = header(req.headers, 'content-type');
  const headers: Array<[string, string]> = [];
  for (const [k, v] of req.headers) {
    const n = k.toLowerCase();
    if (n.startsWith(':') || TRANSPORT_HEADERS.has(n) || n === 'content-type') continue;
    // cookies belong to the captured host only
    if (n === 'cookie' && opts.endpoint !== undefined) continue;
    headers.push([k, v]);
  }
  if (opts.verbatimBody) {
    const length = segmentLength(opts.verbatimBody);
    if (capturedType !== undefined) headers.push(['Content-Type', capturedType]);
    headers.push(['Content-Length', String(length)]);
    return { method: req.method, url, headers, mode: 'verbatim', boundary: req.boundary, contentLength: length, parts: partViews(req, null), segments: [opts.verbatimBody] };
  }
  const plan = await planBody(req);
  // keep the captured Content-Type when it declares the boundary the body uses (other parameters kept)
  const keep = capturedType !== undefined && /^\s*multipart\/form-data\s*;/i.test(capturedType) && req.boundary === plan.boundary;
  headers.push(['Content-Type', keep ? (capturedType as string) : plan.contentType]);
  headers.push(['Content-Length', String(plan.length)]);
  return { method: req.method, url, headers, mode: 'multipart', boundary: plan.boundary, contentLength: plan.length, parts: partViews(req, plan), segments: plan.segments };
}

const HEAD_LIMIT = 1024 * 1024;

/** Offset of the body in a raw HTTP capture (just past the blank line), or null. */
export function rawBodyOffset(head: Buffer): number | null {
  let pos = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) pos = 3;
  while (pos < head.length && (head[pos] === 0x0a || head[pos] === 0x0d || head[pos] === 0x20 || head[pos] === 0x09)) pos++;
  while (pos < head.length) {
    const nl = head.indexOf(0x0a, pos);
    if (nl < 0) return null;
    const line = head.subarray(pos, nl);
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return nl + 1;
    pos = nl + 1;
  }
  return null;
}

/** The body of a raw HTTP capture as one segment (streamed from the capture file when there is one). */
export async function rawBodySegment(src: { path: string | null; text: string }): Promise<Segment | null> {
  if (src.path === null) {
    const buf = Buffer.from(src.text, 'utf8');
    const off = rawBodyOffset(buf);
    return off === null ? null : { kind: 'bytes', data: buf.subarray(off) };
  }
  const fh = await fsp.open(src.path, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(HEAD_LIMIT, size));
    await fh.read(head, 0, head.length, 0);
    const off = rawBodyOffset(head);
    return off === null ? null : { kind: 'file', path: src.path, start: off, end: size };
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------
// Sending.

export interface SendOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Send a planned replay: framing and files streamed, never buffered. Throws NetworkError. */
export async function sendReplay(plan: ReplayPlan, opts: SendOptions): Promise<HttpResponse> {
  if (!plan.url) throw new UsageError('the capture has no URL', 'endpoint');
  return send({
    method: plan.method,
    url: plan.url,
    headers: plan.headers,
    body: plan.method === 'GET' || plan.method === 'HEAD' ? null : streamSegments(plan.segments),
    timeoutMs: opts.timeoutMs,
    env: opts.env ?? process.env,
  });
}

// ---------------------------------------------------------------------------
// Prediction and agreement.

export interface ReplayPrediction {
  accept: boolean;
  status: number | null;
  code: string | null;
  message: string | null;
  /** KB entry and finding behind the prediction. */
  rule: string | null;
  finding: string | null;
}

/** What check predicts the server answers: the first error finding's prediction, else accept. */
export function predictionOf(result: CheckResult): ReplayPrediction {
  for (const f of result.findings) {
    if (f.severity !== 'error' || !f.predicts) continue;
    const p = resolvePrediction(f.predicts);
    return { accept: false, status: p.status, code: p.code, message: p.message, rule: p.rule, finding: f.id };
  }
  return { accept: true, status: null, code: null, message: null, rule: null, finding: null };
}

/** The upload went through: any 2xx, or the 303 of success_action_redirect. */
export function succeeded(status: number): boolean {
  return (status >= 200 && status < 300) || status === 303;
}

/** Prediction and answer agree on accept/reject and, for a refusal, on the error code. */
export function agrees(pred: ReplayPrediction, status: number, code: string | null): boolean {
  const ok = succeeded(status);
  if (pred.accept || ok) return pred.accept === ok;
  return pred.code !== null && code !== null && pred.code === code;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  303: 'See Other',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** The answer as a whole HTTP response text (what `explain` reads). */
export function responseText(res: Pick<HttpResponse, 'status' | 'headers' | 'body'>): string {
  const lines = [`HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}`.trimEnd()];
  for (const [k, v] of res.headers) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${res.body}`;
}

/**
 * Explain a refusal; null for a success or an answer explain cannot read. `provider` is the one the replay takes; `providerSource` says where it came
 * from: only 'option' (--provider) marks the explanation's provider as given (`detection.forced`),
 * one detected from the capture is not presented as if the user had named it.
 */
export function explainAnswer(
  res: Pick<HttpResponse, 'status' | 'headers' | 'body'>,
  opts: { provider?: ProviderId; providerSource?: 'option' | 'capture'; now?: Date; lang?: Lang },
): ExplainResult | null {
  if (succeeded(res.status)) return null;
  try {
    const o: Parameters<typeof explain>[1] = { lang: opts.lang ?? 'en', source: 'answer' };
    if (opts.provider) o.provider = opts.provider;
    if (opts.now) o.now = opts.now;
    const result = explain(responseText(res), o);
    if (opts.provider && (opts.providerSource ?? 'option') !== 'option') result.detection = { ...result.detection, forced: false };
    return result;
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

/** The error code of an answer: explain's reading, else a <Code> element in the body. */
export function answerCode(res: Pick<HttpResponse, 'status' | 'body'>, ex: ExplainResult | null): string | null {
  if (succeeded(res.status)) return null;
  if (ex?.error.code) return ex.error.code;
  const m = /<Code>([^<]{0,200})<\/Code>/.exec(res.body);
  const code = m?.[1]?.trim();
  return code ? code : null;
}
