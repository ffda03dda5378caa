// OSS: form field names are case-sensitive (handbook, PostObject form field format). A field
// sent under another case of a documented name is not the documented field.
import type { Check, CheckFinding } from '../check/types.js';
import type { Prediction } from '../core/types.js';
import { predictFirst } from './shared.js';
import { predictEc } from './oss-common.js';

/** Documented names, with what the server answers when the field is effectively absent. */
const DOCUMENTED: ReadonlyArray<{ name: string; severity: 'error' | 'warning'; predicts?: () => Prediction | null }> = [
  { name: 'key', severity: 'error', predicts: () => predictFirst(['oss.post.key-missing']) },
  { name: 'policy', severity: 'error', predicts: () => predictEc('0002-00000702') },
  { name: 'OSSAccessKeyId', severity: 'error', predicts: () => predictEc('0002-00000706') },
  // documented as case-sensitive here, as case-insensitive elsewhere: a warning
  { name: 'Signature', severity: 'warning' },
  { name: 'file', severity: 'error' },
  { name: 'success_action_status', severity: 'warning' },
  { name: 'success_action_redirect', severity: 'warning' },
  { name: 'x-oss-security-token', severity: 'error', predicts: () => predictFirst(['oss.post.invalid-access-key-id']) },
  { name: 'callback', severity: 'warning' },
  { name: 'x-oss-signature-version', severity: 'error' },
  { name: 'x-oss-credential', severity: 'error' },
  { name: 'x-oss-date', severity: 'error' },
  { name: 'x-oss-signature', severity: 'error' },
  { name: 'Content-Disposition', severity: 'warning' },
  { name: 'Content-Type', severity: 'warning' },
  { name: 'Cache-Control', severity: 'warning' },
  { name: 'Content-Encoding', severity: 'warning' },
  { name: 'Expires', severity: 'warning' },
];

export const ossFieldNames: Check = {
  id: 'oss.field-names',
  providers: ['oss'],
  emits: ['oss.field-name-case'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const names = ctx.form.parts.map((p) => p.name);
    for (const doc of DOCUMENTED) {
      if (names.includes(doc.name)) continue;
      const found = names.find((n) => n.toLowerCase() === doc.name.toLowerCase());
      if (found === undefined) continue;
      out.push({
        id: 'oss.field-name-case',
        severity: doc.severity,
        facts: { found, expected: doc.name },
        predicts: doc.predicts ? doc.predicts() : null,
        field: found,
      });
    }
    return out;
  },
};
