/**
 * The shell lines of the generated mkosi 14 `mkosi.postinst` for what v14 has no key for. They
 * run the commands imgc's Debian backend runs for the same IR fields (src/backends/debian/
 * configure.ts), so an mkosi 14 build and an imgc build of one definition agree.
 */
import type { ImageIR } from '../../../ir/schema.js';

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

const plain = (l: string) => /^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l);

function charset(locale: string): string {
  const m = /\.([^@]+)/.exec(locale);
  if (!m) return 'ISO-8859-1';
  const cs = m[1]!.toUpperCase();
  return cs === 'UTF8' ? 'UTF-8' : cs;
}

function systemLines(ir: ImageIR): string[] {
  const out: string[] = [];
  const s = ir.system;
  const locales = [s.locale, ...(s.extraLocales ?? [])].filter((l): l is string => !!l && !plain(l));
  if (locales.length) {
    const gen = [...new Set(locales)].map((l) => `${l} ${charset(l)}`).join('\\n');
    out.push(`printf '${gen}\\n' > /etc/locale.gen`, 'locale-gen');
  }
  if (s.hostname) {
    const short = s.hostname.split('.')[0]!;
    const names = short === s.hostname ? s.hostname : `${s.hostname} ${short}`;
    out.push(
      `printf '127.0.0.1\\tlocalhost\\n127.0.1.1\\t%s\\n\\n::1\\tlocalhost ip6-localhost ip6-loopback\\nff02::1\\tip6-allnodes\\nff02::2\\tip6-allrouters\\n' ${q(names)} > /etc/hosts`,
    );
  }
  if (s.locale) {
    // v14 links /etc/default/locale to ../locale.conf; imgc writes both as files
    out.push('rm -f /etc/default/locale', `echo LANG=${q(s.locale)} > /etc/locale.conf`);
    out.push(`echo LANG=${q(s.locale)} > /etc/default/locale`);
  }
  if (s.keymap) {
    const [layout, ...rest] = s.keymap.split('-');
    out.push(`echo KEYMAP=${q(s.keymap)} > /etc/vconsole.conf`);
    out.push(
      `printf 'XKBMODEL="pc105"\\nXKBLAYOUT="%s"\\nXKBVARIANT="%s"\\nXKBOPTIONS=""\\nBACKSPACE="guess"\\n' ${q(layout!)} ${q(rest.join('-'))} > /etc/default/keyboard`,
    );
  }
  if (s.timezone) {
    out.push(`ln -sfn /usr/share/zoneinfo/${q(s.timezone)} /etc/localtime`);
    out.push(`echo ${q(s.timezone)} > /etc/timezone`);
  }
  if (s.rootShell) out.push(`usermod -s ${q(s.rootShell)} root`);
  if (s.kernel.cmdline.length)
    out.push(`mkdir -p /etc/kernel && echo ${q(s.kernel.cmdline.join(' '))} > /etc/kernel/cmdline`);
  return out;
}

function accountLines(ir: ImageIR): string[] {
  const out: string[] = [];
  const exists = (db: string, name: string) => `getent ${db} ${q(name)} >/dev/null`;
  for (const g of ir.accounts.groups) {
    const args = [g.gid !== undefined ? `-g ${g.gid}` : '', g.system ? '-r' : ''].filter(Boolean).join(' ');
    out.push(`${exists('group', g.name)} || groupadd ${args ? `${args} ` : ''}${q(g.name)}`);
  }
  for (const u of ir.accounts.users)
    for (const g of [...u.groups, ...(u.primaryGroup ? [u.primaryGroup] : [])])
      out.push(`${exists('group', g)} || groupadd -r ${q(g)}`);
  for (const u of ir.accounts.users) {
    const args: string[] = [];
    if (u.uid !== undefined) args.push('-u', String(u.uid));
    if (u.primaryGroup) args.push('-g', q(u.primaryGroup));
    else if (u.gid !== undefined) args.push('-g', String(u.gid));
    if (u.groups.length) args.push('-G', q(u.groups.join(',')));
    if (u.description !== undefined) args.push('-c', q(u.description));
    if (u.home) args.push('-d', q(u.home));
    args.push('-s', q(u.shell ?? (u.system ? '/usr/sbin/nologin' : '/bin/bash')));
    const own = !u.primaryGroup && u.gid === undefined;
    const useradd = `useradd ${[...args, u.system ? '-r' : '-m'].join(' ')}`;
    const create = own
      ? `if ${exists('group', u.name)}; then ${useradd} -g ${q(u.name)} ${q(u.name)}; else ${useradd} -U ${q(u.name)}; fi`
      : `${useradd} ${q(u.name)}`;
    out.push(
      `if ${exists('passwd', u.name)}; then usermod ${args.join(' ')} ${q(u.name)}; else`,
      `  ${create}`,
      'fi',
    );
    // printf is a shell builtin: the secret reaches chpasswd on stdin, never a command line
    if (u.password?.hash) out.push(`printf '%s\\n' ${q(`${u.name}:${u.password.hash}`)} | chpasswd -e`);
    else if (u.password?.plain !== undefined)
      out.push(`printf '%s\\n' ${q(`${u.name}:${u.password.plain}`)} | chpasswd`);
  }
  return out;
}

function treeLines(ir: ImageIR): string[] {
  const out: string[] = [];
  for (const d of ir.directories) {
    out.push(`mkdir -p ${q(d.path)}`);
    if (d.mode) out.push(`chmod ${d.mode} ${q(d.path)}`);
  }
  for (const l of ir.symlinks)
    out.push(`mkdir -p "$(dirname ${q(l.path)})"`, `ln -sfn ${q(l.target)} ${q(l.path)}`);
  return out;
}

function serviceLines(ir: ImageIR): string[] {
  const { enable, disable, mask } = ir.system.services;
  const out: string[] = [];
  if (enable.length) out.push(`systemctl enable ${enable.map(q).join(' ')}`);
  if (disable.length) out.push(`systemctl disable ${disable.map(q).join(' ')}`);
  if (mask.length) out.push(`systemctl mask ${mask.map(q).join(' ')}`);
  return out;
}

export function postinstLines(ir: ImageIR): string[] {
  return [...systemLines(ir), ...accountLines(ir), ...treeLines(ir), ...serviceLines(ir)];
}
