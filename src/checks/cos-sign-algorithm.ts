// COS: q-sign-algorithm is fixed at "sha1" (exactly).
import type { Check } from '../check/types.js';

export const cosSignAlgorithm: Check = {
  id: 'cos.sign-algorithm',
  providers: ['cos'],
  run(ctx) {
    const value = ctx.form.value('q-sign-algorithm');
    if (value === undefined || value === 'sha1' || value.trim() === '') return [];
    return [
      {
        id: 'cos.sign-algorithm-invalid',
        severity: 'error',
        facts: { value, expected: 'sha1', caseOnly: value.trim().toLowerCase() === 'sha1' },
        predicts: null,
        field: 'q-sign-algorithm',
      },
    ];
  },
};
