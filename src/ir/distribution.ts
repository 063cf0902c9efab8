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
