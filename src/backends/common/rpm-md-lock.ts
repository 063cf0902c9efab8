/**
 * Locking for the rpm-md families (dnf, zypper): the resolver answers which packages, and the
 * repositories' own `repodata/` (repomd.xml → primary.xml) give each one's location, SHA-256
 * and size, and the repository's revision. Only `baseurl` repositories are read; a metalink or
 * mirrorlist alone is reported (IMGC7733) rather than guessed.
 */
import { lockCodes } from '../../diagnostics/codes/lock.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type {
  LockedPackage,
  LockResolution,
  PackageRequest,
  RepositoryState,
  Resolution,
} from '../contract.js';
import { decompressed, iniSections, repositoryFile } from './repo-metadata.js';
import { settingText } from './resolver.js';

interface RpmEntry {
  name: string;
  arch: string;
  version: string;
  href: string;
  sha256: string;
  size: number;
}

const tag = (xml: string, re: RegExp) => re.exec(xml)?.[1];

/** The packages of a primary.xml with a SHA-256 checksum, version spelled as dnf and zypper print it. */
export function primaryEntries(xml: string): RpmEntry[] {
  return [...xml.matchAll(/<package type="rpm">([\s\S]*?)<\/package>/g)].flatMap((m) => {
    const p = m[1]!;
    const v = /<version epoch="(\d+)" ver="([^"]+)" rel="([^"]+)"\/>/.exec(p);
    const sha256 = tag(p, /<checksum type="sha256"[^>]*>([0-9a-f]{64})<\/checksum>/);
    const name = tag(p, /<name>([^<]+)<\/name>/);
    const arch = tag(p, /<arch>([^<]+)<\/arch>/);
    const href = tag(p, /<location (?:xml:base="[^"]*" )?href="([^"]+)"/);
    const size = tag(p, /<size package="(\d+)"/);
    if (!v || !sha256 || !name || !arch || !href || !size) return [];
    const epoch = v[1] === '0' ? '' : `${v[1]}:`;
    return [{ name, arch, version: `${epoch}${v[2]}-${v[3]}`, href, sha256, size: Number(size) }];
  });
}

interface RpmRepo {
  id: string;
  base: string;
  state: RepositoryState;
  entries: RpmEntry[];
}

function expand(url: string, request: PackageRequest): string {
  const releasever = settingText(request, 'releasever') ?? request.suite ?? '';
  const arch = request.architecture ?? '';
  return url.replaceAll('$releasever', releasever).replaceAll('$basearch', arch).replaceAll('$arch', arch);
}

async function readRepo(id: string, base: string): Promise<RpmRepo> {
  const repomd = (await repositoryFile(base, 'repodata/repomd.xml')).toString('utf8');
  const revision = tag(repomd, /<revision>(\d+)<\/revision>/);
  const primary = tag(repomd, /<data type="primary">[\s\S]*?<location href="([^"]+)"/);
  if (!primary) throw new Error(`${base}/repodata/repomd.xml names no primary metadata`);
  const xml = decompressed(await repositoryFile(base, primary), primary).toString('utf8');
  const timestamp = revision ? new Date(Number(revision) * 1000).toISOString() : '';
  return { id, base, state: { url: base, kind: 'repomd-revision', timestamp }, entries: primaryEntries(xml) };
}

/** Adds URL, digest and size to a dnf or zypper resolution from the request's rpm-md repositories. */
export async function lockFromRpmMd(
  resolution: Resolution,
  request: PackageRequest,
): Promise<LockResolution> {
  if (resolution.diagnostics.some((d) => d.severity === 'error'))
    return { tool: resolution.tool, packages: [], repositories: [], diagnostics: resolution.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const repos: RpmRepo[] = [];
  for (const [id, keys] of iniSections(request.sources ?? '')) {
    if (keys.get('enabled') === '0') continue;
    const base = keys.get('baseurl')?.split(/\s+/)[0];
    if (!base) {
      diagnostics.push(diag(lockCodes.noMetadata, { what: `repository ${id}`, why: 'it has no baseurl' }));
      continue;
    }
    try {
      repos.push(await readRepo(id, expand(base, request)));
    } catch (e) {
      diagnostics.push(diag(lockCodes.noMetadata, { what: `repository ${id}`, why: (e as Error).message }));
    }
  }
  const packages: LockedPackage[] = [];
  for (const p of resolution.packages) {
    const candidates = p.from ? repos.filter((r) => r.id === p.from) : repos;
    const found = candidates
      .flatMap((r) => r.entries.map((e) => ({ r, e })))
      .find(({ e }) => e.name === p.name && e.version === p.version && (!p.arch || e.arch === p.arch));
    if (!found) {
      diagnostics.push(
        diag(lockCodes.noMetadata, {
          what: `${p.name} ${p.version}`,
          why: 'no repository metadata lists this version',
        }),
      );
      continue;
    }
    const { r, e } = found;
    packages.push({
      name: p.name,
      version: p.version,
      architecture: e.arch,
      repository: r.id,
      url: `${r.base.replace(/\/+$/, '')}/${e.href}`,
      sha256: e.sha256,
      size: e.size,
    });
  }
  return { tool: resolution.tool, packages, repositories: repos.map((r) => r.state), diagnostics };
}
