/**
 * dnf steps: `dnf --installroot` with a private configuration (its own dnf.conf, repository
 * folder and vars folder, no plugins), so nothing of the host's package setup takes part;
 * the rpm database goes where the distribution keeps it (Debian's rpm would otherwise put
 * it under ~/.rpmdb) and the API filesystems are mounted only for the transaction.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { rpmDbPath } from '../../distros/dnf.js';
import { mkdirInTree, writeFileInTree } from '../../exec/tree-path.js';
import type { ImageIR, Repository } from '../../ir/schema.js';
import type { PlanStep, StepDraft, StepOptions } from '../../plan/steps.js';
import { runPackageManager } from '../common/api-fs.js';
import { packageDrafts, removeStepFor } from '../common/family.js';
import {
  KEY_DIR_PLACEHOLDER,
  keySettings,
  keysFromSettings,
  rpmRepoFile,
  writeImageRepositories,
} from '../common/rpm-repos.js';
import type { PlanInput, StepContext } from '../contract.js';

type Settings = Record<string, string | boolean | number | string[]>;

function groupArgs(ir: ImageIR): string[] {
  return ir.packages.groups
    .filter((g) => !g.exclude)
    .map((g) => (g.kind === 'environment' ? `@^${g.name}` : `@${g.name}`));
}

function moduleSettings(ir: ImageIR): Settings {
  const spec = (m: ImageIR['packages']['modules'][number]) => `${m.name}${m.stream ? `:${m.stream}` : ''}`;
  const enable = ir.packages.modules.filter((m) => m.state === undefined || m.state === 'enabled').map(spec);
  const disable = ir.packages.modules.filter((m) => m.state === 'disabled').map((m) => m.name);
  const install = ir.packages.modules
    .filter((m) => m.state === 'installed')
    .map((m) => `${spec(m)}${m.profile ? `/${m.profile}` : ''}`);
  const out: Settings = {};
  if (enable.length) out.moduleEnable = enable;
  if (disable.length) out.moduleDisable = disable;
  if (install.length) out.moduleInstall = install;
  return out;
}

function groupPackageTypes(ir: ImageIR): string | undefined {
  const groups = ir.packages.groups.filter((g) => !g.exclude);
  if (groups.some((g) => g.optional)) return 'mandatory,default,optional';
  if (groups.length && groups.every((g) => g.nodefaults)) return 'mandatory';
  return undefined;
}

export function dnfPackageSteps(input: PlanInput): {
  bootstrap: StepDraft;
  install?: StepDraft;
  diagnostics: Diagnostic[];
} {
  const { ir, distribution: dist } = input;
  const diagnostics: Diagnostic[] = [];
  const build = input.repositories.filter((r) => r.usage !== 'image-only');
  for (const r of build) {
    if (!r.urls.length && !r.metalink && !r.mirrorlist)
      diagnostics.push(diag(backendCodes.repositoryWithoutUrl, { id: r.id }, {}, repoPointer(ir, r)));
    if (r.gpgCheck === false)
      diagnostics.push(diag(backendCodes.gpgCheckOff, { id: r.id }, {}, repoPointer(ir, r)));
    else if (!r.gpgKeys?.length)
      diagnostics.push(diag(backendCodes.gpgWithoutKey, { id: r.id, tool: 'dnf' }, {}, repoPointer(ir, r)));
  }
  const repoFile = rpmRepoFile(build, 'dnf');
  const named = new Set(ir.repositories.map((r) => r.id));
  const intoImage = input.repositories.filter((r) => named.has(r.id) && r.usage !== 'build-only');
  const languages = (ir.packages.languages ?? []).filter((l) => l !== 'all');
  const settings: Settings = {
    releasever: dist.suite,
    rpmDbPath: rpmDbPath(dist.id, dist.release),
    imageRepos: rpmRepoFile(intoImage, 'dnf').text.replaceAll(KEY_DIR_PLACEHOLDER, '/etc/pki/rpm-gpg'),
    ...keySettings(repoFile.inlineKeys),
    ...moduleSettings(ir),
  };
  if (languages.length) settings.installLangs = languages.join(':');
  const types = groupPackageTypes(ir);
  if (types) settings.groupPackageTypes = types;
  const groups = groupArgs(ir);
  if (ir.packages.core === true && !groups.includes('@core')) groups.unshift('@core');
  const keyFiles = build.flatMap((r) => r.gpgKeys ?? []).filter((k) => k.startsWith('/'));
  const exclude = ir.packages.exclude.map((p) => p.name);
  const installRecommends = ir.packages.installWeakDeps ?? false;
  const everything = [...groups, ...input.packages];
  const bootstrapOptions: StepOptions<'bootstrap'> = {
    distribution: dist.id,
    suite: dist.suite,
    architecture: dist.architecture,
    variant: 'dnf',
    sources: repoFile.text,
    keyrings: [...new Set(keyFiles)],
    packages: input.separateInstall ? input.bootstrapPackages : everything,
    exclude,
    installRecommends,
    installDocs: ir.packages.installDocs ?? true,
    languages,
    settings,
  };
  const drafts = packageDrafts(input, {
    tool: 'dnf',
    target: `${dist.id} ${dist.release}`,
    noun: 'packages and groups',
    bootstrap: bootstrapOptions,
    everything,
    installSettings: { ...settings, sources: repoFile.text, installDocs: bootstrapOptions.installDocs },
    packageOrigin: ['/packages/install', '/packages/groups', '/packages/modules'],
  });
  return { ...drafts, diagnostics };
}

function repoPointer(ir: ImageIR, r: Repository) {
  const i = ir.repositories.findIndex((x) => x.id === r.id);
  return i >= 0 ? { pointer: `/repositories/${i}` } : {};
}

/** The database path and release are read from the tree when the step runs: the contract's planRemove knows only names. */
export const dnfRemoveStep = removeStepFor('dnf');

