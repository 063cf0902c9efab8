/**
 * The Arch Linux backend: pacman -r from a generated pacman.conf (the IR's repositories, or
 * the Arch mirrors), groups installed by name, mkinitcpio (or dracut) for the initrd via
 * pacman's hooks, then the system fields applied from the host with shadow's and systemd's
 * --root tools and locale-gen in the image. Arch is rolling: the release is "rolling".
 */

import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import { ARCH_IDS, archRepositories } from '../../distros/arch.js';
import type { FormatOptions } from '../../formats/contract.js';
import type { ImageIR, Initrd, PackageRef } from '../../ir/schema.js';
import { FAMILY_STEP_TYPES, familyExecutor, type RootLayout } from '../common/configure.js';
import {
  checkArchitecture,
  optionString,
  unappliedFields,
  wantedDistribution,
  withBuildRepositories,
} from '../common/family.js';
import { bootloaderPackagesFrom, timezoneAndCertificatePackages } from '../common/system-packages.js';
import { BACKEND_API_VERSION, type Backend, type HostFacts, type ResolvedDistribution } from '../contract.js';
import { lockWithPacman } from './lock.js';
import {
  pacmanPackageSteps,
  pacmanRemoveStep,
  runPacmanBootstrap,
  runPacmanInstall,
  runPacmanRemove,
} from './pacman.js';
import { resolveWithPacman } from './resolve.js';

export const archLayout: RootLayout = {
  caAnchors: 'etc/ca-certificates/trust-source/anchors',
  caExtension: '.pem',
  caUpdate: ['update-ca-trust'],
  localeGen: true,
  caches: ['var/cache/pacman/pkg'],
  logs: ['var/log/pacman.log'],
};

const ROLLING = ['rolling', 'latest', 'current', 'arch'];

function resolveDistribution(ir: ImageIR, options: FormatOptions, host: HostFacts) {
  const wanted = wantedDistribution(ir, options, 'arch');
  const release = (wanted.release ?? 'rolling').toLowerCase();
  if (!ROLLING.includes(release)) {
    return {
      diagnostics: [
        diag(
          buildCodes.unknownRelease,
          { distribution: 'arch', release, known: 'rolling (Arch has no releases)' },
          {},
          { pointer: '/distribution/release' },
        ),
      ],
    };
  }
  const arch = checkArchitecture(ir, options, host);
  if (!arch.architecture) return { diagnostics: arch.diagnostics };
  const distribution: ResolvedDistribution = {
    id: 'arch',
    release: 'rolling',
    suite: 'rolling',
    architecture: arch.architecture,
  };
  return { distribution, diagnostics: [] };
}

function defaultRepositories(_dist: ResolvedDistribution, options: FormatOptions) {
  return { repositories: archRepositories(optionString(options, 'mirror')), diagnostics: [] };
}

function initrdPackages(initrd: Initrd | undefined): string[] {
  if (initrd?.generator === 'none') return [];
  if (initrd?.generator === 'dracut') return ['dracut'];
  return ['mkinitcpio'];
}

const bootloaderPackages = bootloaderPackagesFrom({ grub: ['grub', 'efibootmgr'], systemdBoot: ['systemd'] });

function systemPackages(ir: ImageIR): string[] {
  return timezoneAndCertificatePackages(ir, 'tzdata');
}

/** pacman takes name or name=version; an architecture cannot be asked for. */
function pacmanSpec(p: PackageRef): string {
  return p.version ? `${p.name}=${p.version}` : p.name;
}

export const archBackend: Backend = {
  apiVersion: BACKEND_API_VERSION,
  id: 'arch',
  name: 'Arch Linux (pacman)',
  distributions: ARCH_IDS,
  releases: () => ['rolling'],
  resolveDistribution,
  defaultRepositories,
  kernelPackages: (_dist, ir) => [ir.system.kernel.package ?? 'linux'],
  initrdPackages,
  bootloaderPackages,
  systemPackages,
  planPackages: withBuildRepositories(defaultRepositories, pacmanPackageSteps),
  planRemove: pacmanRemoveStep,
  repositoryTypes: ['pacman'],
  packageSpec: pacmanSpec,
  unappliedFields: (ir) => {
    const out = unappliedFields(ir, { family: 'pacman', groups: true, modules: false });
    if (ir.packages.installWeakDeps)
      out.push(
        diag(
          buildCodes.fieldApproximated,
          {
            field: 'packages.installWeakDeps',
            how: 'pacman never installs optional dependencies; list them',
          },
          {},
          { pointer: '/packages/installWeakDeps' },
        ),
      );
    if (ir.packages.exclude.length)
      out.push(
        diag(
          buildCodes.fieldApproximated,
          {
            field: 'packages.exclude',
            how: 'written as IgnorePkg: pacman then refuses them as dependencies instead of leaving them out',
          },
          {},
          { pointer: '/packages/exclude' },
        ),
      );
    ir.packages.install.forEach((p, i) => {
      if (p.arch)
        out.push(
          diag(
            buildCodes.fieldIgnored,
            { field: `architecture of ${p.name}`, reason: 'pacman installs the repository architecture' },
            {},
            { pointer: `/packages/install/${i}/arch`, severity: 'warning' },
          ),
        );
    });
    return out;
  },
  hostTools: {
    pacman: 'pacman-package-manager',
    'pacman-key': 'pacman-package-manager',
    useradd: 'passwd',
    systemctl: 'systemctl',
  },
  resolvePackages: resolveWithPacman,
  lockPackages: lockWithPacman,
  executes: FAMILY_STEP_TYPES,
  execute: familyExecutor(
    'arch',
    { bootstrap: runPacmanBootstrap, install: runPacmanInstall, remove: runPacmanRemove },
    archLayout,
  ),
};
