/** Release names of Debian and Ubuntu, and how IR spellings (numbers, aliases) map to suites. */
import { lookupTable } from '../lib/lookup-table.js';

interface Release {
  suite: string;
  versionId?: string;
  aliases: string[];
}

const debian: Release[] = [
  { suite: 'buster', versionId: '10', aliases: ['10'] },
  { suite: 'bullseye', versionId: '11', aliases: ['11'] },
  { suite: 'bookworm', versionId: '12', aliases: ['12'] },
  { suite: 'trixie', versionId: '13', aliases: ['13'] },
  { suite: 'forky', versionId: '14', aliases: ['14'] },
  { suite: 'sid', aliases: ['unstable'] },
];

const ubuntu: Release[] = [
  { suite: 'focal', versionId: '20.04', aliases: ['20.04'] },
  { suite: 'jammy', versionId: '22.04', aliases: ['22.04'] },
  { suite: 'noble', versionId: '24.04', aliases: ['24.04'] },
  { suite: 'oracular', versionId: '24.10', aliases: ['24.10'] },
  { suite: 'plucky', versionId: '25.04', aliases: ['25.04'] },
  { suite: 'questing', versionId: '25.10', aliases: ['25.10'] },
];

export const releaseTable: Record<string, Release[]> = lookupTable({ debian, ubuntu });

/** Unstable suites have no -updates and -security companions. */
export function isRolling(distribution: string, suite: string): boolean {
  return distribution === 'debian' && suite === 'sid';
}

export function findRelease(distribution: string, name: string): Release | undefined {
  const wanted = name.trim().toLowerCase();
  return releaseTable[distribution]?.find((r) => r.suite === wanted || r.aliases.includes(wanted));
}

export function knownSuites(distribution: string): string[] {
  return (releaseTable[distribution] ?? []).map((r) => r.suite);
}

/** Which family a suite name (as found in an apt source) belongs to, ignoring -updates/-security. */
export function familyOfSuite(suite: string): string | undefined {
  const base = suite.replace(/-(updates|security|backports|proposed)$/, '');
  if (['stable', 'testing', 'oldstable', 'unstable'].includes(base)) return 'debian';
  for (const [family, releases] of Object.entries(releaseTable)) {
    if (releases.some((r) => r.suite === base)) return family;
  }
  return undefined;
}

const debArch: Record<string, string> = lookupTable({
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i686: 'i386',
  i386: 'i386',
  armv7l: 'armhf',
  armhf: 'armhf',
  ppc64le: 'ppc64el',
  ppc64el: 'ppc64el',
  s390x: 's390x',
  riscv64: 'riscv64',
});

/** Debian (dpkg) architecture → the IR's kernel spelling, for formats that name dpkg's. */
export const DEB_TO_ARCH: Readonly<Record<string, string>> = lookupTable({
  amd64: 'x86_64',
  arm64: 'aarch64',
  armhf: 'armv7l',
  armel: 'armv5tel',
  i386: 'i686',
  ppc64el: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64el: 'mips64',
  loong64: 'loongarch64',
});

/** The IR's kernel spelling → Debian (dpkg) architecture: DEB_TO_ARCH turned around. */
export const ARCH_TO_DEB: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DEB_TO_ARCH).map(([deb, arch]) => [arch, deb]),
);

/** uname / IR spelling → Debian package architecture. */
export function debianArchitecture(arch: string): string | undefined {
  return debArch[arch];
}
