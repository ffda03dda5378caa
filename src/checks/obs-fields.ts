// OBS: `key` and the signing fields of the form's scheme (OBS form: AccessKeyId, policy,
// signature; S3-compatible: Amazon's V2 or V4 fields) before the file. OBS's wording for a
// missing field is not documented: no answer is predicted.
import type { Check, CheckFinding } from '../check/types.js';
import type { FormView } from '../core/fields.js';
import { detectScheme, SCHEMES, signingFields, type SchemeId } from '../providers/schemes/index.js';
import { fieldBeforeFile } from './shared.js';

/**
 * The form's scheme: the one its signing fields mark; a form that marks none (its access key
 * field left out) is an S3-compatible V2 one when it sends Amazon's x-amz-* fields (the native
 * form's are x-obs-*), else a native one.
 */
function obsScheme(form: FormView): SchemeId {
  const marked = detectScheme('obs', form);
  if (marked) return marked;
  return form.fieldsBeforeFile().some((p) => p.name.toLowerCase().startsWith('x-amz-')) ? 'obs-s3-v2' : 'obs-native';
}

export const obsFields: Check = {
  id: 'obs.fields',
  providers: ['obs'],
  emits: ['obs.field-missing', 'obs.access-key-spelling'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const id = obsScheme(ctx.form);
    const s = SCHEMES[id];
    // (a whole `token` field has already been read as the three it stands for: the adapter's expandForm)
    for (const field of ['key', ...signingFields(s)]) {
      if (fieldBeforeFile(ctx.form, field)) continue;
      // a spelling some samples use: whether OBS reads it is not documented, so not a missing field
      const other = field === 'AccessKeyId' ? fieldBeforeFile(ctx.form, 'ObsAccessKeyId') : undefined;
      if (other) {
        out.push({ id: 'obs.access-key-spelling', facts: { field: other.name }, predicts: null, field: other.name });
        continue;
      }
      out.push({ id: 'obs.field-missing', facts: { field, scheme: s.name, afterFile: ctx.form.get(field) !== undefined }, predicts: null, field });
    }
    return out;
  },
};
