// serve --server minio: the sandbox answers as MinIO does (cmd/api-headers.go, cmd/api-errors.go
// APIErrorResponse, cmd/api-response.go writeErrorResponse): Server "MinIO", a 16-digit
// upper-case hex request id, and MinIO's error document with MinIO's wording.
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../src/explain/index.js';
import { newRequestId } from '../../src/serve/answers.js';
import { BUCKET, formData, post, responseText, sandboxesClosedAfterEach, signedForm, xmlElement } from './helpers.js';

const sandbox = sandboxesClosedAfterEach(afterEach);

/** The element names of an XML error document, in order. */
const elements = (body: string): string[] => [...body.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1] as string).filter((n) => n !== 'Error');

describe('serve --server minio', () => {
  it('request ids are 16 upper-case hex digits, as fmt.Sprintf("%X", UnixNano)', () => {
    for (let i = 0; i < 20; i++) expect(newRequestId('s3', 'minio')).toMatch(/^[0-9A-F]{16}$/);
  });

  it('a good form is stored: 204 with MinIO headers', async () => {
    const s = await sandbox('s3', { server: 'minio' });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint)));
    expect(r.status).toBe(204);
    expect(r.headers.get('server')).toBe('MinIO');
    expect(r.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
    expect(r.headers.get('x-amz-id-2')).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a key outside the policy: MinIO's AccessDenied document, read back by explain as MinIO", async () => {
    const s = await sandbox('s3', { server: 'minio' });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { key: 'other/photo.txt' }));
    expect(r.status).toBe(403);
    expect(r.headers.get('server')).toBe('MinIO');
    expect(r.headers.get('content-type')).toMatch(/xml/);
    expect(r.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>')).toBe(true);
    expect(elements(r.body)).toEqual(['Code', 'Message', 'BucketName', 'Resource', 'RequestId', 'HostId']);
    expect(xmlElement(r.body, 'Message')).toBe('Access Denied. (Invalid according to Policy: Policy Condition failed)');
    expect(xmlElement(r.body, 'BucketName')).toBe(BUCKET.s3);
    expect(xmlElement(r.body, 'Resource')).toBe(`/${BUCKET.s3}`);
    expect(xmlElement(r.body, 'RequestId')).toBe(r.headers.get('x-amz-request-id'));
    const ex = explain(responseText(r));
    expect(ex.provider).toBe('s3');
    expect(ex.server).toBe('minio');
    expect(ex.matches.map((m) => m.rule)).toContain('minio.post.condition-failed');
    expect(s.diags.at(-1)).toMatchObject({ verdict: 'refused', status: 403, code: 'AccessDenied' });
  });

  it('a field the policy does not name: quotes written as encoding/xml writes them', async () => {
    const s = await sandbox('s3', { server: 'minio' });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint), { extra: [['x-amz-meta-uuid', '1']] }));
    expect(r.status).toBe(403);
    expect(r.body).toContain('&#34;X-Amz-Meta-Uuid&#34; not specified in the policy.');
    expect(r.body).not.toContain('ProposedSize');
    const ex = explain(responseText(r));
    expect(ex.matches.map((m) => m.rule)).toContain('minio.post.field-not-in-policy');
  });

  it("a wrong secret: SignatureDoesNotMatch without AWS's StringToSign elements", async () => {
    const s = await sandbox('s3', { server: 'minio' });
    const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint, { secret: 'another-secret-entirely-0000' })));
    expect(r.status).toBe(403);
    expect(xmlElement(r.body, 'Code')).toBe('SignatureDoesNotMatch');
    expect(elements(r.body)).toEqual(['Code', 'Message', 'BucketName', 'Resource', 'RequestId', 'HostId']);
  });

  it("POST to an object URL: MinIO's MethodNotAllowed", async () => {
    const s = await sandbox('s3', { server: 'minio' });
    const r = await post(`${s.endpoint}/some/object`, formData(signedForm('s3', s.endpoint)));
    expect(r.status).toBe(405);
    expect(xmlElement(r.body, 'Message')).toBe('The specified method is not allowed against this resource.');
    expect(xmlElement(r.body, 'Resource')).toBe(`/${BUCKET.s3}/some/object`);
  });
});
