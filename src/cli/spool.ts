// Temporary files the CLI writes (stdin spooled to disk, so that a large capture piped in is
// streamed like a file). Each lives in a private directory of its own (mode 0700) and is
// removed on every way out: when the command ends (run() releases them), on process exit,
// and on SIGINT / SIGTERM / SIGHUP (the signal is raised again once they are gone).
import { mkdtempSync, rmSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const handlers = new Map<NodeJS.Signals, () => void>();
let exitHooked = false;

function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // already gone, or not ours to remove any more
  }
  live.delete(dir);
}

/** Remove every temporary file still there (exit and signal paths). */
export function removeAllSpools(): void {
  for (const dir of [...live]) removeDir(dir);
  unhookSignals();
}

function hookSignals(): void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', removeAllSpools);
  }
  for (const sig of SIGNALS) {
    if (handlers.has(sig)) continue;
    const h = (): void => {
      removeAllSpools();
      // nobody else listens: the default action (end the process) as if we had not been here
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    handlers.set(sig, h);
    try {
      process.on(sig, h);
    } catch {
      handlers.delete(sig); // a signal this platform does not have
    }
  }
}

function unhookSignals(): void {
  for (const [sig, h] of handlers) process.removeListener(sig, h);
  handlers.clear();
}

export interface Spool {
  /** The file. */
  path: string;
  /** Its private directory (removed with it). */
  dir: string;
  write(chunk: Buffer): Promise<void>;
  close(): Promise<void>;
  /** Remove it now (idempotent). */
  remove(): void;
}

/** A new temporary file, open for writing, removed on every exit path. */
export async function openSpool(name: string): Promise<Spool> {
  const dir = mkdtempSync(join(tmpdir(), 'post-doctor-'));
  live.add(dir);
  hookSignals();
  const path = join(dir, name);
  let fh: fsp.FileHandle | null = null;
  try {
    fh = await fsp.open(path, 'wx', 0o600);
  } catch (e) {
    removeDir(dir);
    throw e;
  }
  const handle = fh;
  let closed = false;
  return {
    path,
    dir,
    async write(chunk) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
    remove() {
      if (!closed) {
        closed = true;
        void handle.close().catch(() => undefined);
      }
      removeDir(dir);
      if (live.size === 0) unhookSignals();
    },
  };
}

/** Spools that belong to one run of the CLI (released when it ends). */
const owned = new WeakMap<object, Spool[]>();

export function own(owner: object, spool: Spool): void {
  const list = owned.get(owner) ?? [];
  list.push(spool);
  owned.set(owner, list);
}

/** Remove the spools of one run. */
export function releaseSpools(owner: object): void {
  const list = owned.get(owner);
  if (!list) return;
  owned.delete(owner);
  for (const s of list) s.remove();
}
