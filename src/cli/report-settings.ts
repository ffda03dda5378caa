// Options every report-producing command shares (config file, --format, --fail-on, --redact).
// Kept apart from the check command so that explain does not load the check engine.
import { extname } from 'node:path';
import { ui } from '../core/catalogue.js';
import type { Lang } from '../core/types.js';
import { loadConfig, type PostDoctorConfig } from '../config/index.js';
import { parseFailOn } from '../report/fail-on.js';
import { parseFormat } from '../report/format.js';
import type { ReportFormat } from '../report/reporters.js';
import type { Io } from './io.js';

/** Options every report-producing command shares: config, --format (config default), --fail-on, --redact. */
export interface ReportSettings {
  config: PostDoctorConfig;
  format: ReportFormat;
  failOn: ReturnType<typeof parseFailOn>;
  redact: boolean;
}

/** Read the project configuration (cwd) and resolve format / fail-on against it; options win. */
export function reportSettings(io: Io, opts: Record<string, unknown>, formats?: readonly ReportFormat[]): ReportSettings {
  const config = loadConfig(io.cwd)?.config ?? {};
  const formatGiven = opts.format !== undefined && opts.formatSource !== 'default';
  let format = parseFormat(formatGiven ? opts.format : (config.format ?? opts.format ?? 'text'), formats);
  if (!formatGiven && formats && !formats.includes(format)) format = 'text';
  const failOn = parseFailOn(opts.failOn ?? config.failOn);
  return { config, format, failOn, redact: opts.redact === true };
}

/** The input's name as reports show it (hidden under --redact, keeping the extension). */
export function reportInputName(source: string, redact: boolean, lang: Lang): string | null {
  if (source === 'stdin' || source === 'argument') return null;
  return redact ? `${ui('report.redacted-input', lang)}${extname(source)}` : source;
}
