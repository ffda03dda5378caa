// S3 POST policy signatures, SigV4 (AWS4-HMAC-SHA256, hex) and SigV2 (HMAC-SHA1, base64): compute,
// verify with every intermediate, and name the usual mistake that reproduces a wrong signature.
// Both versions sign the policy's base64 text exactly as sent.
//
//   V4: DateKey = HMAC-SHA256("AWS4" + secret, yyyymmdd); RegionKey = HMAC(DateKey, region);
//       ServiceKey = HMAC(RegionKey, "s3"); SigningKey = HMAC(ServiceKey, "aws4_request");
//       x-amz-signature = hex HMAC-SHA256(SigningKey, policyBase64)
//   V2: signature = base64 HMAC-SHA1(secret, policyBase64)
import { AWS_REGIONS } from '../regions.js';
import type { SignatureReport, SignatureStep } from '../../core/types.js';
import type { SignatureContext } from '../types.js';
import { header } from '../../core/fields.js';
import { decodeBase64Lenient, fromBase64, fromHex, hmac, sameBytes } from '../../crypto/index.js';
import { findMistake, notChecked, secretVariants, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';
import { parseEndpoint } from './endpoint.js';

export const S3_V4_SCHEME = 's3-v4';
export const S3_V2_SCHEME = 's3-v2';
export const S3_V4_ALGORITHM = 'AWS4-HMAC-SHA256';

// ---------------------------------------------------------------------------
// Pure signing functions.

export { v4KeyChain, type KeyChain } from '../../crypto/index.js';
import { v4KeyChain } from '../../crypto/index.js';

export interface V4SignResult {
  dateKey: string;
  regionKey: string;
  serviceKey: string;
  signingKey: string;
  signature: string;
}

/** SigV4 for a POST policy: every key of the chain and the signature, as lowercase hex. */
export function s3V4Sign(input: { secret: string; date: string; region: string; service?: string; policyBase64: string }): V4SignResult {
  const k = v4KeyChain('AWS4', input.secret, input.date, input.region, input.service ?? 's3', 'aws4_request');
  return {
    dateKey: k.dateKey.toString('hex'),
    regionKey: k.regionKey.toString('hex'),
    serviceKey: k.serviceKey.toString('hex'),
    signingKey: k.signingKey.toString('hex'),
    signature: hmac('sha256', k.signingKey, input.policyBase64).toString('hex'),
  };
}

/** SigV2 for a POST policy: base64 HMAC-SHA1 of the policy text. */
export function s3V2Sign(input: { secret: string; policyBase64: string }): string {
  return hmac('sha1', input.secret, input.policyBase64).toString('base64');
}

/** Split "<AKID>/<yyyymmdd>/<region>/<service>/<terminator>"; null when it has another shape. */
export function parseV4Credential(credential: string): { accessKeyId: string; date: string; region: string; service: string; terminator: string } | null {
  const parts = credential.trim().split('/');
  if (parts.length !== 5) return null;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (!accessKeyId || !date || !region || !service || !terminator) return null;
  return { accessKeyId, date, region, service, terminator };
}

/** yyyymmdd shifted by `days` (UTC calendar), or null when `date` is not yyyymmdd. */
export function shiftDay(date: string, days: number): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000;
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The policy's base64 text re-encoded with other line endings (CRLF <-> LF) or with the final
 * newline added / removed: what a signer produces when it signs a copy of the JSON that an editor,
 * a template or a transport changed. Empty when the JSON has no line breaks to change.
 */
export function lineEndingVariants(policyBase64: string): Array<{ base64: string; facts: Record<string, unknown> }> {
  const json = decodeBase64Lenient(policyBase64).toString('utf8');
  const out: Array<{ base64: string; facts: Record<string, unknown> }> = [];
  const add = (text: string, facts: Record<string, unknown>): void => {
    if (text === json) return;
    const b = Buffer.from(text, 'utf8').toString('base64');
    if (b !== policyBase64 && !out.some((o) => o.base64 === b)) out.push({ base64: b, facts });
  };
  const hasCrlf = json.includes('\r\n');
  const hasLf = /(^|[^\r])\n/.test(json);
  if (hasCrlf) add(json.replace(/\r\n/g, '\n'), { sent: 'CRLF', signed: 'LF' });
  if (hasLf) add(json.replace(/\r?\n/g, '\r\n'), { sent: 'LF', signed: 'CRLF' });
  const nl = hasCrlf && !hasLf ? '\r\n' : '\n';
  if (/\r?\n$/.test(json)) add(json.replace(/\r?\n$/, ''), { finalNewline: 'removed' });
  else add(json + nl, { finalNewline: 'added' });
  return out;
}

// ---------------------------------------------------------------------------
// Verification.

/** Which S3 scheme a form uses: V4 when any x-amz-* signing field is present, V2 for AWSAccessKeyId/signature, else null. */
export function s3Scheme(ctx: Pick<SignatureContext, 'form'>): typeof S3_V4_SCHEME | typeof S3_V2_SCHEME | null {
  const f = ctx.form;
  if (f.get('x-amz-algorithm') || f.get('x-amz-credential') || f.get('x-amz-signature')) return S3_V4_SCHEME;
  if (f.get('awsaccesskeyid') || f.get('signature')) return S3_V2_SCHEME;
  if (f.get('x-amz-date')) return S3_V4_SCHEME;
  return null;
}

export function verifySignature(ctx: SignatureContext): SignatureReport {
  const scheme = s3Scheme(ctx);
  if (scheme === S3_V2_SCHEME) return verifyS3V2(ctx);
  if (scheme === S3_V4_SCHEME) return verifyS3V4(ctx);
  const required = ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'];
  const { absent, empty } = missingFields(ctx, required);
  return notChecked(S3_V4_SCHEME, 'signature.fields-missing', { scheme: S3_V4_SCHEME, missing: [...absent, ...empty], absent, empty, schemeUnknown: true });
}

function missingFields(ctx: SignatureContext, names: string[]): { absent: string[]; empty: string[] } {
  const absent = names.filter((n) => ctx.form.value(n) === undefined);
  const empty = names.filter((n) => {
    const v = ctx.form.value(n);
    return v !== undefined && v.trim() === '';
  });
  return { absent, empty };
}

/** The field name as sent, for facts (the SDKs send "X-Amz-Signature", "Policy"). */
function sentName(ctx: SignatureContext, name: string): string {
  return ctx.form.get(name)?.name ?? name;
}

export function verifyS3V2(ctx: SignatureContext): SignatureReportWithFacts {
  const { absent, empty } = missingFields(ctx, ['policy', 'signature']);
  const provided = ctx.form.value('signature') ?? null;
  if (absent.length || empty.length) {
    return notChecked(S3_V2_SCHEME, 'signature.fields-missing', { scheme: S3_V2_SCHEME, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  if (!ctx.secret) return notChecked(S3_V2_SCHEME, 'signature.no-secret', { scheme: S3_V2_SCHEME }, [], provided);
  const policyBase64 = ctx.form.value('policy')!;
  const signature = provided!;
  const expected = s3V2Sign({ secret: ctx.secret, policyBase64 });
  const steps: SignatureStep[] = [
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: expected },
  ];
  const facts: Record<string, unknown> = { scheme: S3_V2_SCHEME, signatureField: sentName(ctx, 'signature') };
  const valid = expected === signature;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signature, v2Mistakes(ctx.secret, policyBase64, expected, signature));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: S3_V2_SCHEME, checked: true, valid, steps, expected, provided: signature, mistake, facts };
}

function* v2Mistakes(secret: string, policyBase64: string, expected: string, provided: string): Generator<MistakeCandidate> {
  const expectedBytes = Buffer.from(expected, 'base64');
  yield { mistake: 'signature.mistake.hex-output', compute: () => (sameBytes(fromHex(provided), expectedBytes) ? provided : null) };
  yield {
    mistake: 'signature.mistake.url-encoded',
    compute: () => {
      if (!provided.includes('%')) return null;
      try {
        return decodeURIComponent(provided) === expected ? provided : null;
      } catch {
        return null;
      }
    },
  };
  yield { mistake: 'signature.mistake.signed-json', compute: () => hmac('sha1', secret, decodeBase64Lenient(policyBase64)).toString('base64') };
  for (const v of lineEndingVariants(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => s3V2Sign({ secret, policyBase64: v.base64 }) };
  }
  yield { mistake: 'signature.mistake.swapped-hmac', compute: () => hmac('sha1', policyBase64, secret).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'base64' }, compute: () => hmac('sha256', secret, policyBase64).toString('base64') };
  yield { mistake: 'signature.mistake.sha256', facts: { output: 'hex' }, compute: () => hmac('sha256', secret, policyBase64).toString('hex') };
  for (const v of secretVariants(secret)) {
    yield { mistake: 'signature.mistake.secret-whitespace', facts: { variant: v.variant }, compute: () => s3V2Sign({ secret: v.secret, policyBase64 }) };
  }
}

