// Remarks the input parser made about the capture (not problems of the request itself).
import type { Check } from '../check/types.js';
import { findingEntry, isFindingId } from '../core/catalogue.js';
import { finding } from '../check/findings.js';

export const bodyInputNotes: Check = {
  id: 'body.input-notes',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    return ctx.req.notes.map((n) => {
      const entry = findingEntry(n.id);
      if (!entry || !isFindingId(n.id)) return finding('internal.unknown-note', 'info', { id: n.id });
      return finding(n.id, entry.severity, n.facts);
    });
  },
};
