/**
 * Image IR → a modern mkosi tree: `mkosi.conf` (one file; settings in their sections),
 * overlays and scripts copied or written where mkosi finds them, users and groups as a
 * sysusers.d file in an extra tree, repositories as files in the sandbox tree, storage as
 * `mkosi.repart/*.conf`, sub-images as `mkosi.images/<name>.conf`. Values the IR holds that
 * mkosi can only approximate are reported as losses.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import type { ImageIR, Partition, Repository } from '../../../ir/schema.js';
import type { OutputFile } from '../../contract.js';
import { scriptForTarget } from '../../shared/script-env.js';
import { ENUMS, irArchToMkosi, SETTINGS_BY_NAME } from '../settings.js';
import {
  defaultRepartName,
  type ExtensionValue,
  GENERIC_TYPE,
  MKOSI_OUTPUT_TYPES,
  type MkosiExtension,
  OS_RELEASE_ID,
  REPART_ROLES,
  ROLE_TO_REPART_TYPE,
  SCRIPT_PHASES,
  splitTree,
  TREE_KINDS,
} from '../vocabulary.js';
import { type ConfSection, printConf } from './print.js';

const T = 'mkosi';

export interface RaiseInput {
  ir: ImageIR;
  sourceDir?: string;
}

export interface RaiseResult {
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

const SECTION_ORDER = [
  'Include',
  'Config',
  'Distribution',
  'Output',
  'Content',
  'Validation',
  'Build',
  'Runtime',
];

class ConfBuilder {
  private readonly values = new Map<string, ExtensionValue>();
  /** values already escaped for specifiers */
  private readonly raw = new Set<string>();

  setEscaped(name: string, value: ExtensionValue): void {
    this.values.set(name, value);
    this.raw.add(name);
  }

  set(name: string, value: ExtensionValue | undefined, keepEmpty = false): void {
    if (value === undefined) return;
    if (Array.isArray(value) && value.length === 0 && !keepEmpty) return;
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  sections(): ConfSection[] {
    const bySection = new Map<string, [string, string][]>();
    for (const [name, value] of this.values) {
      const s = SETTINGS_BY_NAME.get(name);
      const section = s?.section ?? 'Content';
      const list = bySection.get(section) ?? [];
      list.push([name, this.raw.has(name) ? formatRaw(name, value) : formatValue(name, value)]);
      bySection.set(section, list);
    }
    const names = [...bySection.keys()].sort((a, b) => order(a) - order(b));
    return names.map((name) => ({ name, entries: bySection.get(name)! }));
  }
}

function order(section: string): number {
  const i = SECTION_ORDER.indexOf(section);
  return i < 0 ? SECTION_ORDER.length : i;
}

function formatValue(name: string, value: ExtensionValue): string {
  return formatRaw(name, value).replaceAll('%', '%%');
}

function formatRaw(name: string, value: ExtensionValue): string {
  const s = SETTINGS_BY_NAME.get(name);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    if (s?.delimiter === 'space') return value.join(' ');
    return value.length <= 1 ? (value[0] ?? '') : `\n${value.map((v) => `    ${v}`).join('\n')}`;
  }
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  return value;
}

/** Does mkosi find `rel` by itself (a conventional name where a config folder is parsed)? */
function autoDiscovered(rel: string, conventional: readonly string[], base = ''): boolean {
  const parent = posix.dirname(rel);
  const name = posix.basename(rel);
  const rest = base
    ? parent === base
      ? '.'
      : parent.startsWith(`${base}/`)
        ? parent.slice(base.length + 1)
        : undefined
    : parent;
  if (rest === undefined) return false;
  const chain = /^((mkosi\.conf\.d|mkosi\.profiles)\/[^/]+)(\/mkosi\.conf\.d\/[^/]+)*$/;
  if (conventional.includes(name)) return rest === '.' || chain.test(rest);
  const dir = posix.basename(parent);
  const dirParent = posix.dirname(rest);
  if (
    !/^mkosi\.[a-z-]+\.d$/.test(dir) ||
    !conventional.some((c) => `${c.replace(/\.chroot$/, '')}.d` === dir)
  )
    return false;
  return rest === dir || chain.test(dirParent);
}

