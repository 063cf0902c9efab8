import { appendAll } from '../../../input/append.js';
import type { FileEntry, Partition, Repository, User, VolumeGroup } from '../../../ir/schema.js';
import { parseSize } from '../../../ir/size.js';
import { blueprintCodes } from '../codes.js';
import {
  CRYPT_PATTERN,
  directoryViolation,
  fileViolation,
  MODE_PATTERN,
  mountpointViolation,
  REPO_FILENAME_PATTERN,
} from '../policies.js';
import type { LowerContext, Table } from './context.js';
import { lowerDisk } from './lower-disk.js';

/** Customizations the IR models directly. */
const MODELLED = [
  'hostname',
  'kernel',
  'sshkey',
  'user',
  'group',
  'timezone',
  'locale',
  'firewall',
  'services',
  'filesystem',
  'disk',
  'installation_device',
  'partitioning_mode',
  'fips',
  'cacerts',
  'directories',
  'files',
  'repositories',
  'firstboot',
];
/** Customizations kept verbatim as extension data (osbuild-specific, no IR field). */
export const KEPT_VERBATIM = [
  'fdo',
  'openscap',
  'ignition',
  'installer',
  'rpm',
  'rhsm',
  'containers-storage',
  'dnf',
  'iso',
  'sshd',
  'wsl',
];

export function lowerCustomizations(ctx: LowerContext, c: Table, ext: Record<string, unknown>): void {
  const at = '/customizations';
  ctx.checkKeys(c, [...MODELLED, ...KEPT_VERBATIM], at, '[customizations]');
  const { ir } = ctx;

  const hostname = ctx.str(c, 'hostname', at);
  if (hostname !== undefined) {
    ir.system.hostname = hostname;
    ctx.map('/system/hostname', `${at}/hostname`);
  }

  const kernel = ctx.table(c, 'kernel', at);
  if (kernel) {
    const k = `${at}/kernel`;
    ctx.checkKeys(kernel, ['name', 'append'], k, '[customizations.kernel]');
    const name = ctx.str(kernel, 'name', k);
    if (name) {
      ir.system.kernel.package = name;
      ctx.map('/system/kernel/package', `${k}/name`);
    }
    const append = ctx.str(kernel, 'append', k);
    if (append) {
      ir.system.kernel.cmdline = splitCmdline(append);
      ctx.map('/system/kernel/cmdline', `${k}/append`);
    }
  }

  lowerAccounts(ctx, c);

  const tz = ctx.table(c, 'timezone', at);
  if (tz) {
    const t = `${at}/timezone`;
    ctx.checkKeys(tz, ['timezone', 'ntpservers'], t, '[customizations.timezone]');
    const zone = ctx.str(tz, 'timezone', t);
    if (zone) {
      ir.system.timezone = zone;
      ctx.map('/system/timezone', `${t}/timezone`);
    }
    const ntp = ctx.strList(tz, 'ntpservers', t);
    if (ntp) {
      ir.system.ntpServers = ntp;
      ctx.map('/system/ntpServers', `${t}/ntpservers`);
    }
  }

  const locale = ctx.table(c, 'locale', at);
  if (locale) {
    const l = `${at}/locale`;
    ctx.checkKeys(locale, ['languages', 'keyboard'], l, '[customizations.locale]');
    const languages = ctx.strList(locale, 'languages', l);
    if (languages && languages.length > 0) {
      ir.system.locale = languages[0];
      ctx.map('/system/locale', `${l}/languages/0`);
      if (languages.length > 1) {
        ir.system.extraLocales = languages.slice(1);
        ctx.map('/system/extraLocales', `${l}/languages`);
      }
    }
    const keyboard = ctx.str(locale, 'keyboard', l);
    if (keyboard) {
      ir.system.keymap = keyboard;
      ctx.map('/system/keymap', `${l}/keyboard`);
    }
  }

  lowerFirewall(ctx, c);

  const services = ctx.table(c, 'services', at);
  if (services) {
    const s = `${at}/services`;
    ctx.checkKeys(services, ['enabled', 'disabled', 'masked'], s, '[customizations.services]');
    for (const [key, field] of [
      ['enabled', 'enable'],
      ['disabled', 'disable'],
      ['masked', 'mask'],
    ] as const) {
      const list = ctx.strList(services, key, s);
      if (list) {
        ir.system.services[field] = list;
        ctx.map(`/system/services/${field}`, `${s}/${key}`);
      }
    }
  }

  lowerStorage(ctx, c);

  const fips = ctx.bool(c, 'fips', at);
  if (fips !== undefined) {
    ir.system.fips = fips;
    ctx.map('/system/fips', `${at}/fips`);
  }

  const cacerts = ctx.table(c, 'cacerts', at);
  if (cacerts) {
    const p = `${at}/cacerts`;
    ctx.checkKeys(cacerts, ['pem_certs'], p, '[customizations.cacerts]');
    const pems = ctx.strList(cacerts, 'pem_certs', p) ?? [];
    pems.forEach((pem, i) => {
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        ctx.report(
          blueprintCodes.invalidValue,
          { field: 'pem_certs', value: `#${i + 1}`, expected: 'a PEM certificate' },
          `${p}/pem_certs/${i}`,
        );
      }
    });
    ir.system.caCertificates = pems;
    ctx.map('/system/caCertificates', `${p}/pem_certs`);
  }

  lowerFilesAndDirectories(ctx, c);
  lowerRepositories(ctx, c);
  lowerFirstboot(ctx, c, ext);

  const kept: Record<string, unknown> = {};
  for (const key of KEPT_VERBATIM) if (c[key] !== undefined) kept[key] = c[key];
  validateKept(ctx, c);
  if (Object.keys(kept).length > 0) ext.customizations = kept;
}

