// The knowledge-base files of the OBS and TOS providers (rules/kb/obs, rules/kb/tos) and the MinIO
// file (rules/kb/minio): each pattern matches its own message the way explain reads it, every entry
// has the same text in en, ja and zh, its documentation links and, where the research found no
// wording, no message at all. Then a few MinIO answers run through explain.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build script without types
import { loadRules } from '../../scripts/compile-rules.mjs';
import type { KbEntry } from '../../src/core/catalogue.js';
import { LANGS } from '../../src/core/types.js';
import { explain } from '../../src/explain/index.js';
import { entryMatcher } from '../../src/explain/match.js';
import { decodeEntities, normaliseSpace } from '../../src/explain/text.js';

const { catalogue, errors } = loadRules() as { catalogue: { kb: KbEntry[] }; errors: string[] };
const inFile = (dir: string) => catalogue.kb.filter((e) => e.file.replaceAll('\\', '/').startsWith(`rules/kb/${dir}/`));
const obs = inFile('obs');
const tos = inFile('tos');
const minio = inFile('minio');

/** A value for each placeholder name of the templates in these files. */
const SAMPLE: Record<string, string> = {
  accessKeyId: 'AKEXAMPLE0000',
  user: 'iam-user-1',
  action: 'obs:object:PutObject',
  resource: 'obs:::object:examplebucket/uploads/a.txt',
  policyType: 'identity-based',
  actionType: 'allow',
  method: 'null',
  field: 'x-amz-meta-a',
  op: 'eq',
  value: 'b',
  values: 'a, b',
  reason: 'multipart: NextPart: EOF',
  cause: 'drive offline',
  expectedRegion: 'us-east-1',
  path: '/bucket',
};

function filled(template: string): string {
  return normaliseSpace(decodeEntities(template.replace(/\{([A-Za-z_][\w.-]*)(?:\|[a-z]+)?\}/g, (_, k: string) => SAMPLE[k] ?? 'x1')));
}

