// Reporters by name, one registry per kind of result (as knip's reporters): a command picks
// `CHECK_REPORTERS[format]` (./check-reporters.ts; explain-reporters.ts, preflight.ts) and prints
// what it returns; renderers only format. A format missing for a kind is a compile error (Record
// over ReportFormat). One module per kind, so a command loads only its own renderers.
import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../check/index.js';
import type { Redactor } from '../core/mask.js';
import type { Lang } from '../core/types.js';
import type { ExplainResult } from '../explain/index.js';
import type { PreflightResult } from '../preflight/index.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';

export interface ReportContext {
  lang: Lang;
  /** Masks secrets (and, with --redact, what identifies the request) in every word printed. */
  redactor: Redactor;
  chalk: ChalkInstance;
  /** The input (file path, URL), for SARIF locations and GitHub file=; null for stdin. */
  input: string | null;
  /** --redact: hide field values, file names and the bucket too. */
  redact?: boolean;
  /** A terminal's width, for human text that wraps (replay's prose). */
  width?: number;
  /** Extra SARIF run properties. */
  properties?: Record<string, unknown>;
}

export type Reporter<R> = (result: R, ctx: ReportContext) => string;

export type Reporters<R> = Readonly<Record<ReportFormat, Reporter<R>>>;

export type CheckReporters = Reporters<CheckResult>;
export type ExplainReporters = Reporters<ExplainResult>;
export type PreflightReporters = Reporters<PreflightResult>;
