// The check engine: detect the provider, decode the policy once, parse the endpoint once,
// verify the signature once, then run every applicable check of the explicit list.

import { InputError } from '../core/errors.js';
import { kbEntry } from '../core/catalogue.js';
import { FormView } from '../core/fields.js';
import type { DecodedPolicy, Finding, ProviderId, ServerFlavour, SignatureReport, UploadRequest } from '../core/types.js';
import { PROVIDER_IDS } from '../core/types.js';
import { adapter } from '../providers/index.js';
import type { SignatureContext } from '../providers/types.js';
import type { EndpointInfo } from '../providers/types.js';
import { checks as defaultChecks } from '../checks/index.js';
import { analyseRequestPolicy, policyField } from './context.js';
import type { CorsOptions } from './types.js';
import { finding, policyProblemFinding } from './findings.js';
import type { Check, CheckContext, CheckFinding } from './types.js';
import { FINDING_SEVERITY, type FindingId } from '../generated/ids.js';

export type { Check, CheckContext } from './types.js';

/** The findings the engine reports itself (besides its checks' own). */
export const ENGINE_EMITS: readonly FindingId[] = ['internal.check-failed'];

export interface CheckOptions {
  provider?: ProviderId;
  now?: Date;
  serverTime?: Date | null;
  secret?: string | null;
  server?: ServerFlavour;
  endpointStyle?: 'virtual' | 'path';
  /** How `provider` was chosen, when the caller detected it itself (default: 'option' when given). */
  providerSource?: 'option' | 'detected';
  /** Replace the check list (tests). */
  checks?: readonly Check[];
  /** GCS RSA forms: the service account's public key or certificate (PEM), to verify without a secret. */
  publicKey?: string | null;
  /** The bucket's CORS configuration (and the page's origin), to judge what the browser allows. */
  cors?: CorsOptions | null;
}

export interface RequestSummary {
  method: string;
  url: string | null;
  bucket: string | null;
  key: string | null;
  fields: Array<[string, string]>;
  file: { field: string; name: string | null; size: number | null; sizeSource?: 'bytes' | 'content-length' | 'unknown'; contentType: string | null } | null;
}

export interface Detection {
  /** How the provider was chosen. */
  by: 'option' | 'detected';
  /** Scores of every adapter's detectRequest. */
  scores: Record<ProviderId, number>;
}

export interface CheckResult {
  provider: ProviderId;
  server: ServerFlavour;
  verdict: 'pass' | 'fail';
  detection: Detection;
  request: RequestSummary;
  endpoint: EndpointInfo | null;
  policy: DecodedPolicy | null;
  signature: SignatureReport | null;
  /** The time used as now, and the server's clock when given. */
  now: Date;
  serverTime: Date | null;
  findings: Finding[];
}

/** Largest `policy` field value (characters of base64) that is analysed; larger ones are refused (as readUploadRequest does). */
export const POLICY_LIMIT = 1024 * 1024;

/** Minimum detection score to trust without --provider. */
export const DETECT_THRESHOLD = 0.3;

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** The field names a finding is about: its field, and field names among its facts. */
function fieldsOf(f: Finding): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v !== '') out.push(v.replace(/^\$/, '').toLowerCase());
  };
  add(f.field);
  add(f.facts.field);
  add(f.facts.name);
  if (Array.isArray(f.facts.fields)) f.facts.fields.forEach(add);
  return out;
}

/**
 * One mistake that causes several findings leads, with its consequences under it: fields sent
 * after the file part are never read by the server, so every finding about them (a missing
 * signature, policy or key, a condition on them) is caused by the file not being last.
 */
export function rootCauseFirst(findings: Finding[]): Finding[] {
  const root = findings.find((f) => f.id === 'file.not-last' || f.id === 'file.fields-ignored');
  if (!root || !Array.isArray(root.facts.fields)) return findings;
  const after = new Set((root.facts.fields as unknown[]).filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()));
  const caused = findings.filter((f) => f !== root && f.severity !== 'info' && fieldsOf(f).some((n) => after.has(n)));
  if (!caused.length) return findings;
  const lead: Finding = { ...root, severity: 'error', causes: caused.map((f) => f.id) };
  const rest = findings.filter((f) => f !== root && !caused.includes(f));
  return [lead, ...caused.map((f) => ({ ...f, causedBy: root.id })), ...rest];
}

export function detectScores(req: UploadRequest): Record<ProviderId, number> {
  const scores = {} as Record<ProviderId, number>;
  for (const id of PROVIDER_IDS) {
    let s = 0;
    try {
      s = adapter(id).detectRequest(req);
    } catch {
      s = 0;
    }
    scores[id] = Number.isFinite(s) ? s : 0;
  }
  return scores;
}

export function detectProvider(req: UploadRequest): { provider: ProviderId | null; scores: Record<ProviderId, number> } {
  const scores = detectScores(req);
  let best: ProviderId | null = null;
  for (const id of PROVIDER_IDS) {
    if (scores[id] >= DETECT_THRESHOLD && (best === null || scores[id] > scores[best])) best = id;
  }
  return { provider: best, scores };
}

