/** Content digests of the host files a plan copies in, so a changed file changes the step id. */
import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { coreCodes } from '../diagnostics/codes/core.js';
import { InputRejected, kindOf } from '../input/bounded.js';

export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFile(path, hash);
  return hash.digest('hex');
}

/**
 * Streams a regular file into `hash`, reading no more than the size it had when opened: a FIFO
 * or device (`/dev/zero`) is refused before it can block or stream forever, and no file is
 * held in memory whole (overlay archives may be large).
 */
async function hashFile(path: string, hash: Hash): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InputRejected(coreCodes.inputNotRegular, { path, kind: kindOf(info) });
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (let left = info.size; left > 0; ) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, left), null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      left -= bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** Hashes names, kinds, modes, symlink targets and contents of a tree, in sorted order. */
export async function treeDigest(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string) => {
    const full = join(root, rel);
    const info = await lstat(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) hash.update(`l ${rel} ${await readlink(full)}\0`);
    else if (info.isDirectory()) {
      hash.update(`d ${rel} ${mode}\0`);
      for (const name of (await readdir(full)).sort()) await walk(rel ? `${rel}/${name}` : name);
    } else if (info.isFile()) {
      hash.update(`f ${rel} ${mode} ${info.size}\0`);
      await hashFile(full, hash);
    } else hash.update(`o ${rel} ${mode}\0`);
  };
  await walk('');
  return hash.digest('hex');
}
