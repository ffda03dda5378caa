// OSS: success_action_status 200, 201 or 204 (204 otherwise); ignored when
// success_action_redirect is sent.
import type { Check } from '../check/types.js';
import { SUCCESS_STATUSES } from './cos-success-action.js';

export const ossSuccessAction: Check = {
  id: 'oss.success-action',
  providers: ['oss'],
  emits: ['oss.success-action-status-invalid'],
  run(ctx) {
    const status = ctx.form.value('success_action_status');
    if (status === undefined || SUCCESS_STATUSES.includes(status.trim())) return [];
    const redirect = ctx.form.value('success_action_redirect');
    if (redirect !== undefined && redirect !== '') return [];
    return [
      {
        id: 'oss.success-action-status-invalid',
        facts: { value: status, allowed: SUCCESS_STATUSES, fallback: '204' },
        predicts: null,
        field: 'success_action_status',
      },
    ];
  },
};
