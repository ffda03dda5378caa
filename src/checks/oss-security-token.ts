// OSS: a temporary (STS) AccessKeyId starts with "STS." and needs x-oss-security-token.
import type { Check } from '../check/types.js';
import { maskValue } from '../core/mask.js';
import { predictFirst } from './shared.js';
import { accessKeyId } from './oss-common.js';

export const ossSecurityToken: Check = {
  id: 'oss.security-token',
  providers: ['oss'],
  emits: ['oss.security-token-missing'],
  run(ctx) {
    const ak = accessKeyId(ctx.form);
    if (!ak?.value.startsWith('STS.')) return [];
    const token = ctx.form.value('x-oss-security-token');
    if (token !== undefined && token.trim() !== '') return [];
    return [
      {
        id: 'oss.security-token-missing',
        facts: { accessKeyId: maskValue(ak.value), from: ak.field, empty: token !== undefined },
        predicts: predictFirst(['oss.post.invalid-access-key-id', 'oss.ec.sts-token-missing']),
        field: 'x-oss-security-token',
      },
    ];
  },
};
