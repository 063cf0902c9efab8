/**
 * Paths in the image tree, resolved as if the tree were `/` (openat2's RESOLVE_IN_ROOT): each
 * component is looked at with lstat, a symlink is followed relative to the tree root (an
 * absolute target starts again at the tree, `..` stops at the tree), so `/var/run → /run` in
 * the tree means the tree's /run, never the host's. Every write a build makes into the tree
 * goes through these helpers (docs/decisions/0072-writes-confined-to-the-tree.md).
 */
import { constants as fsConstants } from 'node:fs';
import {
  chmod,
  copyFile,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join, posix } from 'node:path';
import { appendAll } from '../input/append.js';

const MAX_LINKS = 40;

export class TreePathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} in the image: ${reason}`);
  }
}

/**
 * The host path of `path` in `tree` with every symlink on the way resolved inside the tree.
 * With `followLast: false` a symlink in the last component is left as it is (to replace it).
 */
export async function resolveInTree(
  tree: string,
  path: string,
  options: { followLast?: boolean } = {},
): Promise<string> {
  const followLast = options.followLast ?? true;
  const todo = path.split('/').reverse();
  const done: string[] = [];
  let links = 0;
  let missing = false;
  while (todo.length) {
    const part = todo.pop() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      done.pop();
      // back in a folder that exists: what follows must be looked at again
      missing = false;
      continue;
    }
    const here = join(tree, ...done, part);
    const last = !todo.some((p) => p !== '' && p !== '.');
    const info = missing ? undefined : await lstat(here).catch(() => undefined);
    if (!info) missing = true;
    if (info?.isSymbolicLink() && (followLast || !last)) {
      if (++links > MAX_LINKS) throw new TreePathError(path, 'too many levels of symbolic links');
      const target = await readlink(here);
      if (target.startsWith('/')) done.length = 0;
      appendAll(todo, target.split('/').reverse());
      continue;
    }
    done.push(part);
  }
  return join(tree, ...done);
}

/** `mkdir -p` in the tree; returns the host path of the directory. */
export async function mkdirInTree(tree: string, path: string): Promise<string> {
  const dest = await resolveInTree(tree, path);
  await mkdir(dest, { recursive: true });
  const info = await lstat(dest);
  if (!info.isDirectory()) throw new TreePathError(path, 'exists and is not a directory');
  return dest;
}

/** Where a new entry `path` goes: its parent made and resolved in the tree, an old entry removed. */
export async function freshEntryInTree(
  tree: string,
  path: string,
  options: { removeDirectory?: boolean } = {},
): Promise<string> {
  const parent = await mkdirInTree(tree, posix.dirname(posix.normalize(`/${path}`)));
  const dest = join(parent, posix.basename(posix.normalize(`/${path}`)));
  const old = await lstat(dest).catch(() => undefined);
  if (old?.isDirectory() && options.removeDirectory !== true)
    throw new TreePathError(path, 'is a directory in the image and would be replaced');
  if (old) await rm(dest, { force: true, recursive: old.isDirectory() });
  return dest;
}

/** Writes a file in the tree; a symlink at `path` is replaced, never followed. */
export async function writeFileInTree(
  tree: string,
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<string> {
  const dest = await freshEntryInTree(tree, path);
  // 'wx': should anything appear at dest after the removal, fail rather than follow it.
  await writeFile(dest, data, { mode, flag: 'wx' });
  return dest;
}

/** Creates a symlink in the tree, replacing what was at `path`. */
export async function symlinkInTree(tree: string, path: string, target: string): Promise<string> {
  const dest = await freshEntryInTree(tree, path, { removeDirectory: true });
  await symlink(target, dest);
  return dest;
}

/** The host path of an existing entry for reading or changing it in place (chmod, chown, truncate). */
export function existingInTree(tree: string, path: string): Promise<string> {
  return resolveInTree(tree, path);
}

/**
 * Copies the contents of the host folder `source` to `path` in the tree, as `cp -dR
 * --preserve=mode,timestamps,links` would but with every destination resolved in the tree: a
 * symlink already in the tree (`/etc/esc → /var/tmp`) leads to the tree's /var/tmp. Owners are
 * kept only with `keepOwners` (archives); an overlay checkout's files land owned by root.
 * Device nodes and FIFOs are made by `copySpecial`.
 */
export async function copyIntoTree(
  tree: string,
  source: string,
  path: string,
  options: { keepOwners?: boolean; copySpecial: (from: string, to: string) => Promise<void> },
): Promise<void> {
  const links = new Map<string, string>();
  const copyDir = async (from: string, to: string): Promise<void> => {
    const dest = await mkdirInTree(tree, to);
    const info = await lstat(from);
    for (const entry of await readdir(from)) {
      const src = join(from, entry);
      const inImage = posix.join(to, entry);
      const st = await lstat(src);
      if (st.isDirectory()) await copyDir(src, inImage);
      else if (st.isSymbolicLink()) {
        // Like cp: a directory in the tree is not replaced by a link or a file of the overlay.
        const made = await freshEntryInTree(tree, inImage);
        await symlink(await readlink(src), made);
        if (options.keepOwners) await lchown(made, st.uid, st.gid);
        await lutimes(made, st.atime, st.mtime);
      } else {
        const key = `${st.dev}:${st.ino}`;
        const twin = st.nlink > 1 ? links.get(key) : undefined;
        const made = await freshEntryInTree(tree, inImage);
        if (twin) {
          await link(twin, made);
          continue;
        }
        if (st.isFile()) await copyFile(src, made, fsConstants.COPYFILE_EXCL);
        else await options.copySpecial(src, made);
        if (st.nlink > 1) links.set(key, made);
        await settle(made, st);
      }
    }
    await settle(dest, info);
  };
  const settle = async (made: string, st: Awaited<ReturnType<typeof lstat>>) => {
    if (options.keepOwners) await lchown(made, Number(st.uid), Number(st.gid));
    await chmod(made, Number(st.mode) & 0o7777);
    await utimes(made, st.atime, st.mtime);
  };
  await copyDir(source, path);
}

/** Removes `path` from the tree (a symlink itself, not what it points at); absent is fine. */
export async function removeInTree(tree: string, path: string, options: { recursive?: boolean } = {}) {
  const dest = await resolveInTree(tree, path, { followLast: false });
  await rm(dest, { force: true, recursive: options.recursive ?? false });
}

/** Empties a regular file in the tree when there is one (log files at the end of a build). */
export async function emptyFileInTree(tree: string, path: string): Promise<void> {
  const dest = await resolveInTree(tree, path);
  const info = await lstat(dest).catch(() => undefined);
  if (info?.isFile()) await truncate(dest, 0);
}
