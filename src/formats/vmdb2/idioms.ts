/**
 * The one-command chroot steps the vmdb2 writer emits for what vmdb2 has no step for (the
 * hostname, symlinks, systemd presets, users), in one spelling that reader and writer share.
 * A chroot step that is exactly one of these is read back as the IR field; anything else
 * stays a script.
 */
import { lookupTable } from '../../lib/lookup-table.js';

/** Quotes a word for /bin/sh with single quotes when it needs quoting. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a one-line command into words: plain words and single-quoted parts only; undefined otherwise. */
export function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let word = '';
    while (i < line.length && line[i] !== ' ') {
      const c = line[i]!;
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) return undefined;
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && line[i + 1] === "'") {
        word += "'";
        i += 2;
      } else if (/[A-Za-z0-9_@%+=:,./-]/.test(c)) {
        word += c;
        i++;
      } else return undefined;
    }
    words.push(word);
  }
  return words;
}

export const HOSTNAME_FILE = '/etc/hostname';
export const SERVICE_VERBS = ['enable', 'disable', 'mask'] as const;

export interface UserCommand {
  name: string;
  uid?: number;
  description?: string;
  shell?: string;
  home?: string;
  groups: string[];
  hash?: string;
}

const USERADD_FLAGS: Record<string, keyof UserCommand> = lookupTable({
  '-u': 'uid',
  '-c': 'description',
  '-s': 'shell',
  '-d': 'home',
  '-G': 'groups',
  '-p': 'hash',
});

export function useraddCommand(user: UserCommand): string {
  const words = ['useradd', '-m'];
  if (user.uid !== undefined) words.push('-u', String(user.uid));
  if (user.description !== undefined) words.push('-c', user.description);
  if (user.home !== undefined) words.push('-d', user.home);
  if (user.shell !== undefined) words.push('-s', user.shell);
  if (user.groups.length) words.push('-G', user.groups.join(','));
  if (user.hash !== undefined) words.push('-p', user.hash);
  words.push(user.name);
  return words.map(shellQuote).join(' ');
}

export function parseUseradd(words: string[]): UserCommand | undefined {
  if (words[0] !== 'useradd' || words[1] !== '-m') return undefined;
  const user: UserCommand = { name: '', groups: [] };
  let i = 2;
  for (; i < words.length - 1; i += 2) {
    const field = USERADD_FLAGS[words[i]!];
    const value = words[i + 1]!;
    if (!field) return undefined;
    if (field === 'uid') {
      if (!/^\d+$/.test(value)) return undefined;
      user.uid = Number(value);
    } else if (field === 'groups') user.groups = value.split(',').filter(Boolean);
    else (user as unknown as Record<string, string>)[field] = value;
  }
  if (i !== words.length - 1) return undefined;
  user.name = words[i]!;
  return user;
}
