/**
 * IR → KIWI AST (schema 8.5). Each IR field the reader lowers is raised back to the same
 * element or attribute, and whatever `extensions.kiwi` kept is put back where it came
 * from, so a description read and written again reads to the same IR. Kept attributes
 * take precedence over raised ones: the reader keeps an attribute only when the IR cannot
 * reproduce it.
 */

import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import type {
  ImageIR,
  LogicalVolume,
  Output,
  Partition,
  ProfileOverlay,
  Repository,
  Storage,
} from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import {
  element,
  fromJson,
  textElement,
  type XChild,
  type XComment,
  type XDocument,
  type XElement,
  type XJson,
} from '../ast.js';
import {
  KIWI_EXTENSION,
  type KiwiExtension,
  type KiwiScopeExtension,
  unsupportedToComment,
} from '../extension.js';
import {
  DEFAULT_CONTAINER_BACKEND,
  formatKiwiSize,
  imageOfOutput,
  localeToIr,
  parseContainerReference,
} from '../vocabulary.js';
import { defaultRepositories } from './default-repositories.js';
import { ATTRIBUTE_POINTERS, FALLBACK_IMAGE, TYPES_RAISED_FROM_IR } from './raised-types.js';

const MIB = 1024 * 1024;
/** The KIWI image types that carry firmware and bootloader settings. */
const BOOTABLE_IMAGES = ['oem', 'iso', 'pxe', 'kis'];

const GIB = 1024 * MIB;

/** en_US.UTF-8 → en_US: KIWI appends the encoding itself. */
export function localeFromIr(value: string): string {
  return value.replace(/\.UTF-8$/i, '');
}

const BOOTLOADER_NAMES: Record<string, string> = lookupTable({
  grub: 'grub2',
  'systemd-boot': 'systemd_boot',
  zipl: 'zipl',
  custom: 'custom',
});

const PACKAGE_MANAGER_OF_DISTRO: Record<string, string> = lookupTable({
  debian: 'apt',
  ubuntu: 'apt',
  fedora: 'dnf4',
  rhel: 'dnf4',
  centos: 'dnf4',
  almalinux: 'dnf4',
  rocky: 'dnf4',
  opensuse: 'zypper',
  'opensuse-leap': 'zypper',
  'opensuse-tumbleweed': 'zypper',
  sles: 'zypper',
  arch: 'pacman',
  alpine: 'apk',
});

interface Section {
  kind: 'preferences' | 'users' | 'repository' | 'packages' | 'other';
  el: XElement;
}

export interface Raised {
  doc: XDocument;
  diagnostics: Diagnostic[];
}

/** The reader's profile for a section shared by several profiles: its name is their comma-joined names. */
function isSharedProfile(name: string): boolean {
  return name.includes(',');
}

function scopeExt(ext: unknown): KiwiScopeExtension {
  return (ext && typeof ext === 'object' ? ext : {}) as KiwiScopeExtension;
}

/** Sets attributes in order, skipping undefined; kept attributes override afterwards. */
function withAttrs(
  el: XElement,
  attrs: Record<string, string | undefined>,
  kept?: Record<string, string>,
): XElement {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.attrs[k] = v;
  if (kept) Object.assign(el.attrs, kept);
  return el;
}

