// What the provider adapter found wrong with the endpoint URL (COS, OSS, S3 and S3-compatible
// servers, GCS), as findings. The adapter names each problem with a finding id
// (rules/findings/endpoint.yaml); this check adds severity, a few derived facts and the server's
// answer where the documents give one.
import type { Check, CheckContext } from '../check/types.js';
import type { Finding, Prediction, Severity } from '../core/types.js';
import { findingEntry, isFindingId } from '../core/catalogue.js';
import { parseV4Credential } from '../providers/schemes/sigv4.js';
import { predictFirst } from './shared.js';

type Facts = Record<string, unknown>;

interface Rule {
  /** The catalogue severity (the worst case). */
  severity: Severity;
  /** This occurrence's severity, when the facts show the worst case does not apply. */
  severityFor?: (ctx: CheckContext, facts: Facts) => Severity;
  /** Facts derived from the endpoint, added to the adapter's (data, not words). */
  extraFacts?: (ctx: CheckContext, facts: Facts) => Facts;
  predicts?: (ctx: CheckContext, facts: Facts) => Prediction | null;
}

// OSS handbook, SignatureDoesNotMatch: "Check whether there is a bucket before the endpoint,
// whether there is unnecessary / behind the endpoint, and whether there are unnecessary spaces".
const ossSignature = (): Prediction | null => predictFirst(['oss.403.signature-mismatch', 'oss.post.signature-mismatch']);

/** An Amazon S3 answer: only when predictions follow AWS's wording (not Ceph RGW's). */
const aws =
  (rule: string) =>
  (ctx: CheckContext): Prediction | null =>
    ctx.server === 'aws' ? predictFirst([rule]) : null;

/** The region in the form's SigV4 credential (x-amz-credential), or null. */
function credentialRegion(ctx: CheckContext): string | null {
  const v = ctx.form.value('x-amz-credential');
  return v ? (parseV4Credential(v)?.region ?? null) : null;
}

/**
 * The legacy global endpoint (s3.amazonaws.com, s3-external-1) is us-east-1. Path-style through it,
 * a bucket of another region is answered with 301 PermanentRedirect; the form's credential region
 * says where the bucket lives. Virtual-hosted, DNS routes to the bucket's region.
 */
const globalPathStyle = (ctx: CheckContext): boolean => ctx.endpoint?.style === 'path';
const globalSeverity = (ctx: CheckContext): Severity => {
  if (!globalPathStyle(ctx)) return 'info';
  return credentialRegion(ctx) === 'us-east-1' ? 'info' : 'warning';
};
const globalPrediction = (ctx: CheckContext): Prediction | null => {
  const region = credentialRegion(ctx);
  return ctx.server === 'aws' && globalPathStyle(ctx) && region !== null && region !== 'us-east-1' ? predictFirst(['s3.code.permanent-redirect']) : null;
};

/** The REST endpoint of a website host: `s3-website-<region>` / `s3-website.<region>` -> `s3.<region>`. */
function websiteUploadUrl(ctx: CheckContext, facts: Facts): Facts {
  const host = String(facts.host ?? ctx.endpoint?.host ?? '');
  const restHost = host.replace(/(^|\.)s3-website[.-]/, '$1s3.');
  const bucket = ctx.endpoint?.bucket ?? null;
  const uploadUrl = ctx.endpoint?.style === 'path' && bucket ? `https://${restHost}/${bucket}` : `https://${restHost}/`;
  return { uploadUrl };
}