/** The items of a path list that must be written: mkosi finds the first occurrence of each conventional one by itself. */
function explicitItems(
  setting: string,
  items: string[],
  base = '',
  exists: (rel: string) => boolean = () => true,
): string[] {
  const conventional = conventionalNames(setting);
  const found = new Set<string>();
  return items.filter((item) => {
    const { src } = splitTree(item);
    if (src !== item) return true;
    if (!found.has(src) && exists(src) && autoDiscovered(src, conventional, base)) {
      found.add(src);
      return false;
    }
    return true;
  });
}

function conventionalNames(setting: string): string[] {
  const s = SETTINGS_BY_NAME.get(setting);
  return [...(s?.paths ?? [])];
}

export function raiseMkosi(input: RaiseInput): RaiseResult {
  const { ir, sourceDir } = input;
  const conf = new ConfBuilder();
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const ext = (ir.extensions.mkosi as MkosiExtension | undefined) ?? { settings: {} };
  const settings = ext.settings ?? {};
  const loss = (pointer: string, detail: string) =>
    diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: T, detail }, undefined, { pointer, source: T }),
    );
  const copied = new Set<string>();
  const copy = (rel: string, mode?: number) => {
    if (
      copied.has(rel) ||
      !sourceDir ||
      rel.startsWith('/') ||
      rel.startsWith('..') ||
      rel === '.' ||
      rel === ''
    )
      return false;
    const from = join(sourceDir, rel);
    if (!existsSync(from)) return false;
    copied.add(rel);
    if (statSync(from).isDirectory()) appendAll(files, copyTree(from, rel));
    else files.push({ path: rel, copyFrom: from, ...(mode ? { mode } : {}) });
    return true;
  };

  /** will `rel` be in the written tree (an empty folder is not: nothing is written for it)? */
  const exists = (rel: string) =>
    generated.has(rel) || files.some((f) => f.path === rel || f.path.startsWith(`${rel}/`));
  const generated = new Set<string>();

  // distribution
  const d = ir.distribution;
  const distributionWritten = d.id !== undefined && fromOsReleaseId(d.id, d.variant) !== undefined;
  if (d.id) {
    const id = fromOsReleaseId(d.id, d.variant);
    if (id) conf.set('Distribution', id);
    else loss('/distribution/id', `mkosi cannot build ${d.id}; Distribution= is not written`);
    if (id === 'opensuse' && d.id !== 'opensuse-tumbleweed' && !d.release)
      loss(
        '/distribution/id',
        `mkosi reads Distribution=opensuse without Release= as Tumbleweed; ${d.id} needs its release (--distro opensuse-leap:15.6)`,
      );
  }
  if (d.variant && variantWritten(d.id, d.variant) === undefined)
    loss('/distribution/variant', `mkosi has no ${d.variant} variant of ${d.id ?? 'the distribution'}`);
  // a Release= without its Distribution= would be read as a release of the host's distribution
  if (d.release && d.id && !distributionWritten)
    loss(
      '/distribution/release',
      `Release= is not written: it would name a release of the host's distribution, not of ${d.id}`,
    );
  else if (d.release) conf.set('Release', d.release);
  if (d.architecture) {
    const arch = irArchToMkosi(d.architecture);
    if (arch) conf.set('Architecture', arch);
    else loss('/distribution/architecture', `mkosi has no architecture ${d.architecture}`);
  }

  // packages
  const pkgs = (list: { name: string; version?: string; arch?: string }[], ptr: string) =>
    list.map((p, i) => {
      if (p.version || p.arch)
        loss(`${ptr}/${i}`, 'mkosi package lists hold names only; version/arch dropped');
      // mkosi splits list values on whitespace and commas
      const [word] = p.name.split(/[\s,]+/);
      if (word !== p.name)
        loss(`${ptr}/${i}/name`, `"${p.name}" is not one package name; only "${word}" is written`);
      return word!;
    });
  conf.set('Packages', pkgs(ir.packages.install, '/packages/install'));
  conf.set('BuildPackages', pkgs(ir.packages.build, '/packages/build'));
  conf.set('RemovePackages', pkgs(ir.packages.remove, '/packages/remove'));
  conf.set('WithDocs', ir.packages.installDocs);
  conf.set('WithRecommends', ir.packages.installWeakDeps);

  // system
  conf.set('Hostname', ir.system.hostname);
  conf.set('Locale', ir.system.locale);
  conf.set('Keymap', ir.system.keymap);
  conf.set('Timezone', ir.system.timezone);
  conf.set('RootShell', ir.system.rootShell);
  conf.set('KernelCommandLine', ir.system.kernel.cmdline);
  const rootpw = ir.accounts.root?.password;
  if (rootpw) {
    if (rootpw.hash) conf.set('RootPassword', `hashed:${rootpw.hash}`);
    else if (rootpw.plain !== undefined) conf.set('RootPassword', rootpw.plain);
    else if (rootpw.empty) conf.set('RootPassword', 'hashed:');
    else loss('/accounts/root/password', 'mkosi cannot lock the root account; RootPassword= is not written');
  }

  // metadata and output
  conf.set('ImageId', ir.metadata?.name);
  conf.set('ImageVersion', ir.metadata?.version);
  const [out, ...more] = ir.outputs;
  if (out) {
    if (!MKOSI_OUTPUT_TYPES.has(out.type)) {
      loss('/outputs/0/type', `mkosi has no ${out.type} output; Format= is not written`);
    } else conf.set('Format', out.type);
    const folder = out.name?.lastIndexOf('/') ?? -1;
    if (out.name && folder > 0 && settings.OutputDirectory === undefined) {
      conf.set('OutputDirectory', out.name.slice(0, folder));
      conf.set('Output', out.name.slice(folder + 1));
      loss(
        '/outputs/0/name',
        `current mkosi takes only a file name in Output=; ${out.name} is written as OutputDirectory=${out.name.slice(0, folder)} and Output=${out.name.slice(folder + 1)}`,
      );
    } else conf.set('Output', out.name);
    if (out.compression) conf.set('CompressOutput', out.compression === 'gzip' ? 'gz' : out.compression);
    if (out.format && out.format !== 'raw')
      loss('/outputs/0/format', `mkosi writes raw disk images, not ${out.format}`);
  }
  for (let i = 1; i <= more.length; i++) {
    loss(`/outputs/${i}`, 'mkosi builds one output format per image; only the first is written');
  }

  // boot
  if (ir.boot?.secureBoot) conf.set('SecureBoot', ir.boot.secureBoot.enabled);
  if (ir.boot?.bootloader) {
    const b = ir.boot.bootloader;
    if (b === 'zipl' || b === 'custom') loss('/boot/bootloader', `mkosi has no ${b} bootloader`);
    else conf.set('Bootloader', b);
  }

  const firmware = ir.boot?.firmware;
  if (firmware === 'bios' || firmware === 'hybrid') conf.set('BiosBootloader', 'grub');
  if (firmware === 'bios' && !ir.boot?.bootloader) conf.set('Bootloader', 'none');
  const bootloaderWritten =
    ir.boot?.bootloader === 'zipl' || ir.boot?.bootloader === 'custom'
      ? undefined
      : (ir.boot?.bootloader ?? (firmware === 'bios' ? 'none' : undefined));
  const biosGrub = firmware === 'bios' || firmware === 'hybrid';
  const firmwareBack = firmwareReadBack(bootloaderWritten, biosGrub);
  if (firmware && firmwareBack !== firmware)
    loss(
      '/boot/firmware',
      firmwareBack
        ? `Bootloader=${bootloaderWritten} with${biosGrub ? '' : 'out'} BiosBootloader=grub boots ${firmwareBack}`
        : 'UEFI is what mkosi builds by default; no setting states it',
    );

  // overlays
  const trees: Record<string, string[]> = {};
  const sandboxRoots = ir.overlays
    .filter((o) => o.kind === 'package-manager' && !o.destination)
    .map((o) => o.source);
  const generatedRepoFiles = repositoryFiles(
    ir.repositories,
    ext.repositoryPaths ?? [],
    sandboxRoots[0] ?? 'mkosi.sandbox',
    sandboxRoots,
    loss,
  );
  const sysusersFiles = ext.sysusers ?? [];
  const skip = new Set<string>([...generatedRepoFiles.keys(), ...sysusersFiles.map((f) => f.file)]);
  ir.overlays.forEach((o, i) => {
    const setting = Object.entries(TREE_KINDS).find(([, k]) => k === (o.kind ?? 'extra'))?.[0];
    if (!setting) {
      loss(`/overlays/${i}`, `mkosi has no ${o.kind} trees`);
      return;
    }
    const item = o.destination ? `${o.source}:${o.destination}` : o.source;
    if (!copyOverlay(o.source) && !o.source.startsWith('/')) {
      loss(`/overlays/${i}/source`, `${o.source} is not next to the definition; only the setting is written`);
    }
    trees[setting] ??= [];
    trees[setting].push(item);
  });
  function copyOverlay(source: string): boolean {
    if (!sourceDir || source.startsWith('/') || source.startsWith('..')) return false;
    const from = join(sourceDir, source);
    if (!existsSync(from)) return false;
    if (!statSync(from).isDirectory()) return copy(source);
    if (copied.has(source)) return true;
    copied.add(source);
    appendAll(
      files,
      copyTree(from, source).filter((f) => !skip.has(f.path)),
    );
    return true;
  }

  // users and groups → sysusers.d in an extra tree
  if (ir.accounts.users.length > 0 || ir.accounts.groups.length > 0) {
    const placed = new Set<string>();
    const target = sysusersFiles[0]?.file ?? 'mkosi.extra/usr/lib/sysusers.d/imgc.conf';
    const byFile = new Map<string, { users: number[]; groups: number[] }>();
    const slot = (file: string) => byFile.get(file) ?? byFile.set(file, { users: [], groups: [] }).get(file)!;
    for (const f of sysusersFiles) {
      slot(f.file);
      ir.accounts.groups.forEach((g, i) => {
        if (!f.groups.includes(g.name) || placed.has(`g:${g.name}`)) return;
        placed.add(`g:${g.name}`);
        slot(f.file).groups.push(i);
      });
      ir.accounts.users.forEach((u, i) => {
        if (!f.users.includes(u.name) || placed.has(`u:${u.name}`)) return;
        placed.add(`u:${u.name}`);
        slot(f.file).users.push(i);
      });
    }
    ir.accounts.groups.forEach((g, i) => {
      if (!placed.has(`g:${g.name}`)) slot(target).groups.push(i);
    });
    ir.accounts.users.forEach((u, i) => {
      if (!placed.has(`u:${u.name}`)) slot(target).users.push(i);
    });
    for (const [file, pick] of byFile) files.push({ path: file, content: sysusersText(ir, pick, loss) });
  }

  // repositories → files in the sandbox tree
  for (const [file, text] of generatedRepoFiles) files.push({ path: file, content: text });

  // (after the generated files: a tree holding only generated files is still found by mkosi)
  for (const [setting, items] of Object.entries(trees))
    conf.set(setting, explicitItems(setting, items, '', exists));

  // scripts: the first of a phase under its conventional name where mkosi finds it, the others
  // listed explicitly from mkosi.scripts/<phase>/ so that their order survives
  const scripts: Record<string, string[]> = {};
  const taken = new Set<string>();
  ir.scripts.forEach((s, i) => {
    const setting = Object.entries(SCRIPT_PHASES).find(([, p]) => p === s.phase)?.[0];
    if (!setting) {
      loss(`/scripts/${i}`, `mkosi has no ${s.phase} scripts`);
      return;
    }
    let path: string;
    if (s.body === undefined) {
      path = s.source ?? '';
      if (!path || path.startsWith('/') || path.startsWith('..') || !copy(path, 0o755)) {
        loss(`/scripts/${i}`, 'the script has neither a body nor a file next to the definition');
        return;
      }
      // the reader takes every script it can read by its text (read/lower.ts)
      loss(
        `/scripts/${i}/source`,
        `${path} is copied next to mkosi.conf and reads back as the script's text`,
      );
    } else {
      const suffix = s.chroot ? '.chroot' : '';
      const name = (s.name ?? `script-${i}`).replace(/[/\\]/g, '_');
      const conventional = SETTINGS_BY_NAME.get(setting)?.paths?.[0];
      if (!scripts[setting] && name === conventional) path = `${name}${suffix}`;
      else {
        path = `mkosi.scripts/${s.phase}/${name}${suffix}`;
        if (taken.has(path)) path = `mkosi.scripts/${s.phase}/${i}/${name}${suffix}`;
      }
      const written = scriptForTarget(
        ir,
        i,
        s.body,
        T,
        path.endsWith('.chroot') ? undefined : 'mkosi runs this script outside the image',
      );
      appendAll(diagnostics, written.diagnostics);
      files.push({ path, content: written.body, mode: 0o755 });
      generated.add(path);
    }
    taken.add(path);
    if (s.interpreter && s.body !== undefined && !s.body.startsWith('#!'))
      loss(`/scripts/${i}/interpreter`, 'mkosi runs scripts by their #! line');
    if (s.chroot !== path.endsWith('.chroot'))
      loss(
        `/scripts/${i}/chroot`,
        `mkosi decides by the ".chroot" suffix; ${path} runs ${path.endsWith('.chroot') ? 'inside' : 'outside'} the image`,
      );
    // appended in place: a copy per script was quadratic (40,000 scripts took 11 s)
    scripts[setting] ??= [];
    scripts[setting].push(path);
  });
  for (const [setting, items] of Object.entries(scripts))
    conf.set(setting, explicitItems(setting, items, '', exists));

  // storage → repart definitions
  const repartDirs = (settings.RepartDirectories as string[] | undefined) ?? [];
  if (ir.storage && ir.storage.partitions.length > 0) {
    const repart = ext.repart;
    const names = ir.storage.partitions.map(
      (_, i) =>
        repart?.[i]?.file ??
        defaultRepartName(ir.storage!.partitions.length, i, ir.storage!.partitions[i]!.role),
    );
    ir.storage.partitions.forEach((p, i) => {
      files.push({ path: names[i]!, content: repartText(p, repart?.[i]?.extra ?? {}, i, loss) });
      copied.add(names[i]!);
      generated.add(posix.dirname(names[i]!));
    });
    const dirs = repartDirs.length > 0 ? repartDirs : [...new Set(names.map((n) => posix.dirname(n)))];
    conf.set('RepartDirectories', explicitItems('RepartDirectories', dirs, '', exists));
  } else if (repartDirs.length > 0) {
    for (const dir of repartDirs) copy(dir);
    conf.set('RepartDirectories', explicitItems('RepartDirectories', repartDirs, '', exists));
  }

  if (ext.builtinIncludes?.length) conf.set('Include', ext.builtinIncludes);

  // everything else mkosi said that the IR has no field for
  for (const [name, value] of Object.entries(settings)) {
    // what the IR says wins: it may have been changed (or filled in by translate) since it was read
    if (name === 'RepartDirectories' || conf.has(name)) continue;
    const s = SETTINGS_BY_NAME.get(name);
    if ((s?.value === 'path' || s?.value === 'tree') && Array.isArray(value)) {
      for (const v of value) copy(splitTree(v).src);
      conf.set(name, explicitItems(name, value, '', exists), value.length === 0);
    } else if (s?.kind === 'path' && typeof value === 'string') {
      copy(value);
      const auto = conventionalNames(name).includes(value) && !s.readText && exists(value);
      if (!auto) conf.set(name, value);
    } else conf.set(name, value, true);
  }

  const sections = conf.sections();
  const legacy = ext.legacy ?? [];
  for (const l of legacy) {
    let section = sections.find((s) => s.name === l.section);
    if (!section) {
      section = { name: l.section, entries: [] };
      sections.push(section);
    }
    section.entries.push([l.name, l.value]);
  }
  files.unshift({ path: 'mkosi.conf', content: printConf(sections) });

  for (const image of ext.images ?? []) {
    const base = `mkosi.images/${image.name}`;
    const before = files.length;
    const sub = new ConfBuilder();
    for (const [name, value] of Object.entries(image.settings)) {
      const s = SETTINGS_BY_NAME.get(name);
      if ((s?.value === 'path' || s?.value === 'tree') && Array.isArray(value)) {
        for (const v of value) copy(splitTree(v).src);
        sub.set(name, explicitItems(name, value, base, exists), value.length === 0);
      } else sub.set(name, value, true);
    }
    const asFolder = files.slice(before).some((f) => f.path.startsWith(`${base}/`));
    const text = printConf(sub.sections());
    // inside mkosi.images/<name>/ relative paths resolve against that folder: anchor them at the tree
    files.push(
      asFolder
        ? { path: `${base}/mkosi.conf`, content: anchorPaths(image.settings, base, exists) }
        : { path: `${base}.conf`, content: text },
    );
  }

  files.sort((a, b) =>
    a.path === 'mkosi.conf'
      ? -1
      : b.path === 'mkosi.conf'
        ? 1
        : a.path < b.path
          ? -1
          : a.path > b.path
            ? 1
            : 0,
  );
  return { files: dedupe(files), diagnostics };
}

