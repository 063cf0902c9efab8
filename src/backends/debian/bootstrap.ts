/** Package steps of the Debian backend: mmdebstrap for the tree, apt-get in the chroot after. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { PlanStep, StepDraft, StepOptions } from '../../plan/steps.js';
import type { PlanInput, StepContext } from '../contract.js';
import { deb822Text } from './sources.js';

const VARIANTS = [
  'extract',
  'custom',
  'essential',
  'apt',
  'required',
  'minbase',
  'buildd',
  'important',
  'standard',
];

export function bootstrapDraft(input: PlanInput): {
  bootstrap: StepDraft;
  install?: StepDraft;
  diagnostics: Diagnostic[];
} {
  const { ir, distribution: dist } = input;
  const variantOption = input.options['debian.variant'] ?? input.options.variant;
  const variant =
    typeof variantOption === 'string' && VARIANTS.includes(variantOption) ? variantOption : 'minbase';
  const buildRepos = input.repositories.filter((r) => r.usage !== 'image-only' && r.enabled !== false);
  const keyrings = [...new Set(buildRepos.flatMap((r) => r.gpgKeys ?? []).filter((k) => k.startsWith('/')))];
  const installRecommends = ir.packages.installWeakDeps ?? false;
  const languages = (ir.packages.languages ?? []).filter((l) => l !== 'all');
  const bootstrapOptions: StepOptions<'bootstrap'> = {
    distribution: dist.id,
    suite: dist.suite,
    architecture: dist.architecture,
    variant,
    sources: deb822Text(buildRepos, dist.suite),
    keyrings,
    packages: input.separateInstall ? input.bootstrapPackages : input.packages,
    exclude: ir.packages.exclude.map((p) => p.name),
    installRecommends,
    installDocs: ir.packages.installDocs ?? true,
    languages,
  };
  const origin = ['/distribution', '/repositories', '/packages/install', '/packages/bootstrap'];
  const bootstrap: StepDraft = {
    type: 'bootstrap',
    title: `bootstrap ${dist.id} ${dist.suite} (${variant}, ${bootstrapOptions.packages.length} packages)`,
    options: bootstrapOptions,
    origin: input.separateInstall ? ['/distribution', '/repositories', '/packages/bootstrap'] : origin,
    cache: true,
  };
  if (!input.separateInstall) return { bootstrap, diagnostics: [] };
  const install: StepDraft = {
    type: 'install-packages',
    title: `install ${input.packages.length} packages`,
    options: {
      packages: input.packages,
      exclude: ir.packages.exclude.map((p) => p.name),
      installRecommends,
    },
    origin: ['/packages/install'],
    cache: true,
  };
  return { bootstrap, install, diagnostics: [] };
}

export function removeDraft(packages: string[], origin: string[]): StepDraft {
  return {
    type: 'remove-packages',
    title: `remove ${packages.length} packages`,
    options: { packages },
    origin,
  };
}

/** dpkg path filters for installDocs=false and a languages list (["none"] keeps no translations). */
export function dpkgExcludes(o: { installDocs: boolean; languages: string[] }): string[] {
  const out: string[] = [];
  if (!o.installDocs) {
    out.push('path-exclude=/usr/share/doc/*', 'path-include=/usr/share/doc/*/copyright');
    for (const dir of ['man', 'info', 'groff', 'lintian', 'linda'])
      out.push(`path-exclude=/usr/share/${dir}/*`);
  }
  if (o.languages.length) {
    out.push('path-exclude=/usr/share/locale/*');
    for (const lang of o.languages.filter((l) => l !== 'none')) {
      out.push(`path-include=/usr/share/locale/${lang.replace(/[^A-Za-z0-9_@.-]/g, '')}*`);
    }
  }
  return out;
}

/** Counts dpkg's "Setting up" lines and apt's announced total. */
function packageCounter(context: StepContext) {
  let done = 0;
  let total: number | undefined;
  return (line: string) => {
    context.progress.log(line);
    const announced = /(\d+) newly installed/.exec(line);
    if (announced) total = (total ?? 0) + Number(announced[1]);
    if (line.startsWith('Setting up ')) {
      done++;
      context.progress.packages(done, total && total >= done ? total : undefined);
    }
  };
}

