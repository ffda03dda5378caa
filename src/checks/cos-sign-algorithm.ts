// COS: q-sign-algorithm is fixed at "sha1" (exactly).
import type { Check } from '../check/types.js';
import { SCHEMES } from '../providers/schemes/index.js';

const COS = SCHEMES['cos-sha1'];
const FIELD = COS.fields.algorithm as string;
const ALGORITHM = COS.algorithm as string;

export const cosSignAlgorithm: Check = {
  id: 'cos.sign-algorithm',
  providers: ['cos'],
  emits: ['cos.sign-algorithm-invalid'],
  run(ctx) {
    const value = ctx.form.value(FIELD);
    if (value === undefined || value === ALGORITHM || value.trim() === '') return [];
    return [
      {
        id: 'cos.sign-algorithm-invalid',
        facts: { value, expected: ALGORITHM, caseOnly: value.trim().toLowerCase() === ALGORITHM },
        predicts: null,
        field: FIELD,
      },
    ];
  },
};
