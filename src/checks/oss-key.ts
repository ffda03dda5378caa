// OSS: the form field `key` (exact name) must be sent before the file; the object name is
// 1..1023 bytes of UTF-8 and does not start with "/" or "\".
import type { Check, CheckFinding } from '../check/types.js';
import { effectiveKey } from '../providers/form.js';
import { KEY_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { fieldBeforeFile, onlyAfterFile, predictFirst } from './shared.js';

const OSS_KEY_MAX_BYTES = KEY_MAX_BYTES.oss;

export const ossKey: Check = {
  id: 'oss.key',
  providers: ['oss'],
  emits: ['oss.key-missing', 'oss.key-invalid'],
  run(ctx) {
    const part = fieldBeforeFile(ctx.form, 'key', true);
    if (!part) {
      // "Key" instead of "key": oss.field-names reports it, with the same prediction
      if (ctx.form.all('key').some((p) => p.name !== 'key')) return [];
      return [
        {
          id: 'oss.key-missing',
          facts: { afterFile: onlyAfterFile(ctx.form, 'key', true) },
          predicts: predictFirst(['oss.post.key-missing']),
          field: 'key',
        },
      ];
    }
    const key = effectiveKey(part.value, ctx.form.file()?.filename ?? null);
    const bytes = utf8Length(key);
    const out: CheckFinding[] = [];
    const reason = bytes === 0 ? 'empty' : bytes > OSS_KEY_MAX_BYTES ? 'too-long' : /^[/\\]/.test(key) ? 'leading-slash' : null;
    if (reason) {
      out.push({
        id: 'oss.key-invalid',
        facts: { key, reason, bytes, limit: OSS_KEY_MAX_BYTES },
        predicts: predictFirst(['oss.code.invalid-object-name']),
        field: 'key',
      });
    }
    return out;
  },
};
