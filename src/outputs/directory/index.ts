/**
 * The `directory` output: the finished tree as a folder. When the tree is not needed
 * afterwards and lives on the same filesystem it is moved. Otherwise it is copied, and
 * when an earlier build left an output of the same name, files whose content and
 * attributes did not change are hard-linked to it instead of written again: a rebuild then
 * writes only what changed (docs/decisions/0014-directory-output-links-unchanged-files.md).
 */
import { rename, stat } from 'node:fs/promises';
import type { Runner } from '../../backends/contract.js';

export interface DirectoryRequest {
  tree: string;
  /** must not exist yet */
  dest: string;
  /** the caller no longer needs `tree` */
  mayMove: boolean;
  /** the output this one replaces, if any: unchanged files are hard-linked to it */
  previous?: string;
  runner: Runner;
}

export type DirectoryHow = 'moved' | 'copied' | 'linked-unchanged';

export async function writeDirectoryOutput(r: DirectoryRequest): Promise<DirectoryHow> {
  if (r.mayMove) {
    try {
      await rename(r.tree, r.dest);
      return 'moved';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    }
  }
  if (r.previous && (await isDirectory(r.previous))) {
    await r.runner.run('rsync', rsyncArguments(r.tree, r.dest, r.previous));
    return 'linked-unchanged';
  }
  await r.runner.run('cp', ['-a', '--reflink=auto', '--', r.tree, r.dest]);
  return 'copied';
}

/**
 * Everything `cp -a` keeps (owners by number, modes, times, hard links, ACLs, xattrs,
 * sparse files); a file is linked to `previous` only when its content (compared by
 * checksum, not by size and time) and all its attributes are equal.
 */
export function rsyncArguments(tree: string, dest: string, previous: string): string[] {
  return [
    '--archive',
    '--hard-links',
    '--acls',
    '--xattrs',
    '--sparse',
    '--numeric-ids',
    '--checksum',
    `--link-dest=${previous}`,
    '--',
    `${tree}/`,
    `${dest}/`,
  ];
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
