/**
 * Image IR → an mkosi 14 tree (`-O mkosi-version=14`), the mkosi of Debian 12 and Ubuntu
 * 22.04: one `mkosi.conf` with the keys of v14, the IR's files and extra trees in
 * `mkosi.extra/`, and what v14 has no key for (users, groups, locale, keymap, timezone,
 * services, symlinks, directories) done by a generated `mkosi.postinst`, which v14 runs inside
 * the image after the packages, with the same commands imgc's Debian backend runs.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { findRelease } from '../../../distros/debian.js';
import { readInputTextSync } from '../../../input/bounded.js';
import type { ImageIR, Script } from '../../../ir/schema.js';
import type { OutputFile } from '../../contract.js';
import { GROUP_ROWS, SCRIPT_ROWS, SYSTEM_ROWS, USER_ROWS } from '../../shared/capabilities.js';
import { type ConfSection, printConf } from './print.js';
import {
  DISTRIBUTIONS_14,
  format14,
  MKOSI14_KEYS,
  SCRIPTS_14,
  SECTIONS_14,
  sectionOf14,
  value14,
} from './v14-dialect.js';
import { postinstLines } from './v14-postinst.js';

const T = 'mkosi 14';

/** IR fields an mkosi 14 tree expresses; the rest of the modern table is reported as lost. */
export const MKOSI14_CAPABILITIES = [
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/packages/install/*/name',
  '/packages/build/*/name',
  '/packages/remove/*/name',
  '/packages/installDocs',
  ...SYSTEM_ROWS,
  '/system/rootShell',
  '/system/kernel/cmdline/*',
  '/system/services/enable/*',
  '/system/services/disable/*',
  '/system/services/mask/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  ...USER_ROWS,
  '/accounts/users/*/gid',
  '/accounts/users/*/primaryGroup',
  '/accounts/users/*/system',
  '/accounts/users/*/password/hash',
  '/accounts/users/*/password/plain',
  ...GROUP_ROWS,
  '/accounts/groups/*/system',
  '/files/*/path',
  '/files/*/content',
  '/files/*/mode',
  '/symlinks/*/path',
  '/symlinks/*/target',
  '/directories/*/path',
  '/directories/*/mode',
  '/metadata/name',
  '/metadata/version',
  '/outputs/0/type',
  '/outputs/0/name',
  '/outputs/0/compression',
  '/overlays/*/source',
  '/overlays/*/kind',
  ...SCRIPT_ROWS,
  '/repositories/*/id',
  '/repositories/*/type',
  '/repositories/*/urls/*',
  '/repositories/*/suites/*',
  '/repositories/*/components/*',
  '/repositories/*/gpgCheck',
  '/storage/partitions/*/role',
  '/storage/partitions/*/filesystem',
  '/extensions/mkosi/**',
] as const;

interface Writer14 {
  conf: Map<string, string>;
  files: OutputFile[];
  diagnostics: Diagnostic[];
  loss(pointer: string, detail: string): void;
  assumed(field: string, value: string, why: string): void;
}

export function raiseMkosi14(
  ir: ImageIR,
  sourceDir: string | undefined,
): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const w: Writer14 = {
    conf: new Map(),
    files: [],
    diagnostics: [],
    loss: (pointer, detail) =>
      w.diagnostics.push(
        diag(translateCodes.lossDetail, { pointer, target: T, detail }, undefined, {
          pointer,
          source: 'mkosi',
        }),
      ),
    assumed: (field, value, why) =>
      w.diagnostics.push(
        diag(translateCodes.assumedDefault, { field, value, from: why }, undefined, { pointer: field }),
      ),
  };
  distribution(ir, w);
  repositories(ir, w);
  packages(ir, w);
  output(ir, w);
  content(ir, w, sourceDir);
  scripts(ir, w, sourceDir);
  passThrough(ir, w);
  const sections = new Map<string, [string, string][]>();
  for (const [key, value] of w.conf) {
    const s = sectionOf14(key);
    const list = sections.get(s) ?? [];
    list.push([key, value]);
    sections.set(s, list);
  }
  const ordered: ConfSection[] = SECTIONS_14.filter((s) => sections.has(s)).map((name) => ({
    name,
    entries: sections.get(name)!,
  }));
  w.files.unshift({ path: 'mkosi.conf', content: printConf(ordered) });
  return { files: w.files, diagnostics: w.diagnostics };
}

