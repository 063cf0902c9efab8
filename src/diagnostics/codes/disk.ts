import { defineCodes } from '../define.js';

/** IMGC75xx: assembling bootable disk images (src/outputs/disk). */
export const diskCodes = defineCodes({
  toolMissing: {
    code: 'IMGC7501',
    severity: 'error',
    summary: 'a host tool the disk assembler needs is not installed',
    message: (p: { tool: string; packageName: string }) =>
      `${p.tool} is not installed (Debian package ${p.packageName})`,
    hint: 'run scripts/ensure-host-tools.sh, or install the package with apt-get',
  },
  toolFailed: {
    code: 'IMGC7502',
    severity: 'error',
    summary: 'a host tool exited with an error while the disk was assembled',
    message: (p: { command: string; exitCode: string; stderr: string }) =>
      `${p.command} failed (exit ${p.exitCode})${p.stderr ? `: ${p.stderr}` : ''}`,
  },
  treeMissing: {
    code: 'IMGC7503',
    severity: 'error',
    summary: 'the root tree handed to the disk assembler does not exist',
    message: (p: { path: string }) => `root tree ${p.path} does not exist or is not a folder`,
  },
  kernelMissing: {
    code: 'IMGC7504',
    severity: 'error',
    summary: 'no kernel (and matching initrd) was found in the tree',
    message: (p: { tree: string; detail: string }) => `no bootable kernel in ${p.tree}: ${p.detail}`,
    hint: 'install a kernel package (Debian: linux-image-amd64) and an initrd generator (initramfs-tools or dracut)',
  },
  bootloaderMissing: {
    code: 'IMGC7505',
    severity: 'error',
    summary: 'the systemd-boot EFI binary is neither in the tree nor on the host',
    message: (p: { looked: string }) => `systemd-boot EFI binary not found (looked in ${p.looked})`,
    hint: 'install systemd-boot in the image (Debian: systemd-boot, which pulls systemd-boot-efi)',
  },
  unsupportedLayout: {
    code: 'IMGC7506',
    severity: 'error',
    summary: 'the storage layout asks for something the disk assembler cannot build yet',
    message: (p: { detail: string }) => `cannot build this disk layout: ${p.detail}`,
    hint: 'supported: GPT with an ESP (vfat), an ext4 root, swap and empty extra partitions',
  },
  partitionTooSmall: {
    code: 'IMGC7507',
    severity: 'error',
    summary: 'a partition size bound is smaller than its content',
    message: (p: { partition: string; max: string; needed: string }) =>
      `partition ${p.partition} may be at most ${p.max} but its content needs ${p.needed}`,
    hint: 'raise the maximum size or drop it so the size is computed from the tree',
  },
  diskTooSmall: {
    code: 'IMGC7508',
    severity: 'error',
    summary: 'the disk size bound cannot hold the partitions',
    message: (p: { max: string; needed: string }) =>
      `the disk may be at most ${p.max} but its partitions need ${p.needed}`,
  },
  unsupportedBoot: {
    code: 'IMGC7509',
    severity: 'error',
    summary: 'the boot settings ask for a firmware or boot loader the disk assembler does not provide',
    message: (p: { detail: string }) => `cannot boot this disk as asked: ${p.detail}`,
    hint: 'the disk output supports UEFI with systemd-boot; BIOS, GRUB and UKIs come later',
  },
  conversionFailed: {
    code: 'IMGC7510',
    severity: 'error',
    summary: 'qemu-img could not convert the raw disk',
    message: (p: { format: string; detail: string }) =>
      `converting the disk to ${p.format} failed: ${p.detail}`,
  },
  aborted: {
    code: 'IMGC7511',
    severity: 'error',
    summary: 'the disk assembly was cancelled',
    message: () => 'disk assembly cancelled',
  },
});
