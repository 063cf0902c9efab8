/**
 * The standalone GRUB EFI image the ISO boots under UEFI, made as grub-mkstandalone makes it
 * (a memdisk holding boot/grub/grub.cfg and every x86_64-efi module, prefix (memdisk)/boot/grub)
 * but with a memdisk tar imgc writes itself: grub-mkstandalone 2.06 stamps each module it copies
 * with the time of the copy, so two builds gave two images. grub-mkimage itself is stable.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../shared/run.js';

export const GRUB_EFI_MODULE_DIR = '/usr/lib/grub/x86_64-efi';

export interface GrubEfiRequest {
  workDir: string;
  output: string;
  config: string;
  /** modules linked into the image itself, besides memdisk and tar */
  preload: string[];
  /** the time of every memdisk entry; 0 when the build names none */
  epoch: number;
  opts: { output: string; signal?: AbortSignal };
}

export async function makeGrubEfiImage(r: GrubEfiRequest): Promise<void> {
  const root = join(r.workDir, 'grub-memdisk');
  const modules = join(root, 'boot/grub/x86_64-efi');
  await mkdir(modules, { recursive: true });
  const installed = (await readdir(GRUB_EFI_MODULE_DIR)).filter((f) => /\.(mod|lst)$/.test(f)).sort();
  for (const name of installed) await copyFile(join(GRUB_EFI_MODULE_DIR, name), join(modules, name));
  await writeFile(join(root, 'boot/grub/grub.cfg'), r.config);
  const memdisk = join(r.workDir, 'grub-memdisk.tar');
  await runTool(
    'tar',
    [
      ...['--create', '--file', memdisk, '--format=ustar', '--sort=name'],
      ...[`--mtime=@${r.epoch}`, '--owner=0', '--group=0', '--numeric-owner'],
      ...['--directory', root, 'boot'],
    ],
    r.opts,
  );
  await runTool(
    'grub-mkimage',
    [
      ...['--format', 'x86_64-efi', '--output', r.output],
      ...['--prefix', '(memdisk)/boot/grub', '--memdisk', memdisk],
      'memdisk',
      'tar',
      ...r.preload,
    ],
    r.opts,
  );
}
