/** How the Debian backend applies the IR's system fields, accounts and services to a tree. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import {
  emptyFileInTree,
  existingInTree,
  removeInTree,
  symlinkInTree,
  writeFileInTree,
} from '../../exec/tree-path.js';
import type { PlanStep, StepOptions } from '../../plan/steps.js';
import { writeAuthorizedKeys } from '../common/ssh-keys.js';
import { type StepContext, StepError } from '../contract.js';

const chrootEnv = {
  LC_ALL: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
};

async function put(tree: string, path: string, content: string, mode = 0o644) {
  await writeFileInTree(tree, path, content, mode);
}

function localeCharset(locale: string): string {
  const m = /\.([^@]+)/.exec(locale);
  if (!m) return 'ISO-8859-1';
  const cs = m[1]!.toUpperCase();
  return cs === 'UTF8' ? 'UTF-8' : cs;
}

const plainLocale = (l: string) => /^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l);

export async function configureSystem(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'configure-system'>;
  const { tree } = context;
  const run = (cmd: string[], input?: string) =>
    context.runner.chroot(tree, cmd, { env: chrootEnv, input, onLine: (l) => context.progress.log(l) });

  if (o.hostname) {
    await put(tree, 'etc/hostname', `${o.hostname}\n`);
    const short = o.hostname.split('.')[0];
    const names = short === o.hostname ? o.hostname : `${o.hostname} ${short}`;
    await put(
      tree,
      'etc/hosts',
      `127.0.0.1\tlocalhost\n127.0.1.1\t${names}\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`,
    );
  }

  const locales = [o.locale, ...o.extraLocales].filter((l): l is string => Boolean(l) && !plainLocale(l!));
  if (locales.length) {
    const wanted = [...new Set(locales)].map((l) => `${l} ${localeCharset(l)}`);
    await put(tree, 'etc/locale.gen', `${wanted.join('\n')}\n`);
    context.progress.note('locale-gen');
    await run(['locale-gen']);
  }
  if (o.locale) {
    await put(tree, 'etc/default/locale', `LANG=${o.locale}\n`);
    await put(tree, 'etc/locale.conf', `LANG=${o.locale}\n`);
  }

  if (o.keymap) {
    await put(tree, 'etc/vconsole.conf', `KEYMAP=${o.keymap}\n`);
    const [layout, ...rest] = o.keymap.split('-');
    const variant = rest.join('-');
    await put(
      tree,
      'etc/default/keyboard',
      `XKBMODEL="pc105"\nXKBLAYOUT="${layout}"\nXKBVARIANT="${variant}"\nXKBOPTIONS=""\nBACKSPACE="guess"\n`,
    );
  }

  if (o.timezone) {
    await symlinkInTree(tree, 'etc/localtime', `/usr/share/zoneinfo/${o.timezone}`);
    await put(tree, 'etc/timezone', `${o.timezone}\n`);
    if (!existsSync(join(tree, 'usr/share/zoneinfo', o.timezone))) {
      context.report(
        diag(
          buildCodes.fieldIgnored,
          {
            field: 'system.timezone',
            reason: `/usr/share/zoneinfo/${o.timezone} is not in the image (tzdata missing?)`,
          },
          {},
          { severity: 'warning', pointer: '/system/timezone' },
        ),
      );
    }
  }
  if (o.utc === false) await put(tree, 'etc/adjtime', '0.0 0 0.0\n0\nLOCAL\n');

  if (o.machineId !== undefined) await put(tree, 'etc/machine-id', `${o.machineId}\n`, 0o444);
  if (o.kernelCmdline.length) await put(tree, 'etc/kernel/cmdline', `${o.kernelCmdline.join(' ')}\n`);
  if (o.rootShell) await run(['usermod', '-s', o.rootShell, 'root']);
  if (o.ntpServers.length) {
    await put(tree, 'etc/systemd/timesyncd.conf.d/50-imgc.conf', `[Time]\nNTP=${o.ntpServers.join(' ')}\n`);
  }
  if (o.caCertificates.length) {
    for (const [i, pem] of o.caCertificates.entries()) {
      await put(
        tree,
        `usr/local/share/ca-certificates/imgc-${i + 1}.crt`,
        pem.endsWith('\n') ? pem : `${pem}\n`,
      );
    }
    if (existsSync(join(tree, 'usr/sbin/update-ca-certificates'))) await run(['update-ca-certificates']);
  }
}

async function existingNames(tree: string, file: 'passwd' | 'group'): Promise<Set<string>> {
  const text = await readFile(await existingInTree(tree, `/etc/${file}`), 'utf8').catch(() => '');
  return new Set(
    text
      .split('\n')
      .map((l) => l.split(':')[0]!)
      .filter(Boolean),
  );
}

type PasswordSpec = NonNullable<StepOptions<'configure-accounts'>['users'][number]['password']>;

async function applyPassword(
  run: (cmd: string[], input?: string) => Promise<unknown>,
  user: string,
  password: PasswordSpec | undefined,
) {
  if (!password) return;
  // On stdin: a hash on the command line would show in the process list.
  if (password.hash) await run(['chpasswd', '-e'], `${user}:${password.hash}\n`);
  else if (password.plain !== undefined) await run(['chpasswd'], `${user}:${password.plain}\n`);
  if (password.empty) await run(['passwd', '-d', user]);
  if (password.locked) await run(['usermod', '-L', user]);
  if (password.forceChange) await run(['chage', '-d', '0', user]);
}

function isoDate(daysSinceEpoch: number): string {
  return new Date(daysSinceEpoch * 86_400_000).toISOString().slice(0, 10);
}

export async function configureAccounts(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'configure-accounts'>;
  const { tree } = context;
  const run = (cmd: string[], input?: string) =>
    context.runner.chroot(tree, cmd, { env: chrootEnv, input, onLine: (l) => context.progress.log(l) });

  const groups = await existingNames(tree, 'group');
  for (const g of o.groups) {
    if (groups.has(g.name)) continue;
    const args = ['groupadd'];
    if (g.gid !== undefined) args.push('-g', String(g.gid));
    if (g.system) args.push('-r');
    await run([...args, g.name]);
    groups.add(g.name);
  }
  // Supplementary groups a user names but nobody declared (wheel on Debian): create them.
  for (const u of o.users) {
    for (const name of [...u.groups, ...(u.primaryGroup ? [u.primaryGroup] : [])]) {
      if (groups.has(name)) continue;
      await run(['groupadd', '-r', name]);
      groups.add(name);
    }
  }

  const users = await existingNames(tree, 'passwd');
  for (const u of o.users) {
    const args: string[] = [];
    if (u.uid !== undefined) args.push('-u', String(u.uid));
    if (u.primaryGroup) args.push('-g', u.primaryGroup);
    else if (u.gid !== undefined) args.push('-g', String(u.gid));
    if (u.groups.length) args.push('-G', u.groups.join(','));
    if (u.description !== undefined) args.push('-c', u.description);
    if (u.home) args.push('-d', u.home);
    if (u.shell) args.push('-s', u.shell);
    else if (!users.has(u.name) && !u.system) args.push('-s', '/bin/bash');
    if (u.expireDate !== undefined) args.push('-e', isoDate(u.expireDate));
    if (users.has(u.name)) {
      if (args.length) await run(['usermod', ...args, u.name]);
    } else {
      const create = ['useradd', ...args];
      if (u.system) create.push('-r');
      else create.push('-m');
      // A group named like the user may exist already (declared in the IR): join it.
      if (!u.primaryGroup && u.gid === undefined)
        create.push(...(groups.has(u.name) ? ['-g', u.name] : ['-U']));
      await run([...create, u.name]);
      users.add(u.name);
    }
    await applyPassword(run, u.name, u.password);
    await writeAuthorizedKeys(tree, u.name, u.sshKeys);
  }

  if (o.root) {
    await applyPassword(run, 'root', o.root.password);
    if (o.root.shell) await run(['usermod', '-s', o.root.shell, 'root']);
    await writeAuthorizedKeys(tree, 'root', o.root.sshKeys);
  }
}

export async function configureServices(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'configure-services'>;
  const { tree } = context;
  if (!o.enable.length && !o.disable.length && !o.mask.length) return;
  if (!existsSync(join(tree, 'usr/bin/systemctl')) && !existsSync(join(tree, 'bin/systemctl'))) {
    throw new StepError(diag(buildCodes.serviceNeedsSystemd, undefined));
  }
  const run = (cmd: string[]) =>
    context.runner.chroot(tree, cmd, { env: chrootEnv, onLine: (l) => context.progress.log(l) });
  if (o.enable.length) await run(['systemctl', 'enable', '--', ...o.enable]);
  if (o.disable.length) await run(['systemctl', 'disable', '--', ...o.disable]);
  if (o.mask.length) await run(['systemctl', 'mask', '--', ...o.mask]);
}

export async function finalize(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'finalize'>;
  const { tree } = context;
  if (o.cleanPackageCache) {
    for (const p of [
      'var/cache/apt/pkgcache.bin',
      'var/cache/apt/srcpkgcache.bin',
      'var/cache/ldconfig/aux-cache',
    ]) {
      await removeInTree(tree, p);
    }
    await removeInTree(tree, 'var/cache/apt/archives/partial', { recursive: true });
  }
  if (o.resetMachineId && existsSync(join(tree, 'etc/machine-id'))) {
    // empty → systemd generates one at first boot; "uninitialized" would also run first-boot units
    await put(tree, 'etc/machine-id', '', 0o444);
  }
  for (const log of [
    'var/log/dpkg.log',
    'var/log/alternatives.log',
    'var/log/apt/history.log',
    'var/log/apt/term.log',
  ]) {
    await emptyFileInTree(tree, log);
  }
}
