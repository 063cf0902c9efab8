/**
 * Resolving with apt: `apt-get install --simulate` in a scratch root that holds only the plan's
 * sources and an empty dpkg status, with the base set mmdebstrap's variant adds requested too.
 * Package lists are kept in the cache between runs, as the build keeps them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lookupTable } from '../../lib/lookup-table.js';
import {
  type FailedResolution,
  metadataCache,
  refreshAndSolve,
  resolveInScratch,
} from '../common/resolver.js';
import type {
  LockResolution,
  PackageRequest,
  Resolution,
  ResolveContext,
  ResolvedPackage,
} from '../contract.js';

const APT_BASE: Record<string, string[]> = lookupTable({
  extract: [],
  custom: [],
  essential: ['?essential'],
  apt: ['?essential', 'apt'],
  required: ['?essential', 'apt', '?priority(required)'],
  minbase: ['?essential', 'apt', '?priority(required)'],
  buildd: ['?essential', 'apt', '?priority(required)', 'build-essential'],
  important: ['?essential', 'apt', '?priority(required)', '?priority(important)'],
  standard: ['?essential', 'apt', '?priority(required)', '?priority(important)', '?priority(standard)'],
});

/** `Inst name [old] (version suite [arch])` of apt's simulation. */
const APT_INST = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) (.*?) \[(\S+)\]\)/;

export async function prepareRoot(root: string, request: PackageRequest): Promise<void> {
  for (const d of [
    'etc/apt/sources.list.d',
    'etc/apt/preferences.d',
    'var/lib/dpkg',
    'var/cache/apt/archives/partial',
  ])
    await mkdir(join(root, d), { recursive: true });
  await writeFile(join(root, 'var/lib/dpkg/status'), '');
  await writeFile(join(root, 'etc/apt/sources.list.d/imgc.sources'), request.sources ?? '');
  if (request.exclude.length)
    await writeFile(
      join(root, 'etc/apt/preferences.d/imgc-exclude.pref'),
      request.exclude.map((p) => `Package: ${p}\nPin: release *\nPin-Priority: -1\n`).join('\n'),
    );
}

export function aptOptions(root: string, lists: string, request: PackageRequest): string[] {
  const arch = request.architecture ?? 'amd64';
  const set = (kv: string) => ['-o', kv];
  return [
    '-q',
    ...set(`Dir=${root}`),
    ...set(`Dir::State::Lists=${lists}`),
    ...set(`Dir::State::status=${join(root, 'var/lib/dpkg/status')}`),
    ...set(`APT::Architecture=${arch}`),
    ...set(`APT::Architectures=${arch}`),
    ...set('Acquire::Languages=none'),
    ...set(`APT::Install-Recommends=${request.installRecommends ? 'true' : 'false'}`),
    ...set('Debug::NoLocking=true'),
    ...set(`APT::Sandbox::User=${process.getuid?.() === 0 ? 'root' : ''}`),
  ];
}

/** `Inst` lines of the simulation: name, version, suite, architecture. */
export function simulated(lines: readonly string[]): ResolvedPackage[] {
  return lines.flatMap((line) => {
    const m = APT_INST.exec(line);
    return m ? [{ name: m[1]!, version: m[2]!, arch: m[4]!, from: m[3]! }] : [];
  });
}

/** What apt is asked for: the variant's base set mmdebstrap adds, then the plan's packages. */
export function aptRequested(request: PackageRequest): string[] {
  return [...(APT_BASE[request.variant ?? 'minbase'] ?? APT_BASE.minbase!), ...request.packages];
}

/** A scratch root for apt with the cached package lists; `work` gets apt's options and the lists folder. */
export function inAptRoot<T extends Resolution | LockResolution>(
  request: PackageRequest,
  context: ResolveContext,
  work: (opts: string[], lists: string) => Promise<T>,
): Promise<T | FailedResolution> {
  const requested = aptRequested(request);
  return resolveInScratch({ tool: 'apt-get', debianPackage: 'apt', requested }, async (root) => {
    await prepareRoot(root, request);
    const lists = await metadataCache(context, 'apt-lists', `${request.sources}\n${request.architecture}`);
    await mkdir(join(lists, 'partial'), { recursive: true });
    return work(aptOptions(root, lists, request), lists);
  });
}

export function resolveWithApt(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
  const requested = aptRequested(request);
  return inAptRoot(request, context, (opts) =>
    refreshAndSolve(
      {
        tool: 'apt-get',
        requested,
        refresh: [...opts, 'update'],
        solve: [...opts, 'install', '--simulate', '--', ...requested],
        read: simulated,
      },
      context,
    ),
  );
}
