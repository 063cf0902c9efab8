/**
 * An ext2/3/4 filesystem inside an image file, read with e2fsprogs' debugfs (decision 0108):
 * `rdump` copies the tree out; its copies lose the setuid, setgid and sticky bits (debugfs
 * sets only the rwx bits, and chown clears the rest), so the full modes come from `ls -p`.
 */
import { execFile } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class DebugfsError extends Error {}

export async function debugfsCopy(device: string, dest: string): Promise<void> {
  const { stderr } = await run('debugfs', ['-R', `rdump / ${dest}`, device], { maxBuffer: 1 << 26 }).catch(
    (e) => {
      throw new DebugfsError(`debugfs cannot read the filesystem: ${String(e.stderr ?? e).trim()}`);
    },
  );
  const errors = stderr.split('\n').filter((l) => l && !/^debugfs \d/.test(l));
  if (errors.length && (await readdir(dest)).length === 0)
    throw new DebugfsError(`debugfs: ${errors.slice(0, 3).join('; ')}`);
}

const ECHO = 'debugfs: ls -p ';
/** `/inode/mode/uid/gid/name/size/`, the mode in octal with the file type bits */
const ENTRY = /^\/\d+\/(\d+)\/\d+\/\d+\/([^/]*)\/\d*\/$/;

/** `ls -p` output of `dirs`, in order → image path → permission bits (four octal digits). */
export function parseListings(text: string, dirs: readonly string[]): Map<string, string> {
  const modes = new Map<string, string>();
  let listed = 0;
  let dir: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(ECHO)) {
      dir = dirs[listed++];
      continue;
    }
    const m = ENTRY.exec(line);
    if (!m || dir === undefined || m[2] === '..') continue;
    const path = m[2] === '.' ? dir : dir === '/' ? `/${m[2]}` : `${dir}/${m[2]}`;
    modes.set(path, (Number.parseInt(m[1]!, 8) & 0o7777).toString(8).padStart(4, '0'));
  }
  return modes;
}

/** The permission bits of every entry in `dirs` (and the directories themselves), in one debugfs run. */
export async function debugfsModes(
  device: string,
  dirs: readonly string[],
  commands: string,
): Promise<Map<string, string>> {
  await writeFile(commands, dirs.map((d) => `ls -p ${JSON.stringify(d)}\n`).join(''));
  try {
    const { stdout } = await run('debugfs', ['-f', commands, device], { maxBuffer: 1 << 30 }).catch((e) => {
      throw new DebugfsError(`debugfs cannot list the filesystem: ${String(e.stderr ?? e).trim()}`);
    });
    return parseListings(stdout, dirs);
  } finally {
    await rm(commands, { force: true });
  }
}
