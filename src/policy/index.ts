// Policy decoding: base64 -> UTF-8 text -> JSON -> structure. Decoded once per check run;
// every problem on the way is reported with its position.

import type { DecodedPolicy } from '../core/types.js';
import { decodeBase64, type Base64Problem } from './base64.js';
import { parseJson, type JsonError } from '../core/json.js';
import { analyseStructure, policyProblem, type PolicyProblem } from './structure.js';

export { decodeBase64, type Base64Problem } from './base64.js';
export { parseJson, position, type JsonError, type JsonResult, type DuplicateKey } from '../core/json.js';
export { analyseStructure, parseExpiration, type PolicyProblem } from './structure.js';

export interface PolicyAnalysis {
  /** The decoded policy; null when the base64 or the UTF-8 cannot be decoded. JSON errors keep it (document null). */
  policy: DecodedPolicy | null;
  problems: PolicyProblem[];
  /** The JSON error, when the text is not JSON. */
  jsonError: JsonError | null;
}

/** The policy text's problems (base64, UTF-8, JSON), as opposed to the document's structure. */
export function isEncodingProblem(id: string): boolean {
  return /^policy\.(base64-|empty$|not-utf8$|bom$|json-invalid$|duplicate-key$)/.test(id) || id === 'obs.policy-trailing-comma';
}

function base64Problem(p: Base64Problem): PolicyProblem {
  switch (p.kind) {
    case 'bad-char':
      return policyProblem('policy.base64-bad-char', { char: p.char, codePoint: `U+${p.codePoint.toString(16).toUpperCase().padStart(4, '0')}`, offset: p.offset, count: p.count });
    case 'url-safe':
      return policyProblem('policy.base64-url-safe', { chars: p.chars, offset: p.offset });
    case 'whitespace':
      return policyProblem('policy.base64-whitespace', { offset: p.offset, count: p.count });
    case 'padding-missing':
      return policyProblem('policy.base64-padding-missing', { expected: p.expected, found: p.found });
    case 'padding-extra':
      return policyProblem('policy.base64-padding-extra', { expected: p.expected, found: p.found });
    case 'padding-inside':
      return policyProblem('policy.base64-padding-inside', { offset: p.offset });
    case 'bad-length':
      return policyProblem('policy.base64-bad-length', { length: p.length });
    case 'empty':
      return policyProblem('policy.empty', {});
  }
}

export interface PolicyReading {
  /**
   * Read a comma before a closing bracket as absent (reported as obs.policy-trailing-comma), as
   * OBS does with the policies its SDK's V4 helper writes (`...},]}`).
   */
  trailingCommas?: boolean;
}

/** Decode and analyse the `policy` form field's value. */
export function analysePolicy(base64: string, reading: PolicyReading = {}): PolicyAnalysis {
  const problems: PolicyProblem[] = [];
  const b = decodeBase64(base64);
  problems.push(...b.problems.map(base64Problem));
  // fatal base64 problems (not missing padding, not whitespace) are reported; the lenient decoding still lets us show the JSON
  if (!b.bytes) return { policy: null, problems, jsonError: null };

  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b.bytes);
  } catch {
    let offset = 0;
    // find the first byte where decoding fails
    for (let n = 1; n <= b.bytes.length; n++) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b.bytes.subarray(0, n));
        offset = n;
      } catch {
        // an incomplete sequence at the end is fine until it stays broken
        if (n - offset > 4) break;
      }
    }
    problems.push(policyProblem('policy.not-utf8', { offset }));
    return { policy: null, problems, jsonError: null };
  }

  const policy: DecodedPolicy = { base64, json, document: null, expiration: null, conditions: [] };
  if (json.charCodeAt(0) === 0xfeff) {
    problems.push(policyProblem('policy.bom', {}));
  }
  let parsed = parseJson(json);
  if (!parsed.ok && reading.trailingCommas) {
    const comma = /,(\s*[\]}])/.exec(json);
    const again = comma ? parseJson(json.replace(/,(\s*[\]}])/g, '$1')) : null;
    if (comma && again?.ok) {
      problems.push(policyProblem('obs.policy-trailing-comma', { offset: comma.index }));
      parsed = again;
    }
  }
  for (const d of parsed.duplicates) {
    problems.push(policyProblem('policy.duplicate-key', { key: d.key, path: d.path, line: d.line, column: d.column }));
  }
  if (!parsed.ok) {
    const e = parsed.error;
    problems.push(
      policyProblem(
        'policy.json-invalid',
        { reason: e.reason, line: e.line, column: e.column, offset: e.offset, found: e.found, expected: e.expected, excerpt: excerpt(json, e.offset) },
        { predict: `policy.json-invalid.${e.reason === 'unknown-character' || e.reason === 'bad-string' || e.reason === 'bad-number' ? 'unknown-character' : 'expected'}` },
      ),
    );
    return { policy, problems, jsonError: e };
  }
  policy.document = parsed.value;
  const s = analyseStructure(parsed.value);
  policy.expiration = s.expiration;
  policy.conditions = s.conditions;
  problems.push(...s.problems);
  return { policy, problems, jsonError: null };
}

/** The text around an offset, on one line, for showing where JSON broke. */
function excerpt(text: string, offset: number): string {
  const from = Math.max(0, offset - 20);
  const to = Math.min(text.length, offset + 20);
  return text.slice(from, to).replace(/\s+/g, ' ');
}
