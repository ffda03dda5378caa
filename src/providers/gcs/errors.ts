// GCS error answers (XML API and JSON API): how to recognise them and what they carry.
// XML: <Error><Code/><Message/><Details/></Error>; JSON: {"error":{"code":403,"message":..,"errors":[..]}}.
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { confidence, elementValue, hasHeaderPrefix, headerValue, setIf } from '../answer.js';

/** Confidence 0..1 that the answer came from Google Cloud Storage. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /uploadserver/i.test(server)) bump(0.95);
  if (headerValue(a.headers, 'x-guploader-uploadid')) bump(0.97);
  if (hasHeaderPrefix(a.headers, 'x-goog-')) bump(0.85);
  if (/storage\.googleapis\.com|storage\.cloud\.google\.com/i.test(a.body)) bump(0.8);
  if (elementValue(a, 'domain') === 'global' || elementValue(a, 'domain') === 'usageLimits') bump(0.6);
  // <Details> is the XML API's own element (S3, OSS and COS do not send it)
  const details = elementValue(a, 'Details');
  if (details) bump(0.65);
  const words = `${a.message ?? ''} ${details ?? ''}`;
  if (/\bx-goog-|GOOG4-|\bGoogle\b|\bstorage\.objects\.|\bstorage\.buckets\./.test(words)) bump(0.75);
  return score.value;
}

/** Facts a GCS answer carries beyond code and message. */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const details = elementValue(a, 'Details');
  setIf(out, 'details', details);
  if (details) {
    // "Policy did not reference these fields: submit, x"
    const m = /did not reference these fields:\s*(.+)$/i.exec(details);
    if (m) {
      const list = m[1]!
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      out.fields = list;
      if (list.length === 1) out.field = list[0];
    }
  }
  setIf(out, 'reason', elementValue(a, 'reason'));
  setIf(out, 'domain', elementValue(a, 'domain'));
  setIf(out, 'detail', elementValue(a, 'detail'));
  return out;
}

/** How GCS answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const gcsAnswers: AnswerReader = {
  id: 'gcs',
  detectResponse,
  answerFacts,
  storageHost: (h) => (/(?:^|\.)storage\.googleapis\.com$|^storage\.cloud\.google\.com$/.test(h) ? {} : null),
  sdks: { gcs: 0.7 },
};
