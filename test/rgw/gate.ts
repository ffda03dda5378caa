// Whether the RGW tests run: binaries present -> run; absent -> skip with a printed reason,
// except under CI, where their absence is a failure (CI installs them).
import { missingRgwBinaries, RGW_APT } from './harness.js';

export interface Gate {
  run: boolean;
  /** Why the suite cannot run (binaries missing), or null. */
  reason: string | null;
  /** Missing binaries under CI: the suite must fail rather than skip. */
  mustFail: boolean;
}

export function rgwGate(): Gate {
  const missing = missingRgwBinaries();
  if (missing.length === 0) return { run: true, reason: null, mustFail: false };
  const reason = `Ceph RGW binaries not found (${missing.join(', ')}); install them with: ${RGW_APT}`;
  if (process.env.CI) return { run: false, reason, mustFail: true };
  console.log(`[post-doctor] skipping the RGW tests: ${reason}`);
  return { run: false, reason, mustFail: false };
}
