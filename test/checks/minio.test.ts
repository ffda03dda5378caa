// The S3 checks with `--server minio`: each situation with MinIO's answer as its source writes it
// (github.com/minio/minio, commit 7aac2a2c: cmd/bucket-handlers.go PostPolicyBucketHandler,
// cmd/postpolicyform.go parsePostPolicyForm / checkPostPolicy, cmd/signature-v4*.go,
// cmd/api-errors.go), and the situations MinIO accepts where AWS refuses.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { predictedRule } from '../../src/check/predict.js';
import type { Check } from '../../src/check/types.js';
import { renderFinding, resolvePrediction } from '../../src/core/catalogue.js';
import type { BodyProblem, Finding, Part, UploadRequest } from '../../src/core/types.js';
import { bodyProblems } from '../../src/checks/body-problems.js';
import { fileCount } from '../../src/checks/file-count.js';
import { s3Conditions } from '../../src/checks/s3-conditions.js';
import { s3Credential } from '../../src/checks/s3-credential.js';
import { s3PolicyFields } from '../../src/checks/s3-policy-fields.js';
import { s3PreData } from '../../src/checks/s3-pre-data.js';
import { s3SignatureFields } from '../../src/checks/s3-signature-fields.js';
import { goCanonical, goConditionError, goExpirationError } from '../../src/checks/s3-minio.js';

const b64 = (doc: unknown): string => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)).toString('base64');
const f = (name: string, value: string): Part => ({ kind: 'field', name, value });
const file = (name = 'file', filename: string | null = 'photo.jpg'): Part => ({ kind: 'file', name, filename, contentType: 'image/jpeg', size: 1024, source: { type: 'generated', size: 1024 } });

const URL = 'http://localhost:9000/examplebucket';
const AKID = 'minioadmin';
const DATE = '20300101T000000Z';
const CRED = `${AKID}/20300101/us-east-1/s3/aws4_request`;
const NOW = new Date('2030-01-01T00:05:00Z');

const DENIED = 'Access Denied. (Invalid according to Policy: Policy Condition failed)';

interface FormOptions {
  conditions?: unknown[];
  policyDoc?: unknown;
  fields?: Part[];
  after?: Part[];
  omit?: string[];
  credential?: string;
  date?: string;
  file?: Part | null;
  url?: string | null;
  headers?: Array<[string, string]>;
  bodyProblems?: BodyProblem[];
}

/** A SigV4 form as the MinIO SDKs' presignedPostPolicy builds it. */
function minioForm(o: FormOptions = {}): UploadRequest {
  const doc = o.policyDoc ?? {
    expiration: '2030-01-01T01:00:00.000Z',
    conditions: [
      ['eq', '$bucket', 'examplebucket'],
      ['starts-with', '$key', 'user/'],
      ['eq', '$x-amz-algorithm', 'AWS4-HMAC-SHA256'],
      ['eq', '$x-amz-credential', o.credential ?? CRED],
      ['eq', '$x-amz-date', o.date ?? DATE],
      ...(o.conditions ?? []),
    ],
  };
  const parts: Part[] = [
    f('key', 'user/photo.jpg'),
    ...(o.fields ?? []),
    f('x-amz-algorithm', 'AWS4-HMAC-SHA256'),
    f('x-amz-credential', o.credential ?? CRED),
    f('x-amz-date', o.date ?? DATE),
    f('policy', b64(doc)),
    f('x-amz-signature', 'a'.repeat(64)),
  ].filter((p) => !(o.omit ?? []).includes(p.name));
  if (o.file !== null) parts.push(o.file ?? file());
  parts.push(...(o.after ?? []));
  return {
    method: 'POST',
    url: o.url === undefined ? URL : o.url,
    headers: o.headers ?? [['Content-Type', 'multipart/form-data; boundary=----b']],
    parts,
    boundary: '----b',
    bodyProblems: o.bodyProblems ?? [],
    notes: [],
  };
}

