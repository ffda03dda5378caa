// --fail-on: which findings make the exit code 1. Library code: returns codes, never exits.
import { EXIT, UsageError } from '../core/errors.js';
import type { Finding } from '../core/types.js';

export type FailOn = 'error' | 'warning' | 'never';
export const FAIL_ON_CHOICES: readonly FailOn[] = ['error', 'warning', 'never'];

/** Validate a failOn value (undefined = the default, error). */
export function parseFailOn(v: unknown): FailOn {
  if (v === undefined || v === null) return 'error';
  const s = String(v).toLowerCase();
  if ((FAIL_ON_CHOICES as readonly string[]).includes(s)) return s as FailOn;
  throw new UsageError(`failOn must be one of ${FAIL_ON_CHOICES.join(', ')} (got '${String(v)}')`, { about: 'failOn' });
}

/** True when these findings fail the run under `failOn`. */
export function fails(findings: readonly Pick<Finding, 'severity'>[], failOn: FailOn): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'warning':
      return findings.some((f) => f.severity === 'error' || f.severity === 'warning');
    default:
      return findings.some((f) => f.severity === 'error');
  }
}

/** Exit code of `check` / `preflight`: 1 when the findings fail the run, else 0. */
export function checkExitCode(findings: readonly Pick<Finding, 'severity'>[], failOn: FailOn): number {
  return fails(findings, failOn) ? EXIT.PROBLEMS : EXIT.OK;
}

/** Exit code of `explain`: unchanged (0 explained, 1 not recognised) unless --fail-on never. */
export function explainExitCode(recognised: boolean, failOn: FailOn): number {
  if (failOn === 'never') return EXIT.OK;
  return recognised ? EXIT.OK : EXIT.PROBLEMS;
}