function placeholders(s: string | undefined): string[] {
  return [...(s ?? '').matchAll(/\{([A-Za-z_]\w*)/g)].map((m) => m[1]!).sort();
}

describe('rules/kb/obs, rules/kb/tos and rules/kb/minio', () => {
  it('compile without errors', () => {
    expect(errors).toEqual([]);
    expect(obs.length).toBe(13 + 24);
    expect(tos.length).toBe(22 + 12);
    expect(minio.length).toBe(28 + 17);
  });

  it('name their provider in the id and in providers', () => {
    for (const e of obs) expect([e.id.split('.')[0], e.providers], e.id).toEqual(['obs', ['obs']]);
    for (const e of tos) expect([e.id.split('.')[0], e.providers], e.id).toEqual(['tos', ['tos']]);
    for (const e of minio) expect([e.id.split('.')[0], e.providers, e.server], e.id).toEqual(['minio', ['s3'], 'minio']);
  });

  for (const e of [...obs, ...tos, ...minio]) {
    it(`${e.id}: pattern matches its message, texts in every language, documentation`, () => {
      expect(e.docs.length, e.id).toBeGreaterThan(0);
      for (const d of e.docs) expect(d, e.id).toMatch(/^https:\/\/\S+$/);
      expect(e.source.trim().length, e.id).toBeGreaterThan(0);
      const en = e.text.en;
      for (const lang of LANGS) {
        const t = e.text[lang];
        expect(t.title.trim().length && t.cause.trim().length, `${e.id} ${lang}`).toBeGreaterThan(0);
        expect(t.steps.length, `${e.id} ${lang}: as many steps as en`).toBe(en.steps.length);
        expect(placeholders(t.facts), `${e.id} ${lang}: facts`).toEqual(placeholders(en.facts));
      }
      // a pattern always comes with the verbatim wording it was written for
      expect(e.pattern === undefined || e.message !== undefined, `${e.id}: pattern without message`).toBe(true);
      if (e.message) {
        expect(e.pattern, `${e.id}: message without pattern`).toBeDefined();
        const subject = filled(e.message);
        const m = new RegExp(e.pattern!, 'iu').exec(subject);
        expect(m, `${e.id}: ${subject}`).not.toBeNull();
        // every placeholder of the message is a named capture of the pattern
        for (const p of placeholders(e.message)) expect(Object.keys(m?.groups ?? {}), `${e.id}: {${p}}`).toContain(p);
        // and the engine's matcher (as explain runs it) agrees
        expect(entryMatcher(e, 0)?.exec(subject), `${e.id}: engine`).not.toBeNull();
        expect(entryMatcher(e, 0)?.exec(subject.toUpperCase()), `${e.id}: case-insensitive`).not.toBeNull();
      }
      for (const p of [...placeholders(en.facts)]) {
        const names = [...(e.pattern ?? '').matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((x) => x[1]);
        expect(names, `${e.id}: facts {${p}} is captured`).toContain(p);
      }
    });
  }

  it("MinIO entries do not claim wordings that are AWS's (or OSS's) word for word", () => {
    // left out of rules/kb/minio on purpose: explain would call such an AWS or OSS answer MinIO's
    const shared = [
      'The specified bucket does not exist',
      'The Content-MD5 you specified is not valid.',
      'The Content-MD5 you specified did not match what we received.',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      'A header you provided implies functionality that is not implemented.',
    ];
    for (const e of minio.filter((x) => x.pattern)) {
      for (const w of shared) expect(new RegExp(e.pattern!, 'iu').test(w), `${e.id}: ${w}`).toBe(false);
    }
  });

  it('OBS and TOS code-only entries carry no wording', () => {
    for (const e of [...obs, ...tos].filter((x) => x.file.endsWith('/codes.yaml'))) {
      expect(e.generic, e.id).toBe(true);
      expect(e.message, e.id).toBeUndefined();
      expect(e.pattern, e.id).toBeUndefined();
      expect(e.code, e.id).not.toBeNull();
    }
  });

  it('TOS entries known only by their EC carry no code and no wording', () => {
    const ecOnly = tos.filter((e) => e.file.endsWith('/post.yaml') && e.code === null);
    expect(ecOnly.length).toBe(19);
    for (const e of ecOnly) {
      expect(e.message, e.id).toBeUndefined();
      expect(e.pattern, e.id).toBeUndefined();
      expect(e.ec?.length, e.id).toBe(1);
    }
    const ecs = tos.flatMap((e) => e.ec ?? []);
    expect(new Set(ecs).size, 'each TOS EC documented once').toBe(ecs.length);
  });

  it('OBS wordings are the documented ones', () => {
    const worded = obs.filter((e) => e.message);
    expect(worded.map((e) => e.id).sort()).toEqual(
      obs
        .filter((e) => e.file.endsWith('/post.yaml'))
        .map((e) => e.id)
        .sort(),
    );
    const byId = new Map(obs.map((e) => [e.id, e]));
    expect(byId.get('obs.post.invalid-access-key-id')?.message).toBe('The OBS Access Key Id you provided does not exist in our records.');
    expect(byId.get('obs.post.v4-signed-date-too-skewed')).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
    expect(byId.get('obs.cors.not-enabled')).toMatchObject({ status: 403, code: 'AccessForbidden' });
    // the OPTIONS refusals print "Bad Request" where the code should be: not known
    expect(byId.get('obs.cors.preflight-missing-origin')).toMatchObject({ status: 400, code: null });
  });
});

describe('MinIO answers added from kb-next', () => {
  const minioAnswer = (status: string, code: string, message: string) =>
    `HTTP/1.1 ${status}\r\nServer: MinIO\r\nContent-Type: application/xml\r\n\r\n<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>uploads/a.txt</Key><BucketName>uploads</BucketName><Resource>/uploads</Resource><RequestId>17A1B2C3D4E5F607</RequestId><HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId></Error>`;

  const cases: Array<[string, string, string, string, Record<string, string>?]> = [
    ['403 Forbidden', 'InvalidTokenId', 'The security token included in the request is invalid', 'minio.post.invalid-token'],
    ['400 Bad Request', 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 'minio.post.malformed-post-request-bare'],
    ['400 Bad Request', 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data. (multipart: NextPart: EOF)', 'minio.post.malformed-post-request'],
    ['400 Bad Request', 'XAmzContentChecksumMismatch', "The provided 'x-amz-checksum' header does not match what was computed.", 'minio.post.checksum-mismatch'],
    ['501 Not Implemented', 'NotImplemented', 'Server side encryption specified but KMS is not configured (KMS not configured for a server side encrypted objects)', 'minio.post.kms-not-configured'],
    ['500 Internal Server Error', 'InternalError', 'We encountered an internal error, please try again.: cause(drive not found)', 'minio.post.internal-error', { cause: 'drive not found' }],
    ['500 Internal Server Error', 'InternalError', 'We encountered an internal error, please try again.', 'minio.post.internal-error'],
    ['503 Service Unavailable', 'SlowDownWrite', 'Resource requested is unwritable, please reduce your request rate', 'minio.post.slow-down-write'],
    ['403 Forbidden', 'AccessDenied', 'Access Denied.', 'minio.post.access-denied'],
  ];
  for (const [status, code, message, rule, facts] of cases) {
    it(`${code}: ${message}`, () => {
      const r = explain(minioAnswer(status, code, message), { now: new Date('2026-01-01T00:00:00Z') });
      const summary = `matches=${r.matches.map((m) => m.rule).join(',')}`;
      expect(r.provider, summary).toBe('s3');
      expect(r.server, summary).toBe('minio');
      expect(r.matches[0]?.rule, summary).toBe(rule);
      if (facts) expect(r.matches[0]?.facts, summary).toMatchObject(facts);
    });
  }
});
