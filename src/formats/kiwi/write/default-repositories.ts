/**
 * Repositories for a KIWI description whose source names none (a blueprint, kickstart or
 * Containerfile relies on its tool's distribution defaults; KIWI refuses a description
 * without a <repository>). They come from the same tables imgc's backends build with: the
 * dnf family's public repositories and the SUSE backend's download.opensuse.org paths. For
 * Debian and Ubuntu a build reads the mirror from the host's apt sources, which a translation
 * must not bake in: the writer names the distribution's public archive instead.
 */

import { ARCH_IDS, archRepositories } from '../../../distros/arch.js';
import { findRelease } from '../../../distros/debian.js';
import { findDnfDistribution } from '../../../distros/dnf.js';
import { findSuse, opensuseRepositories } from '../../../distros/suse.js';
import type { Repository } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';

/** The public archives of the apt family, the documented default of a translation to KIWI. */
export const APT_ARCHIVES: Record<string, { url: string; components: string[]; keyring?: string }> =
  lookupTable({
    debian: {
      url: 'https://deb.debian.org/debian',
      components: ['main'],
      keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
    },
    ubuntu: {
      url: 'http://archive.ubuntu.com/ubuntu',
      components: ['main', 'universe'],
      keyring: '/usr/share/keyrings/ubuntu-archive-keyring.gpg',
    },
  });

export interface DefaultRepositories {
  repositories: Repository[];
  /** where they come from, for the report */
  from: string;
}

/** The repositories KIWI is given for `id`/`release`, or undefined when imgc knows no public one. */
export function defaultRepositories(
  id: string,
  release: string | undefined,
): DefaultRepositories | undefined {
  const apt = APT_ARCHIVES[id];
  if (apt) {
    const suite = release ? (findRelease(id, release)?.suite ?? release) : undefined;
    if (!suite) return undefined;
    return {
      from: `the public ${id} archive; an imgc build uses the host's apt mirror instead`,
      repositories: [
        {
          id,
          type: 'apt',
          urls: [apt.url],
          suites: [suite],
          components: apt.components,
          usage: 'build-and-image',
          ...(apt.keyring ? { gpgKeys: [`file://${apt.keyring}`] } : {}),
        },
      ],
    };
  }
  const dnf = findDnfDistribution(id);
  if (dnf?.repositories && release) {
    return { from: `imgc's ${dnf.name} backend defaults`, repositories: dnf.repositories(release) };
  }
  if (findSuse(id)) return suseRepositories(id, release);
  if (ARCH_IDS.includes(id))
    return { from: "imgc's Arch backend defaults", repositories: archRepositories() };
  return undefined;
}

function suseRepositories(id: string, release: string | undefined): DefaultRepositories | undefined {
  const rolling = findSuse(id)?.rolling || /^(tumbleweed|rolling)$/i.test(release ?? '');
  // SUSE Linux Enterprise has no public repository
  if (!rolling && (/^sle/.test(id) || !release)) return undefined;
  const found = rolling
    ? opensuseRepositories('opensuse-tumbleweed', 'tumbleweed')
    : opensuseRepositories('opensuse-leap', release!);
  return found && { from: "imgc's SUSE backend defaults", repositories: found };
}