function anchorPaths(
  settings: Record<string, ExtensionValue>,
  base: string,
  exists: (rel: string) => boolean,
): string {
  const anchored = new ConfBuilder();
  for (const [name, value] of Object.entries(settings)) {
    const s = SETTINGS_BY_NAME.get(name);
    const anchor = (v: string) => (v.startsWith('/') ? v : `%D/${v}`).replaceAll(/%(?!D\/)/g, '%%');
    if ((s?.value === 'path' || s?.value === 'tree') && Array.isArray(value)) {
      const items = explicitItems(name, value, base, exists);
      if (items.length > 0 || value.length === 0) anchored.setEscaped(name, items.map(anchor));
    } else if (s?.kind === 'path' && typeof value === 'string') anchored.setEscaped(name, anchor(value));
    else anchored.set(name, value, true);
  }
  return printConf(anchored.sections());
}

/** one file per path; what imgc generates wins over a copy of the source */
function dedupe(files: OutputFile[]): OutputFile[] {
  const seen = new Map<string, OutputFile>();
  for (const f of files) {
    const prev = seen.get(f.path);
    if (!prev || (prev.copyFrom !== undefined && f.copyFrom === undefined)) seen.set(f.path, f);
  }
  return [...seen.values()];
}

function copyTree(from: string, rel: string): OutputFile[] {
  const out: OutputFile[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      const r = `${prefix}/${e.name}`;
      if (e.isDirectory()) walk(p, r);
      else out.push({ path: r, copyFrom: p });
    }
  };
  walk(from, rel);
  return out;
}

