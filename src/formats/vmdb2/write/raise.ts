/**
 * IR → a vmdb2 specification. The disk steps come from the storage layout (one root
 * partition when the IR has none, said in a note), then debootstrap + apt (skipped when
 * vmdb2 unpacks a --rootfs-tarball), fstab, the files, the one-command chroot steps of
 * ../idioms.ts, the scripts, kept vmdb2 steps, and GRUB last.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { stringify } from 'yaml';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { ARCH_TO_DEB } from '../../../distros/debian.js';
import { appendAll } from '../../../input/append.js';
import { familyOf } from '../../../ir/distribution.js';
import { emptyIr } from '../../../ir/empty.js';
import type { ImageIR, Partition } from '../../../ir/schema.js';
import type { OutputFile, WriteOptions, WriteResult } from '../../contract.js';
import { lowerChrootIdiom } from '../chroot-idiom.js';
import { vmdb2Codes } from '../codes.js';
import { HOSTNAME_FILE, SERVICE_VERBS, shellQuote, useraddCommand } from '../idioms.js';
import { distroOfSuite, OUTPUT_TEMPLATE, partedFsType, ROOTFS_UNPACKED, suiteOf } from '../vocabulary.js';

type Step = Record<string, unknown>;
const MiB = 1024 ** 2;
const TARGET = 'vmdb2';

interface Out {
  steps: Step[];
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

function approx(out: Out, pointer: string, detail: string): void {
  out.diagnostics.push(
    diag(translateCodes.lossDetail, { pointer, target: TARGET, detail }, undefined, { pointer }),
  );
}

function inferred(out: Out, field: string, value: string, how: string): void {
  out.diagnostics.push(diag(vmdb2Codes.writeInferred, { field, value, how }, undefined, { pointer: field }));
}

/** qemu-img size: binary M/G suffixes. */
function imageSize(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}G`;
  if (bytes % MiB === 0) return `${bytes / MiB}M`;
  return String(bytes);
}

/** parted position: binary units spelt out (parted reads a bare "M" as decimal). */
function partedSize(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}GiB`;
  if (bytes % MiB === 0) return `${bytes / MiB}MiB`;
  return `${bytes}B`;
}

function tagOf(part: Partition, index: number): string {
  if (part.mountpoint === '/') return 'root';
  if (part.mountpoint) return part.mountpoint.replace(/^\/+/, '').replace(/[^A-Za-z0-9]+/g, '-');
  return `part${index + 1}`;
}

function layout(ir: ImageIR, out: Out): Partition[] {
  const parts = ir.storage?.partitions ?? [];
  if (parts.length) return parts;
  const uefi = ir.boot?.firmware === 'uefi';
  inferred(
    out,
    '/storage/partitions',
    uefi
      ? 'a 512 MiB vfat ESP on /boot/efi and an ext4 root filling the disk'
      : 'one ext4 root partition filling the disk',
    'the IR has no partitions; vmdb2 needs them written out',
  );
  const root: Partition = { role: 'root', mountpoint: '/', filesystem: 'ext4', grow: true };
  return uefi
    ? [{ role: 'esp', mountpoint: '/boot/efi', filesystem: 'vfat', size: { min: 512 * MiB } }, root]
    : [root];
}

function diskSize(ir: ImageIR, parts: Partition[], options: WriteOptions, out: Out): number {
  const fromOption = options.options?.vmdb2Size;
  const given = ir.storage?.size?.min ?? ir.storage?.size?.max;
  if (given !== undefined) return given;
  const sum = parts.reduce((n, p) => n + (p.size?.min ?? 0), ir.storage?.startOffset ?? MiB);
  const grows = parts.some((p) => p.grow || !p.size?.min);
  if (typeof fromOption === 'string' && /^\d+[MG]$/.test(fromOption)) {
    const n = Number(fromOption.slice(0, -1)) * (fromOption.endsWith('G') ? 1024 ** 3 : MiB);
    inferred(out, '/storage/size/min', fromOption, '-O vmdb2Size');
    return n;
  }
  const bytes = grows ? Math.max(sum + 4 * 1024 ** 3, 4 * 1024 ** 3) : sum + MiB;
  inferred(
    out,
    '/storage/size/min',
    imageSize(bytes),
    grows
      ? 'the IR gives no disk size; 4 GiB more than the fixed partitions (pass -O vmdb2Size=<N>G to choose)'
      : 'the sum of the partition sizes and 1 MiB for the partition table',
  );
  return bytes;
}

