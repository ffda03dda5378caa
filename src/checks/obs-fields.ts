// OBS: `key` and the signing fields of the form's scheme (OBS form: AccessKeyId, policy,
// signature; S3-compatible: Amazon's V2 or V4 fields) before the file. OBS's wording for a
// missing field is not documented: no answer is predicted.
import type { Check, CheckFinding } from '../check/types.js';
import { SCHEMES, schemeFor, signingFields } from '../providers/schemes/index.js';
import { fieldBeforeFile } from './shared.js';

export const obsFields: Check = {
  id: 'obs.fields',
  providers: ['obs'],
  emits: ['obs.field-missing'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const id = schemeFor('obs', ctx.form) ?? 'obs-native';
    const s = SCHEMES[id];
    // the `token` field (AccessKeyId:signature:policy) stands for the three it joins
    const token = fieldBeforeFile(ctx.form, 'token');
    const joined = token ? new Set([s.fields.accessKeyId, s.fields.signature, s.fields.policy].map((n) => n?.toLowerCase())) : new Set<string | undefined>();
    for (const field of ['key', ...signingFields(s)]) {
      if (joined.has(field.toLowerCase()) || fieldBeforeFile(ctx.form, field)) continue;
      out.push({ id: 'obs.field-missing', facts: { field, scheme: s.name, afterFile: ctx.form.get(field) !== undefined }, predicts: null, field });
    }
    return out;
  },
};
