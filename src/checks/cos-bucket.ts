// COS: the bucket the request addresses (host "<bucket>-<appid>.cos.<region>.myqcloud.com")
// must satisfy the policy's bucket condition.
import type { Check, CheckFinding } from '../check/types.js';
import { conditionsOn, predictFirst, satisfies } from './shared.js';

const APPID = /^(.+)-(\d{5,})$/;

export const cosBucket: Check = {
  id: 'cos.bucket',
  providers: ['cos'],
  emits: ['cos.bucket-mismatch'],
  run(ctx) {
    const conds = conditionsOn(ctx.policy, 'bucket');
    if (conds.length === 0) return [];
    const hostBucket = ctx.endpoint?.bucket ?? null;
    const formBucket = ctx.form.value('bucket') ?? null;
    const bucket = hostBucket ?? formBucket;
    if (!bucket) return [];
    const source = hostBucket ? 'host' : 'form';
    const out: CheckFinding[] = [];
    for (const c of conds) {
      if (satisfies(c, bucket)) continue;
      const b = APPID.exec(bucket);
      const p = APPID.exec(c.value);
      out.push({
        id: 'cos.bucket-mismatch',
        facts: {
          bucket,
          source,
          host: ctx.endpoint?.host ?? null,
          policyBucket: c.value,
          operator: c.type,
          // "examplebucket" in the policy for host bucket "examplebucket-1250000000"
          missingAppid: !p && b !== null && b[1] === c.value,
          // same name, another APPID
          appidDiffers: b !== null && p !== null && b[1] === p[1] && b[2] !== p[2],
        },
        predicts: predictFirst(['cos.post.bucket-mismatch'], { value: bucket }),
      });
    }
    return out;
  },
};