/** `console=ttyS0 "quiet splash"`-style append strings split like a shell would, keeping quotes inside values. */
export function splitCmdline(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (const ch of text) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

function lowerAccounts(ctx: LowerContext, c: Table): void {
  const { ir } = ctx;
  const at = '/customizations';
  const byName = new Map<string, User>();

  ctx.tables(c, 'sshkey', at).forEach((entry, i) => {
    const p = `${at}/sshkey/${i}`;
    if (i === 0)
      ctx.report(
        blueprintCodes.deprecatedKey,
        { field: 'sshkey', replacement: 'customizations.user with key' },
        p,
      );
    ctx.checkKeys(entry, ['user', 'key'], p, '[[customizations.sshkey]]');
    const user = ctx.str(entry, 'user', p);
    const key = ctx.str(entry, 'key', p);
    if (!user || !key) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: user ? 'key' : 'user', where: 'every [[customizations.sshkey]]' },
        p,
      );
      return;
    }
    const existing = byName.get(user);
    if (existing) appendAll(existing.sshKeys, keyLines(key));
    else {
      const u: User = { name: user, groups: [], sshKeys: keyLines(key) };
      byName.set(user, u);
      ctx.map(`/accounts/users/${ir.accounts.users.length}`, p);
      ir.accounts.users.push(u);
    }
  });

  const seenUsers = new Set<string>();
  ctx.tables(c, 'user', at).forEach((entry, i) => {
    const p = `${at}/user/${i}`;
    ctx.checkKeys(
      entry,
      [
        'name',
        'description',
        'password',
        'key',
        'home',
        'shell',
        'groups',
        'uid',
        'gid',
        'expiredate',
        'force_password_reset',
      ],
      p,
      '[[customizations.user]]',
    );
    const name = ctx.str(entry, 'name', p);
    if (!name) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'name', where: 'every [[customizations.user]]' },
        p,
      );
      return;
    }
    if (seenUsers.has(name)) ctx.report(blueprintCodes.duplicate, { what: 'user', value: name }, `${p}/name`);
    seenUsers.add(name);
    // a [[user]] overrides the legacy [[sshkey]] entry of the same name: its key comes first
    const fromSshkey = byName.get(name);
    const user: User = fromSshkey ?? { name, groups: [], sshKeys: [] };
    let index = ir.accounts.users.indexOf(user);
    if (index < 0) {
      index = ir.accounts.users.length;
      ir.accounts.users.push(user);
      byName.set(name, user);
    }
    const ptr = `/accounts/users/${index}`;
    ctx.map(ptr, p);
    const description = ctx.str(entry, 'description', p);
    if (description !== undefined) user.description = description;
    const password = ctx.str(entry, 'password', p);
    if (password) {
      if (CRYPT_PATTERN.test(password)) user.password = { hash: password };
      else {
        user.password = { plain: password };
        ctx.report(blueprintCodes.plainPassword, { user: name }, `${p}/password`);
      }
      ctx.map(`${ptr}/password`, `${p}/password`);
    }
    const reset = ctx.bool(entry, 'force_password_reset', p);
    if (reset !== undefined) user.password = { ...user.password, forceChange: reset };
    const key = ctx.str(entry, 'key', p);
    if (key) user.sshKeys = [...keyLines(key), ...(fromSshkey ? user.sshKeys : [])];
    const home = ctx.str(entry, 'home', p);
    if (home) user.home = home.length > 1 ? home.replace(/\/+$/, '') : home;
    const shell = ctx.str(entry, 'shell', p);
    if (shell) user.shell = shell;
    const groups = ctx.strList(entry, 'groups', p);
    if (groups) user.groups = groups;
    const uid = ctx.int(entry, 'uid', p);
    if (uid !== undefined) user.uid = uid;
    const gid = ctx.int(entry, 'gid', p);
    if (gid !== undefined) user.gid = gid;
    const expire = ctx.int(entry, 'expiredate', p);
    if (expire !== undefined) user.expireDate = expire;
  });

  liftRootUser(ctx);

  const groupNames = new Set<string>();
  const gids = new Set<number>();
  ctx.tables(c, 'group', at).forEach((entry, i) => {
    const p = `${at}/group/${i}`;
    ctx.checkKeys(entry, ['name', 'gid'], p, '[[customizations.group]]');
    const name = ctx.str(entry, 'name', p);
    if (!name) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'name', where: 'every [[customizations.group]]' },
        p,
      );
      return;
    }
    if (groupNames.has(name))
      ctx.report(blueprintCodes.duplicate, { what: 'group', value: name }, `${p}/name`);
    groupNames.add(name);
    const gid = ctx.int(entry, 'gid', p);
    if (gid !== undefined) {
      if (gids.has(gid))
        ctx.report(blueprintCodes.duplicate, { what: 'group gid', value: String(gid) }, `${p}/gid`);
      gids.add(gid);
    }
    ctx.map(`/accounts/groups/${ir.accounts.groups.length}`, p);
    ir.accounts.groups.push(gid === undefined ? { name } : { name, gid });
  });
}

