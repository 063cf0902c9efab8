/**
 * KIWI AST (upgraded to 8.5, includes expanded) → IR.
 *
 * Sections without `profiles=` lower into the image; a section with `profiles="a,b"`
 * lowers into the overlay of each profile it names. `arch=` filters are resolved for the
 * target architecture; elements for other architectures are kept as extension data. The
 * selected build type lowers to outputs, boot, storage and the kernel command line.
 * Whatever has no IR field goes to `extensions.kiwi` (see extension.ts).
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll, appendToField } from '../../../input/append.js';
import { emptyIr } from '../../../ir/empty.js';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import type {
  Boot,
  ContainerConfig,
  FileEntry,
  ImageIR,
  LogicalVolume,
  Output,
  Partition,
  Profile,
  ProfileOverlay,
  Repository,
  Storage,
  User,
} from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import {
  childElements,
  listAttr,
  type Pos,
  textOf,
  toJson,
  type XDocument,
  type XElement,
  type XJson,
} from '../ast.js';
import { kiwiCodes } from '../codes.js';
import {
  KIWI_EXTENSION,
  type KiwiExtension,
  type KiwiScopeExtension,
  type ObsDirective,
} from '../extension.js';
import {
  containerReference,
  DEFAULT_CONTAINER_BACKEND,
  DOCKER_FORMAT,
  formatKiwiSize,
  imageOfOutput,
  localeToIr,
  MIB,
  parseContainerReference,
  parseKiwiSize,
} from '../vocabulary.js';
import { archMatches, declaredProfiles } from './select.js';

export interface LowerContext {
  file: string;
  arch: string;
  active: string[];
  selectedType?: XElement;
  diagnostics: Diagnostic[];
  positions: PositionTable;
}

type Body = ImageIR;

/** KIWI image type → IR output type. */
export const OUTPUT_OF_IMAGE: Record<string, Output['type']> = lookupTable({
  oem: 'disk',
  iso: 'iso',
  pxe: 'pxe',
  kis: 'pxe',
  docker: 'oci',
  oci: 'oci',
  tbz: 'tar',
  cpio: 'cpio',
  wsl: 'wsl',
});

const BOOTLOADERS: Record<string, NonNullable<Boot['bootloader']>> = lookupTable({
  grub2: 'grub',
  systemd_boot: 'systemd-boot',
  zipl: 'zipl',
  custom: 'custom',
});

const REPO_TYPES: Record<string, NonNullable<Repository['type']>> = lookupTable({
  'rpm-md': 'rpm-md',
  'apt-deb': 'apt',
});

/** Accumulates which attributes and children of an element were lowered; the rest is kept. */
class Take {
  private readonly usedAttrs = new Set<string>(['profiles']);
  private readonly usedKids = new Set<XElement>();
  constructor(readonly el: XElement) {}
  attr(name: string): string | undefined {
    this.usedAttrs.add(name);
    return this.el.attrs[name];
  }
  /** the attribute, consumed only if `accept` says the writer can reproduce it */
  attrIf(name: string, accept: (v: string) => boolean): string | undefined {
    const v = this.el.attrs[name];
    if (v === undefined || !accept(v)) return undefined;
    this.usedAttrs.add(name);
    return v;
  }
  consume(name: string): void {
    this.usedAttrs.add(name);
  }
  kids(name: string): XElement[] {
    const k = childElements(this.el, name);
    for (const c of k) this.usedKids.add(c);
    return k;
  }
  kid(name: string): XElement | undefined {
    return this.kids(name)[0];
  }
  markKid(el: XElement): void {
    this.usedKids.add(el);
  }
  isUsed(el: XElement): boolean {
    return this.usedKids.has(el);
  }
  restAttrs(): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.el.attrs)) if (!this.usedAttrs.has(k)) out[k] = v;
    return Object.keys(out).length ? out : undefined;
  }
  restKids(): XJson[] {
    return childElements(this.el)
      .filter((c) => !this.usedKids.has(c))
      .map(toJson);
  }
}

interface Scope {
  name: string;
  body: Body;
  ext: KiwiScopeExtension;
  /** JSON Pointer of the body: '' for the image, /profiles/N/overlay for a profile */
  prefix: string;
  typeCount: number;
  typePackages: { type: string; names: string[]; elements: XElement[] }[];
  /** <packages type="delete"> entries, appended to packages.remove after the uninstall ones */
  forced: XElement[];
  /** registries that already have a lowered <containers> section in this scope */
  containerHosts: Set<string>;
}

export class Lowerer {
  private readonly ir = emptyIr();
  private readonly ext: KiwiExtension = {};
  private packageManager?: string;
  private archKept = 0;
  private firstOtherArch?: XElement;
  private typeLowered = false;

  constructor(
    private readonly doc: XDocument,
    private readonly ctx: LowerContext,
  ) {}

