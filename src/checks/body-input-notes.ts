// Remarks the input parser made about the capture (not problems of the request itself).
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { isFindingId } from '../core/catalogue.js';
import { finding, findingIdsWith } from '../check/findings.js';
import { adapters } from '../providers/index.js';

export const bodyInputNotes: Check = {
  id: 'body.input-notes',
  providers: PROVIDER_IDS,
  // the parsers' notes, and those the providers' shorthand fields add (ProviderAdapter.formNotes)
  emits: [...findingIdsWith('input.'), ...Object.values(adapters).flatMap((a) => a.formNotes ?? []), 'internal.unknown-note'],
  run(ctx) {
    return ctx.req.notes.map((n) => {
      if (!isFindingId(n.id)) return finding('internal.unknown-note', { id: n.id });
      return finding(n.id, n.facts);
    });
  },
};