/** the one variant Distribution= can name (rhel-ubi) */
function variantWritten(id: string | undefined, variant: string): string | undefined {
  return id === 'rhel' && variant === 'ubi' ? 'rhel-ubi' : undefined;
}

export function fromOsReleaseId(id: string, variant?: string): string | undefined {
  if (id === 'rhel' && variant === 'ubi') return 'rhel-ubi';
  if (id === 'opensuse-leap' || id === 'opensuse-tumbleweed' || id === 'opensuse') return 'opensuse';
  const back = Object.entries(OS_RELEASE_ID).find(([, v]) => v === id)?.[0];
  if (back && back !== 'rhel-ubi') return back;
  return ENUMS.Distribution!.includes(id) ? id : undefined;
}

function repartText(
  p: Partition,
  extra: Record<string, string[]>,
  i: number,
  loss: (ptr: string, detail: string) => void,
): string {
  const lines: string[] = ['[Partition]'];
  const add = (k: string, v: string | number | undefined) => {
    if (v !== undefined) lines.push(`${k}=${v}`);
  };
  const rawOr = (k: string, fallback: string | number | undefined) => {
    if (extra[k]) for (const v of extra[k]!) add(k, v);
    else add(k, fallback);
  };
  rawOr('Type', p.role ? ROLE_TO_REPART_TYPE[p.role] : (p.typeUuid ?? GENERIC_TYPE));
  const typeWritten = extra.Type?.[0] ?? (p.role ? ROLE_TO_REPART_TYPE[p.role] : undefined);
  if (p.role && REPART_ROLES[typeWritten ?? ''] !== p.role)
    loss(
      `/storage/partitions/${i}/role`,
      `systemd-repart has no ${p.role} partition type; Type=${typeWritten}`,
    );
  add('Label', p.name);
  add('Format', p.filesystem);
  rawOr('SizeMinBytes', p.size?.min);
  rawOr('SizeMaxBytes', p.size?.max);
  for (const c of p.copyFiles ?? []) add('CopyFiles', c);
  rawOr('Minimize', p.minimize === undefined ? undefined : p.minimize ? 'guess' : 'off');
  rawOr('ReadOnly', p.readOnly === undefined ? undefined : p.readOnly ? 'yes' : 'no');
  add('UUID', p.uuid);
  add('MountPoint', p.mountpoint);
  for (const [k, vs] of Object.entries(extra)) {
    if (['Type', 'SizeMinBytes', 'SizeMaxBytes', 'Minimize', 'ReadOnly'].includes(k) || k.includes('/'))
      continue;
    for (const v of vs) add(k, v);
  }
  const ptr = `/storage/partitions/${i}`;
  if (p.grow) loss(`${ptr}/grow`, 'systemd-repart grows the last partitions by weight; not written');
  if (p.encryption) loss(`${ptr}/encryption`, 'write Encrypt= in the repart file by hand');
  if (p.subvolumes?.length) loss(`${ptr}/subvolumes`, 'mkosi repart definitions here carry no subvolumes');
  const sections = Object.entries(extra).filter(([k]) => k.includes('/'));
  let text = `${lines.join('\n')}\n`;
  let current = '';
  for (const [k, vs] of sections) {
    const [section, key] = k.split('/') as [string, string];
    if (section !== current) {
      text += `\n[${section}]\n`;
      current = section;
    }
    for (const v of vs) text += `${key}=${v}\n`;
  }
  return text;
}

