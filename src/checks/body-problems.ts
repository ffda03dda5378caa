// Problems with the multipart framing, as the input parser saw them: the server refuses
// such a body before reading any field. Ceph RGW reads the body its own way:
// - a body without the closing delimiter is accepted when the file is its last part (the
//   file runs to the end of the body); without a file part, the last field never finds its
//   delimiter ("Couldn't find boundary");
// - a part without a usable name becomes a field named "" (or the name a non-form-data
//   disposition gives), which the policy check then reports as not covered by a condition.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { finding, findingIdsWith } from '../check/findings.js';
import { predict, target } from '../check/predict.js';
import type { BodyProblem } from '../core/types.js';

function facts(p: BodyProblem): Record<string, unknown> {
  return { offset: p.offset ?? '?', detail: p.detail ?? '' };
}

function generic(p: BodyProblem, ctx: CheckContext): CheckFinding {
  const key = p.kind === 'no-content-type' || p.kind === 'not-multipart' ? 'body.not-multipart' : p.kind === 'missing-boundary' ? 'body.missing-boundary' : 'body.malformed';
  return finding(`body.${p.kind}`, facts(p), predict(key, ctx));
}

/** The `name` parameter of a Content-Disposition value (not `name*`, not `filename`), or null. */
export function dispositionName(value: string | undefined): string | null {
  if (!value) return null;
  const m = /(?:^|;)\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i.exec(value);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '');
}

/** Whether a policy condition names the field (RGW compares names case-insensitively). */
function covered(ctx: CheckContext, name: string): boolean {
  const lower = name.toLowerCase();
  return (ctx.policy?.conditions ?? []).some((c) => (c.type === 'eq' || c.type === 'starts-with') && c.field.toLowerCase() === lower);
}

function rgwFinding(p: BodyProblem, ctx: CheckContext): CheckFinding {
  const id = `body.${p.kind}` as const;
  if (p.kind === 'no-closing-delimiter') {
    if (ctx.form.files().length > 0) return finding(id, facts(p), null, undefined, 'warning');
    return finding(id, facts(p), predict('body.boundary-not-found', ctx));
  }
  if (p.kind === 'no-content-disposition') {
    const name = dispositionName(p.detail) ?? '';
    // RGW checks the form against the policy only when there is one; x-ignore- fields are
    // exempt; a part named "file" starts the file; a covered name meets its condition instead
    const judged = ctx.form.get('policy') !== undefined && !/^x-ignore-/i.test(name) && name.toLowerCase() !== 'file' && !covered(ctx, name);
    if (!judged) return finding(id, facts(p), null, undefined, 'warning');
    return finding(id, facts(p), predict('body.nameless-part', ctx, { field: name }), name || undefined);
  }
  return generic(p, ctx);
}

export const bodyProblems: Check = {
  id: 'body.problems',
  providers: PROVIDER_IDS,
  emits: findingIdsWith('body.'),
  run(ctx) {
    const rgw = target(ctx.provider, ctx.server) === 'rgw';
    return ctx.req.bodyProblems.map((p) => (rgw ? rgwFinding(p, ctx) : generic(p, ctx)));
  },
};