function diskSteps(ir: ImageIR, options: WriteOptions, out: Out): { root: string; tags: string[] } {
  const parts = layout(ir, out);
  const size = diskSize(ir, parts, options, out);
  if (ir.storage?.mode !== undefined && ir.storage.mode !== 'explicit')
    approx(
      out,
      '/storage/mode',
      `vmdb2 lays out every partition itself; the ${ir.storage.mode} layout is written as explicit steps`,
    );
  const table = ir.storage?.partitionTable ?? (ir.boot?.firmware === 'uefi' ? 'gpt' : 'dos');
  if (!ir.storage?.partitionTable)
    inferred(
      out,
      '/storage/partitionTable',
      table === 'gpt' ? 'gpt' : 'msdos',
      `the IR names none; ${table === 'gpt' ? 'UEFI' : 'BIOS'} boot`,
    );
  out.steps.push({ mkimg: OUTPUT_TEMPLATE, size: imageSize(size) });
  out.steps.push({ mklabel: table === 'gpt' ? 'gpt' : 'msdos', device: OUTPUT_TEMPLATE });
  let cursor = ir.storage?.startOffset;
  // parted aligns a start of 0 % to the first MiB
  const tags: string[] = [];
  parts.forEach((part, i) => {
    const wanted = tagOf(part, i);
    const tag = tags.includes(wanted) ? `${wanted}-${i + 1}` : wanted;
    tags.push(tag);
    if (part.role === 'lvm' || part.volumeGroup || part.encryption)
      approx(
        out,
        `/storage/partitions/${i}/role`,
        'the vmdb2 writer writes no LUKS or LVM steps; the partition is written plain',
      );
    const start = cursor === undefined ? '0%' : partedSize(cursor);
    let end = '100%';
    if (part.grow || !part.size?.min) {
      if (part.size?.min !== undefined || part.size?.max !== undefined)
        approx(
          out,
          `/storage/partitions/${i}/size`,
          'the partition fills the disk (ends at 100 %); its size is not written',
        );
      if (i < parts.length - 1)
        approx(
          out,
          `/storage/partitions/${i}/grow`,
          'only the last partition can fill the disk; this one ends at 100 % and the ones after it do not fit',
        );
    } else {
      cursor = (cursor ?? MiB) + part.size.min;
      end = partedSize(cursor);
    }
    const step: Step = {
      mkpart: table === 'gpt' ? (part.name ?? tag) : 'primary',
      device: OUTPUT_TEMPLATE,
      start,
      end,
      tag,
    };
    const fsType = partedFsType(part.filesystem);
    if (fsType) step['fs-type'] = fsType;
    if (table !== 'gpt' && part.name)
      approx(out, `/storage/partitions/${i}/name`, 'msdos partitions have no names');
    out.steps.push(step);
  });
  out.steps.push({ kpartx: OUTPUT_TEMPLATE });
  parts.forEach((part, i) => {
    if (!part.filesystem || part.filesystem === 'none') return;
    if (part.filesystem === 'swap') {
      approx(
        out,
        `/storage/partitions/${i}/filesystem`,
        'vmdb2 mkfs cannot make swap; the partition is left unformatted',
      );
      return;
    }
    const step: Step = { mkfs: part.filesystem, partition: tags[i] };
    if (part.fsLabel) step.label = part.fsLabel;
    if (part.fsOptions?.length) step.options = part.fsOptions.join(' ');
    out.steps.push(step);
  });
  let rootIndex = parts.findIndex((p) => p.mountpoint === '/');
  if (rootIndex < 0) {
    rootIndex = parts.length - 1;
    inferred(
      out,
      `/storage/partitions/${rootIndex}/mountpoint`,
      '/',
      'no partition is mounted on /; vmdb2 needs a root, the last partition is used',
    );
  }
  const root = tags[rootIndex]!;
  const grubEfi = grubWritesEfi(ir);
  parts.forEach((part, i) => {
    if (part.role === undefined || part.role === 'lvm' || part.volumeGroup || part.encryption) return;
    const back = roleReadBack(part, i === rootIndex ? '/' : part.mountpoint, grubEfi);
    if (back !== part.role)
      approx(
        out,
        `/storage/partitions/${i}/role`,
        `vmdb2 has no partition roles; this partition reads back as ${back ?? 'one without a role'}`,
      );
  });
  out.steps.push({ mount: root });
  parts
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.mountpoint && p.mountpoint !== '/')
    .sort((a, b) => a.p.mountpoint!.split('/').length - b.p.mountpoint!.split('/').length)
    .forEach(({ p, i }) => {
      out.steps.push({ mount: tags[i], 'mount-on': root, dirname: p.mountpoint });
    });
  return { root, tags };
}

