/**
 * The Debian/Ubuntu backend: mmdebstrap builds the tree from the IR's apt repositories
 * (default: the archive configured in the host's apt sources), then chroot tools apply
 * the system fields. Ubuntu goes through the same code with its own release table; it is
 * plan-tested only (this project's machines have no Ubuntu mirror or keyring).
 */

import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import {
  debianArchitecture,
  familyOfSuite,
  findRelease,
  isRolling,
  knownSuites,
} from '../../distros/debian.js';
import type { FormatOptions } from '../../formats/contract.js';
import type { ImageIR, Initrd, Repository } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';
import { FAMILY_STEP_TYPES, familyExecutor, type RootLayout } from '../common/configure.js';
import { optionString, wantedDistribution } from '../common/family.js';
import {
  bootloaderPackagesFrom,
  localesOf,
  timezoneAndCertificatePackages,
} from '../common/system-packages.js';
import { BACKEND_API_VERSION, type Backend, type HostFacts, type ResolvedDistribution } from '../contract.js';
import { APT_REPOSITORY_TYPES, aptPackageSpec, aptUnappliedFields } from './apt.js';
import { bootstrapDraft, removeDraft, runBootstrap, runInstall, runRemove } from './bootstrap.js';
import { lockWithApt } from './lock.js';
import { resolveWithApt } from './resolve.js';
import { hostSources } from './sources.js';

/** Where Debian's files differ from the other families', and the files only Debian's tools read. */
export const debianLayout: RootLayout = {
  caAnchors: 'usr/local/share/ca-certificates',
  caExtension: '.crt',
  caUpdate: ['update-ca-certificates'],
  localeGen: true,
  caches: [
    'var/cache/apt/pkgcache.bin',
    'var/cache/apt/srcpkgcache.bin',
    'var/cache/ldconfig/aux-cache',
    'var/cache/apt/archives/partial',
  ],
  logs: ['var/log/dpkg.log', 'var/log/alternatives.log', 'var/log/apt/history.log', 'var/log/apt/term.log'],
  chrootEnv: { DEBIAN_FRONTEND: 'noninteractive' },
  familyFiles: (o) => {
    const files: Record<string, string> = {};
    if (o.locale) files['etc/default/locale'] = `LANG=${o.locale}\n`;
    if (o.keymap) {
      const [layout, ...variant] = o.keymap.split('-');
      files['etc/default/keyboard'] =
        `XKBMODEL="pc105"\nXKBLAYOUT="${layout}"\nXKBVARIANT="${variant.join('-')}"\nXKBOPTIONS=""\nBACKSPACE="guess"\n`;
    }
    if (o.timezone) files['etc/timezone'] = `${o.timezone}\n`;
    return files;
  },
};

function resolveDistribution(ir: ImageIR, options: FormatOptions, host: HostFacts) {
  const diagnostics: Diagnostic[] = [];
  const wanted = wantedDistribution(ir, options, 'debian');
  const id = wanted.id;
  let release = wanted.release;
  if (!release) release = id === 'debian' ? (hostDebianSuite(host) ?? 'bookworm') : 'noble';
  const found = findRelease(id, release);
  if (!found) {
    diagnostics.push(
      diag(
        buildCodes.unknownRelease,
        { distribution: id, release, known: knownSuites(id).join(', ') },
        {},
        { pointer: '/distribution/release' },
      ),
    );
    return { diagnostics };
  }
  const wantedArch = ir.distribution.architecture ?? optionString(options, 'arch') ?? host.architecture;
  const architecture = debianArchitecture(wantedArch);
  const hostArch = debianArchitecture(host.architecture);
  if (!architecture || architecture !== hostArch) {
    diagnostics.push(
      diag(
        buildCodes.unsupportedArchitecture,
        { architecture: wantedArch, host: host.architecture },
        {},
        { pointer: '/distribution/architecture' },
      ),
    );
    return { diagnostics };
  }
  const distribution: ResolvedDistribution = { id, release, suite: found.suite, architecture };
  if (found.versionId) distribution.versionId = found.versionId;
  return { distribution, diagnostics };
}

/** The Debian suite the host itself tracks, so an IR without a release builds what the host runs. */
function hostDebianSuite(host: HostFacts): string | undefined {
  const { sources } = hostSources(host.readText, host.listDir);
  for (const s of sources) {
    for (const suite of s.suites) {
      if (familyOfSuite(suite) === 'debian' && !suite.includes('-'))
        return findRelease('debian', suite)?.suite;
    }
  }
  return undefined;
}

