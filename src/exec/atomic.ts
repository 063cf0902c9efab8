/**
 * Outputs appear atomically: each is written under a temporary name in the output folder
 * (same filesystem) and renamed into place when complete. Temporary names carry the PID,
 * so leftovers of a killed build are recognised and removed by the next one.
 */
import { spawn } from 'node:child_process';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './lock.js';
import { removeTree } from './workspace.js';

const TMP = '.imgc-tmp-';
const OLD = '.imgc-old-';

export function tempOutputPath(outputDir: string, name: string): string {
  return join(outputDir, `${TMP}${process.pid}-${name}`);
}

/** Renames `temp` to `final`, replacing a previous output of the same name. */
export async function commitOutput(temp: string, final: string): Promise<boolean> {
  let replaced = false;
  const dir = join(final, '..');
  const old = join(dir, `${OLD}${process.pid}-${Date.now().toString(36)}`);
  try {
    await rename(final, old);
    replaced = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await rename(temp, final);
  // The replaced output can be large (a whole tree); it is already out of sight, so delete it
  // in a detached process instead of making the build wait. A leftover is reaped next time.
  if (replaced) spawn('rm', ['-rf', '--', old], { detached: true, stdio: 'ignore' }).unref();
  return replaced;
}

/** Removes temporary outputs of builds that are no longer running. */
export async function reapStaleOutputs(outputDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(outputDir).catch(() => [] as string[])) {
    if (!name.startsWith(TMP) && !name.startsWith(OLD)) continue;
    const pid = Number(name.slice(TMP.length).split('-')[0]);
    if (processAlive(pid)) continue;
    await removeTree(join(outputDir, name));
    removed.push(name);
  }
  return removed;
}
