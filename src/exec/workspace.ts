/**
 * Scratch space of one build, marked with the owner's PID so a later build can remove the
 * leftovers of one that was killed. Put on tmpfs (/dev/shm) when it has room: dpkg is
 * I/O-bound and a tmpfs tree builds markedly faster (machine-lab §2).
 */
import { readFileSync, statfsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './lock.js';

const TMPFS_MAGIC = 0x01021994;
const PREFIX = '.imgc-work-';

export interface Workspace {
  path: string;
  dispose(): Promise<void>;
}

function tmpfsWithRoom(path: string, bytes: number): boolean {
  try {
    const s = statfsSync(path);
    return Number(s.type) === TMPFS_MAGIC && Number(s.bavail) * Number(s.bsize) >= bytes;
  } catch {
    return false;
  }
}

export const TMPFS_BASE = '/dev/shm';

/** Where workspaces may live: /dev/shm when it is a roomy tmpfs, else the cache (hidden names, so in an output folder they stay out of the way). */
export function workspaceBases(cacheDir: string, preferTmpfs = true): string[] {
  const bases = [join(cacheDir, 'work')];
  if (preferTmpfs && tmpfsWithRoom(TMPFS_BASE, 6 * 1024 ** 3)) bases.unshift(TMPFS_BASE);
  return bases;
}

export async function createWorkspace(base: string): Promise<Workspace> {
  await mkdir(base, { recursive: true });
  const path = join(base, `${PREFIX}${process.pid}-${Date.now().toString(36)}`);
  await mkdir(path, { recursive: true, mode: 0o700 });
  await writeFile(join(path, 'owner'), `${process.pid}\n`);
  return { path, dispose: () => removeTree(path) };
}

/** rm -rf that first detaches anything still mounted below the path. */
export async function removeTree(path: string): Promise<void> {
  await unmountBelow(path);
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}

export function mountsBelow(path: string, mountinfo?: string): string[] {
  const text = mountinfo ?? readMountinfo();
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => Boolean(m))
    .map((m) => m.replace(/\\040/g, ' '))
    .filter((m) => m === path || m.startsWith(prefix));
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return '';
  }
}

async function unmountBelow(path: string) {
  const mounts = mountsBelow(path, await readFile('/proc/self/mountinfo', 'utf8').catch(() => ''));
  if (!mounts.length) return;
  const { execFileSync } = await import('node:child_process');
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

/** Removes workspaces whose owner is dead; returns what was removed. */
export async function reapStaleWorkspaces(bases: string[]): Promise<{ path: string; pid: number }[]> {
  const removed: { path: string; pid: number }[] = [];
  for (const base of bases) {
    const names = await readdir(base).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(PREFIX)) continue;
      const path = join(base, name);
      const pid =
        Number((await readFile(join(path, 'owner'), 'utf8').catch(() => '')).trim()) ||
        Number(name.slice(PREFIX.length).split('-')[0]);
      if (processAlive(pid)) continue;
      await removeTree(path);
      removed.push({ path, pid });
    }
  }
  return removed;
}
