// --redact: on top of the usual masking (access keys, signatures, secrets), hide the values a
// report shared in an issue should not carry: form field values (names stay), policy condition
// values, the uploaded file's name, the bucket (provider host parts such as
// "cos.ap-beijing.myqcloud.com" stay) and custom hosts. Equal values get the same numbered token,
// so a report still shows which values agree. Kept: protocol values (algorithm, dates, key
// time, success_action_status), the credential scope (date/region/service), sizes and
// content-length-range bounds, times, provider error codes and messages' structure.

import { ui } from '../core/catalogue.js';
import { Redactor, SENSITIVE_FIELDS } from '../core/mask.js';
import type { DecodedPolicy, Lang, UploadRequest } from '../core/types.js';
import type { EndpointInfo } from '../providers/types.js';
import type { ExplainResult } from '../explain/index.js';

/** Fields whose values are protocol words or times, not user data: never hidden. */
export const PROTOCOL_FIELDS = new Set([
  'q-sign-algorithm',
  'q-key-time',
  'q-sign-time',
  'x-amz-algorithm',
  'x-amz-date',
  'x-oss-signature-version',
  'x-oss-date',
  'x-goog-algorithm',
  'x-goog-date',
  'success_action_status',
]);

/** Shortest value hidden: shorter ones would replace unrelated text everywhere. */
export const MIN_HIDDEN_LENGTH = 4;

/** A Redactor that additionally replaces chosen values with numbered tokens. */
export class ReportRedactor extends Redactor {
  private readonly hidden = new Map<string, string>();
  private readonly lang: Lang;
  private readonly inner: Redactor | null;

  /** `inner`: another redactor applied after this one (e.g. explain's access-key masking). */
  constructor(lang: Lang = 'en', inner: Redactor | null = null) {
    super();
    this.lang = lang;
    this.inner = inner;
  }

  /** Hide `value` (whole occurrences anywhere in the output) behind a numbered token. */
  hide(value: string | null | undefined): this {
    if (typeof value !== 'string') return this;
    const v = value.trim();
    if (v.length < MIN_HIDDEN_LENGTH || this.hidden.has(v)) return this;
    this.hidden.set(v, ui('report.redacted', this.lang, { n: this.hidden.size + 1 }));
    return this;
  }

  get hiddenCount(): number {
    return this.hidden.size;
  }

  override scrub(text: string): string {
    let out = text;
    if (this.hidden.size > 0 && out) {
      const keys = [...this.hidden.keys()].sort((a, b) => b.length - a.length);
      for (const k of keys) if (out.includes(k)) out = out.split(k).join(this.hidden.get(k) as string);
    }
    out = super.scrub(out);
    return this.inner ? this.inner.scrub(out) : out;
  }

  override scrubDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date)) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(value) as T;
  }
}

export interface RequestRedactionInput {
  req: UploadRequest;
  secret?: string | null;
  /** Extra values to mask to a prefix (expected/provided signatures). */
  sensitive?: Array<string | null | undefined>;
  endpoint?: EndpointInfo | null;
  policy?: DecodedPolicy | null;
  /** --redact: hide user data too (otherwise only the usual masking). */
  redact: boolean;
  lang?: Lang;
}

/** The redactor a check-like report uses: the usual masking, plus --redact hiding. */
export function requestRedactor(input: RequestRedactionInput): Redactor {
  const red = input.redact ? new ReportRedactor(input.lang ?? 'en') : new Redactor();
  red.addRequest(input.req).addSecret(input.secret ?? null);
  for (const s of input.sensitive ?? []) red.addSensitive(s);
  if (!(red instanceof ReportRedactor)) return red;

  // the bucket first: it may appear inside the URL, the key or condition values
  const bucket = input.endpoint?.bucket;
  if (bucket) red.hide(bucket);
  if (input.endpoint && (input.endpoint.style === 'custom' || input.endpoint.style === 'unknown')) red.hide(input.endpoint.host);
  if (input.req.url) {
    try {
      const u = new URL(input.req.url);
      if (!input.endpoint) red.hide(u.hostname);
      for (const seg of u.pathname.split('/')) if (seg) red.hide(decodeURIComponent(seg));
    } catch {
      red.hide(input.req.url);
    }
  }
  for (const part of input.req.parts) {
    if (part.kind === 'file') {
      red.hide(part.filename);
      continue;
    }
    const name = part.name.toLowerCase();
    if (PROTOCOL_FIELDS.has(name) || SENSITIVE_FIELDS.has(name)) continue;
    red.hide(part.value);
  }
  for (const c of input.policy?.conditions ?? []) {
    if (c.type !== 'eq' && c.type !== 'starts-with') continue;
    const field = c.field.replace(/^\$/, '').toLowerCase();
    if (PROTOCOL_FIELDS.has(field) || SENSITIVE_FIELDS.has(field)) continue;
    red.hide(c.value);
  }
  return red;
}

/** Fact names of an explained answer that carry user data (bucket, key, condition values...). */
const EXPLAIN_USER_FACTS =
  /^(bucket|bucketname|key|object|objectname|resource|value|condition|host|endpoint|hostid|hostId|requestid|requestId|filename|callbackurl|url|referer|origin|stringtosign|canonicalrequest|policy)$/i;

/** --redact for explain: hide user data among the answer's facts and elements; `base` (the
 * usual access-key masking) still applies. */
export function explainReportRedactor(r: ExplainResult, base: Redactor, lang: Lang): ReportRedactor {
  const red = new ReportRedactor(lang, base);
  const hideFacts = (facts: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(facts)) if (typeof v === 'string' && EXPLAIN_USER_FACTS.test(k)) red.hide(v);
  };
  hideFacts(r.facts);
  for (const m of r.matches) hideFacts(m.facts);
  red.hide(r.error.requestId);
  red.hide(r.error.hostId);
  return red;
}
