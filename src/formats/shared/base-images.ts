/**
 * Base image ↔ distribution. The bootc bases (Fedora, CentOS Stream, RHEL, AlmaLinux) are the
 * published ones; distributions without a bootc base use their plain container image, which
 * has no bootc in it (the writer says so). Both directions use this one table, so that
 * writing and re-reading gives back the same distribution.
 */

import { ONLY_RELEASE } from '../../ir/distribution.js';
import type { Distribution } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';

interface BaseImageRule {
  id: string;
  /** true when the image is a real bootc base (kernel, bootc, ostree included) */
  bootc: boolean;
  image: (release: string) => string;
  pattern: RegExp;
  /** release from the pattern's match */
  release: (m: RegExpExecArray) => string | undefined;
  variant?: (m: RegExpExecArray) => string | undefined;
}

const RULES: BaseImageRule[] = [
  {
    id: 'fedora',
    bootc: true,
    image: (r) => `quay.io/fedora/fedora-bootc:${r}`,
    pattern: /^quay\.io\/fedora\/fedora-bootc:([\w.-]+)$/,
    release: (m) => m[1],
  },
  {
    id: 'fedora',
    bootc: true,
    image: (r) => `quay.io/fedora/fedora-bootc:${r}`,
    pattern: /^quay\.io\/fedora-ostree-desktops\/([\w-]+):([\w.-]+)$/,
    release: (m) => m[2],
    variant: (m) => m[1],
  },
  {
    id: 'centos',
    bootc: true,
    image: (r) => `quay.io/centos-bootc/centos-bootc:stream${/\d+/.exec(r)?.[0] ?? r}`,
    pattern: /^quay\.io\/centos-bootc\/centos-bootc:stream(\d+)$/,
    release: (m) => m[1],
  },
  {
    id: 'rhel',
    bootc: true,
    image: (r) => `registry.redhat.io/rhel${r.split('.')[0]}/rhel-bootc:${r}`,
    pattern: /^registry\.redhat\.io\/rhel\d+(?:-eus)?\/rhel-[\d.]*-?bootc:([\d.]+)$/,
    release: (m) => m[1],
  },
  {
    id: 'almalinux',
    bootc: true,
    image: (r) => `quay.io/almalinuxorg/almalinux-bootc:${r}`,
    pattern: /^quay\.io\/almalinuxorg\/almalinux-bootc:([\w.-]+)$/,
    release: (m) => m[1],
  },
  {
    id: 'opensuse',
    bootc: false,
    image: (r) =>
      r === 'tumbleweed'
        ? 'registry.opensuse.org/opensuse/tumbleweed:latest'
        : `registry.opensuse.org/opensuse/leap:${r}`,
    pattern: /^registry\.opensuse\.org\/opensuse\/(tumbleweed|leap):([\w.-]+)$/,
    release: (m) => (m[1] === 'tumbleweed' ? 'tumbleweed' : m[2]),
  },
  {
    id: 'arch',
    bootc: false,
    image: () => 'docker.io/library/archlinux:latest',
    pattern: /^docker\.io\/library\/archlinux:latest$/,
    release: () => undefined,
  },
  {
    id: 'fedora',
    bootc: false,
    image: (r) => `registry.fedoraproject.org/fedora:${r}`,
    pattern: /^(?:registry\.fedoraproject\.org|quay\.io\/fedora)\/fedora:([\w.-]+)$/,
    release: (m) => tagRelease(m[1]!),
  },
  {
    id: 'centos',
    bootc: false,
    image: (r) => `quay.io/centos/centos:stream${r}`,
    pattern: /^quay\.io\/centos\/centos:stream(\d+)(?:-development)?$/,
    release: (m) => m[1],
  },
  {
    id: 'rhel',
    bootc: false,
    image: (r) => `registry.access.redhat.com/ubi${r.split('.')[0]}/ubi:${r}`,
    pattern: /^registry\.(?:access\.)?redhat\.(?:com|io)\/ubi(\d+)\/ubi(?:-minimal|-init|-micro)?:([\w.-]+)$/,
    release: (m) => (/^\d+(\.\d+)?$/.test(m[2]!) ? m[2] : m[1]),
  },
  {
    id: 'rocky',
    bootc: false,
    image: (r) => `docker.io/rockylinux/rockylinux:${r}`,
    pattern: /^docker\.io\/(?:rockylinux|library)\/rockylinux:([\w.-]+)$/,
    release: (m) => tagRelease(m[1]!),
  },
  {
    id: 'opensuse',
    bootc: false,
    image: (r) => `docker.io/opensuse/leap:${r}`,
    pattern: /^docker\.io\/opensuse\/(tumbleweed|leap):([\w.-]+)$/,
    release: (m) => (m[1] === 'tumbleweed' ? 'tumbleweed' : tagRelease(m[2]!)),
  },
  {
    id: 'sles',
    bootc: false,
    image: (r) => `registry.suse.com/bci/bci-base:${r}`,
    pattern: /^registry\.suse\.com\/(?:bci\/bci-base|suse\/sle15):([\w.-]+)$/,
    release: (m) => tagRelease(m[1]!),
  },
  {
    id: '*',
    bootc: false,
    image: (r) => r,
    pattern:
      /^docker\.io\/library\/(debian|ubuntu|fedora|almalinux|alpine|archlinux|centos|mageia|amazonlinux|oraclelinux):([\w.-]+)$/,
    release: (m) => tagRelease(m[2]!),
  },
];

