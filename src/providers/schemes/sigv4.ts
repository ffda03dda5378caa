// The SigV4-style policy signature, one algorithm for several services, parameterised by the
// key chain (key prefix, service, terminator), the field names and the credential's region
// rules: Amazon S3 SigV4, Alibaba OSS V4, Google GCS GOOG4-HMAC-SHA256 (and Volcengine TOS:
// TOS4-HMAC-SHA256 with no key prefix, service "tos", terminator "request").
//
//   DateKey = HMAC-SHA256(keyPrefix + secret, yyyymmdd); RegionKey = HMAC(DateKey, region);
//   ServiceKey = HMAC(RegionKey, service); SigningKey = HMAC(ServiceKey, terminator);
//   Signature = hex HMAC-SHA256(SigningKey, policyBase64)   (the base64 text exactly as sent)
// The credential is "<id>/<yyyymmdd>/<region>/<service>/<terminator>"; the form's scope is
// signed exactly as its credential writes it.
import type { ProviderId, SignatureStep, UploadRequest } from '../../core/types.js';
import { decodeBase64Lenient, hmac, v4KeyChain, type KeyChain } from '../../crypto/index.js';
import type { MistakeCandidate } from '../../crypto/search.js';
import { sentName } from '../form.js';
import { COMPACT_TIME_FORMAT, compactTime, dayOf, parseCompactTime, shiftDay } from '../time.js';
import type { SignatureContext } from '../types.js';
import { formPolicy, hexOutputMistakes, policyLineEndings, secretWhitespaceMistakes, verifyWithSecret, type Unchecked } from './common.js';
import type { KeyChainParams, SchemeDetection, SchemeFields, SchemeId, SchemeSignature, SigningScheme, TimeFormat, V4Credential } from './types.js';

/** The compact date field format of every V4-style scheme. */
export const COMPACT_TIME: TimeFormat = { pattern: COMPACT_TIME_FORMAT, parse: parseCompactTime, format: compactTime };

/** Split "<id>/<yyyymmdd>/<region>/<service>/<terminator>"; null when it has another shape or an empty part. */
export function parseV4Credential(credential: string): V4Credential | null {
  const parts = credential.trim().split('/');
  if (parts.length !== 5) return null;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (!accessKeyId || !date || !region || !service || !terminator) return null;
  return { accessKeyId, date, region, service, terminator };
}

/** Every key of the chain and the signature, as lowercase hex. */
export interface V4SignResult {
  dateKey: string;
  regionKey: string;
  serviceKey: string;
  signingKey: string;
  signature: string;
}

/** The key chain over a scope and the signature of the policy text. */
export function sigV4Sign(keyPrefix: string, secret: string, scope: Omit<V4Credential, 'accessKeyId'>, policyBase64: string): V4SignResult & { keys: KeyChain } {
  const keys = v4KeyChain(keyPrefix, secret, scope.date, scope.region, scope.service, scope.terminator);
  return {
    keys,
    dateKey: keys.dateKey.toString('hex'),
    regionKey: keys.regionKey.toString('hex'),
    serviceKey: keys.serviceKey.toString('hex'),
    signingKey: keys.signingKey.toString('hex'),
    signature: hmac('sha256', keys.signingKey, policyBase64).toString('hex'),
  };
}