function sysusersText(
  ir: ImageIR,
  pick: { users: number[]; groups: number[] },
  loss: (ptr: string, detail: string) => void,
): string {
  const lines = ['# users and groups written by imgc'];
  for (const i of pick.users) {
    const u = ir.accounts.users[i]!;
    if (u.primaryGroup && (u.uid === undefined || u.gid !== undefined))
      loss(
        `/accounts/users/${i}/primaryGroup`,
        'sysusers.d names a primary group only after a uid and without a gid',
      );
  }
  for (const gi of pick.groups) {
    const g = ir.accounts.groups[gi]!;
    lines.push(`g ${g.name} ${g.gid ?? '-'}`);
  }
  for (const i of pick.users) {
    const u = ir.accounts.users[i]!;
    const id =
      u.uid !== undefined
        ? `${u.uid}${u.gid !== undefined ? `:${u.gid}` : u.primaryGroup ? `:${u.primaryGroup}` : ''}`
        : '-';
    const quote = (v: string | undefined) =>
      v === undefined ? '-' : /\s/.test(v) || v === '' ? `"${v}"` : v;
    lines.push(
      `u ${u.name} ${id} ${quote(u.description)} ${u.home ?? '-'} ${u.shell ?? '-'}`.replace(/( -)+$/, ''),
    );
    for (const g of u.groups) lines.push(`m ${u.name} ${g}`);
    if (u.password)
      loss(
        `/accounts/users/${i}/password`,
        'sysusers.d cannot set passwords (use a passwd.hashed-password credential)',
      );
    if (u.sshKeys.length) loss(`/accounts/users/${i}/sshKeys`, 'sysusers.d cannot install SSH keys');
    if (u.uid === undefined && u.gid !== undefined)
      loss(`/accounts/users/${i}/gid`, 'sysusers.d takes a gid only together with a uid');
  }
  return `${lines.join('\n')}\n`;
}

