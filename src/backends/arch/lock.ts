/**
 * Locking with pacman: the same `-Sy` and `-Sp` as `resolvePackages`, printing each target's
 * location and repository; architecture, SHA-256 and size come from the `desc` entries of the
 * repository's sync database that `-Sy` fetched, and the database file's time stamps it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lockCodes } from '../../diagnostics/codes/lock.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { decompressed, tarMembers } from '../common/repo-metadata.js';
import { refreshAndSolve, resolveInScratch } from '../common/resolver.js';
import type { LockedPackage, LockResolution, PackageRequest, ResolveContext } from '../contract.js';
import { pacmanBase, pacmanResolver } from './resolve.js';

const FORMAT = 'imgc-locked %n %v %r %l';

interface DescEntry {
  arch: string;
  sha256: string;
  size: number;
}

/** `%KEY%\nvalue` blocks of a pacman `desc` file. */
function descFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const block of text.split(/\n\n+/)) {
    const m = /^%([A-Z0-9]+)%\n([\s\S]*)$/.exec(block.trim());
    if (m) fields.set(m[1]!, m[2]!.trim());
  }
  return fields;
}

/** name-version → architecture, digest and size, from a sync database (a gzip tar of desc files). */
export function syncDatabase(bytes: Buffer, name: string): Map<string, DescEntry> {
  const entries = new Map<string, DescEntry>();
  for (const [path, body] of tarMembers(decompressed(bytes, name))) {
    if (!path.endsWith('/desc')) continue;
    const f = descFields(body.toString('utf8'));
    const sha256 = f.get('SHA256SUM');
    if (sha256)
      entries.set(`${f.get('NAME')}-${f.get('VERSION')}`, {
        arch: f.get('ARCH') ?? '',
        sha256,
        size: Number(f.get('CSIZE') ?? 0),
      });
  }
  return entries;
}

export function lockWithPacman(request: PackageRequest, context: ResolveContext): Promise<LockResolution> {
  const requested = request.packages;
  return resolveInScratch<LockResolution>(pacmanResolver(requested), async (root) => {
    const { base, dbPath } = await pacmanBase(request, context, root);
    const printed: string[][] = [];
    const solved = await refreshAndSolve(
      {
        tool: 'pacman',
        requested,
        refresh: [...base, '-Sy'],
        solve: [...base, '-Sp', '--print-format', FORMAT, '--', ...requested],
        read: (lines) => {
          for (const l of lines) if (l.startsWith('imgc-locked ')) printed.push(l.split(' ').slice(1));
          return [];
        },
      },
      context,
    );
    if (solved.diagnostics.length) return { ...solved, repositories: [], packages: [] };
    const diagnostics: Diagnostic[] = [];
    const databases = new Map<string, Map<string, DescEntry>>();
    const repositories = [];
    for (const repo of [...new Set(printed.map((p) => p[2]!))].sort()) {
      const file = join(dbPath, 'sync', `${repo}.db`);
      databases.set(repo, syncDatabase(await readFile(file), file));
      const mtime = (await stat(file)).mtime;
      repositories.push({ url: repo, kind: 'db-mtime' as const, timestamp: mtime.toISOString() });
    }
    const packages: LockedPackage[] = [];
    for (const [name, version, repository, url] of printed) {
      const entry = databases.get(repository!)?.get(`${name}-${version}`);
      if (!entry) {
        diagnostics.push(
          diag(lockCodes.noMetadata, {
            what: `${name} ${version}`,
            why: `the ${repository} database has no digest for it`,
          }),
        );
        continue;
      }
      packages.push({
        name: name!,
        version: version!,
        architecture: entry.arch,
        repository: repository!,
        url: url!,
        sha256: entry.sha256,
        size: entry.size,
      });
    }
    return { tool: 'pacman', packages, repositories, diagnostics };
  });
}
