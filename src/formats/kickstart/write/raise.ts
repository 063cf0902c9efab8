/**
 * IR → kickstart lines for one version. Every command and section header is checked against
 * that version's table: options it does not have are left out with a warning, version-specific
 * spellings are chosen (timesource vs. --ntpservers, --inst-langs vs. --instLangs).
 */
import { resolve } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readInputTextSync } from '../../../input/bounded.js';
import { type PositionTable, positionOf } from '../../../ir/positions.js';
import type { ImageIR, Partition, Script } from '../../../ir/schema.js';
import { scriptForTarget } from '../../shared/script-env.js';
import { kickstartCodes } from '../codes.js';
import { EXTENSION_KEY, type KickstartExtension, OPTION_POINTERS } from '../extension.js';
import { quoteWord } from '../lexer.js';
import {
  commandStatus,
  hasOption,
  type KsVersion,
  parseArgs,
  sectionNames,
  sectionSpec,
} from '../versions.js';
import { moduleText } from '../vocabulary.js';

const MIB = 1024 * 1024;
const TARGET = 'kickstart';

export interface RaiseOptions {
  version: KsVersion;
  positions?: PositionTable;
  sourceDir?: string;
}

/** A command or section header as words: the name, then `--opt=value`, `--flag` or positionals. */
type Words = string[];

