// Agreement suite: generated SigV4 and SigV2 uploads, each predicted by `check` (server: rgw, the
// secret of the access key the form names, now = the machine clock) and then sent by replay to a
// real Ceph RGW. Every prediction must agree with the answer on accept/reject and on the error
// code. Variants whose outcome depends on what exists on the gateway (which keys, which buckets)
// are outside a dry run's reach: they are sent and recorded, and must draw the refusal the variant
// names, but stay out of the agreement count. The table of results is written to docs/agreement.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/check/index.js';
import { readUploadRequest } from '../../src/input/index.js';
import { agrees, answerCode, collect, explainAnswer, planReplay, predictionOf, rawBodySegment, sendReplay, succeeded } from '../../src/replay/index.js';
import { startRgw, type Rgw } from './harness.js';
import { rgwGate } from './gate.js';
import { buildVariants, type Target, type Variant } from './variants.js';

const gate = rgwGate();

interface Row {
  variant: Variant;
  predicted: string;
  said: string;
  agree: boolean;
  /** Why the variant is outside a dry run's reach, or null. */
  outside: string | null;
  finding: string | null;
  rule: string | null;
  message: string;
  predictedMessage: string;
}

const DUMMY: Target = { host: '127.0.0.1:1', bucket: 'b', otherBucket: 'o', region: 'default', accessKey: 'AK', secret: 'SK', otherAccessKey: 'AK2', otherSecret: 'SK2' };
const OTHER_USER = { uid: 'pdother', accessKey: 'PDOTHERACCESSKEY0002', secret: 'pdOtherSecret/00000000000000000000000002' };
const NAMES = buildVariants(DUMMY).map((v) => `${v.scheme} ${v.name}`);

if (gate.mustFail) {
  test('RGW binaries are installed (required under CI)', () => {
    throw new Error(gate.reason ?? 'RGW binaries missing');
  });
}

describe.skipIf(!gate.run)('check agrees with a real Ceph RGW', () => {
  let rgw: Rgw;
  let dir: string;
  let variants: Variant[] = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    rgw = await startRgw({ bucket: 'pd-agreement', log: (l) => console.log(l) });
    const other = 'pd-agreement-other';
    expect(await rgw.createBucket(other)).toBe(200);
    await rgw.createUser(OTHER_USER.uid, OTHER_USER.accessKey, OTHER_USER.secret);
    dir = mkdtempSync(join(tmpdir(), 'pd-agreement-'));
    variants = buildVariants({
      host: `127.0.0.1:${rgw.port}`,
      bucket: rgw.bucket,
      otherBucket: other,
      region: rgw.region,
      accessKey: rgw.accessKey,
      secret: rgw.secret,
      otherAccessKey: OTHER_USER.accessKey,
      otherSecret: OTHER_USER.secret,
    });
    expect(variants.map((v) => `${v.scheme} ${v.name}`)).toEqual(NAMES);
  }, 300_000);

  afterAll(async () => {
    await rgw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (rows.filter(Boolean).length === NAMES.length) writeTable(rows);
  }, 60_000);

  test("at least 100 variants within a dry run's reach, SigV4 and SigV2", () => {
    expect(buildVariants(DUMMY).filter((v) => !v.outside).length).toBeGreaterThanOrEqual(100);
    expect(NAMES.filter((n) => n.startsWith('v4 ')).length).toBeGreaterThan(40);
    expect(NAMES.filter((n) => n.startsWith('v2 ')).length).toBeGreaterThan(40);
  });

  NAMES.forEach((label, i) => {
    test(label, async () => {
      const v = variants[i] as Variant;
      const path = join(dir, `variant-${i}.http`);
      writeFileSync(path, v.capture);
      const src = { path, text: v.capture.toString('utf8'), source: path };
      const req = await readUploadRequest(src);
      const result = await check(req, { provider: 's3', server: 'rgw', secret: v.checkSecret, now: new Date() });
      const pred = predictionOf(result);

      const verbatim = req.bodyProblems.length > 0 ? await rawBodySegment(src) : null;
      const plan = await planReplay(req, { verbatimBody: verbatim });
      // replay sends the captured bytes: rebuilt framing for regular bodies, the capture otherwise
      expect((await collect(plan.segments)).equals(v.body)).toBe(true);
      const res = await sendReplay(plan, { timeoutMs: 30_000, env: {} });
      const ex = explainAnswer(res, { provider: 's3' });
      const code = answerCode(res, ex);
      const agree = agrees(pred, res.status, code);
      const row: Row = {
        variant: v,
        predicted: pred.accept ? 'accept' : `${pred.status} ${pred.code}`,
        said: succeeded(res.status) ? `accept (${res.status})` : `${res.status} ${code ?? '?'}`,
        agree,
        outside: v.outside?.reason ?? null,
        finding: pred.finding,
        rule: pred.rule,
        message: ex?.error.message ?? '',
        predictedMessage: pred.message ?? '',
      };
      rows[i] = row;
      if (v.outside) {
        // the gateway refuses with the code the variant names, and explain recognises the answer
        expect(row.said, label).toBe(`${res.status} ${v.outside.code}`);
        expect(succeeded(res.status)).toBe(false);
        expect(ex?.matches.length ?? 0, label).toBeGreaterThan(0);
        return;
      }
      if (!agree) {
        const findings = result.findings.map((f) => `${f.severity} ${f.id}${f.predicts ? ` -> ${f.predicts.rule}` : ''}`).join('; ');
        expect.fail(`${label}: predicted ${row.predicted} (${row.finding ?? 'no finding'} / ${row.rule ?? '-'}), RGW said ${row.said} "${row.message}". Findings: ${findings || 'none'}`);
      }
      // every wording RGW used is in the knowledge base
      if (row.message.trim() !== '') expect(ex?.recognised, `explain does not recognise "${row.message}"`).toBe(true);
    });
  });
});

