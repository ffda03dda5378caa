// S3: every eq / starts-with condition of the policy against what the server sees.
// AWS: eq is exact, starts-with a prefix; starts-with "" accepts any value but the field must be
// sent; a comma-separated Content-Type is a list whose every item must match; `${filename}` in
// key is replaced by the file's name first; success_action_status takes exact matches only;
// `bucket` is the bucket the URL addresses. A condition on a field the form does not send (or
// sends only after the file) fails. RGW compares whole values and treats an absent field in an
// array condition as the empty string; an absent field of an object condition is "Policy check
// failed, variable not found: <field>". MinIO (s3-minio.ts) compares only the fields it knows
// and the x-amz-* ones, as whole values, an absent field as "", and refuses a field sent twice.
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { header } from '../core/fields.js';
import { conditionText, fieldValue, matchConditions, predictFirst } from './shared.js';
import { accessKeyId, awsSatisfies, conditionPrediction, contentTypeItems, isSimple, isTemporaryKey, rgwSatisfies } from './s3-common.js';
import { goCanonical, minioConditionKind, minioConditionPrediction, minioConditionValue, minioExactOnly, minioForm, minioSatisfies } from './s3-minio.js';

/**
 * MinIO: cmd/postpolicyform.go checkPostPolicy, condition by condition in the policy's order,
 * against the form values of cmd/bucket-handlers.go PostPolicyBucketHandler (`Bucket` from the
 * URL, `Key` after `${filename}`). Conditions on fields outside startsWithConds and x-amz-* are
 * never compared; an absent field compares as "".
 */
function minioRun(ctx: CheckContext): CheckFinding[] {
  const out: CheckFinding[] = [];
  const mf = minioForm(ctx.form);
  const urlBucket = ctx.endpoint?.bucket ?? null;
  for (const c of matchConditions(ctx.policy)) {
    const name = goCanonical(c.field.toLowerCase());
    const sent = mf.values.get(name) ?? [];
    const base = { field: c.field, operator: c.type, expected: c.value, condition: conditionText(c) };
    const predicts = minioConditionPrediction(c, mf);
    const field = sent[0]?.part.name ?? c.field;
    // "Multiple values are not allowed for a single form field", whatever the condition
    if (sent.length >= 2) {
      out.push({ id: 's3.condition-failed', facts: { ...base, value: sent.map((v) => v.value ?? '').join(', ') }, predicts, field });
      continue;
    }
    if (minioConditionKind(c) === 'unchecked') continue;
    const value = minioConditionValue(mf, c, urlBucket);
    if (value === null) continue; // the URL names no bucket, or the field is a file part's content
    if (minioExactOnly(c)) {
      out.push({ id: 's3.condition-exact-only', facts: { ...base, value }, predicts, field: name === 'Bucket' ? 'policy' : field });
      continue;
    }
    if (minioSatisfies(c, value)) continue;
    if (name === 'Bucket') {
      out.push({ id: 's3.bucket-condition-failed', facts: { ...base, value, host: ctx.endpoint?.host ?? null }, predicts, field: 'policy' });
    } else if (sent.length === 0) {
      if (name === 'Key') continue; // s3.signature-fields reports the missing key (MinIO answers it first)
      const afterFile = ctx.form.get(c.field) !== undefined;
      if (name === 'Content-Type') {
        const requestType = header(ctx.req, 'content-type') ?? null;
        const facts = {
          ...base,
          afterFile,
          fileContentType: ctx.form.file()?.contentType ?? null,
          requestContentType: requestType,
          headerNotMultipart: requestType !== null && !/^\s*multipart\/form-data/i.test(requestType),
        };
        out.push({ id: 's3.content-type-not-field', facts, predicts, field: c.field });
      } else {
        out.push({ id: 's3.condition-field-missing', facts: { ...base, afterFile }, predicts, field: c.field });
      }
    } else if (name === 'Key' && sent[0]?.value !== value) {
      out.push({ id: 's3.key-filename-condition', facts: { ...base, value, sent: sent[0]?.value ?? '', fileName: mf.fileName }, predicts, field });
    } else {
      out.push({ id: 's3.condition-failed', facts: { ...base, value }, predicts, field });
    }
  }
  return out;
}