export class KickstartRaiser {
  readonly lines: string[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly ext: KickstartExtension;

  constructor(
    private readonly ir: ImageIR,
    private readonly opts: RaiseOptions,
  ) {
    this.ext = (ir.extensions[EXTENSION_KEY] as KickstartExtension | undefined) ?? {};
  }

  raise(): string[] {
    this.lines.push(`#version=${this.opts.version}`);
    this.repositories();
    this.system();
    this.accounts();
    this.storage();
    this.modules();
    this.ostreePayload();
    for (const c of this.ext.commands ?? [])
      this.command(c.name, c.args, `/extensions/${EXTENSION_KEY}/commands`);
    this.packages();
    this.ir.scripts.forEach((s, i) => {
      this.script(s, i);
    });
    for (const s of this.ext.sections ?? []) this.rawSection(s.name, s.args, s.body);
    return this.lines;
  }

  /** An ostree-disk output is ostreesetup, a bootc-oci output with a URL ostreecontainer (decision 0112). */
  private ostreePayload(): void {
    this.ir.outputs.forEach((o, i) => {
      const ptr = `/outputs/${i}`;
      const s = o.ostree ?? {};
      const opt = (name: string, value: string | undefined) =>
        value === undefined ? [] : [`${name}=${value}`];
      if (o.type === 'ostree-disk' && s.osName && s.url && s.ref) {
        const args = [
          ...opt('--osname', s.osName),
          ...opt('--remote', s.remote),
          ...opt('--url', s.url),
          ...opt('--ref', s.ref),
        ];
        this.command('ostreesetup', [...args, ...this.extra(ptr)], ptr);
      } else if (o.type === 'bootc-oci' && s.url) {
        const args = [...opt('--stateroot', s.osName), ...opt('--remote', s.remote), ...opt('--url', s.url)];
        this.command('ostreecontainer', [...args, ...this.extra(ptr)], ptr);
      } else {
        const needs =
          o.type === 'ostree-disk'
            ? 'ostreesetup needs an OS name, a URL and a ref'
            : o.type === 'bootc-oci'
              ? 'ostreecontainer needs the URL of the container image'
              : 'a kickstart installs a system; it names no artefact to produce';
        this.loss(ptr, `the ${o.type} output is not written: ${needs}`);
      }
    });
  }

  private extra(pointer: string): string[] {
    return this.ext.options?.[pointer] ?? [];
  }

  private loss(pointer: string, detail: string): void {
    const at = this.opts.positions ? positionOf(this.opts.positions, pointer) : undefined;
    this.diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: TARGET, detail }, at, { pointer }),
    );
  }

  /** Something the target version lacks: a loss at the IR pointer it came from. */
  private missing(what: string, pointer: string): void {
    this.loss(pointer, `${what} does not exist in kickstart ${this.opts.version}; not written`);
  }

  /** Writes one command line if the version has the command; drops options it lacks. */
  private command(name: string, args: Words, pointer: string): void {
    const status = commandStatus(this.opts.version, name);
    if (status.status !== 'ok') {
      this.missing(`the ${name} command`, pointer);
      return;
    }
    const kept = this.filterOptions(name, status.spec, args, pointer);
    this.lines.push([name, ...kept.map(renderWord)].join(' '));
  }

  private filterOptions(
    name: string,
    spec: Parameters<typeof parseArgs>[0],
    args: Words,
    pointer: string,
  ): Words {
    const words = args.map((value, i) => ({ value, raw: value, column: i + 1 }));
    const { problems } = parseArgs(spec, words);
    const drop = new Set<number>();
    for (const p of problems) {
      if (p.kind === 'unknown-option' || p.kind === 'ambiguous-option') {
        drop.add(p.word.column - 1);
        this.missing(`${name} ${p.option}`, pointer);
      }
    }
    return args.filter((_, i) => !drop.has(i));
  }

  private header(name: string, args: Words, pointer: string): boolean {
    const spec = sectionSpec(this.opts.version, name);
    if (spec === undefined) {
      this.missing(`the ${name} section`, pointer);
      return false;
    }
    const kept = spec === null ? args : this.filterOptions(name, spec, args, pointer);
    this.lines.push('', [name, ...kept.map(renderWord)].join(' '));
    return true;
  }

  private repositories(): void {
    this.ir.repositories.forEach((repo, i) => {
      const ptr = `/repositories/${i}`;
      const words: Words = [];
      const isUrl = repo.id === this.ext.installSource;
      if (!isUrl) words.push(`--name=${repo.id}`);
      if (repo.urls.length > 0) words.push(`${isUrl ? '--url' : '--baseurl'}=${repo.urls[0]}`);
      if (repo.urls.length > 1)
        this.loss(`${ptr}/urls`, 'kickstart takes one base URL per repository; the first is written');
      if (repo.mirrorlist !== undefined) words.push(`--mirrorlist=${repo.mirrorlist}`);
      if (repo.metalink !== undefined) words.push(`--metalink=${repo.metalink}`);
      if (!isUrl) {
        if (repo.cost !== undefined) words.push(`--cost=${repo.cost}`);
        if (repo.includePackages?.length) words.push(`--includepkgs=${repo.includePackages.join(',')}`);
        if (repo.excludePackages?.length) words.push(`--excludepkgs=${repo.excludePackages.join(',')}`);
      }
      if (repo.proxy !== undefined) words.push(`--proxy=${repo.proxy}`);
      if (repo.sslVerify === false) words.push('--noverifyssl');
      if (!isUrl && repo.usage !== 'build-only') words.push('--install');
      if (repo.usage === 'image-only')
        this.loss(
          `${ptr}/usage`,
          'kickstart repositories are always used to install; written with --install',
        );
      if (repo.sslVerify === true)
        this.loss(`${ptr}/sslVerify`, 'SSL verification is the kickstart default; not written explicitly');
      this.command(isUrl ? 'url' : 'repo', [...words, ...this.extra(ptr)], ptr);
    });
  }

  private system(): void {
    const sys = this.ir.system;
    if (sys.locale !== undefined) {
      const words: Words = [sys.locale];
      if (sys.extraLocales?.length) words.push(`--addsupport=${sys.extraLocales.join(',')}`);
      this.command('lang', [...words, ...this.extra(OPTION_POINTERS.lang)], '/system/locale');
    } else if (sys.extraLocales?.length) this.loss('/system/extraLocales', 'lang needs a primary locale');
    if (sys.keymap !== undefined) {
      const form =
        this.ext.refs?.[OPTION_POINTERS.keyboard] === '--vckeymap' ? `--vckeymap=${sys.keymap}` : sys.keymap;
      this.command('keyboard', [form, ...this.extra(OPTION_POINTERS.keyboard)], '/system/keymap');
    }
    this.time();
    if (sys.hostname !== undefined)
      this.command('network', [`--hostname=${sys.hostname}`], '/system/hostname');
    if (sys.firewall) {
      const fw = sys.firewall;
      const words: Words = [];
      if (fw.enabled === true) words.push('--enabled');
      if (fw.enabled === false) words.push('--disabled');
      if (fw.services.enable.length) words.push(`--service=${fw.services.enable.join(',')}`);
      if (fw.services.disable.length) words.push(`--remove-service=${fw.services.disable.join(',')}`);
      if (fw.ports.length) words.push(`--port=${fw.ports.map((p) => p.replace('/', ':')).join(',')}`);
      if (fw.trust?.length) words.push(`--trust=${fw.trust.join(',')}`);
      if (fw.zones.length) this.loss('/system/firewall/zones', 'kickstart has no firewall zones');
      this.command('firewall', [...words, ...this.extra(OPTION_POINTERS.firewall)], '/system/firewall');
    }
    if (sys.selinux !== undefined) {
      this.command(
        'selinux',
        [`--${sys.selinux}`, ...this.extra(OPTION_POINTERS.selinux)],
        '/system/selinux',
      );
    }
    const services = sys.services;
    if (services.enable.length || services.disable.length) {
      const words: Words = [];
      if (services.enable.length) words.push(`--enabled=${services.enable.join(',')}`);
      if (services.disable.length) words.push(`--disabled=${services.disable.join(',')}`);
      this.command('services', [...words, ...this.extra(OPTION_POINTERS.services)], '/system/services');
    }
    if (services.mask.length)
      this.loss('/system/services/mask', 'kickstart cannot mask units; use a %post script');
    const boot = this.ir.boot;
    const bootExtra = this.ext.options?.[OPTION_POINTERS.bootloader];
    const sdboot = boot?.bootloader === 'systemd-boot';
    const grub = boot?.bootloader === 'grub';
    if (sys.kernel.cmdline.length || boot?.timeout !== undefined || sdboot || grub || bootExtra) {
      const words: Words = [];
      if (sys.kernel.cmdline.length) words.push(`--append=${sys.kernel.cmdline.join(' ')}`);
      if (boot?.timeout !== undefined) words.push(`--timeout=${boot.timeout}`);
      if (sdboot) words.push('--sdboot');
      this.command('bootloader', [...words, ...(bootExtra ?? [])], '/boot');
    }
    if (boot?.bootloader !== undefined && boot.bootloader !== 'grub' && !sdboot) {
      this.loss('/boot/bootloader', `kickstart chooses grub or systemd-boot only, not ${boot.bootloader}`);
    }
  }

  private time(): void {
    const sys = this.ir.system;
    const useTimesource = commandStatus(this.opts.version, 'timesource').status === 'ok';
    const tz: Words = [];
    if (sys.timezone !== undefined) tz.push(sys.timezone);
    if (sys.utc) tz.push('--utc');
    if (!useTimesource) {
      if (sys.ntpServers?.length) tz.push(`--ntpservers=${sys.ntpServers.join(',')}`);
      if (this.ext.ntpDisabled) tz.push('--nontp');
    }
    if (sys.timezone !== undefined)
      this.command('timezone', [...tz, ...this.extra(OPTION_POINTERS.timezone)], '/system/timezone');
    else if (tz.length > 0) this.loss('/system/timezone', 'timezone options need a time zone');
    if (useTimesource) {
      for (const server of sys.ntpServers ?? [])
        this.command('timesource', [`--ntp-server=${server}`], '/system/ntpServers');
      if (this.ext.ntpDisabled) this.command('timesource', ['--ntp-disable'], '/system/ntpServers');
    }
  }

  private accounts(): void {
    const { root, users, groups } = this.ir.accounts;
    if (root) {
      const words = passwordWords(root.password, 'positional');
      const extra = this.extra(OPTION_POINTERS.root);
      if (words.length || extra.length) this.command('rootpw', [...words, ...extra], '/accounts/root');
      if (root.password?.empty || root.password?.forceChange)
        this.loss('/accounts/root/password', 'kickstart cannot express empty or expiring root passwords');
      for (const key of root.sshKeys)
        this.command('sshkey', ['--username=root', key], '/accounts/root/sshKeys');
    }
    groups.forEach((g, i) => {
      const words: Words = [`--name=${g.name}`];
      if (g.gid !== undefined) words.push(`--gid=${g.gid}`);
      this.command('group', [...words, ...this.extra(`/accounts/groups/${i}`)], `/accounts/groups/${i}`);
    });
    users.forEach((u, i) => {
      const ptr = `/accounts/users/${i}`;
      const words: Words = [`--name=${u.name}`];
      if (u.groups.length) words.push(`--groups=${u.groups.join(',')}`);
      if (u.uid !== undefined) words.push(`--uid=${u.uid}`);
      if (u.gid !== undefined) words.push(`--gid=${u.gid}`);
      if (u.description !== undefined) words.push(`--gecos=${u.description}`);
      if (u.home !== undefined) words.push(`--homedir=${u.home}`);
      if (u.shell !== undefined) words.push(`--shell=${u.shell}`);
      appendAll(words, passwordWords(u.password, 'option'));
      this.command('user', [...words, ...this.extra(ptr)], ptr);
      for (const key of u.sshKeys) this.command('sshkey', [`--username=${u.name}`, key], `${ptr}/sshKeys`);
    });
  }

  private storage(): void {
    const st = this.ir.storage;
    if (!st) return;
    const clear = st.clear ?? {};
    if (clear.zeroMbr) this.command('zerombr', [], '/storage/clear/zeroMbr');
    const clearExtra = this.ext.options?.[OPTION_POINTERS.clearpart];
    const clearWords: Words = [];
    if (clear.scope && clear.scope !== 'list') clearWords.push(`--${clear.scope}`);
    if (clear.initLabel) clearWords.push('--initlabel');
    if (clear.drives?.length) clearWords.push(`--drives=${clear.drives.join(',')}`);
    if (st.partitionTable) clearWords.push(`--disklabel=${st.partitionTable === 'gpt' ? 'gpt' : 'msdos'}`);
    if (clearWords.length || clearExtra)
      this.command('clearpart', [...clearWords, ...(clearExtra ?? [])], '/storage/clear');
    if (st.mode === 'auto' || st.mode === 'auto-lvm' || st.mode === 'btrfs') {
      const words: Words = [];
      if (st.mode === 'auto-lvm') words.push('--type=lvm');
      if (st.mode === 'btrfs') words.push('--type=btrfs');
      appendAll(words, encryptionWords(st.encryption));
      this.command('autopart', [...words, ...this.extra(OPTION_POINTERS.autopart)], '/storage/mode');
    } else if (st.encryption) {
      this.loss(
        '/storage/encryption',
        'kickstart encrypts partitions or volumes one by one (--encrypted); whole-disk encryption only with autopart',
      );
    }
    if (st.mode === 'lvm' || st.mode === 'raw') {
      this.loss(
        '/storage/mode',
        `kickstart has no "${st.mode}" layout mode; the partitions are written as given`,
      );
    }
    const refs = this.partitionRefs();
    st.partitions.forEach((p, i) => {
      const ptr = `/storage/partitions/${i}`;
      const ref = refs[i]!;
      const words: Words = [ref];
      if (p.filesystem !== undefined && !(ref === 'swap' && p.filesystem === 'swap')) {
        words.push(`--fstype=${p.role === 'esp' && p.filesystem === 'vfat' ? 'efi' : p.filesystem}`);
      }
      appendAll(words, this.sizeWords(p, ptr));
      appendAll(words, fsWords(p.subvolumes ? { ...p, fsLabel: undefined } : p));
      if (p.onDisk !== undefined) words.push(`--ondisk=${p.onDisk}`);
      appendAll(words, encryptionWords(p.encryption));
      if (p.typeUuid || p.uuid || p.name)
        this.loss(ptr, 'kickstart cannot set partition type, UUID or GPT name');
      if (p.role && !KICKSTART_ROLES.has(p.role))
        this.loss(`${ptr}/role`, `kickstart has no "${p.role}" partition`);
      if (p.role === 'data' && !p.mountpoint)
        this.loss(`${ptr}/role`, 'a data partition needs a mount point in kickstart');
      this.command('part', [...words, ...this.extra(ptr)], ptr);
    });
    st.partitions.forEach((p, i) => {
      if (p.subvolumes) this.btrfsVolume(p, i, refs[i]!);
    });
    const newPv = pvNamer(refs);
    st.volumeGroups.forEach((vg, i) => {
      const ptr = `/storage/volumeGroups/${i}`;
      let pvs = vg.physicalVolumes?.length
        ? vg.physicalVolumes
        : st.partitions.map((p, j) => (p.volumeGroup === vg.name ? refs[j]! : '')).filter((r) => r !== '');
      const extra = this.extra(ptr);
      if (pvs.length === 0 && !extra.some((w) => REUSE_OPTIONS.has(optionName(w)))) {
        pvs = [this.synthesizedPv(newPv(), vg.name, ptr)];
      }
      const words: Words = [vg.name, ...pvs];
      if (vg.extentSize !== undefined) words.push(`--pesize=${Math.round(vg.extentSize / 1024)}`);
      this.command('volgroup', [...words, ...extra], ptr);
      const lvName = lvNamer();
      vg.logicalVolumes.forEach((lv, j) => {
        const lptr = `${ptr}/logicalVolumes/${j}`;
        const name = lvName(lv.name);
        if (name !== lv.name)
          this.loss(
            `${lptr}/name`,
            `an LVM name takes only letters, digits and + _ . - (not starting with -); logical volume "${lv.name}" is written as "${name}"`,
          );
        const ref =
          this.ext.refs?.[lptr] ??
          this.absoluteMountpoint(lv.mountpoint, `${lptr}/mountpoint`) ??
          (lv.filesystem === 'swap' ? 'swap' : 'none');
        const words: Words = [ref, `--vgname=${vg.name}`, `--name=${name}`];
        if (lv.filesystem !== undefined && !(ref === 'swap' && lv.filesystem === 'swap'))
          words.push(`--fstype=${lv.filesystem}`);
        if (lv.fsLabel !== undefined) words.push(`--label=${lv.fsLabel}`);
        const lvExtra = this.extra(lptr);
        appendAll(words, this.sizeWords(lv, lptr));
        if (lv.size?.min === undefined && !lvExtra.some((w) => SIZE_GIVING_OPTIONS.has(optionName(w))))
          appendAll(words, this.assumedLvSize(lv, lptr));
        appendAll(words, encryptionWords(lv.encryption));
        this.command('logvol', [...words, ...lvExtra], lptr);
      });
    });
    st.raid.forEach((r, i) => {
      const ptr = `/storage/raid/${i}`;
      const ref = this.ext.refs?.[ptr] ?? r.mountpoint ?? (r.filesystem === 'swap' ? 'swap' : 'none');
      const words: Words = [ref, `--device=${r.name}`];
      if (r.level !== '') words.push(`--level=${r.level.toUpperCase()}`);
      if (r.filesystem !== undefined && !(ref === 'swap' && r.filesystem === 'swap'))
        words.push(`--fstype=${r.filesystem}`);
      appendAll(words, encryptionWords(r.encryption));
      appendAll(words, r.members);
      this.command('raid', [...words, ...this.extra(ptr)], ptr);
    });
  }

  /**
   * A volume group the source gives no physical volume (KIWI's systemdisk is one group over
   * the disk's remaining space): one partition that takes the free space is written for it.
   */
  private synthesizedPv(ref: string, vg: string, ptr: string): string {
    this.command('part', [ref, '--size=1', '--grow'], ptr);
    this.assumed(
      `${ptr}/physicalVolumes`,
      ref,
      `kickstart needs a physical volume for volume group ${vg}; written as "part ${ref} --size=1 --grow", a partition over the free space`,
    );
    return ref;
  }

  /**
   * Kickstart needs a size on every logical volume. A volume marked to grow takes the free
   * space from 1 MiB up (KIWI's size="all"); one without any size is left to the builder in the
   * source (KIWI sizes it by its contents), which kickstart can only approach by growing too.
   */
  private assumedLvSize(lv: { grow?: boolean; name: string }, ptr: string): Words {
    this.assumed(
      `${ptr}/size`,
      '--size=1 --grow',
      lv.grow
        ? `logical volume ${lv.name} takes the free space; kickstart needs a minimum size`
        : `the source gives logical volume ${lv.name} no size; kickstart needs one, so it shares the free space`,
    );
    return lv.grow ? ['--size=1'] : ['--size=1', '--grow'];
  }

  private assumed(field: string, value: string, from: string): void {
    const at = this.opts.positions ? positionOf(this.opts.positions, field) : undefined;
    this.diagnostics.push(
      diag(translateCodes.assumedDefault, { field, value, from }, at, { pointer: field }),
    );
  }

  /** Kickstart mount points are absolute; a relative one (KIWI's "etc") is taken from the root. */
  private absoluteMountpoint(mountpoint: string | undefined, ptr: string): string | undefined {
    if (mountpoint === undefined || mountpoint.startsWith('/') || mountpoint === 'swap') return mountpoint;
    const absolute = `/${mountpoint.replace(/^\.\//, '')}`;
    this.loss(ptr, `the relative mount point "${mountpoint}" is written as ${absolute}, from the image root`);
    return absolute;
  }

  /** A btrfs volume over one partition, then its subvolumes (parent named by label). */
  private btrfsVolume(p: Partition, index: number, ref: string): void {
    const ptr = `/storage/partitions/${index}`;
    const label = p.fsLabel ?? `btrfs${index}`;
    this.command('btrfs', [p.mountpoint ?? 'none', `--label=${label}`, ref], `${ptr}/subvolumes`);
    (p.subvolumes ?? []).forEach((sv, j) => {
      const svPtr = `${ptr}/subvolumes/${j}`;
      if (sv.options?.length) this.loss(`${svPtr}/options`, 'kickstart subvolumes take no mount options');
      const parent = this.ext.refs?.[svPtr] ?? `LABEL=${label}`;
      this.command('btrfs', [sv.mountpoint ?? 'none', '--subvol', `--name=${sv.name}`, parent], svPtr);
    });
  }

  /** Kickstart names of the partitions: a mount point, swap, or a kept/generated pv.NN, raid.NN. */
  private partitionRefs(): string[] {
    const st = this.ir.storage!;
    const counters = { pv: 0, raid: 0, btrfs: 0 };
    return st.partitions.map((p, i) => {
      const kept = this.ext.refs?.[`/storage/partitions/${i}`];
      if (kept) return kept;
      if (p.subvolumes) return `btrfs.${String(++counters.btrfs).padStart(2, '0')}`;
      if (p.mountpoint) return p.mountpoint;
      if (p.filesystem === 'swap' || p.role === 'swap') return 'swap';
      if (p.role && MOUNTPOINT_BY_ROLE[p.role]) return MOUNTPOINT_BY_ROLE[p.role]!;
      if (p.role === 'bios-boot') return 'biosboot';
      if (p.role === 'prep') return 'prepboot';
      if (p.role === 'lvm' || p.volumeGroup) return `pv.${String(++counters.pv).padStart(2, '0')}`;
      if (p.role === 'raid' || p.raid) return `raid.${String(++counters.raid).padStart(2, '0')}`;
      return 'none';
    });
  }

  private sizeWords(item: { size?: { min?: number; max?: number }; grow?: boolean }, ptr: string): Words {
    const words: Words = [];
    const mib = (bytes: number, field: string) => {
      if (bytes % MIB !== 0) this.loss(`${ptr}/size/${field}`, 'kickstart sizes are whole MiB; rounded up');
      return Math.ceil(bytes / MIB);
    };
    if (item.size?.min !== undefined) words.push(`--size=${mib(item.size.min, 'min')}`);
    if (item.size?.max !== undefined) words.push(`--maxsize=${mib(item.size.max, 'max')}`);
    if (item.grow) words.push('--grow');
    return words;
  }

  private modules(): void {
    this.ir.packages.modules.forEach((m, i) => {
      if (m.state === 'installed' && m.stream !== undefined) return;
      const words: Words = [`--name=${m.name}`];
      if (m.stream !== undefined) words.push(`--stream=${m.stream}`);
      if (m.state === 'disabled') words.push('--disable');
      if (m.profile !== undefined)
        this.loss(`/packages/modules/${i}/profile`, 'the module command has no profile');
      if (m.state === 'installed') {
        this.loss(
          `/packages/modules/${i}/state`,
          'a module is installed from %packages only with a stream; written as enabled',
        );
      }
      this.command('module', words, `/packages/modules/${i}`);
    });
  }

  private packages(): void {
    const pk = this.ir.packages;
    const v = this.opts.version;
    const header: Words = [];
    if (pk.installDocs === false) header.push('--excludedocs');
    if (pk.core === false) header.push('--nocore');
    if (pk.multilib) header.push('--multilib');
    if (pk.installWeakDeps === false) {
      header.push(
        hasOption(v, '%packages', '--exclude-weakdeps') ? '--exclude-weakdeps' : '--excludeWeakdeps',
      );
    }
    if (pk.languages) {
      const value = pk.languages.length === 1 && pk.languages[0] === 'none' ? '' : pk.languages.join(':');
      header.push(`${hasOption(v, '%packages', '--inst-langs') ? '--inst-langs' : '--instLangs'}=${value}`);
    }
    for (const [field, value] of [
      ['installDocs', pk.installDocs === true],
      ['installWeakDeps', pk.installWeakDeps === true],
      ['core', pk.core === true],
      ['multilib', pk.multilib === false],
    ] as const) {
      if (value) this.loss(`/packages/${field}`, 'this is the kickstart default; not written explicitly');
    }
    const extra = this.ext.options?.[OPTION_POINTERS.packages];
    const body: string[] = [];
    const environments = pk.groups.filter((g) => g.kind === 'environment' && !g.exclude);
    if (environments.length > 1)
      this.loss('/packages/groups', 'kickstart installs one environment; the last is kept');
    for (const g of environments) body.push(`@^${g.name}`);
    for (const g of pk.groups.filter((x) => x.exclude)) body.push(`-@${g.name}`);
    pk.groups.forEach((g, i) => {
      if (g.kind === 'pattern')
        this.loss(`/packages/groups/${i}/kind`, 'a zypper pattern is written as a comps group');
      if (g.kind === 'group')
        this.loss(`/packages/groups/${i}/kind`, 'group is the default kind; not written explicitly');
    });
    for (const g of pk.groups.filter((x) => !x.exclude && x.kind !== 'environment')) {
      body.push(`@${g.name}${g.nodefaults ? ' --nodefaults' : g.optional ? ' --optional' : ''}`);
    }
    for (const m of pk.modules)
      if (m.state === 'installed' && m.stream !== undefined) body.push(`@${moduleText(m)}`);
    pk.install.forEach((p, i) => {
      if (p.version !== undefined || p.arch !== undefined) {
        this.loss(
          `/packages/install/${i}`,
          'written as a bare name; pin versions with a repository or %post',
        );
      }
      // a %packages line is one name, spaces included; only a leading @ or - changes its meaning
      if (/^[@-]/.test(p.name)) {
        this.loss(
          `/packages/install/${i}/name`,
          `"${p.name}" reads back as a group, module or exclusion in %packages`,
        );
      }
      body.push(p.name);
    });
    for (const p of pk.exclude) body.push(`-${p.name}`);
    if (body.length === 0 && header.length === 0 && !extra) return;
    if (!this.header('%packages', [...header, ...(extra ?? [])], '/packages')) return;
    appendAll(this.lines, body).push('%end');
  }

  private script(s: Script, index: number): void {
    const ptr = `/scripts/${index}`;
    const section = SECTION_BY_PHASE[s.phase];
    if (!section) {
      this.loss(ptr, `kickstart has no script phase "${s.phase}"; the script is not written`);
      return;
    }
    if (NATURAL_SECTION[s.phase] !== section)
      this.loss(`${ptr}/phase`, `phase "${s.phase}" is written as ${section}`);
    if (section !== '%post' && s.chroot)
      this.loss(`${ptr}/chroot`, `${section} does not run inside the image root`);
    let body = s.body;
    if (body === undefined && s.source !== undefined) {
      try {
        body = readInputTextSync(resolve(this.opts.sourceDir ?? '.', s.source)).replace(/\n$/, '');
      } catch {
        this.loss(`${ptr}/source`, `script file ${s.source} could not be read; not written`);
        return;
      }
    }
    if (body === undefined || body.trim() === '') return;
    if (s.source !== undefined) this.loss(`${ptr}/source`, `the script file ${s.source} is written inline`);
    const inImage = section === '%post' && s.chroot;
    const written = scriptForTarget(
      this.ir,
      index,
      body,
      'kickstart',
      inImage ? undefined : `${section} runs outside the image`,
    );
    appendAll(this.diagnostics, written.diagnostics);
    body = written.body;
    const words: Words = [];
    if (section === '%post' && !s.chroot) words.push('--nochroot');
    if (s.interpreter !== undefined) words.push(`--interpreter=${s.interpreter}`);
    if (s.log !== undefined) words.push(`--log=${s.log}`);
    if (s.onError === 'fail') words.push('--erroronfail');
    const sections = new Set([...sectionNames(this.opts.version), '%end', '%include', '%ksappend']);
    for (const line of body.split('\n')) {
      const first = line.trim().split(/\s+/)[0] ?? '';
      if (sections.has(first) || line.trim().startsWith('%ksappend')) {
        this.diagnostics.push(
          diag(kickstartCodes.scriptBodyUnsafe, { line: line.trim() }, undefined, { pointer: ptr }),
        );
      }
    }
    const header = sectionSpec(this.opts.version, section) ? section : '%onerror';
    if (!this.header(header, [...words, ...this.extra(ptr)], ptr)) return;
    appendAll(this.lines, body.split('\n')).push('%end');
  }

  private rawSection(name: string, args: string[], body: string): void {
    if (!this.header(name, args, `/extensions/${EXTENSION_KEY}/sections`)) return;
    if (body !== '') appendAll(this.lines, body.split('\n'));
    this.lines.push('%end');
  }
}

