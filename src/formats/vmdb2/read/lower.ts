/**
 * Parsed vmdb2 steps → IR. Tags tie the storage steps together (mkpart makes one, mkfs,
 * mount, cryptsetup and vgcreate name it); the packages come from debootstrap and apt; chroot
 * and shell steps become post-install scripts unless they are one of the single commands the
 * vmdb2 writer itself emits (see ./idioms.ts). Steps the IR has no field for stay vmdb2 data.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { DEB_TO_ARCH } from '../../../distros/debian.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { ImageIR, Partition } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { lowerChrootIdiom } from '../chroot-idiom.js';
import { vmdb2Codes } from '../codes.js';
import {
  COMMON_KEYS,
  distroOfSuite,
  type KeyKind,
  MECHANICS,
  ROOTFS_UNPACKED,
  STEPS,
} from '../vocabulary.js';
import type { ParsedStep } from './parse.js';

export interface Vmdb2Extension {
  /** steps the IR has no field for, as written */
  kept?: Record<string, unknown>[];
}

type Tagged = { kind: 'partition'; index: number } | { kind: 'lv'; vg: number; lv: number };

interface Ctx {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  tags: Map<string, Tagged>;
  imageSize?: number;
  kept: Record<string, unknown>[];
}

const SIZE_UNITS: Record<string, number> = lookupTable({
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
});

