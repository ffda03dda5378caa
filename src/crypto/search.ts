// Pieces shared by the adapters' signature verification: the report shape with facts,
// secret variants for the whitespace mistake, and a bounded search over wrong ways to sign.
import type { SignatureReport, SignatureStep } from '../core/types.js';

/**
 * A SignatureReport plus the facts behind `reason` / `mistake` (missing field names, the
 * variant that reproduced the provided signature, key-time bounds...). Assignable to
 * SignatureReport, so adapters return it where the contract asks for a SignatureReport.
 */
export interface SignatureReportWithFacts extends SignatureReport {
  facts: Record<string, unknown>;
}

/** A wrong way of signing: `compute` returns the signature text that way would produce. */
export interface MistakeCandidate {
  mistake: string;
  facts?: Record<string, unknown>;
  compute: () => string | null;
}

/** The first candidate whose output equals `provided`, or null. Candidates are evaluated lazily, in order. */
export function findMistake(provided: string, candidates: Iterable<MistakeCandidate>): { mistake: string; facts: Record<string, unknown> } | null {
  for (const c of candidates) {
    let out: string | null;
    try {
      out = c.compute();
    } catch {
      out = null;
    }
    if (out !== null && out === provided) return { mistake: c.mistake, facts: c.facts ?? {} };
  }
  return null;
}

/**
 * Secrets the signer may have used instead of the one supplied: trimmed (when the supplied
 * one carries whitespace) and the clean secret with a stray newline or space around it.
 */
export function secretVariants(secret: string): Array<{ variant: string; secret: string }> {
  const clean = secret.trim();
  const out: Array<{ variant: string; secret: string }> = [];
  const add = (variant: string, s: string): void => {
    if (s !== secret && !out.some((o) => o.secret === s)) out.push({ variant, secret: s });
  };
  if (clean !== secret) add('trimmed', clean);
  add('trailing-newline', `${clean}\n`);
  add('trailing-crlf', `${clean}\r\n`);
  add('trailing-space', `${clean} `);
  add('leading-space', ` ${clean}`);
  return out;
}

/** A report for a signature that could not be checked. */
export function notChecked(scheme: string | null, reason: string, facts: Record<string, unknown>, steps: SignatureStep[] = [], provided: string | null = null): SignatureReportWithFacts {
  return { scheme, checked: false, valid: null, steps, expected: null, provided, mistake: null, reason, facts };
}
