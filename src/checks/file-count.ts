// Exactly one file part. AWS, COS, OSS and GCS refuse a form without a file or with several;
// Ceph RGW (16.2) accepts both (an empty object; the first file), so on RGW the finding is a
// warning without a predicted refusal: the form still fails on the other servers.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict, target } from '../check/predict.js';

export const fileCount: Check = {
  id: 'file.count',
  providers: PROVIDER_IDS,
  emits: ['file.missing', 'file.multiple'],
  run(ctx) {
    const files = ctx.form.files();
    if (files.length === 1) return [];
    const predicts = (files.length === 0 ? predict('file.missing', ctx) : null) ?? predict('file.count', ctx);
    // RGW accepts the form: a warning (the catalogue's error is the refusal everywhere else)
    const severity = predicts === null && target(ctx.provider, ctx.server) === 'rgw' ? 'warning' : undefined;
    if (files.length === 0) return [finding('file.missing', {}, predicts, 'file', severity)];
    return [finding('file.multiple', { count: files.length, fields: files.map((f) => f.name) }, predicts, files[1]?.name, severity)];
  },
};
