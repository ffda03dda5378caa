// Big and hostile inputs are handled within 200 MB of memory, or refused with a clear
// message: a huge file part (256 MiB here; 1 GiB with CI=1 or POST_DOCTOR_BIG=1), 100,000
// form fields, a 10 MB policy, deeply nested JSON (policy, JSON form, HAR, explain), a
// 500 MB HAR. All data is generated in the temp directory and deleted afterwards.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIG_OSS_FIELDS, BIG_OSS_HOST, cli, writeBigCapture } from './helpers.js';
import { disposeBundle, spawnCli } from './spawn.js';

const MEMORY_MIB = 200;
const BIG = process.env.CI !== undefined || process.env.POST_DOCTOR_BIG === '1';
const dir = mkdtempSync(join(tmpdir(), 'pd-size-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  disposeBundle();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const OSS_FIELDS = BIG_OSS_FIELDS;
const OSS_URL = `http://${BIG_OSS_HOST}/`;

/** A raw capture whose file part is `size` bytes (sparse on disk: zeros, written by truncation). */
function bigCapture(size: number): string {
  return writeBigCapture(join(dir, `capture-${size}.http`), size, '----pdBoundary7MA4YWxkTrZu0gW');
}

describe('size limits: handled within 200 MB or refused clearly', () => {
  const size = BIG ? 1024 ** 3 : 256 * 1024 ** 2;
  it(`a ${size / 1024 ** 2} MiB file part in a raw capture is streamed: its size is read, memory stays under ${MEMORY_MIB} MB`, async () => {
    const path = bigCapture(size);
    const r = await spawnCli(['check', path, '--format', 'json', '--provider', 'oss', '--now', '2029-01-01T00:00:00Z']);
    rmSync(path, { force: true });
    expect([0, 1], r.stderr).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(j.request.file.size).toBe(size);
    expect(j.request.fields.map((f: [string, string]) => f[0])).toEqual(OSS_FIELDS.map(([n]) => n));
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
  }, 600_000);

  it('100,000 form fields: refused with one line naming where (JSON form and raw capture), within memory', async () => {
    const fields: Array<[string, string]> = [...OSS_FIELDS];
    for (let i = 0; i < 100_000; i++) fields.push([`x-oss-meta-f${i}`, `value ${i}`]);
    const form = join(dir, 'many-fields.json');
    writeFileSync(form, JSON.stringify({ url: OSS_URL, fields, file: { name: 'a.txt', content: 'hello' } }));
    const r = await spawnCli(['check', form, '--format', 'json', '--now', '2029-01-01T00:00:00Z']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^post-doctor: .*many-fields\.json: field 'fields': the form has 100005 parts, more than post-doctor reads \(10000\)\n$/);
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);

    const b = 'pdb';
    const parts: string[] = [];
    for (const [n, v] of fields) parts.push(`--${b}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`);
    parts.push(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--${b}--\r\n`);
    const raw = join(dir, 'many-fields.http');
    writeFileSync(raw, `POST / HTTP/1.1\r\nHost: examplebucket.oss-cn-hangzhou.aliyuncs.com\r\nContent-Type: multipart/form-data; boundary=${b}\r\n\r\n${parts.join('')}`);
    const r2 = await spawnCli(['check', raw, '--format', 'text']);
    expect(r2.code, r2.stderr).toBe(2);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    // the headers of the 10,001st part follow the first 10,000 parts and its delimiter line
    const offset = Buffer.byteLength(parts.slice(0, 10_000).join('')) + `--${b}\r\n`.length;
    expect(r2.stderr).toContain(`many-fields.http: the form has 100005 parts, more than post-doctor reads (10000); the headers of part 10001 start at this offset of the body (byte offset ${offset})`);
    expect(r2.maxRssMiB, `max RSS ${r2.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
  }, 600_000);

  it('10,000 form fields (the most read) are checked, within memory', async () => {
    const fields: Array<[string, string]> = [...OSS_FIELDS];
    for (let i = fields.length; i < 9_999; i++) fields.push([`x-oss-meta-f${i}`, `value ${i}`]);
    const form = join(dir, 'ten-thousand.json');
    writeFileSync(form, JSON.stringify({ url: OSS_URL, fields, file: { name: 'a.txt', content: 'hello' } }));
    const r = await spawnCli(['check', form, '--format', 'json', '--now', '2029-01-01T00:00:00Z']);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(JSON.parse(r.stdout).request.fields.length).toBe(9_999);
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
  }, 600_000);

  function policyForm(name: string, bytes: number): string {
    const conditions: unknown[] = [['starts-with', '$key', 'up/']];
    const one = JSON.stringify(['eq', '$x-oss-meta-m00000', 'v'.repeat(40)]).length + 1;
    for (let i = 0; i < Math.floor(bytes / one); i++) conditions.push(['eq', `$x-oss-meta-m${String(i).padStart(5, '0')}`, 'v'.repeat(40)]);
    const doc = JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions });
    const fields = OSS_FIELDS.map(([n, v]) => [n, n === 'policy' ? b64(doc) : v]);
    const form = join(dir, name);
    writeFileSync(form, JSON.stringify({ url: OSS_URL, fields, file: { name: 'a.txt', content: 'hello' } }));
    return form;
  }

  it('a 10 MB policy is refused with one line naming the field, within memory', async () => {
    const r = await spawnCli(['check', policyForm('big-policy.json', 10_000_000), '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^post-doctor: .*big-policy\.json: field 'policy': the policy is 1[0-9.]+ MiB of base64; post-doctor reads policies up to 1 MiB/);
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
  }, 600_000);

  it('a policy just under the limit (thousands of conditions) is checked, within memory and time', async () => {
    const r = await spawnCli(['check', policyForm('limit-policy.json', 760_000), '--format', 'json', '--now', '2029-01-01T00:00:00Z']);
    expect([0, 1], r.stderr).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(j.policy.conditions.length).toBeGreaterThan(10_000);
    expect(j.findings.map((f: { id: string }) => f.id)).not.toContain('internal.check-failed');
    expect(r.maxRssMiB, `max RSS ${r.maxRssMiB.toFixed(0)} MiB`).toBeLessThan(MEMORY_MIB);
  }, 600_000);

  it('a 500 MB HAR is refused at once with a clear one-line message (exit 2)', async () => {
    const path = join(dir, 'huge.har');
    const head = '{"log":{"version":"1.2","entries":[{"request":{"method":"POST","url":"https://x/","postData":{"mimeType":"multipart/form-data; boundary=b","text":"';
    const fd = openSync(path, 'w');
    writeSync(fd, head);
    ftruncateSync(fd, 500 * 1024 * 1024);
    closeSync(fd);
    const r = await spawnCli(['check', path]);
    rmSync(path, { force: true });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^post-doctor: .*huge\.har: input is 500 MiB/);
    expect(r.maxRssMiB).toBeLessThan(MEMORY_MIB);
    expect(r.ms).toBeLessThan(10_000);
  }, 120_000);
});

describe('deeply nested JSON: a clear answer, never a stack overflow', () => {
  const deep = '['.repeat(100_000);

  it('in a policy: the finding policy.json-invalid (too deep), exit 1', async () => {
    const fields = OSS_FIELDS.map(([n, v]) => [n, n === 'policy' ? b64(deep) : v]);
    const form = join(dir, 'deep-policy.json');
    writeFileSync(form, JSON.stringify({ url: OSS_URL, fields, file: { name: 'a.txt', content: 'hello' } }));
    const r = await cli(['check', form, '--format', 'json', '--now', '2029-01-01T00:00:00Z']);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    const f = j.findings.find((x: { id: string }) => x.id === 'policy.json-invalid');
    expect(f, JSON.stringify(j.findings.map((x: { id: string }) => x.id))).toBeDefined();
    expect(JSON.stringify(j.findings)).not.toContain('internal.check-failed');
    // closed again: the same, not a crash
    const fields2 = OSS_FIELDS.map(([n, v]) => [n, n === 'policy' ? b64(`{"conditions":${'['.repeat(50_000)}${']'.repeat(50_000)}}`) : v]);
    writeFileSync(form, JSON.stringify({ url: OSS_URL, fields: fields2, file: { name: 'a.txt', content: 'hello' } }));
    const r2 = await cli(['check', form, '--format', 'json']);
    expect(r2.code, r2.stderr).toBe(1);
  });

  it('as a JSON form and as a HAR: exit 2, one line naming line and column', async () => {
    for (const [name, text] of [
      ['deep-form.json', `{"url":"${OSS_URL}","fields":${deep}`],
      ['deep.har', `{"log":{"entries":${deep}`],
      ['deep-object.json', `{"url":"${OSS_URL}","fields":${'{"a":'.repeat(50_000)}`],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const r = await cli(['check', path]);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^post-doctor: .*${name.replace('.', '\\.')}:1:\\d+: invalid JSON: nested too deeply`));
    }
  });

  it('as an error answer to explain: exit 1 or 2, never a crash', async () => {
    for (const text of [
      `{"error":${deep}`,
      `{"error":${deep}${']'.repeat(100_000)}}`,
      `<Error>${'<a>'.repeat(50_000)}`,
      `<Error><Code>AccessDenied</Code>${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</Error>`,
    ]) {
      const r = await cli(['explain', '-'], {}, text);
      expect([1, 2, 0], r.stderr).toContain(r.code);
      if (r.code === 2) {
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/^post-doctor: stdin(:\d+:\d+)?: /);
      }
    }
  });
});
