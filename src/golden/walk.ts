/** Reads a tree into manifest path entries: type, mode, owner, size, sha256, link target. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestPath, PathType } from './schema.js';

export type TreeEntry = Omit<ManifestPath, 'user' | 'group' | 'xattrs' | 'package'>;

/** Files at most this big are hashed from one read; larger ones are streamed. */
const WHOLE_READ_LIMIT = 1 << 20;
/** Hashes in flight at once: enough to keep the disk busy, few enough for the shared cores. */
const PARALLEL = 16;

function typeOf(s: import('node:fs').Stats): PathType {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice()) return 'char';
  return 'block';
}

export async function sha256Of(file: string, size: number): Promise<string> {
  if (size <= WHOLE_READ_LIMIT)
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const gone = (e: NodeJS.ErrnoException): undefined => {
  if (e.code === 'ENOENT') return undefined;
  throw e;
};

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/**
 * Every path under `root` (the root itself as "/"), sorted; `skip` prunes a path and what is
 * under it (a running system's /proc, say). Paths are image paths ("/etc/hostname").
 */
export async function walkTree(
  root: string,
  skip: (path: string) => boolean = () => false,
): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const files: TreeEntry[] = [];
  const visit = async (path: string) => {
    const host = join(root, path);
    // a running system's files may vanish between readdir and lstat: they are not there
    const s = await lstat(host).catch(gone);
    if (!s) return;
    const type = typeOf(s);
    const entry: TreeEntry = { path, type, mode: octal(s.mode), uid: s.uid, gid: s.gid };
    if (type === 'file') {
      entry.size = s.size;
      files.push(entry);
    } else if (type === 'symlink') entry.target = (await readlink(host).catch(gone)) ?? '';
    else if (type === 'char' || type === 'block')
      entry.device = `${Math.floor(s.rdev / 256) & 0xfff},${(s.rdev & 0xff) | ((s.rdev >> 12) & 0xfff00)}`;
    entries.push(entry);
    if (type !== 'dir') return;
    const names = ((await readdir(host).catch(gone)) ?? []).sort();
    for (const name of names) {
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      if (!skip(child)) await visit(child);
    }
  };
  await visit('/');
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      f.sha256 = (await sha256Of(join(root, f.path), f.size ?? 0).catch(gone)) ?? 'vanished';
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return entries;
}