  lower(): ImageIR {
    const root = this.doc.root;
    this.packageManager = childElements(root, 'preferences')
      .flatMap((p) => childElements(p, 'packagemanager'))
      .map(textOf)
      .find(Boolean);
    this.lowerImage(root);
    this.lowerObs();
    const profiles = declaredProfiles(root);
    const known = new Set(profiles.map((p) => p.name));
    const base: Scope = this.scope('', this.ir, '');
    base.ext = this.ext;
    const scopes: Scope[] = [base];
    this.lowerProfiles(
      root,
      profiles.map((p) => p.element),
    );
    profiles.forEach((p, i) => {
      scopes.push(this.scope(p.name, emptyIr(), `/profiles/${i}/overlay`));
    });
    // A section for several profiles lowers once, into a shared profile they all require,
    // so that it applies once however many of them are active (as in KIWI).
    const declaredOf = (section: XElement) =>
      [...new Set(listAttr(section.attrs.profiles).filter((n) => known.has(n)))].sort();
    const shared = [
      ...new Set(
        childElements(root)
          .map(declaredOf)
          .filter((names) => names.length > 1)
          .map((names) => names.join(',')),
      ),
    ].sort();
    for (const name of shared) {
      scopes.push(this.scope(name, emptyIr(), `/profiles/${this.ir.profiles.length}/overlay`));
      this.ir.profiles.push({ name, overlay: {} });
      for (const member of name.split(',')) {
        const p = this.ir.profiles.find((x) => x.name === member)!;
        appendToField(p, 'requires', [name]);
      }
    }
    const scopeByName = new Map(scopes.map((s) => [s.name, s]));
    for (const section of childElements(root)) {
      if (['description', 'profiles', 'include'].includes(section.name)) continue;
      const names = listAttr(section.attrs.profiles);
      for (const n of names) {
        if (!known.has(n)) {
          this.ctx.diagnostics.push(
            diag(kiwiCodes.unknownRequiredProfile, { name: n }, this.at(section, 'profiles')),
          );
        }
      }
      const declared = declaredOf(section);
      if (names.length === 0) this.lowerSection(section, base);
      else if (declared.length === 0) this.keepSection(section, base, true);
      else this.lowerSection(section, scopeByName.get(declared.join(','))!);
    }
    for (const s of scopes) this.finishScope(s);
    this.ir.profiles.forEach((p, i) => {
      const s = scopes[i + 1]!;
      p.overlay = overlayOf(s.body);
      if (Object.keys(s.ext).length) {
        p.overlay.extensions = { [KIWI_EXTENSION]: s.ext };
      }
    });
    if (Object.keys(this.ext).length) this.ir.extensions[KIWI_EXTENSION] = this.ext;
    this.ir.activeProfiles = this.ctx.active.filter((n) => known.has(n));
    if (this.archKept > 0) {
      const at = this.firstOtherArch ? this.at(this.firstOtherArch, 'arch') : { file: this.ctx.file };
      this.ctx.diagnostics.push(
        diag(kiwiCodes.archResolved, { arch: this.ctx.arch, kept: this.archKept }, at),
      );
    }
    return this.ir;
  }

  private scope(name: string, body: Body, prefix: string): Scope {
    return {
      name,
      body,
      ext: {},
      prefix,
      typeCount: 0,
      typePackages: [],
      forced: [],
      containerHosts: new Set(),
    };
  }

  private at(el: XElement, attr?: string): { file: string; line?: number; column?: number } {
    const pos: Pos | undefined = (attr ? el.attrPos[attr] : undefined) ?? el.pos;
    return { file: el.file ?? this.ctx.file, ...pos };
  }

  private mark(ptr: string, el: XElement, attr?: string): void {
    const pos: Pos | undefined = (attr ? el.attrPos[attr] : undefined) ?? el.pos;
    if (pos) this.ctx.positions[ptr] = { file: el.file ?? this.ctx.file, line: pos.line, column: pos.column };
  }

  /** Positions of the attributes that set each present field of a lowered object. */
  private markFields(ptr: string, el: XElement, value: object, attrOf: Record<string, string>): void {
    for (const [field, attr] of Object.entries(attrOf)) {
      if ((value as Record<string, unknown>)[field] !== undefined && el.attrPos[attr])
        this.mark(`${ptr}/${field}`, el, attr);
    }
  }

  private keepAttrs(scope: KiwiScopeExtension, key: string, attrs: Record<string, string> | undefined): void {
    if (!attrs) return;
    scope.attrs ??= {};
    scope.attrs[key] = { ...(scope.attrs[key] ?? {}), ...attrs };
  }

  private keepKids(scope: KiwiScopeExtension, key: string, kids: XJson[]): void {
    if (!kids.length) return;
    scope.children ??= {};
    scope.children[key] ??= [];
    appendAll(scope.children[key], kids);
  }

  private keepRest(scope: KiwiScopeExtension, key: string, take: Take): void {
    this.keepAttrs(scope, key, take.restAttrs());
    this.keepKids(scope, key, take.restKids());
  }

  /** A section kept whole; `withProfiles` keeps its profiles= attribute (sections of undeclared profiles). */
  private keepSection(el: XElement, s: Scope, withProfiles = false): void {
    const json = toJson(el);
    if (!withProfiles && json.attrs) {
      delete json.attrs.profiles;
      if (Object.keys(json.attrs).length === 0) delete json.attrs;
    }
    s.ext.sections ??= [];
    s.ext.sections.push(json);
  }

  private keepOtherArch(el: XElement, s: Scope, wrapper?: XElement): void {
    this.archKept++;
    this.firstOtherArch ??= el;
    if (!wrapper) {
      this.keepSection(el, s);
      return;
    }
    const json: XJson = { name: wrapper.name, children: [toJson(el)] };
    const attrs = { ...wrapper.attrs };
    delete attrs.profiles;
    if (Object.keys(attrs).length) json.attrs = attrs;
    s.ext.sections ??= [];
    s.ext.sections.push(json);
  }