function keyLines(key: string): string[] {
  return key
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function lowerFirewall(ctx: LowerContext, c: Table): void {
  const fw = ctx.table(c, 'firewall', '/customizations');
  if (!fw) return;
  const p = '/customizations/firewall';
  ctx.checkKeys(fw, ['ports', 'services', 'zones'], p, '[customizations.firewall]');
  const firewall = {
    ports: [] as string[],
    services: { enable: [] as string[], disable: [] as string[] },
    zones: [] as { name: string; sources: string[] }[],
  };
  const ports = ctx.strList(fw, 'ports', p) ?? [];
  ports.forEach((port, i) => {
    if (!/^([\w-]+|\d+(-\d+)?):(tcp|udp|sctp|dccp|any)$|^[\w-]+$/.test(port)) {
      ctx.report(
        blueprintCodes.invalidValue,
        {
          field: 'firewall.ports',
          value: JSON.stringify(port),
          expected: '"port:proto", "from-to:proto" or a service name',
        },
        `${p}/ports/${i}`,
      );
    }
  });
  firewall.ports = ports.map((port) => port.replace(/:(tcp|udp|sctp|dccp|any)$/, '/$1'));
  const services = ctx.table(fw, 'services', p);
  if (services) {
    ctx.checkKeys(services, ['enabled', 'disabled'], `${p}/services`, '[customizations.firewall.services]');
    firewall.services.enable = ctx.strList(services, 'enabled', `${p}/services`) ?? [];
    firewall.services.disable = ctx.strList(services, 'disabled', `${p}/services`) ?? [];
  }
  ctx.tables(fw, 'zones', p).forEach((zone, i) => {
    const z = `${p}/zones/${i}`;
    ctx.checkKeys(zone, ['name', 'sources'], z, '[[customizations.firewall.zones]]');
    const name = ctx.str(zone, 'name', z);
    if (!name) {
      ctx.report(blueprintCodes.missingRequired, { field: 'name', where: 'every firewall zone' }, z);
      return;
    }
    firewall.zones.push({ name, sources: ctx.strList(zone, 'sources', z) ?? [] });
  });
  ctx.ir.system.firewall = firewall;
  ctx.map('/system/firewall', p);
}

function lowerStorage(ctx: LowerContext, c: Table): void {
  const at = '/customizations';
  const filesystems = ctx.tables(c, 'filesystem', at);
  const disk = ctx.table(c, 'disk', at);
  const mode = ctx.str(c, 'partitioning_mode', at);
  const device = ctx.str(c, 'installation_device', at);
  if (filesystems.length === 0 && !disk && !mode && !device) return;
  const storage = {
    partitions: [] as Partition[],
    volumeGroups: [] as VolumeGroup[],
    raid: [],
    mountpoints: [] as { mountpoint: string; size: { min?: number } }[],
  };
  ctx.ir.storage = storage;
  if (filesystems.length > 0 && disk)
    ctx.report(
      blueprintCodes.conflict,
      { a: 'customizations.filesystem', b: 'customizations.disk' },
      `${at}/disk`,
    );

  const seen = new Set<string>();
  filesystems.forEach((fs, i) => {
    const p = `${at}/filesystem/${i}`;
    ctx.checkKeys(fs, ['mountpoint', 'minsize', 'size'], p, '[[customizations.filesystem]]');
    const mountpoint = ctx.str(fs, 'mountpoint', p);
    if (!mountpoint) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'mountpoint', where: 'every [[customizations.filesystem]]' },
        p,
      );
      return;
    }
    const violation = mountpointViolation(mountpoint);
    if (violation)
      ctx.report(blueprintCodes.mountpointPolicy, { mountpoint, reason: violation }, `${p}/mountpoint`);
    if (seen.has(mountpoint))
      ctx.report(blueprintCodes.duplicate, { what: 'mountpoint', value: mountpoint }, `${p}/mountpoint`);
    seen.add(mountpoint);
    if (fs.size !== undefined && fs.minsize !== undefined)
      ctx.report(blueprintCodes.conflict, { a: 'size', b: 'minsize' }, `${p}/size`);
    else if (fs.size !== undefined)
      ctx.report(blueprintCodes.deprecatedKey, { field: 'size', replacement: 'minsize' }, `${p}/size`);
    const raw = fs.minsize ?? fs.size;
    const bytes = parseSize(raw);
    if (bytes === undefined || bytes <= 0) {
      ctx.report(
        blueprintCodes.badSize,
        { field: 'minsize', value: String(raw) },
        `${p}/${fs.minsize !== undefined ? 'minsize' : 'size'}`,
      );
      return;
    }
    ctx.map(`/storage/mountpoints/${storage.mountpoints.length}`, p);
    storage.mountpoints.push({ mountpoint, size: { min: bytes } });
  });

  if (mode !== undefined && mode !== '') {
    if (!['auto-lvm', 'lvm', 'raw'].includes(mode)) {
      ctx.report(
        blueprintCodes.invalidValue,
        { field: 'partitioning_mode', value: JSON.stringify(mode), expected: '"auto-lvm", "lvm" or "raw"' },
        `${at}/partitioning_mode`,
      );
    } else {
      (ctx.ir.storage as { mode?: string }).mode = mode;
      ctx.map('/storage/mode', `${at}/partitioning_mode`);
    }
  }
  if (device) {
    (ctx.ir.storage as { installationDevice?: string }).installationDevice = device;
    ctx.map('/storage/installationDevice', `${at}/installation_device`);
  }
  if (disk) lowerDisk(ctx, disk);
}

