import { lookupTable } from '../lib/lookup-table.js';

/** One-string distribution names (`fedora-43`, `debian-bookworm`) as osbuild and some CLIs spell them. */

/** os-release IDs that contain a dash or take a codename release. */
const KNOWN_IDS = new Set([
  'almalinux',
  'alpine',
  'arch',
  'azurelinux',
  'centos',
  'centos-stream',
  'debian',
  'fedora',
  'kali',
  'mageia',
  'openmandriva',
  'opensuse',
  'opensuse-leap',
  'opensuse-tumbleweed',
  'opensuse-microos',
  'rhel',
  'rocky',
  'sle-micro',
  'sles',
  'ubuntu',
]);

/**
 * `fedora-43` → fedora/43, `rhel-9.6` → rhel/9.6, `centos-stream-10` → centos-stream/10,
 * `debian-bookworm` → debian/bookworm; a known ID alone (`opensuse-tumbleweed`) stays whole.
 */
export function splitDistro(distro: string): { id: string; release?: string } {
  const numeric = /^(.*?)-(\d[\w.]*)$/.exec(distro);
  if (numeric) return { id: numeric[1]!, release: numeric[2]! };
  if (KNOWN_IDS.has(distro)) return { id: distro };
  const dash = distro.lastIndexOf('-');
  if (dash > 0 && KNOWN_IDS.has(distro.slice(0, dash)))
    return { id: distro.slice(0, dash), release: distro.slice(dash + 1) };
  return { id: distro };
}

/** The one-string name, or undefined when it would not read back as the same id and release. */
export function joinDistro(id: string, release: string | undefined): string | undefined {
  const joined = release ? `${id}-${release}` : id;
  const back = splitDistro(joined);
  return back.id === id && back.release === release ? joined : undefined;
}

/** Package-manager families: what a clue such as `packagemanager` can tell on its own. */
export type Family = 'suse' | 'redhat' | 'debian' | 'arch' | 'alpine' | 'mageia';

const FAMILY_OF_ID: Record<string, Family> = lookupTable({
  opensuse: 'suse',
  'opensuse-leap': 'suse',
  'opensuse-leap-micro': 'suse',
  'opensuse-tumbleweed': 'suse',
  'opensuse-slowroll': 'suse',
  'opensuse-microos': 'suse',
  sles: 'suse',
  'sle-micro': 'suse',
  'sl-micro': 'suse',
  fedora: 'redhat',
  centos: 'redhat',
  'centos-stream': 'redhat',
  rhel: 'redhat',
  almalinux: 'redhat',
  rocky: 'redhat',
  debian: 'debian',
  ubuntu: 'debian',
  deepin: 'debian',
  kali: 'debian',
  arch: 'arch',
  archlinux: 'arch',
  alpine: 'alpine',
  mageia: 'mageia',
});

export function familyOf(id: string): Family | undefined {
  return FAMILY_OF_ID[id];
}

/** What one clue says: a distribution (maybe with its release), or only a family. */
export interface DistroGuess {
  family: Family;
  id?: string;
  release?: string;
}

const DEBIAN_CODENAMES: Record<string, string> = lookupTable({
  '7': 'wheezy',
  '8': 'jessie',
  '9': 'stretch',
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
  '14': 'forky',
});

const UBUNTU_CODENAMES: Record<string, string> = lookupTable({
  '14.04': 'trusty',
  '16.04': 'xenial',
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '23.04': 'lunar',
  '23.10': 'mantic',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
  '25.10': 'questing',
  '26.04': 'resolute',
});

/** Releases that are the distribution's only one: naming the distribution names them. */
export const ONLY_RELEASE: Record<string, string> = lookupTable({
  arch: 'rolling',
  archlinux: 'rolling',
  'opensuse-tumbleweed': 'tumbleweed',
  'opensuse-slowroll': 'slowroll',
  'opensuse-microos': 'tumbleweed',
});

