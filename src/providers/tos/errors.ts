// Volcengine TOS error answers: how to recognise them, and what they carry beyond code and
// message. Body: JSON, not XML: {"Code","Message","RequestId","HostId","EC"} (+ Resource, Key,
// StringToSign...). Headers: "Server: TosServer", x-tos-request-id, x-tos-id-2, x-tos-ec.
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { confidence, elementValue, hasHeaderPrefix, headerValue, setIf } from '../answer.js';

/** Hosts of TOS regions (native and S3-compatible, public and internal). */
export const TOS_HOST = /(?:^|\.)tos-(?:s3-)?[a-z]{2}-[a-z0-9-]+\.i?volces\.com$/;

/** Confidence 0..1 that the answer came from TOS. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /tosserver/i.test(server)) bump(0.97);
  if (hasHeaderPrefix(a.headers, 'x-tos-')) bump(0.95);
  // request ids as TOS writes them: "<hex>-<hex>-<token>-...-tos-...-front-...": no other
  // provider's look like it (above OSS's reading of any NNNN-NNNNNNNN EC as its own)
  if (a.requestId && /-tos-(?:[a-z0-9]+-){0,8}front/i.test(a.requestId)) bump(0.96);
  const body = a.body.slice(0, 262_144);
  // TOS's JSON error document with its EC member ({"Code":...,"EC":"0003-00000015"}); OSS, whose
  // ECs have the same shape, answers in XML (<EC>)
  if (/^\s*\{[\s\S]*"EC"\s*:\s*"\d{4}-\d{8}"/.test(body.slice(body.indexOf('{'))) && /"(?:Code|RequestId)"\s*:/.test(body)) bump(0.96);
  if (/\bi?volces\.com\b/i.test(body)) bump(0.85);
  if (a.message && /\bTOS\b|x-tos-/.test(a.message)) bump(0.7);
  return score.value;
}

/** Facts a TOS answer carries beyond code and message. */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setIf(out, 'resource', elementValue(a, 'Resource'));
  setIf(out, 'key', elementValue(a, 'Key'));
  setIf(out, 'hostId', a.hostId ?? headerValue(a.headers, 'x-tos-id-2'));
  setIf(out, 'stringToSign', elementValue(a, 'StringToSign'));
  return out;
}

/** How Volcengine TOS answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const tosAnswers: AnswerReader = {
  id: 'tos',
  detectResponse,
  answerFacts,
  storageHost: (h) => (TOS_HOST.test(h) ? {} : null),
  sdks: { tos: 0.7 },
};
