/** What diskimage-builder's element layout means (its docs: developer/developing_elements). */
import type { ScriptPhase } from '../../ir/schema.js';

/** Phase folders in the order disk-image-create runs them, where their scripts run and the IR phase closest to it. */
export const PHASES: readonly { dir: string; phase: ScriptPhase; chroot: boolean }[] = [
  { dir: 'root.d', phase: 'pre-install', chroot: false },
  { dir: 'extra-data.d', phase: 'pre-packages', chroot: false },
  { dir: 'pre-install.d', phase: 'pre-packages', chroot: true },
  { dir: 'install.d', phase: 'post-install', chroot: true },
  { dir: 'post-install.d', phase: 'post-install', chroot: true },
  { dir: 'pre-finalise.d', phase: 'finalize', chroot: false },
  { dir: 'finalise.d', phase: 'finalize', chroot: true },
  { dir: 'cleanup.d', phase: 'finalize', chroot: false },
  { dir: 'block-device.d', phase: 'pre-disk', chroot: false },
];

/** Entries of an element folder that are documentation or dib's own tests, not image content. */
export const NOT_CONTENT =
  /^(README(\..*)?|test-elements|tests|__init__\.py|__pycache__|.*\.pyc|\.gitignore)$/;

/** Files and folders the reader consumes itself. */
export const READ_ENTRIES = new Set([
  'element-deps',
  'element-provides',
  'package-installs.yaml',
  'package-installs.json',
  'pkg-map',
  'environment.d',
  'static',
  ...PHASES.map((p) => p.dir),
]);

/** Names that mark a folder as a dib element. */
export const ELEMENT_MARKERS = [
  'element-deps',
  'element-provides',
  'package-installs.yaml',
  'package-installs.json',
  'pkg-map',
];

/** Distribution elements (by name prefix) → os-release id and pkg-map family, as dib's DISTRO_NAME. */
const DISTROS: readonly { prefix: string; id: string; family: string }[] = [
  { prefix: 'ubuntu', id: 'ubuntu', family: 'debian' },
  { prefix: 'debian', id: 'debian', family: 'debian' },
  { prefix: 'fedora', id: 'fedora', family: 'redhat' },
  { prefix: 'centos', id: 'centos', family: 'redhat' },
  { prefix: 'rhel', id: 'rhel', family: 'redhat' },
  { prefix: 'rocky', id: 'rocky', family: 'redhat' },
  { prefix: 'almalinux', id: 'almalinux', family: 'redhat' },
  { prefix: 'openeuler', id: 'openeuler', family: 'redhat' },
  { prefix: 'opensuse', id: 'opensuse', family: 'suse' },
  { prefix: 'gentoo', id: 'gentoo', family: 'gentoo' },
];

export function distroOfElement(name: string): { id: string; family: string } | undefined {
  const found = DISTROS.find((d) => name === d.prefix || name.startsWith(`${d.prefix}-`));
  return found ? { id: found.id, family: found.family } : undefined;
}

export function familyOfDistro(id: string): string | undefined {
  return DISTROS.find((d) => d.id === id)?.family;
}

/** dib's ARCH spellings (Debian's and uname's) → the IR's uname spelling. */
const ARCH_TO_UNAME: Record<string, string> = {
  amd64: 'x86_64',
  x86_64: 'x86_64',
  arm64: 'aarch64',
  aarch64: 'aarch64',
  i386: 'i686',
  i686: 'i686',
  ppc64el: 'ppc64le',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  armhf: 'armv7l',
};

export function unameArch(arch: string): string | undefined {
  const key = arch.trim();
  return Object.hasOwn(ARCH_TO_UNAME, key) ? ARCH_TO_UNAME[key] : undefined;
}

/** The release DIB_RELEASE names, as the IR spells it: CentOS Stream's `9-stream` is release 9. */
export function releaseOf(id: string, dibRelease: string): string {
  if (id === 'centos') return dibRelease.replace(/-stream$/, '');
  return dibRelease;
}
