/**
 * IR → blueprint object (the shape osbuild decodes). Fields a blueprint has no key for are
 * left to the capability table; values a key can only approximate are reported here.
 */

import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { joinDistro } from '../../../ir/distribution.js';
import { escapeToken, parsePointer } from '../../../ir/pointer.js';
import { type PositionTable, positionOf } from '../../../ir/positions.js';
import type { ImageIR, Storage, User } from '../../../ir/schema.js';
import { formatSize } from '../../../ir/size.js';
import { roleForMountpoint } from '../../../ir/storage.js';
import { putPlainUserFields } from '../../shared/blueprint-user.js';
import { previewValue } from '../../shared/preview-value.js';
import { kiwiEnvLoss } from '../../shared/script-env.js';
import { CRYPT_PATTERN, directoryViolation, fileViolation, MODE_PATTERN } from '../policies.js';
import { dottedRhelName } from '../vocabulary.js';

type Table = Record<string, unknown>;

export interface Raised {
  document: Table;
  diagnostics: Diagnostic[];
}

/** What the blueprint reader keeps in `extensions.blueprint`, and so what this writer reads. */
const KNOWN_EXTENSION_KEYS = new Set([
  'minimal',
  'firstboot',
  'customizations',
  'unknown',
  'dialect',
  'wrapper',
]);

