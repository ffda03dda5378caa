// COS and OSS: what the provider adapter found wrong with the endpoint URL, as findings.
// The adapter names each problem with a finding id (rules/findings/endpoint.yaml); this
// check adds severity and the server's answer where the documents give one.
import type { Check } from '../check/types.js';
import type { Finding, Prediction, Severity } from '../core/types.js';
import { findingEntry } from '../core/catalogue.js';
import { predictFirst } from './cos-common.js';

interface Rule {
  severity: Severity;
  predicts?: () => Prediction | null;
}

// OSS handbook, SignatureDoesNotMatch: "Check whether there is a bucket before the endpoint,
// whether there is unnecessary / behind the endpoint, and whether there are unnecessary spaces".
const ossSignature = (): Prediction | null => predictFirst(['oss.403.signature-mismatch', 'oss.post.signature-mismatch']);

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
};

export const endpointProblems: Check = {
  id: 'endpoint.problems',
  providers: ['cos', 'oss'],
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.endpoint?.problems ?? []) {
      const rule = ENDPOINT_RULES[p.id];
      if (rule) {
        out.push({ id: p.id, severity: rule.severity, facts: { host: ctx.endpoint?.host ?? null, ...p.facts }, predicts: rule.predicts ? rule.predicts() : null });
      } else if (findingEntry(p.id)) {
        const e = findingEntry(p.id);
        out.push({ id: p.id, severity: e?.severity ?? 'warning', facts: { host: ctx.endpoint?.host ?? null, ...p.facts }, predicts: null });
      } else {
        out.push({ id: 'endpoint.unrecognised-problem', severity: 'warning', facts: { problem: p.id, host: ctx.endpoint?.host ?? null, details: p.facts }, predicts: null });
      }
    }
    return out;
  },
};
