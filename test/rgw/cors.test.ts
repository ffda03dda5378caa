// `probe --origin` against a real Ceph RGW: PutBucketCors a few configurations, send real
// preflights with probe, and check that (1) probe's verdict agrees with what RGW actually
// answered, and (2) the CORS engine's offline prediction (evaluatePreflight on the configuration
// read back with GetBucketCors) agrees too. The engine models Amazon S3 (docs/cors.md); where
// RGW deviates from AWS's documented behaviour the deviation is written down below as an
// explicit expectation, and the engine is left as it is.
//
// RGW deviations observed (Ceph 16.2 "pacific", beast frontend):
// - FIRST ORIGIN RULE DECIDES: RGW takes the first rule whose AllowedOrigin matches and then
//   checks the method and the requested headers against that rule only; a later rule listing the
//   method or header is never looked at. AWS: "uses the first CORSRule rule that matches" origin,
//   method and headers together (cors.html). Such preflights are allowed by AWS (and the engine)
//   and refused by RGW.
// - REFUSAL FORM: a refused preflight is 403 AccessDenied with an empty <Message>, with or without
//   a CORS configuration. AWS: 403 AccessForbidden "CORSResponse: This CORS request is not
//   allowed..." / "CORSResponse: CORS is not enabled for this bucket."
// - ALLOWED ANSWER HEADERS: Access-Control-Allow-Origin echoes the origin even for a "*" rule (AWS
//   sends "*"); Access-Control-Allow-Methods is the requested method alone (AWS: the rule's
//   methods); Vary is "Origin" (AWS: "Origin, Access-Control-Request-Headers,
//   Access-Control-Request-Method"); no Access-Control-Allow-Credentials (AWS: "true" with an
//   echoed origin). None of these changes Chromium's verdict on a preflight without credentials.
import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, S3Client, type CORSRule } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { checkRule, evaluatePreflight, parseCorsConfig, PROFILES, type CorsConfig } from '../../src/cors/index.js';
import { startRgw, type Rgw } from './harness.js';
import { rgwGate } from './gate.js';

const gate = rgwGate();

const APP = 'https://app.example.com';
const BUCKET = 'pd-cors';

