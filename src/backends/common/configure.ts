/**
 * System fields, accounts and services for every family (Debian/Ubuntu, Fedora/RHEL, SUSE,
 * Arch): the same IR writes the same files in each. Everything runs from the host against
 * the tree (`useradd --root`, `chpasswd --root`, `systemctl --root`) or writes the files
 * those tools would write, so it works the same in a full distribution tree and in a minimal
 * one; tools of the image run in a chroot only where there is no host equivalent
 * (locale-gen, the CA store rebuild). A family's `RootLayout` says only where its files
 * differ: the CA anchor folder, its package caches and logs, and the files its own tools
 * read besides the common ones (Debian's /etc/default/locale).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import {
  emptyFileInTree,
  existingInTree,
  removeInTree,
  symlinkInTree,
  writeFileInTree,
} from '../../exec/tree-path.js';
import { appendAll } from '../../input/append.js';
import {
  CONFIGURE_STEP_TYPES,
  PACKAGE_STEP_TYPES,
  type PlanStep,
  type StepOptions,
} from '../../plan/steps.js';
import { type StepContext, StepError } from '../contract.js';
import { writeAuthorizedKeys } from './ssh-keys.js';

export interface RootLayout {
  /** where extra CA certificates go, relative to the root */
  caAnchors: string;
  /** the file name ending the CA rebuild picks up (update-ca-certificates reads only *.crt) */
  caExtension: '.pem' | '.crt';
  /** the image's command that rebuilds the trust store, run in a chroot when present */
  caUpdate: string[];
  /** Arch: locales are compiled from /etc/locale.gen by locale-gen */
  localeGen: boolean;
  /** package-manager caches removed by finalize, relative to the root */
  caches: string[];
  /** package-manager logs emptied by finalize */
  logs: string[];
  /** environment added for the image's tools run in a chroot */
  chrootEnv?: Record<string, string>;
  /** files the family's own tools read, written besides the common ones (path → content) */
  familyFiles?(system: StepOptions<'configure-system'>): Record<string, string>;
}

async function put(tree: string, path: string, content: string, mode = 0o644) {
  await writeFileInTree(tree, path, content, mode);
}

const plainLocale = (l: string) => /^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l);

function charsetOf(locale: string): string {
  const m = /\.([^@]+)/.exec(locale);
  if (!m) return 'ISO-8859-1';
  const cs = m[1]!.toUpperCase();
  return cs === 'UTF8' ? 'UTF-8' : cs;
}