function lowerFilesAndDirectories(ctx: LowerContext, c: Table): void {
  const at = '/customizations';
  const paths = new Map<string, string>();
  const owner = (entry: Table, key: string, p: string): string | number | undefined => {
    const v = entry[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= 0)) return v;
    ctx.report(
      blueprintCodes.wrongType,
      { field: key, expected: 'a name or a numeric id', found: String(v) },
      `${p}/${key}`,
    );
    return undefined;
  };
  const mode = (entry: Table, p: string): string | undefined => {
    const m = ctx.str(entry, 'mode', p);
    if (m !== undefined && !MODE_PATTERN.test(m)) {
      ctx.report(blueprintCodes.badMode, { value: m }, `${p}/mode`);
      return undefined;
    }
    return m;
  };

  ctx.tables(c, 'directories', at).forEach((entry, i) => {
    const p = `${at}/directories/${i}`;
    ctx.checkKeys(
      entry,
      ['path', 'user', 'group', 'mode', 'ensure_parents'],
      p,
      '[[customizations.directories]]',
    );
    const path = ctx.str(entry, 'path', p);
    if (!path) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'path', where: 'every [[customizations.directories]]' },
        p,
      );
      return;
    }
    const violation = directoryViolation(path);
    if (violation) ctx.report(blueprintCodes.pathPolicy, { path, reason: violation }, `${p}/path`);
    if (paths.has(path)) ctx.report(blueprintCodes.duplicate, { what: 'path', value: path }, `${p}/path`);
    paths.set(path, 'dir');
    const dir = { path } as (typeof ctx.ir.directories)[number];
    const m = mode(entry, p);
    if (m) dir.mode = m;
    const u = owner(entry, 'user', p);
    if (u !== undefined) dir.user = u;
    const g = owner(entry, 'group', p);
    if (g !== undefined) dir.group = g;
    const parents = ctx.bool(entry, 'ensure_parents', p);
    if (parents !== undefined) dir.ensureParents = parents;
    ctx.map(`/directories/${ctx.ir.directories.length}`, p);
    ctx.ir.directories.push(dir);
  });

  ctx.tables(c, 'files', at).forEach((entry, i) => {
    const p = `${at}/files/${i}`;
    ctx.checkKeys(entry, ['path', 'user', 'group', 'mode', 'data', 'uri'], p, '[[customizations.files]]');
    const path = ctx.str(entry, 'path', p);
    if (!path) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'path', where: 'every [[customizations.files]]' },
        p,
      );
      return;
    }
    const violation = fileViolation(path);
    if (violation) ctx.report(blueprintCodes.pathPolicy, { path, reason: violation }, `${p}/path`);
    if (paths.has(path)) ctx.report(blueprintCodes.duplicate, { what: 'path', value: path }, `${p}/path`);
    paths.set(path, 'file');
    const file: FileEntry = { path };
    const data = ctx.str(entry, 'data', p);
    const uri = ctx.str(entry, 'uri', p);
    if (data !== undefined && uri !== undefined)
      ctx.report(blueprintCodes.conflict, { a: 'data', b: 'uri' }, `${p}/uri`);
    if (data !== undefined) file.content = data;
    if (uri !== undefined) file.source = uri;
    const m = mode(entry, p);
    if (m) file.mode = m;
    const u = owner(entry, 'user', p);
    if (u !== undefined) file.user = u;
    const g = owner(entry, 'group', p);
    if (g !== undefined) file.group = g;
    ctx.map(`/files/${ctx.ir.files.length}`, p);
    ctx.ir.files.push(file);
  });

  // a file may not be the parent of another file or directory
  for (const [path, kind] of paths) {
    if (kind !== 'file') continue;
    for (const other of paths.keys()) {
      if (other.startsWith(`${path}/`)) {
        const index = ctx.ir.files.findIndex((f) => f.path === path);
        ctx.report(
          blueprintCodes.pathPolicy,
          { path, reason: `is a file, but ${other} is below it` },
          `${at}/files/${index}`,
        );
        break;
      }
    }
  }
}

