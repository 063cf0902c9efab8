/** Package steps of the Debian backend: mmdebstrap for the tree, apt-get in the chroot after. */

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { removeInTree, writeFileInTree } from '../../exec/tree-path.js';
import { appendAll } from '../../input/append.js';
import type { ImageIR, Repository } from '../../ir/schema.js';
import { installedKernels, withInitrdCache } from '../../outputs/initrd/cache.js';
import type { PlanStep, StepDraft, StepOptions } from '../../plan/steps.js';
import type { PlanInput, StepContext } from '../contract.js';
import { withInitrdDeferred } from './initramfs.js';
import { checkInstalledAgainstLock, fetchLocked, lockedPins, lockedSettings } from './locked.js';
import { dpkgPathFilters, pruneFilteredPaths } from './path-filters.js';
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

function repoPointer(ir: ImageIR, r: Repository) {
  const i = ir.repositories.findIndex((x) => x.id === r.id);
  return i >= 0 ? { pointer: `/repositories/${i}` } : {};
}

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
  // apt's `Trusted: yes` installs unsigned packages, as dnf's gpgcheck=0 does: say so alike.
  const diagnostics = buildRepos
    .filter((r) => r.gpgCheck === false)
    .map((r) => diag(backendCodes.gpgCheckOff, { id: r.id }, {}, repoPointer(ir, r)));
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
  if (!input.separateInstall) return { bootstrap, diagnostics };
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
  return { bootstrap, install, diagnostics };
}

export function removeDraft(packages: string[], origin: string[]): StepDraft {
  return {
    type: 'remove-packages',
    title: `remove ${packages.length} packages`,
    options: { packages },
    origin,
  };
}

/**
 * A kernel's postinst makes its initramfs, and initramfs-tools' trigger makes it again when
 * later packages (udev, systemd) touch it: two ~30 s runs of mkinitramfs in one bootstrap.
 * While packages are installed, update-initramfs is diverted to a no-op; once they are all
 * in, the initramfs of every installed kernel is made once, in the bootstrap step (so the
 * tree cache keeps it), or taken from the initrd cache when nothing that determines it changed.
 */
export const MERGED_USR_HOOK = '/usr/share/mmdebstrap/hooks/maybe-merged-usr';

const initramfsOnce = [
  '--essential-hook=chroot "$1" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.imgc-deferred --add /usr/sbin/update-initramfs',
  `--essential-hook=printf '#!/bin/sh\\n# imgc: deferred until every package is installed\\nexit 0\\n' > "$1"/usr/sbin/update-initramfs && chmod 755 "$1"/usr/sbin/update-initramfs`,
  '--customize-hook=rm -f "$1"/usr/sbin/update-initramfs && chroot "$1" dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs',
];

