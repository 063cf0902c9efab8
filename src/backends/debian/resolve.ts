/**
 * Resolving with apt: `apt-get install --simulate` in a scratch root that holds only the plan's
 * sources and an empty dpkg status, with the base set mmdebstrap's variant adds requested too.
 * Package lists are kept in the cache between runs, as the build keeps them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingResolver, resolverFailed, runResolver } from '../common/resolver.js';
import type { PackageRequest, Resolution, ResolveContext } from '../contract.js';

const APT_BASE: Record<string, string[]> = {
  extract: [],
  custom: [],
  essential: ['?essential'],
  apt: ['?essential', 'apt'],
  required: ['?essential', 'apt', '?priority(required)'],
  minbase: ['?essential', 'apt', '?priority(required)'],
  buildd: ['?essential', 'apt', '?priority(required)', 'build-essential'],
  important: ['?essential', 'apt', '?priority(required)', '?priority(important)'],
  standard: ['?essential', 'apt', '?priority(required)', '?priority(important)', '?priority(standard)'],
};

/** `Inst name [old] (version suite [arch])` of apt's simulation. */
const APT_INST = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) (.*?) \[(\S+)\]\)/;

async function scratchRoot(request: PackageRequest): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
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
  return root;
}

function aptOptions(root: string, lists: string, request: PackageRequest): string[] {
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

export async function resolveWithApt(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
  const requested = [...(APT_BASE[request.variant ?? 'minbase'] ?? APT_BASE.minbase!), ...request.packages];
  const missing = missingResolver('apt-get', 'apt', requested);
  if (missing) return missing;
  const key = createHash('sha256')
    .update(`${request.sources}\n${request.architecture}`)
    .digest('hex')
    .slice(0, 16);
  const lists = join(context.cacheDir, 'resolve', 'apt-lists', key);
  await mkdir(join(lists, 'partial'), { recursive: true });
  const root = await scratchRoot(request);
  try {
    const opts = aptOptions(root, lists, request);
    const update = await runResolver('apt-get', [...opts, 'update'], context);
    if (update.code !== 0) return resolverFailed('apt-get update', requested, update.lines);
    const install = await runResolver(
      'apt-get',
      [...opts, 'install', '--simulate', '--', ...requested],
      context,
    );
    if (install.code !== 0) return resolverFailed('apt-get', requested, install.lines);
    const packages = install.lines.flatMap((line) => {
      const m = APT_INST.exec(line);
      return m ? [{ name: m[1]!, version: m[2]!, arch: m[4]!, from: m[3]! }] : [];
    });
    return { tool: 'apt-get', requested, packages, diagnostics: [] };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
