// TOS: `key`, `policy` and the four signing fields before the file, and x-tos-algorithm's value
// (TOS4-HMAC-SHA256 only, EC 0002-00000030). A form without `policy` is an anonymous upload,
// which only a public-write bucket takes: reported like any other missing field.
import type { Check, CheckFinding } from '../check/types.js';
import { SCHEMES, signingFields } from '../providers/schemes/index.js';
import { TOS_ALGORITHM } from '../providers/schemes/tos.js';
import { fieldBeforeFile, predictFirst } from './shared.js';

export const tosFields: Check = {
  id: 'tos.fields',
  providers: ['tos'],
  emits: ['tos.field-missing', 'tos.algorithm-invalid'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const s = SCHEMES['tos-v4'];
    for (const field of ['key', ...signingFields(s)]) {
      if (fieldBeforeFile(ctx.form, field)) continue;
      out.push({ id: 'tos.field-missing', facts: { field, afterFile: ctx.form.get(field) !== undefined }, predicts: null, field });
    }
    const alg = fieldBeforeFile(ctx.form, s.fields.algorithm as string);
    if (alg && alg.value !== TOS_ALGORITHM) {
      out.push({ id: 'tos.algorithm-invalid', facts: { value: alg.value }, predicts: predictFirst(['tos.post.algorithm-invalid']), field: alg.name });
    }
    return out;
  },
};