/** What a V4-style service needs beyond the algorithm itself. */
export interface SigV4Options {
  id: SchemeId;
  provider: ProviderId;
  name: string;
  /** The algorithm field's value ("AWS4-HMAC-SHA256"). */
  algorithm: string;
  /** Algorithm values that are not "unexpected" (GCS: both GOOG4 algorithms); default: `algorithm`. */
  algorithms?: readonly string[];
  fields: SchemeFields;
  nameCase: 'exact' | 'any-case';
  detect: SchemeDetection;
  chain: KeyChainParams;
  /** How the documents name the credential's first part ("<AKID>", "<id>"). */
  idPlaceholder: string;
  /** The region every credential names (GCS: "auto"). */
  fixedRegion?: string;
  /** The region a new form is signed for when an endpoint but no region is given. */
  defaultRegion?: string;
  /** The service's region names, for the wrong-region search. */
  regions: readonly string[];
  /** Regions signers commonly use by default (SDK defaults), tried before the rest. */
  defaultRegions?: readonly string[];
  /** A prefix signers wrongly add to (or keep on) the region ("oss-"). */
  regionPrefix?: string;
  /** Key chains of other services a signer may have reused (GCS: the S3 chain); service and terminator default to the credential's. */
  otherChains?: ReadonlyArray<{ prefix: string; service?: string; terminator?: string }>;
  /** Intermediates shown: the whole chain, or the signing key only. */
  steps: 'chain' | 'signing-key';
  /** The region of the endpoint the request goes to, when its host names one (S3). */
  endpointRegion?: (req: UploadRequest) => string | null;
  /** Name of the fact that carries the date field's value ("amzDate"). */
  dateFact: string;
  maxValiditySeconds: number | null;
  /** Whether the policy pins (and the signer writes) a security token field. */
  token: boolean;
  /** Other signing names the service reads and the signer never writes. */
  legacy?: readonly string[];
}

function stepsOf(mode: 'chain' | 'signing-key', scope: Omit<V4Credential, 'accessKeyId'>, r: V4SignResult, policyBase64: string): SignatureStep[] {
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const tail: SignatureStep[] = [
    { name: 'StringToSign', value: policyBase64 },
    { name: 'Signature', value: r.signature },
  ];
  if (mode === 'signing-key') {
    return [{ name: 'date', value: scope.date }, { name: 'region', value: scope.region }, { name: 'scope', value: scopeText }, { name: 'SigningKey', value: r.signingKey, secret: true }, ...tail];
  }
  return [
    { name: 'date', value: scope.date },
    { name: 'region', value: scope.region },
    { name: 'service', value: scope.service },
    { name: 'scope', value: scopeText },
    { name: 'DateKey', value: r.dateKey, secret: true },
    { name: 'RegionKey', value: r.regionKey, secret: true },
    { name: 'ServiceKey', value: r.serviceKey, secret: true },
    { name: 'SigningKey', value: r.signingKey, secret: true },
    ...tail,
  ];
}