const guess = (id: string, release?: string): DistroGuess => {
  const g: DistroGuess = { family: FAMILY_OF_ID[id]!, id };
  // image names spell `RHEL-06.6`, `Mageia-06.0`: the release is 6
  if (release) g.release = release.replace(/^0+(?=\d)/, '');
  return g;
};

/** The codename of a numbered Debian release ("12" → bookworm); anything else as it is. */
export function debianCodename(release: string): string {
  return DEBIAN_CODENAMES[release] ?? release;
}

/** Debian and Ubuntu are released under codenames; a version number is turned into one. */
function debianLike(id: 'debian' | 'ubuntu', version: string | undefined): DistroGuess {
  if (!version) return guess(id);
  const table = id === 'debian' ? DEBIAN_CODENAMES : UBUNTU_CODENAMES;
  const plain = id === 'debian' ? version.replace(/\.0$/, '') : version;
  return guess(id, table[plain] ?? plain);
}

/** `15-SP5` / `15_SP5` / `15` → 15.5 / 15, as SLES spells VERSION_ID. */
function slesRelease(major: string, sp?: string): string {
  return sp ? `${major}.${sp}` : major;
}

const OBS_REPOSITORY_RULES: Rule[] = [
  [/^openSUSE_Leap_(\d+\.\d+)/i, (m) => guess('opensuse-leap', m[1])],
  [/^openSUSE_(Tumbleweed|Factory)/i, () => guess('opensuse-tumbleweed', 'tumbleweed')],
  [/^(\d{2}\.\d)$/, (m) => guess('opensuse-leap', m[1])],
  [/^SLE_(\d+)(?:_SP(\d+))?/i, (m) => guess('sles', slesRelease(m[1]!, m[2]))],
  [/^Fedora_(\d+|Rawhide)/i, (m) => guess('fedora', m[1]!.toLowerCase())],
  [/^CentOS_(?:Stream_)?(\d+)/i, (m) => guess('centos', m[1])],
  [/^RHEL_(\d+)/i, (m) => guess('rhel', m[1])],
  [/^AlmaLinux_(\d+)/i, (m) => guess('almalinux', m[1])],
  [/^xUbuntu_(\d+\.\d+)/i, (m) => debianLike('ubuntu', m[1])],
  [/^Debian_(\d+)/i, (m) => debianLike('debian', m[1])],
  [/^Arch(_|$)/i, () => guess('arch', 'rolling')],
  [/^Mageia_(\d+|Cauldron)/i, (m) => guess('mageia', m[1]!.toLowerCase())],
];

type Rule = [RegExp, (m: RegExpExecArray) => DistroGuess | undefined];

/** The guess of the first rule whose pattern matches and that makes one. */
function firstMatch(rules: readonly Rule[], text: string): DistroGuess | undefined {
  for (const [pattern, make] of rules) {
    const m = pattern.exec(text);
    const g = m ? make(m) : undefined;
    if (g) return g;
  }
  return undefined;
}

/** OBS build-repository names (`openSUSE_Leap_15.6`, `xUbuntu_24.04`, `Fedora_40`, `SLE_15_SP5`). */
export function distroFromObsRepository(name: string): DistroGuess | undefined {
  return firstMatch(OBS_REPOSITORY_RULES, name);
}

