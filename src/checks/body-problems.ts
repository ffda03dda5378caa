// Problems with the multipart framing, as the input parser saw them: the server refuses
// such a body before reading any field. Ceph RGW reads the body its own way:
// - a body without the closing delimiter is accepted when the file is its last part (the
//   file runs to the end of the body); without a file part, the last field never finds its
//   delimiter ("Couldn't find boundary");
// - a part without a usable name becomes a field named "" (or the name a non-form-data
//   disposition gives), which the policy check then reports as not covered by a condition.
// MinIO reads the body with Go's mime/multipart in PostPolicyBucketHandler (see minioFinding).
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { finding, findingIdsWith } from '../check/findings.js';
import { predict, target } from '../check/predict.js';
import type { BodyProblem } from '../core/types.js';
import { predictFirst } from './shared.js';

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

/** The request path as Go's r.URL.Path holds it (decoded), or null without a URL. */
function urlPath(url: string | null): string | null {
  if (!url) return null;
  try {
    const path = new URL(url).pathname;
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  } catch {
    return null;
  }
}

/**
 * MinIO (github.com/minio/minio, commit 7aac2a2c):
 * - no Content-Type, or not multipart/form-data: cmd/api-router.go routes a POST to the POST
 *   policy handler only when isRequestPostPolicySignatureV4 (cmd/auth-handler.go) sees
 *   multipart/form-data; the router's fallback (cmd/handler-utils.go errorResponseHandler)
 *   answers "An unsupported API call for method: POST at '<path>'";
 * - no boundary parameter: multipartReader's http.ErrMissingBoundary (the prediction table);
 * - a body that never uses the boundary: Go's multipart reader skips it as preamble and reports
 *   a wrapped io.EOF, which PostPolicyBucketHandler takes for the end of the form: no file;
 * - an empty body: "Request body cannot be empty." (r.ContentLength <= 0, before any parsing);
 * - no closing delimiter: MinIO never reads past its file part, so parts after it may end any
 *   way; otherwise the answer depends on where the body stops (a part cut short fails with
 *   io.ErrUnexpectedEOF, a body ending at a delimiter without "--" reads as the end of the form),
 *   which the request model does not keep: unknown;
 * - a part without a form-data name is skipped (`if name == "" { continue }`);
 * - bare line feeds and other parser complaints: MinIO's answer is not known.
 */
function minioFinding(p: BodyProblem, ctx: CheckContext): CheckFinding {
  const id = `body.${p.kind}` as const;
  switch (p.kind) {
    case 'no-content-type':
    case 'not-multipart': {
      const path = urlPath(ctx.req.url);
      return finding(id, facts(p), predictFirst(['minio.post.unsupported-api-call'], path === null ? { method: ctx.req.method } : { method: ctx.req.method, path }));
    }
    case 'missing-boundary':
      return generic(p, ctx);
    case 'boundary-mismatch':
      return finding(id, facts(p), predict('file.missing', ctx));
    case 'no-closing-delimiter': {
      const parts = ctx.req.parts;
      if (parts.length === 0 && (p.offset ?? 0) === 0) return finding(id, facts(p), predictFirst(['minio.post.empty-body']));
      const fileAt = parts.findIndex((x) => x.name === 'file');
      if (fileAt >= 0 && fileAt < parts.length - 1) return finding(id, facts(p), null, undefined, 'warning');
      return finding(id, facts(p), null);
    }
    case 'no-content-disposition':
      return finding(id, facts(p), null, undefined, dispositionName(p.detail) ? undefined : 'warning');
    default:
      return finding(id, facts(p), null);
  }
}

export const bodyProblems: Check = {
  id: 'body.problems',
  providers: PROVIDER_IDS,
  emits: findingIdsWith('body.'),
  run(ctx) {
    const t = target(ctx.provider, ctx.server);
    return ctx.req.bodyProblems.map((p) => (t === 'rgw' ? rgwFinding(p, ctx) : t === 'minio' ? minioFinding(p, ctx) : generic(p, ctx)));
  },
};