function rgwVersion(): string {
  const r = spawnSync('radosgw', ['--version'], { encoding: 'utf8' });
  return (r.stdout || '').trim().split('\n')[0] ?? 'unknown';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function writeTable(rows: Row[]): void {
  const inReach = rows.filter((r) => !r.outside);
  const outside = rows.filter((r) => r.outside);
  const agreed = inReach.filter((r) => r.agree).length;
  const lines = [
    '# Agreement of `check` with a real Ceph RGW',
    '',
    'Written by `test/rgw/agreement.test.ts` (do not edit by hand). Each generated upload was first',
    'checked offline (`check` with `server: rgw`, the secret of the access key the form names, now = the',
    'machine clock), then sent to a throw-away Ceph RGW by `replay`. "Agree" means the same accept/reject',
    'and the same error code.',
    '',
    `- Server: ${rgwVersion()}`,
    `- Run: ${new Date().toISOString()}`,
    `- Variants within a dry run's reach: ${inReach.length}; agreed: ${agreed}; disagreed: ${inReach.length - agreed}`,
    `- Variants outside a dry run's reach (sent and recorded, not counted): ${outside.length}`,
    '',
    '| # | scheme | variant | predicted | predicted message | RGW said | RGW message | agree | prediction from |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  inReach.forEach((r, i) => {
    const from = r.finding ? `${r.finding} → ${r.rule}` : '';
    lines.push(
      `| ${i + 1} | ${r.variant.scheme} | ${cell(r.variant.name)} | ${r.predicted} | ${cell(r.predictedMessage)} | ${r.said} | ${cell(r.message)} | ${r.agree ? 'yes' : 'NO'} | ${cell(from)} |`,
    );
  });
  lines.push(
    '',
    "## Outside a dry run's reach",
    '',
    'These uploads are consistent in themselves: whether they succeed depends on what exists on the',
    'gateway, which `check` cannot see without asking it. They are sent and their answers recorded; the',
    'suite requires the refusal shown, and `explain` reads it, but they are not part of the count above.',
    '',
    '| scheme | variant | predicted | RGW said | why a dry run cannot know |',
    '|---|---|---|---|---|',
  );
  for (const r of outside) lines.push(`| ${r.variant.scheme} | ${cell(r.variant.name)} | ${r.predicted} | ${r.said} | ${cell(r.outside ?? '')} |`);
  lines.push('');
  // the tracked docs/agreement.md is rewritten only by `npm run docs:update`; tests write to a temporary folder
  const dir = process.env.PD_UPDATE_DOCS ? join(process.cwd(), 'docs') : mkdtempSync(join(tmpdir(), 'pd-agreement-'));
  writeFileSync(join(dir, 'agreement.md'), lines.join('\n'));
}
