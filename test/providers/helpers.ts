// Builders for provider tests: an UploadRequest from a URL and form fields, and a SignatureContext.
import type { UploadRequest } from '../../src/core/types.js';
import { FormView } from '../../src/core/fields.js';
import type { SignatureContext } from '../../src/providers/types.js';

export function makeRequest(url: string | null, fields: Array<[string, string]>, headers: Array<[string, string]> = []): UploadRequest {
  return {
    method: 'POST',
    url,
    headers,
    parts: [
      ...fields.map(([name, value]) => ({ kind: 'field' as const, name, value })),
      { kind: 'file' as const, name: 'file', filename: 'a.jpg', contentType: 'image/jpeg', size: 3, source: { type: 'inline' as const, data: new Uint8Array([1, 2, 3]) } },
    ],
    boundary: 'b',
    bodyProblems: [],
    notes: [],
  };
}

export function makeContext(req: UploadRequest, secret: string, now = new Date('2019-08-30T08:00:00Z')): SignatureContext {
  return { req, form: new FormView(req), policy: null, secret, now };
}

export function b64(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64');
}
