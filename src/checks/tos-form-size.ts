// TOS: the form data before the file, multipart framing and boundaries included, must stay within
// 20 KB (EC 0017-00000419). Counted as each field part is framed: "--boundary", its
// Content-Disposition line, a blank line, the value and its line break.
import type { Check } from '../check/types.js';
import { header } from '../core/fields.js';
import { PRE_DATA_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { predictFirst } from './shared.js';

export const tosFormSize: Check = {
  id: 'tos.form-size',
  providers: ['tos'],
  emits: ['tos.form-too-large'],
  run(ctx) {
    const boundary = /boundary="?([^";]+)"?/i.exec(header(ctx.req, 'content-type') ?? '')?.[1] ?? '-'.repeat(40);
    let size = 0;
    let largest = { name: '', bytes: -1 };
    for (const p of ctx.form.fieldsBeforeFile()) {
      const value = utf8Length(p.value);
      size += 2 + utf8Length(boundary) + 2 + utf8Length(`Content-Disposition: form-data; name="${p.name}"`) + 4 + value + 2;
      if (value > largest.bytes) largest = { name: p.name, bytes: value };
    }
    if (size <= PRE_DATA_MAX_BYTES) return [];
    return [{ id: 'tos.form-too-large', facts: { size, limit: PRE_DATA_MAX_BYTES, largest: largest.name }, predicts: predictFirst(['tos.post.form-too-large']), field: largest.name }];
  },
};