export function summarise(req: UploadRequest, endpoint: EndpointInfo | null): RequestSummary {
  const form = new FormView(req);
  const file = form.file();
  return {
    method: req.method,
    url: req.url,
    bucket: endpoint?.bucket ?? form.value('bucket') ?? null,
    key: form.value('key') ?? null,
    fields: form.fields().map((f) => [f.name, f.value]),
    file: file ? { field: file.name, name: file.filename, size: file.size, ...(file.sizeSource ? { sizeSource: file.sizeSource } : {}), contentType: file.contentType } : null,
  };
}

/**
 * A check's findings with the catalogue's severity filled in; a finding the check did not declare
 * in `emits` is a defect of the check, reported as such (never shown as if it were real).
 */
function settle(c: Check, out: readonly CheckFinding[]): Finding[] {
  for (const f of out) {
    if (!c.emits.includes(f.id)) throw new Error(`emitted ${f.id}, which it does not declare`);
  }
  return out.map((f) => (f.severity === undefined ? { ...f, severity: FINDING_SEVERITY[f.id] } : (f as Finding)));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function check(input: UploadRequest, opts: CheckOptions = {}): Promise<CheckResult> {
  let req = input;
  const det = detectProvider(req);
  const provider = opts.provider ?? det.provider;
  if (!provider) throw new InputError('cannot tell the provider', { option: 'provider' });
  const ad = adapter(provider);
  // the provider's shorthand fields (OBS `token`) read as the fields they stand for
  req = ad.expandForm?.(req) ?? req;
  const server: ServerFlavour = opts.server ?? 'aws';
  const now = opts.now ?? new Date();
  const serverTime = opts.serverTime ?? null;
  const secret = opts.secret ?? null;
  const form = new FormView(req);
  const engineFindings: Finding[] = [];

  // endpoint, once
  let endpoint: EndpointInfo | null = null;
  if (req.url && ad.parseEndpoint) {
    try {
      endpoint = ad.parseEndpoint(req.url, opts.endpointStyle);
    } catch (e) {
      engineFindings.push(finding('internal.check-failed', { check: 'endpoint', message: message(e) }));
    }
  }

  // policy, once
  const policyText = policyField(req);
  if (policyText !== null && policyText.length > POLICY_LIMIT) {
    // every condition can yield a finding: a policy this size would make a report of hundreds of MB
    throw new InputError(`the policy is ${(policyText.length / 1048576).toFixed(1)} MiB of base64; post-doctor reads policies up to ${POLICY_LIMIT / 1048576} MiB (a real one is a few kilobytes)`, {
      field: 'policy',
    });
  }
  const analysis = analyseRequestPolicy(req, provider);
  const policy = analysis?.policy ?? null;
  const firstError = analysis?.problems.find((p) => p.severity === 'error');
  const policyError = firstError ? policyProblemFinding(firstError, { provider, server }) : null;

  // signature, once
  let signature: SignatureReport | null = null;
  const publicKey = opts.publicKey ?? null;
  if ((secret !== null || (publicKey !== null && provider === 'gcs')) && ad.verifySignature) {
    try {
      const ctx: SignatureContext & { publicKey?: string } = { req, form, policy, secret: secret ?? '', now };
      if (publicKey !== null) ctx.publicKey = publicKey;
      signature = ad.verifySignature(ctx);
    } catch (e) {
      engineFindings.push(finding('internal.check-failed', { check: 'signature', message: message(e) }));
    }
  }

  if (signature) {
    const i = form.firstFileIndex();
    const after =
      i < 0
        ? []
        : req.parts
            .slice(i + 1)
            .filter((p) => p.kind === 'field')
            .map((p) => p.name);
    if (after.length) signature = { ...signature, ignoredFields: after };
  }

  const ctx: CheckContext = {
    req,
    form,
    provider,
    adapter: ad,
    server,
    endpoint,
    policy,
    policyError,
    now,
    serverTime,
    secret,
    signature,
    cors: opts.cors ?? null,
  };

  const all: Array<{ f: Finding; order: number }> = [];
  let order = 0;
  for (const f of engineFindings) all.push({ f, order: order++ });
  for (const c of opts.checks ?? defaultChecks) {
    if (!c.providers.includes(provider)) continue;
    let out: Finding[];
    try {
      out = settle(c, c.run(ctx));
    } catch (e) {
      out = [finding('internal.check-failed', { check: c.id, message: message(e) })];
    }
    for (const f of out) {
      // a prediction must name an existing KB entry; never let a bad id crash rendering
      if (f.predicts && !kbEntry(f.predicts.rule)) f.predicts = null;
      all.push({ f, order: order++ });
    }
  }
  all.sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.order - b.order);
  const findings = rootCauseFirst(all.map((x) => x.f));
  return {
    provider,
    server,
    verdict: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass',
    detection: { by: opts.providerSource ?? (opts.provider ? 'option' : 'detected'), scores: det.scores },
    // the request as it was sent (an OBS token as the one field it is, not the three it stands for)
    request: summarise(input, endpoint),
    endpoint,
    policy,
    signature,
    now,
    serverTime,
    findings,
  };
}
