/**
 * The `pxe` output: a folder to serve over HTTP for network boot with the distribution's
 * live boot stack (Debian live-boot): vmlinuz, initrd.img, filesystem.squashfs (the tree
 * without /boot), cmdline.txt (for direct kernel boot or a boot loader) and boot.ipxe, an
 * iPXE script that loads everything from the URL the folder is served at.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { clampTimes } from '../../exec/clamp-times.js';
import { outputError } from '../shared/errors.js';
import { newestKernel } from '../shared/kernel.js';
import { liveCmdline, liveRootImage, type SharedFile } from '../shared/live.js';

export interface PxeRequest {
  tree: string;
  /** the bundle folder (must not exist) */
  output: string;
  cmdline: string[];
  baseUrl: string;
  filesystem: 'squashfs' | 'erofs';
  epoch?: number;
  signal?: AbortSignal;
  onProgress?: (m: string) => void;
  /** the squashfs is made once for every live output of the build */
  shared?: SharedFile;
}

export const PXE_FILES = {
  kernel: 'vmlinuz',
  initrd: 'initrd.img',
  root: 'filesystem.squashfs',
  cmdline: 'cmdline.txt',
  ipxe: 'boot.ipxe',
} as const;

export function pxeCmdline(args: string[], baseUrl: string): string[] {
  const base = baseUrl.replace(/\/+$/, '');
  return liveCmdline(args, [`fetch=${base}/${PXE_FILES.root}`, 'ip=dhcp']);
}

export function ipxeScript(cmdline: string[], baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    '#!ipxe',
    'dhcp',
    `kernel ${base}/${PXE_FILES.kernel} initrd=${PXE_FILES.initrd} ${cmdline.join(' ')}`,
    `initrd ${base}/${PXE_FILES.initrd}`,
    'boot',
    '',
  ].join('\n');
}

export async function assemblePxe(r: PxeRequest): Promise<{ kernelVersion: string }> {
  if (r.filesystem !== 'squashfs')
    throw outputError(outputCodes.liveFilesystem, { output: 'pxe', filesystem: r.filesystem }, 'pxe');
  const kernel = newestKernel(r.tree, 'pxe');
  await mkdir(r.output);
  await copyFile(kernel.kernel, join(r.output, PXE_FILES.kernel));
  await copyFile(kernel.initrd, join(r.output, PXE_FILES.initrd));
  const cmdline = pxeCmdline(r.cmdline, r.baseUrl);
  await writeFile(join(r.output, PXE_FILES.cmdline), `${cmdline.join(' ')}\n`);
  await writeFile(join(r.output, PXE_FILES.ipxe), ipxeScript(cmdline, r.baseUrl));
  r.onProgress?.('squashfs of the tree');
  await liveRootImage(
    {
      source: r.tree,
      output: join(r.output, PXE_FILES.root),
      ...(r.epoch !== undefined ? { epoch: r.epoch } : {}),
      ...(r.signal ? { signal: r.signal } : {}),
      outputName: 'pxe',
    },
    r.shared,
  );
  // the bundle is served as a folder of files: they get the epoch, not the time of the copy
  if (r.epoch !== undefined) await clampTimes(r.output, r.epoch);
  return { kernelVersion: kernel.version };
}