const OBS_PROJECT_RULES: Rule[] = [
  [/^openSUSE:Leap:Micro:(\d+\.\d+)/i, (m) => guess('opensuse-leap-micro', m[1])],
  [/^openSUSE:Leap:(\d+\.\d+)/i, (m) => guess('opensuse-leap', m[1])],
  [/^openSUSE:(\d{2}\.\d)/i, (m) => guess('opensuse-leap', m[1])],
  [/^openSUSE:(Factory|Tumbleweed)\b/i, () => guess('opensuse-tumbleweed', 'tumbleweed')],
  [/^openSUSE:Slowroll\b/i, () => guess('opensuse-slowroll', 'slowroll')],
  [/^SUSE:SLE-(\d+)(?:-SP(\d+))?:/i, (m) => guess('sles', slesRelease(m[1]!, m[2]))],
  [/^SUSE:(SLFO|SL-Micro|ALP)\b/i, () => guess('sl-micro')],
  [/^SUSE:SLE-Micro\b/i, () => guess('sle-micro')],
  [/^Fedora:(\d+|Rawhide)\b/i, (m) => guess('fedora', m[1]!.toLowerCase())],
  [/^CentOS:(?:CentOS-)?(?:Stream:?)?(\d+)/i, (m) => guess('centos', m[1])],
  [/^Ubuntu:(\d+\.\d+)/i, (m) => debianLike('ubuntu', m[1])],
  [/^Debian:(\d+)/i, (m) => debianLike('debian', m[1])],
  [/^Arch(Linux)?:/i, () => guess('arch', 'rolling')],
  [/^Mageia:(\d+|Cauldron)/i, (m) => guess('mageia', m[1]!.toLowerCase())],
];

/** OBS project names (`openSUSE:Leap:15.6`, `SUSE:SLE-15-SP5:GA`, `Fedora:41`, `Debian:13`). */
export function distroFromObsProject(project: string): DistroGuess | undefined {
  return firstMatch(OBS_PROJECT_RULES, project);
}

