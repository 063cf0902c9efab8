/**
 * pacman steps, the way pacstrap drives it: a generated pacman.conf (SigLevel from the IR,
 * the IR's repositories, NoExtract for docs and languages), the local database folder
 * created in the tree, and pacman -r run with the API filesystems mounted for the
 * transaction only (a private mount namespace releases them when pacman exits).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { existingInTree, mkdirInTree, writeFileInTree } from '../../exec/tree-path.js';
import type { ImageIR, Repository } from '../../ir/schema.js';
import type { PlanStep, StepDraft, StepOptions } from '../../plan/steps.js';
import { runPackageManager } from '../common/api-fs.js';
import { packageDrafts, removeStepFor } from '../common/family.js';
import { urlOf } from '../common/rpm-repos.js';
import type { PlanInput, StepContext } from '../contract.js';

type Settings = Record<string, string | boolean | number | string[]>;

const SIGNED = 'Required DatabaseOptional';

function sigLevel(r: Repository): string {
  return r.gpgCheck === false ? 'Never' : SIGNED;
}

/** `[name]` sections; `$repo` and `$arch` stay for pacman to fill in. */
export function pacmanRepoSections(repos: readonly Repository[]): string {
  return repos
    .map((r) => {
      const lines = [`[${r.id}]`, `SigLevel = ${sigLevel(r)}`];
      for (const u of r.urls) lines.push(`Server = ${urlOf(u)}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

function noExtract(installDocs: boolean, languages: string[]): string[] {
  const out: string[] = [];
  if (!installDocs) out.push('usr/share/doc/*', 'usr/share/man/*', 'usr/share/info/*', 'usr/share/gtk-doc/*');
  if (languages.length) {
    out.push(
      'usr/share/locale/*',
      ...languages.map((l) => `!usr/share/locale/${l.replace(/[^A-Za-z0-9_@.-]/g, '')}*`),
    );
  }
  return out;
}

function repoPointer(ir: ImageIR, r: Repository) {
  const i = ir.repositories.findIndex((x) => x.id === r.id);
  return i >= 0 ? { pointer: `/repositories/${i}` } : {};
}

export function pacmanPackageSteps(input: PlanInput): {
  bootstrap: StepDraft;
  install?: StepDraft;
  diagnostics: Diagnostic[];
} {
  const { ir, distribution: dist } = input;
  const diagnostics: Diagnostic[] = [];
  const build = input.repositories.filter((r) => r.usage !== 'image-only' && r.enabled !== false);
  for (const r of build) {
    if (!r.urls.length)
      diagnostics.push(diag(backendCodes.repositoryWithoutUrl, { id: r.id }, {}, repoPointer(ir, r)));
    if (r.gpgCheck === false)
      diagnostics.push(diag(backendCodes.gpgCheckOff, { id: r.id }, {}, repoPointer(ir, r)));
    if (!/^[A-Za-z0-9_.-]+$/.test(r.id))
      diagnostics.push(diag(backendCodes.pacmanRepositoryName, { id: r.id }, {}, repoPointer(ir, r)));
  }
  const named = new Set(ir.repositories.map((r) => r.id));
  const intoImage = input.repositories.filter((r) => named.has(r.id) && r.usage !== 'build-only');
  const languages = (ir.packages.languages ?? []).filter((l) => l !== 'all');
  const installDocs = ir.packages.installDocs ?? true;
  const settings: Settings = {
    sigLevel: build.some((r) => r.gpgCheck !== false) ? SIGNED : 'Never',
    noExtract: noExtract(installDocs, languages),
    imageRepos: pacmanRepoSections(intoImage),
  };
  const groups = ir.packages.groups.filter((g) => !g.exclude).map((g) => g.name);
  const everything = [...groups, ...input.packages];
  const exclude = ir.packages.exclude.map((p) => p.name);
  const sources = pacmanRepoSections(build);
  const options: StepOptions<'bootstrap'> = {
    distribution: dist.id,
    suite: dist.suite,
    architecture: dist.architecture,
    variant: 'pacman',
    sources,
    keyrings: [...new Set(build.flatMap((r) => r.gpgKeys ?? []).filter((k) => k.startsWith('/')))],
    packages: input.separateInstall ? input.bootstrapPackages : everything,
    exclude,
    installRecommends: ir.packages.installWeakDeps ?? false,
    installDocs,
    languages,
    settings,
  };
  const drafts = packageDrafts(input, {
    tool: 'pacman',
    target: dist.id,
    noun: 'packages and groups',
    bootstrap: options,
    everything,
    installSettings: { ...settings, sources, architecture: dist.architecture },
    packageOrigin: ['/packages/install', '/packages/groups'],
  });
  return { ...drafts, diagnostics };
}

export const pacmanRemoveStep = removeStepFor('pacman');

interface PacmanRun {
  architecture: string;
  sources: string;
  exclude: string[];
  keyrings: string[];
  settings: Settings;
}

async function prepare(run: PacmanRun, context: StepContext) {
  const { tree } = context;
  for (const d of ['var/lib/pacman', 'var/cache/pacman/pkg', 'var/log', 'etc/pacman.d/hooks'])
    await mkdirInTree(tree, d);
  await mkdir(context.packageCache, { recursive: true });
  const s = run.settings;
  const options = [
    '[options]',
    `Architecture = ${run.architecture}`,
    `SigLevel = ${typeof s.sigLevel === 'string' ? s.sigLevel : SIGNED}`,
    'LocalFileSigLevel = Optional',
    'ParallelDownloads = 5',
    ...(((s.noExtract as string[] | undefined) ?? []).length
      ? [`NoExtract = ${(s.noExtract as string[]).join(' ')}`]
      : []),
    ...(run.exclude.length ? [`IgnorePkg = ${run.exclude.join(' ')}`] : []),
  ];
  const conf = join(context.workDir, 'pacman.conf');
  await writeFile(conf, `${options.join('\n')}\n\n${run.sources}\n`);
  const gpgdir = join(tree, 'etc/pacman.d/gnupg');
  const args = [
    '--root',
    tree,
    '--config',
    conf,
    '--dbpath',
    join(tree, 'var/lib/pacman'),
    '--cachedir',
    context.packageCache,
    '--gpgdir',
    gpgdir,
    '--hookdir',
    join(tree, 'etc/pacman.d/hooks'),
    '--noconfirm',
    '--noprogressbar',
  ];
  if (s.sigLevel !== 'Never') await keyring(context, conf, gpgdir, run.keyrings);
  return args;
}

/** A keyring in the image that trusts the IR's key files (pacman-key, as pacstrap's users do). */
async function keyring(context: StepContext, conf: string, gpgdir: string, keys: string[]) {
  const log = (l: string) => context.progress.log(l);
  await context.runner.run('pacman-key', ['--config', conf, '--gpgdir', gpgdir, '--init'], { onLine: log });
  for (const key of keys) {
    await context.runner.run('pacman-key', ['--config', conf, '--gpgdir', gpgdir, '--add', key], {
      onLine: log,
    });
    const text = await readFile(key, 'utf8').catch(() => '');
    const shown = await context.runner.run('gpg', ['--with-colons', '--show-keys', key], { input: text });
    for (const m of shown.stdout.matchAll(/^fpr:+([0-9A-F]{40}):/gm))
      await context.runner.run('pacman-key', ['--config', conf, '--gpgdir', gpgdir, '--lsign-key', m[1]!], {
        onLine: log,
      });
  }
}

function explain(lines: string[]): string {
  const text = lines.join('\n');
  const missing = [...text.matchAll(/target not found: (\S+)/g)].map((m) => m[1]);
  if (missing.length) return `no package or group named ${missing.join(', ')} in the repositories`;
  if (/unable to satisfy dependency|could not satisfy dependencies/i.test(text))
    return 'the dependencies cannot be resolved';
  if (/signature|invalid or corrupted package \(PGP/i.test(text)) return 'a signature check failed';
  if (/failed to synchronize|failed retrieving file/i.test(text))
    return 'could not read the repository database';
  return 'the transaction failed';
}

function pacman(context: StepContext, args: string[], verb: string[]) {
  return runPackageManager(context, {
    tool: 'pacman',
    args: [...args, ...verb],
    env: { LC_ALL: 'C.UTF-8' },
    installed: /^\(\s*\d+\/\d+\) installing /,
    worthQuoting: /error|warning|not found|unable/i,
    explain: (_, lines) => explain(lines),
  });
}

async function transaction(run: PacmanRun, packages: string[], context: StepContext) {
  const args = await prepare(run, context);
  context.progress.note(`pacman -S (${packages.length})`);
  await pacman(context, args, ['-Sy', '--needed', '--', ...packages]);
  const repos = run.settings.imageRepos;
  if (typeof repos === 'string' && repos) {
    await writeFileInTree(context.tree, 'etc/pacman.d/imgc-repos.conf', `${repos}\n`);
    const confPath = await existingInTree(context.tree, 'etc/pacman.conf');
    const conf = await readFile(confPath, 'utf8').catch(() => undefined);
    if (conf !== undefined && !conf.includes('imgc-repos.conf'))
      await writeFileInTree(
        context.tree,
        'etc/pacman.conf',
        `${conf.trimEnd()}\n\nInclude = /etc/pacman.d/imgc-repos.conf\n`,
      );
  }
}

export async function runPacmanBootstrap(step: PlanStep<'bootstrap'>, context: StepContext) {
  const o = step.options;
  await mkdir(context.tree, { recursive: true });
  await transaction(
    {
      architecture: o.architecture,
      sources: o.sources,
      exclude: o.exclude,
      keyrings: o.keyrings,
      settings: o.settings ?? {},
    },
    o.packages,
    context,
  );
}

export async function runPacmanInstall(step: PlanStep<'install-packages'>, context: StepContext) {
  const o = step.options;
  const s = o.settings ?? {};
  await transaction(
    {
      architecture: String(s.architecture ?? 'auto'),
      sources: String(s.sources ?? ''),
      exclude: o.exclude,
      keyrings: [],
      settings: s,
    },
    o.packages,
    context,
  );
}

export async function runPacmanRemove(step: PlanStep<'remove-packages'>, context: StepContext) {
  const o = step.options;
  if (!o.packages.length) return;
  const args = await prepare(
    { architecture: 'auto', sources: '', exclude: [], keyrings: [], settings: { sigLevel: 'Never' } },
    context,
  );
  await pacman(context, args, ['-Rns', '--', ...o.packages]);
}
