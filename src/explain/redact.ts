// Access key ids echoed back in error answers (e.g. "Condition key q-ak doesn't match the
// value AKID...") are masked to a short prefix in output, like everywhere else; credentials
// carried by their shape (a presigned URL's signature and token in a pasted console line, an
// Authorization value in a pasted request) are masked as in every other report.
import { Redactor } from '../core/mask.js';
import type { ExplainResult } from './index.js';

const KEY_ID = /\b(?:AKID[0-9A-Za-z]{12,}|(?:AKIA|ASIA|AROA)[0-9A-Z]{12,}|LTAI[0-9A-Za-z]{8,}|STS\.[0-9A-Za-z]{8,}|GOOG[0-9A-Z]{16,})\b/g;

function collect(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    for (const m of v.matchAll(KEY_ID)) out.add(m[0]);
  } else if (Array.isArray(v)) {
    for (const x of v) collect(x, out);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) collect(x, out);
  }
}

/** A Redactor holding every access key id the result mentions. */
export function explainRedactor(r: ExplainResult): Redactor {
  const found = new Set<string>();
  collect(r.error, found);
  collect(r.facts, found);
  for (const m of r.matches) collect(m.facts, found);
  const red = new Redactor({ shapes: true });
  for (const k of found) red.addSensitive(k);
  return red;
}
