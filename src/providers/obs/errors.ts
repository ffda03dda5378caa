// Huawei Cloud OBS error answers: how to recognise them, and what they carry beyond code and
// message. Body (OBS and S3-compatible mode alike): <Error><Code/><Message/><Resource/>
// <RequestId/><HostId/></Error>, with <StringToSign> on SignatureDoesNotMatch. Headers:
// "Server: OBS", x-obs-request-id (32 upper-case hex digits, the first 16 epoch milliseconds),
// x-obs-id-2; body-less answers carry x-obs-error-code / x-obs-error-message. In S3-compatible mode
// the ids come as x-amz-request-id / x-amz-id-2 with an x-reserved trademark header, still "Server: OBS".
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { confidence, elementValue, hasHeaderPrefix, headerValue, setIf } from '../answer.js';

/** An OBS request id: 32 upper-case hex digits whose first 16 are a plausible epoch in milliseconds (2015..2040). */
export function isObsRequestId(id: string): boolean {
  if (!/^[0-9A-F]{32}$/.test(id)) return false;
  const ms = Number.parseInt(id.slice(0, 16), 16);
  return ms > 1_420_070_400_000 && ms < 2_208_988_800_000;
}

/** Hosts of OBS regions: Huawei Cloud (.com, .eu sovereign), G42 and Open Telekom Cloud. */
export const OBS_HOST = /(?:^|\.)obs(?:-website)?\.[a-z0-9-]+\.(?:myhuaweicloud\.(?:com|eu)|g42cloud\.com|otc\.t-systems\.com)$/;

/** Confidence 0..1 that the answer came from OBS. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /^obs$/i.test(server.trim())) bump(0.97);
  if (hasHeaderPrefix(a.headers, 'x-obs-')) bump(0.95);
  // S3-compatible mode: x-reserved beside Server: OBS (already counted); alone it is weaker
  if (/amazon, aws and amazon web services are trademarks/i.test(headerValue(a.headers, 'x-reserved') ?? '') && server && /obs/i.test(server)) bump(0.97);
  if (a.requestId && isObsRequestId(a.requestId)) bump(0.7);
  if (/myhuaweicloud\.(?:com|eu)|otc\.t-systems\.com|g42cloud\.com/i.test(a.body.slice(0, 262_144))) bump(0.85);
  if (a.message && /\bOBS\b/.test(a.message)) bump(0.7);
  return score.value;
}

/** Facts an OBS answer carries beyond code and message. */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setIf(out, 'resource', elementValue(a, 'Resource'));
  setIf(out, 'hostId', a.hostId ?? headerValue(a.headers, 'x-obs-id-2'));
  setIf(out, 'errorCodeHeader', headerValue(a.headers, 'x-obs-error-code'));
  setIf(out, 'stringToSign', elementValue(a, 'StringToSign'));
  const rid = a.requestId ?? headerValue(a.headers, 'x-obs-request-id');
  if (rid && isObsRequestId(rid)) out.requestTime = new Date(Number.parseInt(rid.slice(0, 16), 16)).toISOString();
  return out;
}

/** How Huawei Cloud OBS answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const obsAnswers: AnswerReader = {
  id: 'obs',
  detectResponse,
  answerFacts,
  storageHost: (h) => (OBS_HOST.test(h) ? {} : null),
  sdks: { obs: 0.7 },
};
