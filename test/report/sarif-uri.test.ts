// Issue 11: SARIF artifact URIs percent-encode the characters of a file name that a URI would
// read as something else: "#" (fragment), "?" (query), a ":" before the first "/" (scheme).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { artifactUri } from '../../src/report/index.js';
import { cli } from './helpers.js';

const root = resolve(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(__dirname, 'sarif-2.1.0.subset.schema.json'), 'utf8'));
const validateSarif = new Ajv({ allErrors: true, strict: false }).compile(schema);
const dir = mkdtempSync(join(tmpdir(), 'pd-sarif-uri-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SARIF artifact URIs', () => {
  test('"#", "?", "%", spaces and a leading "x:" are encoded; paths and URLs otherwise as before', () => {
    expect(artifactUri('captures/upload#2.http')).toBe('captures/upload%232.http');
    expect(artifactUri('captures/why?.har')).toBe('captures/why%3F.har');
    expect(artifactUri('a b/100%.json')).toBe('a%20b/100%25.json');
    expect(artifactUri('x:y.http')).toBe('x%3Ay.http');
    expect(artifactUri('dir/x:y.http')).toBe('dir/x:y.http');
    expect(artifactUri('captures\\form.json')).toBe('captures/form.json');
    expect(artifactUri('/tmp/a.har')).toBe('/tmp/a.har');
    expect(artifactUri('C:/captures/a.har')).toBe('C:/captures/a.har');
    expect(artifactUri('https://signer.example.com/sign?x=1#f')).toBe('https://signer.example.com/sign?x=1#f');
    // decoding the URI gives the name back
    for (const p of ['captures/upload#2.http', 'why?.har', 'a b/100%.json', 'x:y.http']) expect(decodeURIComponent(artifactUri(p))).toBe(p);
  });

  test('check --format sarif on a file named with "#" and "?": valid SARIF, the name encoded', async () => {
    const name = 'upload #1?.json';
    const path = join(dir, name);
    copyFileSync(join(root, 'examples/oss/postobject-v1.json'), path);
    const r = await cli(['check', name, '--format', 'sarif', '--now', '2029-12-31T00:00:00Z'], { cwd: dir });
    expect([0, 1], r.err).toContain(r.code);
    const doc = JSON.parse(r.out);
    expect(validateSarif(doc), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    const uris = [doc.runs[0].artifacts[0].location.uri, ...doc.runs[0].results.flatMap((x: any) => (x.locations ?? []).map((l: any) => l.physicalLocation.artifactLocation.uri))];
    for (const u of uris) expect(u).toBe('upload%20%231%3F.json');
  });
});
