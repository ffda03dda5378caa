// What the provider adapter found wrong with the endpoint URL (COS, OSS, S3 and S3-compatible
// servers, GCS), as findings. The adapter names each problem with a finding id
// (rules/findings/endpoint.yaml); this check adds severity, a few derived facts and the server's
// answer where the documents give one.
import { PROVIDER_IDS } from '../core/types.js';
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { findingIdsWith } from '../check/findings.js';
import type { Prediction, Severity } from '../core/types.js';
import type { KbId } from '../generated/ids.js';
import { isFindingId } from '../core/catalogue.js';
import { parseV4Credential } from '../providers/schemes/sigv4.js';
import { predictFirst } from './shared.js';

type Facts = Record<string, unknown>;

interface Rule {
  /** This occurrence's severity (default: the catalogue's, the worst case), when the facts show the worst case does not apply. */
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
  (rule: KbId) =>
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
  'endpoint.oss.bucket-twice': { predicts: ossSignature },
  'endpoint.oss.trailing-space-or-slash': { predicts: ossSignature },
  'endpoint.oss.no-bucket': {},
  'endpoint.oss.invalid-bucket-name': { predicts: () => predictFirst(['oss.code.invalid-bucket-name']) },
  'endpoint.oss.not-oss-host': {},
  'endpoint.cos.whitespace': {},
  'endpoint.cos.not-cos-host': {},
  'endpoint.cos.cdn-host': {},
  'endpoint.cos.unrecognised-host': {},
  'endpoint.cos.website-host': {},
  'endpoint.cos.no-bucket': {},
  'endpoint.cos.bucket-twice': {},
  'endpoint.cos.no-appid': {},
  'endpoint.cos.invalid-bucket-name': {},
  'endpoint.cos.no-region': {},
  // Amazon S3 and S3-compatible servers (src/providers/s3/endpoint.ts)
  'endpoint.s3.whitespace': {},
  'endpoint.s3.no-bucket': {},
  'endpoint.s3.bucket-unknown': {},
  'endpoint.s3.invalid-bucket-name': {},
  'endpoint.s3.dotted-bucket-https': {},
  // Website endpoints serve GET and HEAD only: 405 MethodNotAllowed.
  'endpoint.s3.website-host': { extraFacts: websiteUploadUrl, predicts: aws('s3.code.method-not-allowed') },
  // A POST to an object URL instead of the bucket: 405 MethodNotAllowed.
  'endpoint.s3.path-after-bucket': { predicts: aws('s3.code.method-not-allowed') },
  'endpoint.s3.global-endpoint': { severityFor: globalSeverity, extraFacts: (ctx) => ({ credentialRegion: credentialRegion(ctx) }), predicts: globalPrediction },
  'endpoint.s3.accelerate-path-style': {},
  'endpoint.s3.unrecognised-host': {},
  // Google Cloud Storage (src/providers/gcs/endpoint.ts); its knowledge base has no answer for these.
  'endpoint.gcs.whitespace': {},
  'endpoint.gcs.no-bucket': {},
  'endpoint.gcs.bucket-unknown': {},
  'endpoint.gcs.invalid-bucket-name': {},
  'endpoint.gcs.dotted-bucket-https': {},
  'endpoint.gcs.path-after-bucket': {},
  'endpoint.gcs.browser-host': {},
  'endpoint.gcs.json-api': {},
  'endpoint.gcs.unrecognised-host': {},
};

export const endpointProblems: Check = {
  id: 'endpoint.problems',
  providers: PROVIDER_IDS,
  emits: findingIdsWith('endpoint.'),
  run(ctx) {
    const out: CheckFinding[] = [];
    for (const p of ctx.endpoint?.problems ?? []) {
      const base: Facts = { host: ctx.endpoint?.host ?? null, ...p.facts };
      const rule = ENDPOINT_RULES[p.id];
      if (rule && isFindingId(p.id)) {
        const facts = rule.extraFacts ? { ...base, ...rule.extraFacts(ctx, base) } : base;
        const f: CheckFinding = { id: p.id, facts, predicts: rule.predicts ? rule.predicts(ctx, facts) : null };
        if (rule.severityFor) f.severity = rule.severityFor(ctx, facts);
        out.push(f);
      } else if (isFindingId(p.id)) {
        out.push({ id: p.id, facts: base, predicts: null });
      } else {
        out.push({ id: 'endpoint.unrecognised-problem', facts: { problem: p.id, host: ctx.endpoint?.host ?? null, details: p.facts }, predicts: null });
      }
    }
    return out;
  },
};