function lowerRepositories(ctx: LowerContext, c: Table): void {
  const ids = new Set<string>();
  ctx.tables(c, 'repositories', '/customizations').forEach((entry, i) => {
    const p = `/customizations/repositories/${i}`;
    ctx.checkKeys(
      entry,
      [
        'id',
        'name',
        'baseurls',
        'mirrorlist',
        'metalink',
        'gpgkeys',
        'gpgcheck',
        'repo_gpgcheck',
        'sslverify',
        'priority',
        'enabled',
        'module_hotfixes',
        'filename',
        'install_from',
      ],
      p,
      '[[customizations.repositories]]',
    );
    const id = ctx.str(entry, 'id', p);
    if (!id) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'id', where: 'every [[customizations.repositories]]' },
        p,
      );
      return;
    }
    if (ids.has(id)) ctx.report(blueprintCodes.duplicate, { what: 'repository id', value: id }, `${p}/id`);
    ids.add(id);
    const repo: Repository = { id, type: 'rpm-md', urls: ctx.strList(entry, 'baseurls', p) ?? [] };
    const name = ctx.str(entry, 'name', p);
    if (name !== undefined) repo.name = name;
    const mirrorlist = ctx.str(entry, 'mirrorlist', p);
    if (mirrorlist) repo.mirrorlist = mirrorlist;
    const metalink = ctx.str(entry, 'metalink', p);
    if (metalink) repo.metalink = metalink;
    if (repo.urls.length === 0 && !mirrorlist && !metalink) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'baseurls, mirrorlist or metalink', where: `repository ${id}` },
        p,
      );
    }
    const keys = ctx.strList(entry, 'gpgkeys', p);
    if (keys) repo.gpgKeys = keys;
    const gpgcheck = ctx.bool(entry, 'gpgcheck', p);
    if (gpgcheck !== undefined) repo.gpgCheck = gpgcheck;
    if (gpgcheck && (!keys || keys.length === 0)) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'gpgkeys', where: `repository ${id} with gpgcheck = true` },
        `${p}/gpgcheck`,
      );
    }
    const repoGpg = ctx.bool(entry, 'repo_gpgcheck', p);
    if (repoGpg !== undefined) repo.repoGpgCheck = repoGpg;
    const ssl = ctx.bool(entry, 'sslverify', p);
    if (ssl !== undefined) repo.sslVerify = ssl;
    const priority = ctx.int(entry, 'priority', p);
    if (priority !== undefined) repo.priority = priority;
    const enabled = ctx.bool(entry, 'enabled', p);
    if (enabled !== undefined) repo.enabled = enabled;
    const hotfixes = ctx.bool(entry, 'module_hotfixes', p);
    if (hotfixes !== undefined) repo.moduleHotfixes = hotfixes;
    const filename = ctx.str(entry, 'filename', p);
    if (filename !== undefined) {
      if (!REPO_FILENAME_PATTERN.test(filename)) {
        ctx.report(
          blueprintCodes.invalidValue,
          {
            field: 'filename',
            value: JSON.stringify(filename),
            expected: 'letters, digits, "_", "." and "-", ending in .repo',
          },
          `${p}/filename`,
        );
      }
      repo.fileName = filename;
    }
    const installFrom = ctx.bool(entry, 'install_from', p);
    repo.usage = installFrom ? 'build-and-image' : 'image-only';
    ctx.map(`/repositories/${ctx.ir.repositories.length}`, p);
    ctx.ir.repositories.push(repo);
  });
}