/** A size as qemu-img and parted read it (binary units, optional "iB"/"B"); undefined for % and sectors. */
export function parseVmdb2Size(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(value);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const PARTED_DECIMAL: Record<string, number> = lookupTable({ '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 });

/** A size as parted reads it: "MiB"/"GiB" are binary, "M"/"MB"/"G" decimal, a bare number is MB. */
export function parsePartedSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)(B?)\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = m[2]!.toUpperCase();
  const factor = m[3] ? SIZE_UNITS[unit]! : unit === '' && !m[4] ? 1e6 : PARTED_DECIMAL[unit]!;
  const bytes = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function kindOf(value: unknown): KeyKind {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'str';
  if (value !== null && typeof value === 'object') return 'map';
  return 'str';
}

const EXPECTED: Record<KeyKind, string> = {
  str: 'a string',
  list: 'a list',
  bool: 'true or false',
  int: 'an integer',
  map: 'a mapping',
};

/** Checks a step against its plugin's key spec; false when vmdb2 would refuse it. */
function checkKeys(step: ParsedStep, ctx: Ctx): boolean {
  const spec = STEPS[step.name]!;
  let ok = true;
  // every plugin reads its step name's value (the suite, the tag, the filesystem type)
  const own = step.keys.get(step.name)?.value;
  if (own === undefined || own === null || own === '') {
    ctx.diagnostics.push(
      diag(vmdb2Codes.missingKey, { step: step.name, key: `a value for ${step.name}` }, step.at),
    );
    ok = false;
  }
  for (const key of spec.required) {
    if (!step.keys.has(key)) {
      ctx.diagnostics.push(diag(vmdb2Codes.missingKey, { step: step.name, key }, step.at));
      ok = false;
    }
  }
  for (const [key, entry] of step.keys) {
    if (key === step.name) continue;
    const kind = spec.optional[key] ?? COMMON_KEYS[key] ?? (spec.required.includes(key) ? 'str' : undefined);
    if (!kind) {
      ctx.diagnostics.push(diag(vmdb2Codes.unknownKey, { step: step.name, key }, entry.at));
      continue;
    }
    const found = kindOf(entry.value);
    const fits = found === kind || (kind === 'str' && (found === 'int' || found === 'bool'));
    if (!fits) {
      ctx.diagnostics.push(
        diag(vmdb2Codes.badValue, { step: step.name, key, expected: EXPECTED[kind] }, entry.at),
      );
      ok = false;
    }
  }
  return ok;
}

const str = (step: ParsedStep, key: string): string | undefined => {
  const v = step.keys.get(key)?.value;
  return v === undefined || v === null || v === '' ? undefined : String(v);
};
const keyAt = (step: ParsedStep, key: string): SourcePosition => step.keys.get(key)?.at ?? step.at;

function keep(step: ParsedStep, ctx: Ctx, why: string): void {
  ctx.kept.push(step.raw);
  ctx.diagnostics.push(diag(vmdb2Codes.keptStep, { step: step.name, why }, step.at));
}

function storage(ctx: Ctx) {
  ctx.ir.storage ??= { partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
  return ctx.ir.storage;
}

function tagged(step: ParsedStep, key: string, ctx: Ctx): Tagged | undefined {
  const tag = str(step, key);
  if (tag === undefined) return undefined;
  const found = ctx.tags.get(tag);
  if (!found) ctx.diagnostics.push(diag(vmdb2Codes.unknownTag, { step: step.name, tag }, keyAt(step, key)));
  return found;
}

function targetOf(t: Tagged, ctx: Ctx): { pointer: string; entry: Partition | Record<string, unknown> } {
  const s = storage(ctx);
  if (t.kind === 'partition')
    return { pointer: `/storage/partitions/${t.index}`, entry: s.partitions[t.index]! };
  return {
    pointer: `/storage/volumeGroups/${t.vg}/logicalVolumes/${t.lv}`,
    entry: s.volumeGroups[t.vg]!.logicalVolumes[t.lv]! as unknown as Record<string, unknown>,
  };
}

function lowerMkimg(step: ParsedStep, ctx: Ctx): void {
  const size = str(step, 'size') ?? '';
  const bytes = parseVmdb2Size(size);
  if (bytes === undefined) {
    ctx.diagnostics.push(
      diag(
        vmdb2Codes.badValue,
        { step: 'mkimg', key: 'size', expected: 'a size such as 4G or 1500M' },
        keyAt(step, 'size'),
      ),
    );
    return;
  }
  ctx.imageSize = bytes;
  storage(ctx).size = { min: bytes };
  ctx.positions['/storage/size'] = keyAt(step, 'size');
  ctx.ir.outputs.push({ type: 'disk', format: 'raw' });
  ctx.positions['/outputs/0'] = step.at;
}

function lowerMklabel(step: ParsedStep, ctx: Ctx): void {
  const label = str(step, 'mklabel');
  if (label !== 'msdos' && label !== 'gpt') {
    keep(step, ctx, `partition table "${label}" is neither msdos nor gpt`);
    return;
  }
  const s = storage(ctx);
  s.partitionTable = label === 'msdos' ? 'dos' : 'gpt';
  s.mode = 'explicit';
  ctx.positions['/storage/partitionTable'] = step.at;
}

/** Bytes of a parted position: a size, or a percentage of the image when its size is known. */
function partedOffset(value: string, ctx: Ctx): number | undefined {
  const pct = /^\s*(\d+(?:\.\d+)?)%\s*$/.exec(value);
  // parted aligns a partition starting at 0 % to the first MiB
  if (pct && Number(pct[1]) === 0) return 1024 ** 2;
  if (!pct) return parsePartedSize(value);
  if (ctx.imageSize === undefined) return undefined;
  const bytes = Math.round((Number(pct[1]) / 100) * ctx.imageSize);
  // a percentage of 90 digits is no byte count (fuzz: IMGC1006, size Infinity)
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function lowerMkpart(step: ParsedStep, ctx: Ctx): void {
  const s = storage(ctx);
  const index = s.partitions.length;
  const pointer = `/storage/partitions/${index}`;
  const part: Partition = {};
  const type = str(step, 'mkpart') ?? '';
  if (s.partitionTable === 'gpt') part.name = type;
  else if (type !== 'primary')
    ctx.diagnostics.push(diag(vmdb2Codes.keptKey, { step: 'mkpart', key: 'mkpart', value: type }, step.at));
  const start = str(step, 'start') ?? '';
  const end = str(step, 'end') ?? '';
  const from = partedOffset(start, ctx);
  if (index === 0 && from !== undefined && parsePartedSize(start) !== undefined && from > 0) {
    s.startOffset = from;
    ctx.positions['/storage/startOffset'] = keyAt(step, 'start');
  }
  if (/^\s*100%\s*$/.test(end) || /^-/.test(end)) part.grow = true;
  else {
    const to = partedOffset(end, ctx);
    if (from !== undefined && to !== undefined && to > from) {
      part.size = { min: to - from };
      ctx.positions[`${pointer}/size`] = keyAt(step, 'end');
      if (/%/.test(start + end))
        ctx.diagnostics.push(
          diag(
            vmdb2Codes.inferred,
            {
              field: `${pointer}/size`,
              value: `${to - from} bytes`,
              how: `${start}..${end} of the ${ctx.imageSize}-byte image`,
            },
            keyAt(step, 'end'),
          ),
        );
    } else
      ctx.diagnostics.push(
        diag(
          vmdb2Codes.keptKey,
          { step: 'mkpart', key: 'start/end', value: `${start}..${end}` },
          keyAt(step, 'start'),
        ),
      );
  }
  s.partitions.push(part);
  ctx.positions[pointer] = step.at;
  const tag = str(step, 'tag') ?? str(step, 'part-tag');
  if (tag !== undefined) ctx.tags.set(tag, { kind: 'partition', index });
}

function lowerMkfs(step: ParsedStep, ctx: Ctx): void {
  const t = tagged(step, 'partition', ctx);
  if (!t) return;
  const { pointer, entry } = targetOf(t, ctx);
  const fs = str(step, 'mkfs')!;
  (entry as Partition).filesystem = fs;
  ctx.positions[`${pointer}/filesystem`] = step.at;
  const label = str(step, 'label');
  if (label !== undefined) {
    (entry as Partition).fsLabel = label;
    ctx.positions[`${pointer}/fsLabel`] = keyAt(step, 'label');
  }
  const options = str(step, 'options');
  if (options !== undefined && t.kind === 'partition') {
    // one string, as the KIWI (fscreateoptions) and kickstart (--mkfsoptions) readers keep it:
    // every writer joins the list with spaces, so a split list would not read back the same
    (entry as Partition).fsOptions = [options];
    ctx.positions[`${pointer}/fsOptions`] = keyAt(step, 'options');
  } else if (options !== undefined)
    ctx.diagnostics.push(
      diag(vmdb2Codes.keptKey, { step: 'mkfs', key: 'options', value: options }, keyAt(step, 'options')),
    );
  if (fs === 'vfat' && t.kind === 'partition') (entry as Partition).role ??= 'esp';
}

function mountpointOf(entry: { mountpoint?: string }): string | undefined {
  return entry.mountpoint;
}

function lowerMount(step: ParsedStep, ctx: Ctx): void {
  const t = tagged(step, 'mount', ctx);
  if (!t) return;
  const { pointer, entry } = targetOf(t, ctx);
  const parentTag = str(step, 'mount-on');
  const dirname = str(step, 'dirname');
  let mountpoint = '/';
  if (parentTag !== undefined) {
    const parent = tagged(step, 'mount-on', ctx);
    const base = parent ? (mountpointOf(targetOf(parent, ctx).entry as Partition) ?? '/') : '/';
    if (dirname === undefined) {
      ctx.diagnostics.push(diag(vmdb2Codes.missingKey, { step: 'mount', key: 'dirname' }, step.at));
      return;
    }
    mountpoint = `${base.replace(/\/$/, '')}/${dirname.replace(/^\//, '')}`;
  } else if (dirname !== undefined) mountpoint = dirname;
  const taken = storage(ctx).partitions.some((p) => p !== entry && p.mountpoint === mountpoint);
  if (taken) {
    ctx.diagnostics.push(
      diag(
        vmdb2Codes.keptKey,
        {
          step: 'mount',
          key: 'mount',
          value: `${str(step, 'mount')} (another partition is already mounted on ${mountpoint})`,
        },
        step.at,
      ),
    );
    return;
  }
  const existing = mountpointOf(entry as Partition);
  if (existing !== undefined && existing !== mountpoint) {
    ctx.diagnostics.push(
      diag(
        vmdb2Codes.keptKey,
        { step: 'mount', key: 'mount', value: `${mountpoint} (already mounted on ${existing})` },
        step.at,
      ),
    );
    return;
  }
  (entry as Partition).mountpoint = mountpoint;
  ctx.positions[`${pointer}/mountpoint`] = step.at;
  const alias = str(step, 'fs-tag');
  if (alias !== undefined) ctx.tags.set(alias, t);
  if (t.kind === 'partition') {
    const part = entry as Partition;
    if (mountpoint === '/') part.role = 'root';
    else if (mountpoint === '/boot/efi' || (mountpoint === '/boot' && part.filesystem === 'vfat'))
      part.role = 'esp';
    else if (mountpoint === '/boot') part.role = 'boot';
    else if (part.role === 'esp') delete part.role;
  }
  if (str(step, 'zerofree') !== undefined)
    ctx.diagnostics.push(
      diag(vmdb2Codes.buildMechanics, { step: 'mount: zerofree' }, keyAt(step, 'zerofree')),
    );
}

function lowerDebootstrap(step: ParsedStep, ctx: Ctx): void {
  const suite = str(step, step.name)!;
  const d = ctx.ir.distribution;
  d.release = suite;
  ctx.positions['/distribution/release'] = step.at;
  const byName = distroOfSuite(suite);
  if (byName) {
    d.id = byName;
    ctx.positions['/distribution/id'] = step.at;
    ctx.diagnostics.push(
      diag(
        vmdb2Codes.inferred,
        { field: '/distribution/id', value: byName, how: `"${suite}" is a ${byName} release name` },
        step.at,
      ),
    );
  }
  const arch = str(step, 'arch');
  if (arch !== undefined) {
    const mapped = DEB_TO_ARCH[arch];
    if (mapped) {
      d.architecture = mapped;
      ctx.positions['/distribution/architecture'] = keyAt(step, 'arch');
    } else
      ctx.diagnostics.push(
        diag(vmdb2Codes.keptKey, { step: step.name, key: 'arch', value: arch }, keyAt(step, 'arch')),
      );
  }
  const mirror = str(step, 'mirror');
  if (mirror !== undefined) {
    const components = step.keys.get('components')?.value;
    const index = ctx.ir.repositories.length;
    ctx.ir.repositories.push({
      id: 'debootstrap',
      type: 'apt',
      urls: [mirror],
      suites: [suite],
      components: Array.isArray(components) ? components.map(String) : ['main'],
    });
    ctx.positions[`/repositories/${index}`] = keyAt(step, 'mirror');
  }
  const include = step.keys.get('include');
  if (Array.isArray(include?.value))
    include.value.forEach((name, i) => {
      ctx.positions[`/packages/bootstrap/${ctx.ir.packages.bootstrap.length}`] =
        include.items?.[i] ?? include.at;
      ctx.ir.packages.bootstrap.push({ name: String(name) });
    });
  for (const key of ['keyring', 'variant', 'install_keyring']) {
    const value = str(step, key);
    if (
      value !== undefined &&
      !(key === 'variant' && value === '-') &&
      !(key === 'install_keyring' && value === 'false')
    )
      ctx.diagnostics.push(diag(vmdb2Codes.keptKey, { step: step.name, key, value }, keyAt(step, key)));
  }
}

function lowerApt(step: ParsedStep, ctx: Ctx): void {
  const op = str(step, 'apt');
  if (op !== 'install') {
    if (op === undefined || step.keys.has('packages')) {
      ctx.diagnostics.push(
        diag(
          vmdb2Codes.badValue,
          { step: 'apt', key: 'apt', expected: '"install" (the only apt operation vmdb2 has)' },
          step.at,
        ),
      );
      return;
    }
    ctx.diagnostics.push(diag(vmdb2Codes.legacyApt, { name: op }, step.at));
    ctx.positions[`/packages/install/${ctx.ir.packages.install.length}`] = step.at;
    ctx.ir.packages.install.push({ name: op });
    return;
  }
  const packages = step.keys.get('packages');
  if (Array.isArray(packages?.value))
    packages.value.forEach((name, i) => {
      ctx.positions[`/packages/install/${ctx.ir.packages.install.length}`] =
        packages.items?.[i] ?? packages.at;
      ctx.ir.packages.install.push({ name: String(name) });
    });
  if (step.keys.get('recommends')?.value === false) {
    ctx.ir.packages.installWeakDeps = false;
    ctx.positions['/packages/installWeakDeps'] = keyAt(step, 'recommends');
  }
}

function lowerGrub(step: ParsedStep, ctx: Ctx): void {
  const flavor = str(step, 'grub');
  if (flavor !== 'bios' && flavor !== 'uefi') {
    keep(step, ctx, `GRUB flavour "${flavor}" has no IR firmware`);
    return;
  }
  ctx.ir.boot = { ...ctx.ir.boot, firmware: flavor, bootloader: 'grub' };
  ctx.positions['/boot/firmware'] = step.at;
  ctx.positions['/boot/bootloader'] = step.at;
  const console = str(step, 'console');
  if (console !== undefined) {
    ctx.ir.boot.console = console;
    ctx.positions['/boot/console'] = keyAt(step, 'console');
  }
  const timeout = step.keys.get('timeout')?.value;
  if (typeof timeout === 'number' && timeout >= 0) {
    ctx.ir.boot.timeout = timeout;
    ctx.positions['/boot/timeout'] = keyAt(step, 'timeout');
  }
  for (const [key, role] of [
    ['efi', 'esp'],
    ['efi-part', 'esp'],
    ['prep', 'prep'],
  ] as const) {
    const t = str(step, key) === undefined ? undefined : tagged(step, key, ctx);
    if (t?.kind === 'partition') storage(ctx).partitions[t.index]!.role = role;
  }
  if (step.keys.get('quiet')?.value === true)
    ctx.diagnostics.push(
      diag(vmdb2Codes.keptKey, { step: 'grub', key: 'quiet', value: 'true' }, keyAt(step, 'quiet')),
    );
}

function lowerScript(step: ParsedStep, ctx: Ctx, chroot: boolean): void {
  const body = str(step, 'shell') ?? '';
  if (chroot && lowerChrootIdiom(body, step.at, ctx.ir, ctx.positions)) return;
  const index = ctx.ir.scripts.length;
  ctx.ir.scripts.push({ phase: 'post-install', chroot, body });
  ctx.positions[`/scripts/${index}`] = step.at;
}

function fileMode(step: ParsedStep, ctx: Ctx, pointer: string): string | undefined {
  const perm = step.keys.get('perm')?.value;
  if (typeof perm !== 'number') return undefined;
  if (!Number.isInteger(perm) || perm < 0 || perm > 0o7777) {
    ctx.diagnostics.push(
      diag(vmdb2Codes.keptKey, { step: step.name, key: 'perm', value: String(perm) }, keyAt(step, 'perm')),
    );
    return undefined;
  }
  ctx.positions[`${pointer}/mode`] = keyAt(step, 'perm');
  return `0${perm.toString(8).padStart(3, '0')}`;
}

function owners(
  step: ParsedStep,
  ctx: Ctx,
  target: { user?: string | number; group?: string | number },
): void {
  for (const [key, field] of [
    ['uid', 'user'],
    ['gid', 'group'],
  ] as const) {
    const value = step.keys.get(key)?.value;
    if (value === undefined) continue;
    // vmdb2 passes them to os.chown: a negative or fractional id is no owner (fuzz: IMGC1006)
    if (isOwnerId(value)) {
      if (value !== 0) target[field] = value;
    } else
      ctx.diagnostics.push(
        diag(vmdb2Codes.keptKey, { step: step.name, key, value: String(value) }, keyAt(step, key)),
      );
  }
}

function isOwnerId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function lowerFileStep(step: ParsedStep, ctx: Ctx): void {
  const path = str(step, step.name);
  // `- create-dir:` with no value (fuzz seed 9302: an IR directory without a path, IMGC1006)
  if (!path) {
    ctx.diagnostics.push(diag(vmdb2Codes.keptKey, { step: step.name, key: step.name, value: '' }, step.at));
    return;
  }
  if (step.name === 'create-dir') {
    const pointer = `/directories/${ctx.ir.directories.length}`;
    const entry: ImageIR['directories'][number] = { path };
    const mode = fileMode(step, ctx, pointer);
    if (mode) entry.mode = mode;
    owners(step, ctx, entry);
    ctx.ir.directories.push(entry);
    ctx.positions[pointer] = step.at;
    return;
  }
  const pointer = `/files/${ctx.ir.files.length}`;
  const entry: ImageIR['files'][number] = { path };
  if (step.name === 'create-file') entry.content = str(step, 'contents') ?? '';
  else entry.source = str(step, 'src')!;
  const mode = fileMode(step, ctx, pointer);
  if (mode) entry.mode = mode;
  owners(step, ctx, entry);
  ctx.ir.files.push(entry);
  ctx.positions[pointer] = step.at;
}

function lowerCryptsetup(step: ParsedStep, ctx: Ctx): void {
  const t = tagged(step, 'cryptsetup', ctx);
  const newTag = str(step, 'tag') ?? str(step, 'name');
  if (t?.kind !== 'partition') return;
  const part = storage(ctx).partitions[t.index]!;
  part.encryption = { type: 'luks' };
  ctx.positions[`/storage/partitions/${t.index}/encryption`] = step.at;
  if (newTag !== undefined) ctx.tags.set(newTag, t);
  for (const key of ['key-file', 'key-cmd', 'password'])
    if (str(step, key) !== undefined)
      ctx.diagnostics.push(
        diag(
          vmdb2Codes.keptKey,
          { step: 'cryptsetup', key, value: '(the key is not carried)' },
          keyAt(step, key),
        ),
      );
}

function lowerVgcreate(step: ParsedStep, ctx: Ctx): void {
  const s = storage(ctx);
  const name = str(step, 'vgcreate')!;
  const physical = step.keys.get('physical')?.value;
  const members: string[] = [];
  for (const tag of Array.isArray(physical) ? physical.map(String) : []) {
    const t = ctx.tags.get(tag);
    if (t?.kind !== 'partition') {
      ctx.diagnostics.push(diag(vmdb2Codes.unknownTag, { step: 'vgcreate', tag }, keyAt(step, 'physical')));
      continue;
    }
    s.partitions[t.index]!.volumeGroup = name;
    s.partitions[t.index]!.role = 'lvm';
    members.push(tag);
  }
  s.volumeGroups.push({ name, physicalVolumes: members, logicalVolumes: [] });
  ctx.positions[`/storage/volumeGroups/${s.volumeGroups.length - 1}`] = step.at;
}

function lowerLvcreate(step: ParsedStep, ctx: Ctx): void {
  const s = storage(ctx);
  const vgName = str(step, 'lvcreate')!;
  const vg = s.volumeGroups.findIndex((v) => v.name === vgName);
  if (vg < 0) {
    ctx.diagnostics.push(diag(vmdb2Codes.unknownTag, { step: 'lvcreate', tag: vgName }, step.at));
    return;
  }
  const name = str(step, 'name')!;
  const size = parseVmdb2Size(str(step, 'size') ?? '');
  const lvs = s.volumeGroups[vg]!.logicalVolumes;
  lvs.push(size === undefined ? { name } : { name, size: { min: size } });
  ctx.positions[`/storage/volumeGroups/${vg}/logicalVolumes/${lvs.length - 1}`] = step.at;
  ctx.tags.set(name, { kind: 'lv', vg, lv: lvs.length - 1 });
}

const LOWER: Record<string, (step: ParsedStep, ctx: Ctx) => void> = {
  mkimg: lowerMkimg,
  mklabel: lowerMklabel,
  mkpart: lowerMkpart,
  mkfs: lowerMkfs,
  mount: lowerMount,
  debootstrap: lowerDebootstrap,
  'qemu-debootstrap': lowerDebootstrap,
  apt: lowerApt,
  grub: lowerGrub,
  chroot: (s, c) => lowerScript(s, c, true),
  shell: (s, c) => lowerScript(s, c, false),
  'create-file': lowerFileStep,
  'copy-file': lowerFileStep,
  'create-dir': lowerFileStep,
  cryptsetup: lowerCryptsetup,
  vgcreate: lowerVgcreate,
  lvcreate: lowerLvcreate,
};

function checkUnless(step: ParsedStep, ctx: Ctx): void {
  const unless = str(step, 'unless');
  if (unless !== undefined && unless !== ROOTFS_UNPACKED)
    ctx.diagnostics.push(
      diag(vmdb2Codes.keptKey, { step: step.name, key: 'unless', value: unless }, keyAt(step, 'unless')),
    );
}

export function lowerSteps(steps: ParsedStep[]): {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
} {
  const ctx: Ctx = { ir: emptyIr(), positions: {}, diagnostics: [], tags: new Map(), kept: [] };
  for (const step of steps) {
    if (!STEPS[step.name]) {
      keep(step, ctx, 'vmdb2 0.27 has no such step');
      continue;
    }
    if (!checkKeys(step, ctx)) continue;
    checkUnless(step, ctx);
    if (MECHANICS.has(step.name)) {
      ctx.diagnostics.push(diag(vmdb2Codes.buildMechanics, { step: step.name }, step.at));
      continue;
    }
    const lower = LOWER[step.name];
    if (lower) lower(step, ctx);
    else keep(step, ctx, 'the IR has no field for it');
  }
  if (!ctx.ir.boot && ctx.ir.storage && !steps.some((s) => s.name === 'grub')) {
    ctx.ir.boot = { bootloader: 'none' };
    ctx.positions['/boot/bootloader'] = steps[0]!.at;
  }
  if (ctx.kept.length) ctx.ir.extensions.vmdb2 = { kept: ctx.kept } satisfies Vmdb2Extension;
  return { ir: ctx.ir, positions: ctx.positions, diagnostics: ctx.diagnostics };
}
