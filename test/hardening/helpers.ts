// Shared by the hardening tests: the CLI in process, the repository root, known secrets.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInProcess, type CliRun } from '../fuzz/targets.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Example-only secrets (published in the provider documents or invented for the tests). */
export const SECRETS = {
  COS_SECRET_KEY: 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz',
  OSS_ACCESS_KEY_SECRET: 'ExampleSecretKey0000000000000000',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  GCS_HMAC_SECRET: 'bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ',
} as const;

export const TOKEN = 'FwoGZXIvYXdzEBYaDHardeningSessionToken0123456789abcdef';

export function cli(args: string[], env: Record<string, string> = {}, stdin: string | null = null, cwd = ROOT): Promise<CliRun> {
  return runInProcess(args, { NO_COLOR: '1', LANG: 'C', ...env }, cwd, stdin);
}

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}