const chrootEnv = { LC_ALL: 'C.UTF-8', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

function inImage(tree: string, command: string): boolean {
  return ['usr/bin', 'usr/sbin', 'bin', 'sbin'].some((d) => existsSync(join(tree, d, command)));
}

export async function configureSystem(
  step: PlanStep<'configure-system'>,
  context: StepContext,
  layout: RootLayout,
) {
  const o = step.options;
  const { tree, runner } = context;
  const log = (l: string) => context.progress.log(l);
  const ignored = (field: string, pointer: string, reason: string) =>
    context.report(diag(buildCodes.fieldIgnored, { field, reason }, {}, { severity: 'warning', pointer }));

  const env = { ...chrootEnv, ...layout.chrootEnv };
  if (o.hostname) {
    await put(tree, 'etc/hostname', `${o.hostname}\n`);
    await put(tree, 'etc/hosts', hostsFile(o.hostname));
  }
  if (o.locale) await put(tree, 'etc/locale.conf', `LANG=${o.locale}\n`);
  const locales = [o.locale, ...o.extraLocales].filter((l): l is string => Boolean(l) && !plainLocale(l!));
  if (layout.localeGen && locales.length) {
    const wanted = [...new Set(locales)].map((l) => `${l} ${charsetOf(l)}`);
    await put(tree, 'etc/locale.gen', `${wanted.join('\n')}\n`);
    if (inImage(tree, 'locale-gen')) {
      context.progress.note('locale-gen');
      await runner.chroot(tree, ['locale-gen'], { env, onLine: log });
    } else ignored('system.locale', '/system/locale', 'locale-gen is not in the image (glibc missing?)');
  }
  if (o.keymap) await put(tree, 'etc/vconsole.conf', `KEYMAP=${o.keymap}\n`);
  if (o.timezone) {
    await symlinkInTree(tree, 'etc/localtime', `../usr/share/zoneinfo/${o.timezone}`);
    if (!existsSync(join(tree, 'usr/share/zoneinfo', o.timezone)))
      ignored('system.timezone', '/system/timezone', `/usr/share/zoneinfo/${o.timezone} is not in the image`);
  }
  if (o.utc === false) await put(tree, 'etc/adjtime', '0.0 0 0.0\n0\nLOCAL\n');
  if (o.machineId !== undefined) await put(tree, 'etc/machine-id', `${o.machineId}\n`, 0o444);
  if (o.kernelCmdline.length) await put(tree, 'etc/kernel/cmdline', `${o.kernelCmdline.join(' ')}\n`);
  if (o.rootShell) await ensureAccountFiles(tree);
  if (o.rootShell) await runner.run('usermod', ['--root', tree, '-s', o.rootShell, 'root'], { onLine: log });
  if (o.ntpServers.length) {
    if (existsSync(join(tree, 'etc/chrony.conf'))) {
      const conf = await readFile(join(tree, 'etc/chrony.conf'), 'utf8');
      const kept = conf
        .split('\n')
        .filter((l) => !/^\s*(pool|server)\s/.test(l))
        .join('\n');
      await put(
        tree,
        'etc/chrony.conf',
        `${o.ntpServers.map((s) => `server ${s} iburst`).join('\n')}\n${kept}`,
      );
    } else {
      await put(tree, 'etc/systemd/timesyncd.conf.d/50-imgc.conf', `[Time]\nNTP=${o.ntpServers.join(' ')}\n`);
    }
  }
  if (o.caCertificates.length) {
    for (const [i, pem] of o.caCertificates.entries())
      await put(
        tree,
        `${layout.caAnchors}/imgc-${i + 1}${layout.caExtension}`,
        pem.endsWith('\n') ? pem : `${pem}\n`,
      );
    if (inImage(tree, layout.caUpdate[0]!)) await runner.chroot(tree, layout.caUpdate, { env, onLine: log });
    else
      ignored(
        'system.caCertificates',
        '/system/caCertificates',
        `the certificates are in /${layout.caAnchors} but ${layout.caUpdate[0]} is not in the image to rebuild the trust store`,
      );
  }
  for (const [path, content] of Object.entries(layout.familyFiles?.(o) ?? {})) await put(tree, path, content);
}

/** The name resolves to the host itself without DNS, as Debian's installer writes it. */
function hostsFile(hostname: string): string {
  const short = hostname.split('.')[0];
  const names = short === hostname ? hostname : `${hostname} ${short}`;
  return `127.0.0.1\tlocalhost\n127.0.1.1\t${names}\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`;
}

type PasswordSpec = NonNullable<StepOptions<'configure-accounts'>['users'][number]['password']>;

async function names(tree: string, file: 'passwd' | 'group'): Promise<Set<string>> {
  const text = await readFile(await existingInTree(tree, `/etc/${file}`), 'utf8').catch(() => '');
  return new Set(
    text
      .split('\n')
      .map((l) => l.split(':')[0]!)
      .filter(Boolean),
  );
}

/** The account databases useradd expects; a minimal tree may not have them yet. */
async function ensureAccountFiles(tree: string) {
  const base: Record<string, [string, number]> = {
    'etc/passwd': ['root:x:0:0:root:/root:/bin/sh\n', 0o644],
    'etc/group': ['root:x:0:\n', 0o644],
    'etc/shadow': ['root:!*:::::::\n', 0o000],
    'etc/gshadow': ['root:::\n', 0o000],
  };
  for (const [path, [content, mode]] of Object.entries(base)) {
    if (!existsSync(join(tree, path))) await put(tree, path, content, mode);
  }
}

export async function configureAccounts(step: PlanStep<'configure-accounts'>, context: StepContext) {
  const o = step.options;
  const { tree } = context;
  const log = (l: string) => context.progress.log(l);
  const tool = (cmd: string, args: string[], input?: string) =>
    context.runner.run(cmd, ['--root', tree, ...args], { input, onLine: log });
  await ensureAccountFiles(tree);

  const password = async (user: string, p: PasswordSpec | undefined) => {
    if (!p) return;
    // On stdin: a hash on the command line would show in the process list.
    if (p.hash) await tool('chpasswd', ['-e'], `${user}:${p.hash}\n`);
    else if (p.plain !== undefined) await tool('chpasswd', ['-c', 'SHA512'], `${user}:${p.plain}\n`);
    if (p.empty) await tool('passwd', ['-d', user]);
    if (p.locked) await tool('usermod', ['-L', user]);
    if (p.forceChange) await tool('chage', ['-d', '0', user]);
  };

  const groups = await names(tree, 'group');
  for (const g of o.groups) {
    if (groups.has(g.name)) continue;
    const args: string[] = [];
    if (g.gid !== undefined) args.push('-g', String(g.gid));
    if (g.system) args.push('-r');
    await tool('groupadd', [...args, g.name]);
    groups.add(g.name);
  }
  for (const u of o.users) {
    for (const name of [...u.groups, ...(u.primaryGroup ? [u.primaryGroup] : [])]) {
      if (groups.has(name)) continue;
      await tool('groupadd', ['-r', name]);
      groups.add(name);
    }
  }
  const users = await names(tree, 'passwd');
  for (const u of o.users) {
    const args: string[] = [];
    if (u.uid !== undefined) args.push('-u', String(u.uid));
    if (u.primaryGroup) args.push('-g', u.primaryGroup);
    else if (u.gid !== undefined) args.push('-g', String(u.gid));
    if (u.groups.length) args.push('-G', u.groups.join(','));
    if (u.description !== undefined) args.push('-c', u.description);
    if (u.home) args.push('-d', u.home);
    if (u.shell) args.push('-s', u.shell);
    // useradd's default shell differs by family (Debian: /bin/sh); a login user gets bash in every one
    else if (!users.has(u.name) && !u.system) args.push('-s', '/bin/bash');
    if (u.expireDate !== undefined)
      args.push('-e', new Date(u.expireDate * 86_400_000).toISOString().slice(0, 10));
    if (users.has(u.name)) {
      if (args.length) await tool('usermod', [...args, u.name]);
    } else {
      const create = [...args, u.system ? '-r' : '-m'];
      // a group named like the user may exist already (declared in the IR): join it
      if (!u.primaryGroup && u.gid === undefined)
        appendAll(create, groups.has(u.name) ? ['-g', u.name] : ['-U']);
      await tool('useradd', [...create, u.name]);
      users.add(u.name);
    }
    await password(u.name, u.password);
    await writeAuthorizedKeys(tree, u.name, u.sshKeys);
  }
  if (o.root) {
    await password('root', o.root.password);
    if (o.root.shell) await tool('usermod', ['-s', o.root.shell, 'root']);
    await writeAuthorizedKeys(tree, 'root', o.root.sshKeys);
  }
}

const UNIT_DIRS = [
  'etc/systemd/system',
  'usr/lib/systemd/system',
  'lib/systemd/system',
  'usr/local/lib/systemd/system',
];

/** foo → foo.service, foo@bar.service → foo@.service (the template file) */
function unitFile(unit: string): string {
  const named = /\.[a-z]+$/.test(unit) ? unit : `${unit}.service`;
  return named.replace(/@[^.]+\./, '@.');
}

/** systemctl --root reads the unit files of the image; it needs no systemd running anywhere. */
export async function configureServices(step: PlanStep<'configure-services'>, context: StepContext) {
  const o = step.options;
  if (!o.enable.length && !o.disable.length && !o.mask.length) return;
  const missing = [...o.enable, ...o.disable].filter(
    (u) =>
      !UNIT_DIRS.some(
        (d) => existsSync(join(context.tree, d, u)) || existsSync(join(context.tree, d, unitFile(u))),
      ),
  );
  if (missing.length) throw new StepError(diag(backendCodes.unitMissing, { units: missing.join(', ') }));
  const log = (l: string) => context.progress.log(l);
  const systemctl = (verb: string, units: string[]) =>
    units.length
      ? context.runner.run('systemctl', [`--root=${context.tree}`, verb, '--', ...units], { onLine: log })
      : undefined;
  await systemctl('enable', o.enable);
  await systemctl('disable', o.disable);
  await systemctl('mask', o.mask);
}

export async function finalize(step: PlanStep<'finalize'>, context: StepContext, layout: RootLayout) {
  const o = step.options;
  const { tree } = context;
  if (o.cleanPackageCache) {
    for (const p of layout.caches) await removeInTree(tree, p, { recursive: true });
  }
  for (const p of layout.logs) await emptyFileInTree(tree, p);
  if (o.resetMachineId && existsSync(join(tree, 'etc/machine-id')))
    await put(tree, 'etc/machine-id', '', 0o444);
}

/** How one family's package manager runs the three package steps. */
export interface PackageStepRunners {
  bootstrap(step: PlanStep<'bootstrap'>, context: StepContext): Promise<void>;
  install(step: PlanStep<'install-packages'>, context: StepContext): Promise<void>;
  remove(step: PlanStep<'remove-packages'>, context: StepContext): Promise<void>;
}

/** The step types a distribution family's backend runs: its package manager, then the system configuration. */
export const FAMILY_STEP_TYPES = [...PACKAGE_STEP_TYPES, ...CONFIGURE_STEP_TYPES, 'finalize'] as const;

/** `Backend.execute` for a family whose system fields are applied with the host's --root tools. */
export function familyExecutor(backendId: string, packages: PackageStepRunners, layout: RootLayout) {
  return async (step: PlanStep, context: StepContext): Promise<void> => {
    switch (step.type) {
      case 'bootstrap':
        return packages.bootstrap(step, context);
      case 'install-packages':
        return packages.install(step, context);
      case 'remove-packages':
        return packages.remove(step, context);
      case 'configure-system':
        return configureSystem(step, context, layout);
      case 'configure-accounts':
        return configureAccounts(step, context);
      case 'configure-services':
        return configureServices(step, context);
      case 'finalize':
        return finalize(step, context, layout);
      default:
        throw new Error(`the ${backendId} backend does not run ${step.type} steps`);
    }
  };
}
