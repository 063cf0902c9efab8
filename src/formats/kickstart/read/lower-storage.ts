/**
 * Storage commands → IR storage: clearpart/zerombr → `clear` and the partition table;
 * part/partition → partitions (sizes are MiB in kickstart, bytes in the IR); volgroup/logvol →
 * volume groups; raid → RAID devices; autopart → an automatic mode. Names that are not mount
 * points (`pv.01`, `raid.11`, `swap`, `biosboot`, `none`) are kept as refs so they are written back.
 */

import { diag } from '../../../diagnostics/define.js';
import type { LogicalVolume, Partition, PartitionRole, SizeRange, Storage } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { kickstartCodes } from '../codes.js';
import { OPTION_POINTERS } from '../extension.js';
import type { CheckedCommand } from './command.js';
import type { LowerContext } from './lower-context.js';

const MIB = 1024 * 1024;
type Encryption = NonNullable<Partition['encryption']>;

const ROLE_BY_MOUNTPOINT: Record<string, PartitionRole> = lookupTable({
  '/': 'root',
  '/boot': 'boot',
  '/boot/efi': 'esp',
  '/home': 'home',
  '/var': 'var',
  '/usr': 'usr',
  '/srv': 'srv',
  '/tmp': 'tmp',
});

export function roleOf(ref: string): PartitionRole | undefined {
  if (ROLE_BY_MOUNTPOINT[ref]) return ROLE_BY_MOUNTPOINT[ref];
  if (ref === 'swap') return 'swap';
  if (ref === 'biosboot') return 'bios-boot';
  if (ref === 'prepboot') return 'prep';
  if (ref.startsWith('pv.')) return 'lvm';
  if (ref.startsWith('raid.')) return 'raid';
  if (ref.startsWith('/')) return 'data';
  return undefined;
}

const ENCRYPTION_OPTIONS = ['--encrypted', '--passphrase', '--luks-version', '--cipher'];
/** the encryption options are IR fields only when --encrypted is there */
const enc = (c: CheckedCommand) => (c.has('--encrypted') ? ENCRYPTION_OPTIONS : []);
const FS_OPTIONS = ['--fstype', '--label', '--fsoptions', '--mkfsoptions', '--noformat'];
const SIZE_OPTIONS = ['--size', '--maxsize', '--grow'];

