/**
 * zypper steps: `zypper --installroot` with the IR's repositories in a private repos.d and
 * caches outside the tree (host repository config never takes part), patterns as
 * `pattern:<name>`, --no-recommends unless weak dependencies are wanted, GPG checks on by
 * default with the IR's keys imported, excluded packages as zypp locks in the image.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
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

const RPM_DB = '/usr/lib/sysimage/rpm';

function repoPointer(ir: ImageIR, r: Repository) {
  const i = ir.repositories.findIndex((x) => x.id === r.id);
  return i >= 0 ? { pointer: `/repositories/${i}` } : {};
}

export function zypperPackageSteps(input: PlanInput): {
  bootstrap: StepDraft;
  install?: StepDraft;
  diagnostics: Diagnostic[];
} {
  const { ir, distribution: dist } = input;
  const diagnostics: Diagnostic[] = [];
  const build = input.repositories.filter((r) => r.usage !== 'image-only');
  for (const r of build) {
    if (!r.urls.length && !r.mirrorlist)
      diagnostics.push(diag(backendCodes.repositoryWithoutUrl, { id: r.id }, {}, repoPointer(ir, r)));
    if (r.gpgCheck === false)
      diagnostics.push(diag(backendCodes.gpgCheckOff, { id: r.id }, {}, repoPointer(ir, r)));
    else if (!r.gpgKeys?.length)
      diagnostics.push(
        diag(backendCodes.gpgWithoutKey, { id: r.id, tool: 'zypper' }, {}, repoPointer(ir, r)),
      );
  }
  const repoFile = rpmRepoFile(build, 'zypper');
  const named = new Set(ir.repositories.map((r) => r.id));
  const intoImage = input.repositories.filter((r) => named.has(r.id) && r.usage !== 'build-only');
  const languages = (ir.packages.languages ?? []).filter((l) => l !== 'all');
  // Only the IR's keys are trusted: imported into the image's rpm database before zypper reads any
  // repository (--gpg-auto-import-keys would trust whatever key a repository ships).
  const trusted = build
    .filter((r) => r.gpgCheck !== false)
    .flatMap((r) => r.gpgKeys ?? [])
    .filter((k) => !k.includes('BEGIN PGP PUBLIC KEY'));
  const settings: Settings = {
    importKeys: [...new Set(trusted)],
    autoImportKeys:
      input.options['suse.auto-import-keys'] === true || input.options['suse.auto-import-keys'] === 'true',
    releasever: dist.suite,
    imageRepos: rpmRepoFile(intoImage, 'zypper').text.replaceAll(KEY_DIR_PLACEHOLDER, '/etc/pki/trust/imgc'),
    ...keySettings(repoFile.inlineKeys),
  };
  if (languages.length) settings.installLangs = languages.join(':');
  const patterns = ir.packages.groups.filter((g) => !g.exclude).map((g) => `pattern:${g.name}`);
  const everything = [...patterns, ...input.packages];
  const exclude = ir.packages.exclude.map((p) => p.name);
  const installRecommends = ir.packages.installWeakDeps ?? false;
  const options: StepOptions<'bootstrap'> = {
    distribution: dist.id,
    suite: dist.suite,
    architecture: dist.architecture,
    variant: 'zypper',
    sources: repoFile.text,
    keyrings: [...new Set(build.flatMap((r) => r.gpgKeys ?? []).filter((k) => k.startsWith('/')))],
    packages: input.separateInstall ? input.bootstrapPackages : everything,
    exclude,
    installRecommends,
    installDocs: ir.packages.installDocs ?? true,
    languages,
    settings,
  };
  const drafts = packageDrafts(input, {
    tool: 'zypper',
    target: `${dist.id} ${dist.release}`,
    noun: 'packages and patterns',
    bootstrap: options,
    everything,
    installSettings: { ...settings, sources: repoFile.text, installDocs: options.installDocs },
    packageOrigin: ['/packages/install', '/packages/groups'],
  });
  return { ...drafts, diagnostics };
}

export const zypperRemoveStep = removeStepFor('zypper');

interface ZypperRun {
  releasever?: string;
  sources: string;
  installDocs: boolean;
  exclude: string[];
  settings: Settings;
}

function lockEntry(name: string): string {
  return `type: package\nmatch_type: glob\ncase_sensitive: on\nsolvable_name: ${name}\n`;
}

async function prepare(run: ZypperRun, context: StepContext) {
  const conf = join(context.workDir, 'zypper');
  const keys = join(conf, 'keys');
  const repos = join(conf, 'repos.d');
  await mkdir(keys, { recursive: true });
  await mkdir(repos, { recursive: true });
  const inline = keysFromSettings(run.settings);
  for (const [name, text] of Object.entries(inline)) await writeFile(join(keys, name), text);
  await writeFile(join(repos, 'imgc.repo'), run.sources.replaceAll(KEY_DIR_PLACEHOLDER, keys));
  await writeFile(
    join(conf, 'zypp.conf'),
    `[main]\nrpm.install.excludedocs = ${run.installDocs ? 'no' : 'yes'}\nsolver.onlyRequires = true\n`,
  );
  const home = join(conf, 'home');
  await mkdir(home, { recursive: true });
  const langs =
    typeof run.settings.installLangs === 'string' ? `%_install_langs ${run.settings.installLangs}\n` : '';
  await writeFile(join(home, '.rpmmacros'), `%_dbpath ${RPM_DB}\n%_db_backend sqlite\n${langs}`);
  await mkdirInTree(context.tree, RPM_DB);
  await mkdirInTree(context.tree, 'etc/zypp');
  if (run.exclude.length)
    await writeFileInTree(context.tree, 'etc/zypp/locks', run.exclude.map(lockEntry).join('\n'));
  await mkdir(context.packageCache, { recursive: true });
  const args = [
    '--non-interactive',
    `--installroot=${context.tree}`,
    `--reposd-dir=${repos}`,
    `--cache-dir=${context.packageCache}`,
  ];
  if (run.releasever) args.push(`--releasever=${run.releasever}`);
  const env = {
    HOME: home,
    ZYPP_CONF: join(conf, 'zypp.conf'),
    RPM_FORCE_DEBIAN: '1',
    LC_ALL: 'C.UTF-8',
  };
  return { args, env, hasRepos: run.sources.trim() !== '' };
}

async function importKeys(run: ZypperRun, env: Record<string, string>, context: StepContext) {
  const inline = Object.keys(keysFromSettings(run.settings)).map((n) =>
    join(context.workDir, 'zypper', 'keys', n),
  );
  const keys = [...((run.settings.importKeys as string[] | undefined) ?? []), ...inline];
  for (const key of keys) {
    const source = key.startsWith('file://') ? key.slice('file://'.length) : key;
    await context.runner.run('rpm', ['--root', context.tree, '--import', source], {
      env,
      onLine: (l) => context.progress.log(l),
    });
  }
}

/** zypper's exit codes (zypper(8), EXIT CODES) and the lines that explain them. */
function explain(code: number | null, lines: string[]): string {
  const text = lines.join('\n');
  const missing = [...text.matchAll(/No provider of '([^']+)' found|'([^']+)' not found in package names/g)]
    .map((m) => m[1] ?? m[2])
    .filter((v, i, a) => a.indexOf(v) === i);
  if (code === 104 || missing.length)
    return `no package or pattern named ${missing.join(', ') || '(see output)'} in the repositories`;
  if (/Signature verification failed|gpg|not signed/i.test(text)) return 'a signature check failed';
  if (code === 4 || /Problem:|nothing provides/i.test(text)) return 'the dependencies cannot be resolved';
  if (code === 106 || /Valid metadata not found|Repository .* is invalid/i.test(text))
    return 'could not read the repository metadata';
  return `exit status ${code}`;
}

