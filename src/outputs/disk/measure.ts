import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TreeMeasure } from './layout.js';
import { runTool } from './run.js';

/** Apparent bytes and inode count of a tree (du counts hard links once, like mkfs.ext4 -d stores them). */
export async function measureTree(tree: string, signal?: AbortSignal): Promise<TreeMeasure> {
  const [bytes, inodes] = await Promise.all([
    runTool('du', ['-s', '-x', '-B1', '--apparent-size', tree], { signal }),
    runTool('du', ['-s', '-x', '--inodes', tree], { signal }),
  ]);
  return { bytes: Number.parseInt(bytes, 10), inodes: Number.parseInt(inodes, 10) };
}

export function fileBytes(paths: string[]): number {
  return paths.reduce((sum, p) => sum + statSync(p).size, 0);
}

/** True when a folder inside the tree exists and holds anything. */
export function treeHasContent(tree: string, mountpoint: string): boolean {
  try {
    return readdirSync(join(tree, mountpoint)).length > 0;
  } catch {
    return false;
  }
}
