// Problems with the multipart framing, as the input parser saw them: the server refuses
// such a body before reading any field.
import type { Check } from '../check/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';

export const bodyProblems: Check = {
  id: 'body.problems',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    return ctx.req.bodyProblems.map((p) => {
      const key = p.kind === 'no-content-type' || p.kind === 'not-multipart' ? 'body.not-multipart' : p.kind === 'missing-boundary' ? 'body.missing-boundary' : 'body.malformed';
      return finding(`body.${p.kind}`, 'error', { offset: p.offset ?? '?', detail: p.detail ?? '' }, predict(key, ctx));
    });
  },
};
