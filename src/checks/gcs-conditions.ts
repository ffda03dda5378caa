// GCS: every eq / starts-with condition against the form (names case-insensitive, values
// exact; `${filename}` in key replaced by the file's name; `bucket` is the bucket the URL
// addresses), and a `bucket` form field that names another bucket than the URL. A failed
// condition is InvalidPolicyDocument.
import type { Check, CheckFinding } from '../check/types.js';
import { conditionText, fieldBeforeFile, fieldValue, matchConditions, predictFirst, satisfies } from './shared.js';

export const gcsConditions: Check = {
  id: 'gcs.conditions',
  providers: ['gcs'],
  emits: ['gcs.bucket-mismatch', 'gcs.condition-field-missing', 'gcs.condition-failed'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const predicts = () => predictFirst(['gcs.post.invalid-policy-document']);
    const urlBucket = ctx.endpoint?.bucket ?? null;
    const bucketField = fieldBeforeFile(ctx.form, 'bucket');
    if (urlBucket !== null && bucketField && bucketField.value !== urlBucket) {
      out.push({ id: 'gcs.bucket-mismatch', facts: { bucket: urlBucket, expected: bucketField.value, source: 'field' }, predicts: null, field: bucketField.name });
    }
    for (const c of matchConditions(ctx.policy)) {
      const lower = c.field.toLowerCase();
      const fv = fieldValue(ctx, c.field);
      if (fv.source === 'unknown') continue;
      const base = { field: c.field, operator: c.type, expected: c.value, condition: conditionText(c) };
      if (fv.value === null) {
        if (lower === 'key') continue; // gcs.fields reports the missing key
        out.push({ id: 'gcs.condition-field-missing', facts: { ...base, afterFile: fv.afterFile }, predicts: predicts(), field: c.field });
        continue;
      }
      if (satisfies(c, fv.value)) continue;
      if (fv.source === 'endpoint') {
        out.push({ id: 'gcs.bucket-mismatch', facts: { bucket: fv.value, expected: c.value, source: 'condition' }, predicts: predicts(), field: 'policy' });
        continue;
      }
      out.push({
        id: 'gcs.condition-failed',
        facts: { ...base, value: fv.value, sent: fv.sent ?? fv.value },
        predicts: predicts(),
        field: fv.part?.name ?? c.field,
      });
    }
    return out;
  },
};
