/** The core `write-files` step: files, directories, symlinks, overlay trees and archives. */
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { type StepContext, StepError } from '../backends/contract.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { diag } from '../diagnostics/define.js';
import type { PlanStep, StepOptions } from '../plan/steps.js';
import {
  copyIntoTree,
  existingInTree,
  mkdirInTree,
  symlinkInTree,
  TreePathError,
  writeFileInTree,
} from './tree-path.js';

/**
 * A path inside the tree by text only (`..` cannot climb out, symlinks are not looked at):
 * for reading and for messages. Writes go through `tree-path.ts`.
 */
export function inTree(tree: string, path: string): string {
  return join(tree, normalize(`/${path}`));
}

async function idTable(tree: string, file: 'passwd' | 'group'): Promise<Map<string, number>> {
  const text = await readFile(await existingInTree(tree, `/etc/${file}`), 'utf8').catch(() => '');
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] && f[2]) map.set(f[0], Number(f[2]));
  }
  return map;
}

export async function writeFiles(step: PlanStep<'write-files'>, context: StepContext): Promise<void> {
  const { entries } = step.options;
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

  for (const [i, e] of entries.entries()) {
    try {
      await writeEntry(e, tree, context, applyOwnership);
    } catch (error) {
      if (!(error instanceof TreePathError)) throw error;
      const at = step.origin[i] ?? step.origin[0];
      throw new StepError(
        diag(
          buildCodes.treePathRefused,
          { path: error.path, reason: error.reason },
          {},
          at ? { pointer: at } : {},
        ),
      );
    }
  }
}

type Entry = StepOptions<'write-files'>['entries'][number];

async function writeEntry(
  e: Entry,
  tree: string,
  context: StepContext,
  applyOwnership: (path: string, e: Entry) => Promise<void>,
): Promise<void> {
  switch (e.kind) {
    case 'directory':
      await applyOwnership(await mkdirInTree(tree, e.path), e);
      break;
    case 'file': {
      const data = e.source !== undefined ? await readFile(e.source) : Buffer.from(e.content ?? '', 'base64');
      await applyOwnership(await writeFileInTree(tree, e.path, data), e);
      break;
    }
    case 'symlink':
      await symlinkInTree(tree, e.path, e.target ?? '');
      break;
    case 'overlay':
      // No ownership from the host checkout: files land owned by root, modes and links kept.
      await copyIntoTree(tree, e.source ?? '', e.path, { copySpecial: copySpecial(context) });
      break;
    case 'archive':
      await extractIntoTree(tree, e.source ?? '', e.path, context);
      break;
  }
}

function copySpecial(context: StepContext) {
  return async (from: string, to: string) => {
    await context.runner.run('cp', ['-a', '--no-target-directory', '--', from, to]);
  };
}

/** GNU tar unpacks into an empty scratch folder (its own guards against climbing members), then the copy is confined to the tree. */
async function extractIntoTree(tree: string, archive: string, path: string, context: StepContext) {
  const scratch = await mkdtemp(join(context.workDir, 'archive-'));
  try {
    await context.runner.run('tar', ['--numeric-owner', '-xf', archive, '-C', scratch]);
    await copyIntoTree(tree, scratch, path, { keepOwners: true, copySpecial: copySpecial(context) });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
