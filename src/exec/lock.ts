/**
 * The cache lock: flock(2) on a lock file that is never removed. The kernel drops the lock when
 * the last descriptor closes, so a build killed with SIGKILL frees it, no PID is trusted (PID
 * namespaces differ between containers sharing a cache), and there is no stale-lock takeover
 * to race. Node has no flock(), so util-linux `flock` locks the open file description that this
 * process keeps (docs/decisions/0071-cache-lock-with-flock.md). The file holds the owner's PID
 * for messages only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

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

type FlockResult = 'locked' | 'busy' | 'timeout';

/** Runs `flock` on this process's descriptor (child fd 3); the lock stays with the description. */
function flock(
  handle: FileHandle,
  waitSeconds: number | 'no-wait',
  signal?: AbortSignal,
): Promise<FlockResult> {
  const timing = waitSeconds === 'no-wait' ? ['--nonblock'] : ['--wait', String(waitSeconds)];
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['--exclusive', ...timing, '--conflict-exit-code', '75', '3'], {
      stdio: ['ignore', 'ignore', 'pipe', handle.fd],
      ...(signal ? { signal } : {}),
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve('locked');
      else if (code === 75) resolve(waitSeconds === 'no-wait' ? 'busy' : 'timeout');
      else if (signal?.aborted) reject(new Error('aborted while waiting for the cache lock'));
      else reject(new Error(`flock failed (${code}): ${stderr.trim()}`));
    });
  });
}

function holderOf(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

export async function acquireLock(
  path: string,
  options: { timeoutMs?: number; onWait?: (holder: number) => void; signal?: AbortSignal } = {},
): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const handle = await open(path, 'a+', 0o644);
  try {
    let result = await flock(handle, 'no-wait');
    if (result === 'busy') {
      const holder = holderOf(path);
      options.onWait?.(holder);
      if (options.signal?.aborted) throw new Error('aborted while waiting for the cache lock');
      result = await flock(handle, Math.max(timeoutMs, 1) / 1000, options.signal);
      if (result !== 'locked')
        throw new LockTimeoutError(path, holderOf(path) || holder, Math.round(timeoutMs / 1000));
    }
    await handle.truncate(0);
    await handle.write(`${process.pid}\n`, 0);
  } catch (e) {
    await handle.close();
    throw e;
  }
  return {
    path,
    // Closing the last descriptor drops the lock. The file stays: unlinking it would let a
    // waiter hold a lock on the removed inode while a newcomer locks a fresh one.
    release: () => handle.close(),
  };
}
