/** openSUSE and SUSE Linux Enterprise: their names, releases and public repositories. */
import type { Repository } from '../ir/schema.js';

export interface SuseDistribution {
  id: string;
  name: string;
  aliases: string[];
  releases: string[];
  rolling?: boolean;
}

export const suseDistributions: SuseDistribution[] = [
  {
    id: 'opensuse-tumbleweed',
    name: 'openSUSE Tumbleweed',
    aliases: ['opensuse-tumbleweed', 'tumbleweed', 'opensuse-slowroll'],
    releases: ['tumbleweed'],
    rolling: true,
  },
  {
    id: 'opensuse-leap',
    name: 'openSUSE Leap',
    aliases: ['opensuse-leap', 'opensuse', 'leap', 'suse'],
    releases: ['15.5', '15.6', '16.0'],
  },
  {
    id: 'sles',
    name: 'SUSE Linux Enterprise',
    aliases: ['sles', 'sle', 'sled', 'sle-micro'],
    releases: ['15.5', '15.6', '15.7', '16.0'],
  },
];

export const OPENSUSE_MIRROR = 'https://download.opensuse.org';

export function findSuse(id: string): SuseDistribution | undefined {
  return suseDistributions.find((d) => d.aliases.includes(id.toLowerCase()));
}

/**
 * The public repositories of openSUSE Tumbleweed or Leap `release` under `mirror`; undefined for
 * SUSE Linux Enterprise, which has none without a subscription.
 */
export function opensuseRepositories(
  id: string,
  release: string,
  mirror = OPENSUSE_MIRROR,
): Repository[] | undefined {
  const key = (path: string) => [`${mirror}/${path.replace(/\/$/, '')}/repodata/repomd.xml.key`];
  const repo = (repoId: string, path: string): Repository => ({
    id: repoId,
    type: 'rpm-md',
    urls: [`${mirror}/${path}`],
    gpgCheck: true,
    gpgKeys: key(path),
  });
  if (id === 'opensuse-tumbleweed')
    return [repo('repo-oss', 'tumbleweed/repo/oss/'), repo('repo-update', 'update/tumbleweed/')];
  if (id !== 'opensuse-leap') return undefined;
  if (release.startsWith('16')) return [repo('repo-oss', `distribution/leap/${release}/repo/oss/$basearch/`)];
  return [
    repo('repo-oss', `distribution/leap/${release}/repo/oss/`),
    repo('repo-update', `update/leap/${release}/oss/`),
    repo('repo-sle-update', `update/leap/${release}/sle/`),
  ];
}
