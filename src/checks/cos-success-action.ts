// COS: success_action_status must be 200, 201 or 204 (otherwise COS answers 204);
// success_action_redirect turns a success into "303 Redirect" (and wins over the status).
import type { Check } from '../check/types.js';
import type { Finding } from '../core/types.js';

export const SUCCESS_STATUSES = ['200', '201', '204'];

export const cosSuccessAction: Check = {
  id: 'cos.success-action',
  providers: ['cos'],
  run(ctx) {
    const out: Finding[] = [];
    const status = ctx.form.value('success_action_status');
    const redirect = ctx.form.value('success_action_redirect');
    if (redirect !== undefined && redirect !== '') {
      out.push({
        id: 'cos.success-action-redirect',
        severity: 'info',
        facts: { url: redirect, statusIgnored: status ?? null },
        predicts: null,
        field: 'success_action_redirect',
      });
      return out;
    }
    if (status !== undefined && !SUCCESS_STATUSES.includes(status.trim())) {
      out.push({
        id: 'cos.success-action-status-invalid',
        severity: 'warning',
        facts: { value: status, allowed: SUCCESS_STATUSES, fallback: '204' },
        predicts: null,
        field: 'success_action_status',
      });
    }
    return out;
  },
};