/** The usual wrong ways of making a V4-style signature, for the form's credential. */
function* sigV4Mistakes(o: SigV4Options, ctx: SignatureContext, cred: V4Credential, policyBase64: string, expected: string, provided: string): Generator<MistakeCandidate> {
  const secret = ctx.secret;
  const sig = (v: { secret?: string; date?: string; region?: string; msg?: string | Uint8Array; prefix?: string; service?: string; terminator?: string } = {}): string => {
    const k = v4KeyChain(v.prefix ?? o.chain.keyPrefix, v.secret ?? secret, v.date ?? cred.date, v.region ?? cred.region, v.service ?? cred.service, v.terminator ?? cred.terminator);
    return hmac('sha256', k.signingKey, v.msg ?? policyBase64).toString('hex');
  };
  yield* hexOutputMistakes(expected, provided);
  // Another service's key chain reused.
  for (const c of o.otherChains ?? []) {
    const service = c.service ?? cred.service;
    const terminator = c.terminator ?? cred.terminator;
    yield {
      mistake: 'signature.mistake.wrong-key-chain',
      facts: { usedPrefix: c.prefix, usedService: service, usedTerminator: terminator },
      compute: () => sig({ prefix: c.prefix, service, terminator }),
    };
  }
  // Region written with (or without) the endpoint's prefix.
  const skip = new Set([cred.region]);
  if (o.regionPrefix) {
    const p = o.regionPrefix;
    const prefixed = cred.region.startsWith(p);
    const other = prefixed ? cred.region.slice(p.length) : `${p}${cred.region}`;
    // the bare region is the prefix candidate's, not another region
    if (prefixed) skip.add(other);
    yield { mistake: 'signature.mistake.region-prefix', facts: { signedRegion: other, credentialRegion: cred.region }, compute: () => sig({ region: other }) };
  }
  // Signed for another region than the credential names: the endpoint's, an SDK default, then any region of the service.
  const regions: Array<{ region: string; source: string }> = [];
  const addRegion = (region: string, source: string): void => {
    if (!skip.has(region) && !regions.some((r) => r.region === region)) regions.push({ region, source });
  };
  const ep = o.endpointRegion?.(ctx.req) ?? null;
  if (ep) addRegion(ep, 'endpoint');
  for (const r of o.defaultRegions ?? []) addRegion(r, 'default');
  for (const r of o.regions) addRegion(r, 'other-region');
  for (const r of regions) {
    yield { mistake: 'signature.mistake.wrong-region', facts: { signedRegion: r.region, credentialRegion: cred.region, source: r.source }, compute: () => sig({ region: r.region }) };
  }
  // Signing day other than the credential's: the date field's day, or a local-time day off by one.
  const dates: Array<{ date: string; source: string }> = [];
  const day = o.fields.date ? dayOf(ctx.form.value(o.fields.date)) : null;
  if (day && day !== cred.date) dates.push({ date: day, source: o.fields.date as string });
  for (const d of [-1, 1]) {
    const x = shiftDay(cred.date, d);
    if (x && !dates.some((y) => y.date === x)) dates.push({ date: x, source: d < 0 ? 'previous-day' : 'next-day' });
  }
  for (const d of dates) {
    yield { mistake: 'signature.mistake.wrong-date', facts: { signedDate: d.date, credentialDate: cred.date, source: d.source }, compute: () => sig({ date: d.date }) };
  }
  // What was signed.
  yield { mistake: 'signature.mistake.signed-json', compute: () => sig({ msg: decodeBase64Lenient(policyBase64) }) };
  for (const v of policyLineEndings(policyBase64)) {
    yield { mistake: 'signature.mistake.line-endings', facts: v.facts, compute: () => sig({ msg: v.base64 }) };
  }
  // How the HMACs were keyed.
  if (o.chain.keyPrefix) yield { mistake: 'signature.mistake.v4-prefix-missing', facts: { prefix: o.chain.keyPrefix }, compute: () => sig({ prefix: '' }) };
  const chainKey = (): Buffer => v4KeyChain(o.chain.keyPrefix, secret, cred.date, cred.region, cred.service, cred.terminator).signingKey;
  yield { mistake: 'signature.mistake.swapped-hmac', facts: { where: 'final' }, compute: () => hmac('sha256', policyBase64, chainKey()).toString('hex') };
  yield {
    mistake: 'signature.mistake.swapped-hmac',
    facts: { where: 'chain' },
    compute: () => {
      let k: Buffer = hmac('sha256', cred.date, o.chain.keyPrefix + secret);
      for (const m of [cred.region, cred.service, cred.terminator]) k = hmac('sha256', m, k);
      return hmac('sha256', policyBase64, k).toString('hex');
    },
  };
  yield* secretWhitespaceMistakes(secret, (s) => sig({ secret: s }));
}

/** Facts of a V4-style form: its scope, algorithm and date, and what is odd about them. */
export function sigV4Facts(o: SigV4Options, ctx: SignatureContext, cred: V4Credential): Record<string, unknown> {
  const f = o.fields;
  const algorithm = f.algorithm ? (ctx.form.value(f.algorithm) ?? null) : null;
  const dateValue = f.date ? (ctx.form.value(f.date) ?? null) : null;
  const facts: Record<string, unknown> = {
    credentialDate: cred.date,
    region: cred.region,
    service: cred.service,
    terminator: cred.terminator,
    algorithm,
    [o.dateFact]: dateValue,
  };
  if (f.token) facts['securityToken'] = ctx.form.get(f.token) !== undefined;
  if (algorithm === null) facts['algorithmMissing'] = true;
  else if (!(o.algorithms ?? [o.algorithm]).includes(algorithm.trim())) facts['algorithmUnexpected'] = true;
  if (cred.service !== o.chain.service || cred.terminator !== o.chain.terminator) {
    facts['credentialScopeInvalid'] = true;
    facts['credentialService'] = cred.service;
    facts['credentialTerminator'] = cred.terminator;
  }
  if (o.fixedRegion !== undefined && cred.region !== o.fixedRegion) facts['regionNotAuto'] = true;
  const ep = o.endpointRegion?.(ctx.req) ?? null;
  if (ep) {
    facts['endpointRegion'] = ep;
    if (ep !== cred.region) facts['regionMismatch'] = true;
  }
  const day = dayOf(dateValue);
  if (day && day !== cred.date) facts[`${o.dateFact}DayMismatch`] = true;
  return facts;
}