function distribution(ir: ImageIR, w: Writer14) {
  const d = ir.distribution;
  const id = d.id ? DISTRIBUTIONS_14[d.id] : undefined;
  if (d.id && !id) w.loss('/distribution/id', `mkosi 14 cannot build ${d.id}; Distribution= is not written`);
  if (id) w.conf.set('Distribution', id);
  // a Release= without its Distribution= would be read as a release of the host's distribution
  if (d.release && d.id && !id)
    w.loss(
      '/distribution/release',
      `Release= is not written: it would name a release of the host's distribution, not of ${d.id}`,
    );
  else if (d.release) {
    // v14 hands Release= to debootstrap as the suite: Debian and Ubuntu need the code name
    const suite =
      id === 'debian' || id === 'ubuntu'
        ? findRelease(id, d.release)?.suite
        : id === 'centos' || id === 'centos_epel'
          ? centosStream14(d.release)
          : undefined;
    if (suite && suite !== d.release)
      w.assumed(
        '/distribution/release',
        suite,
        `mkosi 14 names ${id} releases ${id?.startsWith('centos') ? 'as <major>-stream' : 'by suite'}; ${d.release} is ${suite}`,
      );
    w.conf.set('Release', suite ?? d.release);
  }
  if (d.architecture) w.conf.set('Architecture', d.architecture);
}

function repositories(ir: ImageIR, w: Writer14) {
  const debianLike = ['debian', 'ubuntu'].includes(w.conf.get('Distribution') ?? '');
  const apt = ir.repositories.filter(
    (r) => r.type === 'apt' || r.type === 'apt-deb822' || (r.type === undefined && debianLike),
  );
  const release = w.conf.get('Release');
  const main = apt.find((r) => !r.suites?.length || r.suites.some((s) => s === release));
  for (const [i, r] of ir.repositories.entries()) {
    const ptr = `/repositories/${i}`;
    if (!apt.includes(r)) {
      w.loss(
        ptr,
        `mkosi 14 takes ${r.type ?? 'rpm-md'} repositories only as files in a RepositoryDirectory; not written`,
      );
      continue;
    }
    if (r !== main) {
      // a second repository without a suite (KIWI's obs:// one) is no updates/security companion
      const suites = r.suites ?? [];
      const companions =
        suites.length > 0 && suites.every((s) => s === `${release}-updates` || s === `${release}-security`);
      if (companions)
        w.loss(
          ptr,
          `mkosi 14 adds ${suites.join(', ')} itself (updates from Mirror=, security from its built-in host)`,
        );
      else w.loss(ptr, 'mkosi 14 takes one mirror for Debian and Ubuntu; this repository is not written');
      continue;
    }
    if (r.urls.length > 1) w.loss(`${ptr}/urls`, 'mkosi 14 takes one Mirror=; the first URL is written');
    if (r.urls[0]) w.conf.set('Mirror', r.urls[0]);
    if (r.components?.length) w.conf.set('Repositories', r.components.join(','));
    if (r.gpgCheck === false) w.conf.set('RepositoryKeyCheck', 'no');
  }
}

function packages(ir: ImageIR, w: Writer14) {
  const names = (list: { name: string }[]) => list.map((p) => p.name).join(',');
  const install = [...ir.packages.install];
  // v14 has no Locale=: the postinst generates it, which needs the locales package (as imgc's build)
  const debianLike = ['debian', 'ubuntu'].includes(w.conf.get('Distribution') ?? '');
  if (debianLike && needsLocales(ir) && !install.some((p) => p.name === 'locales')) {
    install.push({ name: 'locales' });
    w.assumed('/packages/install', 'locales', `the postinst runs locale-gen for ${ir.system.locale}`);
  }
  if (install.length) w.conf.set('Packages', names(install));
  if (ir.packages.build.length) w.conf.set('BuildPackages', names(ir.packages.build));
  if (ir.packages.remove.length) w.conf.set('RemovePackages', names(ir.packages.remove));
  if (ir.packages.installDocs !== undefined) w.conf.set('WithDocs', ir.packages.installDocs ? 'yes' : 'no');
}

