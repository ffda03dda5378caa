// COS: the object key is required, not empty, and at most 850 bytes (UTF-8) once
// `${filename}` is replaced by the uploaded file's name.
import type { Check, CheckFinding } from '../check/types.js';
import { effectiveKey, FILENAME_VARIABLE } from '../providers/form.js';
import { KEY_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { fieldBeforeFile, onlyAfterFile, predictFirst } from './shared.js';

const COS_KEY_MAX_BYTES = KEY_MAX_BYTES.cos;

export const cosKey: Check = {
  id: 'cos.key',
  providers: ['cos'],
  emits: ['cos.key-missing', 'cos.key-empty', 'cos.key-filename-unknown', 'cos.key-too-long'],
  run(ctx) {
    const part = fieldBeforeFile(ctx.form, 'key');
    if (!part) {
      return [{ id: 'cos.key-missing', facts: { afterFile: onlyAfterFile(ctx.form, 'key') }, predicts: null, field: 'key' }];
    }
    if (part.value === '') {
      return [{ id: 'cos.key-empty', facts: {}, predicts: null, field: 'key' }];
    }
    const out: CheckFinding[] = [];
    const filename = ctx.form.file()?.filename ?? null;
    if (part.value.includes(FILENAME_VARIABLE) && !filename) {
      out.push({ id: 'cos.key-filename-unknown', facts: { key: part.value }, predicts: null, field: 'key' });
    }
    const key = effectiveKey(part.value, filename);
    const bytes = utf8Length(key);
    if (bytes > COS_KEY_MAX_BYTES) {
      out.push({
        id: 'cos.key-too-long',
        facts: { bytes, limit: COS_KEY_MAX_BYTES, excess: bytes - COS_KEY_MAX_BYTES },
        predicts: predictFirst(['cos.code.key-too-long']),
        field: 'key',
      });
    }
    return out;
  },
};