const MOUNTPOINT_BY_ROLE: Partial<Record<NonNullable<Partition['role']>, string>> = {
  root: '/',
  boot: '/boot',
  esp: '/boot/efi',
  home: '/home',
  var: '/var',
  usr: '/usr',
  srv: '/srv',
  tmp: '/tmp',
};

/** Roles a kickstart partition can carry (from its mount point or name). */
const KICKSTART_ROLES = new Set([
  'esp',
  'bios-boot',
  'prep',
  'boot',
  'root',
  'usr',
  'home',
  'var',
  'srv',
  'tmp',
  'swap',
  'lvm',
  'raid',
  'data',
]);

const NATURAL_SECTION: Partial<Record<Script['phase'], string>> = {
  'pre-install': '%pre',
  'pre-packages': '%pre-install',
  'post-install': '%post',
  'on-error': '%onerror',
  traceback: '%traceback',
};

const SECTION_BY_PHASE: Partial<Record<Script['phase'], string>> = {
  sync: '%pre',
  'pre-install': '%pre',
  'pre-packages': '%pre-install',
  prepare: '%post',
  build: '%post',
  'post-install': '%post',
  finalize: '%post',
  'pre-disk': '%post',
  disk: '%post',
  'post-output': '%post',
  'on-error': '%onerror',
  traceback: '%traceback',
};

