// JSON output of `explain`: the ExplainResult as data (schema post-doctor/explain@1),
// access key ids masked.
import type { ExplainResult } from '../explain/index.js';
import { explainRedactor } from '../explain/redact.js';

export function renderExplainJson(r: ExplainResult): string {
  const out: Record<string, unknown> = {
    schema: r.schema,
    provider: r.provider,
  };
  if (r.server) out.server = r.server;
  out.recognised = r.recognised;
  out.lang = r.lang;
  out.error = r.error;
  out.input = r.input;
  out.facts = r.facts;
  out.clock = r.clock;
  out.detection = r.detection;
  out.matches = r.matches;
  if (r.corsFix) out.corsFix = r.corsFix;
  return `${JSON.stringify(explainRedactor(r).scrubDeep(out), null, 2)}\n`;
}