/** repositories grouped into files under a sandbox tree: path (relative to the tree) → text */
function repositoryFiles(
  repos: Repository[],
  paths: string[],
  root: string,
  sandboxRoots: string[],
  loss: (ptr: string, detail: string) => void,
): Map<string, string> {
  const out = new Map<string, string>();
  const groups = new Map<string, Repository[]>();
  repos.forEach((r, i) => {
    const apt = r.type === 'apt' || r.type === 'apt-deb822';
    const dir = apt ? 'etc/apt/sources.list.d' : 'etc/yum.repos.d';
    const known = paths[i];
    let file: string;
    if (
      known &&
      r.fileName === posix.basename(known) &&
      [...sandboxRoots, root].some((t) => known.startsWith(`${t}/`))
    )
      file = known;
    else {
      const base = r.fileName ? posix.basename(r.fileName) : apt ? 'imgc.sources' : 'imgc.repo';
      file = `${root}/${dir}/${base}`;
    }
    const before = groups.get(file) ?? [];
    groups.set(file, [...before, r]);
    for (const [field, detail] of unwrittenRepoFields(r, file, before.length))
      loss(`/repositories/${i}/${field}`, detail);
  });
  for (const [file, list] of groups) {
    if (file.endsWith('.repo')) out.set(file, list.map(repoStanza).join('\n'));
    else if (file.endsWith('.list')) out.set(file, list.map(listLine).join(''));
    else out.set(file, list.map(deb822Stanza).join('\n'));
  }
  return out;
}