/** Region of the Amazon endpoint the request goes to, when its host names one. */
function endpointRegion(ctx: SignatureContext): string | null {
  const src = ctx.req.url ?? header(ctx.req, 'host') ?? null;
  if (!src) return null;
  const ep = parseEndpoint(/^[a-z][a-z0-9+.-]*:\/\//i.test(src) ? src : `https://${src}`);
  return ep.aws && !ep.global ? ep.region : null;
}

export function verifyS3V4(ctx: SignatureContext): SignatureReportWithFacts {
  const { absent, empty } = missingFields(ctx, ['policy', 'x-amz-credential', 'x-amz-signature']);
  const provided = ctx.form.value('x-amz-signature') ?? null;
  if (absent.length || empty.length) {
    return notChecked(S3_V4_SCHEME, 'signature.fields-missing', { scheme: S3_V4_SCHEME, missing: [...absent, ...empty], absent, empty }, [], provided || null);
  }
  const credential = ctx.form.value('x-amz-credential')!;
  const cred = parseV4Credential(credential);
  if (!cred) {
    return notChecked(S3_V4_SCHEME, 'signature.credential-malformed', { scheme: S3_V4_SCHEME, field: sentName(ctx, 'x-amz-credential'), parts: credential.trim().split('/').length }, [], provided);
  }
  if (!ctx.secret) return notChecked(S3_V4_SCHEME, 'signature.no-secret', { scheme: S3_V4_SCHEME }, [], provided);

  const policyBase64 = ctx.form.value('policy')!;
  const signature = provided!;
  const { date, region, service, terminator } = cred;
  // Signed with the scope exactly as the credential writes it (an unusual service or terminator is
  // reported as a fact; the server refuses such a credential before it looks at the signature).
  const chain = v4KeyChain('AWS4', ctx.secret, date, region, service, terminator);
  const r = {
    dateKey: chain.dateKey.toString('hex'),
    regionKey: chain.regionKey.toString('hex'),
    serviceKey: chain.serviceKey.toString('hex'),
    signingKey: chain.signingKey.toString('hex'),
    signature: hmac('sha256', chain.signingKey, policyBase64).toString('hex'),
  };
  const steps: SignatureStep[] = [
    { name: 'date', value: date },
    { name: 'region', value: region },
    { name: 'service', value: service },
    { name: 'scope', value: `${date}/${region}/${service}/${terminator}` },
    { name: 'DateKey', value: r.dateKey, secret: true },
    { name: 'RegionKey', value: r.regionKey, secret: true },
    { name: 'ServiceKey', value: r.serviceKey, secret: true },
    { name: 'SigningKey', value: r.signingKey, secret: true },
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: r.signature },
  ];
  const amzDate = ctx.form.value('x-amz-date') ?? null;
  const algorithm = ctx.form.value('x-amz-algorithm') ?? null;
  const epRegion = endpointRegion(ctx);
  const facts: Record<string, unknown> = {
    scheme: S3_V4_SCHEME,
    credentialDate: date,
    region,
    service,
    terminator,
    algorithm,
    amzDate,
    securityToken: ctx.form.get('x-amz-security-token') !== undefined,
  };
  if (algorithm !== null && algorithm.trim() !== S3_V4_ALGORITHM) facts['algorithmUnexpected'] = true;
  if (service !== 's3' || terminator !== 'aws4_request') facts['credentialScopeInvalid'] = true;
  if (epRegion) {
    facts['endpointRegion'] = epRegion;
    if (epRegion !== region) facts['regionMismatch'] = true;
  }
  const amzDay = amzDate ? /^(\d{8})/.exec(amzDate.trim())?.[1] ?? null : null;
  if (amzDay && amzDay !== date) facts['amzDateDayMismatch'] = true;

  const valid = r.signature === signature;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(signature, v4Mistakes({ secret: ctx.secret, date, region, service, terminator, amzDay, epRegion, policyBase64, expected: r.signature, provided: signature }));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: S3_V4_SCHEME, checked: true, valid, steps, expected: r.signature, provided: signature, mistake, facts };
}