export function raiseBlueprint(ir: ImageIR, target: string, positions: PositionTable = {}): Raised {
  const diagnostics: Diagnostic[] = [];
  const approx = (pointer: string, detail: string) =>
    diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target, detail }, positionOf(positions, pointer), {
        pointer,
        source: 'translate',
      }),
    );
  const lost = (pointer: string, value: unknown) =>
    diagnostics.push(
      diag(
        translateCodes.loss,
        { pointer, target, value: previewValue(value) },
        positionOf(positions, pointer),
        {
          pointer,
          source: 'translate',
        },
      ),
    );
  const ext = (ir.extensions.blueprint ?? {}) as Table;
  for (const key of Object.keys(ext).filter((k) => !KNOWN_EXTENSION_KEYS.has(k))) {
    const pointer = `/extensions/blueprint/${escapeToken(key)}`;
    diagnostics.push(
      diag(translateCodes.extensionNotWritten, { target, key }, positionOf(positions, pointer), {
        pointer,
        source: 'translate',
      }),
    );
  }

  const bp: Table = {};
  if (ir.metadata?.name !== undefined) bp.name = ir.metadata.name;
  if (ir.metadata?.description !== undefined) bp.description = ir.metadata.description;
  if (ir.metadata?.version !== undefined) bp.version = ir.metadata.version;
  const { id, release, architecture } = ir.distribution;
  if (id) {
    const joined = joinDistro(id, release);
    bp.distro = joined ?? id;
    const dotted = joined ? dottedRhelName(joined) : undefined;
    if (dotted)
      approx(
        '/distribution/release',
        `"${joined}" is composer's old spelling of ${dotted} and reads back as it`,
      );
    if (!joined)
      approx(
        '/distribution/release',
        `"${id}-${release}" would read back as another distribution; only ${id} is written`,
      );
  } else if (release)
    approx('/distribution/release', 'a blueprint names the release only together with the distribution');
  if (architecture) bp.architecture = architecture;
  if (ext.minimal !== undefined) bp.minimal = ext.minimal;

  if (ir.packages.install.length > 0) {
    bp.packages = ir.packages.install.map((p) =>
      p.version ? { name: p.name, version: p.version } : { name: p.name },
    );
  }
  ir.packages.install.forEach((p, i) => {
    if (p.arch) approx(`/packages/install/${i}/arch`, `the architecture of ${p.name} cannot be pinned`);
  });
  const enabled = ir.packages.modules.filter((m) => m.stream && (m.state ?? 'enabled') !== 'disabled');
  ir.packages.modules.forEach((m, i) => {
    if (!m.stream || m.state === 'disabled')
      approx(`/packages/modules/${i}`, `module ${m.name}: only enabled streams can be written`);
    else if (m.profile)
      approx(`/packages/modules/${i}/profile`, `module ${m.name}: profiles cannot be chosen`);
    if (m.stream && m.state === 'installed')
      approx(
        `/packages/modules/${i}/state`,
        `module ${m.name}: written as an enabled stream; nothing of it is installed`,
      );
  });
  if (enabled.length > 0) bp.enabled_modules = enabled.map((m) => ({ name: m.name, stream: m.stream }));
  const groups = ir.packages.groups.filter((g) => !g.exclude);
  ir.packages.groups.forEach((g, i) => {
    if (g.exclude) approx(`/packages/groups/${i}`, `excluding the group ${g.name} cannot be written`);
    else if (g.kind && g.kind !== 'group')
      approx(`/packages/groups/${i}/kind`, `${g.kind} ${g.name} is written as a comps group`);
  });
  if (groups.length > 0) bp.groups = groups.map((g) => ({ name: g.name }));
  if (ir.containers.length > 0) {
    bp.containers = ir.containers.map((c) => ({
      source: c.source,
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.tlsVerify !== undefined ? { 'tls-verify': c.tlsVerify } : {}),
      ...(c.localStorage !== undefined ? { 'local-storage': c.localStorage } : {}),
    }));
  }

  const c: Table = {};
  const sys = ir.system;
  if (sys.hostname !== undefined) c.hostname = sys.hostname;
  if (sys.kernel.package || sys.kernel.cmdline.length > 0) {
    c.kernel = {
      ...(sys.kernel.package ? { name: sys.kernel.package } : {}),
      ...(sys.kernel.cmdline.length > 0 ? { append: sys.kernel.cmdline.join(' ') } : {}),
    };
  }
  const users = raiseUsers(ir, approx);
  if (users.length > 0) c.user = users;
  if (ir.accounts.groups.length > 0)
    c.group = ir.accounts.groups.map((g) =>
      g.gid === undefined ? { name: g.name } : { name: g.name, gid: g.gid },
    );
  if (sys.timezone || sys.ntpServers?.length) {
    c.timezone = {
      ...(sys.timezone ? { timezone: sys.timezone } : {}),
      ...(sys.ntpServers?.length ? { ntpservers: sys.ntpServers } : {}),
    };
  }
  if (sys.locale || sys.keymap) {
    const languages = [...(sys.locale ? [sys.locale] : []), ...(sys.extraLocales ?? [])];
    c.locale = {
      ...(languages.length ? { languages } : {}),
      ...(sys.keymap ? { keyboard: sys.keymap } : {}),
    };
  } else if (sys.extraLocales?.length) c.locale = { languages: sys.extraLocales };
  if (sys.firewall) {
    const fw = sys.firewall;
    const firewall: Table = {};
    if (fw.ports.length) firewall.ports = fw.ports.map(toBlueprintPort);
    if (fw.services.enable.length || fw.services.disable.length) {
      firewall.services = {
        ...(fw.services.enable.length ? { enabled: fw.services.enable } : {}),
        ...(fw.services.disable.length ? { disabled: fw.services.disable } : {}),
      };
    }
    if (fw.zones.length) firewall.zones = fw.zones.map((z) => ({ name: z.name, sources: z.sources }));
    if (Object.keys(firewall).length) c.firewall = firewall;
  }
  const svc = sys.services;
  if (svc.enable.length || svc.disable.length || svc.mask.length) {
    c.services = {
      ...(svc.enable.length ? { enabled: svc.enable } : {}),
      ...(svc.disable.length ? { disabled: svc.disable } : {}),
      ...(svc.mask.length ? { masked: svc.mask } : {}),
    };
  }
  if (ir.storage) raiseStorage(ir.storage, c, approx);
  if (sys.fips !== undefined) c.fips = sys.fips;
  if (sys.caCertificates?.length) c.cacerts = { pem_certs: sys.caCertificates };
  const directories = ir.directories.flatMap((d, i) => {
    const refused = directoryViolation(d.path);
    if (refused) {
      approx(`/directories/${i}`, `osbuild refuses the directory ${d.path}: ${refused}`);
      return [];
    }
    return [
      {
        path: d.path,
        ...(d.user !== undefined ? { user: d.user } : {}),
        ...(d.group !== undefined ? { group: d.group } : {}),
        ...writableMode(d.mode, `/directories/${i}/mode`, approx),
        ...(d.ensureParents !== undefined ? { ensure_parents: d.ensureParents } : {}),
      },
    ];
  });
  if (directories.length) c.directories = directories;
  const files = ir.files.flatMap((f, i) => {
    const refused = fileViolation(f.path);
    if (refused) {
      approx(`/files/${i}`, `osbuild refuses the file ${f.path}: ${refused}`);
      return [];
    }
    if (f.contentBase64 !== undefined)
      approx(`/files/${i}/contentBase64`, `binary content of ${f.path} cannot be written inline`);
    if (f.content !== undefined && f.source !== undefined)
      approx(`/files/${i}/source`, `${f.path} has inline content; its source ${f.source} is not written`);
    return [
      {
        path: f.path,
        ...(f.user !== undefined ? { user: f.user } : {}),
        ...(f.group !== undefined ? { group: f.group } : {}),
        ...writableMode(f.mode, `/files/${i}/mode`, approx),
        ...(f.content !== undefined ? { data: f.content } : f.source !== undefined ? { uri: f.source } : {}),
      },
    ];
  });
  if (files.length) c.files = files;
  if (ir.repositories.length) {
    c.repositories = ir.repositories.map((r, i) => {
      if (r.type && r.type !== 'rpm-md')
        approx(
          `/repositories/${i}/type`,
          `repository ${r.id} is ${r.type}; blueprints hold rpm-md repositories only`,
        );
      // osbuild refuses gpgcheck without gpgkeys; a .repo file may rely on keys installed on the system
      const keyless = r.gpgCheck === true && !r.gpgKeys?.length;
      if (keyless)
        approx(
          `/repositories/${i}/gpgCheck`,
          `repository ${r.id} checks signatures with keys it does not name; a blueprint needs gpgkeys for gpgcheck, so gpgcheck is not written`,
        );
      if (r.usage === 'build-only')
        approx(
          `/repositories/${i}/usage`,
          `repository ${r.id} is build-only; install_from also writes it into the image`,
        );
      return {
        id: r.id,
        ...(r.name !== undefined ? { name: r.name } : {}),
        ...(r.urls.length ? { baseurls: r.urls } : {}),
        ...(r.mirrorlist ? { mirrorlist: r.mirrorlist } : {}),
        ...(r.metalink ? { metalink: r.metalink } : {}),
        ...(r.gpgKeys ? { gpgkeys: r.gpgKeys } : {}),
        ...(r.gpgCheck !== undefined && !keyless ? { gpgcheck: r.gpgCheck } : {}),
        ...(r.repoGpgCheck !== undefined ? { repo_gpgcheck: r.repoGpgCheck } : {}),
        ...(r.sslVerify !== undefined ? { sslverify: r.sslVerify } : {}),
        ...(r.priority !== undefined ? { priority: r.priority } : {}),
        ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
        ...(r.moduleHotfixes !== undefined ? { module_hotfixes: r.moduleHotfixes } : {}),
        ...(r.fileName !== undefined ? { filename: r.fileName } : {}),
        ...(r.usage !== 'image-only' ? { install_from: true } : {}),
      };
    });
  }
  const firstboot: Table[] = [];
  ir.scripts.forEach((s, i) => {
    if (s.phase !== 'first-boot') {
      appendAll(diagnostics, kiwiEnvLoss(ir, i, s.body, 'blueprint', 'the script is not written'));
      approx(
        `/scripts/${i}`,
        `a ${s.phase} script${s.name ? ` (${s.name})` : ''} cannot run from a blueprint; only first-boot scripts can`,
      );
      return;
    }
    if (s.body === undefined) {
      approx(`/scripts/${i}/source`, `first-boot script ${s.source} must be inline`);
      return;
    }
    if (s.interpreter && !s.body.startsWith('#!'))
      approx(`/scripts/${i}/interpreter`, `interpreter ${s.interpreter} is not written`);
    firstboot.push({
      type: 'custom',
      ...(s.name !== undefined ? { name: s.name } : {}),
      ...(s.onError !== undefined ? { ignore_failure: s.onError === 'ignore' } : {}),
      contents: s.body,
    });
  });
  if (Array.isArray(ext.firstboot)) appendAll(firstboot, ext.firstboot as Table[]);
  if (firstboot.length) c.firstboot = { scripts: firstboot };
  if (ext.customizations && typeof ext.customizations === 'object') Object.assign(c, ext.customizations);
  if (Object.keys(c).length) bp.customizations = c;

  for (const [ptr, value] of Object.entries((ext.unknown ?? {}) as Table)) {
    // keys the reader kept are JSON Pointers; an IR written by hand may hold anything (fuzz seed 9302)
    if (ptr.startsWith('/')) setAt(bp, ptr, value);
    else lost(`/extensions/blueprint/unknown/${escapeToken(ptr)}`, value);
  }
  const document = wrap(bp, ext);
  raiseOutputs(ir, ext, document, approx, lost);
  return { document, diagnostics };
}