/** A SigV2 form (AWSAccessKeyId / signature). */
function minioV2Form(omit: string[] = []): UploadRequest {
  const doc = { expiration: '2030-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/']] };
  const parts = [f('key', 'user/a.txt'), f('AWSAccessKeyId', AKID), f('policy', b64(doc)), f('signature', 'bm90LWEtc2lnbmF0dXJl')].filter((p) => !omit.includes(p.name));
  return { method: 'POST', url: URL, headers: [['Content-Type', 'multipart/form-data; boundary=----b']], parts: [...parts, file()], boundary: '----b', bodyProblems: [], notes: [] };
}

async function run(c: Check | null, req: UploadRequest): Promise<Finding[]> {
  const res = await check(req, { provider: 's3', server: 'minio', now: NOW, ...(c ? { checks: [c] } : {}) });
  for (const x of res.findings) for (const lang of ['en', 'ja', 'zh'] as const) renderFinding(x, lang);
  return res.findings;
}

const answer = (x: Finding): { status: number | null; code: string | null; message: string | null } | null => {
  if (!x.predicts) return null;
  const { status, code, message } = resolvePrediction(x.predicts);
  return { status, code, message };
};
const messages = (fs: Finding[]): Array<string | null> => fs.map((x) => answer(x)?.message ?? null);
const one = (fs: Finding[]): Finding => {
  expect(fs).toHaveLength(1);
  return fs[0] as Finding;
};
const byId = (fs: Finding[], id: string): Finding => {
  const x = fs.find((y) => y.id === id);
  expect(x, id).toBeDefined();
  return x as Finding;
};

describe('a form MinIO takes', () => {
  test('the SDK-shaped SigV4 form: no error, the URL bucket covered by the policy', async () => {
    const out = await run(null, minioForm());
    expect(out.filter((x) => x.severity === 'error')).toEqual([]);
  });

  test('SigV2: signature and AWSAccessKeyId need no condition', async () => {
    expect(await run(s3PolicyFields, minioV2Form())).toEqual([]);
    expect(await run(s3SignatureFields, minioV2Form())).toEqual([]);
  });
});