/** volgroup options that reuse a group already on disk: it needs no physical volumes */
const REUSE_OPTIONS = new Set(['--useexisting', '--noformat']);
/** logvol options that stand for a size in pykickstart's check */
const SIZE_GIVING_OPTIONS = new Set([
  '--size',
  '--percent',
  '--useexisting',
  '--noformat',
  '--recommended',
  '--hibernation',
]);

function optionName(word: string): string {
  return word.split('=', 1)[0]!;
}

/** pv.NN names after the highest one the partitions use. */
function pvNamer(refs: readonly string[]): () => string {
  // a loop, not Math.max(...refs): spread arguments overflow the stack past ~100,000 partitions
  let n = 0;
  for (const r of refs) n = Math.max(n, Number(/^pv\.(\d+)$/.exec(r)?.[1] ?? 0));
  return () => `pv.${String(++n).padStart(2, '0')}`;
}

/**
 * LVM's name rule: letters, digits and + _ . -, not starting with a hyphen, not . or ..
 * Other characters become _ (KIWI's own mapping of "usr/lib" is usr_lib), leading ones are
 * dropped ("@root" → root); a clash with a name already written gets a number.
 */
function lvNamer(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    let valid = name.replace(/^[^A-Za-z0-9+_.]+/, '').replace(/[^A-Za-z0-9+_.-]/g, '_');
    if (valid === '' || valid === '.' || valid === '..') valid = 'lv';
    let unique = valid;
    for (let i = 2; used.has(unique); i++) unique = `${valid}${i}`;
    used.add(unique);
    return unique;
  };
}