/**
 * A build config says which OSTree commit to make or pull in `options.ostree` (decision 0112);
 * a plain blueprint names no artefact: every output is then a loss, as is any second one.
 */
function raiseOutputs(
  ir: ImageIR,
  ext: Table,
  document: Table,
  approx: (p: string, d: string) => void,
  lost: (p: string, value: unknown) => void,
) {
  let written = false;
  ir.outputs.forEach((o, i) => {
    const ostreeType = o.type === 'ostree-commit' || o.type === 'ostree-disk';
    // a blueprint names no artefact to produce; a build config holds one OSTree setting
    if (!ostreeType || ext.dialect !== 'build-config' || written) {
      lost(`/outputs/${i}`, o);
      return;
    }
    written = true;
    const { ref, parent, url } = o.ostree ?? {};
    const ostree = { ...(ref ? { ref } : {}), ...(parent ? { parent } : {}), ...(url ? { url } : {}) };
    const options = (document.options ?? {}) as Table;
    document.options = { ...options, ostree };
    if (o.type === 'ostree-disk' && !url)
      approx(
        `/outputs/${i}/type`,
        'without a URL a build config asks for a commit; written as its ostree settings',
      );
    if (o.type === 'ostree-commit' && url)
      approx(
        `/outputs/${i}/type`,
        'with a URL a build config asks for a deployed image; written as its ostree settings',
      );
  });
}

