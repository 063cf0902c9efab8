/**
 * Documented defaults used when a translation target needs a value the source does not give
 * (see docs/translate.md). Each use is reported as IMGC6003.
 */

/** The distribution assumed when neither the source nor --distro names one. */
export const DEFAULT_DISTRIBUTION = 'fedora';

/** Release per distribution when neither the source nor --distro/--release names one. */
export const DEFAULT_RELEASES: Record<string, string> = {
  fedora: '44',
  centos: '10',
  rhel: '10',
  almalinux: '10',
  rocky: '10',
  debian: 'bookworm',
  ubuntu: 'noble',
  opensuse: 'tumbleweed',
  arch: 'rolling',
};
