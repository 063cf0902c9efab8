/** Finds the kernels and initrds a root tree ships, in the Debian and Fedora/usr-merged layouts. */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diskCodes } from '../../diagnostics/codes/disk.js';
import { diskError } from './errors.js';
import type { DiskArch } from './gpt-types.js';

export interface KernelImage {
  version: string;
  /** host paths inside the tree */
  kernel: string;
  initrd: string;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function initrdFor(tree: string, version: string): string | undefined {
  return [
    `boot/initrd.img-${version}`,
    `boot/initramfs-${version}.img`,
    `usr/lib/modules/${version}/initrd`,
    `lib/modules/${version}/initrd`,
  ]
    .map((p) => join(tree, p))
    .find(isFile);
}

/** Newest first (version-aware ordering of the kernel release strings). */
export function sortVersions(versions: string[]): string[] {
  return [...versions].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
}

export function findKernels(tree: string): KernelImage[] {
  const found = new Map<string, string>();
  for (const name of listDir(join(tree, 'boot'))) {
    const m = /^vmlinu[xz]-(.+)$/.exec(name);
    const path = join(tree, 'boot', name);
    if (m && !lstatSync(path).isSymbolicLink() && isFile(path)) found.set(m[1]!, path);
  }
  for (const modules of ['usr/lib/modules', 'lib/modules']) {
    for (const version of listDir(join(tree, modules))) {
      const path = join(tree, modules, version, 'vmlinuz');
      if (!found.has(version) && isFile(path)) found.set(version, path);
    }
  }
  if (found.size === 0)
    throw diskError(diskCodes.kernelMissing, {
      tree,
      detail: 'no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz',
    });
  const kernels: KernelImage[] = [];
  const withoutInitrd: string[] = [];
  for (const version of sortVersions([...found.keys()])) {
    const initrd = initrdFor(tree, version);
    if (initrd) kernels.push({ version, kernel: found.get(version)!, initrd });
    else withoutInitrd.push(version);
  }
  if (kernels.length === 0)
    throw diskError(diskCodes.kernelMissing, {
      tree,
      detail: `no initrd for kernel ${withoutInitrd.join(', ')}`,
    });
  return kernels;
}

const efiNames: Record<DiskArch, string> = { x86_64: 'x64', aarch64: 'aa64' };

export interface BootLoaderBinary {
  arch: DiskArch;
  /** systemd-boot's EFI binary */
  path: string;
  /** the removable-media path firmware looks for: EFI/BOOT/BOOTX64.EFI */
  fallbackName: string;
  /** the tree has none, so the host's copy is used */
  fromHost: boolean;
}

/** systemd-boot's EFI binary, from the tree (preferred) or the host; the tree's copy also tells the architecture. */
export function findSystemdBoot(tree: string): BootLoaderBinary {
  const looked: string[] = [];
  for (const root of [tree, '/']) {
    for (const arch of Object.keys(efiNames) as DiskArch[]) {
      for (const dir of ['usr/lib/systemd/boot/efi', 'lib/systemd/boot/efi']) {
        const path = join(root, dir, `systemd-boot${efiNames[arch]}.efi`);
        if (isFile(path))
          return {
            arch,
            path,
            fallbackName: `BOOT${efiNames[arch].toUpperCase()}.EFI`,
            fromHost: root !== tree,
          };
      }
    }
    looked.push(join(root, 'usr/lib/systemd/boot/efi'));
  }
  throw diskError(diskCodes.bootloaderMissing, { looked: looked.join(', ') });
}