function raiseUsers(ir: ImageIR, approx: (pointer: string, detail: string) => void): Table[] {
  const out: Table[] = [];
  const root = ir.accounts.root;
  if (root && (root.password || root.sshKeys.length || root.shell)) {
    out.push(
      userTable(
        { name: 'root', groups: [], sshKeys: root.sshKeys, password: root.password, shell: root.shell },
        '/accounts/root',
        approx,
      ),
    );
  }
  ir.accounts.users.forEach((u, i) => {
    out.push(userTable(u, `/accounts/users/${i}`, approx));
  });
  return out;
}

function userTable(u: User, ptr: string, approx: (pointer: string, detail: string) => void): Table {
  const t: Table = { name: u.name };
  if (u.description !== undefined) t.description = u.description;
  const pw = u.password;
  if (pw?.hash && CRYPT_PATTERN.test(pw.hash)) t.password = pw.hash;
  else if (pw?.hash)
    approx(
      `${ptr}/password/hash`,
      `not a crypt(3) hash; a blueprint would take it as the clear-text password of ${u.name}, so it is not written`,
    );
  else if (pw?.plain) t.password = pw.plain;
  if (pw?.locked) approx(`${ptr}/password/locked`, `a locked password for ${u.name} cannot be written`);
  if (pw?.empty) approx(`${ptr}/password/empty`, `an empty password for ${u.name} cannot be written`);
  putPlainUserFields(u, t);
  if (pw?.forceChange !== undefined) t.force_password_reset = pw.forceChange;
  return t;
}

/** Disk-wide settings go into [customizations.disk], which imgc writes only with partitions. */
function unwrittenDiskSettings(s: Storage, approx: (pointer: string, detail: string) => void): void {
  for (const k of ['partitionTable', 'size', 'sectorSize', 'startOffset'] as const)
    if (s[k] !== undefined) approx(`/storage/${k}`, 'imgc writes disk settings only with a partition layout');
}