/** Whether the GRUB step names the ESP (efi:), which the reader takes as the esp role. */
function grubWritesEfi(ir: ImageIR): boolean {
  const bootloader = ir.boot?.bootloader;
  return (bootloader === undefined || bootloader === 'grub') && ir.boot?.firmware === 'uefi';
}

/** The role the vmdb2 reader gives a written partition: from its mkfs, mount and the GRUB step. */
function roleReadBack(part: Partition, mountpoint: string | undefined, grubEfi: boolean): string | undefined {
  if (part.role === 'esp' && grubEfi) return 'esp';
  let role: string | undefined = part.filesystem === 'vfat' ? 'esp' : undefined;
  if (mountpoint === '/') role = 'root';
  else if (mountpoint === '/boot/efi' || (mountpoint === '/boot' && part.filesystem === 'vfat')) role = 'esp';
  else if (mountpoint === '/boot') role = 'boot';
  else if (mountpoint !== undefined && role === 'esp') role = undefined;
  return role;
}

function mirrorOf(
  ir: ImageIR,
  options: WriteOptions,
  out: Out,
): { url: string; components?: string[] } | undefined {
  const option = options.options?.vmdb2Mirror;
  const apt = ir.repositories.filter(
    (r) => (r.type === 'apt' || r.type === 'apt-deb822' || r.type === undefined) && r.urls.length,
  );
  if (!apt.length && typeof option === 'string' && option) {
    out.diagnostics.push(
      diag(
        vmdb2Codes.writeInferred,
        { field: 'debootstrap mirror', value: option, how: '-O vmdb2Mirror' },
        undefined,
        { pointer: '/repositories' },
      ),
    );
    return { url: option };
  }
  ir.repositories.forEach((r, i) => {
    if (!apt.includes(r))
      approx(
        out,
        `/repositories/${i}`,
        `vmdb2 debootstraps from an apt mirror; this ${r.type ?? ''} repository is not written`,
      );
  });
  const mirrorRepo = apt[0];
  if (mirrorRepo && mirrorRepo.id !== 'debootstrap')
    approx(
      out,
      `/repositories/${ir.repositories.indexOf(mirrorRepo)}/id`,
      'the debootstrap step has no repository name; it reads back as "debootstrap"',
    );
  if (!apt.length) {
    out.diagnostics.push(
      diag(vmdb2Codes.writeVariable, { field: 'a debootstrap mirror', name: 'mirror' }, undefined, {
        pointer: '/repositories',
      }),
    );
    return { url: '{{ mirror }}' };
  }
  for (const r of apt.slice(1))
    approx(
      out,
      `/repositories/${ir.repositories.indexOf(r)}`,
      'vmdb2 debootstraps from one mirror; this repository is not written',
    );
  const first = apt[0]!;
  if ((first.suites?.length ?? 0) > 1)
    approx(
      out,
      `/repositories/${ir.repositories.indexOf(first)}/suites`,
      'debootstrap takes one suite; the others are not written',
    );
  if (first.urls.length > 1)
    approx(
      out,
      `/repositories/${ir.repositories.indexOf(first)}/urls`,
      'only the first URL is the debootstrap mirror',
    );
  return { url: first.urls[0]!, ...(first.components?.length ? { components: first.components } : {}) };
}

function systemSteps(ir: ImageIR, root: string, out: Out): void {
  const chroot = (command: string) => out.steps.push({ chroot: root, shell: command });
  ir.directories.forEach((d, i) => {
    const step: Step = { 'create-dir': d.path };
    if (d.mode) step.perm = Number.parseInt(d.mode, 8);
    owner(step, d, `/directories/${i}`, out);
    out.steps.push(step);
  });
  ir.files.forEach((f, i) => {
    const step: Step =
      f.source !== undefined
        ? { 'copy-file': f.path, src: f.source }
        : { 'create-file': f.path, contents: f.content ?? '' };
    if (f.contentBase64 !== undefined) {
      approx(out, `/files/${i}`, 'vmdb2 create-file holds text only; this binary file is not written');
      return;
    }
    if (f.mode) step.perm = Number.parseInt(f.mode, 8);
    owner(step, f, `/files/${i}`, out);
    out.steps.push(step);
  });
  if (ir.system.hostname) chroot(`echo ${ir.system.hostname} > ${HOSTNAME_FILE}`);
  for (const u of ir.accounts.users)
    chroot(
      useraddCommand({
        name: u.name,
        groups: u.groups,
        ...(u.uid !== undefined ? { uid: u.uid } : {}),
        ...(u.description !== undefined ? { description: u.description } : {}),
        ...(u.home !== undefined ? { home: u.home } : {}),
        ...(u.shell !== undefined ? { shell: u.shell } : {}),
        ...(u.password?.hash !== undefined ? { hash: u.password.hash } : {}),
      }),
    );
  for (const s of ir.symlinks) chroot(`ln -sf ${shellQuote(s.target)} ${shellQuote(s.path)}`);
  for (const verb of SERVICE_VERBS) {
    const units = ir.system.services[verb];
    if (units.length) chroot(`systemctl ${verb} ${units.map(shellQuote).join(' ')}`);
  }
}