export const ENDPOINT_RULES: Record<string, Rule> = {
  'endpoint.oss.bucket-twice': { severity: 'error', predicts: ossSignature },
  'endpoint.oss.trailing-space-or-slash': { severity: 'error', predicts: ossSignature },
  'endpoint.oss.no-bucket': { severity: 'error' },
  'endpoint.oss.invalid-bucket-name': { severity: 'error', predicts: () => predictFirst(['oss.code.invalid-bucket-name']) },
  'endpoint.oss.not-oss-host': { severity: 'info' },
  'endpoint.cos.whitespace': { severity: 'warning' },
  'endpoint.cos.not-cos-host': { severity: 'info' },
  'endpoint.cos.cdn-host': { severity: 'error' },
  'endpoint.cos.unrecognised-host': { severity: 'warning' },
  'endpoint.cos.website-host': { severity: 'error' },
  'endpoint.cos.no-bucket': { severity: 'error' },
  'endpoint.cos.bucket-twice': { severity: 'error' },
  'endpoint.cos.no-appid': { severity: 'error' },
  'endpoint.cos.invalid-bucket-name': { severity: 'error' },
  'endpoint.cos.no-region': { severity: 'warning' },
  // Amazon S3 and S3-compatible servers (src/providers/s3/endpoint.ts)
  'endpoint.s3.whitespace': { severity: 'warning' },
  'endpoint.s3.no-bucket': { severity: 'error' },
  'endpoint.s3.bucket-unknown': { severity: 'info' },
  'endpoint.s3.invalid-bucket-name': { severity: 'error' },
  'endpoint.s3.dotted-bucket-https': { severity: 'warning' },
  // Website endpoints serve GET and HEAD only: 405 MethodNotAllowed.
  'endpoint.s3.website-host': { severity: 'error', extraFacts: websiteUploadUrl, predicts: aws('s3.code.method-not-allowed') },
  // A POST to an object URL instead of the bucket: 405 MethodNotAllowed.
  'endpoint.s3.path-after-bucket': { severity: 'error', predicts: aws('s3.code.method-not-allowed') },
  'endpoint.s3.global-endpoint': { severity: 'warning', severityFor: globalSeverity, extraFacts: (ctx) => ({ credentialRegion: credentialRegion(ctx) }), predicts: globalPrediction },
  'endpoint.s3.accelerate-path-style': { severity: 'error' },
  'endpoint.s3.unrecognised-host': { severity: 'warning' },
  // Google Cloud Storage (src/providers/gcs/endpoint.ts); its knowledge base has no answer for these.
  'endpoint.gcs.whitespace': { severity: 'warning' },
  'endpoint.gcs.no-bucket': { severity: 'error' },
  'endpoint.gcs.bucket-unknown': { severity: 'info' },
  'endpoint.gcs.invalid-bucket-name': { severity: 'error' },
  'endpoint.gcs.dotted-bucket-https': { severity: 'warning' },
  'endpoint.gcs.path-after-bucket': { severity: 'error' },
  'endpoint.gcs.browser-host': { severity: 'error' },
  'endpoint.gcs.json-api': { severity: 'error' },
  'endpoint.gcs.unrecognised-host': { severity: 'warning' },
};

export const endpointProblems: Check = {
  id: 'endpoint.problems',
  providers: ['cos', 'oss', 's3', 'gcs'],
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.endpoint?.problems ?? []) {
      const base: Facts = { host: ctx.endpoint?.host ?? null, ...p.facts };
      const rule = ENDPOINT_RULES[p.id];
      if (rule && isFindingId(p.id)) {
        const facts = rule.extraFacts ? { ...base, ...rule.extraFacts(ctx, base) } : base;
        const severity = rule.severityFor ? rule.severityFor(ctx, facts) : rule.severity;
        out.push({ id: p.id, severity, facts, predicts: rule.predicts ? rule.predicts(ctx, facts) : null });
      } else if (isFindingId(p.id)) {
        const e = findingEntry(p.id);
        out.push({ id: p.id, severity: e?.severity ?? 'warning', facts: base, predicts: null });
      } else {
        out.push({ id: 'endpoint.unrecognised-problem', severity: 'warning', facts: { problem: p.id, host: ctx.endpoint?.host ?? null, details: p.facts }, predicts: null });
      }
    }
    return out;
  },
};
