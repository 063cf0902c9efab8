/**
 * The content-addressed tree cache: `trees/<step id>/root.tar` is the tree right after that
 * step, as an uncompressed tar (one sequential write is several times faster than copying
 * thousands of small files onto disk, and it keeps owners, modes, xattrs and hard links). Step ids hash the whole chain before them, so an entry is valid exactly when the id
 * matches. An entry is complete once its `meta.json` exists (written last, then renamed
 * into place), so a killed save leaves only a `.tmp-*` folder that the next build removes.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '../backends/contract.js';
import { processAlive } from './lock.js';
import { removeTree } from './workspace.js';

export class TreeCache {
  readonly dir: string;
  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'trees');
  }

  has(id: string): boolean {
    return existsSync(join(this.dir, id, 'meta.json'));
  }

  async restore(id: string, dest: string, runner: Runner): Promise<void> {
    await mkdir(dest, { recursive: true });
    await runner.run('tar', [
      '--extract',
      `--file=${join(this.dir, id, 'root.tar')}`,
      `--directory=${dest}`,
      ...TAR_KEEP,
    ]);
  }

  async save(id: string, tree: string, runner: Runner, meta: Record<string, unknown>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${process.pid}-${id}`);
    await removeTree(tmp);
    await mkdir(tmp);
    await runner.run('tar', [
      '--create',
      `--file=${join(tmp, 'root.tar')}`,
      `--directory=${tree}`,
      ...TAR_KEEP,
      '.',
    ]);
    await writeFile(
      join(tmp, 'meta.json'),
      `${JSON.stringify({ id, savedAt: new Date().toISOString(), ...meta }, null, 2)}\n`,
    );
    const final = join(this.dir, id);
    await removeTree(final);
    await rename(tmp, final);
  }

  /** Keeps the `keep` most recently used entries; drops leftovers of killed saves. */
  async prune(keep: number): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const removed: string[] = [];
    const entries: { name: string; time: number }[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      if (name.startsWith('.tmp-')) {
        if (!processAlive(Number(name.split('-')[1]))) {
          await removeTree(path);
          removed.push(path);
        }
        continue;
      }
      const info = await stat(join(path, 'meta.json')).catch(() => undefined);
      if (!info) {
        await removeTree(path);
        removed.push(path);
        continue;
      }
      entries.push({ name, time: info.mtimeMs });
    }
    entries.sort((a, b) => b.time - a.time);
    for (const e of entries.slice(keep)) {
      await removeTree(join(this.dir, e.name));
      removed.push(join(this.dir, e.name));
    }
    return removed;
  }

  /** Removes this process's unfinished saves (after a failure or an interrupt). */
  async dropUnfinished(): Promise<void> {
    const mine = `.tmp-${process.pid}-`;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name.startsWith(mine)) await removeTree(join(this.dir, name));
    }
  }

  /** Marks an entry as used now, for pruning. */
  async touch(id: string): Promise<void> {
    const meta = join(this.dir, id, 'meta.json');
    const now = new Date();
    await import('node:fs/promises').then((fs) => fs.utimes(meta, now, now)).catch(() => undefined);
  }
}

/** Everything a root tree needs to come back identical. */
const TAR_KEEP = [
  '--numeric-owner',
  '--same-owner',
  '--preserve-permissions',
  '--xattrs',
  '--xattrs-include=*',
  '--acls',
  '--sparse',
];