function defaultRepositories(dist: ResolvedDistribution, options: FormatOptions, host: HostFacts) {
  const diagnostics: Diagnostic[] = [];
  const { sources, looked } = hostSources(host.readText, host.listDir);
  const ours = sources.filter((s) => s.suites.some((suite) => familyOfSuite(suite) === dist.id));
  const archive = ours.find((s) => s.suites.some((suite) => !suite.endsWith('-security')));
  const security = ours.find((s) => s.suites.some((suite) => suite.endsWith('-security')));
  const mirror = optionString(options, 'mirror');
  const archiveUrls = mirror ? [mirror] : archive?.uris;
  if (!archiveUrls?.length) {
    diagnostics.push(diag(buildCodes.noRepository, { distribution: dist.id, looked }));
    return { repositories: [], diagnostics };
  }
  const components = archive?.components.length ? archive.components : ['main'];
  const keys = archive?.signedBy ? { gpgKeys: [archive.signedBy] } : {};
  const rolling = isRolling(dist.id, dist.suite);
  const repositories: Repository[] = [
    {
      id: dist.id,
      type: 'apt-deb822',
      urls: archiveUrls,
      suites: rolling ? [dist.suite] : [dist.suite, `${dist.suite}-updates`],
      components,
      ...keys,
    },
  ];
  const securityUrls = optionString(options, 'security-mirror')
    ? [optionString(options, 'security-mirror')!]
    : security?.uris;
  if (!rolling && securityUrls?.length) {
    repositories.push({
      id: `${dist.id}-security`,
      type: 'apt-deb822',
      urls: securityUrls,
      suites: [`${dist.suite}-security`],
      components,
      ...(security?.signedBy ? { gpgKeys: [security.signedBy] } : keys),
    });
  }
  return { repositories, diagnostics };
}

function kernelPackages(dist: ResolvedDistribution, ir: ImageIR): string[] {
  if (ir.system.kernel.package) return [ir.system.kernel.package];
  if (dist.id === 'ubuntu') return ['linux-image-generic'];
  const flavour: Record<string, string> = {
    amd64: 'amd64',
    arm64: 'arm64',
    i386: '686',
    ppc64el: 'powerpc64le',
  };
  return [`linux-image-${flavour[dist.architecture] ?? dist.architecture}`];
}

/** Compressors the initrd generators call inside the image; without them they fall back to gzip silently. */
const COMPRESSOR_PACKAGES: Record<string, string> = lookupTable({
  xz: 'xz-utils',
  zstd: 'zstd',
  lz4: 'lz4',
  lzma: 'xz-utils',
  bzip2: 'bzip2',
  lzop: 'lzop',
});

function initrdPackages(initrd: Initrd | undefined): string[] {
  const compressor = initrd?.compression ? COMPRESSOR_PACKAGES[initrd.compression] : undefined;
  const extra = compressor ? [compressor] : [];
  switch (initrd?.generator) {
    case 'dracut':
      return ['dracut', ...extra];
    case 'none':
      return [];
    default:
      return ['initramfs-tools', ...extra];
  }
}

const bootloaderPackages = bootloaderPackagesFrom({
  grub: ['grub-efi-amd64-bin'],
  systemdBoot: ['systemd-boot'],
});

function systemPackages(ir: ImageIR): string[] {
  const out: string[] = [];
  if (localesOf(ir).some((l) => !/^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l))) out.push('locales');
  out.push(...timezoneAndCertificatePackages(ir, 'tzdata'));
  if (ir.accounts.users.length || ir.accounts.groups.length || ir.accounts.root) out.push('passwd');
  return out;
}

export const debianBackend: Backend = {
  apiVersion: BACKEND_API_VERSION,
  id: 'debian',
  name: 'Debian and Ubuntu (mmdebstrap, apt, dpkg)',
  distributions: ['debian', 'ubuntu'],
  releases: knownSuites,
  resolveDistribution,
  defaultRepositories,
  kernelPackages,
  initrdPackages,
  bootloaderPackages,
  systemPackages,
  livePackages: () => ['live-boot'],
  ostreePackages: () => ['ostree', 'ostree-boot'],
  planPackages: bootstrapDraft,
  planRemove: removeDraft,
  repositoryTypes: APT_REPOSITORY_TYPES,
  packageSpec: aptPackageSpec,
  unappliedFields: aptUnappliedFields,
  hostTools: { mmdebstrap: 'mmdebstrap', useradd: 'passwd', systemctl: 'systemctl' },
  resolvePackages: resolveWithApt,
  lockPackages: lockWithApt,
  executes: FAMILY_STEP_TYPES,
  execute: familyExecutor(
    'debian',
    { bootstrap: runBootstrap, install: runInstall, remove: runRemove },
    debianLayout,
  ),
};
