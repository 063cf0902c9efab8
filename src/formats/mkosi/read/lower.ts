/**
 * Resolved mkosi settings → Image IR.
 *
 * Settings with an exact IR home are lowered into it; every other configured setting is kept
 * under `extensions.mkosi.settings` (values as mkosi resolved them, paths relative to the
 * tree) so that writing the IR back as mkosi loses nothing. mkosi profiles are evaluated at
 * read time, so they do not become IR profiles.
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { readInputTextSync } from '../../../input/bounded.js';
import { emptyIr } from '../../../ir/empty.js';
import { withoutInlinedEnv } from '../../../ir/kiwi-script-env/index.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR, Output, Overlay, Partition, Script } from '../../../ir/schema.js';
import { mkosiCodes } from '../codes.js';
import { MKOSI_ARCH_TO_IR, SETTINGS_BY_NAME } from '../settings.js';
import type { SettingValue } from '../settings-spec.js';
import {
  defaultRepartName,
  type ExtensionValue,
  MKOSI_OUTPUT_TYPES,
  type MkosiExtension,
  OS_RELEASE_ID,
  SCRIPT_PHASES,
  splitTree,
  TREE_KINDS,
} from '../vocabulary.js';
import { parseRepartFile } from './repart.js';
import { holdsOnlyRepositories, lowerRepositories } from './repos.js';
import type { LegacyEntry, Pos, ResolvedImage, ResolveResult } from './resolve.js';
import { parseSysusers } from './sysusers.js';

const LOWERED = new Set([
  'Distribution',
  'Release',
  'Architecture',
  'Packages',
  'BuildPackages',
  'RemovePackages',
  'WithDocs',
  'WithRecommends',
  'Hostname',
  'Locale',
  'Keymap',
  'Timezone',
  'RootShell',
  'KernelCommandLine',
  'RootPassword',
  'ImageId',
  'ImageVersion',
  'Output',
  'CompressOutput',
  'SecureBoot',
  ...Object.keys(SCRIPT_PHASES),
  ...Object.keys(TREE_KINDS),
]);

/** Scopes whose values a sub-image may set itself. */
const SUBIMAGE_SCOPES = new Set(['local', 'inherit', 'initrd_inherit']);

