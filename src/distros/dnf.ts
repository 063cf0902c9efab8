/** The dnf family: Fedora and the RHEL-like distributions, their releases and public repositories. */
import type { Repository } from '../ir/schema.js';

export interface DnfDistribution {
  id: string;
  name: string;
  /** releases imgc knows, newest last; numbers above the newest are accepted too */
  releases: readonly string[];
  /** os-release IDs and spellings that mean this distribution */
  aliases: readonly string[];
  repositories?: (releasever: string, mirror?: string) => Repository[];
}

const el = (base: string, key: string, repos: string[]) => (releasever: string, mirror?: string) =>
  repos.map((name) => ({
    id: `${name.toLowerCase()}`,
    name,
    type: 'rpm-md' as const,
    urls: [`${mirror ?? base}/${name}/$basearch/os/`.replace('$releasever', releasever)],
    gpgCheck: true,
    gpgKeys: [key.replaceAll('$releasever', releasever.split('.')[0]!)],
  }));

export const dnfDistributions: readonly DnfDistribution[] = [
  {
    id: 'fedora',
    name: 'Fedora',
    releases: ['39', '40', '41', '42', '43', 'rawhide'],
    aliases: ['fedora'],
    repositories: (releasever, mirror) => {
      const key = 'https://fedoraproject.org/fedora.gpg';
      if (mirror) {
        return [
          {
            id: 'fedora',
            type: 'rpm-md',
            urls: [`${mirror}/releases/${releasever}/Everything/$basearch/os/`],
            gpgCheck: true,
            gpgKeys: [key],
          },
          {
            id: 'updates',
            type: 'rpm-md',
            urls: [`${mirror}/updates/${releasever}/Everything/$basearch/`],
            gpgCheck: true,
            gpgKeys: [key],
          },
        ];
      }
      const repo = releasever === 'rawhide' ? 'rawhide' : 'fedora-$releasever';
      const out: Repository[] = [
        {
          id: 'fedora',
          type: 'rpm-md',
          urls: [],
          metalink: `https://mirrors.fedoraproject.org/metalink?repo=${repo}&arch=$basearch`,
          gpgCheck: true,
          gpgKeys: [key],
        },
      ];
      if (releasever !== 'rawhide') {
        out.push({
          id: 'updates',
          type: 'rpm-md',
          urls: [],
          metalink:
            'https://mirrors.fedoraproject.org/metalink?repo=updates-released-f$releasever&arch=$basearch',
          gpgCheck: true,
          gpgKeys: [key],
        });
      }
      return out;
    },
  },
  {
    id: 'centos',
    name: 'CentOS Stream',
    releases: ['9', '10'],
    aliases: ['centos', 'centos-stream', 'cs'],
    repositories: (releasever, mirror) =>
      el(
        `${mirror ?? 'https://mirror.stream.centos.org'}/${releasever}-stream`,
        'https://www.centos.org/keys/RPM-GPG-KEY-CentOS-Official-SHA256',
        ['BaseOS', 'AppStream'],
      )(releasever),
  },
  {
    id: 'almalinux',
    name: 'AlmaLinux',
    releases: ['8', '9', '10'],
    aliases: ['almalinux', 'alma'],
    repositories: (releasever, mirror) =>
      el(
        `${mirror ?? 'https://repo.almalinux.org/almalinux'}/${releasever}`,
        'https://repo.almalinux.org/almalinux/RPM-GPG-KEY-AlmaLinux-$releasever',
        ['BaseOS', 'AppStream'],
      )(releasever),
  },
  {
    id: 'rocky',
    name: 'Rocky Linux',
    releases: ['8', '9', '10'],
    aliases: ['rocky', 'rockylinux'],
    repositories: (releasever, mirror) =>
      el(
        `${mirror ?? 'https://dl.rockylinux.org/pub/rocky'}/${releasever}`,
        'https://dl.rockylinux.org/pub/rocky/RPM-GPG-KEY-Rocky-$releasever',
        ['BaseOS', 'AppStream'],
      )(releasever),
  },
  { id: 'rhel', name: 'Red Hat Enterprise Linux', releases: ['8', '9', '10'], aliases: ['rhel', 'redhat'] },
];

export function findDnfDistribution(id: string): DnfDistribution | undefined {
  const wanted = id.toLowerCase();
  return dnfDistributions.find((d) => d.aliases.includes(wanted));
}

/** "40", "9.4", "rawhide": known major, or a newer number than the table knows. */
export function acceptRelease(d: DnfDistribution, release: string): boolean {
  if (d.releases.includes(release)) return true;
  const major = release.split('.')[0]!;
  if (d.releases.includes(major) && /^\d+(\.\d+)?$/.test(release)) return true;
  const newest = Math.max(...d.releases.filter((r) => /^\d+$/.test(r)).map(Number));
  return /^\d+$/.test(major) && Number(major) > newest && Number(major) < newest + 10;
}

/** Where the distribution's rpm keeps its database (Fedora 36+ and EL 10 moved it). */
export function rpmDbPath(id: string, release: string): string {
  const major = Number(release.split('.')[0]);
  if (id === 'fedora') return release === 'rawhide' || major >= 36 ? '/usr/lib/sysimage/rpm' : '/var/lib/rpm';
  return major >= 10 ? '/usr/lib/sysimage/rpm' : '/var/lib/rpm';
}
