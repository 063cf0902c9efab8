/**
 * A dib block-device configuration (the YAML of block-device-*.yaml or DIB_BLOCK_DEVICE_CONFIG)
 * → the IR's storage. Each list item is one plugin: local_loop, partitioning, lvm, mkfs, mount,
 * fstab; mkfs/mount/fstab may also sit inside a partition or each other, as dib's tree form. What the
 * IR cannot say (partition flags, LVM extents and options, raw fstab fields) is reported by the caller.
 */
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { Partition, Storage } from '../../../ir/schema.js';
import { isRecord, textOf } from './yaml.js';

const UNITS: [string, number][] = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
  ['TB', 1000 ** 4],
  ['GB', 1000 ** 3],
  ['MB', 1000 ** 2],
  ['KB', 1000],
  ['T', 1000 ** 4],
  ['G', 1000 ** 3],
  ['M', 1000 ** 2],
  ['K', 1000],
  ['B', 1],
  ['', 1],
];

/** dib's absolute size units (KiB.. binary, K/KB.. decimal, none = bytes); undefined for `%` and the unreadable. */
export function dibBytes(spec: unknown): number | undefined {
  const m = /^([\d.]*) ?([A-Za-z]*)$/.exec(textOf(spec).trim());
  if (!m) return undefined;
  const factor = UNITS.find(([u]) => u === m[2])?.[1];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(factor * (m[1] ? Number(m[1]) : 1));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** sgdisk type codes dib configs use, and MBR type ids, → partition role. */
const ROLE_OF_TYPE: Record<string, Partition['role']> = {
  EF00: 'esp',
  EF02: 'bios-boot',
  '8E00': 'lvm',
  '8200': 'swap',
  '0xef': 'esp',
  '0x82': 'swap',
  '0x8e': 'lvm',
};

function roleOfType(type: string): Partition['role'] | undefined {
  return Object.hasOwn(ROLE_OF_TYPE, type) ? ROLE_OF_TYPE[type] : undefined;
}

export interface LoweredStorage {
  storage: Storage;
  positions: PositionTable;
  /** pointers (into the config) of settings the IR has no field for, with what they are */
  notCarried: { ptr: string; what: string }[];
}

interface Fs {
  type?: string;
  label?: string;
  mountpoint?: string;
  options?: string[];
  /** fstab's dump and fsck pass numbers, which the IR does not hold */
  fstabNumbers?: boolean;
}

/** mkfs, with mount and fstab inside it, as dib nests them. */
function fsOf(mkfs: Record<string, unknown>): Fs {
  const fs: Fs = {};
  if (typeof mkfs.type === 'string') fs.type = mkfs.type;
  if (typeof mkfs.label === 'string') fs.label = mkfs.label;
  const mount = isRecord(mkfs.mount) ? mkfs.mount : undefined;
  if (typeof mount?.mount_point === 'string') fs.mountpoint = mount.mount_point;
  const fstab = isRecord(mount?.fstab) ? mount.fstab : undefined;
  if (typeof fstab?.options === 'string' && fstab.options !== 'defaults')
    fs.options = fstab.options
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  if (fstab && (fstab['fsck-passno'] !== undefined || fstab['dump-freq'] !== undefined))
    fs.fstabNumbers = true;
  return fs;
}

type FsTarget = { filesystem?: string; fsLabel?: string; mountpoint?: string; mountOptions?: string[] };

/** Puts a filesystem on a partition or logical volume; says what did not fit. */
function applyFs(
  target: FsTarget,
  fs: Fs,
  isVolume: boolean,
  ptr: string,
  notCarried: LoweredStorage['notCarried'],
): void {
  if (fs.type) target.filesystem = fs.type;
  if (fs.label) target.fsLabel = fs.label;
  if (fs.mountpoint) target.mountpoint = fs.mountpoint;
  if (fs.options && isVolume)
    notCarried.push({ ptr, what: `mount options ${fs.options.join(',')} of a logical volume` });
  else if (fs.options) target.mountOptions = fs.options;
  if (fs.fstabNumbers) notCarried.push({ ptr, what: 'fstab fsck-passno / dump-freq' });
}

export function lowerBlockDevice(
  config: unknown,
  at: PositionTable,
  storagePtr = '/storage',
): LoweredStorage {
  const storage: Storage = { partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
  const positions: PositionTable = {};
  const notCarried: LoweredStorage['notCarried'] = [];
  const items = Array.isArray(config)
    ? config
    : isRecord(config)
      ? Object.entries(config).map(([k, v]) => ({ [k]: v }))
      : [];
  /** partition or logical volume by dib node name, to attach top-level mkfs nodes */
  const byName = new Map<string, { target: FsTarget; isVolume: boolean }>();
  items.forEach((item, i) => {
    if (!isRecord(item)) return;
    for (const [plugin, cfg] of Object.entries(item)) {
      const ptr = `/${i}/${escapeToken(plugin)}`;
      if (!isRecord(cfg)) continue;
      if (plugin === 'local_loop') {
        const size = cfg.size === undefined ? undefined : dibBytes(cfg.size);
        if (size !== undefined) {
          storage.size = { min: size };
          if (at[`${ptr}/size`]) positions[`${storagePtr}/size`] = at[`${ptr}/size`]!;
        } else if (cfg.size !== undefined)
          notCarried.push({ ptr: `${ptr}/size`, what: `image size "${textOf(cfg.size)}"` });
      } else if (plugin === 'partitioning') {
        if (cfg.label === 'gpt' || cfg.label === 'mbr')
          storage.partitionTable = cfg.label === 'gpt' ? 'gpt' : 'dos';
        storage.mode = 'explicit';
        if (at[ptr]) positions[storagePtr] = at[ptr]!;
        const parts = Array.isArray(cfg.partitions) ? cfg.partitions : [];
        parts.forEach((p, j) => {
          if (!isRecord(p)) return;
          const pptr = `${ptr}/partitions/${j}`;
          const part: Partition = {};
          if (typeof p.name === 'string') part.name = p.name;
          const size = textOf(p.size ?? '');
          if (size === '100%') part.grow = true;
          else if (dibBytes(size) !== undefined) part.size = { min: dibBytes(size)! };
          else if (size) notCarried.push({ ptr: `${pptr}/size`, what: `partition size "${size}"` });
          const type = p.type === undefined ? undefined : textOf(p.type);
          const role = type ? (roleOfType(type) ?? roleOfType(type.toUpperCase())) : undefined;
          if (role) part.role = role;
          else if (type && type !== '8300' && type !== '0x83')
            notCarried.push({ ptr: `${pptr}/type`, what: `partition type "${type}"` });
          if (Array.isArray(p.flags) && p.flags.length)
            notCarried.push({
              ptr: `${pptr}/flags`,
              what: `partition flags ${p.flags.map(textOf).join(',')}`,
            });
          if (isRecord(p.mkfs)) applyFs(part, fsOf(p.mkfs), false, `${pptr}/mkfs`, notCarried);
          if (part.mountpoint === '/' && !part.role) part.role = 'root';
          if (part.mountpoint === '/boot/efi' && !part.role) part.role = 'esp';
          if (at[pptr]) positions[`${storagePtr}/partitions/${storage.partitions.length}`] = at[pptr]!;
          if (part.name) byName.set(part.name, { target: part, isVolume: false });
          storage.partitions.push(part);
        });
      } else if (plugin === 'lvm') {
        const vgs = Array.isArray(cfg.vgs) ? cfg.vgs : [];
        const pvs = Array.isArray(cfg.pvs) ? cfg.pvs.filter(isRecord) : [];
        vgs.forEach((vg) => {
          if (!isRecord(vg) || typeof vg.name !== 'string') return;
          const bases = (Array.isArray(vg.base) ? vg.base : [vg.base]).map(textOf);
          const members = pvs.filter((pv) => bases.includes(textOf(pv.name))).map((pv) => textOf(pv.base));
          for (const m of members) {
            const part = storage.partitions.find((p) => p.name === m);
            if (part) {
              part.volumeGroup = vg.name;
              part.role = 'lvm';
            }
          }
          const lvs = (Array.isArray(cfg.lvs) ? cfg.lvs : []).filter(
            (lv) => isRecord(lv) && lv.base === vg.name,
          );
          if (at[ptr]) positions[`${storagePtr}/volumeGroups/${storage.volumeGroups.length}`] = at[ptr]!;
          storage.volumeGroups.push({
            name: vg.name,
            ...(members.length ? { physicalVolumes: members } : {}),
            logicalVolumes: lvs.map((lv) => {
              const l = lv as Record<string, unknown>;
              const out: Storage['volumeGroups'][number]['logicalVolumes'][number] = { name: textOf(l.name) };
              const bytes = l.size === undefined ? undefined : dibBytes(l.size);
              if (bytes !== undefined) out.size = { min: bytes };
              else if (l.size !== undefined)
                notCarried.push({ ptr: `${ptr}/lvs`, what: `logical volume size "${textOf(l.size)}"` });
              byName.set(out.name, { target: out, isVolume: true });
              return out;
            }),
          });
        });
        if (Array.isArray(cfg.lvs) && cfg.lvs.some((lv) => isRecord(lv) && lv.extents !== undefined))
          notCarried.push({ ptr: `${ptr}/lvs`, what: 'logical volume sizes in extents (%VG)' });
        if ([...vgs, ...pvs].some((x) => isRecord(x) && x.options !== undefined))
          notCarried.push({ ptr, what: 'LVM options' });
      } else if (plugin === 'mkfs') {
        const target = typeof cfg.base === 'string' ? byName.get(cfg.base) : undefined;
        if (target) applyFs(target.target, fsOf(cfg), target.isVolume, ptr, notCarried);
        else
          notCarried.push({
            ptr,
            what: `mkfs on "${textOf(cfg.base)}", which is no partition or logical volume of this config`,
          });
      } else notCarried.push({ ptr, what: `block-device plugin ${plugin}` });
    }
  });
  return { storage, positions, notCarried };
}