interface DnfRun {
  releasever: string;
  rpmDbPath: string;
  sources: string;
  installDocs: boolean;
  installRecommends: boolean;
  exclude: string[];
  settings: Settings;
}

/** Writes the private configuration and returns the common dnf arguments and environment. */
async function prepare(run: DnfRun, context: StepContext) {
  const conf = join(context.workDir, 'dnf');
  const keys = join(conf, 'keys');
  const repos = join(conf, 'repos.d');
  await mkdir(keys, { recursive: true });
  await mkdir(repos, { recursive: true });
  await mkdir(join(conf, 'vars'), { recursive: true });
  for (const [name, text] of Object.entries(keysFromSettings(run.settings)))
    await writeFile(join(keys, name), text);
  await writeFile(join(repos, 'imgc.repo'), run.sources.replaceAll(KEY_DIR_PLACEHOLDER, keys));
  await writeFile(
    join(conf, 'dnf.conf'),
    '[main]\ngpgcheck=1\ninstallonly_limit=3\nclean_requirements_on_remove=True\nbest=True\nskip_if_unavailable=False\n',
  );
  // Debian's rpm keeps its database under ~/.rpmdb; HOME's macros put it where the distribution has it.
  const home = join(conf, 'home');
  await mkdir(home, { recursive: true });
  const langs =
    typeof run.settings.installLangs === 'string' ? `%_install_langs ${run.settings.installLangs}\n` : '';
  await writeFile(join(home, '.rpmmacros'), `%_dbpath ${run.rpmDbPath}\n%_db_backend sqlite\n${langs}`);
  await mkdirInTree(context.tree, run.rpmDbPath);
  if (langs) await writeFileInTree(context.tree, 'etc/rpm/macros.image-language-conf', langs);
  await mkdir(context.packageCache, { recursive: true });
  const args = [
    '-y',
    `--installroot=${context.tree}`,
    `--releasever=${run.releasever}`,
    `--config=${join(conf, 'dnf.conf')}`,
    `--setopt=reposdir=${repos}`,
    `--setopt=varsdir=${join(conf, 'vars')}`,
    `--setopt=cachedir=${context.packageCache}`,
    '--setopt=keepcache=1',
    `--setopt=install_weak_deps=${run.installRecommends ? 'True' : 'False'}`,
    '--noplugins',
  ];
  if (!run.installDocs) args.push('--setopt=tsflags=nodocs');
  if (typeof run.settings.groupPackageTypes === 'string')
    args.push(`--setopt=group_package_types=${run.settings.groupPackageTypes}`);
  for (const p of run.exclude) args.push(`--exclude=${p}`);
  const env = { HOME: home, RPM_FORCE_DEBIAN: '1', LC_ALL: 'C.UTF-8' };
  return { args, env };
}