export const s3Conditions: Check = {
  id: 's3.conditions',
  providers: ['s3'],
  emits: [
    's3.content-type-not-field',
    's3.condition-field-missing',
    's3.condition-exact-only',
    's3.key-filename-condition',
    's3.content-type-list-failed',
    's3.bucket-condition-failed',
    's3.condition-failed',
  ],
  run(ctx) {
    if (ctx.server === 'minio') return minioRun(ctx);
    const out: CheckFinding[] = [];
    const rgw = ctx.server === 'rgw';
    const satisfies = rgw ? rgwSatisfies : awsSatisfies;
    const akid = accessKeyId(ctx.form)?.value ?? '';
    for (const c of matchConditions(ctx.policy)) {
      const lower = c.field.toLowerCase();
      const fv = fieldValue(ctx, c.field);
      if (fv.source === 'unknown') continue; // the bucket cannot be told from the request
      const base = { field: c.field, operator: c.type, expected: c.value, condition: conditionText(c) };

      if (fv.value === null) {
        if (lower === 'key') continue; // s3.signature-fields reports the missing key
        if (lower === 'x-amz-security-token' && isTemporaryKey(akid)) continue; // s3.credential reports it
        // RGW compares an absent field of an array condition as ""
        if (rgw && !isSimple(c) && satisfies(c, '')) continue;
        const predicts = rgw && isSimple(c) ? predictFirst(['rgw.post.condition-field-not-found'], { field: c.field }) : conditionPrediction(c, ctx.server, false);
        if (lower === 'content-type') {
          const requestType = header(ctx.req, 'content-type') ?? null;
          out.push({
            id: 's3.content-type-not-field',
            facts: {
              ...base,
              afterFile: fv.afterFile,
              fileContentType: ctx.form.file()?.contentType ?? null,
              requestContentType: requestType,
              headerNotMultipart: requestType !== null && !/^\s*multipart\/form-data/i.test(requestType),
            },
            predicts,
            field: c.field,
          });
        } else {
          out.push({ id: 's3.condition-field-missing', facts: { ...base, afterFile: fv.afterFile }, predicts, field: c.field });
        }
        continue;
      }

      const value = fv.value;
      const field = fv.part?.name ?? c.field;
      if (!rgw && lower === 'success_action_status' && c.type === 'starts-with') {
        out.push({ id: 's3.condition-exact-only', facts: { ...base, value }, predicts: conditionPrediction(c, ctx.server, true), field });
        continue;
      }
      if (satisfies(c, value)) continue;
      const predicts = conditionPrediction(c, ctx.server, true);
      if (lower === 'key' && fv.sent !== undefined && fv.sent !== value) {
        out.push({
          id: 's3.key-filename-condition',
          facts: { ...base, value, sent: fv.sent, fileName: ctx.form.file()?.filename ?? null },
          predicts,
          field,
        });
      } else if (!rgw && lower === 'content-type' && value.includes(',')) {
        const failing = contentTypeItems(value).filter((v) => (c.type === 'eq' ? v !== c.value : !v.startsWith(c.value)));
        out.push({ id: 's3.content-type-list-failed', facts: { ...base, value, failing }, predicts, field });
      } else if (fv.source === 'endpoint') {
        out.push({ id: 's3.bucket-condition-failed', facts: { ...base, value, host: ctx.endpoint?.host ?? null }, predicts, field: 'policy' });
      } else {
        out.push({ id: 's3.condition-failed', facts: { ...base, value }, predicts, field });
      }
    }
    return out;
  },
};
