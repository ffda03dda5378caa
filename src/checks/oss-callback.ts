// OSS: the `callback` form field is base64 of a JSON object with callbackUrl and
// callbackBody (required), callbackHost and callbackBodyType (optional; the body type is
// application/x-www-form-urlencoded or application/json).
import type { Check, CheckFinding } from '../check/types.js';
import { predictFirst } from './shared.js';

export const CALLBACK_BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];
const REQUIRED_MEMBERS = ['callbackUrl', 'callbackBody'];

/** Strict base64 (standard alphabet, whitespace tolerated) -> UTF-8 text, or null. */
function decode(v: string): string | null {
  const s = v.replace(/\s+/g, '');
  if (s === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 === 1) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'base64'));
  } catch {
    return null;
  }
}

export const ossCallback: Check = {
  id: 'oss.callback',
  providers: ['oss'],
  emits: ['oss.callback-not-json', 'oss.callback-member-missing', 'oss.callback-body-type'],
  run(ctx) {
    const part = ctx.form.get('callback');
    if (!part) return [];
    const notJson = (reason: string): CheckFinding[] => [
      { id: 'oss.callback-not-json', facts: { reason, field: part.name }, predicts: predictFirst(['oss.callback.invalid-json-config']), field: part.name },
    ];
    const text = decode(part.value);
    if (text === null) return notJson('base64');
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return notJson('json');
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return notJson('not-object');
    const o = doc as Record<string, unknown>;
    const out: CheckFinding[] = [];
    for (const member of REQUIRED_MEMBERS) {
      const v = o[member];
      if (typeof v === 'string' && v.trim() !== '') continue;
      const found = Object.keys(o).find((k) => k !== member && k.toLowerCase() === member.toLowerCase()) ?? null;
      out.push({
        id: 'oss.callback-member-missing',
        facts: { member, found, present: member in o, type: v === undefined ? null : typeof v },
        // handbook, CallbackFailed "Error status : 502.": CallbackUrl missing from the parameters
        predicts: member === 'callbackUrl' ? predictFirst(['oss.callback.error-status-502']) : null,
        field: part.name,
      });
    }
    const bodyType = o.callbackBodyType;
    if (bodyType !== undefined && !(typeof bodyType === 'string' && CALLBACK_BODY_TYPES.includes(bodyType.trim().toLowerCase()))) {
      out.push({
        id: 'oss.callback-body-type',
        facts: { value: typeof bodyType === 'string' ? bodyType : JSON.stringify(bodyType), allowed: CALLBACK_BODY_TYPES },
        predicts: null,
        field: part.name,
      });
    }
    return out;
  },
};