function owner(
  step: Step,
  entry: { user?: string | number; group?: string | number },
  pointer: string,
  out: Out,
): void {
  for (const [field, key] of [
    ['user', 'uid'],
    ['group', 'gid'],
  ] as const) {
    const v = entry[field];
    if (typeof v === 'number') step[key] = v;
    else if (v === 'root')
      approx(
        out,
        `${pointer}/${field}`,
        'vmdb2 makes files owned by root unless given a number; root is not named and reads back as no owner',
      );
    else if (v !== undefined)
      approx(out, `${pointer}/${field}`, `vmdb2 takes numeric ids only; "${v}" is written as 0`);
  }
}

function scriptSteps(ir: ImageIR, root: string, out: Out): void {
  ir.scripts.forEach((s, i) => {
    if (s.body === undefined) {
      approx(out, `/scripts/${i}`, 'vmdb2 steps hold script text only; a script file is not written');
      return;
    }
    if (s.phase !== 'post-install')
      approx(
        out,
        `/scripts/${i}/phase`,
        `vmdb2 runs steps in order; the ${s.phase} script runs after the packages are installed`,
      );
    if (s.chroot && lowerChrootIdiom(s.body, { file: '', line: 1, column: 1 }, emptyIr(), {}))
      approx(
        out,
        `/scripts/${i}`,
        'this one-command chroot step is how vmdb2 writes a hostname, symlink, service or user; it reads back as that, not as a script',
      );
    out.steps.push(s.chroot ? { chroot: root, shell: s.body } : { shell: s.body, 'root-fs': root });
  });
}

function grubStep(ir: ImageIR, root: string, tags: string[], out: Out): void {
  const boot = ir.boot;
  if (boot?.bootloader && boot.bootloader !== 'grub') {
    if (boot.bootloader !== 'none')
      approx(out, '/boot/bootloader', `vmdb2 installs GRUB only; ${boot.bootloader} is not written`);
    for (const field of ['firmware', 'console', 'timeout'] as const)
      if (boot[field] !== undefined)
        approx(
          out,
          `/boot/${field}`,
          'vmdb2 writes the firmware, console and timeout on its GRUB step; no GRUB step is written',
        );
    return;
  }
  const firmware = boot?.firmware === 'uefi' ? 'uefi' : 'bios';
  if (!boot?.firmware) inferred(out, '/boot/firmware', 'bios', 'the IR names no firmware; GRUB for BIOS');
  if (boot?.firmware === 'hybrid')
    approx(out, '/boot/firmware', 'vmdb2 installs GRUB for one firmware; written for BIOS');
  const step: Step = { grub: firmware, tag: root };
  const esp = (ir.storage?.partitions ?? []).findIndex((p) => p.role === 'esp');
  if (firmware === 'uefi' && esp >= 0) step.efi = tags[esp];
  let console = boot?.console;
  if (console === undefined && ir.system.kernel.cmdline.some((a) => /^console=ttyS/.test(a))) {
    console = 'serial';
    approx(
      out,
      '/system/kernel/cmdline',
      'vmdb2 writes GRUB\'s kernel command line itself; console=ttyS… becomes "console: serial" and the other arguments are not written',
    );
  } else if (ir.system.kernel.cmdline.length)
    approx(
      out,
      '/system/kernel/cmdline',
      "vmdb2 writes GRUB's kernel command line itself; these arguments are not written",
    );
  if (console !== undefined) step.console = console;
  if (boot?.timeout !== undefined) step.timeout = boot.timeout;
  out.steps.push(step);
}

