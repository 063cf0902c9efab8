/** Content digests of the host files a plan copies in, so a changed file changes the step id. */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function fileDigest(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
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
      hash.update(await readFile(full));
    } else hash.update(`o ${rel} ${mode}\0`);
  };
  await walk('');
  return hash.digest('hex');
}