/** dnf's words for the usual failures, kept short for the error line. */
function explain(lines: string[]): string {
  const text = lines.join('\n');
  const missing = [...text.matchAll(/No match for argument: (\S+)/g)].map((m) => m[1]);
  if (missing.length) return `no package or group named ${missing.join(', ')} in the repositories`;
  if (
    /GPG check FAILED|public key .* is not installed|not signed|do not have any GPG public keys/i.test(text)
  )
    return 'a package failed its GPG signature check';
  if (/Failed to download metadata|Cannot download repomd/i.test(text))
    return 'could not read the repository metadata';
  if (/nothing provides|conflicting requests|Problem:/i.test(text))
    return 'the dependencies cannot be resolved';
  return 'the transaction failed';
}

function dnf(context: StepContext, base: { args: string[]; env: Record<string, string> }, verb: string[]) {
  return runPackageManager(context, {
    tool: 'dnf',
    args: [...base.args, ...verb],
    env: base.env,
    installed: /^\s*(Installing|Upgrading|Reinstalling)\s*:.*\d+\/\d+\s*$/,
    worthQuoting: /error|problem|no match|nothing provides|conflict/i,
    explain: (_, lines) => explain(lines),
  });
}

async function transaction(run: DnfRun, packages: string[], context: StepContext) {
  const base = await prepare(run, context);
  const s = run.settings;
  for (const m of (s.moduleDisable as string[] | undefined) ?? [])
    await dnf(context, base, ['module', 'disable', '--', m]);
  const enable = (s.moduleEnable as string[] | undefined) ?? [];
  if (enable.length) await dnf(context, base, ['module', 'enable', '--', ...enable]);
  const install = (s.moduleInstall as string[] | undefined) ?? [];
  if (install.length) await dnf(context, base, ['module', 'install', '--', ...install]);
  if (packages.length) {
    context.progress.note(`dnf install (${packages.length})`);
    await dnf(context, base, ['install', '--', ...packages]);
  }
  await writeImageRepositories(context.tree, s, { repos: 'etc/yum.repos.d', keys: 'etc/pki/rpm-gpg' });
}

export async function runDnfBootstrap(step: PlanStep<'bootstrap'>, context: StepContext) {
  const o = step.options;
  const s = o.settings ?? {};
  await mkdir(context.tree, { recursive: true });
  await transaction(
    {
      releasever: o.suite,
      rpmDbPath: String(s.rpmDbPath ?? '/usr/lib/sysimage/rpm'),
      sources: o.sources,
      installDocs: o.installDocs,
      installRecommends: o.installRecommends,
      exclude: o.exclude,
      settings: s,
    },
    o.packages,
    context,
  );
}

export async function runDnfInstall(step: PlanStep<'install-packages'>, context: StepContext) {
  const o = step.options;
  const s = o.settings ?? {};
  await transaction(
    {
      releasever: String(s.releasever),
      rpmDbPath: String(s.rpmDbPath ?? '/usr/lib/sysimage/rpm'),
      sources: String(s.sources ?? ''),
      installDocs: s.installDocs !== false,
      installRecommends: o.installRecommends,
      exclude: o.exclude,
      settings: s,
    },
    o.packages,
    context,
  );
}

export async function runDnfRemove(step: PlanStep<'remove-packages'>, context: StepContext) {
  const o = step.options;
  if (!o.packages.length) return;
  const base = await prepare(
    {
      releasever: (await treeVersionId(context.tree)) ?? '0',
      rpmDbPath: treeRpmDbPath(context.tree),
      sources: '',
      installDocs: true,
      installRecommends: false,
      exclude: [],
      settings: o.settings ?? {},
    },
    context,
  );
  await dnf(context, base, ['remove', '--noautoremove', '--', ...o.packages]);
}

/** Where the tree's rpm database is: the step that removes packages finds it instead of being told. */
export function treeRpmDbPath(tree: string): string {
  for (const p of ['/usr/lib/sysimage/rpm', '/var/lib/rpm']) {
    if (existsSync(join(tree, p, 'rpmdb.sqlite')) || existsSync(join(tree, p, 'Packages'))) return p;
  }
  return '/usr/lib/sysimage/rpm';
}

export async function treeVersionId(tree: string): Promise<string | undefined> {
  for (const f of ['etc/os-release', 'usr/lib/os-release']) {
    const text = await readFile(join(tree, f), 'utf8').catch(() => '');
    const m = /^VERSION_ID="?([^"\n]+)"?$/m.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

export const fieldIgnored = (pointer: string, field: string, reason: string) =>
  diag(buildCodes.fieldIgnored, { field, reason }, {}, { pointer, severity: 'warning' });
