/**
 * The `directory` output: the finished tree as a folder. When the tree is not needed
 * afterwards and lives on the same filesystem it is moved, not copied.
 */
import { rename } from 'node:fs/promises';
import type { Runner } from '../../backends/contract.js';

export interface DirectoryRequest {
  tree: string;
  /** must not exist yet */
  dest: string;
  /** the caller no longer needs `tree` */
  mayMove: boolean;
  runner: Runner;
}

export async function writeDirectoryOutput(r: DirectoryRequest): Promise<'moved' | 'copied'> {
  if (r.mayMove) {
    try {
      await rename(r.tree, r.dest);
      return 'moved';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    }
  }
  await r.runner.run('cp', ['-a', '--reflink=auto', '--', r.tree, r.dest]);
  return 'copied';
}