export interface LowerResult {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

export function lowerResolved(res: ResolveResult): LowerResult {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const diagnostics: Diagnostic[] = [];
  const main = res.main;
  const root = res.directory;
  const rel = (p: string) => relPath(root, p);
  const put = (ptr: string, at: Pos | undefined) => {
    if (at && at.file !== '<command line>')
      positions[ptr] = { file: at.file, line: at.line, column: at.column };
  };
  const conf = (name: string) => main.configured.get(name);
  const ext: MkosiExtension = { settings: {} };

  // distribution
  const distro = String(main.get('Distribution'));
  const release = String(main.get('Release') ?? '');
  const arch = String(main.get('Architecture'));
  ir.distribution.id = osReleaseId(distro, release);
  if (release) ir.distribution.release = release;
  ir.distribution.architecture = MKOSI_ARCH_TO_IR[arch] ?? arch;
  if (distro === 'rhel-ubi') ir.distribution.variant = 'ubi';
  put('/distribution/id', conf('Distribution')?.at);
  put('/distribution/release', conf('Release')?.at);
  put('/distribution/architecture', conf('Architecture')?.at);
  for (const [name, value] of [
    ['Distribution', distro],
    ['Release', release],
    ['Architecture', arch],
  ] as const) {
    if (!conf(name)) diagnostics.push(diag(mkosiCodes.hostDefault, { name, value }, { file: res.configDir }));
  }

  // packages
  const listInto = (name: string, target: { name: string }[], base: string) => {
    const e = conf(name);
    if (!e) return;
    (e.value as string[]).forEach((p, i) => {
      target.push({ name: p });
      put(`${base}/${target.length - 1}`, e.itemsAt?.[i] ?? e.at);
    });
  };
  listInto('Packages', ir.packages.install, '/packages/install');
  listInto('BuildPackages', ir.packages.build, '/packages/build');
  listInto('RemovePackages', ir.packages.remove, '/packages/remove');
  const boolSetting = (name: string, ptr: string, set: (b: boolean) => void) => {
    const e = conf(name);
    if (e && typeof e.value === 'boolean') {
      set(e.value);
      put(ptr, e.at);
    }
  };
  boolSetting('WithDocs', '/packages/installDocs', (b) => {
    ir.packages.installDocs = b;
  });
  boolSetting('WithRecommends', '/packages/installWeakDeps', (b) => {
    ir.packages.installWeakDeps = b;
  });

  // system
  const str = (name: string, ptr: string, set: (v: string) => void) => {
    const e = conf(name);
    if (e && typeof e.value === 'string') {
      set(e.value);
      put(ptr, e.at);
    }
  };
  str('Hostname', '/system/hostname', (v) => {
    ir.system.hostname = v;
  });
  str('Locale', '/system/locale', (v) => {
    ir.system.locale = v;
  });
  str('Keymap', '/system/keymap', (v) => {
    ir.system.keymap = v;
  });
  str('Timezone', '/system/timezone', (v) => {
    ir.system.timezone = v;
  });
  str('RootShell', '/system/rootShell', (v) => {
    ir.system.rootShell = v;
  });
  const cmdline = conf('KernelCommandLine');
  if (cmdline) {
    (cmdline.value as string[]).forEach((arg, i) => {
      ir.system.kernel.cmdline.push(arg);
      put(`/system/kernel/cmdline/${i}`, cmdline.itemsAt?.[i] ?? cmdline.at);
    });
  }
  const rootpw = conf('RootPassword');
  if (rootpw && typeof rootpw.value === 'string') {
    const v = rootpw.value;
    const password =
      v === 'hashed:' ? { empty: true } : v.startsWith('hashed:') ? { hash: v.slice(7) } : { plain: v };
    ir.accounts.root = { password, sshKeys: [] };
    put('/accounts/root/password', rootpw.at);
  }

  // metadata
  str('ImageId', '/metadata/name', (v) => {
    ir.metadata = { ...ir.metadata, name: v };
  });
  str('ImageVersion', '/metadata/version', (v) => {
    ir.metadata = { ...ir.metadata, version: v };
  });

  // output
  const format = String(main.get('Format'));
  const formatEntry = conf('Format');
  if (MKOSI_OUTPUT_TYPES.has(format)) {
    const out: Output = { type: format as Output['type'] };
    str('Output', '/outputs/0/name', (v) => {
      const folder = v.lastIndexOf('/');
      if (folder > 0 && !conf('OutputDirectory')) {
        // mkosi 14 took a path in Output=; current mkosi refuses one and takes OutputDirectory=
        out.name = v.slice(folder + 1);
        ext.settings.OutputDirectory = v.slice(0, folder);
        const params = { value: v, folder: v.slice(0, folder), name: out.name };
        diagnostics.push(diag(mkosiCodes.outputPathSplit, params, conf('Output')?.at));
      } else out.name = v;
    });
    str('CompressOutput', '/outputs/0/compression', (v) => {
      out.compression = v;
    });
    ir.outputs.push(out);
    put('/outputs/0/type', formatEntry?.at);
  } else {
    ext.settings.Format = format;
    for (const name of ['Output', 'CompressOutput']) {
      const e = conf(name);
      if (e && e.value !== null) ext.settings[name] = toExtension(name, e.value, root);
    }
  }

  // boot
  const secureBoot = conf('SecureBoot');
  if (secureBoot && typeof secureBoot.value === 'boolean') {
    ir.boot = { secureBoot: { enabled: secureBoot.value } };
    put('/boot/secureBoot/enabled', secureBoot.at);
  }

  const bootloader = conf('Bootloader');
  const consumed = new Set<string>();
  if (
    bootloader &&
    typeof bootloader.value === 'string' &&
    ['systemd-boot', 'grub', 'uki', 'none'].includes(bootloader.value)
  ) {
    ir.boot = { ...ir.boot, bootloader: bootloader.value as 'systemd-boot' | 'grub' | 'uki' | 'none' };
    put('/boot/bootloader', bootloader.at);
    consumed.add('Bootloader');
  }

  const biosEntry = conf('BiosBootloader');
  if (bootloader || biosEntry?.value === 'grub') {
    const uefi = main.get('Bootloader') !== 'none';
    const bios = main.get('BiosBootloader') === 'grub';
    if (uefi || bios) {
      ir.boot = { ...ir.boot, firmware: bios ? (uefi ? 'hybrid' : 'bios') : 'uefi' };
      put('/boot/firmware', (bios ? biosEntry : bootloader)?.at);
    }
    if (bios) consumed.add('BiosBootloader');
  }

  // overlays (skeleton, extra, sandbox trees)
  for (const [name, kind] of Object.entries(TREE_KINDS)) {
    const e = conf(name);
    if (!e) continue;
    (e.value as string[]).forEach((item, i) => {
      const { src, dst } = splitTree(item);
      // the conventional mkosi.sandbox/ holding only repository files is fully described by `repositories`
      if (kind === 'package-manager' && !dst && rel(src) === 'mkosi.sandbox' && holdsOnlyRepositories(src))
        return;
      const overlay: Overlay = { source: rel(src), kind };
      if (dst) overlay.destination = dst;
      ir.overlays.push(overlay);
      put(`/overlays/${ir.overlays.length - 1}`, e.itemsAt?.[i] ?? e.at);
    });
  }

  // scripts
  for (const [name, phase] of Object.entries(SCRIPT_PHASES)) {
    const e = conf(name);
    if (!e) continue;
    (e.value as string[]).forEach((path, i) => {
      const chroot = path.endsWith('.chroot');
      // the ".chroot" suffix is what `chroot` says; the file's place matters only when its text cannot be kept
      const script: Script = { name: basename(path).replace(/\.chroot$/, ''), phase, chroot };
      const body = readText(path);
      // a KIWI script imgc wrote with its helpers inlined reads back as it was
      if (body !== undefined) script.body = withoutInlinedEnv(body);
      else script.source = rel(path);
      ir.scripts.push(script);
      put(`/scripts/${ir.scripts.length - 1}`, e.itemsAt?.[i] ?? e.at);
    });
  }

  // storage from repart definitions (or the legacy [Partitions] sizes)
  const repartDirs = conf('RepartDirectories');
  if (repartDirs) {
    const partitions: Partition[] = [];
    const repart: NonNullable<MkosiExtension['repart']> = [];
    for (const dir of repartDirs.value as string[]) {
      for (const file of listConfFiles(dir)) {
        const parsed = parseRepartFile(file, diagnostics);
        if (!parsed) continue;
        partitions.push(parsed.partition);
        repart.push({ file: rel(file), extra: parsed.extra });
        positions[`/storage/partitions/${partitions.length - 1}`] = { file, line: 1, column: 1 };
      }
    }
    const dirs = (repartDirs.value as string[]).map(rel);
    if (dirs.length !== 1 || dirs[0] !== 'mkosi.repart') ext.settings.RepartDirectories = dirs;
    if (partitions.length > 0) {
      ir.storage = {
        partitions,
        volumeGroups: [],
        raid: [],
        mountpoints: [],
      };
      const trivial = repart.every(
        (r, i) =>
          r.file === defaultRepartName(partitions.length, i, partitions[i]!.role) &&
          Object.keys(r.extra).length === 0,
      );
      if (!trivial) ext.repart = repart;
    }
  }
  const usedLegacy = lowerLegacyPartitions(main, ir, positions);

  // repositories from sandbox trees
  const repositoryPaths: string[] = [];
  const sandbox = conf('SandboxTrees');
  if (sandbox) {
    for (const src of new Set(
      (sandbox.value as string[]).filter((i) => !splitTree(i).dst).map((i) => splitTree(i).src),
    )) {
      // only trees that belong to the definition, never the build host's own files
      if (isAbsolute(rel(src))) continue;
      for (const { repo, at, urls } of lowerRepositories(src, diagnostics)) {
        // the IR keeps the file name; where the file sits is mkosi's business
        const file = join(src, repo.fileName!);
        const path = rel(file);
        repo.fileName = basename(path);
        ir.repositories.push(repo);
        repositoryPaths.push(path);
        const ptr = `/repositories/${ir.repositories.length - 1}`;
        if (at) positions[ptr] = { file, ...at };
        urls.forEach((u, i) => {
          positions[`${ptr}/urls/${i}`] = { file, ...u };
        });
      }
    }
  }

  if (repositoryPaths.length > 0) ext.repositoryPaths = repositoryPaths;

  // users and groups from sysusers.d files in extra trees
  const extra = conf('ExtraTrees');
  if (extra) {
    const record: NonNullable<MkosiExtension['sysusers']> = [];
    const roots = new Set(
      (extra.value as string[]).filter((i) => !splitTree(i).dst).map((i) => splitTree(i).src),
    );
    for (const src of roots) {
      if (isAbsolute(rel(src))) continue;
      for (const dir of ['usr/lib/sysusers.d', 'etc/sysusers.d']) {
        for (const file of listConfFiles(join(src, dir))) {
          const users = ir.accounts.users.length;
          const groups = ir.accounts.groups.length;
          if (!parseSysusers(file, ir, positions, diagnostics)) continue;
          record.push({
            file: rel(file),
            users: ir.accounts.users.slice(users).map((u) => u.name),
            groups: ir.accounts.groups.slice(groups).map((g) => g.name),
          });
        }
      }
    }
    if (record.length > 0) ext.sysusers = record;
  }

  // everything else as extension data
  for (const [name, entry] of main.configured) {
    if (LOWERED.has(name) || consumed.has(name) || name === 'Format' || name === 'RepartDirectories')
      continue;
    if (name === 'Include') continue;
    if (entry.value === null) continue;
    ext.settings[name] = toExtension(name, entry.value, root);
    put(`/extensions/mkosi/settings/${name}`, entry.at);
  }
  const legacy = main.legacy.filter((l) => !usedLegacy.has(l));
  if (legacy.length > 0)
    ext.legacy = legacy.map((l) => ({ name: l.name, section: l.section, value: l.value }));
  if (main.unresolvedIncludes.length > 0) ext.builtinIncludes = [...main.unresolvedIncludes];
  if (res.subImages.length > 0) {
    ext.images = res.subImages.map((img) => ({ name: img.name, settings: subImageSettings(img, root) }));
    diagnostics.push(
      diag(
        mkosiCodes.subImage,
        { names: res.subImages.map((i) => i.name).join(', ') },
        { file: res.configDir },
      ),
    );
  }
  ir.extensions.mkosi = ext as unknown as Record<string, unknown>;
  return { ir, positions, diagnostics };
}

function subImageSettings(img: ResolvedImage, root: string): Record<string, ExtensionValue> {
  const out: Record<string, ExtensionValue> = {};
  for (const [name, entry] of img.configured) {
    const s = SETTINGS_BY_NAME.get(name);
    if (!s || !SUBIMAGE_SCOPES.has(s.scope) || entry.value === null || name === 'Include') continue;
    if (name === 'Environment' && Object.keys(entry.value as object).length === 0) continue;
    out[name] = toExtension(name, entry.value, root);
  }
  return out;
}

/** legacy v14 `[Partitions]` sizes become partitions with a minimum size */
function lowerLegacyPartitions(main: ResolvedImage, ir: ImageIR, positions: PositionTable): Set<LegacyEntry> {
  if (ir.storage) return new Set();
  const roles: Record<string, Partition['role']> = {
    ESPSize: 'esp',
    BiosSize: 'bios-boot',
    XBootLDRSize: 'xbootldr',
    RootSize: 'root',
    SwapSize: 'swap',
    HomeSize: 'home',
    SrvSize: 'srv',
    VarSize: 'var',
    TmpSize: 'tmp',
  };
  const rootFsEntry = main.legacy.filter((l) => l.name === 'RootFilesystem').at(-1);
  const partitions: Partition[] = [];
  const used = new Set<LegacyEntry>();
  for (const l of main.legacy) {
    if (l.name === 'RootFilesystem') {
      used.add(l);
      continue;
    }
    const role = roles[l.name];
    const size = parseSize(l.value);
    if (!role || size === undefined) continue;
    used.add(l);
    const p: Partition = { role, size: { min: size } };
    if (role === 'root' && rootFsEntry) p.filesystem = rootFsEntry.value;
    partitions.push(p);
    positions[`/storage/partitions/${partitions.length - 1}`] = { ...l.at };
  }
  if (rootFsEntry && !partitions.some((p) => p.role === 'root')) {
    partitions.push({ role: 'root', filesystem: rootFsEntry.value });
    positions[`/storage/partitions/${partitions.length - 1}`] = { ...rootFsEntry.at };
  }
  if (partitions.length > 0)
    ir.storage = {
      partitions,
      volumeGroups: [],
      raid: [],
      mountpoints: [],
    };
  return used;
}

export function parseSize(v: string): number | undefined {
  const m = /^(\d+)\s*([KMGT]?)B?$/i.exec(v.trim());
  if (!m) return undefined;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2]!.toUpperCase()]!;
  const bytes = Number(m[1]) * mult;
  // past 2^53 there is no exact byte count: the setting stays as written (fuzz: IMGC1006)
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

