/**
 * Turns the IR storage section (or nothing) into a concrete GPT layout: which partitions, in
 * which order, with which type GUIDs, offsets and sizes. Pure: the tree is described by a
 * measurement and a predicate, so every rule here is unit-tested without touching a disk.
 */
import { diskCodes } from '../../diagnostics/codes/disk.js';
import type { Partition, Storage } from '../../ir/schema.js';
import { diskError } from './errors.js';
import { type DiskArch, gptType, roleOfType } from './gpt-types.js';

export const MiB = 1024 * 1024;
const SECTOR = 512;

export type PartitionContent = 'esp' | 'tree' | 'swap' | 'empty';

export interface PlannedPartition {
  number: number;
  role: string;
  name: string;
  typeUuid: string;
  uuid: string;
  filesystem: 'vfat' | 'ext4' | 'swap' | 'none';
  fsLabel?: string;
  fsUuid: string;
  content: PartitionContent;
  /** byte offset in the image */
  start: number;
  /** bytes */
  size: number;
}

export interface DiskLayout {
  diskUuid: string;
  sizeBytes: number;
  partitions: PlannedPartition[];
}

export interface TreeMeasure {
  /** apparent bytes of everything under the tree */
  bytes: number;
  /** number of inodes (files, folders, links) */
  inodes: number;
}

export interface LayoutInput {
  storage?: Storage;
  arch: DiskArch;
  tree: TreeMeasure;
  /** bytes the ESP must hold (boot loader, kernels, initrds, entries) */
  espContent: number;
  /** whether the tree has anything under a mount point (decides if a separate partition would need content) */
  hasContent: (mountpoint: string) => boolean;
  uuid: (label: string) => string;
}

const supportedFs = new Set(['ext4', 'vfat', 'fat32', 'swap', 'none']);
const emptyRoles = new Set(['home', 'srv', 'tmp', 'var', 'data', 'swap', 'bios-boot']);

const alignUp = (n: number, to: number) => Math.ceil(n / to) * to;

export function estimateExt4Bytes(tree: TreeMeasure): number {
  // every inode may waste up to one 4 KiB block and takes 256 bytes of inode table (mkfs gets
  // 1.5× the tree's inodes); 5 % reserved blocks; the journal and group metadata need room too
  return Math.ceil((tree.bytes + tree.inodes * (4096 + 384) + 4096 * 256) / 0.95) + 20 * MiB;
}

export function defaultRootSize(tree: TreeMeasure): number {
  return alignUp(estimateExt4Bytes(tree) * 1.2 + 256 * MiB, MiB);
}

export function defaultEspSize(content: number): number {
  return alignUp(Math.max(256 * MiB, content * 1.5 + 32 * MiB), MiB);
}

function roleOf(p: Partition): string | undefined {
  if (p.role) return p.role;
  if (p.filesystem === 'swap') return 'swap';
  switch (p.mountpoint) {
    case '/':
      return 'root';
    case '/efi':
    case '/boot/efi':
      return 'esp';
    case '/home':
      return 'home';
    case '/srv':
      return 'srv';
    case '/var':
      return 'var';
    case '/tmp':
      return 'tmp';
    case '/usr':
      return 'usr';
    case '/boot':
      return p.filesystem === 'vfat' ? 'esp' : 'boot';
  }
  if (p.typeUuid) return roleOfType(p.typeUuid);
  return p.mountpoint ? 'data' : undefined;
}

function unsupported(detail: string) {
  return diskError(diskCodes.unsupportedLayout, { detail });
}

