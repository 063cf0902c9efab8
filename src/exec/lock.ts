/**
 * The cache lock: an O_EXCL lock file holding the owner's PID. A lock whose owner is dead
 * (a build killed with SIGKILL) is taken over; a live owner is waited for.
 */
import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';

/** True for a running process; a zombie (dead, not yet reaped) counts as dead. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export interface Lock {
  path: string;
  release(): Promise<void>;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly path: string,
    readonly holder: number,
    readonly seconds: number,
  ) {
    super(`lock ${path} held by ${holder}`);
  }
}

export async function acquireLock(
  path: string,
  options: { timeoutMs?: number; onWait?: (holder: number) => void; signal?: AbortSignal } = {},
): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        path,
        release: async () => {
          const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
          if (owner === process.pid) await rm(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (!processAlive(holder)) {
      // Written by a build that died, or a half-written file: take it over. The rename-free
      // rm + O_EXCL retry means two waiters racing here still end with one owner.
      await rm(path, { force: true });
      continue;
    }
    if (!told) {
      options.onWait?.(holder);
      told = true;
    }
    if (Date.now() - started > timeoutMs)
      throw new LockTimeoutError(path, holder, Math.round(timeoutMs / 1000));
    if (options.signal?.aborted) throw new Error('aborted while waiting for the cache lock');
    await new Promise((r) => setTimeout(r, 250));
  }
}
