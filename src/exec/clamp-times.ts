/** Clamping the times of a folder's entries, for reproducible outputs and trees. */
import { lstat, lutimes, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Sets every mtime (and atime) under `root`, `root` included, that is later than `epoch` to
 * `epoch`; symbolic links themselves, never what they point to. Returns how many entries changed.
 */
export async function clampTimes(root: string, epoch: number): Promise<number> {
  let changed = 0;
  const visit = async (path: string): Promise<void> => {
    const s = await lstat(path);
    if (s.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
    // after the children: writing into a folder would move its mtime again
    if (s.mtimeMs > epoch * 1000 || s.atimeMs !== Math.min(s.mtimeMs, epoch * 1000)) {
      const mtime = Math.min(s.mtimeMs / 1000, epoch);
      await lutimes(path, mtime, mtime);
      changed++;
    }
  };
  await visit(root);
  return changed;
}
