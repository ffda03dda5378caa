import type { UploadRequest } from '../../core/types.js';

/** GCS V4 POST policies carry x-goog-* signing fields; hosts are storage.googleapis.com. */
export function detectRequest(req: UploadRequest): number {
  const names = new Set(req.parts.filter((p) => p.kind === 'field').map((p) => p.name.toLowerCase()));
  let score = 0;
  if (names.has('x-goog-signature') || names.has('x-goog-credential') || names.has('x-goog-algorithm')) score = 0.95;
  if (req.url && /(^|\.)storage\.googleapis\.com$/i.test(hostOf(req.url))) score = Math.max(score, 0.9);
  return score;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
