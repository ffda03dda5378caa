// serve's terminal: the start banner says whether signatures are verified; bound to every
// interface it shows addresses a browser can open (127.0.0.1 and this machine's IPv4 addresses),
// never 0.0.0.0; and a diagnosis never points at a signature walk-through serve does not show.
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { runServe } from '../../src/cli/commands/serve.js';
import { findingEntries, ui } from '../../src/core/catalogue.js';
import { LANGS } from '../../src/core/types.js';
import { WALK_THROUGH_STEPS } from '../../src/serve/diagnosis.js';
import { reachableUrls } from '../../src/serve/server.js';
import { formData, post, sandboxesClosedAfterEach, SECRET, signedForm } from './helpers.js';

const sandbox = sandboxesClosedAfterEach(afterEach);

const memIo = (env: NodeJS.ProcessEnv = {}): MemoryIo => memoryIo({ env });

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Run `serve` until its banner is out; returns what it printed and the first URL. */
async function banner(opts: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<{ out: string; err: string; url: string }> {
  const io = memIo(env);
  const ac = new AbortController();
  const done = runServe(io, { provider: 's3', port: '0', signal: ac.signal, ...opts });
  await until(() => io.err().includes('Ctrl-C'));
  const url = /(http:\/\/\S+\/)/.exec(io.out())![1]!;
  ac.abort();
  expect(await done).toBe(0);
  return { out: io.out(), err: io.err(), url };
}

describe('serve banner', () => {
  it('says signatures are verified when a secret is given', async () => {
    const b = await banner({ host: '127.0.0.1' }, { AWS_SECRET_ACCESS_KEY: SECRET });
    expect(b.err).toContain(ui('serve.secret', 'en'));
    expect(b.err).not.toMatch(/not verified/);
    expect(b.err).not.toContain(SECRET);
  });

  it('says "signatures not verified: no secret" otherwise, naming where a secret goes', async () => {
    const b = await banner({ host: '127.0.0.1' });
    expect(b.err).toMatch(/^Signatures not verified: no secret key \(set AWS_SECRET_ACCESS_KEY, or use --secret-env \/ --secret-file\)$/m);
    const ja = await banner({ host: '127.0.0.1', lang: 'ja' });
    expect(ja.err).toContain('署名は検証しません');
  });

  it('bound to 0.0.0.0 (or ::): 127.0.0.1 and the IPv4 addresses of this machine, never 0.0.0.0', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const host of ['0.0.0.0', '::']) {
      let b: { out: string; err: string; url: string };
      try {
        b = await banner({ host });
      } catch (e) {
        // a machine without IPv6 cannot bind ::
        if (host === '::' && /EAFNOSUPPORT|EADDRNOTAVAIL/.test(String(e))) continue;
        throw e;
      }
      expect(b.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(`${b.out}${b.err}`).not.toMatch(/0\.0\.0\.0|\[::\]/);
      const port = new URL(b.url).port;
      if (others.length) for (const a of others) expect(b.err).toContain(`http://${a}:${port}/`);
      else expect(b.err).toContain(ui('serve.only-loopback', 'en'));
      // the live view, opened at 127.0.0.1, names the address it was opened at
      expect(b.out.split('\n')[0]).toContain(b.url);
    }
  });

  it('reachableUrls: loopback first, then the non-internal IPv4 addresses; a specific address is itself', () => {
    const ifs = {
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [
        { address: '192.168.1.5', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.5/24' },
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
      ],
      wlan0: [{ address: '10.0.0.7', netmask: '255.0.0.0', family: 'IPv4', mac: '02:00:00:00:00:02', internal: false, cidr: '10.0.0.7/8' }],
    } as ReturnType<typeof networkInterfaces>;
    const at = (address: string, family = 'IPv4'): AddressInfo => ({ address, family, port: 9000 });
    expect(reachableUrls(at('0.0.0.0'), ifs)).toEqual(['http://127.0.0.1:9000/', 'http://192.168.1.5:9000/', 'http://10.0.0.7:9000/']);
    expect(reachableUrls(at('::', 'IPv6'), ifs)).toEqual(['http://127.0.0.1:9000/', 'http://192.168.1.5:9000/', 'http://10.0.0.7:9000/']);
    expect(reachableUrls(at('127.0.0.1'), ifs)).toEqual(['http://127.0.0.1:9000/']);
    expect(reachableUrls(at('::1', 'IPv6'), ifs)).toEqual(['http://[::1]:9000/']);
    expect(reachableUrls(at('0.0.0.0'), {})).toEqual(['http://127.0.0.1:9000/']);
  });

  it('the live page of a server bound to every interface shows the address it was opened at', async () => {
    const s = await sandbox('s3', { host: '0.0.0.0' });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(s.url)).text();
    expect(html).toContain(s.url);
    expect(html).not.toContain('0.0.0.0');
  });
});

