// Which provider answered: evidence from each provider's error module (headers, ids,
// elements) and from the knowledge base (wording or codes documented for one provider only).

import type { ProviderId, ServerFlavour } from '../core/types.js';
import { PROVIDER_IDS } from '../core/types.js';
import type { KbEntry } from '../core/catalogue.js';
import type { ErrorAnswer } from '../providers/types.js';
import { answerReaders } from '../providers/answers-registry.js';
import { detectServer } from '../providers/s3/errors.js';
import type { MessageHit } from './match.js';
import type { TextHints } from './extract.js';

/** Which provider a host name is a storage endpoint of, or null (an application's own host, a CDN). */
export function storageHost(host: string): { provider: ProviderId; server?: ServerFlavour } | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const r of Object.values(answerReaders)) {
    const hit = r.storageHost(h);
    if (hit) return { provider: r.id, ...hit };
  }
  return null;
}

/** The provider an SDK's printout names, and how surely. */
function sdkProvider(sdk: string): [ProviderId, number] | undefined {
  for (const r of Object.values(answerReaders)) if (Object.hasOwn(r.sdks, sdk)) return [r.id, r.sdks[sdk]!];
  return undefined;
}

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

export function detectProvider(a: ErrorAnswer, hits: MessageHit[], kb: readonly KbEntry[], forced?: ProviderId, hints?: TextHints): Detection {
  const scores = { cos: 0, oss: 0, s3: 0, gcs: 0 } as Record<ProviderId, number>;
  for (const p of PROVIDER_IDS) scores[p] = answerReaders[p].detectResponse(a);
  const bump = (p: ProviderId, v: number): void => {
    if (v > scores[p]) scores[p] = v;
  };
  let hostServer: ServerFlavour | null = null;
  if (hints) {
    // the blocked URL of a console CORS line says whose endpoint it is; other hosts in the text less so
    const corsHost = hints.cors?.host ? storageHost(hints.cors.host) : null;
    if (corsHost) bump(corsHost.provider, 0.9);
    for (const h of hints.hosts) {
      const st = storageHost(h);
      if (!st) continue;
      bump(st.provider, 0.85);
      if (st.provider === 's3' && st.server) hostServer = st.server;
    }
    const sdk = hints.sdk ? sdkProvider(hints.sdk) : undefined;
    if (sdk) bump(sdk[0], sdk[1]);
    // a provider the prose names: enough alone, and it tips a tie between shared wordings
    if (hints.prose.length === 1) {
      const p = hints.prose[0]!;
      bump(p, 0.35);
      scores[p] = Math.min(1, scores[p] + 0.05);
    }
  }
  // wording documented for one provider only (best variant only)
  const bestVariant = Math.min(...hits.filter((h) => !h.entry.id.startsWith('generic.')).map((h) => h.variant));
  // a wording several providers use tells less than one only a single provider uses
  const wordingOwners = new Set<ProviderId>();
  // a one-word "wording" (COS and OSS sometimes put the code in <Message>) is a code, not evidence
  const worded = (h: MessageHit): boolean => /\s/.test(h.entry.message ?? h.entry.pattern ?? '');
  hits = hits.filter(worded);
  for (const h of hits) {
    // a provider's own wording counts even when its entry is the code's general meaning
    if (h.variant !== bestVariant || h.entry.id.startsWith('generic.') || h.entry.providers.length > 1) continue;
    // the same words under another code (S3's 301 PermanentRedirect, OSS's 403 AccessDenied) point elsewhere
    if (a.code && h.entry.code && h.entry.code.toLowerCase() !== a.code.toLowerCase()) continue;
    if (h.entry.generic && !h.entry.message) continue;
    for (const p of h.entry.providers) wordingOwners.add(p);
  }
  for (const h of hits) {
    if (h.variant !== bestVariant || h.entry.id.startsWith('generic.') || (h.entry.generic && !h.entry.message)) continue;
    if (a.code && h.entry.code && h.entry.code.toLowerCase() !== a.code.toLowerCase()) continue;
    if (h.entry.providers.length !== 1) continue;
    // a code's general wording (S3's, which S3-compatible servers copy) only tips a balance
    if (wordingOwners.size > 1) bump(h.entry.providers[0]!, 0.4);
    else if (h.entry.generic) bump(h.entry.providers[0]!, 0.25);
    else bump(h.entry.providers[0]!, h.entry.server === 'rgw' || h.entry.server === 'minio' ? 0.65 : 0.6);
  }
  // an EC code documented for a provider
  if (a.ec) for (const e of kb) if (e.ec?.includes(a.ec)) for (const p of e.providers) bump(p, 0.9);
  // a code only one provider documents
  if (a.code) {
    const owners = new Set<ProviderId>();
    const code = a.code.toLowerCase();
    for (const e of kb) if (!e.id.startsWith('generic.') && e.code && e.code.toLowerCase() === code) for (const p of e.providers) owners.add(p);
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
    server = detectServer(a);
    if (server === null && hints?.sdk === 'minio') server = 'minio';
    if (server === null && hostServer) server = hostServer;
    if (server === null) {
      // wording only RGW uses
      for (const flavour of ['rgw', 'minio'] as const) {
        const own = hits.some((h) => h.variant === bestVariant && h.entry.server === flavour && h.entry.providers.includes('s3'));
        const other = hits.some((h) => h.variant === bestVariant && (h.entry.server ?? 'aws') !== flavour && h.entry.providers.includes('s3') && !h.entry.generic);
        if (own && !other) server = flavour;
      }
    }
  }
  return { provider, server, scores, forced: forced !== undefined };
}
