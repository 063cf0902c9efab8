/** Shared set-up of the tests that run real builds: root, host tools, a warm package cache. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { processAlive } from '../../src/exec/lock.js';
import { ensureHostTools } from '../helpers/host-tools.js';

export function canBuild(): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'real builds need root' };
  if (process.env.IMGC_SKIP_BUILD_TESTS) return { ok: false, why: 'IMGC_SKIP_BUILD_TESTS is set' };
  try {
    ensureHostTools();
  } catch (e) {
    return { ok: false, why: `host tools could not be installed: ${(e as Error).message}` };
  }
  return existsSync('/usr/bin/mmdebstrap') ? { ok: true } : { ok: false, why: 'mmdebstrap is missing' };
}

/** A fresh cache whose package cache is shared between test runs (downloads are not what we test). */
export function freshCache(prefix: string): string {
  const base = '/var/tmp/imgc-tests';
  mkdirSync(join(base, 'packages'), { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  symlinkSync(join(base, 'packages'), join(dir, 'packages'));
  return dir;
}

/** Mount points that mention any of the paths (in this mount namespace). */
export function mountsMentioning(paths: string[]): string[] {
  const info = readFileSync('/proc/self/mountinfo', 'utf8');
  return info
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => paths.some((p) => m.startsWith(p)) || m.includes('.imgc-work-'));
}

/** Loop devices whose backing file is under any of the paths. */
export function loopsMentioning(paths: string[]): string[] {
  const out = execFileSync('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE'], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => paths.some((p) => l.includes(p)) || l.includes('.imgc-'));
}

/** Processes whose command line mentions any of the paths. */
export function processesMentioning(paths: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    if (Number(pid) === process.pid) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (paths.some((p) => cmd.includes(p))) found.push(`${pid}: ${cmd.slice(0, 160)}`);
  }
  return found;
}

/** Workspaces and temporary outputs in the output folder, and workspaces of dead builds on /dev/shm (other builds may be running). */
export function leftovers(outDir: string): string[] {
  const shm = existsSync('/dev/shm')
    ? readdirSync('/dev/shm')
        .filter((n) => n.startsWith('.imgc-work-') && !processAlive(Number(n.split('-')[2])))
        .map((n) => `/dev/shm/${n}`)
    : [];
  return [...readdirSync(outDir).filter((n) => n.startsWith('.imgc-')), ...shm];
}

/** Waits until replaced outputs, deleted in the background, are gone. */
export async function settled(outDir: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (readdirSync(outDir).some((n) => n.startsWith('.imgc-old-')) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Why executor tests that run `tools` as root cannot run here (said on stderr), or undefined. */
export function executorTestsBlocked(tools: string[], what: string): string | undefined {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  const why =
    process.getuid?.() !== 0
      ? 'the executor needs root'
      : missing.length
        ? `missing host tools ${missing.join(', ')}`
        : undefined;
  if (why) console.warn(`SKIPPED: ${what}: ${why}`);
  return why;
}

/** A maker of scratch folders under /var/tmp/imgc-tests named `prefix-…`, removed after the file's tests. */
export function scratchDirs(prefix: string): () => string {
  const base = '/var/tmp/imgc-tests';
  mkdirSync(base, { recursive: true });
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(base, `${prefix}-`));
    made.push(dir);
    return dir;
  };
}
