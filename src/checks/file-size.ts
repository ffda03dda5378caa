// The file's size against the policy's content-length-range (inclusive) and the
// provider's single-request object size limit.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckFinding } from '../check/types.js';
import type { ProviderId } from '../core/types.js';
import { finding } from '../check/findings.js';
import { predict } from '../check/predict.js';

const GiB = 1024 ** 3;
/** Largest object one POST can upload. */
export const POST_SIZE_LIMIT: Partial<Record<ProviderId, number>> = { cos: 5 * GiB, oss: 5 * GiB, s3: 5 * GiB, obs: 5 * GiB, tos: 5 * GiB };

/** MinIO's limit is its largest object (globalMaxObjectSize, cmd/utils.go): 5 TiB. */
const MINIO_MAX_OBJECT = 5 * 1024 * GiB;

export const fileSize: Check = {
  id: 'file.size',
  providers: PROVIDER_IDS,
  emits: ['file.size-unknown', 'file.too-large', 'file.too-small', 'file.over-provider-limit'],
  run(ctx) {
    const file = ctx.form.file();
    if (!file) return [];
    const out: CheckFinding[] = [];
    const ranges = (ctx.policy?.conditions ?? []).filter((c) => c.type === 'content-length-range');
    const size = file.size;
    if (size === null) {
      for (const r of ranges) out.push(finding('file.size-unknown', { min: r.min, max: r.max }, null, file.name));
      return out;
    }
    for (const r of ranges) {
      if (size > r.max) {
        out.push(finding('file.too-large', { size, min: r.min, max: r.max, overBy: size - r.max }, predict('file.too-large', ctx, { size, max: r.max }), file.name));
      } else if (size < r.min) {
        out.push(finding('file.too-small', { size, min: r.min, max: r.max, underBy: r.min - size }, predict('file.too-small', ctx, { size, min: r.min }), file.name));
      }
    }
    const limit = ctx.provider === 's3' && ctx.server === 'minio' ? MINIO_MAX_OBJECT : POST_SIZE_LIMIT[ctx.provider];
    if (limit !== undefined && size > limit) {
      out.push(finding('file.over-provider-limit', { size, limit, provider: ctx.provider }, predict('file.over-provider-limit', ctx, { size, max: limit }), file.name));
    }
    return out;
  },
};