interface V4Search {
  secret: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  amzDay: string | null;
  epRegion: string | null;
  policyBase64: string;
  expected: string;
  provided: string;
}

function* v4Mistakes(s: V4Search): Generator<MistakeCandidate> {
  const sig = (o: { secret?: string; date?: string; region?: string; msg?: string | Uint8Array; prefix?: string } = {}): string => {
    const k = v4KeyChain(o.prefix ?? 'AWS4', o.secret ?? s.secret, o.date ?? s.date, o.region ?? s.region, s.service, s.terminator);
    return hmac('sha256', k.signingKey, o.msg ?? s.policyBase64).toString('hex');
  };
  const { provided, expected } = s;
  yield { mistake: 'signature.mistake.base64-output', compute: () => (sameBytes(fromBase64(provided), fromHex(expected)) ? provided : null) };
  yield { mistake: 'signature.mistake.uppercase-hex', compute: () => (provided !== expected && provided.toLowerCase() === expected ? provided : null) };
  // Signed for another region than the credential names: the SDK default, or the endpoint's.
  const regions: Array<{ region: string; source: string }> = [];
  if (s.epRegion && s.epRegion !== s.region) regions.push({ region: s.epRegion, source: 'endpoint' });
  if (s.region !== 'us-east-1' && !regions.some((r) => r.region === 'us-east-1')) regions.push({ region: 'us-east-1', source: 'default' });
  // then every other region of the scheme: a signature made for any real region is named
  for (const r of AWS_REGIONS) if (r !== s.region && !regions.some((x) => x.region === r)) regions.push({ region: r, source: 'other-region' });
  for (const r of regions) {
    yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: r.region, credentialRegion: s.region, source: r.source }, compute: () => sig({ region: r.region }) };
  }
  // Signing day other than the credential's: x-amz-date's day, or a local-time day off by one.
  const dates: Array<{ date: string; source: string }> = [];
  if (s.amzDay && s.amzDay !== s.date) dates.push({ date: s.amzDay, source: 'x-amz-date' });
  for (const d of [-1, 1]) {
    const x = shiftDay(s.date, d);
    if (x && !dates.some((y) => y.date === x)) dates.push({ date: x, source: d < 0 ? 'previous-day' : 'next-day' });
  }
  for (const d of dates) {
    yield { mistake: 'signature.mistake.wrong-date', facts: { signedDate: d.date, credentialDate: s.date, source: d.source }, compute: () => sig({ date: d.date }) };
  }
  yield { mistake: 'signature.mistake.signed-json', compute: () => sig({ msg: decodeBase64Lenient(s.policyBase64) }) };
  for (const v of lineEndingVariants(s.policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => sig({ msg: v.base64 }) };
  }
  yield { mistake: 'signature.mistake.v4-prefix-missing', facts: { prefix: 'AWS4' }, compute: () => sig({ prefix: '' }) };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { where: 'final' },
    compute: () => hmac('sha256', s.policyBase64, v4KeyChain('AWS4', s.secret, s.date, s.region, s.service, s.terminator).signingKey).toString('hex'),
  };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { where: 'chain' },
    compute: () => {
      let k: Buffer = hmac('sha256', s.date, 'AWS4' + s.secret);
      for (const m of [s.region, s.service, s.terminator]) k = hmac('sha256', m, k);
      return hmac('sha256', s.policyBase64, k).toString('hex');
    },
  };
  for (const v of secretVariants(s.secret)) {
    yield { mistake: 'signature.mistake.secret-whitespace', facts: { variant: v.variant }, compute: () => sig({ secret: v.secret }) };
  }
}