function fakeIo(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stdinIsTTY: true,
    readStdin: async () => Buffer.alloc(0),
    env: {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

interface ProbeDoc {
  provider: string;
  server: string | null;
  origin: string;
  method: string;
  requestHeaders: string[];
  status: number;
  responseHeaders: Record<string, string>;
  allowed: boolean;
  refused: { part: string; kind: string; facts: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
  note: string | null;
}

/** How RGW departs from AWS on one preflight (the engine follows AWS). */
type Deviation = 'first-origin-rule-decides';

interface Probe {
  origin: string;
  method: string;
  headers?: string[];
  /** What RGW answers, as Chromium judges it. */
  allowed: boolean;
  /** Set when AWS (and so the engine) answers otherwise. */
  deviation?: Deviation;
}

interface Case {
  name: string;
  /** null: no CORS configuration (DeleteBucketCors). */
  rules: CORSRule[] | null;
  probes: Probe[];
}

const CASES: Case[] = [
  {
    name: 'exact origin',
    rules: [{ AllowedOrigins: [APP], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-date'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }],
    probes: [
      { origin: APP, method: 'POST', allowed: true },
      { origin: APP, method: 'PUT', headers: ['Content-Type', 'X-Amz-Date'], allowed: true },
      { origin: APP, method: 'PUT', headers: ['x-amz-meta-a'], allowed: false },
      { origin: APP, method: 'DELETE', allowed: false },
      { origin: 'https://evil.example.com', method: 'POST', allowed: false },
      { origin: 'http://app.example.com', method: 'POST', allowed: false },
      { origin: 'https://app.example.com:8443', method: 'POST', allowed: false },
    ],
  },
  {
    name: 'any origin (*)',
    rules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'POST'] }],
    probes: [
      { origin: 'https://anything.test', method: 'POST', allowed: true },
      { origin: 'http://localhost:5173', method: 'GET', allowed: true },
      { origin: 'https://anything.test', method: 'PUT', allowed: false },
      // no AllowedHeader: no requested header is allowed
      { origin: 'https://anything.test', method: 'POST', headers: ['x-amz-date'], allowed: false },
    ],
  },
  {
    name: 'wildcard origin http://*.example.com',
    rules: [{ AllowedOrigins: ['http://*.example.com'], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['*'] }],
    probes: [
      { origin: 'http://a.example.com', method: 'POST', allowed: true },
      // the * spans dots
      { origin: 'http://a.b.example.com', method: 'PUT', headers: ['x-amz-date', 'content-type'], allowed: true },
      { origin: 'http://example.com', method: 'POST', allowed: false },
      { origin: 'https://a.example.com', method: 'POST', allowed: false },
      { origin: 'http://a.example.com.evil.net', method: 'POST', allowed: false },
      { origin: 'http://a.example.com:8080', method: 'POST', allowed: false },
    ],
  },
  {
    name: 'methods without POST',
    rules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT', 'DELETE'], AllowedHeaders: ['*'] }],
    probes: [
      { origin: APP, method: 'POST', allowed: false },
      { origin: APP, method: 'POST', headers: ['content-type'], allowed: false },
      { origin: APP, method: 'PUT', headers: ['content-type'], allowed: true },
      { origin: APP, method: 'DELETE', allowed: true },
    ],
  },
  {
    name: 'AllowedHeader list with a prefix wildcard',
    rules: [{ AllowedOrigins: [APP], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['x-amz-*', 'Content-Type'] }],
    probes: [
      { origin: APP, method: 'PUT', headers: ['content-type', 'x-amz-date', 'x-amz-meta-owner'], allowed: true },
      { origin: APP, method: 'PUT', headers: ['content-type', 'x-requested-with'], allowed: false },
      { origin: APP, method: 'POST', headers: ['authorization'], allowed: false },
      { origin: APP, method: 'POST', headers: ['x-amz'], allowed: false },
    ],
  },
  {
    name: 'two rules for one origin (RGW: the first decides)',
    rules: [
      { AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] },
      { AllowedOrigins: [APP], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['*'] },
    ],
    probes: [
      { origin: APP, method: 'GET', allowed: true },
      { origin: APP, method: 'PUT', headers: ['content-type'], allowed: true },
      // AWS: rule 2 matches (origin, POST) -> allowed. RGW: rule 1 is the first for the origin and lacks POST.
      { origin: APP, method: 'POST', allowed: false, deviation: 'first-origin-rule-decides' },
      // AWS: rule 2 allows every header -> allowed. RGW: rule 1 allows content-type only.
      { origin: APP, method: 'PUT', headers: ['x-amz-date'], allowed: false, deviation: 'first-origin-rule-decides' },
    ],
  },
  {
    name: 'no CORS configuration',
    rules: null,
    probes: [
      { origin: APP, method: 'POST', allowed: false },
      { origin: APP, method: 'PUT', headers: ['content-type'], allowed: false },
    ],
  },
];

if (gate.mustFail) {
  test('RGW binaries are installed (required under CI)', () => {
    throw new Error(gate.reason ?? 'RGW binaries missing');
  });
}

describe.skipIf(!gate.run)('probe --origin against a real Ceph RGW', () => {
  let rgw: Rgw;
  let s3: S3Client;
  let url = '';

  beforeAll(async () => {
    rgw = await startRgw({ bucket: 'pd-cors-base', log: (l) => console.log(l) });
    expect(await rgw.createBucket(BUCKET)).toBe(200);
    s3 = new S3Client({
      region: rgw.region,
      endpoint: rgw.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: rgw.accessKey, secretAccessKey: rgw.secret },
    });
    url = `${rgw.endpoint}/${BUCKET}/uploads/photo.jpg`;
  }, 300_000);

  afterAll(async () => {
    s3?.destroy();
    await rgw?.stop();
  }, 60_000);

  async function probe(p: Probe): Promise<{ code: number; doc: ProbeDoc }> {
    const io = fakeIo();
    const args = ['node', 'post-doctor', 'probe', url, '--origin', p.origin, '--method', p.method, ...(p.headers?.length ? ['--header', ...p.headers] : []), '--format', 'json'];
    const code = await run(args, io);
    expect(io.err(), `probe ${p.origin} ${p.method}`).toBe('');
    return { code, doc: JSON.parse(io.out()) as ProbeDoc };
  }

  /** Put (or delete) the configuration and read it back into the engine's model. */
  async function configure(rules: CORSRule[] | null): Promise<CorsConfig> {
    if (rules === null) {
      await s3.send(new DeleteBucketCorsCommand({ Bucket: BUCKET }));
      await expect(s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
      return { provider: 's3', rules: [], source: 'json' };
    }
    await s3.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: rules } }));
    const back = await s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }));
    expect(back.CORSRules).toHaveLength(rules.length);
    return parseCorsConfig(JSON.stringify({ CORSRules: back.CORSRules }), { provider: 's3' });
  }

  for (const c of CASES) {
    test(c.name, async () => {
      const config = await configure(c.rules);
      for (const p of c.probes) {
        const what = `${c.name}: ${p.origin} ${p.method} [${(p.headers ?? []).join(',')}]`;
        const { code, doc } = await probe(p);

        // RGW's actual answer, judged on its face: a 200 that names the origin (or *)
        const allowOrigin = doc.responseHeaders['access-control-allow-origin'];
        const rgwAllowed = doc.status === 200 && (allowOrigin === p.origin || allowOrigin === '*');
        expect(rgwAllowed, `${what}: RGW`).toBe(p.allowed);

        // (1) probe's verdict agrees with RGW's answer
        expect(doc.allowed, `${what}: probe`).toBe(rgwAllowed);
        expect(code, `${what}: exit code`).toBe(rgwAllowed ? 0 : 1);
        expect(doc.provider).toBe('s3');
        expect(doc.server, `${what}: RGW recognised`).toBe('rgw');
        if (rgwAllowed) {
          expect(doc.refused).toBeNull();
          expect(doc.error).toBeNull();
          // deviation (ALLOWED ANSWER HEADERS): the origin echoed even for "*", the requested method alone, Vary: Origin
          expect(allowOrigin).toBe(p.origin);
          expect(doc.responseHeaders['access-control-allow-methods']).toBe(p.method);
          expect(doc.responseHeaders.vary).toBe('Origin');
          expect(doc.responseHeaders['access-control-allow-credentials']).toBeUndefined();
          if (p.headers?.length) expect(doc.responseHeaders['access-control-allow-headers']).toBe(doc.requestHeaders.join(','));
        } else {
          // RGW refuses without CORS headers, so Chromium reports the missing Allow-Origin (checked before the status)
          expect(doc.refused, what).toMatchObject({ part: 'allow-origin', kind: 'preflight-missing-allow-origin', facts: { status: 403, allowOrigin: null } });
          expect(doc.responseHeaders).toEqual({});
          // deviation (REFUSAL FORM): 403 AccessDenied with an empty message; AWS sends AccessForbidden "CORSResponse: ..."
          expect(doc.status).toBe(403);
          expect(doc.error).toEqual({ code: 'AccessDenied', message: '' });
          expect(doc.note).toBe('rgw-refused');
        }

        // (2) the engine's offline prediction (Amazon S3 rules) from the configuration read back
        const ev = evaluatePreflight(config, { origin: p.origin, method: p.method, requestHeaders: p.headers ?? [] });
        if (p.deviation === 'first-origin-rule-decides') {
          // deviation (FIRST ORIGIN RULE DECIDES): AWS allows, because a later rule matches origin,
          // method and headers together; RGW checked only the first rule for the origin.
          expect(ev.allowed, `${what}: engine follows AWS`).toBe(true);
          expect(ev.matchedRule, what).toBeGreaterThan(0);
          expect(rgwAllowed, what).toBe(false);
          // RGW's answer is the engine's verdict on the first rule for the origin alone
          const first = config.rules.find((r) => checkRule(r, p.origin, p.method, [], PROFILES.s3).origin);
          expect(first?.index, what).toBe(0);
          expect(
            checkRule(
              first!,
              p.origin,
              p.method,
              (p.headers ?? []).map((h) => h.toLowerCase()),
              PROFILES.s3,
            ).matches,
            what,
          ).toBe(false);
        } else {
          expect(ev.allowed, `${what}: engine`).toBe(rgwAllowed);
          if (!ev.allowed) {
            // the engine's AWS answer: 403 AccessForbidden with S3's CORSResponse message; RGW: AccessDenied, no message
            expect(ev.answer.status).toBe(403);
            expect(ev.answer.code).toBe('AccessForbidden');
            if (c.rules === null) expect(ev.refusal?.reason).toBe('no-rules');
          } else {
            // the engine's AWS answer headers vs RGW's (deviation ALLOWED ANSWER HEADERS)
            const engineOrigin = ev.answer.headers.find(([n]) => n === 'Access-Control-Allow-Origin')?.[1];
            const star = config.rules[ev.matchedRule!]!.allowedOrigins.includes('*');
            expect(engineOrigin).toBe(star ? '*' : p.origin);
          }
        }
      }
    });
  }
});
