// OSS error answers: how to recognise them, and what they carry beyond code and message.
// Body: <Error><Code/><Message/><RequestId/><HostId/> (+ <EC/>, <RecommendDoc/> on newer
// endpoints; <Endpoint/>, <Bucket/>, <ArgumentName/>, <ArgumentValue/>, <Method/>,
// <ResourceType/>, <Header/> depending on the error). EC also in the x-oss-ec header.
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { clockFacts, confidence, elementValue, headerValue, numberOrText, setIf } from '../answer.js';

/** Confidence 0..1 that the answer came from OSS. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /aliyunoss/i.test(server)) bump(0.97);
  if (headerValue(a.headers, 'x-oss-request-id') || headerValue(a.headers, 'x-oss-ec') || headerValue(a.headers, 'x-oss-server-time')) bump(0.95);
  // an EC in OSS's XML <EC> element; the EC's shape alone (a bare code, a JSON member) is TOS's too,
  // and the knowledge base's EC lists tell the two apart (explain/detect.ts)
  if (a.ec && /^\d{4}-\d{8}$/.test(a.ec)) bump(/<EC>\s*\d{4}-\d{8}\s*<\/EC>/.test(a.body) ? 0.95 : 0.35);
  if (a.hostId && /aliyuncs\.com$/i.test(a.hostId)) bump(0.9);
  const endpoint = elementValue(a, 'Endpoint');
  if (endpoint && /aliyuncs\.com/i.test(endpoint)) bump(0.9);
  if (elementValue(a, 'RecommendDoc') || /api\.aliyun\.com\/troubleshoot/i.test(a.body)) bump(0.9);
  if (a.requestId && /^[0-9A-F]{24}$/.test(a.requestId)) bump(0.6);
  if (a.message && /\bOSS\b|x-oss-|OSSAccessKeyId/.test(a.message)) bump(0.7);
  if (elementValue(a, 'OSSAccessKeyId') !== null) bump(0.85);
  return score.value;
}

/** Facts an OSS answer carries beyond code and message. */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setIf(out, 'endpoint', elementValue(a, 'Endpoint'));
  setIf(out, 'bucket', elementValue(a, 'Bucket') ?? elementValue(a, 'BucketName'));
  setIf(out, 'argumentName', elementValue(a, 'ArgumentName'));
  setIf(out, 'argumentValue', elementValue(a, 'ArgumentValue'));
  setIf(out, 'method', elementValue(a, 'Method'));
  setIf(out, 'resourceType', elementValue(a, 'ResourceType'));
  setIf(out, 'header', elementValue(a, 'Header'));
  setIf(out, 'recommendDoc', elementValue(a, 'RecommendDoc'));
  setIf(out, 'hostId', a.hostId);
  clockFacts(a, out);
  for (const name of ['ProposedSize', 'MaxSizeAllowed', 'MinSizeAllowed']) {
    const v = elementValue(a, name);
    if (v) out[name[0]!.toLowerCase() + name.slice(1)] = numberOrText(v);
  }
  return out;
}

/** How Alibaba OSS answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const ossAnswers: AnswerReader = {
  id: 'oss',
  detectResponse,
  answerFacts,
  storageHost: (h) => (/(?:^|\.)oss(?:-[a-z0-9-]{1,40})?\.aliyuncs\.com$/.test(h) ? {} : null),
  sdks: { oss: 0.7 },
};