  private lowerImage(root: XElement): void {
    const take = new Take(root);
    const meta: NonNullable<ImageIR['metadata']> = {};
    const name = take.attr('name');
    if (name !== undefined) {
      meta.name = name;
      this.mark('/metadata/name', root, 'name');
    } else
      this.ctx.diagnostics.push(
        diag(kiwiCodes.missingRequired, { what: 'image name= attribute' }, this.at(root)),
      );
    take.consume('schemaversion');
    this.keepAttrs(this.ext, 'image', take.restAttrs());
    const description = childElements(root, 'description')[0];
    if (description) {
      const d = new Take(description);
      d.attrIf('type', (v) => v === 'system');
      const author = d.kid('author');
      const contacts = d.kids('contact');
      const spec = d.kid('specification');
      const license = d.kid('license');
      const set = (key: keyof typeof meta, el: XElement | undefined) => {
        if (el) {
          meta[key] = textOf(el) ?? '';
          this.mark(`/metadata/${key}`, el);
        }
      };
      set('author', author);
      set('contact', contacts[0]);
      set('description', spec);
      set('license', license);
      for (const extra of contacts.slice(1)) this.keepKids(this.ext, 'description', [toJson(extra)]);
      this.keepRest(this.ext, 'description', d);
    } else
      this.ctx.diagnostics.push(
        diag(kiwiCodes.missingRequired, { what: '<description> element' }, this.at(root)),
      );
    this.ir.metadata = meta;
  }

  private lowerObs(): void {
    const directives: ObsDirective[] = [];
    const visit = (text: string) => {
      const m = /^\s*(OBS-[A-Za-z0-9-]+)\s*:\s*([\s\S]*?)\s*$/.exec(text);
      if (m) directives.push({ key: m[1]!, value: m[2]! });
    };
    for (const c of this.doc.prolog) visit(c.text);
    const walk = (el: XElement) => {
      for (const c of el.children) {
        if (c.kind === 'comment') visit(c.text);
        else if (c.kind === 'element') walk(c);
      }
    };
    walk(this.doc.root);
    if (directives.length) this.ext.obs = directives;
  }

  private lowerProfiles(root: XElement, elements: XElement[]): void {
    const profilesKids = childElements(root, 'profiles');
    for (const ps of profilesKids) {
      const t = new Take(ps);
      t.kids('profile');
      this.keepRest(this.ext, 'profiles', t);
    }
    elements.forEach((el, i) => {
      const t = new Take(el);
      const p: Profile = { name: t.attr('name')!, overlay: {} };
      this.mark(`/profiles/${i}`, el);
      const description = t.attr('description');
      if (description !== undefined) p.description = description;
      if (t.attrIf('import', (v) => v === 'true' || v === 'false') === 'true') p.default = true;
      const requires: string[] = [];
      for (const r of childElements(el, 'requires')) {
        if (!archMatches(r, this.ctx.arch)) continue;
        t.markKid(r);
        if (r.attrs.profile) requires.push(r.attrs.profile);
        const rt = new Take(r);
        rt.consume('profile');
        rt.consume('arch');
        this.keepAttrs(this.ext, `requires:${p.name}:${r.attrs.profile}`, rt.restAttrs());
      }
      if (requires.length) p.requires = requires;
      this.keepRest(this.ext, `profile:${p.name}`, t);
      this.ir.profiles.push(p);
    });
  }

  private lowerSection(section: XElement, s: Scope): void {
    const archOk = archMatches(section, this.ctx.arch);
    if (!archOk) {
      this.keepOtherArch(section, s);
      return;
    }
    switch (section.name) {
      case 'preferences':
        this.lowerPreferences(section, s);
        return;
      case 'users':
        this.lowerUsers(section, s);
        return;
      case 'repository':
        this.lowerRepository(section, s);
        return;
      case 'packages':
        this.lowerPackages(section, s);
        return;
      case 'containers':
        this.lowerContainers(section, s);
        return;
      default:
        this.keepSection(section, s);
    }
  }

  /** `<containers source=registry><container path name tag/>` → image references `registry/path/name:tag`. */
  private lowerContainers(section: XElement, s: Scope): void {
    const host = section.attrs.source ?? '';
    if (!host || s.containerHosts.has(host)) {
      this.keepSection(section, s);
      return;
    }
    s.containerHosts.add(host);
    const t = new Take(section);
    t.consume('arch');
    t.consume('source');
    t.attrIf('backend', (v) => v === DEFAULT_CONTAINER_BACKEND);
    for (const c of childElements(section, 'container')) {
      if (!archMatches(c, this.ctx.arch)) {
        t.markKid(c);
        this.keepOtherArch(c, s, section);
        continue;
      }
      const ref = containerReference(host, c.attrs.path, c.attrs.name ?? '', c.attrs.tag);
      const back = parseContainerReference(ref);
      if (
        !c.attrs.name ||
        back.host !== host ||
        back.path !== (c.attrs.path || undefined) ||
        back.name !== c.attrs.name ||
        back.tag !== c.attrs.tag
      ) {
        continue;
      }
      t.markKid(c);
      const ct = new Take(c);
      for (const a of ['name', 'path', 'tag', 'arch']) ct.consume(a);
      this.mark(`${s.prefix}/containers/${s.body.containers.length}`, c, 'name');
      s.body.containers.push({ source: ref });
      this.keepRest(s.ext, `container:${ref}`, ct);
    }
    this.keepRest(s.ext, `containers:${host}`, t);
  }