function fmt(bytes: number): string {
  return bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(2)} GiB` : `${Math.ceil(bytes / MiB)} MiB`;
}

function checkStorage(storage: Storage): void {
  if (storage.partitionTable === 'dos') throw unsupported('MBR (dos) partition tables; only GPT is built');
  if (storage.sectorSize !== undefined && storage.sectorSize !== SECTOR)
    throw unsupported(`sector size ${storage.sectorSize}; only 512-byte sectors are built`);
  if (storage.mode === 'lvm' || storage.mode === 'auto-lvm' || storage.volumeGroups.length > 0)
    throw unsupported('LVM volume groups');
  if (storage.raid.length > 0) throw unsupported('software RAID');
  if (storage.mode === 'btrfs') throw unsupported('btrfs layouts');
  if (storage.encryption) throw unsupported('encrypted storage');
}

interface Wanted {
  role: string;
  source: Partition;
}

/** The partitions the IR asks for, with an ESP added in front when the layout has none. */
function wantedPartitions(storage: Storage | undefined): Wanted[] {
  const listed = storage?.partitions ?? [];
  if (listed.length === 0) {
    return [
      { role: 'esp', source: {} },
      { role: 'root', source: { grow: true } },
    ];
  }
  const wanted = listed.map((p, i) => {
    const role = roleOf(p);
    if (!role) throw unsupported(`partition ${i + 1} has no role, mount point or known type`);
    return { role, source: p };
  });
  const roots = wanted.filter((w) => w.role === 'root').length;
  if (roots === 0) throw unsupported('no root partition (mount point /)');
  if (roots > 1) throw unsupported('more than one root partition');
  if (!wanted.some((w) => w.role === 'esp')) wanted.unshift({ role: 'esp', source: {} });
  return wanted;
}

function filesystemOf(role: string, p: Partition): PlannedPartition['filesystem'] {
  const fs = p.filesystem?.toLowerCase();
  if (fs && !supportedFs.has(fs))
    throw unsupported(`filesystem ${fs} (${role}); supported: ext4, vfat, swap`);
  if (role === 'esp') {
    if (fs && fs !== 'vfat' && fs !== 'fat32') throw unsupported(`an ESP formatted as ${fs}`);
    return 'vfat';
  }
  if (role === 'swap') return 'swap';
  if (role === 'bios-boot') return 'none';
  if (role === 'root' && fs && fs !== 'ext4')
    throw unsupported(`a root filesystem of type ${fs}; only ext4 is built`);
  if (fs === 'vfat' || fs === 'fat32') return 'vfat';
  if (fs === 'none') return 'none';
  return 'ext4';
}

function contentOf(role: string, p: Partition, input: LayoutInput): PartitionContent {
  if (role === 'esp') return 'esp';
  if (role === 'root') return 'tree';
  if (role === 'swap') return 'swap';
  if (!emptyRoles.has(role)) throw unsupported(`a separate ${role} partition`);
  if (p.mountpoint && input.hasContent(p.mountpoint))
    throw unsupported(
      `a separate ${p.mountpoint} partition while the tree has files there (they stay in the root filesystem only if it is not split)`,
    );
  return 'empty';
}

function sizeFor(role: string, content: PartitionContent, p: Partition, input: LayoutInput): number {
  const min = p.size?.min;
  const max = p.size?.max;
  let needed = 0;
  let preferred: number;
  if (content === 'tree') {
    needed = estimateExt4Bytes(input.tree);
    preferred = defaultRootSize(input.tree);
  } else if (content === 'esp') {
    needed = input.espContent + 4 * MiB;
    preferred = defaultEspSize(input.espContent);
  } else if (role === 'bios-boot') preferred = MiB;
  else if (role === 'swap') preferred = 512 * MiB;
  else preferred = 256 * MiB;
  if (max !== undefined && needed > max)
    throw diskError(diskCodes.partitionTooSmall, {
      partition: p.name ?? p.mountpoint ?? role,
      max: fmt(max),
      needed: fmt(needed),
    });
  // an explicit minimum is the size asked for; the default (with headroom) only when none is given
  let size = min !== undefined ? Math.max(min, needed) : Math.max(preferred, needed);
  if (max !== undefined) size = Math.min(size, max);
  return alignUp(Math.max(size, MiB), MiB);
}

function labelOf(role: string, p: Partition): string | undefined {
  if (p.fsLabel) return p.fsLabel;
  if (role === 'esp') return 'ESP';
  if (role === 'root' || role === 'swap' || role === 'home' || role === 'srv' || role === 'var') return role;
  return undefined;
}

export function planLayout(input: LayoutInput): DiskLayout {
  const { storage } = input;
  if (storage) checkStorage(storage);
  const wanted = wantedPartitions(storage);
  const start0 = alignUp(Math.max(storage?.startOffset ?? MiB, MiB), MiB);
  const partitions: PlannedPartition[] = [];
  let offset = start0;
  wanted.forEach(({ role, source: p }, i) => {
    if (p.encryption) throw unsupported(`encrypted partition ${p.name ?? p.mountpoint ?? role}`);
    if (p.subvolumes?.length) throw unsupported('btrfs subvolumes');
    if (p.volumeGroup || p.raid) throw unsupported('LVM or RAID member partitions');
    const filesystem = filesystemOf(role, p);
    const content = contentOf(role, p, input);
    const size = sizeFor(role, content, p, input);
    const number = i + 1;
    const label = labelOf(role, p);
    partitions.push({
      number,
      role,
      name: p.name ?? role,
      typeUuid: (p.typeUuid ?? gptType(role, input.arch)).toLowerCase(),
      uuid: p.uuid ?? input.uuid(`partition-${number}-${role}`),
      filesystem,
      ...(label !== undefined ? { fsLabel: label } : {}),
      fsUuid: input.uuid(`filesystem-${number}-${role}`),
      content,
      start: offset,
      size,
    });
    offset += size;
  });
  // the backup GPT needs 33 sectors at the end; keep the tail MiB-aligned
  let sizeBytes = offset + MiB;
  const diskMin = storage?.size?.min;
  if (diskMin !== undefined && diskMin > sizeBytes) {
    const extra = alignUp(diskMin, MiB) - sizeBytes;
    const growIndex = growTarget(wanted);
    if (growIndex >= 0) {
      partitions[growIndex]!.size += extra;
      for (const p of partitions.slice(growIndex + 1)) p.start += extra;
    }
    sizeBytes += extra;
  }
  const diskMax = storage?.size?.max;
  if (diskMax !== undefined && sizeBytes > diskMax)
    throw diskError(diskCodes.diskTooSmall, { max: fmt(diskMax), needed: fmt(sizeBytes) });
  return { diskUuid: input.uuid('disk'), sizeBytes, partitions };
}

function growTarget(wanted: Wanted[]): number {
  const flagged = wanted.findIndex((w) => w.source.grow);
  return flagged >= 0 ? flagged : wanted.findIndex((w) => w.role === 'root');
}

/** The sfdisk script that writes this layout's GPT. */
export function sfdiskScript(layout: DiskLayout): string {
  const lines = [
    'label: gpt',
    `label-id: ${layout.diskUuid.toUpperCase()}`,
    'unit: sectors',
    `sector-size: ${SECTOR}`,
    '',
  ];
  for (const p of layout.partitions) {
    lines.push(
      `start=${p.start / SECTOR}, size=${p.size / SECTOR}, type=${p.typeUuid.toUpperCase()}, uuid=${p.uuid.toUpperCase()}, name="${p.name.replace(/"/g, '')}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