/** A tag that names a release (`bookworm`, `24.04`, `41`); `latest` and the like name none. */
function tagRelease(tag: string): string | undefined {
  return /^(latest|stable|testing|rawhide-latest)$/.test(tag) ? undefined : tag;
}

/** Images published on top of a distribution (Universal Blue builds on Fedora). */
const DERIVED_BASES: { pattern: RegExp; id: string; publisher: string }[] = [
  {
    pattern: /^ghcr\.io\/ublue-os\//,
    id: 'fedora',
    publisher: 'Universal Blue (ghcr.io/ublue-os) builds on Fedora',
  },
  {
    pattern: /^quay\.io\/fedora\/fedora-(coreos|silverblue|kinoite|iot)\b/,
    id: 'fedora',
    publisher: 'Fedora publishes it',
  },
  { pattern: /^quay\.io\/almalinuxorg\//, id: 'almalinux', publisher: 'AlmaLinux publishes it' },
];

/** The distribution an image derived from one is built on, and how that is known. */
export function derivedDistributionOf(
  image: string,
): { distribution: Distribution; how: string } | undefined {
  const ref = normalizeRef(image);
  const rule = DERIVED_BASES.find((r) => r.pattern.test(ref));
  return rule ? { distribution: { id: rule.id }, how: rule.publisher } : undefined;
}

/** The base image for a distribution, and whether it is a bootc base. */
export function baseImageFor(d: Distribution): { image: string; bootc: boolean } | undefined {
  if (!d.id) return undefined;
  const release = d.release ?? ONLY_RELEASE[d.id] ?? 'latest';
  if (d.id === 'arch') return { image: 'docker.io/library/archlinux:latest', bootc: false };
  // openSUSE publishes Leap and Tumbleweed under one name, told apart by the tag
  if (d.id === 'opensuse-leap' || d.id === 'opensuse-tumbleweed')
    return baseImageFor({ id: 'opensuse', release: d.id === 'opensuse-tumbleweed' ? 'tumbleweed' : release });
  const rule = RULES.find((r) => r.id === d.id && !r.variant);
  if (rule) return { image: rule.image(release), bootc: rule.bootc };
  return { image: `docker.io/library/${d.id}:${release}`, bootc: false };
}

/** The distribution a base image reference names, if imgc knows it. Digests are ignored. */
export function distributionOf(image: string): Distribution | undefined {
  const ref = normalizeRef(image);
  for (const rule of RULES) {
    const m = rule.pattern.exec(ref);
    if (!m) continue;
    const d: Distribution = { id: rule.id === '*' ? m[1]! : rule.id };
    if (d.id === 'archlinux') d.id = 'arch';
    const release = rule.release(m);
    if (release !== undefined) d.release = release;
    const variant = rule.variant?.(m);
    if (variant !== undefined) d.variant = variant;
    return d;
  }
  return undefined;
}

/** Full registry spelling without a digest: `debian:bookworm` → `docker.io/library/debian:bookworm`. */
/** True when the image is one of the published bootc bases (kernel, bootc and ostree in it). */
export function isBootcBase(image: string): boolean {
  const ref = normalizeRef(image);
  return RULES.find((rule) => rule.pattern.test(ref))?.bootc ?? false;
}

export function normalizeRef(image: string): string {
  let ref = image.replace(/@sha256:[0-9a-f]+$/, '');
  const firstSlash = ref.indexOf('/');
  const first = firstSlash < 0 ? '' : ref.slice(0, firstSlash);
  if (firstSlash < 0) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  if (!/:[\w.-]+$/.test(ref.slice(ref.lastIndexOf('/')))) ref = `${ref}:latest`;
  return ref;
}

const ARCH_TO_PLATFORM: Record<string, string> = lookupTable({
  x86_64: 'linux/amd64',
  aarch64: 'linux/arm64',
  ppc64le: 'linux/ppc64le',
  s390x: 'linux/s390x',
  riscv64: 'linux/riscv64',
});

export function platformFor(arch: string): string | undefined {
  return ARCH_TO_PLATFORM[arch];
}

export function archOfPlatform(platform: string): string | undefined {
  return Object.entries(ARCH_TO_PLATFORM).find(([, p]) => p === platform)?.[0];
}