describe('s3.signature-fields (MinIO)', () => {
  test('key missing: "The name of the uploaded key is missing"', async () => {
    const r = one(await run(s3SignatureFields, minioForm({ omit: ['key'] })));
    expect(r).toMatchObject({ id: 's3.field-missing', facts: { field: 'key' } });
    expect(answer(r)).toEqual({
      status: 400,
      code: 'MalformedPOSTRequest',
      message: 'The body of your POST request is not well-formed multipart/form-data. (The name of the uploaded key is missing)',
    });
  });

  test('x-amz-credential missing: the credential is mal-formed (parseCredentialHeader on "Credential=")', async () => {
    const r = one(await run(s3SignatureFields, minioForm({ omit: ['x-amz-credential'] })));
    expect(answer(r)).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    expect(answer(r)?.message).toContain('the Credential is mal-formed');
  });

  test('x-amz-signature or policy missing: SignatureDoesNotMatch', async () => {
    for (const omit of ['x-amz-signature', 'policy']) {
      const r = one(await run(s3SignatureFields, minioForm({ omit: [omit] })));
      expect(answer(r), omit).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    }
  });

  test('x-amz-algorithm or x-amz-date missing: MinIO signs without them (a warning; the policy condition is s3.conditions)', async () => {
    for (const omit of ['x-amz-algorithm', 'x-amz-date']) {
      const r = one(await run(s3SignatureFields, minioForm({ omit: [omit] })));
      expect(r, omit).toMatchObject({ id: 's3.field-missing', severity: 'warning', predicts: null });
    }
    const cond = byId(await run(s3Conditions, minioForm({ omit: ['x-amz-date'] })), 's3.condition-field-missing');
    expect(messages([cond])).toEqual([DENIED]);
  });

  test('a misspelt algorithm: not read by the signature, a warning', async () => {
    const req = minioForm({ fields: [] });
    const parts = req.parts.map((p) => (p.name === 'x-amz-algorithm' ? f('x-amz-algorithm', 'aws4-hmac-sha256') : p));
    const r = one(await run(s3SignatureFields, { ...req, parts }));
    expect(r).toMatchObject({ id: 's3.algorithm-invalid', severity: 'warning', predicts: null });
  });

  test('SigV2: AWSAccessKeyId missing is an unknown access key', async () => {
    const r = one(await run(s3SignatureFields, minioV2Form(['AWSAccessKeyId'])));
    expect(answer(r)).toEqual({ status: 403, code: 'InvalidAccessKeyId', message: 'The Access Key Id you provided does not exist in our records.' });
  });

  test('an anonymous form: MinIO takes no anonymous POST, its SigV4 path finds no credential', async () => {
    const anon: UploadRequest = { ...minioForm(), parts: [f('key', 'user/a'), file()] };
    const out = await run(s3SignatureFields, anon);
    expect(out.map((x) => x.facts.field)).toEqual(['Policy', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature']);
    expect(answer(byId(out, 's3.field-missing'))?.code).toBe('AuthorizationQueryParametersError');
  });
});

describe('s3.credential (MinIO)', () => {
  test('each part of the credential as parseCredentialHeader answers it', async () => {
    const cases: Array<[string, string, string]> = [
      [`${AKID}/2030-01-01/us-east-1/s3/aws4_request`, 'AuthorizationQueryParametersError', 'incorrect date format'],
      [`${AKID}/20300101/us-east-1/s4/aws4_request`, 'AuthorizationParametersError', 'incorrect service'],
      [`${AKID}/20300101/us-east-1/s3/aws4_requests`, 'AuthorizationQueryParametersError', 'incorrect terminal'],
    ];
    for (const [credential, code, words] of cases) {
      const out = await run(s3Credential, minioForm({ credential }));
      const r = byId(out, 's3.credential-malformed');
      expect(answer(r)?.code, credential).toBe(code);
      expect(answer(r)?.message, credential).toContain(words);
    }
  });

  test('a short access key is unknown to MinIO', async () => {
    const r = byId(await run(s3Credential, minioForm({ credential: 'ab/20300101/us-east-1/s3/aws4_request' })), 's3.credential-malformed');
    expect(answer(r)?.code).toBe('InvalidAccessKeyId');
  });

  test('an empty x-amz-credential is mal-formed', async () => {
    const r = one(await run(s3Credential, minioForm({ credential: '' })));
    expect(r).toMatchObject({ id: 's3.credential-malformed', facts: { part: 'shape' } });
    expect(answer(r)?.message).toContain('the Credential is mal-formed');
  });

  test('a trailing slash: MinIO reads the credential all the same (a warning)', async () => {
    const r = one(await run(s3Credential, minioForm({ credential: `${CRED}/` })));
    expect(r).toMatchObject({ id: 's3.credential-malformed', severity: 'warning', predicts: null });
  });

  test('x-amz-date is read by no signature code: its findings are warnings', async () => {
    const out = await run(s3Credential, minioForm({ date: '2030-01-01T00:00:00Z' }));
    expect(out).toEqual([expect.objectContaining({ id: 's3.date-malformed', severity: 'warning', predicts: null })]);
  });

  test('SigV2 forms have no credential; ASIA keys mean nothing to MinIO', async () => {
    expect(await run(s3Credential, minioV2Form())).toEqual([]);
    expect(await run(s3Credential, minioForm({ credential: 'ASIAEXAMPLEKEY/20300101/us-east-1/s3/aws4_request' }))).toEqual([]);
  });
});

describe('s3.policy-fields (MinIO)', () => {
  test('a field without a condition: named in Go canonical form', async () => {
    const r = one(await run(s3PolicyFields, minioForm({ fields: [f('x-amz-meta-uuid', '14365123651274')] })));
    expect(r).toMatchObject({ id: 's3.extra-input-field', facts: { field: 'x-amz-meta-uuid', name: 'X-Amz-Meta-Uuid' } });
    expect(answer(r)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Access Denied. (Each form field that you specify in a form must appear in the list of policy conditions. "X-Amz-Meta-Uuid" not specified in the policy.)',
    });
  });

  test('the URL bucket must be named by the policy, whether or not the form sends it', async () => {
    const doc = {
      expiration: '2030-01-01T01:00:00.000Z',
      conditions: [['starts-with', '$key', 'user/'], { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': CRED }, { 'x-amz-date': DATE }],
    };
    const r = one(await run(s3PolicyFields, minioForm({ policyDoc: doc })));
    expect(r).toMatchObject({ id: 's3.bucket-condition-missing', facts: { bucket: 'examplebucket' } });
    expect(messages([r])).toEqual(['Access Denied. (Each form field that you specify in a form must appear in the list of policy conditions. "Bucket" not specified in the policy.)']);
  });

  test('every uncovered value is named in the one answer; x-ignore-* and the SSE-C key are exempt, its MD5 is not', async () => {
    const fields = [f('Content-Type', 'image/jpeg'), f('x-ignore-tracking', '1'), f('x-amz-server-side-encryption-customer-key', 'a2V5'), f('x-amz-server-side-encryption-customer-key-MD5', 'bWQ1')];
    const out = await run(s3PolicyFields, minioForm({ fields }));
    expect(out.map((x) => x.facts.name)).toEqual(['Content-Type', 'X-Amz-Server-Side-Encryption-Customer-Key-Md5']);
    expect(new Set(messages(out))).toEqual(
      new Set([
        'Access Denied. (Each form field that you specify in a form must appear in the list of policy conditions. "Content-Type, X-Amz-Server-Side-Encryption-Customer-Key-Md5" not specified in the policy.)',
      ]),
    );
  });

  test('a policy without conditions covers nothing', async () => {
    const out = await run(s3PolicyFields, minioForm({ policyDoc: { expiration: '2030-01-01T01:00:00.000Z' } }));
    expect(out.map((x) => x.facts.name ?? 'Bucket')).toEqual(['Key', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'Bucket']);
  });

  test('a file part under another name is a form value too', async () => {
    const req = minioForm({ fields: [file('avatar')] });
    expect(byId(await run(s3PolicyFields, req), 's3.extra-input-field').facts).toMatchObject({ field: 'avatar', name: 'Avatar' });
  });
});

describe('s3.conditions (MinIO)', () => {
  test('a standard field fails without MinIO naming the condition', async () => {
    const req = minioForm({ fields: [], conditions: [] });
    const parts = req.parts.map((p) => (p.name === 'key' ? f('key', 'other/photo.jpg') : p));
    const r = one(await run(s3Conditions, { ...req, parts }));
    expect(r).toMatchObject({ id: 's3.condition-failed', facts: { value: 'other/photo.jpg' } });
    expect(answer(r)).toEqual({ status: 403, code: 'AccessDenied', message: DENIED });
  });

  test('an x-amz-* field names the condition, lower-cased and unquoted', async () => {
    const req = minioForm({ fields: [f('X-Amz-Meta-Uuid', '1')], conditions: [['eq', '$X-Amz-Meta-Uuid', '14365123651274']] });
    const r = one(await run(s3Conditions, req));
    expect(messages([r])).toEqual(['Access Denied. (Invalid according to Policy: Policy Condition failed: [eq, $x-amz-meta-uuid, 14365123651274])']);
  });

  test('starts-with on bucket is refused even when the value starts so', async () => {
    const doc = {
      expiration: '2030-01-01T01:00:00.000Z',
      conditions: [['starts-with', '$bucket', 'example'], ['starts-with', '$key', 'user/'], { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': CRED }, { 'x-amz-date': DATE }],
    };
    const r = one(await run(s3Conditions, minioForm({ policyDoc: doc })));
    expect(r).toMatchObject({ id: 's3.condition-exact-only', facts: { field: 'bucket' } });
    expect(messages([r])).toEqual([DENIED]);
  });

  test('starts-with on success_action_status is allowed (AWS takes exact matches only)', async () => {
    const req = minioForm({ fields: [f('success_action_status', '201')], conditions: [['starts-with', '$success_action_status', '20']] });
    expect(await run(s3Conditions, req)).toEqual([]);
  });

  test('an absent field compares as "": starts-with "" passes, eq "201" fails', async () => {
    expect(await run(s3Conditions, minioForm({ conditions: [['starts-with', '$Content-Type', '']] }))).toEqual([]);
    const r = one(await run(s3Conditions, minioForm({ conditions: [{ success_action_status: '201' }] })));
    expect(r).toMatchObject({ id: 's3.condition-field-missing' });
    expect(messages([r])).toEqual([DENIED]);
  });

  test('a Content-Type list is one value to MinIO', async () => {
    const req = minioForm({ fields: [f('Content-Type', 'image/png, image/jpeg')], conditions: [['starts-with', '$Content-Type', 'image/']] });
    expect(await run(s3Conditions, req)).toEqual([]);
  });

  test('conditions on fields MinIO does not know are never compared', async () => {
    expect(await run(s3Conditions, minioForm({ fields: [f('foo', 'b')], conditions: [['eq', '$foo', 'a']] }))).toEqual([]);
  });

  test('a field sent twice fails its condition with both values', async () => {
    const req = minioForm({ fields: [f('acl', 'private'), f('ACL', 'public-read')], conditions: [{ acl: 'private' }] });
    const r = one(await run(s3Conditions, req));
    expect(messages([r])).toEqual(['Access Denied. (Invalid according to Policy: Policy Condition failed: [eq, $acl, private]. FormValues have multiple values: [private, public-read])']);
  });

  test('the key after ${filename}: the file part name, else the key itself', async () => {
    const req = minioForm({ conditions: [] });
    const parts = req.parts.map((p) => (p.name === 'key' ? f('key', 'avatars/${filename}') : p));
    const r = one(await run(s3Conditions, { ...req, parts }));
    expect(r).toMatchObject({ id: 's3.key-filename-condition', facts: { value: 'avatars/photo.jpg', fileName: 'photo.jpg' } });
    expect(messages([r])).toEqual([DENIED]);
  });

  test('the bucket of the URL against the policy', async () => {
    const r = one(await run(s3Conditions, minioForm({ url: 'http://localhost:9000/otherbucket' })));
    expect(r).toMatchObject({ id: 's3.bucket-condition-failed', facts: { value: 'otherbucket' } });
    expect(messages([r])).toEqual([DENIED]);
  });
});

describe('the policy document (MinIO)', () => {
  const policyFinding = async (doc: unknown, id: string): Promise<Finding> => byId(await run(null, minioForm({ policyDoc: doc })), id);
  const CONDS = [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/'], { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': CRED }, { 'x-amz-date': DATE }];

  test('expired: "Policy expired" inside Access Denied', async () => {
    const r = await policyFinding({ expiration: '2030-01-01T00:01:00.000Z', conditions: CONDS }, 'time.expired');
    expect(answer(r)).toEqual({ status: 403, code: 'AccessDenied', message: 'Access Denied. (Invalid according to Policy: Policy expired)' });
  });

  test('no expiration: time.Parse of "" in the reason', async () => {
    const r = await policyFinding({ conditions: CONDS }, 'policy.expiration-missing');
    expect(answer(r)).toEqual({
      status: 403,
      code: 'PostPolicyInvalidKeyName',
      message: `Invalid according to Policy: Policy Condition failed '(parsing time "" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "2006")'`,
    });
  });

  test('an expiration of the wrong type: encoding/json in the reason', async () => {
    const r = await policyFinding({ expiration: 1893459600, conditions: CONDS }, 'policy.expiration-not-string');
    expect(answer(r)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(json: cannot unmarshal number into Go struct field .expiration of type string)'`);
  });

  test('not an object: sanitizePolicy leaves nothing to decode (EOF)', async () => {
    const r = await policyFinding([1, 2], 'policy.not-object');
    expect(answer(r)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(EOF)'`);
  });

  test("conditions of each wrong form, with Go's formatting of the condition", async () => {
    const arity = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, ['eq', '$acl']] }, 'policy.condition-arity');
    expect(answer(arity)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(Malformed conditional fields [eq $acl] of type []interface {} found in POST policy form)'`);
    const op = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, ['matches', '$acl', 'x']] }, 'policy.condition-unknown-operator');
    expect(answer(op)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(Unknown type []interface {} of conditional field value [matches $acl x] found in POST policy form)'`);
    const prefix = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, ['eq', 'ACL', 'Private']] }, 'policy.condition-field-prefix');
    expect(answer(prefix)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(Invalid according to Policy: Policy Condition failed: [eq, acl, Private])'`);
    const range = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, ['content-length-range', '1', '10 MB']] }, 'policy.content-length-range-invalid');
    expect(answer(range)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(strconv.Atoi: parsing "10 MB": invalid syntax)'`);
    const type = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, 'acl'] }, 'policy.condition-invalid-type');
    expect(answer(type)?.message).toBe(`Invalid according to Policy: Policy Condition failed '(Unknown field acl of type string found in POST policy form)'`);
  });

  test('a simple condition with several properties is several eq conditions to MinIO: no answer of its own', async () => {
    const r = await policyFinding({ expiration: '2030-01-01T01:00:00.000Z', conditions: [...CONDS, { acl: 'private', 'Cache-Control': 'no-cache' }] }, 'policy.simple-condition-properties');
    expect(r.predicts).toBeNull();
  });

  test('a JSON syntax error: the jstream reason is not reproduced, so it is elided (never a raw placeholder)', async () => {
    const r = byId(
      await run(null, { ...minioForm(), parts: minioForm().parts.map((p) => (p.name === 'policy' ? f('policy', b64('{"expiration": "2030-01-01T01:00:00.000Z",')) : p)) }),
      'policy.json-invalid',
    );
    expect(answer(r)).toEqual({ status: 403, code: 'PostPolicyInvalidKeyName', message: "Invalid according to Policy: Policy Condition failed '(…)'" });
  });

  test('a policy that is not base64: MalformedPOSTRequest without a reason', async () => {
    const out = await run(null, { ...minioForm(), parts: minioForm().parts.map((p) => (p.name === 'policy' ? f('policy', 'eyJ!!') : p)) });
    const r = out.find((x) => x.id.startsWith('policy.base64'));
    expect(r && answer(r)).toEqual({ status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' });
  });
});