/** The deferred initrd of every installed kernel, made (or reused) once all packages are in. */
async function makeDeferredInitrd(context: StepContext): Promise<void> {
  if (!existsSync(join(context.tree, 'usr/sbin/update-initramfs'))) return;
  if (!(await installedKernels(context.tree)).length) return;
  await withInitrdCache(context, {
    generator: 'initramfs-tools',
    settings: { step: 'bootstrap' },
    generate: async () => {
      context.progress.note('update-initramfs');
      await context.runner.chroot(context.tree, ['update-initramfs', '-c', '-k', 'all'], {
        onLine: (l) => context.progress.log(l),
      });
    },
  });
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

export async function runBootstrap(step: PlanStep<'bootstrap'>, context: StepContext): Promise<void> {
  const o = step.options;
  const sourcesFile = join(context.workDir, 'imgc.sources');
  await writeFile(sourcesFile, o.sources);
  await mkdir(context.packageCache, { recursive: true });
  // apt's package lists are kept per sources text: `apt-get update` then only revalidates
  // them (~0.7 s less here), and an update for other sources, which deletes the lists it
  // does not know, cannot thrash them.
  const sourcesHash = createHash('sha256').update(o.sources).digest('hex').slice(0, 16);
  const listsCache = `${context.packageCache}.lists/${sourcesHash}`;
  await mkdir(listsCache, { recursive: true });
  const filters = dpkgPathFilters(o);
  const args = [
    '--mode=root',
    '--format=directory',
    `--variant=${o.variant}`,
    `--architectures=${o.architecture}`,
    '--verbose',
    '--dpkgopt=force-unsafe-io',
    '--aptopt=Acquire::Languages "none"',
    `--aptopt=APT::Install-Recommends "${o.installRecommends}"`,
    // The .deb cache is bind-mounted where apt keeps its archives, so nothing is copied in or
    // out; the mount lives in mmdebstrap's private mount namespace and dies with it.
    // Essential .debs must survive their extraction: they are the cache's files.
    '--skip=essential/unlink',
    '--setup-hook=mkdir -p "$1"/var/cache/apt/archives/ "$1"/var/lib/apt/lists/ "$1"/etc/dpkg/dpkg.cfg.d/',
    '--setup-hook=mount --bind "$IMGC_PACKAGE_CACHE" "$1"/var/cache/apt/archives/',
    '--setup-hook=mount --bind "$IMGC_APT_LISTS" "$1"/var/lib/apt/lists/',
    // before mmdebstrap's cleanup, which empties both folders
    '--customize-hook=umount "$1"/var/cache/apt/archives/ "$1"/var/lib/apt/lists/',
    // the options above are the build's, not the image's: mmdebstrap keeps them in these two
    // files, and a deployed system would run dpkg with force-unsafe-io for good. Later package
    // steps pass their options on the command line.
    '--customize-hook=rm -f "$1"/etc/dpkg/dpkg.cfg.d/99mmdebstrap "$1"/etc/apt/apt.conf.d/99mmdebstrap',
  ];
  if (filters.length) {
    await writeFile(join(context.workDir, '50imgc-path-filters'), `${filters.join('\n')}\n`);
    args.push(`--setup-hook=copy-in ${join(context.workDir, '50imgc-path-filters')} /etc/dpkg/dpkg.cfg.d/`);
  }
  appendAll(args, initramfsOnce);
  // As debootstrap, mkosi and KIWI do: /usr merged by the bootstrap and the usr-is-merged
  // package installed, instead of apt choosing usrmerge (and perl) for init-system-helpers.
  // The hook does nothing for suites without usr-is-merged.
  if (existsSync(MERGED_USR_HOOK)) args.push(`--hook-dir=${MERGED_USR_HOOK}`);
  if (o.exclude.length) {
    const pins = o.exclude.map((p) => `Package: ${p}\nPin: release *\nPin-Priority: -1\n`).join('\n');
    await writeFile(join(context.workDir, 'imgc-exclude.pref'), pins);
    args.push(
      '--setup-hook=mkdir -p "$1"/etc/apt/preferences.d',
      `--setup-hook=copy-in ${join(context.workDir, 'imgc-exclude.pref')} /etc/apt/preferences.d/`,
    );
  }
  const lock = lockedSettings(o.settings);
  if (lock) {
    await fetchLocked(lock, context);
    await writeFile(join(context.workDir, 'imgc-locked.pref'), lockedPins(lock));
    args.push(
      '--setup-hook=mkdir -p "$1"/etc/apt/preferences.d',
      `--setup-hook=copy-in ${join(context.workDir, 'imgc-locked.pref')} /etc/apt/preferences.d/`,
      // the pins hold only while the locked set is installed, as the exclusion pins are left
      '--customize-hook=rm -f "$1"/etc/apt/preferences.d/imgc-locked.pref',
    );
  }
  for (const keyring of o.keyrings) args.push(`--keyring=${keyring}`);
  if (o.packages.length) args.push(`--include=${o.packages.join(',')}`);
  args.push(o.suite, context.tree, sourcesFile);
  context.progress.note(`mmdebstrap ${o.suite}`);
  await context.runner.run('mmdebstrap', args, {
    onLine: packageCounter(context),
    privateMounts: true,
    env: { IMGC_PACKAGE_CACHE: context.packageCache, IMGC_APT_LISTS: listsCache },
  });
  await makeDeferredInitrd(context);
  if (filters.length) {
    const removed = await pruneFilteredPaths(context.tree, filters);
    context.progress.log(`removed ${removed} paths that the dpkg path filters exclude`);
  }
  if (lock) await checkInstalledAgainstLock(lock, context.tree);
}

const policyRcD =
  '#!/bin/sh\n# written by imgc while packages are installed: no daemons start in the build tree\nexit 101\n';

async function withPolicyRcD(context: StepContext, body: () => Promise<void>) {
  const path = 'usr/sbin/policy-rc.d';
  await writeFileInTree(context.tree, path, policyRcD, 0o755);
  try {
    await body();
  } finally {
    await removeInTree(context.tree, path);
  }
}

const aptEnv = { DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NONINTERACTIVE_SEEN: 'true', LC_ALL: 'C.UTF-8' };

export async function runInstall(step: PlanStep<'install-packages'>, context: StepContext): Promise<void> {
  const o = step.options;
  if (!o.packages.length) return;
  const lock = lockedSettings(o.settings);
  if (lock) {
    await fetchLocked(lock, context);
    await writeFileInTree(context.tree, 'etc/apt/preferences.d/imgc-locked.pref', lockedPins(lock), 0o644);
  }
  const install = async () => {
    const chroot = (cmd: string[]) =>
      context.runner.chroot(context.tree, cmd, {
        env: aptEnv,
        network: true,
        onLine: packageCounter(context),
      });
    await chroot(['apt-get', 'update', '-q', '-o', 'Acquire::Languages=none']);
    if (o.exclude.length) await chroot(['apt-mark', 'hold', '--', ...o.exclude]);
    await chroot([
      'apt-get',
      'install',
      '-y',
      '-q',
      '-o',
      'DPkg::Options::=--force-unsafe-io',
      `-o`,
      `APT::Install-Recommends=${o.installRecommends}`,
      '--',
      ...o.packages,
    ]);
    await chroot(['apt-get', 'clean']);
  };
  await withPolicyRcD(context, o.deferInitrd ? () => withInitrdDeferred(context, install) : install);
  if (lock) {
    await removeInTree(context.tree, 'etc/apt/preferences.d/imgc-locked.pref');
    await checkInstalledAgainstLock(lock, context.tree);
  }
}

export async function runRemove(step: PlanStep<'remove-packages'>, context: StepContext): Promise<void> {
  const o = step.options;
  if (!o.packages.length) return;
  await withPolicyRcD(context, async () => {
    await context.runner.chroot(
      context.tree,
      ['apt-get', 'purge', '-y', '-q', '--allow-remove-essential', '--', ...o.packages],
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