function zypper(context: StepContext, base: { args: string[]; env: Record<string, string> }, verb: string[]) {
  return runPackageManager(context, {
    tool: 'zypper',
    args: [...base.args, ...verb],
    env: base.env,
    installed: /^\(\d+\/\d+\) Installing: /,
    ignored: /^rpm: (RPM should not be used directly|However assuming you know)/,
    worthQuoting: /error|problem|not found|nothing provides|conflict|signature/i,
    explain,
  });
}

async function transaction(
  run: ZypperRun,
  packages: string[],
  installRecommends: boolean,
  context: StepContext,
) {
  const base = await prepare(run, context);
  await importKeys(run, base.env, context);
  const auto = run.settings.autoImportKeys === true ? ['--gpg-auto-import-keys'] : [];
  if (base.hasRepos) await zypper(context, base, [...auto, 'refresh']);
  if (packages.length) {
    context.progress.note(`zypper install (${packages.length})`);
    await zypper(context, base, [
      'install',
      '--download',
      'in-advance',
      installRecommends ? '--recommends' : '--no-recommends',
      '--',
      ...packages,
    ]);
  }
  const s = run.settings;
  await writeImageRepositories(context.tree, s, { repos: 'etc/zypp/repos.d', keys: 'etc/pki/trust/imgc' });
}

export async function runZypperBootstrap(step: PlanStep<'bootstrap'>, context: StepContext) {
  const o = step.options;
  await mkdir(context.tree, { recursive: true });
  await transaction(
    {
      releasever: o.suite,
      sources: o.sources,
      installDocs: o.installDocs,
      exclude: o.exclude,
      settings: o.settings ?? {},
    },
    o.packages,
    o.installRecommends,
    context,
  );
}

export async function runZypperInstall(step: PlanStep<'install-packages'>, context: StepContext) {
  const o = step.options;
  const s = o.settings ?? {};
  await transaction(
    {
      releasever: typeof s.releasever === 'string' ? s.releasever : undefined,
      sources: String(s.sources ?? ''),
      installDocs: s.installDocs !== false,
      exclude: o.exclude,
      settings: s,
    },
    o.packages,
    o.installRecommends,
    context,
  );
}

export async function runZypperRemove(step: PlanStep<'remove-packages'>, context: StepContext) {
  const o = step.options;
  if (!o.packages.length) return;
  const base = await prepare({ sources: '', installDocs: true, exclude: [], settings: {} }, context);
  if (!existsSync(join(context.tree, RPM_DB.slice(1))))
    throw new Error(`no rpm database at ${RPM_DB} in the tree`);
  await zypper(context, base, ['--no-refresh', 'remove', '--clean-deps', '--', ...o.packages]);
}
