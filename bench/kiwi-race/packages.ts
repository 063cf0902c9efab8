/** The installed packages of a built tarball: name → version, from its dpkg status. */
import { execFileSync } from 'node:child_process';

export type Packages = Map<string, string>;

export interface PackageDifference {
  name: string;
  kiwi?: string;
  imgc?: string;
}

/** The `install ok installed` stanzas of a dpkg status file. */
export function installedPackages(status: string): Packages {
  const installed: Packages = new Map();
  for (const stanza of status.split(/\n\s*\n/)) {
    const field = (name: string) => stanza.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
    const name = field('Package');
    const version = field('Version');
    const arch = field('Architecture');
    if (!name || !version || field('Status') !== 'install ok installed') continue;
    installed.set(arch && arch !== 'all' && arch !== 'amd64' ? `${name}:${arch}` : name, version);
  }
  return installed;
}

export function packagesOfTarball(tarball: string): Packages {
  // GNU tar finds the compressor itself; members may be named ./var/... or var/...
  const status = execFileSync(
    'tar',
    ['-xOf', tarball, '--wildcards', '--no-anchored', 'var/lib/dpkg/status'],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  return installedPackages(status);
}

/** Every package missing on one side or at another version, sorted by name. */
export function packageDifferences(kiwi: Packages, imgc: Packages): PackageDifference[] {
  const names = [...new Set([...kiwi.keys(), ...imgc.keys()])].sort();
  return names
    .filter((n) => kiwi.get(n) !== imgc.get(n))
    .map((name) => ({
      name,
      ...(kiwi.has(name) ? { kiwi: kiwi.get(name)! } : {}),
      ...(imgc.has(name) ? { imgc: imgc.get(name)! } : {}),
    }));
}
