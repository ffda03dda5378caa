// COS: x-cos-traffic-limit is an integer number of bit/s in 819200..838860800.
import type { Check } from '../check/types.js';
import { predictFirst } from './shared.js';

export const TRAFFIC_LIMIT_MIN = 819200;
export const TRAFFIC_LIMIT_MAX = 838860800;

export const cosTrafficLimit: Check = {
  id: 'cos.traffic-limit',
  providers: ['cos'],
  emits: ['cos.traffic-limit-invalid'],
  run(ctx) {
    const value = ctx.form.value('x-cos-traffic-limit');
    if (value === undefined) return [];
    const integer = /^\d+$/.test(value.trim());
    const n = integer ? Number(value.trim()) : NaN;
    if (integer && n >= TRAFFIC_LIMIT_MIN && n <= TRAFFIC_LIMIT_MAX) return [];
    return [
      {
        id: 'cos.traffic-limit-invalid',
        facts: { value, integer, min: TRAFFIC_LIMIT_MIN, max: TRAFFIC_LIMIT_MAX },
        predicts: predictFirst(['cos.code.invalid-argument']),
        field: 'x-cos-traffic-limit',
      },
    ];
  },
};
