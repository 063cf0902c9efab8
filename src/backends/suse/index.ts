/**
 * The SUSE backend (openSUSE Leap, Tumbleweed, SLE): zypper --installroot from the IR's
 * repositories (or openSUSE's public ones; SLE has none without a subscription), patterns
 * from package groups, then the system fields applied from the host with shadow's and
 * systemd's --root tools. The initrd is dracut's, made by the kernel package's scriptlets.
 */

import { backendCodes } from '../../diagnostics/codes/backends.js';
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import { findSuse, opensuseRepositories, suseDistributions } from '../../distros/suse.js';
import type { FormatOptions } from '../../formats/contract.js';
import { appendAll } from '../../input/append.js';
import type { ImageIR, Initrd } from '../../ir/schema.js';
import { FAMILY_STEP_TYPES, familyExecutor, type RootLayout } from '../common/configure.js';
import {
  checkArchitecture,
  optionString,
  unappliedFields,
  wantedDistribution,
  withBuildRepositories,
} from '../common/family.js';
import { rpmPackageSpec } from '../common/rpm-repos.js';
import {
  bootloaderPackagesFrom,
  localesOf,
  timezoneAndCertificatePackages,
} from '../common/system-packages.js';
import { BACKEND_API_VERSION, type Backend, type HostFacts, type ResolvedDistribution } from '../contract.js';
import { lockWithZypper } from './lock.js';
import { resolveWithZypper } from './resolve.js';
import {
  runZypperBootstrap,
  runZypperInstall,
  runZypperRemove,
  zypperPackageSteps,
  zypperRemoveStep,
} from './zypper.js';

export const suseLayout: RootLayout = {
  caAnchors: 'etc/pki/trust/anchors',
  caExtension: '.pem',
  caUpdate: ['update-ca-certificates'],
  localeGen: false,
  caches: ['var/cache/zypp'],
  logs: ['var/log/zypper.log', 'var/log/zypp/history'],
};

function resolveDistribution(ir: ImageIR, options: FormatOptions, host: HostFacts) {
  const wanted = wantedDistribution(ir, options, 'opensuse-tumbleweed');
  let family = findSuse(wanted.id);
  let release = wanted.release ?? family?.releases.at(-1) ?? '';
  // "opensuse" with release tumbleweed names Tumbleweed.
  if (family?.id === 'opensuse-leap' && /^(tumbleweed|rolling)$/i.test(release))
    family = suseDistributions[0];
  if (family?.rolling) release = 'tumbleweed';
  const major = release.replace(/-.*$/, '');
  if (!family || !(family.releases.includes(major) || /^1[5-9](\.\d+)?$/.test(major))) {
    return {
      diagnostics: [
        diag(
          buildCodes.unknownRelease,
          { distribution: wanted.id, release, known: family?.releases.join(', ') ?? 'none' },
          {},
          { pointer: '/distribution/release' },
        ),
      ],
    };
  }
  const arch = checkArchitecture(ir, options, host);
  if (!arch.architecture) return { diagnostics: arch.diagnostics };
  const distribution: ResolvedDistribution = {
    id: family.id,
    release,
    suite: release,
    architecture: arch.architecture,
  };
  if (!family.rolling) distribution.versionId = release;
  return { distribution, diagnostics: [] };
}

function defaultRepositories(dist: ResolvedDistribution, options: FormatOptions) {
  const repositories = opensuseRepositories(dist.id, dist.release, optionString(options, 'mirror'));
  if (repositories) return { repositories, diagnostics: [] };
  return {
    repositories: [],
    diagnostics: [diag(backendCodes.noPublicRepository, { distribution: 'SUSE Linux Enterprise' })],
  };
}

function initrdPackages(initrd: Initrd | undefined): string[] {
  return initrd?.generator === 'none' ? [] : ['dracut'];
}

const bootloaderPackages = bootloaderPackagesFrom({
  grub: ['grub2-x86_64-efi', 'shim'],
  systemdBoot: ['systemd-boot'],
});

function systemPackages(ir: ImageIR): string[] {
  const out: string[] = [];
  if (localesOf(ir).some((l) => !/^(C|POSIX)(\.|$)/i.test(l))) out.push('glibc-locale');
  appendAll(out, timezoneAndCertificatePackages(ir, 'timezone'));
  return out;
}

export const suseBackend: Backend = {
  apiVersion: BACKEND_API_VERSION,
  id: 'suse',
  name: 'openSUSE Leap and Tumbleweed, SUSE Linux Enterprise (zypper)',
  distributions: suseDistributions.flatMap((d) => d.aliases),
  releases: (id) => findSuse(id)?.releases ?? [],
  resolveDistribution,
  defaultRepositories,
  kernelPackages: (_dist, ir) => [ir.system.kernel.package ?? 'kernel-default'],
  initrdPackages,
  bootloaderPackages,
  systemPackages,
  planPackages: withBuildRepositories(defaultRepositories, zypperPackageSteps),
  planRemove: zypperRemoveStep,
  repositoryTypes: ['rpm-md', 'yast2', 'plaindir'],
  packageSpec: rpmPackageSpec,
  unappliedFields: (ir) => unappliedFields(ir, { family: 'zypper', groups: true, modules: false }),
  hostTools: { zypper: 'zypper', rpm: 'rpm', useradd: 'passwd', systemctl: 'systemctl' },
  resolvePackages: resolveWithZypper,
  lockPackages: lockWithZypper,
  executes: FAMILY_STEP_TYPES,
  execute: familyExecutor(
    'suse',
    { bootstrap: runZypperBootstrap, install: runZypperInstall, remove: runZypperRemove },
    suseLayout,
  ),
};
