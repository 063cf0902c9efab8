/**
 * Resolves the package set of a plan with the family's own resolver, without installing:
 * apt (`apt-get install --simulate` in a scratch root that holds only the plan's sources and
 * an empty dpkg status) and dnf (`dnf install --assumeno` into an empty installroot). The
 * sources, packages, exclusions and recommends setting are those of the plan's package
 * steps, so the answer is the set a build would install. Needs no root.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_DIR_PLACEHOLDER } from '../backends/common/rpm-repos.js';
import { resolveCodes } from '../diagnostics/codes/resolve.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { BuildPlan } from '../plan/steps.js';

export interface ResolvedPackage {
  name: string;
  version: string;
  arch?: string;
  /** the repository or suite it comes from, as the resolver names it */
  from?: string;
}

export interface Resolution {
  tool: string;
  /** what was asked for: the plan's packages, plus the base set the family's bootstrap adds */
  requested: string[];
  packages: ResolvedPackage[];
  diagnostics: Diagnostic[];
}

interface PackageOptions {
  distribution?: string;
  suite?: string;
  architecture?: string;
  variant?: string;
  sources?: string;
  packages?: string[];
  exclude?: string[];
  installRecommends?: boolean;
  settings?: { releasever?: string };
}

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

function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, LC_ALL: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (b: Buffer) => {
      text += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      text += b.toString();
    });
    child.on('error', (e) => resolve({ code: 127, lines: [e.message] }));
    child.on('close', (code) => resolve({ code, lines: text.split('\n') }));
  });
}

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin']);
  return dirs.some((d) => d && existsSync(join(d, tool)));
}

const tail = (lines: string[]) =>
  lines
    .filter((l) => /^(E:|W:|Error|Problem|\s+- |No match|nothing provides)/.test(l))
    .slice(-12)
    .join('\n') || lines.filter(Boolean).slice(-12).join('\n');

function packageSteps(plan: BuildPlan): PackageOptions {
  const bootstrap = plan.steps.find((s) => s.type === 'bootstrap')?.options as PackageOptions | undefined;
  const install = plan.steps.find((s) => s.type === 'install-packages')?.options as
    | PackageOptions
    | undefined;
  return {
    ...bootstrap,
    packages: [...(bootstrap?.packages ?? []), ...(install?.packages ?? [])],
    exclude: [...new Set([...(bootstrap?.exclude ?? []), ...(install?.exclude ?? [])])],
  };
}

const APT_INST = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) (.*?) \[(\S+)\]\)/;

