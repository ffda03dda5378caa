// OSS V1: OSSAccessKeyId, policy and Signature go together: all three or none (a
// public-read-write bucket takes none). Names are exact; a wrong-case name is reported
// by oss.field-names, so it is not reported again here as missing.
import type { Check, CheckFinding } from '../check/types.js';
import { fieldBeforeFile, onlyAfterFile } from './shared.js';
import { isV4, OSS_V1_FIELDS, predictEc } from './oss-common.js';

/** EC codes the handbook's PostObject table gives for a missing or empty field. */
const MISSING_EC: Record<string, string> = { OSSAccessKeyId: '0002-00000706', policy: '0002-00000702', Signature: '0002-00000703' };
const EMPTY_EC: Record<string, string> = { OSSAccessKeyId: '0002-00000707', Signature: '0002-00000704' };

export const ossSignatureFields: Check = {
  id: 'oss.signature-fields',
  providers: ['oss'],
  emits: ['oss.signature-field-missing', 'oss.signature-field-empty'],
  run(ctx) {
    if (isV4(ctx.form)) return []; // oss.v4-fields
    const present = OSS_V1_FIELDS.filter((f) => ctx.form.get(f) !== undefined);
    if (present.length === 0) return [];
    const out: CheckFinding[] = [];
    for (const field of OSS_V1_FIELDS) {
      const part = fieldBeforeFile(ctx.form, field, true);
      if (!part) {
        const otherCase = ctx.form.all(field).some((p) => p.name !== field);
        if (otherCase) continue; // oss.field-names reports the name
        const ec = MISSING_EC[field] as string;
        out.push({
          id: 'oss.signature-field-missing',
          facts: { field, present: present.filter((f) => f !== field), afterFile: onlyAfterFile(ctx.form, field, true), ec },
          predicts: predictEc(ec),
          field,
        });
        continue;
      }
      if (part.value.trim() === '') {
        const ec = EMPTY_EC[field] ?? null;
        out.push({
          id: 'oss.signature-field-empty',
          facts: { field, ec },
          predicts: predictEc(ec),
          field,
        });
      }
    }
    return out;
  },
};