function raiseStorage(s: Storage, c: Table, approx: (pointer: string, detail: string) => void): void {
  const saysNothing =
    !s.partitions.length &&
    !s.volumeGroups.length &&
    !s.raid.length &&
    !s.mountpoints.length &&
    !s.installationDevice;
  if (saysNothing && (s.mode === undefined || s.mode === 'auto')) {
    // a blueprint without storage keys already leaves the layout to osbuild
    if (s.mode === 'auto')
      approx('/storage', 'the layout is left to osbuild, which is what a blueprint says by default');
    unwrittenDiskSettings(s, approx);
    return;
  }
  if (s.mountpoints.length)
    c.filesystem = s.mountpoints.map((m) => ({
      mountpoint: m.mountpoint,
      minsize: formatSize(minimumSize(m.size.min, '/storage/mountpoints', approx)),
    }));
  if (s.mode && ['auto-lvm', 'lvm', 'raw'].includes(s.mode)) c.partitioning_mode = s.mode;
  else if (s.mode && s.mode !== 'explicit' && s.mode !== 'auto')
    approx('/storage/mode', `partitioning mode ${s.mode} has no blueprint equivalent`);
  if (s.installationDevice) c.installation_device = s.installationDevice;
  const explicit = s.mode === 'explicit' || s.partitions.length > 0;
  if (!explicit) {
    unwrittenDiskSettings(s, approx);
    return;
  }
  const disk: Table = {};
  if (s.partitionTable) disk.type = s.partitionTable;
  if (s.size?.min !== undefined) disk.minsize = formatSize(s.size.min);
  if (s.startOffset !== undefined) disk.start_offset = s.startOffset;
  if (s.sectorSize !== undefined) disk.sector_size = s.sectorSize;
  const partitions: Table[] = [];
  s.partitions.forEach((p, i) => {
    const ptr = `/storage/partitions/${i}`;
    const common: Table = {};
    common.minsize = formatSize(minimumSize(p.size?.min, `${ptr}/size`, approx));
    if (p.typeUuid) common.part_type = p.typeUuid;
    if (p.name) common.part_label = p.name;
    if (p.uuid) common.part_uuid = p.uuid;
    if (p.role === 'lvm' || p.volumeGroup !== undefined) {
      const vg = s.volumeGroups.find((g) => g.name === p.volumeGroup);
      partitions.push({
        type: 'lvm',
        ...(p.volumeGroup ? { name: p.volumeGroup } : {}),
        ...common,
        logical_volumes: (vg?.logicalVolumes ?? []).map((lv, j) => {
          const at = `/storage/volumeGroups/${s.volumeGroups.indexOf(vg!)}/logicalVolumes/${j}`;
          const writable = lv.filesystem !== undefined && PLAIN_FILESYSTEMS.has(lv.filesystem);
          if (lv.filesystem && !writable) {
            approx(
              `${at}/filesystem`,
              `a blueprint logical volume cannot be ${lv.filesystem}; osbuild chooses the filesystem`,
            );
          }
          return {
            name: lv.name,
            minsize: formatSize(minimumSize(lv.size?.min, `${at}/size`, approx)),
            ...(lv.mountpoint ? { mountpoint: lv.mountpoint } : {}),
            ...(lv.fsLabel ? { label: lv.fsLabel } : {}),
            ...(writable ? { fs_type: lv.filesystem } : {}),
          };
        }),
      });
    } else if (p.filesystem === 'btrfs' && !p.subvolumes?.length && p.mountpoint) {
      // a blueprint btrfs volume is mounted through subvolumes only
      approx(
        `${ptr}/mountpoint`,
        `btrfs on ${p.mountpoint} is written as a volume with one subvolume mounted there`,
      );
      if (p.fsLabel) approx(`${ptr}/fsLabel`, 'a blueprint btrfs volume has no label');
      partitions.push({
        type: 'btrfs',
        ...common,
        subvolumes: [{ name: subvolumeName(p.mountpoint), mountpoint: p.mountpoint }],
      });
    } else if (p.subvolumes?.length) {
      const subvolumes: Table[] = p.subvolumes.map((v, j) => {
        if (!v.mountpoint) return { name: v.name };
        // KIWI writes volume paths relative to the root; osbuild wants them absolute
        const mountpoint = v.mountpoint.startsWith('/') ? v.mountpoint : `/${v.mountpoint}`;
        if (mountpoint !== v.mountpoint)
          approx(`${ptr}/subvolumes/${j}/mountpoint`, `written as ${mountpoint}`);
        return { name: v.name, mountpoint };
      });
      // a blueprint btrfs volume is mounted only through its subvolumes
      if (p.mountpoint && !subvolumes.some((v) => v.mountpoint === p.mountpoint)) {
        const taken = new Set(subvolumes.map((v) => v.name));
        let name = subvolumeName(p.mountpoint);
        while (taken.has(name)) name = `${name}-volume`;
        approx(
          `${ptr}/mountpoint`,
          `the btrfs volume on ${p.mountpoint} is mounted through a subvolume "${name}"`,
        );
        subvolumes.unshift({ name, mountpoint: p.mountpoint });
      }
      if (p.fsLabel) approx(`${ptr}/fsLabel`, 'a blueprint btrfs volume has no label');
      partitions.push({ type: 'btrfs', ...common, subvolumes });
    } else {
      if (p.role && p.role !== roleForMountpoint(p.mountpoint, p.filesystem)) {
        approx(`${ptr}/role`, `the ${p.role} role is implied only by a mountpoint; give the partition one`);
      }
      partitions.push({
        type: 'plain',
        ...common,
        ...(p.mountpoint ? { mountpoint: p.mountpoint } : {}),
        ...(p.fsLabel ? { label: p.fsLabel } : {}),
        ...(p.filesystem && plainFilesystemAllowed(p.mountpoint, p.filesystem)
          ? { fs_type: p.filesystem }
          : {}),
      });
      if (p.filesystem && !plainFilesystemAllowed(p.mountpoint, p.filesystem)) {
        approx(
          `${ptr}/filesystem`,
          `osbuild does not take ${p.filesystem}${p.mountpoint ? ` on ${p.mountpoint}` : ''}; it chooses the filesystem`,
        );
      }
    }
  });
  s.volumeGroups.forEach((vg, i) => {
    if (!s.partitions.some((p) => p.volumeGroup === vg.name))
      approx(`/storage/volumeGroups/${i}`, `volume group ${vg.name} has no partition to live on`);
  });
  if (partitions.length) disk.partitions = partitions;
  c.disk = disk;
}