export const needsLocales = (ir: ImageIR) =>
  [ir.system.locale, ...(ir.system.extraLocales ?? [])].some(
    (l) => l !== undefined && !/^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l),
  );

function output(ir: ImageIR, w: Writer14) {
  if (ir.metadata?.name) w.conf.set('ImageId', ir.metadata.name);
  if (ir.metadata?.version) w.conf.set('ImageVersion', ir.metadata.version);
  const out = ir.outputs[0];
  if (!out) return;
  const root = ir.storage?.partitions.find((p) => p.role === 'root')?.filesystem;
  const format = format14(out.type, root);
  if (!format) w.loss('/outputs/0/type', `mkosi 14 has no ${out.type} output; Format= is not written`);
  else w.conf.set('Format', format);
  if (format?.startsWith('gpt_') && ir.boot?.bootloader !== 'none') w.conf.set('Bootable', 'yes');
  if (out.name) w.conf.set('Output', out.name);
  if (out.compression) {
    const spelled = value14('CompressOutput', out.compression);
    if (spelled) w.conf.set('CompressOutput', spelled);
    else w.loss('/outputs/0/compression', `mkosi 14 cannot compress with ${out.compression}`);
  }
  if (ir.system.hostname) w.conf.set('Hostname', ir.system.hostname);
  // unbootable images get the command line as /etc/kernel/cmdline from the postinst only
  if (ir.system.kernel.cmdline.length && w.conf.get('Bootable') === 'yes')
    w.conf.set('KernelCommandLine', ir.system.kernel.cmdline.join(' '));
  const pw = ir.accounts.root?.password;
  if (pw?.hash) {
    w.conf.set('Password', pw.hash);
    w.conf.set('PasswordIsHashed', 'yes');
  } else if (pw?.plain !== undefined) w.conf.set('Password', pw.plain);
}

