// S3: every form field before the file must be named by a policy condition ("Extra input
// fields: <name>" on AWS, "Policy missing condition: <name>" on RGW). Exempt: x-ignore-*,
// and the signature / policy / access-key fields (which ones: see s3-common.ts). The signing
// fields x-amz-algorithm, -credential, -date (and -security-token when sent) are not exempt.
// RGW also puts the URL's bucket into the policy environment, so its policy must name `bucket`.
// Fields after the file are never read (file.fields-ignored reports them).
// MinIO (cmd/postpolicyform.go checkPostPolicy) likewise adds the URL's bucket, reads the form up
// to the part named "file", and names every uncovered value at once in Go's canonical spelling;
// a policy without conditions (none, null or []) simply covers nothing.
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { isCovered, looksLikeSubmitButton, matchConditions } from './shared.js';
import { extraFieldPrediction, isExempt } from './s3-common.js';
import { minioForm, minioUncovered, minioUncoveredPrediction } from './s3-minio.js';

/** Signing fields the policy itself must name (lower-cased). */
const SIGNING = new Set(['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-security-token']);

/** MinIO: the form values checkPostPolicy leaves without a condition, one finding each, all named in the answer. */
function minioRun(ctx: CheckContext): CheckFinding[] {
  const policy = ctx.policy;
  const doc = policy?.document;
  if (!policy || !doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const conditions = (doc as { conditions?: unknown }).conditions;
  // conditions of another type: parsePostPolicyForm refuses the policy first (s3.policy-structure)
  if (conditions !== undefined && conditions !== null && !Array.isArray(conditions)) return [];
  const mf = minioForm(ctx.form);
  const uncovered = minioUncovered(mf, matchConditions(policy));
  if (uncovered.length === 0) return [];
  const predicts = minioUncoveredPrediction(uncovered);
  const out: CheckFinding[] = [];
  for (const name of uncovered) {
    if (name === 'Bucket') {
      out.push({ id: 's3.bucket-condition-missing', facts: { bucket: ctx.endpoint?.bucket ?? null }, predicts, field: 'policy' });
      continue;
    }
    const p = mf.values.get(name)?.[0]?.part;
    if (!p) continue;
    const lower = name.toLowerCase();
    const value = p.kind === 'field' ? p.value : '';
    if (SIGNING.has(lower)) out.push({ id: 's3.signing-condition-missing', facts: { field: p.name, name, value }, predicts, field: p.name });
    else if (p.kind === 'field' && looksLikeSubmitButton(p)) out.push({ id: 's3.submit-button-field', facts: { field: p.name, name, value }, predicts, field: p.name });
    else out.push({ id: 's3.extra-input-field', facts: { field: p.name, name }, predicts, field: p.name });
  }
  return out;
}

export const s3PolicyFields: Check = {
  id: 's3.policy-fields',
  providers: ['s3'],
  emits: ['s3.signing-condition-missing', 's3.submit-button-field', 's3.extra-input-field', 's3.bucket-condition-missing'],
  run(ctx) {
    if (ctx.server === 'minio') return minioRun(ctx);
    const policy = ctx.policy;
    const doc = policy?.document;
    // without a readable conditions list the policy checks report the policy itself
    if (!policy || !doc || typeof doc !== 'object' || !Array.isArray((doc as { conditions?: unknown }).conditions)) return [];
    const out: CheckFinding[] = [];
    const seen = new Set<string>();
    for (const p of ctx.form.fieldsBeforeFile()) {
      const lower = p.name.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      if (isExempt(p.name, ctx.server, ctx.form) || isCovered(policy, p.name)) continue;
      const predicts = extraFieldPrediction(p.name, ctx.server);
      if (SIGNING.has(lower)) {
        out.push({ id: 's3.signing-condition-missing', facts: { field: p.name, name: lower, value: p.value }, predicts, field: p.name });
      } else if (looksLikeSubmitButton(p)) {
        out.push({ id: 's3.submit-button-field', facts: { field: p.name, name: lower, value: p.value }, predicts, field: p.name });
      } else {
        out.push({ id: 's3.extra-input-field', facts: { field: p.name, name: lower }, predicts, field: p.name });
      }
    }
    if (ctx.server === 'rgw' && !seen.has('bucket') && !isCovered(policy, 'bucket')) {
      out.push({
        id: 's3.bucket-condition-missing',
        facts: { bucket: ctx.endpoint?.bucket ?? null },
        predicts: extraFieldPrediction('bucket', 'rgw'),
        field: 'policy',
      });
    }
    return out;
  },
};
