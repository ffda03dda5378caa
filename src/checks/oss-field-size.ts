// OSS: only the file may exceed 4 KB. A larger form field is FieldItemTooLong. The handbook
// gives no number for the whole of the fields before the file
// (MaxPOSTPreDataLengthExceededError), so a large total is only a warning.
import type { Check } from '../check/types.js';
import type { Finding } from '../core/types.js';
import { predictFirst, utf8Length } from './cos-common.js';

export const OSS_FIELD_MAX_BYTES = 4096;
/** Not an OSS number: the pre-file limit S3 documents, used as a point of comparison. */
export const OSS_PRE_DATA_WARN_BYTES = 20 * 1024;

export const ossFieldSize: Check = {
  id: 'oss.field-size',
  providers: ['oss'],
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.form.fields()) {
      const bytes = utf8Length(p.value);
      if (bytes > OSS_FIELD_MAX_BYTES) {
        out.push({
          id: 'oss.field-too-long',
          severity: 'error',
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
        severity: 'warning',
        facts: { bytes: total, threshold: OSS_PRE_DATA_WARN_BYTES, fields: ctx.form.fieldsBeforeFile().length },
        predicts: null,
      });
    }
    return out;
  },
};
