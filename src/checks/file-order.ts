// The file part must be the last part: COS and OSS refuse fields after it, S3 and GCS
// ignore them (so conditions and signatures placed there are never seen).
import { PROVIDER_IDS } from '../core/types.js';
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';

export const fileOrder: Check = {
  id: 'file.order',
  providers: PROVIDER_IDS,
  emits: ['file.not-last', 'file.fields-ignored'],
  run(ctx) {
    const i = ctx.form.firstFileIndex();
    if (i < 0) return [];
    const after = ctx.req.parts
      .slice(i + 1)
      .filter((p) => p.kind === 'field')
      .map((p) => p.name);
    if (after.length === 0) return [];
    const facts = { fields: after, count: after.length, file: ctx.req.parts[i]?.name ?? 'file' };
    if (ctx.provider === 'cos' || ctx.provider === 'oss') return [finding('file.not-last', facts, null, after[0])];
    return [finding('file.fields-ignored', facts, null, after[0])];
  },
};
