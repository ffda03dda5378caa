// COS: success_action_status must be 200, 201 or 204 (otherwise COS answers 204);
// success_action_redirect turns a success into "303 Redirect" (and wins over the status).
import type { Check, CheckFinding } from '../check/types.js';

export const SUCCESS_STATUSES = ['200', '201', '204'];

export const cosSuccessAction: Check = {
  id: 'cos.success-action',
  providers: ['cos'],
  emits: ['cos.success-action-redirect', 'cos.success-action-status-invalid'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const status = ctx.form.value('success_action_status');
    const redirect = ctx.form.value('success_action_redirect');
    if (redirect !== undefined && redirect !== '') {
      out.push({
        id: 'cos.success-action-redirect',
        facts: { url: redirect, statusIgnored: status ?? null },
        predicts: null,
        field: 'success_action_redirect',
      });
      return out;
    }
    if (status !== undefined && !SUCCESS_STATUSES.includes(status.trim())) {
      out.push({
        id: 'cos.success-action-status-invalid',
        facts: { value: status, allowed: SUCCESS_STATUSES, fallback: '204' },
        predicts: null,
        field: 'success_action_status',
      });
    }
    return out;
  },
};
