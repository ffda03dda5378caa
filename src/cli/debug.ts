// --debug: diagnostic lines on stderr (input read, detection scores, checks run, timings).
// Every line passes the command's Redactor, so secrets and credentials stay masked exactly as
// in the report. Lines are "post-doctor: debug: <topic> key=value ..." (identifiers and
// numbers, no prose).
import type { CheckResult } from '../check/index.js';
import type { UploadRequest } from '../core/types.js';
import type { ExplainResult } from '../explain/index.js';
import type { Io } from './io.js';

interface Scrubber {
  scrub(text: string): string;
}

export interface DebugLog {
  readonly enabled: boolean;
  /** Remember the time now under `name` (timings are printed as the differences). */
  mark(name: string): void;
  /** The marks so far as "name=12.3ms" steps since the previous mark. */
  timings(): Record<string, string>;
}

/** Milliseconds on a monotonic clock (process.hrtime: the global `performance` would load perf_hooks at start-up). */
function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function debugLog(opts: Record<string, unknown>): DebugLog {
  const enabled = opts.debug === true;
  const marks: Array<[string, number]> = [['start', now()]];
  return {
    enabled,
    mark(name) {
      if (enabled) marks.push([name, now()]);
    },
    timings() {
      const out: Record<string, string> = {};
      for (let i = 1; i < marks.length; i++) out[marks[i]![0]] = `${(marks[i]![1] - marks[i - 1]![1]).toFixed(1)}ms`;
      out.total = `${(now() - marks[0]![1]).toFixed(1)}ms`;
      return out;
    },
  };
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return JSON.stringify(v) ?? String(v);
}

function emit(io: Io, redactor: Scrubber, topic: string, data: Record<string, unknown>): void {
  const parts = Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`);
  // one line per topic, whatever the values hold
  io.stderr(`${redactor.scrub(`post-doctor: debug: ${topic} ${parts.join(' ')}`).replace(/[\r\n]+/g, ' ')}\n`);
}

function counts(items: Array<{ severity: string }>): Record<string, number> {
  const c: Record<string, number> = { error: 0, warning: 0, info: 0 };
  for (const i of items) c[i.severity] = (c[i.severity] ?? 0) + 1;
  return c;
}

/** Diagnostics of `check`. */
export function debugCheck(
  io: Io,
  log: DebugLog,
  redactor: Scrubber,
  info: { source: string; req: UploadRequest; result: CheckResult; secret: string | null; registered: ReadonlyArray<{ id: string; providers: readonly string[] }> },
): void {
  if (!log.enabled) return;
  const { req, result } = info;
  const files = req.parts.filter((p) => p.kind === 'file').length;
  emit(io, redactor, 'input', {
    source: info.source,
    method: req.method,
    parts: req.parts.length,
    fields: req.parts.length - files,
    files,
    boundary: req.boundary ?? null,
    bodyProblems: req.bodyProblems.map((p) => p.kind),
    notes: req.notes.map((n) => n.id),
  });
  emit(io, redactor, 'detection', { ...result.detection.scores, chosen: result.provider, by: result.detection.by, server: result.server });
  emit(io, redactor, 'secret', { given: info.secret !== null });
  const ran = info.registered.filter((c) => c.providers.includes(result.provider)).map((c) => c.id);
  emit(io, redactor, 'checks', { run: ran.length, ids: ran.join(',') });
  emit(io, redactor, 'policy', { present: result.policy !== null, conditions: result.policy?.conditions.length ?? 0, expiration: result.policy?.expiration ?? null });
  if (result.signature) emit(io, redactor, 'signature', { checked: result.signature.checked, valid: result.signature.valid, mistake: result.signature.mistake ?? null });
  emit(io, redactor, 'findings', { ...counts(result.findings), ids: result.findings.map((f) => f.id).join(',') });
  emit(io, redactor, 'timings', log.timings());
}

/** Diagnostics of `explain`. */
export function debugExplain(io: Io, log: DebugLog, redactor: Scrubber, info: { source: string; result: ExplainResult }): void {
  if (!log.enabled) return;
  const r = info.result;
  emit(io, redactor, 'input', { source: info.source, kind: r.input.kind, tolerant: r.input.tolerant, status: r.error.status, code: r.error.code, ec: r.error.ec });
  emit(io, redactor, 'detection', { ...r.detection.scores, chosen: r.provider, forced: r.detection.forced, server: r.server ?? null });
  emit(io, redactor, 'matches', { count: r.matches.length, rules: r.matches.map((m) => `${m.rule}(${m.via})`).join(',') });
  emit(io, redactor, 'timings', log.timings());
}