function bool(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

export class Raiser {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly ext: KiwiExtension;
  private totalTypes = 0;

  constructor(private readonly ir: ImageIR) {
    this.ext = (ir.extensions[KIWI_EXTENSION] ?? {}) as KiwiExtension;
  }

  private loss(pointer: string, detail: string): void {
    this.diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: 'kiwi', detail }, undefined, {
        pointer,
        source: 'kiwi',
      }),
    );
  }

  private attrsOf(scope: KiwiScopeExtension, key: string): Record<string, string> | undefined {
    return scope.attrs?.[key];
  }

  private kidsOf(scope: KiwiScopeExtension, key: string): XElement[] {
    return (scope.children?.[key] ?? []).map(fromJson);
  }

  raise(): Raised {
    const ir = this.ir;
    const ext = this.ext;
    const root = withAttrs(
      element('image'),
      { schemaversion: '8.5', name: ir.metadata?.name ?? 'image' },
      this.attrsOf(ext, 'image'),
    );
    if (!ir.metadata?.name) this.assumed('image name', 'image');
    root.children.push(this.description());
    const profiles = this.profiles();
    if (profiles) root.children.push(profiles);

    this.totalTypes = this.countTypes();
    const scopes: {
      name?: string;
      body: ImageIR | ProfileOverlay;
      ext: KiwiScopeExtension;
      prefix: string;
    }[] = [
      { body: ir, ext, prefix: '' },
      ...ir.profiles.map((p, i) => ({
        name: p.name,
        body: p.overlay,
        ext: scopeExt(p.overlay.extensions?.[KIWI_EXTENSION]),
        prefix: `/profiles/${i}/overlay`,
      })),
    ];
    const sections: Section[] = [];
    const needsPackageManager = !scopes.some((s) =>
      (s.ext.children?.preferences ?? []).some((c) => c.name === 'packagemanager'),
    );
    const hasSelected = scopes.some((s) => s.ext.selectedType !== undefined);
    for (const s of scopes) {
      const isBase = s.name === undefined;
      const own = this.scopeSections(s.body, s.ext, s.prefix, {
        packageManager: isBase && needsPackageManager,
        synthesizeType: isBase && !hasSelected,
      });
      if (s.name !== undefined) for (const sec of own) sec.el.attrs.profiles ??= s.name;
      appendAll(sections, own);
    }
    if (!sections.some((s) => s.kind === 'repository' && this.activeByDefault(s.el)))
      appendAll(sections, this.defaultRepositorySections());
    const order: Section['kind'][] = ['preferences', 'users', 'repository', 'packages', 'other'];
    if (!sections.some((s) => s.kind === 'preferences'))
      sections.push({ kind: 'preferences', el: element('preferences') });
    for (const kind of order)
      for (const s of sections) if (s.kind === kind) root.children.push(this.profilesFirst(s.el));

    const prolog: XComment[] = (ext.obs ?? []).map((d) => ({
      kind: 'comment',
      text: ` ${d.key}: ${d.value} `,
    }));
    for (const u of ext.unsupported ?? []) prolog.push({ kind: 'comment', text: unsupportedToComment(u) });
    if (ext.unsupported?.length) {
      this.loss(
        '/extensions/kiwi/unsupported',
        `${ext.unsupported.length} construct(s) schema 8.5 does not allow are kept in imgc-unsupported comments, not as XML`,
      );
    }
    return { doc: { file: 'config.xml', prolog, root }, diagnostics: this.diagnostics };
  }

  /** KIWI style puts profiles= first on a section. */
  private profilesFirst(el: XElement): XElement {
    if (el.attrs.profiles === undefined) return el;
    const { profiles, ...rest } = el.attrs;
    el.attrs = { profiles, ...rest };
    return el;
  }

  private assumed(field: string, value: string, from = 'KIWI requires it', pointer?: string): void {
    this.diagnostics.push(
      diag(translateCodes.assumedDefault, { field, value, from }, undefined, {
        source: 'kiwi',
        ...(pointer ? { pointer } : {}),
      }),
    );
  }

  /** Whether KIWI uses a section when no --profile is given: it names no profile or an imported one. */
  private activeByDefault(el: XElement): boolean {
    const names = el.attrs.profiles?.split(',').map((n) => n.trim());
    if (!names) return true;
    const imported = new Set(this.ir.profiles.filter((p) => p.default).map((p) => p.name));
    return names.some((n) => imported.has(n));
  }

  /** KIWI refuses a description without repositories: the distribution's public ones, reported as assumed. */
  private defaultRepositorySections(): Section[] {
    const { id, release } = this.ir.distribution;
    const found = id ? defaultRepositories(id, release) : undefined;
    if (!found) {
      const distribution = id ? `${id}${release ? ` ${release}` : ''}` : 'a source without a distribution';
      this.diagnostics.push(
        diag(translateCodes.kiwiNoRepository, { distribution }, undefined, {
          pointer: '/repositories',
          source: 'kiwi',
        }),
      );
      return [];
    }
    return found.repositories.map((r, i) => {
      const el = this.repository(r, {}, `/repositories/${i}`);
      this.assumed(
        '/repositories',
        `${r.id} ${r.urls[0] ?? r.metalink ?? r.mirrorlist}`,
        found.from,
        '/repositories',
      );
      return { kind: 'repository', el };
    });
  }

  private description(): XElement {
    const m = this.ir.metadata ?? {};
    const d = withAttrs(element('description'), { type: 'system' }, this.attrsOf(this.ext, 'description'));
    const required = (name: string, value: string | undefined, fallback: string) => {
      if (value === undefined) this.assumed(`<${name}>`, fallback);
      d.children.push(textElement(name, value ?? fallback));
    };
    required('author', m.author, 'imgc');
    required('contact', m.contact, 'unknown');
    appendAll(
      d.children,
      this.kidsOf(this.ext, 'description').filter((k) => k.name === 'contact'),
    );
    required('specification', m.description, m.name ?? 'image');
    if (m.license !== undefined) d.children.push(textElement('license', m.license));
    appendAll(
      d.children,
      this.kidsOf(this.ext, 'description').filter((k) => k.name !== 'contact'),
    );
    return d;
  }

  private profiles(): XElement | undefined {
    if (this.ir.profiles.length === 0) return undefined;
    const ps = withAttrs(element('profiles'), {}, this.attrsOf(this.ext, 'profiles'));
    for (const p of this.ir.profiles) {
      if (isSharedProfile(p.name)) continue;
      const el = withAttrs(
        element('profile'),
        { name: p.name, description: p.description ?? p.name, import: p.default ? 'true' : undefined },
        this.attrsOf(this.ext, `profile:${p.name}`),
      );
      if (p.description === undefined) this.assumed(`profile ${p.name} description`, p.name);
      for (const r of (p.requires ?? []).filter((name) => !isSharedProfile(name))) {
        el.children.push(
          withAttrs(element('requires'), { profile: r }, this.attrsOf(this.ext, `requires:${p.name}:${r}`)),
        );
      }
      appendAll(el.children, this.kidsOf(this.ext, `profile:${p.name}`));
      ps.children.push(el);
    }
    appendAll(ps.children, this.kidsOf(this.ext, 'profiles'));
    const defaults = this.ir.profiles.filter((p) => p.default).map((p) => p.name);
    const active = this.ir.activeProfiles;
    if (active.length && (active.length !== defaults.length || active.some((a) => !defaults.includes(a)))) {
      this.loss(
        '/activeProfiles',
        `KIWI activates profiles only through import="true"; the chosen profiles (${active.join(', ')}) are not marked`,
      );
    }
    return ps;
  }

  private countTypes(): number {
    const count = (s: KiwiScopeExtension) =>
      (s.children?.preferences ?? []).filter((c) => c.name === 'type').length;
    return (
      count(this.ext) +
      this.ir.profiles.reduce((n, p) => n + count(scopeExt(p.overlay.extensions?.[KIWI_EXTENSION])), 0)
    );
  }

  private scopeSections(
    body: ImageIR | ProfileOverlay,
    ext: KiwiScopeExtension,
    prefix: string,
    opts: { packageManager: boolean; synthesizeType: boolean },
  ): Section[] {
    const out: Section[] = [];
    const prefs = this.preferences(body, ext, prefix, opts);
    if (prefs) out.push({ kind: 'preferences', el: prefs });
    const users = this.users(body, ext, prefix);
    if (users) out.push({ kind: 'users', el: users });
    (body.repositories ?? []).forEach((r, i) => {
      out.push({ kind: 'repository', el: this.repository(r, ext, `${prefix}/repositories/${i}`) });
    });
    for (const p of this.packages(body, ext, prefix)) out.push({ kind: 'packages', el: p });
    for (const el of this.containers(body, ext, prefix)) out.push({ kind: 'other', el });
    for (const s of ext.sections ?? []) out.push({ kind: 'other', el: fromJson(s) });
    return out;
  }

  private preferences(
    body: ImageIR | ProfileOverlay,
    ext: KiwiScopeExtension,
    prefix: string,
    opts: { packageManager: boolean; synthesizeType: boolean },
  ): XElement | undefined {
    const kids: XElement[] = [];
    const text = (name: string, value: string | undefined) => {
      if (value !== undefined) kids.push(textElement(name, value));
    };
    text('version', body.metadata?.version);
    if (opts.packageManager) {
      const pm = this.guessPackageManager();
      if (pm) kids.push(textElement('packagemanager', pm));
      else this.loss('/distribution/id', 'no package manager could be derived; add <packagemanager> by hand');
    }
    const sys = body.system;
    if (sys?.locale !== undefined) {
      const all = [sys.locale, ...(sys.extraLocales ?? [])];
      all.forEach((l, i) => {
        if (localeToIr(localeFromIr(l)) !== l) {
          const at = i === 0 ? `${prefix}/system/locale` : `${prefix}/system/extraLocales/${i - 1}`;
          this.loss(
            at,
            `KIWI names locales as language_TERRITORY and configures them as UTF-8; ${l} is written as ${localeFromIr(l)}`,
          );
        }
      });
      text('locale', all.map(localeFromIr).join(','));
    } else if (sys?.extraLocales?.length)
      this.loss(`${prefix}/system/extraLocales`, 'extra locales need a primary locale');
    text('keytable', sys?.keymap);
    text('timezone', sys?.timezone);
    text('release-version', body.distribution?.release);
    if (body.packages?.installDocs !== undefined) text('rpm-excludedocs', String(!body.packages.installDocs));
    let typeIndex = 0;
    for (const k of this.kidsOf(ext, 'preferences')) {
      if (k.name === 'type') {
        kids.push(typeIndex === ext.selectedType ? this.mergeType(k) : k);
        typeIndex++;
      } else kids.push(k);
    }
    if (opts.synthesizeType) {
      const t = this.synthesizeType();
      if (t) kids.push(t);
    }
    const all = kids;
    const attrs = this.attrsOf(ext, 'preferences');
    if (all.length === 0 && !attrs) return undefined;
    return withAttrs(element('preferences', {}, all), {}, attrs);
  }

  /** KIWI's tbz is an xz-compressed tarball; no other image type takes a compression from the IR. */
  private outputCompression(compression: string, image: string | undefined) {
    if (image === 'tbz' && compression === 'xz') return;
    this.loss(
      '/outputs/0/compression',
      image === 'tbz'
        ? `KIWI's tbz image is always xz-compressed; ${compression} is not written`
        : `KIWI has no compression setting for image="${image ?? ''}"; ${compression} is not written`,
    );
  }

  /** The package manager the description names, or the one the writer derives. */
  private packageManagerName(): string | undefined {
    const scopes = [
      this.ext,
      ...this.ir.profiles.map((p) => scopeExt(p.overlay.extensions?.[KIWI_EXTENSION])),
    ];
    for (const s of scopes) {
      const pm = (s.children?.preferences ?? []).find((c) => c.name === 'packagemanager');
      if (pm?.text) return pm.text;
    }
    return this.guessPackageManager();
  }

  private guessPackageManager(): string | undefined {
    const id = this.ir.distribution.id;
    if (id && PACKAGE_MANAGER_OF_DISTRO[id]) return PACKAGE_MANAGER_OF_DISTRO[id];
    const types = new Set(this.ir.repositories.map((r) => r.type));
    if (types.has('apt') || types.has('apt-deb822')) return 'apt';
    if (types.has('pacman')) return 'pacman';
    if (types.has('yast2')) return 'zypper';
    if (types.has('rpm-md')) return 'dnf4';
    return undefined;
  }

  private synthesizeType(): XElement | undefined {
    const out = this.ir.outputs[0];
    if (!out) return undefined;
    // the written type must be the one KIWI (and imgc) selects when it is read again
    this.totalTypes++;
    if (imageOfOutput(out)) return this.mergeType(element('type'));
    // KIWI refuses a description without a build type: its plain root archive stands in
    this.loss(
      '/outputs/0/type',
      `KIWI has no image type for ${out.type} outputs; written as image="${FALLBACK_IMAGE}", a tarball of the root tree`,
    );
    return this.mergeType(element('type'), FALLBACK_IMAGE);
  }

  /** The selected type: its kept attributes and children plus everything the IR says about outputs, boot and storage. */
  private mergeType(kept: XElement, fallbackImage?: string): XElement {
    const ir = this.ir;
    const out: Output | undefined = ir.outputs[0];
    if (out?.compression !== undefined)
      this.outputCompression(out.compression, fallbackImage ?? kept.attrs.image ?? imageOfOutput(out));
    const storage: Storage | undefined = ir.storage;
    const boot = ir.boot;
    const isDisk = out?.type === 'disk';
    const rootPart = storage?.partitions.find((p) => p.role === 'root');
    storage?.partitions.forEach((p, i) => {
      if (p.role === 'root' && p !== rootPart)
        this.loss(`/storage/partitions/${i}`, 'a second root partition is not written');
    });
    if (rootPart) {
      const at = `/storage/partitions/${storage!.partitions.indexOf(rootPart)}`;
      const written = new Set([
        'role',
        'mountpoint',
        'filesystem',
        'fsLabel',
        'fsOptions',
        'mountOptions',
        'subvolumes',
      ]);
      for (const key of Object.keys(rootPart)) {
        if (!written.has(key))
          this.loss(`${at}/${key}`, `KIWI sizes and places the root partition itself; ${key} is not written`);
      }
      if (!isDisk) this.loss(at, 'only a KIWI disk (oem) type has a root partition');
    }
    const image = out ? (imageOfOutput(out) ?? fallbackImage) : undefined;
    if (boot && image && !BOOTABLE_IMAGES.includes(image))
      this.loss('/boot', `a KIWI ${image} type boots nothing; its boot settings are not written`);
    ir.outputs.slice(1).forEach((o, i) => {
      if (!(isDisk && o.type === 'installer'))
        this.loss(`/outputs/${i + 1}`, 'KIWI builds one type per build; only the first output is written');
    });
    let firmware: string | undefined;
    if (boot?.firmware === 'bios') firmware = 'bios';
    else if (boot?.firmware === 'uefi') firmware = boot.secureBoot?.enabled ? 'uefi' : 'efi';
    else if (boot?.firmware === 'hybrid') {
      firmware = 'efi';
      this.loss(
        '/boot/firmware',
        'written as firmware="efi", which KIWI builds BIOS-bootable as well on x86_64',
      );
    }
    if (boot?.secureBoot?.enabled && boot.firmware !== 'uefi')
      this.loss('/boot/secureBoot', 'secure boot needs firmware uefi');
    else if (boot?.secureBoot && !boot.firmware)
      this.loss(
        '/boot/secureBoot',
        'KIWI says secure boot only through firmware=; with no firmware it is not written',
      );
    const enc = storage?.encryption;
    // a schematron rule of KIWI: the command line belongs to the types that boot a kernel
    const bootsKernel = image === undefined || ['oem', 'iso', 'pxe', 'kis'].includes(image);
    if (!bootsKernel && ir.system.kernel.cmdline.length)
      this.loss(
        '/system/kernel/cmdline',
        `KIWI allows kernelcmdline only on oem, iso, pxe and kis types, not ${image}`,
      );
    const attrs: Record<string, string | undefined> = {
      image,
      primary: this.totalTypes > 1 ? 'true' : undefined,
      filesystem: isDisk ? rootPart?.filesystem : out?.filesystem,
      format: isDisk ? out?.format : undefined,
      firmware,
      kernelcmdline:
        bootsKernel && ir.system.kernel.cmdline.length ? ir.system.kernel.cmdline.join(' ') : undefined,
      rootfs_label: isDisk ? rootPart?.fsLabel : undefined,
      fscreateoptions: isDisk && rootPart?.fsOptions?.length ? rootPart.fsOptions.join(' ') : undefined,
      fsmountoptions: isDisk && rootPart?.mountOptions?.length ? rootPart.mountOptions.join(',') : undefined,
      luks: enc ? (enc.keyFile !== undefined ? `file://${enc.keyFile}` : enc.passphrase) : undefined,
      luks_version: enc?.type,
      efiparttable: storage?.partitionTable === 'dos' ? 'msdos' : storage?.partitionTable,
      installiso: isDisk && ir.outputs.some((o) => o.type === 'installer') ? 'true' : undefined,
      volid: out?.volumeId,
      publisher: out?.publisher,
      application_id: out?.application,
    };
    if (!isDisk && out?.format !== undefined && !(out.type === 'oci' && image === 'docker')) {
      this.loss('/outputs/0/format', `KIWI sets a format only for disk images`);
    }
    const t = withAttrs(element('type'), attrs, kept.attrs);
    TYPES_RAISED_FROM_IR.add(t);
    const kids: XChild[] = [];
    if (boot?.bootloader !== undefined || boot?.timeout !== undefined || this.ext.attrs?.bootloader) {
      const name = boot?.bootloader ? BOOTLOADER_NAMES[boot.bootloader] : undefined;
      if (boot?.bootloader && !name)
        this.loss('/boot/bootloader', `KIWI has no ${boot.bootloader} bootloader`);
      const bl = withAttrs(
        element('bootloader'),
        { name: name ?? 'grub2', timeout: boot?.timeout !== undefined ? String(boot.timeout) : undefined },
        this.attrsOf(this.ext, 'bootloader'),
      );
      appendAll(bl.children, this.kidsOf(this.ext, 'bootloader'));
      kids.push(bl);
    }
    if (out?.container) kids.push(this.containerConfig(out));
    if (storage?.size?.min !== undefined && isDisk) {
      const min = storage.size.min;
      const kept = this.attrsOf(this.ext, 'size');
      const unit = kept?.unit === 'G' && min % GIB === 0 ? 'G' : 'M';
      const text = String(unit === 'G' ? min / GIB : Math.ceil(min / MIB));
      kids.push(withAttrs(element('size', {}, [{ kind: 'text', text }]), { unit }, { ...kept, unit }));
    }
    const saysOnlyBareRoot =
      storage !== undefined &&
      storage.partitions.length > 0 &&
      storage.partitions.every((p) => p.role === 'root' && !p.filesystem) &&
      storage.volumeGroups.length === 0 &&
      storage.raid.length === 0;
    if (storage && isDisk && saysOnlyBareRoot) {
      this.loss(
        '/storage',
        'a root partition without a filesystem is what every KIWI disk type has; not written',
      );
    }
    if (storage && !isDisk) {
      this.loss(
        '/storage',
        `KIWI writes a disk layout only on disk (oem) types, not on ${out?.type ?? 'this'} outputs`,
      );
    }
    if (storage && isDisk) {
      const parts = storage.partitions.filter((p) => p.role !== 'root');
      const written = parts.filter((p) => this.partitionWritable(p, storage.partitions.indexOf(p)));
      if (written.length || this.ext.children?.partitions) {
        const el = withAttrs(element('partitions'), {}, this.attrsOf(this.ext, 'partitions'));
        for (const p of written) el.children.push(this.partition(p, storage.partitions.indexOf(p)));
        appendAll(el.children, this.kidsOf(this.ext, 'partitions'));
        kids.push(el);
      }
      const vg = storage.volumeGroups[0];
      for (let i = 1; i < storage.volumeGroups.length; i++) {
        this.loss(`/storage/volumeGroups/${i}`, 'KIWI has one system volume group');
      }
      if (vg) kids.push(this.systemdisk(vg.name, vg.logicalVolumes, rootPart?.filesystem === 'btrfs'));
      else if (rootPart?.subvolumes?.length) kids.push(this.subvolumes(rootPart));
    }
    appendAll(kids, kept.children ?? []);
    t.children = kids;
    return t;
  }

  private partitionWritable(p: Partition, i: number): boolean {
    if (p.role !== undefined && p.role !== 'root') {
      this.loss(
        `/storage/partitions/${i}/role`,
        'a KIWI <partition> has no role; it reads back by mountpoint only',
      );
    }
    if (p.role && !['home', 'var', 'srv', 'tmp', 'data', 'swap', 'usr'].includes(p.role)) {
      this.loss(`/storage/partitions/${i}`, `KIWI creates the ${p.role} partition itself; not written`);
      return false;
    }
    if (p.size?.min === undefined) {
      this.loss(`/storage/partitions/${i}`, 'a KIWI <partition> needs a size');
      return false;
    }
    if (
      ['root', 'readonly', 'boot', 'prep', 'spare', 'swap', 'efi_csm', 'efi'].includes(this.partitionName(p))
    ) {
      this.loss(
        `/storage/partitions/${i}`,
        `"${this.partitionName(p)}" is a name KIWI reserves for its own partitions`,
      );
      return false;
    }
    if (!p.name && !p.mountpoint) {
      this.loss(`/storage/partitions/${i}`, 'a KIWI <partition> needs a name');
      return false;
    }
    return true;
  }

  private partitionName(p: Partition): string {
    return p.name ?? (p.mountpoint ?? 'data').replace(/^\//, '').replaceAll('/', '_');
  }

  private partition(p: Partition, index: number): XElement {
    const name = this.partitionName(p);
    const kept = this.attrsOf(this.ext, `partition:${name}`);
    const el = withAttrs(
      element('partition'),
      {
        name,
        size: p.size?.min !== undefined ? formatKiwiSize(p.size.min) : undefined,
        mountpoint: p.mountpoint,
        filesystem: p.filesystem,
        label: p.fsLabel,
      },
      kept,
    );
    const at = `/storage/partitions/${index}`;
    const fields: Record<string, string> = {
      name: `${at}/name`,
      size: `${at}/size`,
      mountpoint: `${at}/mountpoint`,
      filesystem: `${at}/filesystem`,
      label: `${at}/fsLabel`,
    };
    for (const k of Object.keys(kept ?? {})) delete fields[k];
    ATTRIBUTE_POINTERS.set(el, fields);
    return el;
  }

  private systemdisk(name: string, lvs: LogicalVolume[], btrfs: boolean): XElement {
    const sd = withAttrs(
      element('systemdisk'),
      { name: name === 'systemVG' ? undefined : name, preferlvm: btrfs ? 'true' : undefined },
      this.attrsOf(this.ext, 'systemdisk'),
    );
    for (const [j, lv] of lvs.entries()) {
      if (lv.grow && lv.size?.min !== undefined) {
        this.loss(
          `/storage/volumeGroups/0/logicalVolumes/${j}/size`,
          `volume ${lv.name} takes the rest of the disk ("all"); its minimum size is not written`,
        );
      }
      sd.children.push(
        withAttrs(
          element('volume'),
          {
            name: lv.name,
            mountpoint: lv.mountpoint,
            size: lv.grow ? 'all' : lv.size?.min !== undefined ? formatKiwiSize(lv.size.min) : undefined,
          },
          this.attrsOf(this.ext, `volume:${lv.name}`),
        ),
      );
    }
    appendAll(sd.children, this.kidsOf(this.ext, 'systemdisk'));
    return sd;
  }

  private subvolumes(root: Partition): XElement {
    const sd = withAttrs(element('systemdisk'), {}, this.attrsOf(this.ext, 'systemdisk'));
    for (const sv of root.subvolumes ?? []) {
      sd.children.push(
        withAttrs(
          element('volume'),
          { name: sv.name, mountpoint: sv.mountpoint },
          this.attrsOf(this.ext, `volume:${sv.name}`),
        ),
      );
    }
    appendAll(sd.children, this.kidsOf(this.ext, 'systemdisk'));
    return sd;
  }

  private containerConfig(out: Output): XElement {
    const c = out.container!;
    const el = withAttrs(
      element('containerconfig'),
      {
        name: c.name,
        tag: c.tag,
        additionalnames: c.additionalTags?.length ? c.additionalTags.join(',') : undefined,
        maintainer: c.maintainer,
        user: c.user,
        workingdir: c.workingDir,
      },
      this.attrsOf(this.ext, 'containerconfig'),
    );
    const command = (name: string, argv: string[] | undefined) => {
      if (!argv?.length) return;
      const [execute, ...args] = argv;
      el.children.push(
        element(
          name,
          { execute },
          args.map((a) => element('argument', { name: a })),
        ),
      );
    };
    command('entrypoint', c.entrypoint);
    command('subcommand', c.cmd);
    if (c.exposedPorts?.length)
      el.children.push(
        element(
          'expose',
          {},
          c.exposedPorts.map((p) => element('port', { number: p })),
        ),
      );
    if (c.volumes?.length)
      el.children.push(
        element(
          'volumes',
          {},
          c.volumes.map((v) => element('volume', { name: v })),
        ),
      );
    if (c.stopSignal !== undefined) el.children.push(textElement('stopsignal', c.stopSignal));
    if (c.env && Object.keys(c.env).length) {
      el.children.push(
        element(
          'environment',
          {},
          Object.entries(c.env).map(([name, value]) => element('env', { name, value })),
        ),
      );
    }
    if (c.labels && Object.keys(c.labels).length) {
      el.children.push(
        element(
          'labels',
          {},
          Object.entries(c.labels).map(([name, value]) => element('label', { name, value })),
        ),
      );
    }
    appendAll(el.children, this.kidsOf(this.ext, 'containerconfig'));
    return el;
  }

  /** IR containers grouped by registry into <containers> sections. */
  private containers(body: ImageIR | ProfileOverlay, ext: KiwiScopeExtension, prefix: string): XElement[] {
    const sections = new Map<string, XElement>();
    (body.containers ?? []).forEach((c, i) => {
      const ref = parseContainerReference(c.source);
      if (!ref.host || !ref.name) {
        this.loss(`${prefix}/containers/${i}`, `${c.source} names no registry; KIWI needs one`);
        return;
      }
      let section = sections.get(ref.host);
      if (!section) {
        section = withAttrs(
          element('containers'),
          { source: ref.host, backend: DEFAULT_CONTAINER_BACKEND },
          this.attrsOf(ext, `containers:${ref.host}`),
        );
        sections.set(ref.host, section);
      }
      section.children.push(
        withAttrs(
          element('container'),
          { name: ref.name, path: ref.path, tag: ref.tag },
          this.attrsOf(ext, `container:${c.source}`),
        ),
      );
    });
    return [...sections.values()];
  }

  private users(
    body: ImageIR | ProfileOverlay,
    ext: KiwiScopeExtension,
    prefix: string,
  ): XElement | undefined {
    const accounts = body.accounts;
    const users: XElement[] = [];
    // KIWI requires password=; an empty one sets none
    const password = (pw: { hash?: string; plain?: string } | undefined) =>
      pw?.plain !== undefined ? { password: pw.plain, pwdformat: 'plain' } : { password: pw?.hash ?? '' };
    accounts?.users.forEach((u, i) => {
      const at = `${prefix}/accounts/users/${i}`;
      if (u.name === 'root') this.loss(at, "written as KIWI's root user, which reads back as accounts.root");
      if (u.primaryGroup === undefined && u.gid !== undefined && u.groups.length) {
        this.loss(`${at}/groups`, `KIWI takes the first group (${u.groups[0]}) as the primary group`);
      }
    });
    if (accounts?.root) {
      const r = accounts.root;
      users.push(
        withAttrs(
          element('user'),
          { ...password(r.password), name: 'root', shell: r.shell },
          this.attrsOf(ext, 'user:root'),
        ),
      );
    }
    for (const u of accounts?.users ?? []) {
      // KIWI makes the first group the primary one: without one named, that is the user's own
      // group, which useradd would have created (USERGROUPS_ENAB)
      const primary = u.primaryGroup ?? (u.gid === undefined && u.groups.length ? u.name : undefined);
      const groups = [...(primary !== undefined ? [primary] : []), ...u.groups];
      users.push(
        withAttrs(
          element('user'),
          {
            ...password(u.password),
            home: u.home,
            name: u.name,
            id: u.uid !== undefined ? String(u.uid) : undefined,
            realname: u.description,
            groups: groups.length ? groups.join(',') : undefined,
            shell: u.shell,
          },
          this.attrsOf(ext, `user:${u.name}`),
        ),
      );
    }
    if (users.length === 0) return undefined;
    return withAttrs(element('users', {}, users), {}, this.attrsOf(ext, 'users'));
  }

  private repository(r: Repository, ext: KiwiScopeExtension, ptr: string): XElement {
    const types: Partial<Record<NonNullable<Repository['type']>, string>> = {
      'rpm-md': 'rpm-md',
      apt: 'apt-deb',
      'apt-deb822': 'apt-deb',
    };
    const type = r.type ? types[r.type] : undefined;
    // KIWI takes pacman repositories untyped: its package manager says what they are
    if (r.type && !type && r.type !== 'pacman')
      this.loss(`${ptr}/type`, `KIWI has no ${r.type} repository type; written without type=`);
    if (r.type === 'apt-deb822') this.loss(`${ptr}/type`, 'written as a one-line apt-deb repository');
    const aliasOk = (v: string | undefined) => v !== undefined && /^[a-zA-Z0-9_\-.]+$/.test(v);
    let alias: string | undefined;
    if (aliasOk(r.name)) alias = r.name;
    else if (!/^repo\d+(-\d+)?$/.test(r.id) && aliasOk(r.id)) alias = r.id;
    if (r.name !== undefined && alias !== r.name) {
      this.loss(
        `${ptr}/name`,
        `"${r.name}" is not a valid KIWI alias; ${alias ? `written as alias="${alias}"` : 'not written'}`,
      );
    }
    if (alias === undefined && !/^repo\d+(-\d+)?$/.test(r.id))
      this.loss(`${ptr}/id`, `"${r.id}" is not a valid KIWI alias`);
    const path = r.urls[0] ?? r.mirrorlist ?? r.metalink ?? '';
    if (r.urls.length > 1)
      this.loss(`${ptr}/urls`, 'a KIWI repository has one source path; the first URL is written');
    const sourcetype =
      r.urls[0] === undefined
        ? r.mirrorlist !== undefined
          ? 'mirrorlist'
          : r.metalink !== undefined
            ? 'metalink'
            : undefined
        : undefined;
    if ((r.suites?.length ?? 0) > 1)
      this.loss(`${ptr}/suites`, 'a KIWI apt repository has one distribution; the first suite is written');
    const el = withAttrs(
      element('repository'),
      {
        type,
        alias,
        sourcetype,
        priority: r.priority !== undefined ? String(r.priority) : undefined,
        imageinclude: r.usage === 'build-and-image' ? 'true' : undefined,
        imageonly: r.usage === 'image-only' ? 'true' : undefined,
        distribution: r.suites?.[0],
        components: this.aptComponents(r, type, ptr),
        repository_gpgcheck: bool(r.repoGpgCheck),
        package_gpgcheck: bool(r.gpgCheck),
        username: r.username,
        password: r.password,
      },
      this.attrsOf(ext, `repository:${r.id}`),
    );
    const source = withAttrs(element('source'), { path }, this.attrsOf(ext, `source:${r.id}`));
    (r.gpgKeys ?? []).forEach((key, i) => {
      if (key.includes('-----BEGIN') || key.includes('\n')) {
        this.loss(`${ptr}/gpgKeys/${i}`, 'KIWI signing keys are URIs; an inline key is not written');
      } else if (key.startsWith('/')) {
        source.children.push(element('signing', { key: `file://${key}` }));
        this.loss(`${ptr}/gpgKeys/${i}`, `written as the URI file://${key}`);
      } else source.children.push(element('signing', { key }));
    });
    el.children.push(source);
    return el;
  }

  /** KIWI reads an apt-deb repository without components as a flat one; a suite implies main. */
  private aptComponents(r: Repository, type: string | undefined, ptr: string): string | undefined {
    if (r.components?.length) return r.components.join(' ');
    if (type !== 'apt-deb' || !r.suites?.length) return undefined;
    this.assumed(
      `${ptr}/components`,
      'main',
      'KIWI bootstraps an apt repository with a distribution only with its components',
      `${ptr}/components`,
    );
    return 'main';
  }

  private packages(body: ImageIR | ProfileOverlay, ext: KiwiScopeExtension, prefix: string): XElement[] {
    const pk = body.packages;
    const out: XElement[] = [];
    const section = (type: string, kids: XElement[]) => {
      const kept = this.kidsOf(ext, `packages:${type}`);
      const attrs = this.attrsOf(ext, `packages:${type}`);
      if (kids.length === 0 && kept.length === 0 && !attrs) return;
      out.push(withAttrs(element('packages', { type }, [...kids, ...kept]), {}, attrs));
    };
    const pkg = (type: string, name: string) =>
      withAttrs(element('package'), { name }, this.attrsOf(ext, `package:${type}:${name}`));
    const install = [...(pk?.install ?? [])];
    const typeSections: [string, XElement[]][] = [];
    for (const tp of [...(ext.typePackages ?? [])].reverse()) {
      const names = [...tp.names];
      const taken: string[] = [];
      while (names.length) {
        const name = names.pop()!;
        const at = install.map((p) => p.name).lastIndexOf(name);
        if (at >= 0) {
          install.splice(at, 1);
          taken.unshift(name);
        }
      }
      typeSections.unshift([tp.type, taken.map((n) => pkg(tp.type, n))]);
    }
    const image: XElement[] = [];
    const derivedKind = this.packageManagerName() === 'zypper' ? 'pattern' : 'group';
    (pk?.groups ?? []).forEach((g, i) => {
      if (g.kind !== undefined && g.kind !== derivedKind) {
        this.loss(
          `${prefix}/packages/groups/${i}/kind`,
          `a KIWI namedCollection is a ${derivedKind} with this package manager`,
        );
      }
    });
    for (const g of pk?.groups ?? []) {
      image.push(
        withAttrs(
          element('namedCollection'),
          { name: g.name },
          this.attrsOf(ext, `namedCollection:${g.name}`),
        ),
      );
      if (g.optional || g.nodefaults || g.exclude)
        this.loss(
          `${prefix}/packages/groups`,
          `group ${g.name}: KIWI has no optional/nodefaults/exclude for collections`,
        );
    }
    for (const p of install) {
      image.push(pkg('image', p.name));
      if (p.version || p.arch)
        this.loss(`${prefix}/packages/install`, `${p.name}: KIWI packages have no version or arch`);
    }
    for (const p of pk?.exclude ?? [])
      image.push(withAttrs(element('ignore'), { name: p.name }, this.attrsOf(ext, `ignore:${p.name}`)));
    for (const o of body.overlays ?? []) {
      if (o.kind !== 'archive' || o.source === 'root.tar.gz') continue;
      image.push(
        withAttrs(
          element('archive'),
          { name: o.source, target_dir: o.destination },
          this.attrsOf(ext, `archive:${o.source}`),
        ),
      );
    }
    for (const f of body.files ?? []) {
      if (f.source === undefined) continue;
      const owner =
        f.user !== undefined ? `${f.user}${f.group !== undefined ? `:${f.group}` : ''}` : undefined;
      image.push(
        withAttrs(
          element('file'),
          { name: f.source, target: f.path, owner, permissions: f.mode },
          this.attrsOf(ext, `file:${f.source}`),
        ),
      );
    }
    section('image', image);
    for (const [type, kids] of typeSections) section(type, kids);
    const bootstrap = (pk?.bootstrap ?? []).map((p) => pkg('bootstrap', p.name));
    for (const m of pk?.modules ?? []) {
      bootstrap.push(
        withAttrs(
          element('collectionModule'),
          {
            name: m.name,
            stream: m.stream,
            enable: m.state === 'enabled' ? 'true' : m.state === 'disabled' ? 'false' : undefined,
          },
          this.attrsOf(ext, `collectionModule:${m.name}`),
        ),
      );
      if (m.profile || m.state === 'installed')
        this.loss(`${prefix}/packages/modules`, `${m.name}: KIWI modules have no profile or installed state`);
    }
    section('bootstrap', bootstrap);
    const forced = [...(ext.forcedRemove ?? [])];
    const uninstall: XElement[] = [];
    const del: XElement[] = [];
    for (const p of pk?.remove ?? []) {
      const i = forced.indexOf(p.name);
      if (i >= 0) {
        forced.splice(i, 1);
        del.push(pkg('delete', p.name));
      } else uninstall.push(pkg('uninstall', p.name));
    }
    section('uninstall', uninstall);
    section('delete', del);
    for (const key of Object.keys(ext.children ?? {})) {
      const m = /^packages:(.+)$/.exec(key);
      if (m && !out.some((o) => o.attrs.type === m[1])) section(m[1]!, []);
    }
    return out;
  }
}

export function raiseKiwi(ir: ImageIR): Raised {
  return new Raiser(ir).raise();
}

export function jsonToElement(json: XJson): XElement {
  return fromJson(json);
}
