import type { LogicalVolume, Partition, Storage } from '../../../ir/schema.js';
import { parseSize } from '../../../ir/size.js';
import { roleForMountpoint } from '../../../ir/storage.js';
import { blueprintCodes } from '../codes.js';
import { mountpointViolation } from '../policies.js';
import type { LowerContext, Table } from './context.js';

const PLAIN_FS = ['ext4', 'xfs', 'vfat', 'swap', 'none'];

/** `[customizations.disk]`: an explicit partition table (blueprint.md §2.3.1). */
export function lowerDisk(ctx: LowerContext, disk: Table): void {
  const at = '/customizations/disk';
  const storage = ctx.ir.storage as Storage;
  storage.mode = 'explicit';
  ctx.map('/storage', at);
  ctx.checkKeys(
    disk,
    ['type', 'minsize', 'start_offset', 'sector_size', 'partitions'],
    at,
    '[customizations.disk]',
  );

  const type = ctx.str(disk, 'type', at);
  if (type !== undefined) {
    if (type === 'gpt' || type === 'dos') storage.partitionTable = type;
    else
      ctx.report(
        blueprintCodes.invalidValue,
        { field: 'disk.type', value: JSON.stringify(type), expected: '"gpt" or "dos"' },
        `${at}/type`,
      );
  }
  const size = sizeOf(ctx, disk, 'minsize', at, false);
  if (size !== undefined) storage.size = { min: size };
  const offset = sizeOf(ctx, disk, 'start_offset', at, false);
  if (offset !== undefined) storage.startOffset = offset;
  const sector = ctx.int(disk, 'sector_size', at);
  if (sector !== undefined) {
    if (sector < 512 || (sector & (sector - 1)) !== 0) {
      ctx.report(
        blueprintCodes.invalidValue,
        { field: 'sector_size', value: String(sector), expected: 'a power of two, at least 512' },
        `${at}/sector_size`,
      );
    } else storage.sectorSize = sector;
  }

  const partitions = ctx.tables(disk, 'partitions', at);
  if (storage.partitionTable === 'dos' && partitions.length > 4) {
    ctx.report(
      blueprintCodes.layout,
      { detail: `a dos partition table holds at most 4 partitions, found ${partitions.length}` },
      `${at}/partitions`,
    );
  }
  const mountpoints = new Set<string>();
  const checkMountpoint = (mountpoint: string | undefined, ptr: string) => {
    if (!mountpoint) return;
    const violation = mountpointViolation(mountpoint);
    if (violation) ctx.report(blueprintCodes.mountpointPolicy, { mountpoint, reason: violation }, ptr);
    if (mountpoints.has(mountpoint))
      ctx.report(blueprintCodes.duplicate, { what: 'mountpoint', value: mountpoint }, ptr);
    mountpoints.add(mountpoint);
  };
  let containers = 0;

  partitions.forEach((entry, i) => {
    const p = `${at}/partitions/${i}`;
    const kind = ctx.str(entry, 'type', p) ?? 'plain';
    const common = ['type', 'minsize', 'part_type', 'part_label', 'part_uuid'];
    const partition: Partition = {};
    const min = sizeOf(ctx, entry, 'minsize', p, true);
    if (min !== undefined) partition.size = { min };
    const partType = ctx.str(entry, 'part_type', p);
    if (partType) partition.typeUuid = partType;
    const label = ctx.str(entry, 'part_label', p);
    if (label) partition.name = label;
    const uuid = ctx.str(entry, 'part_uuid', p);
    if (uuid) partition.uuid = uuid;
    if (storage.partitionTable === 'dos' && (label || uuid)) {
      ctx.report(blueprintCodes.layout, { detail: 'part_label and part_uuid exist only on gpt' }, p);
    }

    if (kind === 'plain') {
      ctx.checkKeys(entry, [...common, 'mountpoint', 'label', 'fs_type'], p, 'a plain partition');
      const mountpoint = ctx.str(entry, 'mountpoint', p);
      const fsType = ctx.str(entry, 'fs_type', p);
      if (fsType !== undefined && !PLAIN_FS.includes(fsType)) {
        ctx.report(
          blueprintCodes.invalidValue,
          { field: 'fs_type', value: JSON.stringify(fsType), expected: PLAIN_FS.join(', ') },
          `${p}/fs_type`,
        );
      }
      if ((fsType === 'swap' || fsType === 'none') && mountpoint) {
        ctx.report(
          blueprintCodes.layout,
          { detail: `a ${fsType} partition has no mountpoint` },
          `${p}/mountpoint`,
        );
      }
      if (mountpoint === '/boot' && fsType && !['ext4', 'xfs'].includes(fsType)) {
        ctx.report(blueprintCodes.layout, { detail: '/boot must be ext4 or xfs' }, `${p}/fs_type`);
      }
      if (mountpoint === '/boot/efi' && fsType && fsType !== 'vfat') {
        ctx.report(blueprintCodes.layout, { detail: '/boot/efi must be vfat' }, `${p}/fs_type`);
      }
      checkMountpoint(mountpoint, `${p}/mountpoint`);
      if (mountpoint) partition.mountpoint = mountpoint;
      if (fsType) partition.filesystem = fsType;
      const fsLabel = ctx.str(entry, 'label', p);
      if (fsLabel) partition.fsLabel = fsLabel;
      partition.role = roleForMountpoint(mountpoint, fsType);
    } else if (kind === 'lvm') {
      containers++;
      ctx.checkKeys(entry, [...common, 'name', 'logical_volumes'], p, 'an lvm partition');
      const name = ctx.str(entry, 'name', p) ?? '';
      partition.role = 'lvm';
      partition.volumeGroup = name;
      const lvs: LogicalVolume[] = [];
      ctx.tables(entry, 'logical_volumes', p).forEach((lv, j) => {
        const l = `${p}/logical_volumes/${j}`;
        ctx.checkKeys(lv, ['name', 'minsize', 'mountpoint', 'label', 'fs_type'], l, 'a logical volume');
        const volume: LogicalVolume = { name: ctx.str(lv, 'name', l) ?? '' };
        const lvSize = sizeOf(ctx, lv, 'minsize', l, true);
        if (lvSize !== undefined) volume.size = { min: lvSize };
        const mountpoint = ctx.str(lv, 'mountpoint', l);
        if (mountpoint === '/boot' || mountpoint === '/boot/efi') {
          ctx.report(
            blueprintCodes.layout,
            { detail: `${mountpoint} cannot be on a logical volume` },
            `${l}/mountpoint`,
          );
        }
        checkMountpoint(mountpoint, `${l}/mountpoint`);
        if (mountpoint) volume.mountpoint = mountpoint;
        const fsType = ctx.str(lv, 'fs_type', l);
        if (fsType) volume.filesystem = fsType;
        const fsLabel = ctx.str(lv, 'label', l);
        if (fsLabel) volume.fsLabel = fsLabel;
        lvs.push(volume);
      });
      ctx.map(`/storage/volumeGroups/${storage.volumeGroups.length}`, p);
      storage.volumeGroups.push({ name, logicalVolumes: lvs });
    } else if (kind === 'btrfs') {
      containers++;
      ctx.checkKeys(entry, [...common, 'subvolumes'], p, 'a btrfs partition');
      partition.filesystem = 'btrfs';
      const names = new Set<string>();
      partition.subvolumes = ctx.tables(entry, 'subvolumes', p).map((sv, j) => {
        const s = `${p}/subvolumes/${j}`;
        ctx.checkKeys(sv, ['name', 'mountpoint'], s, 'a btrfs subvolume');
        const name = ctx.str(sv, 'name', s);
        if (!name)
          ctx.report(blueprintCodes.missingRequired, { field: 'name', where: 'every btrfs subvolume' }, s);
        else if (names.has(name))
          ctx.report(blueprintCodes.duplicate, { what: 'subvolume', value: name }, `${s}/name`);
        if (name) names.add(name);
        const mountpoint = ctx.str(sv, 'mountpoint', s);
        if (mountpoint === '/boot/efi')
          ctx.report(
            blueprintCodes.layout,
            { detail: '/boot/efi cannot be a btrfs subvolume' },
            `${s}/mountpoint`,
          );
        checkMountpoint(mountpoint, `${s}/mountpoint`);
        return mountpoint ? { name: name ?? '', mountpoint } : { name: name ?? '' };
      });
      if (partition.subvolumes.length === 0)
        ctx.report(blueprintCodes.missingRequired, { field: 'subvolumes', where: 'a btrfs partition' }, p);
      if (partition.subvolumes.some((s) => s.mountpoint === '/')) partition.role = 'root';
    } else {
      ctx.report(
        blueprintCodes.invalidValue,
        { field: 'type', value: JSON.stringify(kind), expected: '"plain", "lvm" or "btrfs"' },
        `${p}/type`,
      );
      return;
    }
    if (!partition.role) delete partition.role;
    ctx.map(`/storage/partitions/${storage.partitions.length}`, p);
    storage.partitions.push(partition);
  });
  if (containers > 1)
    ctx.report(
      blueprintCodes.layout,
      { detail: 'at most one LVM volume group or one btrfs volume' },
      `${at}/partitions`,
    );
}

function sizeOf(
  ctx: LowerContext,
  table: Table,
  key: string,
  at: string,
  required: boolean,
): number | undefined {
  const raw = table[key];
  if (raw === undefined) {
    if (required)
      ctx.report(
        blueprintCodes.missingRequired,
        { field: key, where: 'every partition and logical volume' },
        at,
      );
    return undefined;
  }
  const bytes = parseSize(raw);
  if (bytes === undefined || (required && bytes <= 0)) {
    ctx.report(blueprintCodes.badSize, { field: key, value: String(raw) }, `${at}/${key}`);
    return undefined;
  }
  return bytes;
}