function lowerFirstboot(ctx: LowerContext, c: Table, ext: Record<string, unknown>): void {
  const firstboot = ctx.table(c, 'firstboot', '/customizations');
  if (!firstboot) return;
  const p = '/customizations/firstboot';
  ctx.checkKeys(firstboot, ['scripts'], p, '[customizations.firstboot]');
  const others: Table[] = [];
  const names = new Set<string>();
  ctx.tables(firstboot, 'scripts', p).forEach((script, i) => {
    const s = `${p}/scripts/${i}`;
    const type = ctx.str(script, 'type', s) ?? 'custom';
    ctx.checkKeys(
      script,
      [
        'type',
        'name',
        'ignore_failure',
        'after',
        'before',
        'contents',
        'command',
        'cacerts',
        'job_template_url',
        'host_config_key',
      ],
      s,
      'a firstboot script',
    );
    const name = ctx.str(script, 'name', s);
    if (name !== undefined) {
      if (!/^[A-Za-z0-9_-]+$/.test(name))
        ctx.report(
          blueprintCodes.invalidValue,
          { field: 'name', value: JSON.stringify(name), expected: 'letters, digits, "_" and "-"' },
          `${s}/name`,
        );
      if (names.has(name))
        ctx.report(blueprintCodes.duplicate, { what: 'firstboot script name', value: name }, `${s}/name`);
      names.add(name);
    }
    const contents = ctx.str(script, 'contents', s);
    const simple = type === 'custom' && script.after === undefined && script.before === undefined;
    if (simple && contents !== undefined) {
      const ignore = ctx.bool(script, 'ignore_failure', s);
      ctx.map(`/scripts/${ctx.ir.scripts.length}`, s);
      ctx.ir.scripts.push({
        phase: 'first-boot',
        chroot: true,
        body: contents,
        ...(name !== undefined ? { name } : {}),
        ...(ignore !== undefined ? { onError: ignore ? 'ignore' : 'fail' } : {}),
      });
    } else {
      if (!['custom', 'satellite', 'aap'].includes(type)) {
        ctx.report(
          blueprintCodes.invalidValue,
          { field: 'type', value: JSON.stringify(type), expected: '"custom", "satellite" or "aap"' },
          `${s}/type`,
        );
      }
      others.push(script);
    }
  });
  if (others.length > 0) ext.firstboot = others;
}

