/** The core `write-files` step: files, directories, symlinks, overlay trees and archives. */
import { chmod, chown, lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { StepContext } from '../backends/contract.js';
import type { PlanStep, StepOptions } from '../plan/steps.js';

/** A path inside the tree; `..` cannot climb out of it. */
export function inTree(tree: string, path: string): string {
  return join(tree, normalize(`/${path}`));
}

async function idTable(tree: string, file: 'passwd' | 'group'): Promise<Map<string, number>> {
  const text = await readFile(join(tree, 'etc', file), 'utf8').catch(() => '');
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] && f[2]) map.set(f[0], Number(f[2]));
  }
  return map;
}

export async function writeFiles(step: PlanStep, context: StepContext): Promise<void> {
  const { entries } = step.options as StepOptions<'write-files'>;
  const { tree } = context;
  const users = await idTable(tree, 'passwd');
  const groups = await idTable(tree, 'group');
  const idOf = (value: string | number | undefined, table: Map<string, number>, what: string) => {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    if (/^\d+$/.test(value)) return Number(value);
    const id = table.get(value);
    if (id === undefined) throw new Error(`${what} ${value} does not exist in the image`);
    return id;
  };
  const applyOwnership = async (path: string, e: (typeof entries)[number]) => {
    if (e.mode !== undefined) await chmod(path, Number.parseInt(e.mode, 8));
    const uid = idOf(e.user, users, 'user');
    const gid = idOf(e.group, groups, 'group');
    if (uid !== undefined || gid !== undefined) await chown(path, uid ?? 0, gid ?? 0);
  };

  for (const e of entries) {
    const dest = inTree(tree, e.path);
    switch (e.kind) {
      case 'directory':
        await mkdir(dest, { recursive: true });
        await applyOwnership(dest, e);
        break;
      case 'file': {
        await mkdir(dirname(dest), { recursive: true });
        await rm(dest, { force: true });
        const data =
          e.source !== undefined ? await readFile(e.source) : Buffer.from(e.content ?? '', 'base64');
        await writeFile(dest, data, { mode: 0o644 });
        await applyOwnership(dest, e);
        break;
      }
      case 'symlink':
        await mkdir(dirname(dest), { recursive: true });
        if (await lstat(dest).catch(() => undefined)) await rm(dest, { recursive: true, force: true });
        await symlink(e.target ?? '', dest);
        break;
      case 'overlay':
        await mkdir(dest, { recursive: true });
        // No ownership from the host checkout: files land owned by root, modes and links kept.
        await context.runner.run('cp', [
          '-dR',
          '--preserve=mode,timestamps,links',
          '--remove-destination',
          '--',
          `${e.source}/.`,
          `${dest}/`,
        ]);
        break;
      case 'archive':
        await mkdir(dest, { recursive: true });
        await context.runner.run('tar', ['--numeric-owner', '-xf', e.source ?? '', '-C', dest]);
        break;
    }
  }
}
