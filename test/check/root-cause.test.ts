// Issue 13 "root cause first": the file part sent before other fields makes the server ignore
// those fields; that one mistake leads, with what it causes grouped under it.
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { check } from '../../src/check/index.js';
import type { ProviderId, UploadRequest } from '../../src/core/types.js';
import { Redactor } from '../../src/core/mask.js';
import { checkJson } from '../../src/render/check-json.js';
import { renderCheckText } from '../../src/render/check-text.js';
import { sign } from '../../src/sign/index.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function fileAt(provider: ProviderId, at: number): UploadRequest {
  const form = sign({
    provider,
    bucket: 'examplebucket',
    region: 'eu-central-1',
    key: 'a.txt',
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    now: NOW,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secret: SECRET,
  });
  const fields = form.fields.map(([name, value]) => ({ kind: 'field' as const, name, value }));
  const file = { kind: 'file' as const, name: 'file', filename: 'a.txt', contentType: 'text/plain', size: 3, source: { type: 'generated' as const, size: 3 } };
  return {
    method: 'POST',
    url: form.url,
    headers: [['Content-Type', 'multipart/form-data; boundary=----pdRoot']],
    parts: [...fields.slice(0, at), file, ...fields.slice(at)],
    boundary: '----pdRoot',
    bodyProblems: [],
    notes: [],
  };
}

describe('root cause first', () => {
  it('S3: the file before policy and signature leads; the missing fields are grouped under it', async () => {
    const r = await check(fileAt('s3', 1), { provider: 's3', now: NOW, secret: SECRET });
    const [first, ...rest] = r.findings;
    expect(first?.id).toBe('file.fields-ignored');
    expect(first?.severity).toBe('error');
    expect(first?.causes?.length).toBeGreaterThan(0);
    const caused = rest.filter((f) => f.causedBy === 'file.fields-ignored');
    expect(caused.map((f) => f.id)).toEqual(first!.causes);
    // the consequences follow the root directly
    expect(rest.slice(0, caused.length)).toEqual(caused);
    const json = checkJson(r, { lang: 'en', redactor: new Redactor() }) as { findings: Array<{ id: string; causes?: string[]; causedBy?: string }> };
    expect(json.findings[0]!.causes).toEqual(first!.causes);
    expect(json.findings[1]!.causedBy).toBe('file.fields-ignored');
    const text = renderCheckText(r, { lang: 'en', chalk: new Chalk({ level: 0 }), redactor: new Redactor() } as never);
    expect(text).toContain('Because of this');
  });
  it('a form with the file last has no grouping', async () => {
    const r = await check(fileAt('s3', 99), { provider: 's3', now: NOW, secret: SECRET });
    expect(r.findings.some((f) => f.causes || f.causedBy)).toBe(false);
  });
});