  private lowerPreferences(section: XElement, s: Scope): void {
    const t = new Take(section);
    t.consume('arch');
    const b = s.body;
    const p = s.prefix;
    const typeRests = new Map<XElement, XJson>();
    for (const c of childElements(section)) {
      const text = textOf(c);
      const once = (present: boolean, apply: () => void) => {
        t.markKid(c);
        if (present) {
          this.ctx.diagnostics.push(diag(kiwiCodes.duplicateSetting, { name: c.name }, this.at(c)));
          const where = s.name ? `image/preferences[@profiles='${s.name}']` : 'image/preferences';
          this.ext.unsupported = [
            ...(this.ext.unsupported ?? []),
            { in: where, reason: 'duplicate', element: toJson(c) },
          ];
          return;
        }
        apply();
      };
      switch (c.name) {
        case 'version':
          once(b.metadata?.version !== undefined, () => {
            if (text === undefined) return;
            b.metadata = { ...(b.metadata ?? {}), version: text };
            this.mark(`${p}/metadata/version`, c);
          });
          break;
        case 'locale':
          once(b.system.locale !== undefined, () => {
            const [first, ...rest] = listAttr(text);
            if (!first) return;
            b.system.locale = localeToIr(first);
            this.mark(`${p}/system/locale`, c);
            if (rest.length) b.system.extraLocales = rest.map(localeToIr);
          });
          break;
        case 'keytable':
          once(b.system.keymap !== undefined, () => {
            if (text === undefined) return;
            b.system.keymap = text;
            this.mark(`${p}/system/keymap`, c);
          });
          break;
        case 'timezone':
          once(b.system.timezone !== undefined, () => {
            if (text === undefined) return;
            b.system.timezone = text;
            this.mark(`${p}/system/timezone`, c);
          });
          break;
        case 'release-version':
          once(b.distribution.release !== undefined, () => {
            if (text === undefined) return;
            b.distribution.release = text;
            this.mark(`${p}/distribution/release`, c);
          });
          break;
        case 'rpm-excludedocs':
          if (text === 'true' || text === 'false') {
            once(b.packages.installDocs !== undefined, () => {
              b.packages.installDocs = text === 'false';
              this.mark(`${p}/packages/installDocs`, c);
            });
          }
          break;
        case 'type':
          typeRests.set(c, this.lowerTypeElement(c, s));
          break;
        default:
          break;
      }
    }
    const kept = new Set(t.restKids().length ? childElements(section).filter((c) => !t.isUsed(c)) : []);
    const ordered = childElements(section)
      .filter((c) => typeRests.has(c) || kept.has(c))
      .map((c) => typeRests.get(c) ?? toJson(c));
    this.keepAttrs(s.ext, 'preferences', t.restAttrs());
    this.keepKids(s.ext, 'preferences', ordered);
  }

  /** The kept form of a <type>: what is left after lowering if it is the selected one, else all of it. */
  private lowerTypeElement(type: XElement, s: Scope): XJson {
    const index = s.typeCount++;
    if (type === this.ctx.selectedType && !this.typeLowered && OUTPUT_OF_IMAGE[type.attrs.image ?? '']) {
      this.typeLowered = true;
      s.ext.selectedType = index;
      return this.lowerType(type);
    }
    if (type === this.ctx.selectedType && !OUTPUT_OF_IMAGE[type.attrs.image ?? '']) {
      this.ctx.diagnostics.push(
        diag(kiwiCodes.typeNotLowered, { image: type.attrs.image ?? '' }, this.at(type, 'image')),
      );
    }
    return toJson(type);
  }

