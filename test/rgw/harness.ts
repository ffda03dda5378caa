// A throw-away one-node Ceph cluster with an S3 gateway (RGW) on loopback, for tests that need
// a real server: one monitor, one memstore OSD (pool size 1), radosgw with the beast frontend on
// a free port, a user with known keys and one bucket. Every daemon runs in the foreground as our
// child (killed by pid on stop); everything lives in one temporary directory removed on stop.
// Needs the Debian packages radosgw, ceph-mon and ceph-osd.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RGW_BINARIES = ['radosgw', 'ceph-mon', 'ceph-osd', 'ceph', 'radosgw-admin', 'ceph-authtool', 'monmaptool'] as const;

/** The apt line that installs everything the harness runs. */
export const RGW_APT = 'apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd';

export interface Rgw {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  accessKey: string;
  secret: string;
  /** A bucket owned by the user, created at start. */
  bucket: string;
  /** The gateway's region name (what SigV4 credentials must name). */
  region: string;
  dir: string;
  /** Create another bucket owned by the user. */
  createBucket(name: string): Promise<number>;
  /** Create another gateway user with the given keys. */
  createUser(uid: string, accessKey: string, secret: string): Promise<void>;
  /** Read an object back (status and bytes). */
  getObject(key: string, bucket?: string): Promise<{ status: number; body: Buffer }>;
  stop(): Promise<void>;
}

export interface RgwOptions {
  accessKey?: string;
  secret?: string;
  bucket?: string;
  /** memstore size in bytes (default 1 GiB). */
  memstoreBytes?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Give up starting after this many milliseconds (default 240 s). */
  startTimeoutMs?: number;
}

