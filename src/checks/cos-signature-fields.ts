// COS: the five signature fields must be sent, non-empty, and before the file part.
import type { Check, CheckFinding } from '../check/types.js';
import { SCHEMES, signingFields } from '../providers/schemes/index.js';

/** policy, q-sign-algorithm, q-ak, q-key-time, q-signature. */
const COS_SIGNATURE_FIELDS = signingFields(SCHEMES['cos-sha1']);

export const cosSignatureFields: Check = {
  id: 'cos.signature-fields',
  providers: ['cos'],
  emits: ['cos.signature-field-missing', 'cos.signature-field-after-file', 'cos.signature-field-empty'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const fileIndex = ctx.form.firstFileIndex();
    for (const field of COS_SIGNATURE_FIELDS) {
      const index = ctx.form.indexOf(field);
      if (index < 0) {
        out.push({ id: 'cos.signature-field-missing', facts: { field }, predicts: null, field });
        continue;
      }
      const part = ctx.form.get(field);
      if (fileIndex >= 0 && index > fileIndex) {
        out.push({
          id: 'cos.signature-field-after-file',
          facts: { field, position: index + 1, filePosition: fileIndex + 1 },
          predicts: null,
          field,
        });
        continue;
      }
      if (part && part.value.trim() === '') {
        out.push({ id: 'cos.signature-field-empty', facts: { field }, predicts: null, field });
      }
    }
    return out;
  },
};
