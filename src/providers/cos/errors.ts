// COS error answers: how to recognise them, and what they carry beyond code and message.
// Body: <Error><Code/><Message/><Resource/><RequestId/><TraceId/></Error>, sometimes <ServerTime>.
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { confidence, elementValue, headerValue, setIf, toIsoTime } from '../answer.js';

/** COS request ids are base64 of "<hex>_<hex>_<hex>_<hex>" (e.g. NWQ2NzgxMzZf...). */
export function isCosRequestId(id: string): boolean {
  if (!/^[A-Za-z0-9+/]{20,}={0,2}$/.test(id)) return false;
  let decoded: string;
  try {
    decoded = Buffer.from(id, 'base64').toString('latin1');
  } catch {
    return false;
  }
  return /^[0-9a-f]{6,}_[0-9a-f]+_[0-9a-z]+/i.test(decoded);
}

/** Confidence 0..1 that the answer came from COS. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /tencent-cos/i.test(server)) bump(0.97);
  if (headerValue(a.headers, 'x-cos-request-id') || headerValue(a.headers, 'x-cos-trace-id')) bump(0.95);
  if (elementValue(a, 'TraceId')) bump(0.85);
  if (a.requestId && isCosRequestId(a.requestId)) bump(0.85);
  // base64 of a hex timestamp starts with "N"; a shortened or re-encoded COS id still looks so
  else if (a.requestId && /^N[A-Za-z0-9+/]{18,}={0,2}$/.test(a.requestId) && !/^[0-9A-F]+$/.test(a.requestId)) bump(0.5);
  const resource = elementValue(a, 'Resource') ?? '';
  if (/\.(?:cos|cos-website)\.[a-z0-9-]+\.myqcloud\.com|\.tencentcos\.cn/i.test(resource) || /myqcloud\.com|tencentcos\.cn/i.test(a.body)) bump(0.8);
  // COS-only form field names in the wording
  if (a.message && /\bq-(?:ak|sign-algorithm|key-time|sign-time|signature)\b|\bx-cos-/i.test(a.message)) bump(0.7);
  return score.value;
}

/** Facts a COS answer carries beyond code and message. */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const st = elementValue(a, 'ServerTime');
  if (st) out.serverTime = toIsoTime(st) ?? st;
  const resource = elementValue(a, 'Resource');
  setIf(out, 'resource', resource);
  setIf(out, 'traceId', elementValue(a, 'TraceId'));
  if (resource) {
    const m = /^(?:https?:\/\/)?((?<bucket>[a-z0-9-]+)-(?<appid>\d{6,}))\.cos\.(?<region>[a-z0-9-]+)\.myqcloud\.com/i.exec(resource);
    if (m?.groups) {
      out.bucket = m[1];
      out.appid = m.groups.appid;
      out.region = m.groups.region;
    }
  }
  return out;
}

/** How Tencent COS answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const cosAnswers: AnswerReader = {
  id: 'cos',
  detectResponse,
  answerFacts,
  storageHost: (h) => (/(?:^|\.)cos(?:-website)?\.[a-z0-9-]{1,40}\.myqcloud\.com$/.test(h) || /\.myqcloud\.com$|\.tencentcos\.cn$/.test(h) ? {} : null),
  sdks: { cos: 0.7 },
};
