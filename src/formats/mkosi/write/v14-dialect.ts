/**
 * The mkosi 14 dialect table: what Debian 12's and Ubuntu 22.04's mkosi understands. mkosi 14
 * turns every `Key=value` of its files into the command-line option `--key` (sections are only
 * grouping), so an unknown key makes it refuse the whole configuration.
 */

/** The configuration keys mkosi 14 accepts (its options in CamelCase, plus its special names). */
export const MKOSI14_KEYS = new Set([
  'Distribution',
  'Release',
  'Architecture',
  'Mirror',
  'LocalMirror',
  'RepositoryKeyCheck',
  'Repositories',
  'UseHostRepositories',
  'RepositoryDirectory',
  'Format',
  'ManifestFormat',
  'Output',
  'OutputDirectory',
  'WorkspaceDirectory',
  'Force',
  'Bootable',
  'KernelCommandLine',
  'SecureBoot',
  'SecureBootKey',
  'SecureBootCertificate',
  'ReadOnly',
  'Encrypt',
  'Verity',
  'CompressFs',
  'CompressOutput',
  'Compress',
  'QCow2',
  'Hostname',
  'ImageVersion',
  'ImageId',
  'Incremental',
  'Minimize',
  'WithUnifiedKernelImages',
  'HostonlyInitrd',
  'CacheInitrd',
  'SplitArtifacts',
  'BasePackages',
  'Packages',
  'RemovePackages',
  'WithDocs',
  'WithTests',
  'MachineID',
  'Password',
  'PasswordIsHashed',
  'Autologin',
  'Cache',
  'ExtraTrees',
  'SkeletonTrees',
  'CleanPackageMetadata',
  'RemoveFiles',
  'Environment',
  'BuildSources',
  'BuildDirectory',
  'IncludeDirectory',
  'InstallDirectory',
  'BuildPackages',
  'SkipFinalPhase',
  'BuildScript',
  'PrepareScript',
  'PostInstallationScript',
  'FinalizeScript',
  'SourceFileTransfer',
  'SourceFileTransferFinal',
  'WithNetwork',
  'NSpawnSettings',
  'BaseImage',
  'RootSize',
  'ESPSize',
  'XbootldrSize',
  'SwapSize',
  'HomeSize',
  'SrvSize',
  'VarSize',
  'TmpSize',
  'BiosSize',
  'UsrOnly',
  'CheckSum',
  'Sign',
  'Key',
  'BMap',
  'ExtraSearchPaths',
  'QemuHeadless',
  'QemuSmp',
  'QemuMem',
  'QemuKvm',
  'NspawnKeepUnit',
  'Netdev',
  'Ephemeral',
  'Ssh',
]);

/** Which section each key is written in (mkosi 14 ignores the section; its own examples group them so). */
export function sectionOf14(key: string): string {
  if (
    [
      'Distribution',
      'Release',
      'Architecture',
      'Mirror',
      'Repositories',
      'RepositoryDirectory',
      'RepositoryKeyCheck',
    ].includes(key)
  )
    return 'Distribution';
  if (
    [
      'Format',
      'Output',
      'Bootable',
      'KernelCommandLine',
      'CompressOutput',
      'Hostname',
      'ImageId',
      'ImageVersion',
      'SecureBoot',
      'ReadOnly',
    ].includes(key)
  )
    return 'Output';
  if (key.startsWith('Qemu') || ['NspawnKeepUnit', 'Netdev', 'Ephemeral', 'Ssh'].includes(key)) return 'Host';
  if (/Size$/.test(key)) return 'Partitions';
  if (['CheckSum', 'Sign', 'Key', 'BMap'].includes(key)) return 'Validation';
  return 'Content';
}

export const SECTIONS_14 = ['Distribution', 'Output', 'Content', 'Partitions', 'Validation', 'Host'];

/** The distributions mkosi 14 builds (`--distribution`), by IR os-release id. */
export const DISTRIBUTIONS_14: Record<string, string> = {
  fedora: 'fedora',
  debian: 'debian',
  ubuntu: 'ubuntu',
  arch: 'arch',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  mageia: 'mageia',
  centos: 'centos',
  openmandriva: 'openmandriva',
  rocky: 'rocky',
  almalinux: 'alma',
  gentoo: 'gentoo',
};

/** IR output type → mkosi 14 `Format=`; a disk is a GPT image named by its root filesystem. */
export function format14(type: string, rootFilesystem: string | undefined): string | undefined {
  if (type === 'directory' || type === 'tar' || type === 'cpio') return type;
  if (type === 'disk') {
    const fs = rootFilesystem ?? 'ext4';
    return ['ext4', 'xfs', 'btrfs', 'squashfs'].includes(fs) ? `gpt_${fs}` : undefined;
  }
  return undefined;
}

/** IR script phase → the one script of that phase mkosi 14 runs, and where it runs. */
export const SCRIPTS_14: Record<string, { key: string; file: string; inImage: boolean }> = {
  prepare: { key: 'PrepareScript', file: 'mkosi.prepare', inImage: true },
  build: { key: 'BuildScript', file: 'mkosi.build', inImage: true },
  'post-install': { key: 'PostInstallationScript', file: 'mkosi.postinst', inImage: true },
  finalize: { key: 'FinalizeScript', file: 'mkosi.finalize', inImage: false },
};

/** Packages mkosi 14 installs on Debian and Ubuntu whatever the configuration says. */
export const DEBIAN_BASE_14 = ['systemd', 'systemd-sysv', 'dbus', 'libpam-systemd', 'systemd-resolved'];

/** Keys v14 parses as plain booleans, where current mkosi also takes enabled/disabled/auto. */
const BOOLEANS_14 = new Set([
  'Bootable',
  'CleanPackageMetadata',
  'WithDocs',
  'WithTests',
  'ReadOnly',
  'SecureBoot',
  'Incremental',
  'Minimize',
  'Autologin',
  'Ssh',
  'Verity',
  'RepositoryKeyCheck',
  'UseHostRepositories',
  'WithNetwork',
  'HostonlyInitrd',
  'SplitArtifacts',
  'QCow2',
  'CheckSum',
  'Sign',
  'BMap',
]);

const COMPRESSORS_14 = ['zlib', 'lzo', 'zstd', 'lz4', 'xz'];

/** A current spelling of a value as v14 takes it; undefined when v14 has no such value. */
export function value14(key: string, value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (BOOLEANS_14.has(key)) {
    if (['yes', 'true', '1', 'on', 'enabled'].includes(v)) return 'yes';
    if (['no', 'false', '0', 'off', 'disabled'].includes(v)) return 'no';
    return undefined;
  }
  if (key === 'CompressOutput' || key === 'CompressFs' || key === 'Compress') {
    if (['no', 'none', 'false', '0', 'off', 'disabled'].includes(v)) return 'no';
    if (['yes', 'true', '1', 'on', 'enabled'].includes(v)) return 'yes';
    if (v === 'gz' || v === 'gzip') return 'zlib';
    return COMPRESSORS_14.includes(v) ? v : undefined;
  }
  return value;
}
