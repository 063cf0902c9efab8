/** The newest kernel and its initrd in a tree, as the boot outputs need them. */
import { existsSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { DiskError } from '../disk/errors.js';
import { findKernels, type KernelImage } from '../disk/kernels.js';
import { outputError } from './errors.js';

export type { KernelImage };

export function newestKernel(tree: string, output: string): KernelImage {
  try {
    return findKernels(tree)[0]!;
  } catch (e) {
    if (e instanceof DiskError)
      throw outputError(outputCodes.kernelMissing, { output, detail: e.diagnostic.message }, output);
    throw e;
  }
}

/** Resolves a path inside the tree, following symlinks as the image would (absolute targets stay in the tree). */
export function inTree(tree: string, path: string): string | undefined {
  let current = join(tree, path);
  for (let hops = 0; hops < 20; hops++) {
    if (!existsSync(current)) return undefined;
    const real = realpathSync(current);
    const rel = relative(tree, real);
    if (!rel.startsWith('..')) return real;
    // an absolute symlink resolved on the host: take it relative to the tree instead
    current = resolve(tree, `.${real}`);
  }
  return undefined;
}

/** The tree's os-release file: /etc/os-release, else /usr/lib/os-release. */
export function osReleaseFile(tree: string): string | undefined {
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    const found = inTree(tree, p);
    if (found) return found;
  }
  return undefined;
}