async function resolveApt(o: PackageOptions, cacheDir: string): Promise<Resolution> {
  const requested = [...(APT_BASE[o.variant ?? 'minbase'] ?? APT_BASE.minbase!), ...(o.packages ?? [])];
  const result: Resolution = { tool: 'apt-get', requested, packages: [], diagnostics: [] };
  if (!onPath('apt-get')) {
    result.diagnostics.push(diag(resolveCodes.resolverMissing, { tool: 'apt-get', pkg: 'apt' }));
    return result;
  }
  const key = createHash('sha256').update(`${o.sources}\n${o.architecture}`).digest('hex').slice(0, 16);
  const lists = join(cacheDir, 'resolve', 'apt-lists', key);
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
  try {
    await mkdir(join(lists, 'partial'), { recursive: true });
    for (const d of [
      'etc/apt/sources.list.d',
      'etc/apt/preferences.d',
      'var/lib/dpkg',
      'var/cache/apt/archives/partial',
    ])
      await mkdir(join(root, d), { recursive: true });
    await writeFile(join(root, 'var/lib/dpkg/status'), '');
    await writeFile(join(root, 'etc/apt/sources.list.d/imgc.sources'), o.sources ?? '');
    if (o.exclude?.length)
      await writeFile(
        join(root, 'etc/apt/preferences.d/imgc-exclude.pref'),
        o.exclude.map((p) => `Package: ${p}\nPin: release *\nPin-Priority: -1\n`).join('\n'),
      );
    const opts = [
      '-q',
      '-o',
      `Dir=${root}`,
      '-o',
      `Dir::State::Lists=${lists}`,
      '-o',
      `Dir::State::status=${join(root, 'var/lib/dpkg/status')}`,
      '-o',
      `APT::Architecture=${o.architecture ?? 'amd64'}`,
      '-o',
      `APT::Architectures=${o.architecture ?? 'amd64'}`,
      '-o',
      'Acquire::Languages=none',
      '-o',
      `APT::Install-Recommends=${o.installRecommends ? 'true' : 'false'}`,
      '-o',
      'Debug::NoLocking=true',
      '-o',
      `APT::Sandbox::User=${process.getuid?.() === 0 ? 'root' : ''}`,
    ];
    const update = await run('apt-get', [...opts, 'update']);
    if (update.code !== 0) {
      result.diagnostics.push(
        diag(resolveCodes.resolverFailed, { tool: 'apt-get update', detail: tail(update.lines) }),
      );
      return result;
    }
    const install = await run('apt-get', [...opts, 'install', '--simulate', '--', ...requested]);
    if (install.code !== 0) {
      result.diagnostics.push(
        diag(resolveCodes.resolverFailed, { tool: 'apt-get', detail: tail(install.lines) }),
      );
      return result;
    }
    for (const line of install.lines) {
      const m = APT_INST.exec(line);
      if (m) result.packages.push({ name: m[1]!, version: m[2]!, arch: m[4]!, from: m[3]! });
    }
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A row of dnf's transaction table: name, arch, version, repository, size. */
const DNF_ROW = /^ (\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+[\d.]+\s+[kMG]$/;

async function resolveDnf(o: PackageOptions, cacheDir: string): Promise<Resolution> {
  const requested = o.packages ?? [];
  const result: Resolution = { tool: 'dnf', requested, packages: [], diagnostics: [] };
  if (!onPath('dnf')) {
    result.diagnostics.push(diag(resolveCodes.resolverMissing, { tool: 'dnf', pkg: 'dnf' }));
    return result;
  }
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
  try {
    const repos = join(root, 'conf/repos.d');
    await mkdir(repos, { recursive: true });
    await mkdir(join(root, 'conf/vars'), { recursive: true });
    await mkdir(join(root, 'conf/keys'), { recursive: true });
    await writeFile(
      join(repos, 'imgc.repo'),
      (o.sources ?? '').replaceAll(KEY_DIR_PLACEHOLDER, join(root, 'conf/keys')),
    );
    await writeFile(join(root, 'conf/dnf.conf'), '[main]\nbest=True\nskip_if_unavailable=False\n');
    const args = [
      `--installroot=${join(root, 'tree')}`,
      `--releasever=${o.settings?.releasever ?? o.suite ?? ''}`,
      `--config=${join(root, 'conf/dnf.conf')}`,
      `--setopt=reposdir=${repos}`,
      `--setopt=varsdir=${join(root, 'conf/vars')}`,
      `--setopt=cachedir=${join(cacheDir, 'resolve', 'dnf')}`,
      `--setopt=install_weak_deps=${o.installRecommends ? 'True' : 'False'}`,
      '--noplugins',
      ...(o.exclude ?? []).map((p) => `--exclude=${p}`),
      'install',
      '--assumeno',
      '--',
      ...requested,
    ];
    const out = await run('dnf', args, { HOME: root, RPM_FORCE_DEBIAN: '1' });
    // --assumeno ends with "Operation aborted." and exit 1 once it has printed the transaction
    const aborted = out.lines.some((l) => /Operation aborted/.test(l));
    if (out.code !== 0 && !aborted) {
      result.diagnostics.push(diag(resolveCodes.resolverFailed, { tool: 'dnf', detail: tail(out.lines) }));
      return result;
    }
    let inTable = false;
    for (const line of out.lines) {
      if (/^Installing( dependencies| weak dependencies)?:$/.test(line)) inTable = true;
      else if (/^\S/.test(line)) inTable = false;
      const m = inTable ? DNF_ROW.exec(line) : null;
      if (m) result.packages.push({ name: m[1]!, arch: m[2]!, version: m[3]!, from: m[4]! });
    }
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Resolves what the plan's package steps would install; needs network to the plan's repositories. */
export async function resolvePlanPackages(plan: BuildPlan, cacheDir: string): Promise<Resolution> {
  const o = packageSteps(plan);
  if (!o.variant && !o.packages?.length)
    return { tool: '', requested: [], packages: [], diagnostics: [diag(resolveCodes.noPackageStep, {})] };
  const resolution =
    o.variant === 'dnf'
      ? await resolveDnf(o, cacheDir)
      : o.variant && o.variant in APT_BASE
        ? await resolveApt(o, cacheDir)
        : undefined;
  if (resolution) {
    resolution.packages.sort((a, b) => a.name.localeCompare(b.name));
    return resolution;
  }
  return {
    tool: '',
    requested: o.packages ?? [],
    packages: [],
    diagnostics: [
      diag(resolveCodes.resolverUnsupported, { family: o.variant ?? o.distribution ?? 'unknown' }),
    ],
  };
}
