import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { OutputFile } from './contract.js';

/**
 * Writes a writer's files under `dir`; refuses paths that would escape it. Returns the paths written.
 * Small files are written synchronously: a batch translation waited on the thread pool for each
 * stat, mkdir and write longer than the calls took.
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
      await cp(file.copyFrom, target, { recursive: true, verbatimSymlinks: true });
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
    try {
      if (statSync(cur).isDirectory()) break;
      throw Object.assign(new Error(`${cur} exists and is not a folder`), { code: 'ENOTDIR' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
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