const URL_RULES: [RegExp, (m: RegExpExecArray) => DistroGuess | undefined][] = [
  [/opensuse\.org\/(?:[\w/]*\/)?leap-micro\/(\d+\.\d+)/i, (m) => guess('opensuse-leap-micro', m[1])],
  [
    /opensuse\.org\/(?:[\w/]*\/)?leap\/(\d+\.\d+|\$releasever)/i,
    (m) => guess('opensuse-leap', release(m[1])),
  ],
  [/opensuse\.org\/(?:[\w/]*\/)?(?:tumbleweed|factory)\b/i, () => guess('opensuse-tumbleweed', 'tumbleweed')],
  [/opensuse\.org\/(?:[\w/]*\/)?slowroll\b/i, () => guess('opensuse-slowroll', 'slowroll')],
  [/opensuse\.org\/repositories\/(.+?)\/([^/]+)\/?$/i, (m) => obsPathGuess(m[1]!, m[2]!)],
  [/suse\.com\/.*SLE-Micro\/(\d+\.\d+)/i, (m) => guess('sle-micro', m[1])],
  [/suse\.com\/.*SL-Micro\/(\d+\.\d+)/i, (m) => guess('sl-micro', m[1])],
  [/suse\.com\/.*SLE-[\w-]*?\/(\d+)(?:-SP(\d+))?\b/i, (m) => guess('sles', slesRelease(m[1]!, m[2]))],
  [
    /fedoraproject\.org\/(?:metalink|mirrorlist)\?repo=fedora-(\d+|\$releasever|rawhide)/i,
    (m) => guess('fedora', release(m[1])),
  ],
  [
    /fedoraproject\.org\/(?:metalink|mirrorlist)\?repo=(?:updates-released-f|rawhide)/i,
    () => guess('fedora'),
  ],
  [
    /fedora(?:project)?[\w.]*\/(?:[\w/]*\/)?linux\/(?:releases|updates|development)\/(\d+|rawhide|\$releasever)/i,
    (m) => guess('fedora', release(m[1])),
  ],
  [/\bcentos\.org\/(?:[\w-]*\/)?(\d+)-stream\b/i, (m) => guess('centos', m[1])],
  [/\bcentos\.org\/centos\/(\d+)/i, (m) => guess('centos', m[1])],
  [/\bcentos\.org\/\?release=(\d+)/i, (m) => guess('centos', m[1])],
  [/\bcentos\.org\//i, () => guess('centos')],
  [/almalinux\.org\/(?:almalinux\/)?(\d+(?:\.\d+)?)/i, (m) => guess('almalinux', m[1])],
  [/rockylinux\.org\/(?:[\w/]*\/)?rocky\/(\d+(?:\.\d+)?)/i, (m) => guess('rocky', m[1])],
  [/redhat\.com\/.*\brhel(\d+)?/i, (m) => guess('rhel', m[1])],
  [
    /\b(?:deb|ftp|httpredir|security|archive|cdn-fastly\.deb)\.debian\.org\/|\/debian\/?$/i,
    () => guess('debian'),
  ],
  [
    /\b(?:archive|ports|security|old-releases)\.ubuntu\.com\/|\/ubuntu(?:-ports)?\/?$/i,
    () => guess('ubuntu'),
  ],
  [/deepin\.com\//i, () => guess('deepin')],
  [/alpinelinux\.org\/alpine\/v(\d+\.\d+)/i, (m) => guess('alpine', m[1])],
  [/alpinelinux\.org\/alpine\//i, () => guess('alpine')],
  [/archlinux|pkgbuild\.com/i, () => guess('arch', 'rolling')],
  [/mageia\.org\/.*distrib\/(\d+|cauldron)/i, (m) => guess('mageia', m[1]!.toLowerCase())],
];

function release(value: string | undefined): string | undefined {
  return value && !value.startsWith('$') ? value.toLowerCase() : undefined;
}

/** `openSUSE:/Leap:/15.6/standard` → the project, else the repository name. */
function obsPathGuess(projectPath: string, repository: string): DistroGuess | undefined {
  const project = projectPath.replace(/:\//g, ':');
  return distroFromObsProject(project) ?? distroFromObsRepository(repository);
}

/** The distribution a repository URL names, if it is one of the distributions' own mirrors. */
/**
 * Longer URLs name no distribution: several patterns (`fedora(?:project)?[\w.]*\/...`) go to
 * the end of the URL from every match of their first word, quadratic on a fuzzed megabyte URL.
 */
export const MAX_GUESS_URL = 8192;

export function distroFromUrl(url: string): DistroGuess | undefined {
  if (url.length > MAX_GUESS_URL) return undefined;
  const obs = /^obs:\/\/\/?([^/]+)(?:\/([^/]+))?/i.exec(url);
  if (obs) {
    return distroFromObsProject(obs[1]!) ?? (obs[2] ? distroFromObsRepository(obs[2]) : undefined);
  }
  for (const [pattern, make] of URL_RULES) {
    const m = pattern.exec(url);
    if (m) {
      const g = make(m);
      if (g) return g;
    }
  }
  return undefined;
}

const TEXT_RULES: [RegExp, (m: RegExpExecArray) => DistroGuess][] = [
  [/open\s*suse[\s_-]*leap[\s_-]*micro[\s_-]*(\d+\.\d+)?/i, (m) => guess('opensuse-leap-micro', m[1])],
  [/open\s*suse[\s_-]*leap[\s_-]*(\d+\.\d+)?/i, (m) => guess('opensuse-leap', m[1])],
  [/\bleap[\s_-]*(1[56]\.\d|42\.\d)\b/i, (m) => guess('opensuse-leap', m[1])],
  [/tumbleweed/i, () => guess('opensuse-tumbleweed', 'tumbleweed')],
  [/micro\s*os/i, () => guess('opensuse-microos', 'tumbleweed')],
  [/\bsle[\s_-]*micro[\s_-]*(\d+\.\d+)?/i, (m) => guess('sle-micro', m[1])],
  [/\bsl[\s_-]*micro[\s_-]*(\d+\.\d+)?/i, (m) => guess('sl-micro', m[1])],
  [/open\s*suse/i, () => guess('opensuse')],
  [/\bsle[sd]?[\s_-]*(1[1-6])(?:[\s_-]*sp(\d+))?\b/i, (m) => guess('sles', slesRelease(m[1]!, m[2]))],
  [/\bsuse linux enterprise/i, () => guess('sles')],
  [/fedora[\s_-]*(\d+|rawhide)?\b/i, (m) => guess('fedora', m[1]?.toLowerCase())],
  [/centos(?:[\s_-]*stream)?[\s_-]*(\d+)?/i, (m) => guess('centos', m[1])],
  [/\brhel[\s_-]*(\d+)?|red\s*hat\s*enterprise\s*linux[\s_-]*(\d+)?/i, (m) => guess('rhel', m[1] ?? m[2])],
  [/alma\s*linux[\s_-]*(\d+)?/i, (m) => guess('almalinux', m[1])],
  [/rocky[\s_-]*linux[\s_-]*(\d+)?/i, (m) => guess('rocky', m[1])],
  [/ubuntu[\s_-]*(\d\d\.\d\d)?/i, (m) => debianLike('ubuntu', m[1])],
  [/debian[\s_-]*(\d+)?/i, (m) => debianLike('debian', m[1])],
  [/deepin/i, () => guess('deepin')],
  [/\barch[\s_-]*linux\b|\barchlinux\b/i, () => guess('arch', 'rolling')],
  [/alpine/i, () => guess('alpine')],
  [/mageia[\s_-]*(\d+|cauldron)?/i, (m) => guess('mageia', m[1]?.toLowerCase())],
];

/** The distribution a free-text name mentions (an image name, a description), if any. */
export function distroFromText(text: string): DistroGuess | undefined {
  for (const [pattern, make] of TEXT_RULES) {
    const m = pattern.exec(text);
    if (m) return make(m);
  }
  return undefined;
}

const PACKAGE_RULES: [RegExp, DistroGuess][] = [
  [/^openSUSE-MicroOS-release$/, guess('opensuse-microos', 'tumbleweed')],
  [/^openSUSE-release|^patterns-openSUSE-|-branding-openSUSE$|^openSUSE-build-key$/, guess('opensuse')],
  [/^Leap-Micro-release$/i, guess('opensuse-leap-micro')],
  [/^SLE-Micro-release$/i, guess('sle-micro')],
  [/^SL-Micro-release$/i, guess('sl-micro')],
  [/^sles-release$|^patterns-sles-|-branding-SLE$/i, guess('sles')],
  [/^kernel-default(-base)?$|^patterns-base-/, { family: 'suse' }],
  [/^fedora-(release|repos|logos|gpg-keys)\b/, guess('fedora')],
  [/^centos-(stream-)?(release|repos|gpg-keys)\b/, guess('centos')],
  [/^redhat-release\b/, guess('rhel')],
  [/^almalinux-(release|repos)\b/, guess('almalinux')],
  [/^rocky-(release|repos)\b/, guess('rocky')],
  [/^mageia-release-/, guess('mageia')],
  [/^ubuntu-(minimal|standard|server|keyring|desktop)$|^linux-image-generic$/, guess('ubuntu')],
  [/^debian-archive-keyring$|^linux-image-(amd64|arm64|armmp|686)$/, guess('debian')],
  [/^deepin-/, guess('deepin')],
  [/^archlinux-keyring$/, guess('arch', 'rolling')],
  [/^alpine-base$/, guess('alpine')],
];

/** The distribution a package name belongs to (release packages, keyrings, branding). */
export function distroFromPackage(name: string): DistroGuess | undefined {
  return PACKAGE_RULES.find(([pattern]) => pattern.test(name))?.[1];
}

/** Families a package manager serves. */
export function familiesOfPackageManager(pm: string): Family[] {
  if (pm === 'zypper') return ['suse'];
  if (/^(dnf\d?|microdnf|yum)$/.test(pm)) return ['redhat', 'mageia'];
  if (/^apt(-get)?$/.test(pm)) return ['debian'];
  if (pm === 'pacman') return ['arch'];
  if (pm === 'apk') return ['alpine'];
  return [];
}

/** `opensuse` with a numeric release is Leap, with `tumbleweed` Tumbleweed. */
export function refineId(id: string, release: string | undefined): string {
  if (id !== 'opensuse' || !release) return id;
  if (/^tumbleweed$/i.test(release)) return 'opensuse-tumbleweed';
  if (/^\d+\.\d+$/.test(release)) return 'opensuse-leap';
  return id;
}
