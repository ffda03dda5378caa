// Compiles rules/ once before the tests (the catalogue the code imports).
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/compile-rules.mjs'], { stdio: 'inherit' });
}
