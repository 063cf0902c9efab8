/**
 * Which paths drift does not report: runtime noise by default (machine id, logs, caches,
 * package databases, which drift compares as packages instead), extended or overridden by a
 * rules file.
 */

/** Each pattern matches the path and everything under it; `*` is one path segment part, `**` any depth. */
export const DEFAULT_IGNORES: readonly string[] = [
  '/dev',
  '/proc',
  '/sys',
  '/run',
  '/tmp',
  '/var/tmp',
  '/var/log',
  '/var/cache',
  '/var/backups',
  '/var/lib/systemd',
  '/var/lib/private',
  '/var/lib/dhcp',
  '/var/lib/logrotate',
  '/var/lib/dpkg',
  '/var/lib/apt',
  '/var/lib/rpm',
  '/usr/lib/sysimage/rpm',
  '/var/lib/dnf',
  '/var/lib/pacman',
  // imgc's record that a first-boot script ran (src/exec/first-boot.ts)
  '/var/lib/imgc/first-boot',
  '/etc/machine-id',
  '/etc/adjtime',
  '/etc/ld.so.cache',
  '/etc/resolv.conf',
  '/lost+found',
  '/root/.bash_history',
  '/home/*/.bash_history',
];

export interface IgnoreRule {
  pattern: string;
  /** true: a `!pattern` line, which takes a path back from the rules above it */
  keep: boolean;
  regex: RegExp;
  /** where the rule came from, for error messages and --verbose */
  origin: string;
}

export class IgnoreRuleError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly text: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

export function rule(pattern: string, keep: boolean, origin: string): IgnoreRule {
  return { pattern, keep, regex: globToRegex(pattern), origin };
}

export const defaultRules = (): IgnoreRule[] => DEFAULT_IGNORES.map((p) => rule(p, false, 'default'));

/**
 * A rules file: one absolute pattern a line, `!pattern` to report a path a rule above ignores,
 * `#` comments; the line `reset` drops the rules above it (the defaults included).
 */
export function parseIgnoreFile(text: string, origin: string, base: IgnoreRule[]): IgnoreRule[] {
  let rules = [...base];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    if (trimmed === 'reset') {
      rules = [];
      continue;
    }
    const keep = trimmed.startsWith('!');
    const pattern = keep ? trimmed.slice(1).trim() : trimmed;
    const column = line.indexOf(pattern) + 1;
    if (!pattern.startsWith('/'))
      throw new IgnoreRuleError(i + 1, column, line, 'a pattern must be an absolute path (start with /)');
    if (/\s/.test(pattern))
      throw new IgnoreRuleError(i + 1, column, line, 'a pattern cannot contain spaces; write ? for one');
    rules.push(rule(pattern.length > 1 ? pattern.replace(/\/+$/, '') : pattern, keep, `${origin}:${i + 1}`));
  }
  return rules;
}

/** The last matching rule decides, as in .gitignore. */
export function isIgnored(path: string, rules: readonly IgnoreRule[]): boolean {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.regex.test(path)) return !rules[i]!.keep;
  return false;
}

/** Whether a walk may skip a directory without reading it: ignored, and no keep rule reaches inside. */
export function prunable(path: string, rules: readonly IgnoreRule[]): boolean {
  if (!isIgnored(path, rules)) return false;
  return !rules.some((r) => r.keep && (r.pattern.startsWith(`${path}/`) || r.pattern.includes('*')));
}
