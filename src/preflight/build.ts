// Building a test upload that fits the signer's policy: the answer's fields in order, the
// fields the policy requires but the answer leaves to the browser (key, Content-Type, ...),
// and a generated file whose size, type and name satisfy the conditions.

import { analysePolicy } from '../policy/index.js';
import { SENSITIVE_FIELDS } from '../core/mask.js';
import type { DecodedPolicy, FieldPart, FilePart, PolicyCondition, UploadRequest } from '../core/types.js';
import type { SignerAnswer } from './answer.js';

export const PREFLIGHT_FILENAME = 'post-doctor-preflight.txt';
/** File size when the policy sets no content-length-range. */
export const UNBOUNDED_SIZE = 1024;
/** Largest generated file: a wide range gets a file this big (still inside the range). */
export const MAX_GENERATED_SIZE = 1024 * 1024;

/** Fields a browser never fills from the policy (the signer gives them, or the URL names them). */
const NEVER_FILLED = new Set(['bucket', 'policy', 'file', 'x-amz-signature', 'signature', 'q-signature', 'x-oss-signature', 'x-goog-signature']);

/** A full type for a Content-Type prefix: "image/" -> image/png, "" -> text/plain. */
const TYPE_FOR_PREFIX: Record<string, string> = {
  image: 'image/png',
  text: 'text/plain',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  application: 'application/octet-stream',
  font: 'font/woff2',
  model: 'model/gltf-binary',
};
const EXT_FOR_TYPE: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'video/mp4': '.mp4',
  'audio/mpeg': '.mp3',
  'application/pdf': '.pdf',
  'application/json': '.json',
  'application/octet-stream': '.bin',
};

export function contentTypeFor(prefix: string): string {
  const p = prefix.trim();
  if (/^[\w.+-]+\/[\w.+-]+/.test(p)) {
    // "image/pn" is a prefix of a real type only by chance: complete the common ones
    const known = Object.keys(EXT_FOR_TYPE).find((t) => t.startsWith(p.toLowerCase()));
    return known && known !== p.toLowerCase() ? known : p;
  }
  const top = p.replace(/\/$/, '').toLowerCase();
  if (top === '') return 'text/plain';
  const known = Object.values(TYPE_FOR_PREFIX).find((t) => t.startsWith(p.toLowerCase()));
  return TYPE_FOR_PREFIX[top] ?? known ?? `${p.replace(/\/$/, '')}/octet-stream`;
}

function fieldName(c: PolicyCondition): string | null {
  if (c.type !== 'eq' && c.type !== 'starts-with') return null;
  return c.field.replace(/^\$/, '');
}

function conditionsOn(policy: DecodedPolicy | null, name: string): PolicyCondition[] {
  return (policy?.conditions ?? []).filter((c) => fieldName(c)?.toLowerCase() === name.toLowerCase());
}

/** A value satisfying every eq / starts-with condition on the field, or null when none. */
function satisfying(conds: PolicyCondition[], fallbackTail: string): string | null {
  const eq = conds.find((c) => c.type === 'eq');
  if (eq && eq.type === 'eq') return eq.value;
  const prefixes = conds.filter((c): c is Extract<PolicyCondition, { type: 'starts-with' }> => c.type === 'starts-with').map((c) => c.value);
  if (prefixes.length === 0) return null;
  const longest = prefixes.reduce((a, b) => (b.length > a.length ? b : a));
  return longest + fallbackTail;
}

/** Size inside every content-length-range: the midpoint (capped), 1024 when unbounded. */
export function fittingSize(policy: DecodedPolicy | null): number {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let bounded = false;
  for (const c of policy?.conditions ?? []) {
    if (c.type !== 'content-length-range') continue;
    bounded = true;
    min = Math.max(min, c.min);
    max = Math.min(max, c.max);
  }
  if (!bounded) return UNBOUNDED_SIZE;
  if (max < min) return min; // an empty range: nothing fits; check reports it
  const mid = Math.floor((min + max) / 2);
  return mid > MAX_GENERATED_SIZE ? Math.max(min, Math.min(MAX_GENERATED_SIZE, max)) : mid;
}

export interface PreflightUpload {
  request: UploadRequest;
  /** Fields added because the policy requires them and the answer did not carry them. */
  added: string[];
  key: string | null;
  filename: string;
  contentType: string;
  size: number;
  policy: DecodedPolicy | null;
}

/** The test upload for a signer answer. `url` overrides the answer's (when it has none). */
export function buildPreflightUpload(answer: SignerAnswer, opts: { url?: string | null } = {}): PreflightUpload {
  const fields: Array<[string, string]> = answer.fields.map(([k, v]) => [k, v]);
  const has = (name: string): boolean => fields.some(([k]) => k.toLowerCase() === name.toLowerCase());
  const policyValue = fields.find(([k]) => k.toLowerCase() === 'policy')?.[1];
  const policy = policyValue !== undefined ? analysePolicy(policyValue).policy : null;
  const added: string[] = [];

  // the content type first: it decides the file name's extension
  const ctConds = conditionsOn(policy, 'Content-Type');
  const ctField = fields.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  let contentType: string;
  if (ctField !== undefined) contentType = ctField;
  else {
    const eq = ctConds.find((c) => c.type === 'eq');
    if (eq && eq.type === 'eq') contentType = eq.value;
    else {
      const sw = ctConds.filter((c): c is Extract<PolicyCondition, { type: 'starts-with' }> => c.type === 'starts-with').map((c) => c.value);
      contentType = sw.length ? contentTypeFor(sw.reduce((a, b) => (b.length > a.length ? b : a))) : 'text/plain';
    }
    if (ctConds.length) {
      fields.push(['Content-Type', contentType]);
      added.push('Content-Type');
    }
  }
  const ext = EXT_FOR_TYPE[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? '.txt';
  const filename = PREFLIGHT_FILENAME.replace(/\.txt$/, ext);

  // the key: given by the signer (possibly with ${filename}), else one the conditions accept
  let key = fields.find(([k]) => k.toLowerCase() === 'key')?.[1] ?? null;
  if (key === null) {
    const fromCond = satisfying(conditionsOn(policy, 'key'), filename);
    key = fromCond ?? (answer.dir !== undefined ? `${answer.dir}${filename}` : filename);
    fields.unshift(['key', key]);
    added.push('key');
  }

  // other fields the policy requires the browser to send
  for (const c of policy?.conditions ?? []) {
    const name = fieldName(c);
    if (name === null || has(name)) continue;
    const lower = name.toLowerCase();
    if (NEVER_FILLED.has(lower) || SENSITIVE_FIELDS.has(lower) || lower === 'content-type' || lower === 'key') continue;
    const value = satisfying(conditionsOn(policy, name), '');
    if (value === null) continue;
    fields.push([name, value]);
    added.push(name);
  }

  const size = fittingSize(policy);
  const parts: Array<FieldPart | FilePart> = fields.map(([name, value]) => ({ kind: 'field', name, value }));
  parts.push({ kind: 'file', name: 'file', filename, contentType, size, source: { type: 'generated', size } });
  const boundary = '----post-doctor-preflight';
  const request: UploadRequest = {
    method: 'POST',
    url: opts.url ?? answer.url,
    headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
    parts,
    boundary,
    bodyProblems: [],
    notes: [],
  };
  return { request, added, key, filename, contentType, size, policy };
}
