// Which provider answered: evidence from each provider's error module (headers, ids,
// elements) and from the knowledge base (wording or codes documented for one provider only).

import type { ProviderId, ServerFlavour } from '../core/types.js';
import { PROVIDER_IDS } from '../core/types.js';
import type { KbEntry } from '../core/catalogue.js';
import type { ErrorAnswer } from '../providers/types.js';
import * as cos from '../providers/cos/errors.js';
import * as oss from '../providers/oss/errors.js';
import * as s3 from '../providers/s3/errors.js';
import * as gcs from '../providers/gcs/errors.js';
import type { MessageHit } from './match.js';

export interface ProviderErrors {
  detectResponse(a: ErrorAnswer): number;
  answerFacts(a: ErrorAnswer): Record<string, unknown>;
}

export const providerErrors: Record<ProviderId, ProviderErrors> = { cos, oss, s3, gcs };

export interface Detection {
  provider: ProviderId | 'unknown';
  /** S3 family: which server answered, when known. */
  server: ServerFlavour | null;
  /** Confidence per provider, 0..1. */
  scores: Record<ProviderId, number>;
  forced: boolean;
}

/** Below this, the provider is reported as unknown. */
const THRESHOLD = 0.3;

export function detectProvider(a: ErrorAnswer, hits: MessageHit[], kb: readonly KbEntry[], forced?: ProviderId): Detection {
  const scores = { cos: 0, oss: 0, s3: 0, gcs: 0 } as Record<ProviderId, number>;
  for (const p of PROVIDER_IDS) scores[p] = providerErrors[p].detectResponse(a);
  const bump = (p: ProviderId, v: number): void => {
    if (v > scores[p]) scores[p] = v;
  };
  // wording documented for one provider only (best variant only)
  const bestVariant = Math.min(...hits.filter((h) => !h.entry.generic).map((h) => h.variant));
  for (const h of hits) {
    if (h.entry.generic || h.variant !== bestVariant) continue;
    if (h.entry.providers.length === 1) bump(h.entry.providers[0]!, h.entry.server === 'rgw' ? 0.65 : 0.6);
  }
  // an EC code documented for a provider
  if (a.ec) for (const e of kb) if (e.ec?.includes(a.ec)) for (const p of e.providers) bump(p, 0.9);
  // a code only one provider documents
  if (a.code) {
    const owners = new Set<ProviderId>();
    const code = a.code.toLowerCase();
    for (const e of kb) if (!e.generic && e.code && e.code.toLowerCase() === code) for (const p of e.providers) owners.add(p);
    if (owners.size === 1) bump([...owners][0]!, 0.35);
  }
  let provider: ProviderId | 'unknown' = 'unknown';
  if (forced) {
    provider = forced;
  } else {
    const ranked = [...PROVIDER_IDS].sort((x, y) => scores[y] - scores[x]);
    const first = ranked[0]!;
    const second = ranked[1]!;
    if (scores[first] >= THRESHOLD && scores[first] > scores[second]) provider = first;
  }
  let server: ServerFlavour | null = null;
  if (provider === 's3') {
    server = s3.detectServer(a);
    if (server === null) {
      // wording only RGW uses
      const rgw = hits.some((h) => h.variant === bestVariant && h.entry.server === 'rgw' && h.entry.providers.includes('s3'));
      const aws = hits.some((h) => h.variant === bestVariant && h.entry.server !== 'rgw' && h.entry.providers.includes('s3') && !h.entry.generic);
      if (rgw && !aws) server = 'rgw';
    }
  }
  return { provider, server, scores, forced: forced !== undefined };
}
