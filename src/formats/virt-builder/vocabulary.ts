/** What the virt-builder reader and writer agree on. */

/** virt-customize commands (virt-customize(1), guestfs-tools 1.48), without the leading "--". */
export const COMMANDS = new Set([
  'append-line',
  'chmod',
  'chown',
  'commands-from-file',
  'copy',
  'copy-in',
  'delete',
  'edit',
  'firstboot',
  'firstboot-command',
  'firstboot-install',
  'hostname',
  'install',
  'link',
  'mkdir',
  'move',
  'password',
  'root-password',
  'run',
  'run-command',
  'scrub',
  'sm-attach',
  'sm-credentials',
  'sm-register',
  'sm-remove',
  'sm-unregister',
  'ssh-inject',
  'tar-in',
  'timezone',
  'touch',
  'truncate',
  'truncate-recursive',
  'uninstall',
  'update',
  'upload',
  'write',
  'selinux-relabel',
  'no-selinux-relabel',
]);

/** Commands that take no argument. */
export const FLAG_COMMANDS = new Set([
  'update',
  'selinux-relabel',
  'no-selinux-relabel',
  'sm-register',
  'sm-unregister',
  'sm-remove',
]);

/** Index keys imgc lowers into IR fields. */
export const LOWERED_INDEX_KEYS = new Set(['name', 'osinfo', 'arch', 'size']);

/** osinfo short-id (fedora40, debian12, centos-stream9, ubuntu22.04, rhel9.4, ...) → IR distribution. */
const OSINFO: readonly [RegExp, string][] = [
  [/^fedora(\d+|rawhide)$/, 'fedora'],
  [/^debian(\d+)$/, 'debian'],
  [/^ubuntu(\d+\.\d+|[a-z]+)$/, 'ubuntu'],
  [/^centos-?stream(\d+)$/, 'centos-stream'],
  [/^centos(\d+(?:\.\d+)?)$/, 'centos'],
  [/^rhel(\d+(?:\.\d+)?)$/, 'rhel'],
  [/^almalinux(\d+(?:\.\d+)?)$/, 'almalinux'],
  [/^rocky(\d+(?:\.\d+)?)$/, 'rocky'],
  [/^opensuse(\d+\.\d+)$/, 'opensuse-leap'],
  [/^opensusetumbleweed$/, 'opensuse-tumbleweed'],
  [/^archlinux$/, 'arch'],
];

export function distributionOfOsinfo(osinfo: string): { id: string; release?: string } | undefined {
  for (const [re, id] of OSINFO) {
    const m = re.exec(osinfo);
    if (m) return { id, ...(m[1] ? { release: m[1] } : {}) };
  }
  return undefined;
}

/** The osinfo short-id of an IR distribution, or undefined when libosinfo has no such id pattern. */
export function osinfoOf(id: string, release: string | undefined): string | undefined {
  if (id === 'opensuse-tumbleweed') return 'opensusetumbleweed';
  if (id === 'arch') return 'archlinux';
  if (!release) return undefined;
  const prefix: Record<string, string> = {
    fedora: 'fedora',
    debian: 'debian',
    ubuntu: 'ubuntu',
    centos: 'centos',
    'centos-stream': 'centos-stream',
    rhel: 'rhel',
    almalinux: 'almalinux',
    rocky: 'rocky',
    'opensuse-leap': 'opensuse',
  };
  const p = prefix[id];
  return p ? `${p}${release}` : undefined;
}

/** A mirror host name in a preseed → distribution id. */
export function distributionOfMirror(host: string): string | undefined {
  if (/(^|\.)debian\.org$/.test(host)) return 'debian';
  if (/(^|\.)ubuntu\.com$/.test(host)) return 'ubuntu';
  return undefined;
}
