// GCS: `key` and the signing fields before the file. GCS answers a form without `policy`
// InvalidPolicyDocument with the details "Missing policy"; the wording for the other fields
// is not recorded, so they predict nothing.
import type { Check, CheckFinding } from '../check/types.js';
import { GOOG4_ALGORITHMS, gcsFormScheme, requiredSigningFields } from './gcs-common.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { fieldBeforeFile, predictFirst } from './shared.js';

export const gcsFields: Check = {
  id: 'gcs.fields',
  providers: ['gcs'],
  emits: ['gcs.field-missing', 'gcs.algorithm-invalid'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const form = ctx.form;
    const scheme = gcsFormScheme(form);
    const required = ['key', ...(scheme ? requiredSigningFields(form, scheme) : [])];
    for (const field of required) {
      if (fieldBeforeFile(form, field)) continue;
      const isPolicy = field === 'policy';
      const facts: Record<string, unknown> = { field, scheme: scheme ?? 'anonymous', afterFile: form.get(field) !== undefined };
      if (isPolicy) facts.details = 'Missing policy';
      out.push({
        id: 'gcs.field-missing',
        facts,
        predicts: isPolicy ? predictFirst(['gcs.post.invalid-policy-document'], { details: 'Missing policy' }) : null,
        field,
      });
    }
    if (scheme === 'goog4' || scheme === 'amz4') {
      const s = SCHEMES[scheme === 'goog4' ? 'gcs-hmac' : 's3-v4'];
      const alg = fieldBeforeFile(form, s.fields.algorithm as string);
      const allowed: readonly string[] = scheme === 'goog4' ? GOOG4_ALGORITHMS : [s.algorithm as string];
      if (alg && !allowed.includes(alg.value)) {
        out.push({
          id: 'gcs.algorithm-invalid',
          facts: { value: alg.value, expected: [...allowed], caseOnly: allowed.includes(alg.value.trim().toUpperCase()) },
          predicts: null,
          field: alg.name,
        });
      }
    }
    return out;
  },
};
