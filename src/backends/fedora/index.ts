/**
 * The Fedora/RHEL backend (Fedora, CentOS Stream, AlmaLinux, Rocky Linux, RHEL): dnf
 * --installroot from the IR's repositories (or the distribution's public ones), then the
 * system fields applied from the host with shadow's and systemd's --root tools. RHEL has
 * no public repositories: its definitions must name theirs. The initrd is dracut's, made
 * by kernel-install when the kernel package is installed.
 */

import { backendCodes } from '../../diagnostics/codes/backends.js';
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { acceptRelease, dnfDistributions, findDnfDistribution } from '../../distros/dnf.js';
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
import { dnfPackageSteps, dnfRemoveStep, runDnfBootstrap, runDnfInstall, runDnfRemove } from './dnf.js';
import { lockWithDnf } from './lock.js';
import { resolveWithDnf } from './resolve.js';

export const fedoraLayout: RootLayout = {
  caAnchors: 'etc/pki/ca-trust/source/anchors',
  caExtension: '.pem',
  caUpdate: ['update-ca-trust', 'extract'],
  localeGen: false,
  caches: ['var/cache/dnf', 'var/cache/yum'],
  logs: ['var/log/dnf.log', 'var/log/dnf.librepo.log', 'var/log/dnf.rpm.log', 'var/log/hawkey.log'],
};

function resolveDistribution(ir: ImageIR, options: FormatOptions, host: HostFacts) {
  const diagnostics: Diagnostic[] = [];
  const wanted = wantedDistribution(ir, options, 'fedora');
  const family = findDnfDistribution(wanted.id);
  const release = wanted.release ?? family?.releases.filter((r) => /^\d+$/.test(r)).at(-1) ?? '';
  if (!family || !acceptRelease(family, release)) {
    diagnostics.push(
      diag(
        buildCodes.unknownRelease,
        { distribution: wanted.id, release, known: family?.releases.join(', ') ?? 'none' },
        {},
        { pointer: '/distribution/release' },
      ),
    );
    return { diagnostics };
  }
  const arch = checkArchitecture(ir, options, host);
  if (!arch.architecture) return { diagnostics: arch.diagnostics };
  const distribution: ResolvedDistribution = {
    id: family.id,
    release,
    suite: release,
    architecture: arch.architecture,
  };
  if (release !== 'rawhide') distribution.versionId = release;
  return { distribution, diagnostics };
}

function defaultRepositories(dist: ResolvedDistribution, options: FormatOptions) {
  const family = findDnfDistribution(dist.id);
  if (!family?.repositories)
    return {
      repositories: [],
      diagnostics: [diag(backendCodes.noPublicRepository, { distribution: family?.name ?? dist.id })],
    };
  return { repositories: family.repositories(dist.suite, optionString(options, 'mirror')), diagnostics: [] };
}

function kernelPackages(_dist: ResolvedDistribution, ir: ImageIR): string[] {
  return [ir.system.kernel.package ?? 'kernel'];
}

function initrdPackages(initrd: Initrd | undefined): string[] {
  return initrd?.generator === 'none' ? [] : ['dracut'];
}

const bootloaderPackages = bootloaderPackagesFrom({
  grub: ['grub2-efi-x64', 'shim-x64'],
  systemdBoot: ['systemd-boot-unsigned'],
});

/** glibc-langpack-de for de_DE.UTF-8: Fedora splits locales by language. */
function systemPackages(ir: ImageIR): string[] {
  const out: string[] = [];
  for (const l of localesOf(ir)) {
    if (/^(C|POSIX)(\.|$)/i.test(l)) continue;
    out.push(`glibc-langpack-${l.split(/[_.@]/)[0]!.toLowerCase()}`);
  }
  appendAll(out, timezoneAndCertificatePackages(ir, 'tzdata'));
  return [...new Set(out)];
}

export const fedoraBackend: Backend = {
  apiVersion: BACKEND_API_VERSION,
  id: 'fedora',
  name: 'Fedora, CentOS Stream, AlmaLinux, Rocky Linux, RHEL (dnf)',
  distributions: dnfDistributions.flatMap((d) => d.aliases),
  releases: (id) => findDnfDistribution(id)?.releases ?? [],
  resolveDistribution,
  defaultRepositories,
  kernelPackages,
  initrdPackages,
  bootloaderPackages,
  systemPackages,
  planPackages: withBuildRepositories(defaultRepositories, dnfPackageSteps),
  planRemove: dnfRemoveStep,
  repositoryTypes: ['rpm-md'],
  packageSpec: rpmPackageSpec,
  unappliedFields: (ir) => unappliedFields(ir, { family: 'dnf', groups: true, modules: true }),
  hostTools: { dnf: 'dnf', rpm: 'rpm', useradd: 'passwd', systemctl: 'systemctl' },
  resolvePackages: resolveWithDnf,
  lockPackages: lockWithDnf,
  executes: FAMILY_STEP_TYPES,
  execute: familyExecutor(
    'fedora',
    { bootstrap: runDnfBootstrap, install: runDnfInstall, remove: runDnfRemove },
    fedoraLayout,
  ),
};
