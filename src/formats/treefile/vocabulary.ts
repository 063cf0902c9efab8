/** What the treefile reader and writer agree on (rpm-ostree docs/treefile.md). */
import { lookupTable } from '../../lib/lookup-table.js';

/** Keys rpm-ostree also accepts with underscores; the reader uses the dashed spelling. */
export const KEY_ALIASES: Readonly<Record<string, string>> = lookupTable({
  gpg_key: 'gpg-key',
  boot_location: 'boot-location',
  default_target: 'default-target',
  automatic_version_prefix: 'automatic-version-prefix',
});

/** Keys that steer include resolution; consumed by it, never merged. */
export const INCLUDE_KEYS = ['include', 'arch-include', 'conditional-include', 'variables'] as const;

/** Keys imgc lowers into IR fields. */
export const LOWERED_KEYS = new Set([
  'ref',
  'packages',
  'exclude-packages',
  'repo-packages',
  'repos',
  'releasever',
  'recommends',
  'documentation',
  'install-langs',
  'units',
  'postprocess',
  'postprocess-script',
  'add-files',
]);

/** Documented keys with no IR field: kept as extension data and written back. */
export const CARRIED_KEYS = new Set([
  'edition',
  'metadata',
  'gpg-key',
  'selinux',
  'ignore-devices',
  'ima',
  'boot-location',
  'etc-group-members',
  'mutate-os-release',
  'ostree-layers',
  'ostree-override-layers',
  'container-cmd',
  'bootstrap_packages',
  'default-target',
  'initramfs-args',
  'rpmdb',
  'rpmdb-normalize',
  'selinux-label-version',
  'cliwrap',
  'cliwrap-binaries',
  'readonly-executables',
  'remove-files',
  'remove-from-packages',
  'preserve-passwd',
  'check-passwd',
  'check-groups',
  'ignore-removed-users',
  'ignore-removed-groups',
  'automatic-version-prefix',
  'automatic-version-suffix',
  'add-commit-metadata',
  'container',
  'tmp-is-dir',
  'machineid-compat',
  'platform-module',
  'repo_metadata',
  'lockfile-repos',
  'repovars',
  'opt-usrlocal',
  'modules',
  'rojig',
  'releasever',
]);

/** String keys rpm-ostree substitutes ${variables} in. */
export const SUBSTITUTED_KEYS = new Set([
  'ref',
  'mutate-os-release',
  'automatic-version-prefix',
  'platform-module',
]);

/** rpm-ostree's include nesting limit. */
export const INCLUDE_MAXDEPTH = 50;

/** Node's process.arch → rpm's basearch. */
const NODE_ARCH: Readonly<Record<string, string>> = lookupTable({
  x64: 'x86_64',
  arm64: 'aarch64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  ia32: 'i386',
});

export function basearchOf(arch: string): string {
  const a = NODE_ARCH[arch] ?? arch;
  return /^i[3-6]86$/.test(a) ? 'i386' : a === 'amd64' ? 'x86_64' : a;
}

/**
 * A `packages` entry is split at whitespace unless it is wrapped in single quotes, which keeps
 * a version query such as 'podman >= 4.1' whole.
 */
export function splitPackageEntry(entry: string): string[] {
  const t = entry.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return [t.slice(1, -1)];
  return t.split(/\s+/).filter(Boolean);
}

/** How a package name with spaces is written back. */
export function packageEntry(name: string): string {
  return /\s/.test(name) ? `'${name}'` : name;
}
