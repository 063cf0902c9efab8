/**
 * Locking with apt: the same simulation as `resolvePackages`, then `--print-uris` with
 * `Acquire::ForceHash=SHA256`, which prints each package's URL, size and the SHA-256 its
 * Packages index gives, and the `Date` of every InRelease/Release file apt fetched.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockCodes } from '../../diagnostics/codes/lock.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { runResolver } from '../common/resolver.js';
import type {
  LockedPackage,
  LockResolution,
  PackageRequest,
  RepositoryState,
  ResolveContext,
} from '../contract.js';
import { MERGED_USR_HOOK } from './bootstrap.js';
import { aptRequested, inAptRoot, simulated } from './resolve.js';

interface Download {
  url: string;
  size: number;
  sha256: string;
}

/** `'URL' file size SHA256:hex` lines of `--print-uris`, by the file name apt stores (epoch as %3a). */
export function printedUris(lines: readonly string[]): Map<string, Download> {
  const out = new Map<string, Download>();
  for (const line of lines) {
    const m = /^'([^']+)' (\S+) (\d+) SHA256:([0-9a-f]{64})$/.exec(line);
    if (m) out.set(m[2]!, { url: m[1]!, size: Number(m[3]), sha256: m[4]! });
  }
  return out;
}

/** The file name apt's archive cache uses for a package: name_version_arch.deb (epoch colon quoted). */
export function debFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replaceAll(':', '%3a')}_${arch}.deb`;
}

/** `deb.debian.org_debian_dists_bookworm_InRelease` → the Date of that suite's Release file. */
async function releaseDates(lists: string): Promise<RepositoryState[]> {
  const files = (await readdir(lists)).filter((f) => /_(In)?Release$/.test(f)).sort();
  const states: RepositoryState[] = [];
  for (const f of files) {
    const date = /^Date: (.+)$/m.exec(await readFile(join(lists, f), 'utf8'))?.[1];
    const url = f.replace(/_(In)?Release$/, '').replaceAll('_', '/');
    if (date && !states.some((s) => s.url === url))
      states.push({ url, kind: 'release-date', timestamp: new Date(date).toISOString() });
  }
  return states;
}

/**
 * The bootstrap's merged-/usr hook installs usr-is-merged itself, outside apt's resolution of
 * the request: the lock holds it too when the hook is there and the suite has the package.
 */
async function mergedUsrPackage(opts: string[], context: ResolveContext): Promise<string[]> {
  if (!existsSync(MERGED_USR_HOOK)) return [];
  const shown = await runResolver(
    'apt-cache',
    [...opts, 'show', '--no-all-versions', 'usr-is-merged'],
    context,
  );
  return shown.code === 0 ? ['usr-is-merged'] : [];
}

export function lockWithApt(request: PackageRequest, context: ResolveContext): Promise<LockResolution> {
  return inAptRoot<LockResolution>(request, context, async (opts, lists) => {
    const fail = (lines: string[], tool = 'apt-get'): LockResolution => ({
      tool,
      packages: [],
      repositories: [],
      diagnostics: [diag(lockCodes.noMetadata, { what: 'the package set', why: lines.slice(-8).join('\n') })],
    });
    const update = await runResolver('apt-get', [...opts, 'update'], context);
    if (update.code !== 0) return fail(update.lines, 'apt-get update');
    const requested = [...aptRequested(request), ...(await mergedUsrPackage(opts, context))];
    const simulation = await runResolver(
      'apt-get',
      [...opts, 'install', '--simulate', '--', ...requested],
      context,
    );
    if (simulation.code !== 0) return fail(simulation.lines);
    const uris = await runResolver(
      'apt-get',
      [...opts, '-o', 'Acquire::ForceHash=SHA256', 'install', '--print-uris', '-qq', '--', ...requested],
      context,
    );
    if (uris.code !== 0) return fail(uris.lines);
    const downloads = printedUris(uris.lines);
    const diagnostics: Diagnostic[] = [];
    const packages: LockedPackage[] = [];
    for (const p of simulated(simulation.lines)) {
      const arch = p.arch ?? request.architecture ?? '';
      const d =
        downloads.get(debFileName(p.name, p.version, arch)) ??
        downloads.get(debFileName(p.name, p.version.replace(/^\d+:/, ''), arch));
      if (!d) {
        diagnostics.push(
          diag(lockCodes.noMetadata, {
            what: `${p.name} ${p.version}`,
            why: 'apt printed no URL and SHA-256 for it',
          }),
        );
        continue;
      }
      packages.push({ name: p.name, version: p.version, architecture: arch, repository: p.from ?? '', ...d });
    }
    return { tool: 'apt-get', packages, repositories: await releaseDates(lists), diagnostics };
  });
}
