import { chmodSync, cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { OutputFile } from './contract.js';

/**
 * Writes a writer's files under `dir`; refuses paths that would escape it. Returns the paths written.
 * Written synchronously, copied folders too: a batch translation waited on the thread pool for
 * each stat, mkdir, write and (in a copied mkosi.extra) each copied file longer than the calls took.
 */
export async function writeOutputFiles(dir: string, files: readonly OutputFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const rel = normalize(file.path);
    if (rel.startsWith(`..${sep}`) || rel === '..' || rel.startsWith(sep)) {
      throw new Error(`refusing to write outside the output folder: ${file.path}`);
    }
    const target = join(dir, rel);
    makeDirectoriesSync(dirname(target));
    if (file.copyFrom !== undefined)
      cpSync(file.copyFrom, target, { recursive: true, verbatimSymlinks: true });
    else writeFileSync(target, file.content ?? '');
    if (file.mode !== undefined) chmodSync(target, file.mode);
    written.push(target);
  }
  return written;
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir retries forever where mkdir(2) says
 * ENOENT for a folder whose parent exists (any path under /proc): here every error surfaces.
 */
export async function makeDirectories(path: string): Promise<void> {
  makeDirectoriesSync(path);
}

function makeDirectoriesSync(path: string): void {
  const missing: string[] = [];
  let cur = resolve(path);
  for (;;) {
    // a missing folder is the common case in a batch: no exception is built for it
    const info = statSync(cur, { throwIfNoEntry: false });
    if (info?.isDirectory()) break;
    if (info) throw Object.assign(new Error(`${cur} exists and is not a folder`), { code: 'ENOTDIR' });
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