function copySources(ir: ImageIR, options: WriteOptions, out: Out): void {
  if (!options.sourceDir) return;
  for (const f of ir.files) {
    if (f.source === undefined || isAbsolute(f.source) || /^[a-z]+:/.test(f.source)) continue;
    const rel = normalize(f.source);
    if (rel.startsWith('..')) continue;
    const from = join(options.sourceDir, rel);
    if (existsSync(from)) out.files.push({ path: rel, copyFrom: from });
    else
      approx(
        out,
        `/files/${ir.files.indexOf(f)}/source`,
        `${from} does not exist; copy-file names it but it is not copied`,
      );
  }
}

export function raiseVmdb2(ir: ImageIR, options: WriteOptions): WriteResult {
  const out: Out = { steps: [], files: [], diagnostics: [] };
  const d = ir.distribution;
  const family = d.id ? familyOf(d.id) : undefined;
  if (d.id && family !== 'debian') {
    approx(
      out,
      '/distribution',
      `vmdb2 names no distribution, only a debootstrap suite; ${d.id} does not come back`,
    );
    out.diagnostics.push(
      diag(
        vmdb2Codes.writeNotDebian,
        { distribution: [d.id, d.release].filter(Boolean).join(' ') },
        undefined,
        { pointer: '/distribution' },
      ),
    );
  }
  if (!d.release)
    out.diagnostics.push(
      diag(vmdb2Codes.writeVariable, { field: 'a debootstrap suite', name: 'suite' }, undefined, {
        pointer: '/distribution/release',
      }),
    );
  ir.outputs.forEach((o, i) => {
    if (o.type !== 'disk' || (o.format ?? 'raw') !== 'raw')
      approx(
        out,
        `/outputs/${i}`,
        `vmdb2 makes one raw disk image; the ${o.type}${o.format ? ` (${o.format})` : ''} output is not written`,
      );
  });
  const mirror = mirrorOf(ir, options, out);
  if (!mirror) return { files: [], diagnostics: out.diagnostics };
  const { root, tags } = diskSteps(ir, options, out);
  out.steps.push({ 'unpack-rootfs': root });
  const suite = d.release ? suiteOf(d.id, d.release) : '{{ suite }}';
  if (d.release && suite !== d.release)
    approx(
      out,
      '/distribution/release',
      `debootstrap takes the suite name: ${d.release} is written as ${suite}`,
    );
  if (d.id && family === 'debian' && distroOfSuite(suite) !== d.id)
    approx(
      out,
      '/distribution/id',
      `vmdb2 names no distribution; the reader tells ${d.id} from known suite names only, and ${suite} is not one`,
    );
  const debootstrap: Step = { debootstrap: suite, mirror: mirror.url, target: root };
  if (d.architecture) {
    const deb = ARCH_TO_DEB[d.architecture];
    if (deb) debootstrap.arch = deb;
    else
      approx(
        out,
        '/distribution/architecture',
        `no Debian architecture for ${d.architecture}; the host's is used`,
      );
  }
  if (mirror.components) debootstrap.components = mirror.components;
  if (ir.packages.bootstrap.length) debootstrap.include = ir.packages.bootstrap.map((p) => p.name);
  debootstrap.unless = ROOTFS_UNPACKED;
  out.steps.push(debootstrap);
  if (ir.packages.install.length) {
    const apt: Step = { apt: 'install', packages: ir.packages.install.map((p) => p.name), tag: root };
    if (ir.packages.installWeakDeps === false) apt.recommends = false;
    if (ir.packages.installWeakDeps === true)
      approx(
        out,
        '/packages/installWeakDeps',
        "vmdb2's apt step installs recommends unless told not to; nothing is written",
      );
    apt.unless = ROOTFS_UNPACKED;
    out.steps.push(apt);
  }
  out.steps.push({ 'cache-rootfs': root, unless: ROOTFS_UNPACKED });
  out.steps.push({ fstab: root });
  systemSteps(ir, root, out);
  scriptSteps(ir, root, out);
  const kept = (ir.extensions.vmdb2 as { kept?: Step[] } | undefined)?.kept ?? [];
  appendAll(out.steps, kept);
  grubStep(ir, root, tags, out);
  copySources(ir, options, out);
  const header = `# vmdb2 specification written by imgc${ir.metadata?.name ? ` for ${ir.metadata.name}` : ''}.\n# Build: vmdb2 --output disk.img [--rootfs-tarball cache.tar.gz] image.vmdb\n`;
  const text = header + stringify({ steps: out.steps }, { version: '1.1', lineWidth: 0 });
  return { files: [{ path: 'image.vmdb', content: text }, ...out.files], diagnostics: out.diagnostics };
}
