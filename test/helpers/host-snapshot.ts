/**
 * A snapshot of host folders (path → type, size, mode, owner, mtime, and a content hash for
 * small regular files) and the difference between two of them. Symlinks are recorded with
 * their target and never followed; other file systems mounted below a root are not entered.
 */
import { createHash } from 'node:crypto';
import { type Dirent, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  owner: string;
  mtimeMs: number;
  /** sha256 of a regular file up to HASHED_BYTES; the target of a symlink. */
  content?: string;
}

export type Snapshot = Map<string, Entry>;

const HASHED_BYTES = 64 * 1024;

function entryOf(path: string, st: Stats): Entry {
  const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
  const entry: Entry = {
    type,
    size: st.size,
    mode: st.mode,
    owner: `${st.uid}:${st.gid}`,
    mtimeMs: st.mtimeMs,
  };
  try {
    if (type === 'symlink') entry.content = readlinkSync(path);
    else if (type === 'file' && st.size <= HASHED_BYTES)
      entry.content = createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    // removed between lstat and read by someone else: the size and mtime still compare
  }
  return entry;
}

/** Walks the roots; `skip(path)` prunes a subtree (the output and cache, which may change). */
export function snapshot(roots: string[], skip: (path: string) => boolean = () => false): Snapshot {
  const out: Snapshot = new Map();
  const walk = (path: string, device: number) => {
    if (skip(path)) return;
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.dev !== device) return;
    out.set(path, entryOf(path, st));
    if (!st.isDirectory()) return;
    let names: Dirent[];
    try {
      names = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) walk(join(path, d.name), device);
  };
  for (const root of roots) walk(root, lstatSync(root).dev);
  return out;
}

export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  what?: string;
}

/**
 * What differs between two snapshots. A directory's own mtime and size are not compared: they
 * change whenever an entry is added or removed, and every lasting addition or removal is
 * reported as its own entry.
 */
export function changes(before: Snapshot, after: Snapshot): Change[] {
  const out: Change[] = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (!b) out.push({ path, kind: 'added' });
    else {
      const what = differing(b, a);
      if (what) out.push({ path, kind: 'changed', what });
    }
  }
  for (const path of before.keys()) if (!after.has(path)) out.push({ path, kind: 'removed' });
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

function differing(b: Entry, a: Entry): string | undefined {
  const fields: (keyof Entry)[] =
    a.type === 'dir' && b.type === 'dir'
      ? ['mode', 'owner']
      : ['type', 'size', 'mode', 'owner', 'mtimeMs', 'content'];
  const diff = fields.filter((f) => a[f] !== b[f]);
  return diff.length ? diff.join(',') : undefined;
}
