// S3: AWS limits the form fields before the file to 20 KB ("Your POST request fields
// preceeding the upload file was too large."); Ceph RGW and MinIO do not. Counted here as the bytes of the field names
// and values (the multipart framing adds a little more, so a form close to the limit is warned).
import type { Check } from '../check/types.js';
import { PRE_DATA_MAX_BYTES, utf8Length } from '../providers/limits.js';
import { predictFirst } from './shared.js';

const PRE_DATA_LIMIT = PRE_DATA_MAX_BYTES;
/** Framing per part ("--boundary", Content-Disposition line, blank lines): roughly. */
const FRAMING_PER_FIELD = 100;

export const s3PreData: Check = {
  id: 's3.pre-data',
  providers: ['s3'],
  emits: ['s3.pre-data-too-large', 's3.pre-data-near-limit'],
  run(ctx) {
    if (ctx.server === 'rgw') return []; // RGW has no such limit of its own
    // MinIO neither: cmd/bucket-handlers.go PostPolicyBucketHandler limits each value to
    // maxFormFieldSize (1 MiB, cmd/globals.go), the input parser's own limit, and a form to 1000 parts
    if (ctx.server === 'minio') return [];
    const fields = ctx.form.fieldsBeforeFile();
    let total = 0;
    let largest = { name: '', bytes: 0 };
    for (const p of fields) {
      const n = utf8Length(p.name) + utf8Length(p.value);
      total += n;
      if (n > largest.bytes) largest = { name: p.name, bytes: n };
    }
    const facts = { bytes: total, limit: PRE_DATA_LIMIT, count: fields.length, largestField: largest.name, largestBytes: largest.bytes };
    if (total > PRE_DATA_LIMIT) {
      return [{ id: 's3.pre-data-too-large', facts, predicts: predictFirst(['s3.post.pre-data-too-large']), field: largest.name }];
    }
    const withFraming = total + fields.length * FRAMING_PER_FIELD;
    if (withFraming > PRE_DATA_LIMIT) {
      return [{ id: 's3.pre-data-near-limit', facts: { ...facts, withFraming }, predicts: null, field: largest.name }];
    }
    return [];
  },
};
