// Hand-built upload requests for the check tests.
import type { FilePart, Part, UploadRequest } from '../../src/core/types.js';

export function b64(doc: unknown): string {
  return Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)).toString('base64');
}

export function field(name: string, value: string): Part {
  return { kind: 'field', name, value };
}

export function file(size: number | null, name = 'file'): FilePart {
  return {
    kind: 'file',
    name,
    filename: 'photo.jpg',
    contentType: 'image/jpeg',
    size,
    source: size === null ? { type: 'placeholder', text: '[Object Content]' } : { type: 'generated', size },
  };
}

export function request(url: string | null, parts: Part[], extra: Partial<UploadRequest> = {}): UploadRequest {
  return {
    method: 'POST',
    url,
    headers: [['Content-Type', 'multipart/form-data; boundary=----b']],
    parts,
    boundary: '----b',
    bodyProblems: [],
    notes: [],
    ...extra,
  };
}

export const COS_AK = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
export const COS_SECRET = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';

/** A COS form as in the API document, with a policy built from `policyDoc`. */
export function cosRequest(policyDoc: unknown, opts: { fileSize?: number | null; extra?: Part[]; signature?: string; keyTime?: string } = {}): UploadRequest {
  const keyTime = opts.keyTime ?? '1567150692;1567157892';
  return request('https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', [
    field('key', 'folder/subfolder/photo.jpg'),
    field('Content-Type', 'image/jpeg'),
    field('policy', typeof policyDoc === 'string' && !policyDoc.trim().startsWith('{') ? policyDoc : b64(policyDoc)),
    field('q-sign-algorithm', 'sha1'),
    field('q-ak', COS_AK),
    field('q-key-time', keyTime),
    field('q-signature', opts.signature ?? '7758dc9a832e9d301dca704cacbf9d9f8172fdef'),
    ...(opts.extra ?? []),
    file(opts.fileSize === undefined ? 1024 : opts.fileSize),
  ]);
}

export function cosPolicy(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    expiration: '2019-08-30T09:38:12.414Z',
    conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': COS_AK }, { 'q-sign-time': '1567150692;1567157892' }, ['starts-with', '$key', 'folder/'], ['content-length-range', 1, 10485760]],
    ...over,
  };
}

export const OSS_AK = 'LTAI5tExampleAccessKeyId';

export function ossRequest(policyDoc: unknown, opts: { fileSize?: number | null; extra?: Part[]; signature?: string } = {}): UploadRequest {
  return request('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/', [
    field('key', 'user/photo.jpg'),
    field('OSSAccessKeyId', OSS_AK),
    field('policy', typeof policyDoc === 'string' && !policyDoc.trim().startsWith('{') ? policyDoc : b64(policyDoc)),
    field('Signature', opts.signature ?? 'bm90LWEtcmVhbC1zaWduYXR1cmU='),
    ...(opts.extra ?? []),
    file(opts.fileSize === undefined ? 1024 : opts.fileSize),
  ]);
}

export function ossPolicy(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    expiration: '2030-01-01T12:00:00.000Z',
    conditions: [
      ['content-length-range', 0, 1048576000],
      ['starts-with', '$key', 'user/'],
    ],
    ...over,
  };
}
