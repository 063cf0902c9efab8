/** Compares a target's manifest with the golden one: paths added, removed, changed; packages. */
import { type IgnoreRule, isIgnored } from './ignore.js';
import type { GoldenManifest, ManifestPackage, ManifestPath } from './schema.js';
import { compareVersions } from './version.js';

export type Aspect = 'type' | 'content' | 'mode' | 'owner' | 'target' | 'device' | 'xattrs';
/** package: a package database lists the path; image: the build put it there; local: neither */
export type Origin = 'package' | 'image' | 'local';

export interface PathDrift {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  origin: Origin;
  package?: string;
  /** what differs (changed paths only) */
  aspects?: Aspect[];
  golden?: ManifestPath;
  now?: ManifestPath;
}

export interface PackageDrift {
  name: string;
  architecture: string;
  kind: 'installed' | 'removed' | 'upgraded' | 'downgraded' | 'changed';
  golden?: string;
  now?: string;
}

export interface DriftReport {
  paths: PathDrift[];
  packages: PackageDrift[];
  /** aspects the target could not show, so they were not compared (xattrs of a debugfs copy) */
  notCompared: Aspect[];
}

export interface DriftOptions {
  rules: readonly IgnoreRule[];
  compareXattrs: boolean;
}

export const DRIFT_BITS = { added: 1, removed: 2, changed: 4 } as const;

function aspectsOf(a: ManifestPath, b: ManifestPath, xattrs: boolean): Aspect[] {
  if (a.type !== b.type) return ['type'];
  const out: Aspect[] = [];
  if (a.sha256 !== b.sha256 || a.size !== b.size) out.push('content');
  if (a.mode !== b.mode && a.type !== 'symlink') out.push('mode');
  if (a.uid !== b.uid || a.gid !== b.gid) out.push('owner');
  if (a.target !== b.target) out.push('target');
  if (a.device !== b.device) out.push('device');
  if (xattrs && JSON.stringify(a.xattrs ?? {}) !== JSON.stringify(b.xattrs ?? {})) out.push('xattrs');
  return out;
}

const originOf = (p: ManifestPath): Origin => (p.package ? 'package' : 'image');

export function comparePaths(
  golden: GoldenManifest,
  now: GoldenManifest,
  options: DriftOptions,
): PathDrift[] {
  const before = new Map(golden.paths.map((p) => [p.path, p]));
  const after = new Map(now.paths.map((p) => [p.path, p]));
  const drift: PathDrift[] = [];
  for (const [path, g] of before) {
    if (isIgnored(path, options.rules)) continue;
    const n = after.get(path);
    if (!n) {
      drift.push({ path, kind: 'removed', origin: originOf(g), ...pkg(g), golden: g });
      continue;
    }
    const aspects = aspectsOf(g, n, options.compareXattrs);
    if (aspects.length)
      drift.push({ path, kind: 'changed', origin: originOf(g), ...pkg(g), aspects, golden: g, now: n });
  }
  for (const [path, n] of after) {
    if (before.has(path) || isIgnored(path, options.rules)) continue;
    drift.push({ path, kind: 'added', origin: n.package ? 'package' : 'local', ...pkg(n), now: n });
  }
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const pkg = (p: ManifestPath) => (p.package ? { package: p.package } : {});

export function comparePackages(golden: ManifestPackage[], now: ManifestPackage[]): PackageDrift[] {
  const key = (p: ManifestPackage) => `${p.name}\0${p.architecture}`;
  const before = new Map(golden.map((p) => [key(p), p]));
  const after = new Map(now.map((p) => [key(p), p]));
  const drift: PackageDrift[] = [];
  for (const [k, g] of before) {
    const n = after.get(k);
    if (!n) drift.push({ name: g.name, architecture: g.architecture, kind: 'removed', golden: g.version });
    else if (n.version !== g.version) {
      const order = compareVersions(n.version, g.version);
      const kind =
        order === undefined ? 'changed' : order > 0 ? 'upgraded' : order < 0 ? 'downgraded' : 'changed';
      drift.push({ name: g.name, architecture: g.architecture, kind, golden: g.version, now: n.version });
    }
  }
  for (const [k, n] of after)
    if (!before.has(k))
      drift.push({ name: n.name, architecture: n.architecture, kind: 'installed', now: n.version });
  return drift.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function compareManifests(
  golden: GoldenManifest,
  now: GoldenManifest,
  options: DriftOptions,
): DriftReport {
  return {
    paths: comparePaths(golden, now, options),
    packages: comparePackages(golden.packages, now.packages),
    notCompared: options.compareXattrs ? [] : ['xattrs'],
  };
}

/** AIDE-like exit status: 1 added, 2 removed, 4 changed (packages count with their paths). */
export function driftBits(report: DriftReport): number {
  let bits = 0;
  for (const p of report.paths) bits |= DRIFT_BITS[p.kind];
  for (const p of report.packages)
    bits |=
      p.kind === 'installed'
        ? DRIFT_BITS.added
        : p.kind === 'removed'
          ? DRIFT_BITS.removed
          : DRIFT_BITS.changed;
  return bits;
}