function passwordWords(
  password: ImageIR['accounts']['users'][number]['password'],
  style: 'positional' | 'option',
): Words {
  if (!password) return [];
  const words: Words = [];
  const secret = password.hash ?? password.plain;
  if (secret !== undefined) {
    words.push(password.hash !== undefined ? '--iscrypted' : '--plaintext');
    words.push(style === 'positional' ? secret : `--password=${secret}`);
  }
  if (password.locked) words.push('--lock');
  return words;
}

function fsWords(p: Partition): Words {
  const words: Words = [];
  if (p.fsLabel !== undefined) words.push(`--label=${p.fsLabel}`);
  if (p.mountOptions?.length) words.push(`--fsoptions=${p.mountOptions.join(',')}`);
  if (p.fsOptions?.length) words.push(`--mkfsoptions=${p.fsOptions.join(' ')}`);
  if (p.format === false) words.push('--noformat');
  return words;
}

function encryptionWords(enc: Partition['encryption']): Words {
  if (!enc) return [];
  const words: Words = ['--encrypted'];
  if (enc.passphrase !== undefined) words.push(`--passphrase=${enc.passphrase}`);
  if (enc.type !== undefined) words.push(`--luks-version=${enc.type}`);
  if (enc.cipher !== undefined) words.push(`--cipher=${enc.cipher}`);
  return words;
}

/** `--opt=value` keeps the option name bare and quotes the value; other words are quoted whole. */
function renderWord(word: string): string {
  const m = /^(--[A-Za-z0-9][A-Za-z0-9-]*)=([\s\S]*)$/.exec(word);
  return m ? `${m[1]}=${quoteWord(m[2]!)}` : quoteWord(word);
}