/** The binaries missing from PATH (empty when the harness can run). */
export function missingRgwBinaries(): string[] {
  return RGW_BINARIES.filter((b) => spawnSync('which', [b], { stdio: 'ignore' }).status !== 0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, deadline: number, probe: () => Promise<boolean>, everyMs = 1000): Promise<void> {
  for (;;) {
    let ok = false;
    try {
      ok = await probe();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`RGW harness: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** PUT /<bucket> signed with SigV2 header authentication; returns the HTTP status. */
export async function createBucketV2(endpoint: string, accessKey: string, secret: string, bucket: string): Promise<number> {
  const date = new Date().toUTCString();
  const sig = createHmac('sha1', secret).update(`PUT\n\n\n${date}\n/${bucket}`).digest('base64');
  const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT', headers: { Date: date, Authorization: `AWS ${accessKey}:${sig}` } });
  await res.arrayBuffer();
  return res.status;
}

/** GET /<bucket>/<key> signed with SigV2 header authentication. */
export async function getObjectV2(endpoint: string, accessKey: string, secret: string, bucket: string, key: string): Promise<{ status: number; body: Buffer }> {
  const date = new Date().toUTCString();
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const sig = createHmac('sha1', secret).update(`GET\n\n\n${date}\n${path}`).digest('base64');
  const res = await fetch(`${endpoint}${path}`, { headers: { Date: date, Authorization: `AWS ${accessKey}:${sig}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

function killTree(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return resolve();
          const t = setTimeout(() => {
            try {
              process.kill(c.pid as number, 'SIGKILL');
            } catch {
              /* gone */
            }
          }, 10_000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          try {
            process.kill(c.pid, 'SIGTERM');
          } catch {
            clearTimeout(t);
            resolve();
          }
        }),
    ),
  ).then(() => undefined);
}

/** Start the cluster and the gateway; resolves once the bucket exists. */
export async function startRgw(opts: RgwOptions = {}): Promise<Rgw> {
  const log = opts.log ?? (() => undefined);
  const accessKey = opts.accessKey ?? 'PDTESTACCESSKEY00001';
  const secret = opts.secret ?? 'pdTestSecretKey/0000000000000000000000001';
  const bucket = opts.bucket ?? 'pd-agreement';
  const deadline = Date.now() + (opts.startTimeoutMs ?? 240_000);
  const dir = mkdtempSync(join(tmpdir(), 'pd-rgw-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await killTree([...children].reverse());
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const monPort = await freePort();
    const port = await freePort();
    const fsid = randomUUID();
    const conf = join(dir, 'ceph.conf');
    const keyring = join(dir, 'keyring');
    for (const d of ['mon', 'osd0', 'log']) spawnSync('mkdir', ['-p', join(dir, d)]);
    writeFileSync(
      conf,
      [
        '[global]',
        `fsid = ${fsid}`,
        `mon host = v1:127.0.0.1:${monPort}`,
        'mon initial members = a',
        'auth cluster required = cephx',
        'auth service required = cephx',
        'auth client required = cephx',
        `keyring = ${keyring}`,
        `log file = ${dir}/log/$name.log`,
        `run dir = ${dir}`,
        `admin socket = ${dir}/$name.asok`,
        'osd pool default size = 1',
        'osd pool default min size = 1',
        'osd pool default pg autoscale mode = off',
        'osd crush chooseleaf type = 0',
        'mon allow pool size one = true',
        'mon warn on pool no redundancy = false',
        'osd objectstore = memstore',
        `memstore device bytes = ${opts.memstoreBytes ?? 1024 * 1024 * 1024}`,
        `osd data = ${dir}/osd0`,
        `mon data = ${dir}/mon`,
        'ms bind ipv6 = false',
        'ms bind msgr2 = false',
        'public addr = 127.0.0.1',
        '[client.rgw]',
        `rgw frontends = beast endpoint=127.0.0.1:${port}`,
        'rgw dns name = localhost',
        `keyring = ${keyring}`,
        '',
      ].join('\n'),
    );
    const C = ['-c', conf];
    log(`rgw harness: ${dir}, mon port ${monPort}, gateway port ${port}`);
    await run('ceph-authtool', ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'client.admin', '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow *', '--cap', 'mds', 'allow *']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'osd.0', '--cap', 'mon', 'allow profile osd', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow profile osd']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'client.rgw', '--cap', 'mon', 'allow rw', '--cap', 'osd', 'allow rwx', '--cap', 'mgr', 'allow rw']);
    await run('monmaptool', ['--create', '--addv', 'a', `[v1:127.0.0.1:${monPort}]`, '--fsid', fsid, join(dir, 'monmap')]);
    await run('ceph-mon', [...C, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', keyring]);
    const daemon = (cmd: string, args: string[]): ChildProcess => {
      const c = spawn(cmd, [...C, ...args, '-f'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr?.on('data', (d: Buffer) => {
        if (err.length < 8192) err += d.toString();
      });
      c.once('exit', (code, sig) => {
        if (code !== 0 && sig === null) log(`rgw harness: ${cmd} exited with ${code}: ${err.slice(0, 2000)}`);
      });
      children.push(c);
      return c;
    };
    daemon('ceph-mon', ['-i', 'a']);
    await waitFor('the monitor', deadline, async () => (await run('ceph', [...C, '-s', '--connect-timeout', '5'], 15_000)).includes('mon:'), 500);
    // the same uuid for `osd new` and `--mkfs`, or the OSD never comes up
    const osdUuid = randomUUID();
    await run('ceph', [...C, 'osd', 'new', osdUuid, '0']);
    await run('ceph-osd', [...C, '-i', '0', '--mkfs', '--osd-uuid', osdUuid]).catch((e: Error) => log(`rgw harness: mkfs: ${e.message.split('\n')[0]}`));
    daemon('ceph-osd', ['-i', '0']);
    await waitFor('the OSD', deadline, async () => /1 up/.test(await run('ceph', [...C, 'osd', 'stat'], 15_000)));
    log('rgw harness: OSD up');
    daemon('radosgw', ['-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitFor('the gateway', deadline, async () => {
      const r = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      return r.status > 0;
    });
    log('rgw harness: gateway answers');
    await run('radosgw-admin', [...C, '-n', 'client.admin', 'user', 'create', '--uid=pdtest', '--display-name=post-doctor test', `--access-key=${accessKey}`, `--secret=${secret}`], 120_000);
    const zg = JSON.parse(await run('radosgw-admin', [...C, '-n', 'client.admin', 'zonegroup', 'get'], 60_000)) as { api_name?: string; name?: string };
    const region = zg.api_name || zg.name || 'default';
    await waitFor('the bucket', deadline, async () => {
      const s = await createBucketV2(endpoint, accessKey, secret, bucket);
      return s === 200 || s === 409;
    });
    log(`rgw harness: bucket ${bucket} ready (region '${region}')`);
    return {
      endpoint,
      port,
      accessKey,
      secret,
      bucket,
      region,
      dir,
      createBucket: (name: string) => createBucketV2(endpoint, accessKey, secret, name),
      createUser: async (uid: string, ak: string, sk: string) => {
        await run('radosgw-admin', [...C, '-n', 'client.admin', 'user', 'create', `--uid=${uid}`, `--display-name=${uid}`, `--access-key=${ak}`, `--secret=${sk}`], 120_000);
      },
      getObject: (key: string, b?: string) => getObjectV2(endpoint, accessKey, secret, b ?? bucket, key),
      stop,
    };
  } catch (e) {
    const logs = ['mon.a', 'osd.0', 'client.rgw']
      .map((n) => join(dir, 'log', `${n}.log`))
      .filter((p) => existsSync(p))
      .map((p) => `--- ${p}\n${readFileSync(p, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
}