const isInlineKey = (key: string) => key.includes('\n') || key.startsWith('-----BEGIN');
/** the keys a repository file can name: URLs and paths, not armored key text */
const keyRefs = (r: Repository) => (r.gpgKeys ?? []).filter((k) => !isInlineKey(k));

/** The firmware an mkosi reader sees in Bootloader= and BiosBootloader=grub. */
function firmwareReadBack(bootloader: string | undefined, biosGrub: boolean): string | undefined {
  if (bootloader === undefined && !biosGrub) return undefined;
  const uefi = bootloader !== 'none';
  if (biosGrub) return uefi ? 'hybrid' : 'bios';
  return uefi ? 'uefi' : undefined;
}

/** Fields of `r` that the repository file kind chosen for it does not hold, with why. */
function unwrittenRepoFields(r: Repository, file: string, position: number): [string, string][] {
  const kind = file.endsWith('.repo') ? 'repo' : file.endsWith('.list') ? 'list' : 'sources';
  const out: [string, string][] = [];
  const present = (k: keyof Repository) =>
    r[k] !== undefined && !(Array.isArray(r[k]) && (r[k] as unknown[]).length === 0);
  const readBackType = kind === 'repo' ? 'rpm-md' : kind === 'list' ? 'apt' : 'apt-deb822';
  if (r.type && r.type !== readBackType)
    out.push(['type', `written to ${posix.basename(file)}, which is read as ${readBackType}`]);
  if (r.gpgKeys?.some(isInlineKey))
    out.push([
      'gpgKeys',
      'imgc writes key URLs and paths only; the inline key is not written (save it to a file and name that)',
    ]);
  if (kind === 'repo') {
    for (const k of ['suites', 'components'] as const)
      if (present(k)) out.push([k, 'a dnf .repo file has no apt suites or components']);
    return out;
  }
  const aptless = [
    'name',
    'mirrorlist',
    'metalink',
    'gpgCheck',
    'repoGpgCheck',
    'sslVerify',
    'priority',
    'cost',
    'moduleHotfixes',
    'includePackages',
    'excludePackages',
  ] as const;
  for (const k of aptless) if (present(k)) out.push([k, `imgc writes no ${k} into an apt source`]);
  const idBack = `${posix.basename(file).replace(/\.(list|sources)$/, '')}-${position + 1}`;
  if (r.id !== idBack) out.push(['id', `apt sources have no id; it reads back as ${idBack}`]);
  if (keyRefs(r).length > 1) out.push(['gpgKeys', 'apt takes one Signed-By key; the first is written']);
  if (kind === 'list') {
    if (r.urls.length > 1) out.push(['urls', 'a sources.list line holds one URL; the first is written']);
    if ((r.suites?.length ?? 0) > 1)
      out.push(['suites', 'a sources.list line holds one suite; the first is written']);
    if (r.enabled !== undefined) out.push(['enabled', 'a sources.list line has no enabled flag']);
  }
  return out;
}

