// What `check` predicts for Ceph RGW where RGW differs from AWS by design (no gateway needed):
// forms without a file or with two, bodies without the closing delimiter, parts without a name,
// object conditions on absent fields; and `explain` reads the RGW wordings recorded by the
// agreement suite. AWS predictions for the same forms stay refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { resolvePrediction } from '../../src/core/catalogue.js';
import type { BodyProblem, Finding, Part, ServerFlavour, UploadRequest } from '../../src/core/types.js';
import { dispositionName } from '../../src/checks/body-problems.js';
import { explain } from '../../src/explain/index.js';
import { readUploadRequest } from '../../src/input/index.js';
import { predictionOf } from '../../src/replay/index.js';
import { sign } from '../../src/sign/index.js';
import { buildVariants, type Target } from './variants.js';

const T: Target = {
  host: '127.0.0.1:7480',
  bucket: 'pd-bucket',
  otherBucket: 'pd-other',
  region: 'default',
  accessKey: 'PDTESTACCESSKEY00001',
  secret: 'pdTestSecretKey/0000000000000000000000001',
  otherAccessKey: 'PDOTHERACCESSKEY0002',
  otherSecret: 'pdOtherSecret/00000000000000000000000002',
};

const dir = mkdtempSync(join(tmpdir(), 'pd-rgw-predictions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variants = buildVariants(T);

async function checkVariant(label: string, server: ServerFlavour) {
  const i = variants.findIndex((v) => `${v.scheme} ${v.name}` === label);
  expect(i, label).toBeGreaterThanOrEqual(0);
  const v = variants[i]!;
  const path = join(dir, `v${i}.http`);
  writeFileSync(path, v.capture);
  const req = await readUploadRequest({ path, text: v.capture.toString('utf8'), source: path });
  const result = await check(req, { provider: 's3', server, secret: v.checkSecret, now: new Date() });
  return { result, pred: predictionOf(result) };
}

/** A signed SigV4 form for the test target (fields before the file). */
function form(o: { extraFields?: Array<[string, string]>; conditionsOnly?: Array<[string, string]>; file?: boolean } = {}): UploadRequest {
  const now = new Date();
  const fields = sign({
    provider: 's3',
    bucket: T.bucket,
    region: T.region,
    now,
    expiresAt: new Date(now.getTime() + 600_000),
    accessKeyId: T.accessKey,
    secret: T.secret,
    endpoint: `http://${T.host}/${T.bucket}`,
    signatureVersion: 'v4',
    fields: [...(o.extraFields ?? []), ...(o.conditionsOnly ?? [])],
    key: 'a/b.bin',
  }).fields;
  const skip = new Set((o.conditionsOnly ?? []).map(([k]) => k.toLowerCase()));
  const parts: Part[] = fields.filter(([k]) => !skip.has(k.toLowerCase())).map(([name, value]) => ({ kind: 'field', name, value }));
  if (o.file !== false) parts.push({ kind: 'file', name: 'file', filename: 'b.bin', contentType: 'application/octet-stream', size: 10, source: { type: 'generated', size: 10 } });
  return { method: 'POST', url: `http://${T.host}/${T.bucket}`, headers: [['Content-Type', 'multipart/form-data; boundary=xyz']], parts, boundary: 'xyz', bodyProblems: [], notes: [] };
}

const withProblem = (req: UploadRequest, p: BodyProblem): UploadRequest => ({ ...req, bodyProblems: [p] });
const only = (fs: Finding[], prefix: string): Finding[] => fs.filter((x) => x.id.startsWith(prefix));

describe('file count: RGW accepts what AWS refuses', () => {
  for (const scheme of ['v4', 'v2']) {
    test(`${scheme}: no file and two files are warnings without a prediction on rgw`, async () => {
      for (const name of ['no file', 'two files']) {
        const { result, pred } = await checkVariant(`${scheme} ${name}`, 'rgw');
        expect(pred.accept, name).toBe(true);
        expect(result.verdict, name).toBe('pass');
        const f = only(result.findings, 'file.');
        expect(
          f.map((x) => [x.id, x.severity, x.predicts]),
          name,
        ).toEqual([[name === 'no file' ? 'file.missing' : 'file.multiple', 'warning', null]]);
      }
    });

    test(`${scheme}: AWS still refuses them`, async () => {
      for (const name of ['no file', 'two files']) {
        const { result } = await checkVariant(`${scheme} ${name}`, 'aws');
        const f = only(result.findings, 'file.')[0]!;
        expect([f.id, f.severity], name).toEqual([name === 'no file' ? 'file.missing' : 'file.multiple', 'error']);
        expect(resolvePrediction(f.predicts!), name).toMatchObject({ rule: 's3.post.one-file', status: 400, message: 'POST requires exactly one file upload per request.' });
      }
    });
  }
});

describe('multipart framing on RGW', () => {
  test('no closing delimiter after the file: a warning, accepted; AWS: MalformedPOSTRequest', async () => {
    const rgw = await checkVariant('v4 multipart: no closing delimiter', 'rgw');
    expect(rgw.pred.accept).toBe(true);
    expect(only(rgw.result.findings, 'body.').map((x) => [x.id, x.severity, x.predicts])).toEqual([['body.no-closing-delimiter', 'warning', null]]);
    const aws = await checkVariant('v4 multipart: no closing delimiter', 'aws');
    expect(aws.pred).toMatchObject({ accept: false, code: 'MalformedPOSTRequest' });
  });

  test('no closing delimiter and no file: "Couldn\'t find boundary"', async () => {
    const { pred } = await checkVariant('v2 multipart: cut before the file (no closing delimiter)', 'rgw');
    expect(pred).toMatchObject({ accept: false, status: 400, code: 'InvalidArgument', message: "Couldn't find boundary", rule: 'rgw.post.boundary-not-found', finding: 'body.no-closing-delimiter' });
  });

  test('a part without Content-Disposition or without a name: a field named "" not covered by the policy', async () => {
    for (const label of ['v4 multipart: part without Content-Disposition', 'v2 multipart: part with a filename but no name']) {
      const { pred } = await checkVariant(label, 'rgw');
      expect(pred, label).toMatchObject({ accept: false, status: 403, code: 'AccessDenied', message: 'Policy missing condition: ', rule: 'rgw.post.missing-condition' });
      const aws = await checkVariant(label, 'aws');
      expect(aws.pred, label).toMatchObject({ accept: false, code: 'MalformedPOSTRequest' });
    }
  });

  test('a disposition other than form-data with a name: RGW names that field', async () => {
    const r = await check(withProblem(form(), { kind: 'no-content-disposition', offset: 0, detail: 'attachment; name="foo"' }), { provider: 's3', server: 'rgw' });
    const f = only(r.findings, 'body.')[0]!;
    expect(f).toMatchObject({ severity: 'error', field: 'foo' });
    expect(resolvePrediction(f.predicts!).message).toBe('Policy missing condition: foo');
  });

  test('no prediction when RGW would not refuse the nameless part', async () => {
    const cases: Array<[string, UploadRequest]> = [
      ['x-ignore- name', withProblem(form(), { kind: 'no-content-disposition', detail: 'attachment; name="x-ignore-note"' })],
      ['covered by a condition', withProblem(form({ extraFields: [['x-amz-meta-note', 'hi']] }), { kind: 'no-content-disposition', detail: 'attachment; name="X-Amz-Meta-Note"' })],
      ['no policy at all', withProblem({ ...form(), parts: form().parts.filter((p) => p.name !== 'policy') }, { kind: 'no-content-disposition' })],
    ];
    for (const [what, req] of cases) {
      const r = await check(req, { provider: 's3', server: 'rgw' });
      expect(
        only(r.findings, 'body.').map((x) => [x.severity, x.predicts]),
        what,
      ).toEqual([['warning', null]]);
    }
  });

  test('bare LF, boundary mismatch: InvalidArgument on RGW, MalformedPOSTRequest on AWS', async () => {
    for (const kind of ['bare-lf', 'boundary-mismatch'] as const) {
      const req = withProblem(form(), { kind, offset: 3 });
      expect(predictionOf(await check(req, { provider: 's3', server: 'rgw' })), kind).toMatchObject({ accept: false, status: 400, code: 'InvalidArgument' });
      expect(predictionOf(await check(req, { provider: 's3', server: 'aws' })), kind).toMatchObject({ accept: false, status: 400, code: 'MalformedPOSTRequest' });
    }
  });

  test('dispositionName reads name= only', () => {
    expect(dispositionName(undefined)).toBeNull();
    expect(dispositionName('form-data; filename="a.txt"')).toBeNull();
    expect(dispositionName('attachment; name="foo"')).toBe('foo');
    expect(dispositionName('attachment;name=bar; filename="x"')).toBe('bar');
    expect(dispositionName("form-data; name*=UTF-8''caf%C3%A9")).toBeNull();
    expect(dispositionName('attachment; name="a\\"b"')).toBe('a"b');
  });
});

describe('object condition on an absent field', () => {
  test('RGW: "Policy check failed, variable not found"; AWS: a failed condition', async () => {
    const req = form({ conditionsOnly: [['x-amz-meta-tag', 'blue']] });
    const rgw = predictionOf(await check(req, { provider: 's3', server: 'rgw' }));
    expect(rgw).toMatchObject({ accept: false, status: 403, code: 'AccessDenied', message: 'Policy check failed, variable not found: x-amz-meta-tag', rule: 'rgw.post.condition-field-not-found' });
    const aws = predictionOf(await check(req, { provider: 's3', server: 'aws' }));
    expect(aws).toMatchObject({ accept: false, status: 403, code: 'AccessDenied', rule: 's3.post.condition-failed' });
  });
});

describe('explain reads the RGW wordings the agreement suite recorded', () => {
  const answer = (status: number, code: string, message: string): string =>
    `HTTP/1.1 ${status} X\r\nContent-Type: application/xml\r\n\r\n<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><BucketName>pd-x</BucketName><RequestId>tx0000-default</RequestId><HostId>1012-default-default</HostId></Error>`;
  const cases: Array<[number, string, string, string, Record<string, string>]> = [
    [403, 'AccessDenied', 'Policy check failed, variable not found: x-amz-meta-a', 'rgw.post.condition-field-not-found', { field: 'x-amz-meta-a' }],
    [400, 'InvalidArgument', 'Invalid token', 'rgw.post.invalid-token', {}],
    [400, 'InvalidArgument', 'Malformed request', 'rgw.post.malformed-request', {}],
    [400, 'InvalidArgument', 'Couldn&apos;t find boundary', 'rgw.post.boundary-not-found', {}],
    [403, 'AccessDenied', 'Policy missing condition: ', 'rgw.post.missing-condition', {}],
    [403, 'AccessDenied', 'Policy missing condition: Content-Type', 'rgw.post.missing-condition', { field: 'Content-Type' }],
  ];
  test.each(cases)('%i %s "%s" -> %s', (status, code, message, rule, facts) => {
    const ex = explain(answer(status, code, message), { provider: 's3' });
    expect(ex.recognised).toBe(true);
    expect(ex.matches[0]?.rule).toBe(rule);
    for (const [k, v] of Object.entries(facts)) expect(ex.matches[0]?.facts[k]).toBe(v);
  });
});