/** The form's credential, parsed; a not-checked reason when it is malformed. */
export function credentialPrecheck(o: Pick<SigV4Options, 'fields'>): (ctx: SignatureContext) => Unchecked | null {
  return (ctx) => {
    const name = o.fields.credential as string;
    const credential = ctx.form.value(name) ?? '';
    if (parseV4Credential(credential)) return null;
    return { reason: 'signature.credential-malformed', facts: { field: sentName(ctx.form, name), parts: credential.trim().split('/').length } };
  };
}

/** A V4-style scheme description. */
export function sigV4Scheme(o: SigV4Options): SigningScheme {
  const f = o.fields;
  const credField = f.credential as string;
  const readCredential = (value: string | undefined): V4Credential | null => (value === undefined ? null : parseV4Credential(value));
  const sign = (secret: string, cred: V4Credential, policyBase64: string): SchemeSignature => {
    const r = sigV4Sign(o.chain.keyPrefix, secret, cred, policyBase64);
    return { signature: r.signature, steps: stepsOf(o.steps, cred, r, policyBase64) };
  };
  const scheme: SigningScheme = {
    id: o.id,
    provider: o.provider,
    name: o.name,
    algorithm: o.algorithm,
    fields: f,
    ...(o.legacy ? { legacy: o.legacy } : {}),
    nameCase: o.nameCase,
    detect: o.detect,
    credential: {
      pattern: `${o.idPlaceholder}/<yyyymmdd>/${o.fixedRegion ?? '<region>'}/${o.chain.service}/${o.chain.terminator}`,
      parse: parseV4Credential,
      format: (accessKeyId, day, region) => `${accessKeyId}/${day}/${region}/${o.chain.service}/${o.chain.terminator}`,
      ...(o.fixedRegion !== undefined ? { fixedRegion: o.fixedRegion } : {}),
      ...(o.defaultRegion !== undefined ? { defaultRegion: o.defaultRegion } : {}),
    },
    chain: o.chain,
    time: COMPACT_TIME,
    maxValiditySeconds: o.maxValiditySeconds,
    required: [f.policy, credField, f.signature],
    layout: {
      fields: o.token ? ['algorithm', 'credential', 'date', 'token', 'policy', 'signature'] : ['algorithm', 'credential', 'date', 'policy', 'signature'],
      pinned: o.token ? ['algorithm', 'credential', 'date', 'token'] : ['algorithm', 'credential', 'date'],
    },
    sign(input) {
      const cred = readCredential(input.field(credField));
      if (!cred) throw new Error(`${credField} is missing or malformed`);
      return sign(input.secret, cred, input.policy.base64);
    },
    verify: (ctx) =>
      verifyWithSecret(scheme, ctx, {
        precheck: credentialPrecheck(o),
        facts: () => sigV4Facts(o, ctx, readCredential(ctx.form.value(credField)) as V4Credential),
      }),
    refresh(field, now) {
      const cred = readCredential(field(credField));
      if (!cred) return { problem: { field: credField, message: `${credField} is missing or malformed` } };
      const compact = compactTime(now);
      const day = compact.slice(0, 8);
      return {
        updates: [
          { field: f.date as string, value: compact, required: true },
          // the scope kept exactly as the credential writes it, only the day refreshed
          { field: credField, value: [cred.accessKeyId, day, cred.region, cred.service, cred.terminator].join('/'), required: false },
        ],
      };
    },
    mistakes(ctx, expected, provided) {
      const cred = readCredential(ctx.form.value(credField));
      return cred ? sigV4Mistakes(o, ctx, cred, formPolicy(scheme, ctx).base64, expected, provided) : [];
    },
  };
  return scheme;
}