function content(ir: ImageIR, w: Writer14, sourceDir: string | undefined) {
  const extra: string[] = [];
  for (const [i, o] of ir.overlays.entries()) {
    const key =
      o.kind === 'skeleton'
        ? 'SkeletonTrees'
        : o.kind === undefined || o.kind === 'extra'
          ? 'ExtraTrees'
          : undefined;
    if (!key) {
      w.loss(`/overlays/${i}`, `mkosi 14 has no ${o.kind} trees`);
      continue;
    }
    if (o.destination && o.destination !== '/')
      return w.loss(`/overlays/${i}/destination`, 'mkosi 14 copies trees to / only; not written');
    const from = sourceDir ? join(sourceDir, o.source) : o.source;
    if (!existsSync(from) || !statSync(from).isDirectory()) {
      w.loss(`/overlays/${i}/source`, `${o.source} is not a folder next to the definition`);
      continue;
    }
    const name = `mkosi.trees/${i}-${o.source.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    w.files.push({ path: name, copyFrom: from });
    if (key === 'ExtraTrees') extra.push(name);
    else w.conf.set(key, [w.conf.get(key), name].filter(Boolean).join(','));
  }
  for (const [i, f] of ir.files.entries()) {
    if (f.content === undefined && f.contentBase64 === undefined) {
      w.loss(`/files/${i}`, 'a file without content (a source or URI) is not written');
      continue;
    }
    const mode = f.mode ? Number.parseInt(f.mode, 8) : 0o644;
    const content = f.content ?? Buffer.from(f.contentBase64!, 'base64');
    w.files.push({ path: `mkosi.extra${f.path}`, content, mode });
  }
  if (ir.files.length) extra.unshift('mkosi.extra');
  // mkosi.extra is found by name; further trees are listed
  const listed = extra.filter((e) => e !== 'mkosi.extra');
  if (listed.length) w.conf.set('ExtraTrees', listed.join(','));
}

function scripts(ir: ImageIR, w: Writer14, sourceDir: string | undefined) {
  const byPhase = new Map<string, { script: Script; index: number; text: string }[]>();
  for (const [i, s] of ir.scripts.entries()) {
    const slot = SCRIPTS_14[s.phase];
    if (!slot) {
      w.loss(`/scripts/${i}`, `mkosi 14 has no ${s.phase} scripts`);
      continue;
    }
    if (slot.inImage !== s.chroot)
      w.loss(
        `/scripts/${i}/chroot`,
        `mkosi 14 runs ${slot.file} ${slot.inImage ? 'inside' : 'outside'} the image`,
      );
    const text = s.body ?? (s.source && sourceDir ? readScript(join(sourceDir, s.source)) : undefined);
    if (text === undefined) {
      w.loss(`/scripts/${i}`, 'the script has neither a body nor a file next to the definition');
      continue;
    }
    const list = byPhase.get(s.phase) ?? [];
    list.push({ script: s, index: i, text });
    byPhase.set(s.phase, list);
  }
  const generated = postinstLines(ir);
  if (generated.length && !byPhase.has('post-install')) byPhase.set('post-install', []);
  for (const [phase, list] of byPhase) {
    const slot = SCRIPTS_14[phase]!;
    const own = phase === 'post-install' ? generated : [];
    if (list.length === 1 && own.length === 0) {
      w.files.push({ path: slot.file, content: list[0]!.text, mode: 0o755 });
      continue;
    }
    // one script per phase in v14: each source script runs from a here-document, in order
    const parts = list.map(
      ({ text }, n) =>
        `cat > /tmp/imgc-${phase}-${n} <<'IMGC_SCRIPT_${n}'\n${text.endsWith('\n') ? text : `${text}\n`}IMGC_SCRIPT_${n}\nchmod +x /tmp/imgc-${phase}-${n}\n/tmp/imgc-${phase}-${n} "$@"\nrm -f /tmp/imgc-${phase}-${n}\n`,
    );
    const guard =
      phase === 'post-install'
        ? ['# mkosi 14 calls it with "build" for the build image too', '[ "$1" = final ] || exit 0']
        : [];
    const body = ['#!/bin/sh', 'set -e', ...guard, ...own, ...parts].join('\n');
    w.files.push({ path: slot.file, content: `${body}\n`, mode: 0o755 });
  }
}

function readScript(path: string): string | undefined {
  try {
    return readInputTextSync(path);
  } catch {
    return undefined;
  }
}

function passThrough(ir: ImageIR, w: Writer14) {
  const settings =
    (ir.extensions.mkosi as { settings?: Record<string, unknown> } | undefined)?.settings ?? {};
  for (const [name, value] of Object.entries(settings)) {
    if (w.conf.has(name)) continue;
    if (!MKOSI14_KEYS.has(name) || typeof value === 'object') {
      w.loss(`/extensions/mkosi/settings/${name}`, `mkosi 14 has no ${name}=; not written`);
      continue;
    }
    const spelled = value14(name, typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value));
    if (spelled === undefined)
      w.loss(`/extensions/mkosi/settings/${name}`, `mkosi 14 has no ${name}=${String(value)}; not written`);
    else if (name === 'Incremental' && spelled === 'yes' && incrementalRefused(w, settings))
      w.loss(
        `/extensions/mkosi/settings/${name}`,
        'mkosi 14 refuses incremental builds of squashfs or minimized file systems; Incremental= is not written',
      );
    else w.conf.set(name, spelled);
  }
}

/** mkosi 14 stops with "incremental mode is currently not supported" for a generated root. */
function incrementalRefused(w: Writer14, settings: Record<string, unknown>): boolean {
  const yes = (key: string) =>
    ['yes', 'true', '1', 'on', 'enabled'].includes(String(settings[key]).toLowerCase());
  const format = w.conf.get('Format') ?? String(settings.Format ?? '');
  return format.endsWith('squashfs') || yes('Minimize') || yes('UsrOnly');
}

/** mkosi 14 reads a CentOS release as `<major>` or `<major>-stream`: dnf's `stream9` is `9-stream`. */
function centosStream14(release: string): string | undefined {
  const m = /^stream-?(\d+)$/i.exec(release);
  return m ? `${m[1]}-stream` : undefined;
}
