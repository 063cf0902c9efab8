/** What the TDL reader and writer agree on (Oz's TDL.py and tdl.rng). */
import { lookupTable } from '../../lib/lookup-table.js';

export const ARCHES = ['i386', 'x86_64', 'ppc64', 'ppc64le', 'aarch64', 'armv7l', 's390x'];

export const BOOL = /^(true|false|yes|no)$/i;
export const truthy = (v: string) => /^(true|yes)$/i.test(v.trim());

export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** What Oz 0.17 (Debian 12) accepts: gigabytes, optionally suffixed G or T. */
export const DISK_SIZE = /^([0-9]*) *([GT]?)$/;

/** Sizes with byte units, which later Oz releases accept (2EiB, 10ZB, 10000000 B). */
const UNIT_SIZE = /^([0-9]+) *([KMGTPEZY]i?B|B)$/;
const POWER: Record<string, number> = lookupTable({ K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 });

/** Bytes of a size with a byte unit, or undefined when it has none. */
export function unitSizeBytes(size: string): bigint | undefined {
  const m = UNIT_SIZE.exec(size.trim());
  if (!m) return undefined;
  const unit = m[2]!;
  if (unit === 'B') return BigInt(m[1]!);
  const base = unit.includes('i') ? 1024n : 1000n;
  return BigInt(m[1]!) * base ** BigInt(POWER[unit[0]!]!);
}

/** A size Oz 0.17 reads: whole gigabytes (GiB), rounded up. */
export function ozGigabytes(bytes: bigint): string {
  const gib = 1024n ** 3n;
  return `${(bytes + gib - 1n) / gib}G`;
}

/** Oz OS names with a numbered major (RHEL-7, CentOS-7, OL-7, SL-6) → os-release ID. */
const MAJOR_NAMED: Record<string, string> = lookupTable({
  RHEL: 'rhel',
  CentOS: 'centos',
  OL: 'ol',
  SL: 'scientific',
});
const PLAIN: Record<string, string> = lookupTable({
  Fedora: 'fedora',
  Debian: 'debian',
  Ubuntu: 'ubuntu',
  OpenSUSE: 'opensuse',
  SLES: 'sles',
  Mageia: 'mageia',
  FreeBSD: 'freebsd',
  Windows: 'windows',
  Mandrake: 'mandrake',
  Mandriva: 'mandriva',
  ALTLinux: 'altlinux',
});

/** The IR distribution an Oz os name and version stand for. */
export function distributionOf(name: string, version: string): { id: string; release: string } | undefined {
  const major = /^(RHEL|CentOS|OL|SL)-(\d+(?:\.\d+)?)$/.exec(name);
  if (major) {
    const minor = /^U?(\d+)$/.exec(version)?.[1];
    return { id: MAJOR_NAMED[major[1]!]!, release: minor ? `${major[2]}.${minor}` : major[2]! };
  }
  const id = PLAIN[name];
  return id ? { id, release: version } : undefined;
}

/** The Oz os name and version for an IR distribution. */
export function ozOsOf(id: string, release: string): { name: string; version: string } | undefined {
  const majorName = Object.entries(MAJOR_NAMED).find(([, v]) => v === id)?.[0];
  if (majorName) {
    const [major, minor] = release.split('.');
    return { name: `${majorName}-${major}`, version: minor ?? 'GOLD' };
  }
  const name =
    Object.entries(PLAIN).find(([, v]) => v === id)?.[0] ?? (id === 'opensuse-leap' ? 'OpenSUSE' : undefined);
  return name ? { name, version: ozVersionOf(release) } : undefined;
}

/** Debian and Ubuntu codenames → the numbered versions Oz names them by. */
const VERSION_OF_CODENAME: Record<string, string> = lookupTable({
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  focal: '20.04',
  jammy: '22.04',
  noble: '24.04',
});

export function ozVersionOf(release: string): string {
  return VERSION_OF_CODENAME[release] ?? release;
}

/** Debian's name for an architecture, in installer paths. */
const DEB_ARCH: Record<string, string> = lookupTable({
  x86_64: 'amd64',
  aarch64: 'arm64',
  i686: 'i386',
  i386: 'i386',
});

/** The install tree a distribution publishes for Oz's url install, when it has a public one. */
export function publicInstallTree(id: string, release: string, arch: string): string | undefined {
  const deb = DEB_ARCH[arch] ?? arch;
  switch (id) {
    case 'fedora':
      return `https://dl.fedoraproject.org/pub/fedora/linux/releases/${release}/Everything/${arch}/os/`;
    case 'debian':
      return `http://deb.debian.org/debian/dists/${release}/main/installer-${deb}/`;
    case 'ubuntu':
      return `http://archive.ubuntu.com/ubuntu/dists/${release}/main/installer-${deb}/`;
    case 'centos':
    case 'centos-stream':
      return `https://mirror.stream.centos.org/${release.split('.')[0]}-stream/BaseOS/${arch}/os/`;
    case 'almalinux':
      return `https://repo.almalinux.org/almalinux/${release}/BaseOS/${arch}/os/`;
    case 'opensuse-leap':
      return `https://download.opensuse.org/distribution/leap/${release}/repo/oss/`;
    default:
      return undefined;
  }
}
