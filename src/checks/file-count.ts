// Exactly one file part.
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';

export const fileCount: Check = {
  id: 'file.count',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    const files = ctx.form.files();
    if (files.length === 1) return [];
    if (files.length === 0) return [finding('file.missing', 'error', {}, predict('file.count', ctx), 'file')];
    return [finding('file.multiple', 'error', { count: files.length, fields: files.map((f) => f.name) }, predict('file.count', ctx), files[1]?.name)];
  },
};
