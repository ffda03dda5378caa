// OSS: only the file may exceed 4 KB. A larger form field is FieldItemTooLong. The handbook
// gives no number for the whole of the fields before the file
// (MaxPOSTPreDataLengthExceededError), so a large total is only a warning.
import type { Check, CheckFinding } from '../check/types.js';
import { FIELD_MAX_BYTES, PRE_DATA_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { predictFirst } from './shared.js';

const OSS_FIELD_MAX_BYTES = FIELD_MAX_BYTES.oss as number;
/** Not an OSS number: the pre-file limit S3 documents, used as a point of comparison. */
const OSS_PRE_DATA_WARN_BYTES = PRE_DATA_MAX_BYTES;

export const ossFieldSize: Check = {
  id: 'oss.field-size',
  providers: ['oss'],
  emits: ['oss.field-too-long', 'oss.pre-data-large'],
  run(ctx) {
    const out: CheckFinding[] = [];
    for (const p of ctx.form.fields()) {
      const bytes = utf8Length(p.value);
      if (bytes > OSS_FIELD_MAX_BYTES) {
        out.push({
          id: 'oss.field-too-long',
          facts: { field: p.name, bytes, limit: OSS_FIELD_MAX_BYTES },
          predicts: predictFirst(['oss.code.field-item-too-long']),
          field: p.name,
        });
      }
    }
    const total = ctx.form.fieldsBeforeFile().reduce((n, p) => n + utf8Length(p.name) + utf8Length(p.value), 0);
    if (total > OSS_PRE_DATA_WARN_BYTES) {
      out.push({
        id: 'oss.pre-data-large',
        facts: { bytes: total, threshold: OSS_PRE_DATA_WARN_BYTES, fields: ctx.form.fieldsBeforeFile().length },
        predicts: null,
      });
    }
    return out;
  },
};