describe('files, body and limits (MinIO)', () => {
  test('no part named "file": "The file or text content is missing", also for a file under another name', async () => {
    for (const req of [minioForm({ file: null }), minioForm({ file: file('upload') })]) {
      const r = one(await run(fileCount, req));
      expect(r.id).toBe('file.missing');
      expect(answer(r)).toEqual({
        status: 400,
        code: 'MalformedPOSTRequest',
        message: 'The body of your POST request is not well-formed multipart/form-data. (The file or text content is missing)',
      });
    }
  });

  test('a text part named "file" is the file; several files: the first is stored (a warning)', async () => {
    expect(await run(fileCount, minioForm({ file: f('file', 'hello') }))).toEqual([]);
    const r = one(await run(fileCount, minioForm({ after: [file('file', 'second.jpg')] })));
    expect(r).toMatchObject({ id: 'file.multiple', severity: 'warning', predicts: null });
  });

  test('no 20 KB limit before the file', async () => {
    expect(await run(s3PreData, minioForm({ fields: [f('x-amz-meta-note', 'x'.repeat(30_000))] }))).toEqual([]);
  });

  test('not multipart/form-data: the router\'s "unsupported API call" with method and path', async () => {
    const req = minioForm({ headers: [['Content-Type', 'application/x-www-form-urlencoded']], bodyProblems: [{ kind: 'not-multipart', detail: 'application/x-www-form-urlencoded' }] });
    const r = byId(await run(bodyProblems, req), 'body.not-multipart');
    expect(answer(r)).toEqual({ status: 400, code: 'BadRequest', message: "An unsupported API call for method: POST at '/examplebucket'" });
  });

  test('no boundary: http.ErrMissingBoundary in the reason', async () => {
    const req = minioForm({ headers: [['Content-Type', 'multipart/form-data']], bodyProblems: [{ kind: 'missing-boundary' }] });
    const r = byId(await run(bodyProblems, req), 'body.missing-boundary');
    expect(messages([r])).toEqual(['The body of your POST request is not well-formed multipart/form-data. (no multipart boundary param in Content-Type)']);
  });

  test('a body that never uses its boundary reads as a form without a file; a nameless part is skipped', async () => {
    const mismatch = byId(await run(bodyProblems, minioForm({ bodyProblems: [{ kind: 'boundary-mismatch' }] })), 'body.boundary-mismatch');
    expect(messages([mismatch])).toEqual(['The body of your POST request is not well-formed multipart/form-data. (The file or text content is missing)']);
    const nameless = byId(await run(bodyProblems, minioForm({ bodyProblems: [{ kind: 'no-content-disposition', offset: 10 }] })), 'body.no-content-disposition');
    expect(nameless).toMatchObject({ severity: 'warning', predicts: null });
  });

  test('an empty body: EmptyRequestBody', async () => {
    const req: UploadRequest = { ...minioForm(), parts: [], bodyProblems: [{ kind: 'no-closing-delimiter', offset: 0 }] };
    const r = byId(await run(bodyProblems, req), 'body.no-closing-delimiter');
    expect(answer(r)).toEqual({ status: 400, code: 'EmptyRequestBody', message: 'Request body cannot be empty.' });
  });

  test('file size against content-length-range', async () => {
    const req = minioForm({ conditions: [['content-length-range', 1, 100]] });
    const r = byId(await run(null, req), 'file.too-large');
    expect(answer(r)).toEqual({ status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed object size.' });
  });
});

describe('the prediction table (MinIO)', () => {
  test('no fallback to AWS: a situation without a MinIO cell predicts nothing', () => {
    expect(predictedRule('time.clock-skew', 's3', 'minio')).toBeNull();
    expect(predictedRule('file.count', 's3', 'minio')).toBeNull();
    expect(predictedRule('body.malformed', 's3', 'minio')).toBeNull();
    expect(predictedRule('signature.invalid', 's3', 'minio')).toBe('minio.post.signature-mismatch');
    expect(predictedRule('signature.invalid', 's3', 'aws')).toBe('s3.post.signature-mismatch');
  });

  test('Go helpers: canonical names, time.Parse and condition errors', () => {
    expect(goCanonical('x-amz-meta-uuid')).toBe('X-Amz-Meta-Uuid');
    expect(goCanonical('success_action_status')).toBe('Success_action_status');
    expect(goCanonical('AWSAccessKeyId')).toBe('Awsaccesskeyid');
    expect(goCanonical('my field')).toBe('my field');
    expect(goExpirationError(' ')).toBe('parsing time " " as "2006-01-02T15:04:05.999999999Z07:00": cannot parse " " as "2006"');
    expect(goExpirationError('2030-01-01')).toBeNull();
    expect(goConditionError(['eq', '$key', 1])).toBe('Unknown type []interface {} of conditional field value [eq $key %!s(float64=1)] found in POST policy form');
    expect(goConditionError({ acl: null })).toBe('Unknown type map[string]interface {} of conditional field value map[acl:<nil>] found in POST policy form');
    expect(goConditionError(['content-length-range', 0, 1048576])).toBeNull();
    expect(goConditionError({ a: 'x', b: 'y' })).toBeNull();
  });
});