function wrap(bp: Table, ext: Table): Table {
  if (ext.dialect === 'build-config') return { ...((ext.wrapper as Table) ?? {}), blueprint: bp };
  if (ext.dialect === 'bib-legacy') return { blueprint: bp, ...((ext.wrapper as Table) ?? {}) };
  return bp;
}

function setAt(root: Table, ptr: string, value: unknown): void {
  const tokens = parsePointer(ptr);
  let cur: Table = root;
  for (const t of tokens.slice(0, -1)) {
    const next = cur[t];
    if (next === null || typeof next !== 'object') cur[t] = /^\d+$/.test(t) ? [] : {};
    cur = cur[t] as Table;
  }
  cur[tokens.at(-1)!] = value;
}

/** osbuild needs a positive minimum size everywhere; a sizeless source gets one, reported. */
const DEFAULT_MINIMUM = 1024 ** 3;
function minimumSize(
  bytes: number | undefined,
  pointer: string,
  approx: (pointer: string, detail: string) => void,
): number {
  if (bytes !== undefined && bytes > 0) return bytes;
  approx(pointer, 'blueprints need a minimum size here; 1 GiB was written');
  return DEFAULT_MINIMUM;
}

/** The IR spells firewall ports "22/tcp" (firewalld); blueprints spell them "22:tcp". */
function toBlueprintPort(port: string): string {
  return port.replace(/\/(tcp|udp|sctp|dccp|any)$/, ':$1');
}

/** fs_type values osbuild accepts on a plain partition. */
const PLAIN_FILESYSTEMS = new Set(['ext4', 'xfs', 'vfat', 'swap', 'none']);

function subvolumeName(mountpoint: string): string {
  return mountpoint === '/' ? 'root' : mountpoint.slice(1).replaceAll('/', '-');
}

/** osbuild takes three-digit octal modes only (no setuid/setgid/sticky bits). */
function writableMode(
  mode: string | undefined,
  pointer: string,
  approx: (pointer: string, detail: string) => void,
): { mode?: string } {
  if (mode === undefined) return {};
  if (MODE_PATTERN.test(mode)) return { mode };
  const short = mode.replace(/^0*(?=[0-7]{3}$)/, '');
  if (MODE_PATTERN.test(short)) return { mode: short.padStart(4, '0') };
  approx(pointer, `mode ${mode} has special bits osbuild cannot set; written as ${mode.slice(-3)}`);
  return { mode: `0${mode.slice(-3)}` };
}

/** osbuild's fs_type rules for plain partitions: its list, ext4/xfs for /boot, vfat for /boot/efi. */
function plainFilesystemAllowed(mountpoint: string | undefined, filesystem: string): boolean {
  if (!PLAIN_FILESYSTEMS.has(filesystem)) return false;
  if (mountpoint === '/boot') return filesystem === 'ext4' || filesystem === 'xfs';
  if (mountpoint === '/boot/efi') return filesystem === 'vfat';
  return true;
}
