// Exactly one file part. AWS, COS, OSS and GCS refuse a form without a file or with several;
// Ceph RGW (16.2) accepts both (an empty object; the first file), so on RGW the finding is a
// warning without a predicted refusal: the form still fails on the other servers.
// MinIO (cmd/bucket-handlers.go PostPolicyBucketHandler) stores the first part named exactly
// "file", with or without a filename, and reads nothing after it: several files are a warning;
// no part named "file" (a file part under another name included), or a file whose name MinIO
// cannot tell (no filename and an empty key), is "The file or text content is missing".
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict, target } from '../check/predict.js';
import { minioForm } from './s3-minio.js';

function minioRun(ctx: CheckContext): CheckFinding[] {
  const files = ctx.form.files();
  const mf = minioForm(ctx.form);
  // without `key`, MinIO answers that first (s3.signature-fields); then no file name at all is a missing file
  if (!mf.file || (mf.values.has('Key') && mf.fileName === '')) return [finding('file.missing', {}, predict('file.missing', ctx), 'file')];
  if (files.length > 1) return [finding('file.multiple', { count: files.length, fields: files.map((f) => f.name) }, null, files[1]?.name, 'warning')];
  return [];
}

export const fileCount: Check = {
  id: 'file.count',
  providers: PROVIDER_IDS,
  emits: ['file.missing', 'file.multiple'],
  run(ctx) {
    if (target(ctx.provider, ctx.server) === 'minio') return minioRun(ctx);
    const files = ctx.form.files();
    if (files.length === 1) return [];
    const predicts = (files.length === 0 ? predict('file.missing', ctx) : null) ?? predict('file.count', ctx);
    // RGW accepts the form: a warning (the catalogue's error is the refusal everywhere else)
    const severity = predicts === null && target(ctx.provider, ctx.server) === 'rgw' ? 'warning' : undefined;
    if (files.length === 0) return [finding('file.missing', {}, predicts, 'file', severity)];
    return [finding('file.multiple', { count: files.length, fields: files.map((f) => f.name) }, predicts, files[1]?.name, severity)];
  },
};