export function lowerStorage(cx: LowerContext, commands: CheckedCommand[]): void {
  if (commands.length === 0) return;
  const storage: Storage = { partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
  cx.ir.storage = storage;
  const memberOf = new Map<string, { vg?: string; raid?: string }>();
  for (const vg of commands.filter((c) => c.name === 'volgroup')) {
    for (const pv of vg.positionals.slice(1)) memberOf.set(pv.value, { vg: vg.positionals[0]?.value ?? '' });
  }
  for (const r of commands.filter((c) => c.name === 'raid')) {
    for (const m of r.positionals.slice(1)) memberOf.set(m.value, { raid: r.value('--device') ?? '' });
  }

  if (commands.some((c) => ['part', 'partition', 'logvol', 'raid'].includes(c.name)))
    storage.mode = 'explicit';
  // Spin kickstarts override an included `part /` by defining it again: the last one is kept,
  // as livemedia-creator and livecd-tools do (pykickstart itself keeps both).
  const lastByMountpoint = new Map<string, CheckedCommand>();
  for (const c of commands) {
    const ref = c.positionals[0]?.value;
    if ((c.name === 'part' || c.name === 'partition') && ref?.startsWith('/')) lastByMountpoint.set(ref, c);
  }
  for (const c of commands) {
    switch (c.name) {
      case 'clearpart': {
        const clear: NonNullable<Storage['clear']> = { ...storage.clear };
        for (const scope of ['all', 'linux', 'none'] as const) if (c.has(`--${scope}`)) clear.scope = scope;
        if (c.has('--initlabel')) clear.initLabel = true;
        if (c.has('--drives')) clear.drives = c.list('--drives');
        storage.clear = clear;
        const label = c.value('--disklabel');
        const consumed = ['--all', '--linux', '--none', '--initlabel', '--drives'];
        if (label === 'gpt' || label === 'msdos') {
          storage.partitionTable = label === 'gpt' ? 'gpt' : 'dos';
          consumed.push('--disklabel');
        }
        cx.place('/storage/clear', c.at);
        cx.keepOptions(OPTION_POINTERS.clearpart, c.rest(consumed), true);
        break;
      }
      case 'zerombr':
        storage.clear = { ...storage.clear, zeroMbr: true };
        break;
      case 'autopart': {
        const type = c.value('--type');
        storage.mode = type === 'lvm' ? 'auto-lvm' : type === 'btrfs' ? 'btrfs' : 'auto';
        const encryption = encryptionOf(c);
        if (encryption) storage.encryption = encryption;
        cx.place('/storage/mode', c.at);
        const consumed = [...enc(c), ...(type === 'lvm' || type === 'btrfs' ? ['--type'] : [])];
        cx.keepOptions(OPTION_POINTERS.autopart, c.rest(consumed));
        break;
      }
      case 'part':
      case 'partition': {
        const ref = c.positionals[0]?.value ?? 'none';
        const last = lastByMountpoint.get(ref);
        if (last && last !== c) {
          cx.diagnostics.push(
            diag(kickstartCodes.duplicateDefinition, { what: `partition ${ref}` }, last.at),
          );
          break;
        }
        const p: Partition = {};
        const role = roleOf(ref);
        if (role) p.role = role;
        if (ref.startsWith('/')) p.mountpoint = ref;
        const fstype = c.value('--fstype') ?? (ref === 'swap' ? 'swap' : undefined);
        // Anaconda's `efi` type is a vfat EFI system partition
        if (fstype === 'efi') {
          p.role = 'esp';
          p.filesystem = 'vfat';
        } else if (fstype !== undefined) p.filesystem = fstype;
        Object.assign(p, sizeOf(cx, c), fsOf(c));
        if (c.has('--noformat')) p.format = false;
        const onDisk = c.value('--ondisk');
        if (onDisk !== undefined) p.onDisk = onDisk;
        const encryption = encryptionOf(c);
        if (encryption) p.encryption = encryption;
        const member = memberOf.get(ref);
        if (member?.vg !== undefined) p.volumeGroup = member.vg;
        if (member?.raid !== undefined) p.raid = member.raid;
        storage.partitions.push(p);
        const ptr = `/storage/partitions/${storage.partitions.length - 1}`;
        if (!ref.startsWith('/') && ref !== 'swap') cx.ref(ptr, ref);
        cx.place(ptr, c.at);
        cx.keepOptions(ptr, c.rest([...SIZE_OPTIONS, ...FS_OPTIONS, ...enc(c), '--ondisk']));
        break;
      }
      case 'volgroup': {
        const name = c.positionals[0]?.value ?? '';
        const vg: Storage['volumeGroups'][number] = {
          name,
          physicalVolumes: c.positionals.slice(1).map((w) => w.value),
          logicalVolumes: [],
        };
        const pesize = cx.integer(c, '--pesize');
        if (pesize !== undefined) vg.extentSize = pesize * 1024;
        storage.volumeGroups.push(vg);
        const ptr = `/storage/volumeGroups/${storage.volumeGroups.length - 1}`;
        cx.place(ptr, c.at);
        cx.keepOptions(ptr, c.rest(['--pesize']));
        break;
      }
      case 'raid': {
        const ref = c.positionals[0]?.value ?? 'none';
        const level = c.value('--level');
        const raid: Storage['raid'][number] = {
          name: c.value('--device')!,
          level: level === undefined ? '' : /^\d+$/.test(level) ? `raid${level}` : level.toLowerCase(),
          members: c.positionals.slice(1).map((w) => w.value),
        };
        if (ref.startsWith('/')) raid.mountpoint = ref;
        const fstype = c.value('--fstype') ?? (ref === 'swap' ? 'swap' : undefined);
        if (fstype !== undefined) raid.filesystem = fstype;
        const encryption = encryptionOf(c);
        if (encryption) raid.encryption = encryption;
        storage.raid.push(raid);
        const ptr = `/storage/raid/${storage.raid.length - 1}`;
        if (!ref.startsWith('/') && ref !== 'swap') cx.ref(ptr, ref);
        cx.place(ptr, c.at);
        cx.keepOptions(ptr, c.rest(['--device', '--level', '--fstype', ...enc(c)]));
        break;
      }
    }
  }

  lowerBtrfs(
    cx,
    storage,
    commands.filter((x) => x.name === 'btrfs'),
  );

  for (const c of commands.filter((x) => x.name === 'logvol')) {
    const vgName = c.value('--vgname')!;
    const vgIndex = storage.volumeGroups.findIndex((v) => v.name === vgName);
    if (vgIndex < 0) {
      cx.ext.commands ??= [];
      cx.ext.commands.push({
        name: 'logvol',
        args: [...c.options.map(render), ...c.positionals.map((w) => w.value)],
      });
      continue;
    }
    const vg = storage.volumeGroups[vgIndex]!;
    const ref = c.positionals[0]?.value ?? 'none';
    const lv: LogicalVolume = { name: c.value('--name')! };
    if (ref.startsWith('/')) lv.mountpoint = ref;
    const fstype = c.value('--fstype') ?? (ref === 'swap' ? 'swap' : undefined);
    if (fstype !== undefined) lv.filesystem = fstype;
    const label = c.value('--label');
    if (label !== undefined) lv.fsLabel = label;
    const size = sizeOf(cx, c);
    if (size.size) lv.size = size.size;
    if (size.grow) lv.grow = true;
    const encryption = encryptionOf(c);
    if (encryption) lv.encryption = encryption;
    vg.logicalVolumes.push(lv);
    const ptr = `/storage/volumeGroups/${vgIndex}/logicalVolumes/${vg.logicalVolumes.length - 1}`;
    if (!ref.startsWith('/') && ref !== 'swap') cx.ref(ptr, ref);
    cx.place(ptr, c.at);
    cx.keepOptions(ptr, c.rest(['--vgname', '--name', '--fstype', '--label', ...SIZE_OPTIONS, ...enc(c)]));
  }
}

/**
 * `btrfs none|<mnt> --label=L btrfs.NN` over one partition, and `btrfs <mnt> --subvol
 * --name=N LABEL=L` (or the bare label) under it, become that partition's label, mount point
 * and subvolumes. Anything else (several members, RAID levels, other options) stays a command.
 */
function lowerBtrfs(cx: LowerContext, storage: Storage, commands: CheckedCommand[]): void {
  const keepRaw = (c: CheckedCommand) => {
    cx.ext.commands ??= [];
    cx.ext.commands.push({
      name: 'btrfs',
      args: [...c.options.map(render), ...c.positionals.map((w) => w.value)],
    });
  };
  const byLabel = new Map<string, number>();
  for (const v of commands.filter((c) => !c.has('--subvol'))) {
    const [mnt, ...members] = v.positionals.map((w) => w.value);
    const label = v.value('--label');
    const index =
      members.length === 1
        ? storage.partitions.findIndex((_, i) => cx.ext.refs?.[`/storage/partitions/${i}`] === members[0])
        : -1;
    const p = storage.partitions[index];
    if (
      !p ||
      !mnt ||
      label === undefined ||
      v.rest(['--label']).length > 0 ||
      p.fsLabel !== undefined ||
      p.subvolumes
    ) {
      keepRaw(v);
      continue;
    }
    p.fsLabel = label;
    p.filesystem ??= 'btrfs';
    p.subvolumes = [];
    if (mnt !== 'none') {
      p.mountpoint = mnt;
      const role = roleOf(mnt);
      if (role) p.role = role;
    }
    byLabel.set(label, index);
    cx.place(`/storage/partitions/${index}/subvolumes`, v.at);
  }
  for (const sv of commands.filter((c) => c.has('--subvol'))) {
    const [mnt, parent] = sv.positionals.map((w) => w.value);
    const name = sv.value('--name');
    const label = parent?.startsWith('LABEL=') ? parent.slice('LABEL='.length) : parent;
    const index = label === undefined ? undefined : byLabel.get(label);
    if (
      index === undefined ||
      !mnt ||
      !name ||
      sv.positionals.length !== 2 ||
      sv.rest(['--subvol', '--name']).length > 0
    ) {
      keepRaw(sv);
      continue;
    }
    const partition = storage.partitions[index]!;
    const subvolumes = partition.subvolumes!;
    subvolumes.push(mnt === 'none' ? { name } : { name, mountpoint: mnt });
    // the partition holding the root subvolume is the root partition
    if (mnt === '/' && partition.role === undefined) partition.role = 'root';
    const ptr = `/storage/partitions/${index}/subvolumes/${subvolumes.length - 1}`;
    cx.place(ptr, sv.at);
    if (parent !== `LABEL=${label}`) cx.ref(ptr, parent!);
  }
}

function render(o: { name: string; value?: string }): string {
  return o.value === undefined ? o.name : `${o.name}=${o.value}`;
}

function sizeOf(cx: LowerContext, c: CheckedCommand): { size?: SizeRange; grow?: boolean } {
  const out: { size?: SizeRange; grow?: boolean } = {};
  const min = cx.integer(c, '--size');
  const max = cx.integer(c, '--maxsize');
  if (min !== undefined || max !== undefined) {
    out.size = {};
    if (min !== undefined) out.size.min = min * MIB;
    if (max !== undefined) out.size.max = max * MIB;
  }
  if (c.has('--grow')) out.grow = true;
  return out;
}

function fsOf(c: CheckedCommand): Partial<Partition> {
  const out: Partial<Partition> = {};
  const label = c.value('--label');
  if (label !== undefined) out.fsLabel = label;
  if (c.has('--fsoptions')) out.mountOptions = c.list('--fsoptions');
  const mkfs = c.value('--mkfsoptions');
  if (mkfs !== undefined) out.fsOptions = [mkfs];
  return out;
}

function encryptionOf(c: CheckedCommand): Encryption | undefined {
  if (!c.has('--encrypted')) return undefined;
  const enc: Encryption = {};
  const version = c.value('--luks-version');
  if (version !== undefined) enc.type = version;
  const passphrase = c.value('--passphrase');
  if (passphrase !== undefined) enc.passphrase = passphrase;
  const cipher = c.value('--cipher');
  if (cipher !== undefined) enc.cipher = cipher;
  return enc;
}
