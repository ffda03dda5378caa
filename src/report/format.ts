// The report formats and the one reading of a --format value (kept apart from the reporters, so
// that reading the options loads no renderer).
import { UsageError } from '../core/errors.js';
import type { ReportFormat } from './reporters.js';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github'];

export function parseFormat(v: unknown, allowed: readonly ReportFormat[] = REPORT_FORMATS): ReportFormat {
  const s = String(v ?? 'text');
  if ((allowed as readonly string[]).includes(s)) return s as ReportFormat;
  throw new UsageError(`format must be one of ${allowed.join(', ')} (got '${s}')`, { about: 'format' });
}
