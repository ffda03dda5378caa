// check --cors-config: the bucket's CORS rules against captures of every kind, through the CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { sign } from '../../src/sign/index.js';
import { copyAsFetch, devtoolsHar, type Form } from '../input/capture-writers.js';

const NOW = '2030-01-01T00:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'pd-cors-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function form(provider: 's3' | 'oss' | 'cos' | 'gcs', origin: string): Form {
  const region = { s3: 'eu-central-1', oss: 'cn-hangzhou', cos: 'ap-beijing', gcs: undefined }[provider];
  const bucket = { s3: 'examplebucket', oss: 'examplebucket', cos: 'examplebucket-1250000000', gcs: 'example-bucket' }[provider];
  const f = sign({
    provider,
    bucket,
    ...(region ? { region } : {}),
    key: 'a.png',
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    now: new Date(NOW),
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secret: 'secret-secret-secret',
  });
  return { url: f.url, fields: f.fields, file: { field: 'file', name: 'a.png', type: 'image/png', bytes: Buffer.alloc(10) }, origin };
}

async function cli(args: string[]): Promise<{ exit: number; out: string; err: string; ids: string[] }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, stdinIsTTY: true, readStdin: async () => Buffer.alloc(0), env: {}, cwd: dir };
  const exit = await run(['node', 'post-doctor', ...args], io);
  let ids: string[] = [];
  if (args.includes('json') && out) ids = (JSON.parse(out) as { findings: Array<{ id: string }> }).findings.map((f) => f.id);
  return { exit, out, err, ids };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const CONFIGS = {
  s3: (origin: string, methods = ['POST']) =>
    JSON.stringify({ CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: methods, AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'Location', 'Date', 'x-amz-request-id'] }] }),
  oss: (origin: string, methods = ['POST']) =>
    `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin>${methods.map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('')}<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>Location</ExposeHeader><ExposeHeader>Date</ExposeHeader><ExposeHeader>x-oss-request-id</ExposeHeader></CORSRule><ResponseVary>false</ResponseVary></CORSConfiguration>`,
  gcs: (origin: string, methods = ['POST']) =>
    JSON.stringify([{ origin: [origin], method: methods, responseHeader: ['ETag', 'Date', 'Location', 'x-goog-generation', 'x-goog-hash'], maxAgeSeconds: 3600 }]),
};

describe.each(['s3', 'oss', 'gcs'] as const)('%s: check --cors-config', (provider) => {
  const base = ['check', '--provider', provider, '--now', NOW, '--format', 'json'];

  it('an allowed origin: no CORS finding', async () => {
    const cap = file(`${provider}-ok.har`, devtoolsHar(form(provider, 'https://app.example.com')));
    const cfg = file(`${provider}-ok.cors`, CONFIGS[provider]('https://app.example.com'));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.err).toBe('');
    expect(r.ids.filter((id) => id.startsWith('cors.'))).toEqual([]);
  });

  it("another origin: the answer carries no Access-Control-Allow-Origin, and the fix is in the provider's format", async () => {
    const cap = file(`${provider}-other.har`, devtoolsHar(form(provider, 'http://localhost:5173')));
    const cfg = file(`${provider}-other.cors`, CONFIGS[provider]('https://app.example.com'));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.exit).toBe(1);
    expect(r.ids).toContain('cors.no-allow-origin');
    const f = (JSON.parse(r.out) as { findings: Array<{ id: string; facts: { fix: string } }> }).findings.find((x) => x.id === 'cors.no-allow-origin')!;
    expect(f.facts.fix).toContain('http://localhost:5173');
    if (provider === 'oss') expect(f.facts.fix).toMatch(/^<\?xml|<CORSConfiguration>/);
    else expect(() => JSON.parse(f.facts.fix) as unknown).not.toThrow();
  });

  it("--origin overrides the capture's Origin", async () => {
    const cap = file(`${provider}-o.har`, devtoolsHar(form(provider, 'http://localhost:5173')));
    const cfg = file(`${provider}-o.cors`, CONFIGS[provider]('https://app.example.com'));
    const r = await cli([...base, cap, '--cors-config', cfg, '--origin', 'https://app.example.com']);
    expect(r.ids.filter((id) => id.startsWith('cors.'))).toEqual([]);
  });

  it('a "Copy as fetch" (no Origin) takes the origin from the referrer', async () => {
    const cap = file(`${provider}-fetch.js`, copyAsFetch(form(provider, 'http://localhost:5173'), 'browser'));
    const cfg = file(`${provider}-fetch.cors`, CONFIGS[provider]('https://app.example.com'));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.ids).toContain('cors.no-allow-origin');
  });
});

describe('check --cors-config: what the capture shows', () => {
  const base = ['check', '--provider', 's3', '--now', NOW, '--format', 'json'];

  it('a custom header forces a preflight that a rule without it refuses', async () => {
    const har = JSON.parse(devtoolsHar(form('s3', 'https://app.example.com'))) as { log: { entries: Array<{ request: { headers: Array<{ name: string; value: string }> } }> } };
    har.log.entries[0]!.request.headers.push({ name: 'x-amz-meta-owner', value: 'me' });
    const cap = file('hdr.har', JSON.stringify(har));
    const cfg = file('hdr.cors', JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'], AllowedHeaders: ['content-type'] }] }));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.ids).toContain('cors.preflight-refused-header');
  });

  it('a <form> navigation is not subject to CORS', async () => {
    const har = JSON.parse(devtoolsHar(form('s3', 'https://app.example.com'))) as { log: { entries: Array<{ request: { headers: Array<{ name: string; value: string }> } }> } };
    for (const h of har.log.entries[0]!.request.headers) if (h.name === 'sec-fetch-mode') h.value = 'navigate';
    for (const h of har.log.entries[0]!.request.headers) if (h.name === 'sec-fetch-dest') h.value = 'document';
    const cap = file('nav.har', JSON.stringify(har));
    const cfg = file('nav.cors', JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://other.example.com'], AllowedMethods: ['GET'] }] }));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.ids).toContain('cors.form-navigation');
    expect(r.ids.filter((id) => id.startsWith('cors.') && id !== 'cors.form-navigation')).toEqual([]);
  });

  it('no origin anywhere: said, not guessed', async () => {
    const text = copyAsFetch(form('s3', 'https://app.example.com'), 'browser').replace(/\s*"referrer": "[^"]*",/, '');
    const cap = file('noorigin.js', text);
    const cfg = file('noorigin.cors', JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'] }] }));
    const r = await cli([...base, cap, '--cors-config', cfg]);
    expect(r.ids).toContain('cors.origin-unknown');
  });

  it('usage mistakes: --origin alone, a bad origin, an unreadable configuration: exit 2, one line', async () => {
    const cap = file('u.har', devtoolsHar(form('s3', 'https://app.example.com')));
    const cfg = file('u.cors', JSON.stringify({ CORSRules: [] }));
    for (const args of [
      [...base, cap, '--origin', 'https://app.example.com'],
      [...base, cap, '--cors-config', cfg, '--origin', 'https://app.example.com/page'],
      [...base, cap, '--cors-config', 'missing.json'],
      [...base, cap, '--cors-config', file('bad.cors', '{"CORSRules": [')],
    ]) {
      const r = await cli(args);
      expect(r.exit, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
