// OBS shorthand in a POST form: `token` stands for AccessKeyId, signature and policy
// ("AK:signature:policy", as esdk-obs-nodejs createPostSignatureSync returns it in Token), and
// some samples spell the access key field ObsAccessKeyId. Both are read as the documented fields.
import type { FieldPart, UploadRequest } from '../../core/types.js';

const SIGNING = ['accesskeyid', 'signature', 'policy'];

/** The form with a `token` read as its three fields (when none of them is sent), else null. */
export function expandForm(req: UploadRequest): UploadRequest | null {
  const fileAt = req.parts.findIndex((p) => p.kind === 'file');
  const before = fileAt < 0 ? req.parts : req.parts.slice(0, fileAt);
  const names = new Set(before.filter((p): p is FieldPart => p.kind === 'field').map((p) => p.name.toLowerCase()));
  const at = before.findIndex((p) => p.kind === 'field' && p.name.toLowerCase() === 'token');
  if (at < 0 || SIGNING.some((n) => names.has(n))) return null;
  const token = req.parts[at] as FieldPart;
  const pieces = token.value.trim().split(':');
  if (pieces.length !== 3 || pieces.some((x) => x === '')) return null;
  const [ak, signature, policy] = pieces as [string, string, string];
  const offset = token.offset === undefined ? {} : { offset: token.offset };
  const fields: FieldPart[] = [
    { kind: 'field', name: 'AccessKeyId', value: ak, ...offset },
    { kind: 'field', name: 'policy', value: policy, ...offset },
    { kind: 'field', name: 'signature', value: signature, ...offset },
  ];
  return { ...req, parts: [...req.parts.slice(0, at), ...fields, ...req.parts.slice(at + 1)], notes: [...req.notes, { id: 'obs.token-field', facts: {} }] };
}