describe('no walk-through that is not shown', () => {
  it('a wrong signature: the fix says how to see the steps (check), in every language', async () => {
    for (const lang of LANGS) {
      const s = await sandbox('s3', { lang });
      const r = await post(s.endpoint, formData(signedForm('s3', s.endpoint, { secret: 'wrong-secret-000000000000' })));
      expect(r.status).toBe(403);
      const d = s.diags.at(-1)!;
      const cause = d.findings.find((f) => f.id === d.cause)!;
      expect(cause.id).toBe('signature.invalid');
      expect(cause.fix).toContain(ui('serve.fix.walk-through', lang));
      const catalogue = findingEntries.find((e) => e.id === 'signature.invalid')!;
      const original = (catalogue.text[lang] ?? catalogue.text.en).fix![WALK_THROUGH_STEPS['signature.invalid']!]!;
      expect(cause.fix).not.toContain(original);
      await s.close();
    }
  });

  it('every fix step of rules/findings that points at the walk-through is replaced (the list is complete)', () => {
    const listed = new Map(Object.entries(WALK_THROUGH_STEPS));
    for (const e of findingEntries) {
      (e.text.en.fix ?? []).forEach((step, i) => {
        if (/walk-?through|below/i.test(step)) expect(listed.get(e.id), `${e.id} step ${i + 1}: "${step}"`).toBe(i);
      });
    }
    for (const [id, i] of listed) {
      const e = findingEntries.find((x) => x.id === id)!;
      for (const lang of LANGS) expect((e.text[lang] ?? e.text.en).fix?.[i], `${id} ${lang}`).toBeDefined();
    }
  });
});

describe('serve on a terminal', () => {
  it('a diagnosis wraps to the width, its continuation lines under the record', async () => {
    let out = '';
    const x: Io = { ...memIo({ AWS_SECRET_ACCESS_KEY: SECRET }), isTTY: true, columns: 60, stdout: (s) => void (out += s), env: { AWS_SECRET_ACCESS_KEY: SECRET, NO_COLOR: '1' } };
    const ac = new AbortController();
    const done = runServe(x, { provider: 's3', port: '0', host: '127.0.0.1', bucket: 'example-bucket', signal: ac.signal });
    await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(out));
    const endpoint = `${/(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!}example-bucket`;
    await post(endpoint, formData(signedForm('s3', endpoint, { secret: 'wrong-secret-000000000000' })));
    await until(() => out.includes('#1 '));
    ac.abort();
    expect(await done).toBe(0);
    const record = out.split('\n').slice(out.split('\n').findIndex((l) => l.startsWith('#1 ')));
    expect(record.length).toBeGreaterThan(3);
    for (const l of record.slice(1).filter(Boolean)) expect(l).toMatch(/^ {4}/);
    for (const l of record) expect(l.length <= 60 || !/\S \S/.test(l.trim()), l).toBe(true);
  });
});