export async function runBootstrap(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'bootstrap'>;
  const sourcesFile = join(context.workDir, 'imgc.sources');
  await writeFile(sourcesFile, o.sources);
  await mkdir(context.packageCache, { recursive: true });
  const args = [
    '--mode=root',
    '--format=directory',
    `--variant=${o.variant}`,
    `--architectures=${o.architecture}`,
    '--verbose',
    '--dpkgopt=force-unsafe-io',
    '--aptopt=Acquire::Languages "none"',
    `--aptopt=APT::Install-Recommends "${o.installRecommends}"`,
    ...dpkgExcludes(o).map((d) => `--dpkgopt=${d}`),
    // The .deb cache survives builds: filled before apt runs, saved before mmdebstrap's cleanup.
    '--skip=essential/unlink',
    '--setup-hook=mkdir -p "$1"/var/cache/apt/archives/',
    `--setup-hook=sync-in ${context.packageCache} /var/cache/apt/archives/`,
    `--customize-hook=sync-out /var/cache/apt/archives ${context.packageCache}`,
  ];
  if (o.exclude.length) {
    const pins = o.exclude.map((p) => `Package: ${p}\nPin: release *\nPin-Priority: -1\n`).join('\n');
    await writeFile(join(context.workDir, 'imgc-exclude.pref'), pins);
    args.push(
      '--setup-hook=mkdir -p "$1"/etc/apt/preferences.d',
      `--setup-hook=copy-in ${join(context.workDir, 'imgc-exclude.pref')} /etc/apt/preferences.d/`,
    );
  }
  for (const keyring of o.keyrings) args.push(`--keyring=${keyring}`);
  if (o.packages.length) args.push(`--include=${o.packages.join(',')}`);
  args.push(o.suite, context.tree, sourcesFile);
  context.progress.note(`mmdebstrap ${o.suite}`);
  await context.runner.run('mmdebstrap', args, { onLine: packageCounter(context), privateMounts: true });
}

const policyRcD =
  '#!/bin/sh\n# written by imgc while packages are installed: no daemons start in the build tree\nexit 101\n';

async function withPolicyRcD(context: StepContext, body: () => Promise<void>) {
  const path = join(context.tree, 'usr/sbin/policy-rc.d');
  await writeFile(path, policyRcD, { mode: 0o755 });
  try {
    await body();
  } finally {
    await import('node:fs/promises').then((fs) => fs.rm(path, { force: true }));
  }
}

const aptEnv = { DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NONINTERACTIVE_SEEN: 'true', LC_ALL: 'C.UTF-8' };

export async function runInstall(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'install-packages'>;
  if (!o.packages.length) return;
  await withPolicyRcD(context, async () => {
    const chroot = (cmd: string[]) =>
      context.runner.chroot(context.tree, cmd, {
        env: aptEnv,
        network: true,
        onLine: packageCounter(context),
      });
    await chroot(['apt-get', 'update', '-q']);
    if (o.exclude.length) await chroot(['apt-mark', 'hold', ...o.exclude]);
    await chroot([
      'apt-get',
      'install',
      '-y',
      '-q',
      '-o',
      'DPkg::Options::=--force-unsafe-io',
      `-o`,
      `APT::Install-Recommends=${o.installRecommends}`,
      ...o.packages,
    ]);
    await chroot(['apt-get', 'clean']);
  });
}

export async function runRemove(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'remove-packages'>;
  if (!o.packages.length) return;
  await withPolicyRcD(context, async () => {
    await context.runner.chroot(
      context.tree,
      ['apt-get', 'purge', '-y', '-q', '--allow-remove-essential', ...o.packages],
      {
        env: aptEnv,
        onLine: (l) => context.progress.log(l),
      },
    );
    await context.runner.chroot(context.tree, ['apt-get', 'autoremove', '-y', '-q', '--purge'], {
      env: aptEnv,
      onLine: (l) => context.progress.log(l),
    });
  });
}
