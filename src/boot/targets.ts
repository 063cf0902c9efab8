/**
 * What kind of output a path is and how qemu boots it: a disk image as a virtio drive, an ISO
 * as a CD-ROM, a UKI by direct kernel boot under UEFI, a PXE folder by direct kernel boot with
 * its root image served over HTTP where its cmdline.txt fetches it. The firmware is chosen
 * from the output (a GPT disk with an EFI system partition boots UEFI, one without boots BIOS)
 * and the choice is reported; --firmware overrides it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { lookupTable } from '../lib/lookup-table.js';

export type Firmware = 'ovmf' | 'seabios';
export type BootKind = 'disk' | 'iso' | 'uki' | 'pxe';

export interface BootTarget {
  kind: BootKind;
  firmware: Firmware;
  /** why this firmware, for the report */
  firmwareWhy: string;
  args: string[];
  /** a folder to serve over HTTP on this host port while the guest runs (PXE) */
  serve?: { dir: string; port: number };
}

const ESP_GUID = Buffer.from('28732ac11ff8d211ba4b00a0c93ec93b', 'hex');
const DISK_FORMATS: Record<string, string> = lookupTable({
  '.raw': 'raw',
  '.img': 'raw',
  '.qcow2': 'qcow2',
  '.vmdk': 'vmdk',
  '.vhdx': 'vhdx',
});

async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await f.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/** For a raw disk: has a GPT with an EFI system partition (UEFI), or not (BIOS). */
async function rawDiskFirmware(path: string): Promise<{ firmware: Firmware; why: string }> {
  const header = await readAt(path, 512, 92);
  if (header.subarray(0, 8).toString('latin1') !== 'EFI PART')
    return { firmware: 'seabios', why: 'the disk has no GPT (an MBR disk boots through BIOS)' };
  const entriesLba = Number(header.readBigUInt64LE(72));
  const count = header.readUInt32LE(80);
  const size = header.readUInt32LE(84);
  const entries = await readAt(path, entriesLba * 512, Math.min(count, 256) * size);
  for (let i = 0; i + 16 <= entries.length; i += size)
    if (entries.subarray(i, i + 16).equals(ESP_GUID))
      return { firmware: 'ovmf', why: 'the disk has an EFI system partition' };
  return { firmware: 'seabios', why: 'the GPT disk has no EFI system partition' };
}

function pxeBundle(dir: string): BootTarget | string {
  for (const f of ['vmlinuz', 'initrd.img', 'cmdline.txt'])
    if (!existsSync(join(dir, f)))
      return `a folder that is not a PXE bundle (no ${f}); a tree opens with imgc shell`;
  const cmdline = readFileSync(join(dir, 'cmdline.txt'), 'utf8').trim();
  const fetch = /fetch=http:\/\/10\.0\.2\.2:(\d+)\//.exec(cmdline);
  return {
    kind: 'pxe',
    firmware: 'seabios',
    firmwareWhy: 'a PXE bundle boots its kernel directly',
    args: [
      ...['-kernel', join(dir, 'vmlinuz'), '-initrd', join(dir, 'initrd.img'), '-append', cmdline],
      ...['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0'],
    ],
    ...(fetch ? { serve: { dir, port: Number(fetch[1]) } } : {}),
  };
}

/** Classifies the output; a string is the reason it cannot be booted. */
export async function bootTarget(
  path: string,
  extraDrives: readonly string[] = [],
): Promise<BootTarget | string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return 'no such file or folder';
  }
  if (info.isDirectory()) return pxeBundle(path);
  const drives = extraDrives.flatMap((d, i) => [
    '-drive',
    `file=${d},if=none,id=extra${i},format=${DISK_FORMATS[extname(d)] ?? 'raw'},snapshot=on`,
    '-device',
    `virtio-blk-pci,drive=extra${i}`,
  ]);
  const ext = extname(path).toLowerCase();
  const head = await readAt(path, 0, 4);
  if (ext === '.iso' || (await readAt(path, 32769, 5)).toString('latin1') === 'CD001')
    return {
      kind: 'iso',
      firmware: 'ovmf',
      firmwareWhy: 'an ISO image boots UEFI unless --firmware bios is given',
      args: ['-cdrom', path, ...drives],
    };
  if (ext === '.efi' && head.subarray(0, 2).toString('latin1') === 'MZ')
    return {
      kind: 'uki',
      firmware: 'ovmf',
      firmwareWhy: 'a unified kernel image is an EFI program',
      args: ['-kernel', path, ...drives],
    };
  const format = head.toString('latin1') === 'QFI\xfb' ? 'qcow2' : DISK_FORMATS[ext];
  if (!format) return 'not a disk image, ISO or UKI (by its name and first bytes)';
  const chosen =
    format === 'raw'
      ? await rawDiskFirmware(path)
      : { firmware: 'ovmf' as const, why: `a ${format} disk is booted UEFI unless --firmware bios is given` };
  return {
    kind: 'disk',
    firmware: chosen.firmware,
    firmwareWhy: chosen.why,
    args: [
      ...['-drive', `file=${path},if=none,id=disk,format=${format},snapshot=on`],
      ...['-device', 'virtio-blk-pci,drive=disk,bootindex=0'],
      ...drives,
    ],
  };
}