  /** Lowers the selected type into the image; returns what is left of the element. */
  private lowerType(type: XElement): XJson {
    const t = new Take(type);
    const ir = this.ir;
    const image = type.attrs.image!;
    const output: Output = { type: OUTPUT_OF_IMAGE[image]! };
    if (image === 'docker') output.format = DOCKER_FORMAT;
    t.attrIf('image', (v) => v === imageOfOutput(output));
    t.consume('primary');
    this.mark('/outputs/0', type, 'image');
    const isDisk = image === 'oem';
    const storage: Storage = { partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
    const boot: Boot = {};
    const root: Partition = { role: 'root', mountpoint: '/' };
    let rootUsed = false;

    if (isDisk) {
      const format = t.attr('format');
      if (format !== undefined) {
        output.format = format;
        this.mark('/outputs/0/format', type, 'format');
      }
    }
    const filesystem = type.attrs.filesystem;
    if (filesystem !== undefined && ['oem', 'iso', 'pxe', 'kis'].includes(image)) {
      t.consume('filesystem');
      if (isDisk) {
        root.filesystem = filesystem;
        rootUsed = true;
      } else output.filesystem = filesystem;
    }
    const simple: [string, keyof Output][] = [
      ['volid', 'volumeId'],
      ['publisher', 'publisher'],
      ['application_id', 'application'],
    ];
    for (const [attr, key] of simple) {
      const v = t.attr(attr);
      if (v !== undefined) {
        (output as Record<string, unknown>)[key] = v;
        this.mark(`/outputs/0/${key}`, type, attr);
      }
    }
    const firmware = t.attrIf('firmware', (v) => v === 'bios' || v === 'efi' || v === 'uefi');
    if (firmware) {
      boot.firmware = firmware === 'bios' ? 'bios' : 'uefi';
      if (firmware === 'uefi') boot.secureBoot = { enabled: true };
      this.mark('/boot/firmware', type, 'firmware');
    }
    const cmdline = t.attr('kernelcmdline');
    if (cmdline !== undefined) {
      ir.system.kernel.cmdline = cmdline.split(/\s+/).filter(Boolean);
      this.mark('/system/kernel/cmdline', type, 'kernelcmdline');
    }
    const luks = t.attr('luks');
    if (luks !== undefined) {
      storage.encryption = luks.startsWith('file://')
        ? { keyFile: luks.slice('file://'.length) }
        : { passphrase: luks };
      const version = t.attr('luks_version');
      if (version !== undefined) storage.encryption.type = version;
      this.mark('/storage/encryption', type, 'luks');
    }
    const table = t.attrIf('efiparttable', (v) => v === 'gpt' || v === 'msdos');
    if (table) storage.partitionTable = table === 'gpt' ? 'gpt' : 'dos';
    if (isDisk) {
      const label = t.attr('rootfs_label');
      if (label !== undefined) {
        root.fsLabel = label;
        rootUsed = true;
      }
      const create = t.attr('fscreateoptions');
      if (create !== undefined) {
        root.fsOptions = [create];
        rootUsed = true;
      }
      const mount = t.attr('fsmountoptions');
      if (mount !== undefined) {
        root.mountOptions = mount.split(',').filter(Boolean);
        rootUsed = true;
      }
    }
    const outputs: Output[] = [output];
    if (isDisk && t.attrIf('installiso', (v) => v === 'true' || v === 'false') === 'true')
      outputs.push({ type: 'installer' });

    const bootloader = childElements(type, 'bootloader')[0];
    if (bootloader) {
      const bt = new Take(bootloader);
      const name = bt.attrIf('name', (v) => v in BOOTLOADERS);
      if (name) boot.bootloader = BOOTLOADERS[name];
      const timeout = bt.attrIf('timeout', (v) => /^\d+$/.test(v));
      if (timeout !== undefined) boot.timeout = Number(timeout);
      t.markKid(bootloader);
      this.mark('/boot/bootloader', bootloader, 'name');
      this.keepRest(this.ext, 'bootloader', bt);
      if (!name) this.keepAttrs(this.ext, 'bootloader', { name: bootloader.attrs.name ?? '' });
    }
    const size = childElements(type, 'size')[0];
    if (size && isDisk && size.attrs.additive !== 'true' && size.attrs.unpartitioned === undefined) {
      const n = textOf(size);
      const unit = size.attrs.unit ?? 'M';
      if (
        n &&
        /^\d+$/.test(n) &&
        (unit === 'M' || unit === 'G') &&
        Number.isSafeInteger(Number(n) * 1024 * MIB)
      ) {
        t.markKid(size);
        const st = new Take(size);
        st.attrIf('unit', (v) => v === 'M');
        st.consume('additive');
        storage.size = { min: Number(n) * (unit === 'G' ? 1024 * MIB : MIB) };
        this.mark('/storage/size', size);
        this.keepRest(this.ext, 'size', st);
      }
    }
    if (isDisk) {
      const parts = childElements(type, 'partitions')[0];
      if (parts) {
        t.markKid(parts);
        const pt = new Take(parts);
        for (const part of pt.kids('partition')) {
          const lowered = this.lowerPartition(part, storage.partitions.length);
          if (lowered) storage.partitions.push(lowered);
          else this.keepKids(this.ext, 'partitions', [toJson(part)]);
        }
        this.keepRest(this.ext, 'partitions', pt);
      }
      const systemdisk = childElements(type, 'systemdisk')[0];
      if (systemdisk) {
        const useLvm = systemdisk.attrs.preferlvm === 'true' || filesystem !== 'btrfs';
        const sd = new Take(systemdisk);
        const volumes = childElements(systemdisk, 'volume').filter((v) => v.attrs.name);
        if (useLvm) {
          t.markKid(systemdisk);
          sd.consume('preferlvm');
          const vgName = sd.attr('name') ?? 'systemVG';
          const lvs: LogicalVolume[] = [];
          for (const v of volumes) {
            if (!archMatches(v, this.ctx.arch)) {
              this.archKept++;
              this.firstOtherArch ??= v;
              continue;
            }
            sd.markKid(v);
            lvs.push(
              this.lowerVolume(
                v,
                true,
                `/storage/volumeGroups/0/logicalVolumes/${lvs.length}`,
              ) as LogicalVolume,
            );
          }
          storage.volumeGroups.push({ name: vgName, logicalVolumes: lvs });
          this.mark('/storage/volumeGroups/0', systemdisk);
          this.keepRest(this.ext, 'systemdisk', sd);
        } else if (volumes.some((v) => archMatches(v, this.ctx.arch))) {
          t.markKid(systemdisk);
          sd.consume('preferlvm');
          root.subvolumes = [];
          for (const v of volumes) {
            if (!archMatches(v, this.ctx.arch)) {
              this.archKept++;
              this.firstOtherArch ??= v;
              continue;
            }
            sd.markKid(v);
            root.subvolumes.push(this.lowerVolume(v, false, '') as { name: string; mountpoint?: string });
          }
          rootUsed = true;
          this.keepRest(this.ext, 'systemdisk', sd);
        }
      }
      if (rootUsed) {
        storage.partitions.push(root);
        this.mark(`/storage/partitions/${storage.partitions.length - 1}`, type, 'filesystem');
      }
    }
    const cc = childElements(type, 'containerconfig')[0];
    if (cc && ['docker', 'oci', 'wsl'].includes(image)) {
      t.markKid(cc);
      output.container = this.lowerContainerConfig(cc);
      this.mark('/outputs/0/container', cc);
    }
    ir.outputs = outputs;
    if (Object.keys(boot).length) ir.boot = boot;
    if (
      storage.partitions.length ||
      storage.volumeGroups.length ||
      storage.size ||
      storage.encryption ||
      storage.partitionTable
    ) {
      ir.storage = storage;
    }
    const rest: XJson = { name: 'type' };
    const attrs = t.restAttrs();
    if (attrs) rest.attrs = attrs;
    const kids = t.restKids();
    if (kids.length) rest.children = kids;
    return rest;
  }

  private lowerPartition(el: XElement, index: number): Partition | undefined {
    const t = new Take(el);
    const name = t.attr('name');
    if (!name) return undefined;
    const part: Partition = { name };
    const bytes = parseKiwiSize(el.attrs.size);
    if (bytes !== undefined) part.size = { min: bytes };
    t.attrIf('size', (v) => bytes !== undefined && v === formatKiwiSize(bytes));
    const mount = t.attr('mountpoint');
    if (mount !== undefined) part.mountpoint = mount;
    const fs = t.attr('filesystem');
    if (fs !== undefined) part.filesystem = fs;
    const label = t.attr('label');
    if (label !== undefined) part.fsLabel = label;
    this.mark(`/storage/partitions/${index}`, el);
    this.keepRest(this.ext, `partition:${name}`, t);
    return part;
  }

  private lowerVolume(
    el: XElement,
    lvm: boolean,
    ptr: string,
  ): LogicalVolume | { name: string; mountpoint?: string } {
    const t = new Take(el);
    t.consume('arch');
    const name = t.attr('name')!;
    const out: LogicalVolume = { name };
    const mount = t.attr('mountpoint');
    if (mount !== undefined) out.mountpoint = mount;
    // KIWI mounts an LVM volume without a mountpoint at its name, from the root ("usr/lib")
    else if (lvm && !name.startsWith('@root')) out.mountpoint = mountpointOfVolumeName(name);
    if (lvm) {
      const bytes = parseKiwiSize(el.attrs.size);
      if (el.attrs.size === 'all') out.grow = true;
      else if (bytes !== undefined) out.size = { min: bytes };
      t.attrIf('size', (v) => v === 'all' || (bytes !== undefined && v === formatKiwiSize(bytes)));
      this.mark(ptr, el);
    }
    this.keepRest(this.ext, `volume:${name}`, t);
    return out;
  }

  private lowerContainerConfig(el: XElement): ContainerConfig {
    const t = new Take(el);
    const c: ContainerConfig = {};
    const pairs: [string, 'name' | 'tag' | 'maintainer' | 'user' | 'workingDir'][] = [
      ['name', 'name'],
      ['tag', 'tag'],
      ['maintainer', 'maintainer'],
      ['user', 'user'],
      ['workingdir', 'workingDir'],
    ];
    for (const [attr, key] of pairs) {
      const v = t.attr(attr);
      if (v !== undefined) c[key] = v;
    }
    const names = t.attr('additionalnames');
    if (names !== undefined) c.additionalTags = listAttr(names);
    const argv = (e: XElement) => childElements(e, 'argument').map((a) => a.attrs.name ?? '');
    const entry = childElements(el, 'entrypoint')[0];
    if (entry && entry.attrs.clear === undefined && Object.keys(entry.attrs).every((k) => k === 'execute')) {
      t.markKid(entry);
      c.entrypoint = [...(entry.attrs.execute !== undefined ? [entry.attrs.execute] : []), ...argv(entry)];
    }
    const sub = childElements(el, 'subcommand')[0];
    if (sub && sub.attrs.clear === undefined && Object.keys(sub.attrs).every((k) => k === 'execute')) {
      t.markKid(sub);
      c.cmd = [...(sub.attrs.execute !== undefined ? [sub.attrs.execute] : []), ...argv(sub)];
    }
    const expose = t.kids('expose');
    if (expose.length)
      c.exposedPorts = expose.flatMap((e) => childElements(e, 'port').map((p) => p.attrs.number ?? ''));
    const volumes = t.kids('volumes');
    if (volumes.length)
      c.volumes = volumes.flatMap((e) => childElements(e, 'volume').map((v) => v.attrs.name ?? ''));
    const envs = t.kids('environment');
    if (envs.length) {
      c.env = {};
      for (const e of envs.flatMap((x) => childElements(x, 'env')))
        c.env[e.attrs.name ?? ''] = e.attrs.value ?? '';
    }
    const labels = t.kids('labels');
    if (labels.length) {
      c.labels = {};
      for (const l of labels.flatMap((x) => childElements(x, 'label')))
        c.labels[l.attrs.name ?? ''] = l.attrs.value ?? '';
    }
    const stop = t.kid('stopsignal');
    const stopText = textOf(stop);
    if (stopText !== undefined) c.stopSignal = stopText;
    this.keepRest(this.ext, 'containerconfig', t);
    return c;
  }

  private lowerUsers(section: XElement, s: Scope): void {
    const t = new Take(section);
    t.consume('arch');
    const p = s.prefix;
    for (const u of t.kids('user')) {
      if (!archMatches(u, this.ctx.arch)) {
        this.keepOtherArch(u, s, section);
        continue;
      }
      const ut = new Take(u);
      const name = ut.attr('name') ?? '';
      const pw = ut.attr('password');
      const plain = ut.attrIf('pwdformat', (v) => v === 'plain' || v === 'encrypted') === 'plain';
      const password = pw === undefined || pw === '' ? undefined : plain ? { plain: pw } : { hash: pw };
      if (name === 'root') {
        const root: NonNullable<Body['accounts']['root']> = { sshKeys: [] };
        if (password) root.password = password;
        const shell = ut.attr('shell');
        if (shell !== undefined) root.shell = shell;
        s.body.accounts.root = root;
        this.mark(`${p}/accounts/root`, u);
      } else {
        const user: User = { name, groups: [], sshKeys: [] };
        if (password) user.password = password;
        const id = ut.attrIf('id', (v) => /^\d+$/.test(v));
        if (id !== undefined) user.uid = Number(id);
        const groups = listAttr(ut.attr('groups'));
        if (groups[0]) user.primaryGroup = groups[0];
        user.groups = groups.slice(1);
        const realname = ut.attr('realname');
        if (realname !== undefined) user.description = realname;
        const home = ut.attr('home');
        if (home !== undefined) user.home = home;
        const shell = ut.attr('shell');
        if (shell !== undefined) user.shell = shell;
        const ptr = `${p}/accounts/users/${s.body.accounts.users.length}`;
        this.mark(ptr, u);
        this.markFields(ptr, u, user, {
          name: 'name',
          uid: 'id',
          primaryGroup: 'groups',
          groups: 'groups',
          description: 'realname',
          home: 'home',
          shell: 'shell',
          password: 'password',
        });
        s.body.accounts.users.push(user);
      }
      this.keepRest(s.ext, `user:${name}`, ut);
    }
    this.keepRest(s.ext, 'users', t);
  }

  private lowerRepository(el: XElement, s: Scope): void {
    const t = new Take(el);
    t.consume('arch');
    const source = childElements(el, 'source')[0];
    const alias = t.attr('alias');
    const repos = s.body.repositories;
    let id = alias ?? `repo${repos.length + 1}`;
    if (repos.some((r) => r.id === id)) id = `${id}-${repos.length + 1}`;
    const repo: Repository = { id, urls: [] };
    if (alias !== undefined) repo.name = alias;
    const ptr = `${s.prefix}/repositories/${repos.length}`;
    this.mark(ptr, el);
    const type = t.attrIf('type', (v) => v in REPO_TYPES);
    if (type) repo.type = REPO_TYPES[type];
    const sourcetype = t.attrIf('sourcetype', (v) => ['baseurl', 'mirrorlist', 'metalink'].includes(v));
    if (source) {
      t.markKid(source);
      const st = new Take(source);
      const path = st.attr('path') ?? '';
      if (sourcetype === 'mirrorlist') repo.mirrorlist = path;
      else if (sourcetype === 'metalink') repo.metalink = path;
      else repo.urls = [path];
      this.mark(`${ptr}/urls/0`, source, 'path');
      const keys = st.kids('signing').map((k) => k.attrs.key ?? '');
      if (keys.length) repo.gpgKeys = keys;
      this.keepRest(s.ext, `source:${id}`, st);
    }
    const bool = (name: string) => t.attrIf(name, (v) => v === 'true' || v === 'false');
    const imageinclude = bool('imageinclude');
    const imageonly = bool('imageonly');
    repo.usage =
      imageonly === 'true' ? 'image-only' : imageinclude === 'true' ? 'build-and-image' : 'build-only';
    if (imageonly === 'true' && imageinclude === 'true') {
      this.keepAttrs(s.ext, `repository:${id}`, { imageinclude: 'true' });
    }
    const components = t.attr('components');
    if (components !== undefined) repo.components = components.split(/\s+/).filter(Boolean);
    const distribution = t.attr('distribution');
    if (distribution !== undefined) repo.suites = [distribution];
    const gpg = bool('package_gpgcheck');
    if (gpg) repo.gpgCheck = gpg === 'true';
    const repoGpg = bool('repository_gpgcheck');
    if (repoGpg) repo.repoGpgCheck = repoGpg === 'true';
    const priority = t.attrIf('priority', (v) => /^-?\d+$/.test(v));
    if (priority !== undefined) repo.priority = Number(priority);
    const username = t.attr('username');
    if (username !== undefined) repo.username = username;
    const password = t.attr('password');
    if (password !== undefined) repo.password = password;
    this.markFields(ptr, el, repo, {
      name: 'alias',
      type: 'type',
      usage: el.attrs.imageonly !== undefined ? 'imageonly' : 'imageinclude',
      components: 'components',
      suites: 'distribution',
      gpgCheck: 'package_gpgcheck',
      repoGpgCheck: 'repository_gpgcheck',
      priority: 'priority',
      username: 'username',
      password: 'password',
    });
    this.keepRest(s.ext, `repository:${id}`, t);
    repos.push(repo);
  }

  private lowerPackages(section: XElement, s: Scope): void {
    const t = new Take(section);
    const type = t.attr('type') ?? '';
    const b = s.body;
    const p = s.prefix;
    const selectedImage = this.ctx.selectedType?.attrs.image;
    const isTypeSection = type in OUTPUT_OF_IMAGE || ['appx', 'enclave', 'kis'].includes(type);
    if (isTypeSection && type !== selectedImage) {
      this.keepSection(section, s);
      return;
    }
    if (!['image', 'bootstrap', 'uninstall', 'delete'].includes(type) && !isTypeSection) {
      this.keepSection(section, s);
      return;
    }
    if (childElements(section).length === 0) {
      this.keepSection(section, s);
      return;
    }
    const key = `packages:${type}`;
    for (const c of childElements(section)) {
      if (
        c.name !== 'package' &&
        c.name !== 'namedCollection' &&
        c.name !== 'ignore' &&
        c.name !== 'archive' &&
        c.name !== 'file' &&
        c.name !== 'collectionModule'
      )
        continue;
      if (!archMatches(c, this.ctx.arch)) {
        t.markKid(c);
        this.keepOtherArch(c, s, section);
        continue;
      }
      const ct = new Take(c);
      ct.consume('arch');
      const name = c.attrs.name;
      if (name === undefined) continue;
      if (c.name === 'package') {
        t.markKid(c);
        ct.consume('name');
        const ref = { name };
        if (type === 'image') {
          this.mark(`${p}/packages/install/${b.packages.install.length}`, c, 'name');
          b.packages.install.push(ref);
        } else if (type === 'bootstrap') {
          this.mark(`${p}/packages/bootstrap/${b.packages.bootstrap.length}`, c, 'name');
          b.packages.bootstrap.push(ref);
        } else if (type === 'uninstall') {
          this.mark(`${p}/packages/remove/${b.packages.remove.length}`, c, 'name');
          b.packages.remove.push(ref);
        } else if (type === 'delete') {
          s.forced.push(c);
        } else {
          let entry = s.typePackages.find((x) => x.type === type);
          if (!entry) {
            entry = { type, names: [], elements: [] };
            s.typePackages.push(entry);
          }
          entry.names.push(name);
          entry.elements.push(c);
        }
        this.keepRest(s.ext, `package:${type}:${name}`, ct);
      } else if (type === 'image' && c.name === 'namedCollection') {
        t.markKid(c);
        ct.consume('name');
        this.mark(`${p}/packages/groups/${b.packages.groups.length}`, c, 'name');
        b.packages.groups.push({ name, kind: this.packageManager === 'zypper' ? 'pattern' : 'group' });
        this.keepRest(s.ext, `namedCollection:${name}`, ct);
      } else if (type === 'image' && c.name === 'ignore') {
        t.markKid(c);
        ct.consume('name');
        this.mark(`${p}/packages/exclude/${b.packages.exclude.length}`, c, 'name');
        b.packages.exclude.push({ name });
        this.keepRest(s.ext, `ignore:${name}`, ct);
      } else if (type === 'image' && c.name === 'archive') {
        t.markKid(c);
        ct.consume('name');
        this.mark(`${p}/overlays/${b.overlays.length}`, c, 'name');
        const target = ct.attr('target_dir');
        b.overlays.push({
          source: name,
          kind: 'archive',
          ...(target !== undefined ? { destination: target } : {}),
        });
        this.keepRest(s.ext, `archive:${name}`, ct);
      } else if (type === 'image' && c.name === 'file') {
        t.markKid(c);
        ct.consume('name');
        b.files.push(this.lowerFile(c, ct, `${p}/files/${b.files.length}`));
        this.keepRest(s.ext, `file:${name}`, ct);
      } else if (type === 'bootstrap' && c.name === 'collectionModule') {
        t.markKid(c);
        ct.consume('name');
        const stream = ct.attr('stream');
        const enable = ct.attrIf('enable', (v) => v === 'true' || v === 'false');
        this.mark(`${p}/packages/modules/${b.packages.modules.length}`, c, 'name');
        b.packages.modules.push({
          name,
          ...(stream !== undefined ? { stream } : {}),
          ...(enable !== undefined
            ? { state: enable === 'true' ? ('enabled' as const) : ('disabled' as const) }
            : {}),
        });
        this.keepRest(s.ext, `collectionModule:${name}`, ct);
      }
    }
    this.keepRest(s.ext, key, t);
  }

  private lowerFile(el: XElement, t: Take, ptr: string): FileEntry {
    const name = el.attrs.name!;
    const target = t.attr('target');
    const file: FileEntry = { path: target ?? name, source: name };
    const mode = t.attrIf('permissions', (v) => /^0?[0-7]{3,4}$/.test(v));
    if (mode !== undefined) file.mode = mode;
    const owner = t.attrIf('owner', (v) => /^[^:]+(:[^:]+)?$/.test(v));
    if (owner !== undefined) {
      const [user, group] = owner.split(':');
      file.user = user!;
      if (group !== undefined) file.group = group;
    }
    this.mark(ptr, el, 'name');
    return file;
  }

  private finishScope(s: Scope): void {
    for (const el of s.forced) {
      this.mark(`${s.prefix}/packages/remove/${s.body.packages.remove.length}`, el, 'name');
      s.body.packages.remove.push({ name: el.attrs.name! });
      s.ext.forcedRemove ??= [];
      s.ext.forcedRemove.push(el.attrs.name!);
    }
    for (const entry of s.typePackages) {
      entry.elements.forEach((el, i) => {
        this.mark(`${s.prefix}/packages/install/${s.body.packages.install.length}`, el, 'name');
        s.body.packages.install.push({ name: entry.names[i]! });
      });
      s.ext.typePackages ??= [];
      s.ext.typePackages.push({ type: entry.type, names: entry.names });
    }
  }
}

/** The non-empty parts of a lowered profile body, as a profile overlay. */
function overlayOf(body: Body): ProfileOverlay {
  const empty = emptyIr();
  const out: ProfileOverlay = {};
  for (const key of Object.keys(body) as (keyof Body)[]) {
    if (key === 'irVersion' || key === 'profiles' || key === 'activeProfiles' || key === 'extensions')
      continue;
    const value = body[key];
    if (value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(empty[key])) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function pointerKey(token: string): string {
  return escapeToken(token);
}

/** The mount point KIWI gives an LVM volume that names none: its name, taken from the root. */
export function mountpointOfVolumeName(name: string): string {
  return `/${name.trim().replace(/^\/+/, '')}`;
}
