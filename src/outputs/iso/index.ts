/**
 * The `iso` output: a hybrid live ISO made by xorriso, nothing mounted. The tree (without
 * /boot) becomes live/filesystem.squashfs; the tree's kernel and initrd (which must carry the
 * distribution's live boot stack: Debian live-boot) go to live/. UEFI boots a standalone
 * GRUB image (grub-efi.ts) from an El Torito FAT image; BIOS boots ISOLINUX (also from USB: isohybrid MBR).
 */

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { outputError } from '../shared/errors.js';
import { fatTimeEnv } from '../shared/fat-time.js';
import { newestKernel } from '../shared/kernel.js';
import { liveCmdline, liveRootImage, type SharedFile } from '../shared/live.js';
import { runTool } from '../shared/run.js';
import { makeGrubEfiImage } from './grub-efi.js';

export interface IsoRequest {
  tree: string;
  output: string;
  workDir: string;
  cmdline: string[];
  volumeId: string;
  publisher?: string;
  application?: string;
  filesystem: 'squashfs' | 'erofs';
  bios: boolean;
  epoch?: number;
  signal?: AbortSignal;
  onProgress?: (m: string) => void;
  /** the squashfs is made once for every live output of the build */
  shared?: SharedFile;
}

const ISOLINUX = {
  bin: '/usr/lib/ISOLINUX/isolinux.bin',
  mbr: '/usr/lib/ISOLINUX/isohdpfx.bin',
  ldlinux: '/usr/lib/syslinux/modules/bios/ldlinux.c32',
};

const GRUB_MODULES =
  'part_gpt part_msdos iso9660 search search_fs_file linux normal configfile echo serial terminal';

export function grubConfig(cmdline: string, title: string): string {
  return [
    'serial --unit=0 --speed=115200',
    'terminal_input serial console',
    'terminal_output serial console',
    'set timeout=1',
    'search --no-floppy --set=root --file /live/vmlinuz',
    `menuentry "${title.replace(/"/g, "'")}" {`,
    `  linux /live/vmlinuz ${cmdline}`,
    '  initrd /live/initrd.img',
    '}',
    '',
  ].join('\n');
}

export function isolinuxConfig(cmdline: string): string {
  return [
    'serial 0 115200',
    'default live',
    'prompt 0',
    'timeout 1',
    'label live',
    '  kernel /live/vmlinuz',
    `  append initrd=/live/initrd.img ${cmdline}`,
    '',
  ].join('\n');
}

export async function assembleIso(r: IsoRequest): Promise<{ kernelVersion: string }> {
  const progress = r.onProgress ?? (() => {});
  const opts = { output: 'iso', ...(r.signal ? { signal: r.signal } : {}) };
  if (r.filesystem !== 'squashfs')
    throw outputError(outputCodes.liveFilesystem, { output: 'iso', filesystem: r.filesystem }, 'iso');
  if (r.bios) {
    for (const [, path] of Object.entries(ISOLINUX))
      if (!existsSync(path))
        throw outputError(
          outputCodes.toolMissing,
          {
            tool: path,
            packageName: path.includes('ISOLINUX') ? 'isolinux' : 'syslinux-common',
            output: 'iso',
          },
          'iso',
        );
  }
  const kernel = newestKernel(r.tree, 'iso');
  const stage = join(r.workDir, 'iso');
  await mkdir(join(stage, 'live'), { recursive: true });
  await mkdir(join(stage, 'EFI'), { recursive: true });
  await copyFile(kernel.kernel, join(stage, 'live/vmlinuz'));
  await copyFile(kernel.initrd, join(stage, 'live/initrd.img'));
  const cmdline = liveCmdline(r.cmdline).join(' ');

  progress('squashfs of the tree');
  await liveRootImage(
    {
      source: r.tree,
      output: join(stage, 'live/filesystem.squashfs'),
      ...(r.epoch !== undefined ? { epoch: r.epoch } : {}),
      ...(r.signal ? { signal: r.signal } : {}),
      outputName: 'iso',
    },
    r.shared,
  );

  progress('GRUB for UEFI');
  const grubEfi = join(r.workDir, 'BOOTX64.EFI');
  await makeGrubEfiImage({
    workDir: r.workDir,
    output: grubEfi,
    config: grubConfig(cmdline, r.application ?? r.volumeId),
    preload: GRUB_MODULES.split(' '),
    epoch: r.epoch ?? 0,
    opts,
  });
  const efiImg = join(stage, 'EFI/efiboot.img');
  const kib = Math.ceil((await stat(grubEfi)).size / 1024) + 1024;
  const fatOpts = { ...opts, env: fatTimeEnv(r.epoch) };
  const serial = r.epoch !== undefined ? ['--invariant', '-i', volumeSerial(r.volumeId, r.epoch)] : [];
  await runTool('mkfs.vfat', [...serial, '-n', 'EFIBOOT', '-C', efiImg, String(kib)], fatOpts);
  await runTool('mmd', ['-i', efiImg, '::/EFI', '::/EFI/BOOT'], fatOpts);
  await runTool('mcopy', ['-i', efiImg, grubEfi, '::/EFI/BOOT/BOOTX64.EFI'], fatOpts);

  const args = ['-as', 'mkisofs', '-iso-level', '3', '-full-iso9660-filenames', '-volid', r.volumeId];
  // SOURCE_DATE_EPOCH fixes xorriso's volume times only; every file's dates (ISO 9660 and Rock
  // Ridge mtime/atime/ctime) would still be the staged copies' times
  if (r.epoch !== undefined) args.push('--set_all_file_dates', `=${r.epoch}`);
  if (r.publisher) args.push('-publisher', r.publisher);
  if (r.application) args.push('-A', r.application);
  if (r.bios) {
    await mkdir(join(stage, 'isolinux'), { recursive: true });
    await copyFile(ISOLINUX.bin, join(stage, 'isolinux/isolinux.bin'));
    await copyFile(ISOLINUX.ldlinux, join(stage, 'isolinux/ldlinux.c32'));
    await writeFile(join(stage, 'isolinux/isolinux.cfg'), isolinuxConfig(cmdline));
    args.push(
      ...['-eltorito-boot', 'isolinux/isolinux.bin', '-eltorito-catalog', 'isolinux/boot.cat'],
      ...['-no-emul-boot', '-boot-load-size', '4', '-boot-info-table', '-isohybrid-mbr', ISOLINUX.mbr],
      '-eltorito-alt-boot',
    );
  }
  args.push('-e', 'EFI/efiboot.img', '-no-emul-boot', '-isohybrid-gpt-basdat', '-output', r.output, stage);
  progress('xorriso');
  await runTool('xorriso', args, {
    ...opts,
    ...(r.epoch !== undefined ? { env: { SOURCE_DATE_EPOCH: String(r.epoch) } } : {}),
  });
  return { kernelVersion: kernel.version };
}

/** The EFI image's FAT serial in a reproducible build: from the volume id and the epoch, as xorriso derives its own. */
export function volumeSerial(volumeId: string, epoch: number): string {
  return createHash('sha256').update(`${volumeId}\0${epoch}`).digest('hex').slice(0, 8);
}