function repoStanza(r: Repository): string {
  const lines = [`[${r.id}]`];
  const yn = (b: boolean) => (b ? '1' : '0');
  if (r.name) lines.push(`name=${r.name}`);
  if (r.urls.length) lines.push(`baseurl=${r.urls.join(' ')}`);
  if (r.mirrorlist) lines.push(`mirrorlist=${r.mirrorlist}`);
  if (r.metalink) lines.push(`metalink=${r.metalink}`);
  if (r.enabled !== undefined) lines.push(`enabled=${yn(r.enabled)}`);
  if (r.gpgCheck !== undefined) lines.push(`gpgcheck=${yn(r.gpgCheck)}`);
  if (r.repoGpgCheck !== undefined) lines.push(`repo_gpgcheck=${yn(r.repoGpgCheck)}`);
  if (keyRefs(r).length) lines.push(`gpgkey=${keyRefs(r).join(' ')}`);
  if (r.sslVerify !== undefined) lines.push(`sslverify=${yn(r.sslVerify)}`);
  if (r.priority !== undefined) lines.push(`priority=${r.priority}`);
  if (r.cost !== undefined) lines.push(`cost=${r.cost}`);
  if (r.moduleHotfixes !== undefined) lines.push(`module_hotfixes=${yn(r.moduleHotfixes)}`);
  if (r.includePackages?.length) lines.push(`includepkgs=${r.includePackages.join(' ')}`);
  if (r.excludePackages?.length) lines.push(`excludepkgs=${r.excludePackages.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

function deb822Stanza(r: Repository): string {
  const lines = ['Types: deb', `URIs: ${r.urls.join(' ')}`];
  if (r.suites?.length) lines.push(`Suites: ${r.suites.join(' ')}`);
  if (r.components?.length) lines.push(`Components: ${r.components.join(' ')}`);
  if (keyRefs(r).length) lines.push(`Signed-By: ${keyRefs(r)[0]}`);
  if (r.enabled !== undefined) lines.push(`Enabled: ${r.enabled ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n`;
}

function listLine(r: Repository): string {
  const opts = keyRefs(r).length ? `[signed-by=${keyRefs(r)[0]}] ` : '';
  return (
    `deb ${opts}${r.urls[0] ?? ''} ${r.suites?.[0] ?? ''} ${(r.components ?? []).join(' ')}`.trimEnd() + '\n'
  );
}