/** osbuild's rules for the customizations imgc keeps verbatim. */
function validateKept(ctx: LowerContext, c: Table): void {
  const at = '/customizations';
  const fdo = ctx.table(c, 'fdo', at);
  if (fdo) {
    if (!fdo.manufacturing_server_url)
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'manufacturing_server_url', where: '[customizations.fdo]' },
        `${at}/fdo`,
      );
    const keys = ['diun_pub_key_hash', 'diun_pub_key_insecure', 'diun_pub_key_root_certs'].filter(
      (k) => fdo[k] !== undefined,
    );
    if (keys.length !== 1) {
      ctx.report(
        blueprintCodes.invalidValue,
        {
          field: 'fdo',
          value: keys.join(', ') || 'none',
          expected: 'exactly one of diun_pub_key_hash, diun_pub_key_insecure, diun_pub_key_root_certs',
        },
        `${at}/fdo`,
      );
    }
  }
  const ignition = ctx.table(c, 'ignition', at);
  if (ignition) {
    if (ignition.embedded !== undefined && ignition.firstboot !== undefined)
      ctx.report(
        blueprintCodes.conflict,
        { a: 'ignition.embedded', b: 'ignition.firstboot' },
        `${at}/ignition`,
      );
    if (isTab(ignition.firstboot) && ignition.firstboot.url === undefined)
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'url', where: '[customizations.ignition.firstboot]' },
        `${at}/ignition/firstboot`,
      );
  }
  const openscap = ctx.table(c, 'openscap', at);
  if (openscap && !openscap.profile_id)
    ctx.report(
      blueprintCodes.missingRequired,
      { field: 'profile_id', where: '[customizations.openscap]' },
      `${at}/openscap`,
    );
  const iso = ctx.table(c, 'iso', at);
  if (iso && typeof iso.volume_id === 'string' && !/^[\w-]+$/.test(iso.volume_id)) {
    ctx.report(
      blueprintCodes.invalidValue,
      {
        field: 'iso.volume_id',
        value: JSON.stringify(iso.volume_id),
        expected: 'letters, digits, "_" and "-"',
      },
      `${at}/iso/volume_id`,
    );
  }
  const installer = ctx.table(c, 'installer', at);
  if (installer && isTab(installer.kickstart) && installer.kickstart.contents !== undefined) {
    const sudo = installer['sudo-nopasswd'];
    if (installer.unattended === true || (Array.isArray(sudo) && sudo.length > 0)) {
      ctx.report(
        blueprintCodes.conflict,
        { a: 'installer.kickstart.contents', b: 'installer.unattended / sudo-nopasswd' },
        `${at}/installer/kickstart`,
      );
    }
    if (c.user !== undefined || c.group !== undefined) {
      ctx.report(
        blueprintCodes.conflict,
        { a: 'installer.kickstart.contents', b: 'user/group customizations' },
        `${at}/installer/kickstart`,
      );
    }
  }
}

function isTab(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A `[[customizations.user]]` named root sets the root account; the IR keeps it there
 * when it says nothing a root account cannot hold.
 */
function liftRootUser(ctx: LowerContext): void {
  const users = ctx.ir.accounts.users;
  const index = users.findIndex((u) => u.name === 'root');
  if (index < 0) return;
  const root = users[index]!;
  const rootOnly =
    Object.keys(root).every((k) => ['name', 'password', 'sshKeys', 'shell', 'groups'].includes(k)) &&
    root.groups.length === 0;
  if (!rootOnly) return;
  ctx.ir.accounts.root = {
    sshKeys: root.sshKeys,
    ...(root.password ? { password: root.password } : {}),
    ...(root.shell ? { shell: root.shell } : {}),
  };
  users.splice(index, 1);
  const from = `/accounts/users/${index}`;
  const moved: typeof ctx.positions = {};
  for (const [ptr, pos] of Object.entries(ctx.positions)) {
    const m = /^\/accounts\/users\/(\d+)(.*)$/.exec(ptr);
    if (!m) continue;
    const i = Number(m[1]);
    delete ctx.positions[ptr];
    if (ptr === from || ptr.startsWith(`${from}/`)) moved[`/accounts/root${m[2]}`] = pos;
    else moved[`/accounts/users/${i > index ? i - 1 : i}${m[2]}`] = pos;
  }
  Object.assign(ctx.positions, moved);
}
