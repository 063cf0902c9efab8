/**
 * The distribution release a kickstart's `url` and `repo` lines (or its image payload URL) name, as a syntax-version hint:
 * `mirror.centos.org/centos/7/os` is CentOS 7 (RHEL7 syntax), `…/fedora/linux/releases/21/…`
 * is Fedora 21. A URL that names only the distribution (`$releasever`) gives the family.
 */
import { lookupTable } from '../../../lib/lookup-table.js';
import type { KsDocument, KsLocation } from './document.js';

export type KsFamily = 'F' | 'RHEL';

export interface DistroHint {
  distro: string;
  family: KsFamily;
  /** the release number; 'rawhide' for Fedora's development branch; absent when only the family is named */
  release?: number | 'rawhide';
  url: string;
  at: KsLocation;
}

interface UrlRule {
  distro: string;
  family: KsFamily;
  pattern: RegExp;
  /** a fixed release instead of the pattern's capture */
  release?: 'rawhide';
}

const RELEASE_RULES: UrlRule[] = [
  {
    distro: 'Fedora',
    family: 'F',
    pattern: /\/(?:development\/)?rawhide\b|[?&]repo=rawhide\b/i,
    release: 'rawhide',
  },
  { distro: 'Fedora', family: 'F', pattern: /fedora[^?]*\/(?:releases|updates)\/(\d+)\b/i },
  { distro: 'Fedora', family: 'F', pattern: /[?&]repo=(?:fedora|updates-released|updates)-f?(\d+)\b/i },
  { distro: 'CentOS Stream', family: 'RHEL', pattern: /centos[^?]*\/(\d+)-stream\b/i },
  {
    distro: 'CentOS',
    family: 'RHEL',
    pattern:
      /centos[^?]*\/(\d+)(?:\.\d+)*\/(?:os|updates|extras|centosplus|BaseOS|AppStream|cloud|virt|sclo)\b/i,
  },
  { distro: 'CentOS', family: 'RHEL', pattern: /centos\.org\/?\?(?:.*&)?release=(\d+)\b/i },
  { distro: 'Rocky Linux', family: 'RHEL', pattern: /rocky[^?]*\/(\d+)(?:\.\d+)?\//i },
  { distro: 'Rocky Linux', family: 'RHEL', pattern: /rocky[^?]*[?&]repo=[a-z]+-(\d+)\b/i },
  { distro: 'AlmaLinux', family: 'RHEL', pattern: /almalinux[^?]*\/(\d+)(?:\.\d+)?\//i },
  { distro: 'Oracle Linux', family: 'RHEL', pattern: /oraclelinux\/OL(\d+)\b/i },
  {
    distro: 'Scientific Linux',
    family: 'RHEL',
    pattern: /scientific(?:linux)?[^?]*\/(\d+)(?:\.\d+)?[x]?\//i,
  },
  { distro: 'EPEL', family: 'RHEL', pattern: /\bepel[/-](\d+)\b/i },
  { distro: 'RHEL', family: 'RHEL', pattern: /\/rhel-?(\d+)\/|\brhel-(\d+)-/i },
];

const FAMILY_RULES: UrlRule[] = [
  { distro: 'Fedora', family: 'F', pattern: /fedoraproject\.org|\/fedora\b/i },
  { distro: 'CentOS', family: 'RHEL', pattern: /centos/i },
  { distro: 'Rocky Linux', family: 'RHEL', pattern: /rockylinux|\/rocky\//i },
  { distro: 'AlmaLinux', family: 'RHEL', pattern: /almalinux/i },
  { distro: 'RHEL', family: 'RHEL', pattern: /redhat\.com|\/rhel\b/i },
];

/** Commands whose URLs tell the distribution; `url` ranks first, the image payloads last. */
const SOURCE_RANK: Record<string, number> = lookupTable({
  url: 0,
  repo: 1,
  ostreesetup: 2,
  liveimg: 2,
  ostreecontainer: 2,
});

/** URLs of `url` first, then of `repo` lines, then of image payloads, in file order. */
function sourceUrls(doc: KsDocument): { url: string; at: KsLocation }[] {
  const out: { url: string; at: KsLocation; rank: number }[] = [];
  for (const item of doc.items) {
    const rank = item.kind === 'command' ? SOURCE_RANK[item.name] : undefined;
    if (item.kind !== 'command' || rank === undefined) continue;
    for (const word of item.args) {
      const value = word.value.replace(/^--[a-z]+=/, '');
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
      out.push({ url: value, at: { ...item.at, column: word.column }, rank });
    }
  }
  return out.sort((a, b) => a.rank - b.rank);
}

/**
 * Longer URLs name no release or family: patterns like `fedora[^?]*\/releases\/` go to the end
 * of the URL from every "fedora" in it (a 1.2 MB fuzzed metalink took 57 s). Real ones are
 * a few hundred characters.
 */
export const MAX_HINT_URL = 8192;

function match(rule: UrlRule, url: string): number | 'rawhide' | undefined | null {
  if (url.length > MAX_HINT_URL) return null;
  const m = rule.pattern.exec(url);
  if (!m) return null;
  if (rule.release) return rule.release;
  const captured = m.slice(1).find((g) => g !== undefined);
  return captured === undefined ? undefined : Number(captured);
}

/** The first source URL that names a release; else the first that names a family. */
export function distroHint(doc: KsDocument): DistroHint | undefined {
  const urls = sourceUrls(doc);
  for (const { url, at } of urls) {
    for (const rule of RELEASE_RULES) {
      const release = match(rule, url);
      if (release !== null) {
        return { distro: rule.distro, family: rule.family, url, at, ...(release ? { release } : {}) };
      }
    }
  }
  for (const { url, at } of urls) {
    for (const rule of FAMILY_RULES) {
      if (url.length <= MAX_HINT_URL && rule.pattern.test(url))
        return { distro: rule.distro, family: rule.family, url, at };
    }
  }
  return undefined;
}
