import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { OutputFile } from './contract.js';

/** Writes a writer's files under `dir`; refuses paths that would escape it. Returns the paths written. */
export async function writeOutputFiles(dir: string, files: readonly OutputFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const rel = normalize(file.path);
    if (rel.startsWith(`..${sep}`) || rel === '..' || rel.startsWith(sep)) {
      throw new Error(`refusing to write outside the output folder: ${file.path}`);
    }
    const target = join(dir, rel);
    await mkdir(dirname(target), { recursive: true });
    if (file.copyFrom !== undefined)
      await cp(file.copyFrom, target, { recursive: true, verbatimSymlinks: true });
    else await writeFile(target, file.content ?? '');
    if (file.mode !== undefined) await chmod(target, file.mode);
    written.push(target);
  }
  return written;
}