export function osReleaseId(distro: string, release: string): string {
  if (distro === 'opensuse') return /^\d/.test(release) ? 'opensuse-leap' : 'opensuse-tumbleweed';
  return OS_RELEASE_ID[distro] ?? distro;
}

function toExtension(name: string, value: SettingValue, root: string): ExtensionValue {
  const s = SETTINGS_BY_NAME.get(name);
  if (Array.isArray(value)) {
    if (s?.value === 'path') return value.map((v) => relPath(root, v));
    if (s?.value === 'tree') {
      return value.map((v) => {
        const { src, dst } = splitTree(v);
        return dst ? `${relPath(root, src)}:${dst}` : relPath(root, src);
      });
    }
    return [...value];
  }
  if (typeof value === 'string' && s?.kind === 'path') return relPath(root, value);
  return value as ExtensionValue;
}

/** a path relative to the tree when inside it, else absolute */
export function relPath(root: string, p: string): string {
  if (!isAbsolute(p)) return p;
  const r = relative(root, p);
  if (r === '') return '.';
  if (r.startsWith('..') || isAbsolute(r)) return p;
  return r.split(sep).join('/');
}

function readText(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > 256 * 1024) return undefined;
    const text = readInputTextSync(path);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

function listConfFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(dir)
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((n) => join(dir, n));
}
