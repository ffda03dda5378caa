// Access key ids echoed back in error answers (e.g. "Condition key q-ak doesn't match the
// value AKID...") are masked to a short prefix in output, like everywhere else; credentials
// carried by their shape (a presigned URL's signature and token in a pasted console line, an
// Authorization value in a pasted request) are masked as in every other report.
import { credentialNameKind, KEY_ID_PATTERN, Redactor } from '../core/mask.js';
import type { ExplainResult } from './index.js';

/** Key ids by their shape, and any value held under a credential's name (an OBS key id has no
 * shape of its own: "the access key {accessKeyId} is inactive."). */
function collect(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    for (const m of v.matchAll(KEY_ID_PATTERN)) out.add(m[0]);
  } else if (Array.isArray(v)) {
    for (const x of v) collect(x, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && x.length > 0 && credentialNameKind(k) !== null) out.add(x);
      collect(x, out);
    }
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
