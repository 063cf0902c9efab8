/**
 * The mkosi settings model: value kinds, enums, aliases, legacy names and the defaults that
 * matching, specifiers and lowering need. The per-setting rows live in `settings-table.ts`.
 */
import { lookupTable } from '../../lib/lookup-table.js';
import type { SettingSpec } from './settings-spec.js';
import { SETTING_SPECS } from './settings-table.js';

export const ENUMS: Record<string, readonly string[]> = lookupTable({
  Distribution: [
    'fedora',
    'debian',
    'kali',
    'ubuntu',
    'postmarketos',
    'arch',
    'opensuse',
    'mageia',
    'centos',
    'rhel',
    'rhel-ubi',
    'openmandriva',
    'rocky',
    'alma',
    'azure',
    'custom',
  ],
  Architecture: [
    'alpha',
    'arc',
    'arm',
    'arm64',
    'ia64',
    'loongarch64',
    'mips-le',
    'mips64-le',
    'parisc',
    'ppc',
    'ppc64',
    'ppc64-le',
    'riscv32',
    'riscv64',
    's390',
    's390x',
    'tilegx',
    'x86',
    'x86-64',
  ],
  OutputFormat: [
    'confext',
    'cpio',
    'directory',
    'disk',
    'esp',
    'none',
    'portable',
    'sysext',
    'tar',
    'uki',
    'oci',
    'addon',
  ],
  Bootloader: ['none', 'uki', 'systemd-boot', 'grub', 'uki-signed', 'systemd-boot-signed', 'grub-signed'],
  BiosBootloader: ['none', 'grub'],
  ShimBootloader: ['none', 'signed', 'unsigned'],
  UnifiedKernelImage: ['none', 'auto', 'signed', 'unsigned'],
  Cacheonly: ['always', 'auto', 'none', 'metadata', 'never'],
  Incremental: ['yes', 'no', 'strict'],
  Ssh: ['always', 'auto', 'runtime', 'never'],
  Verity: ['disabled', 'hash', 'signed', 'defer', 'auto'],
  BuildSourcesEphemeral: ['yes', 'no', 'buildcache'],
  SecureBootSignTool: ['auto', 'sbsign', 'systemd-sbsign'],
  Firmware: ['auto', 'linux', 'linux-noinitrd', 'uefi', 'uefi-secure-boot'],
  ConsoleMode: ['interactive', 'read-only', 'native', 'gui', 'headless'],
  Network: ['interface', 'user', 'none'],
  Vmm: ['qemu', 'vmspawn'],
  QemuDiskType: ['virtio-blk', 'virtio-scsi', 'nvme', 'scsi-cd'],
});

/** enums whose unknown values make mkosi stop (the rest only warn here) */
export const STRICT_ENUMS = new Set(['Distribution', 'Architecture', 'OutputFormat']);

/** Deprecated names that current mkosi still accepts (`compat_names`), with a warning. */
export const COMPAT_NAMES: Record<string, string> = lookupTable({
  Profile: 'Profiles',
  PrepareScript: 'PrepareScripts',
  BuildScript: 'BuildScripts',
  PostInstallationScript: 'PostInstallationScripts',
  FinalizeScript: 'FinalizeScripts',
  Devicetree: 'Devicetrees',
  PackageManagerTrees: 'SandboxTrees',
  ToolsTreePackageManagerTrees: 'ToolsTreeSandboxTrees',
  QemuSmp: 'CPUs',
  QemuMem: 'RAM',
  QemuKvm: 'KVM',
  QemuVsock: 'VSock',
  QemuVsockConnectionId: 'VSockCID',
  QemuSwtpm: 'TPM',
  QemuRemovable: 'Removable',
  QemuFirmware: 'Firmware',
  QemuFirmwareVariables: 'FirmwareVariables',
  QemuKernel: 'Linux',
  QemuDrives: 'Drives',
});

/**
 * Keys of mkosi v14 and older (and a few v15–v24 names) that current mkosi no longer knows.
 * With legacy handling on (the default) they are applied under their modern name with a
 * warning; `null` means there is no modern equivalent: the value is kept as extension data.
 */
export const LEGACY_NAMES: Record<string, string | null> = lookupTable({
  Password: 'RootPassword',
  PasswordIsHashed: null,
  Cache: 'PackageCacheDirectory',
  SkeletonTree: 'SkeletonTrees',
  ExtraTree: 'ExtraTrees',
  RepositoryDirectories: 'SandboxTrees',
  WithUnifiedKernelImages: 'UnifiedKernelImages',
  Settings: 'NSpawnSettings',
  SignExpectedPCR: 'SignExpectedPcr',
  MachineID: 'MachineId',
  Presets: 'Dependencies',
  Images: 'Dependencies',
  Hostonly: null,
  HostonlyInitrd: null,
  CacheInitrd: null,
  BasePackages: null,
  UseHostRepositories: null,
  RootSize: null,
  ESPSize: null,
  SwapSize: null,
  HomeSize: null,
  SrvSize: null,
  VarSize: null,
  TmpSize: null,
  BiosSize: null,
  XBootLDRSize: null,
  GPTFirstLBA: null,
  ReadOnly: null,
  Minimize: null,
  Encrypt: null,
  CompressFs: null,
  Mksquashfs: null,
  UsrOnly: null,
  OutputSplitRoot: null,
  OutputSplitVerity: null,
  OutputSplitKernel: null,
  QemuHeadless: null,
  QemuGui: null,
  QemuCdrom: null,
  Netdev: null,
  NetworkVeth: null,
  SshTimeout: null,
  SshPort: null,
  SshAgent: null,
  NSpawnKeepUnit: null,
  QemuBoot: null,
  SourceFileTransfer: null,
  SourceFileTransferFinal: null,
  SourceResolveSymlinks: null,
  SourceResolveSymlinksFinal: null,
  IncludeDirectory: null,
  InstallDirectory: null,
  SkipFinalPhase: null,
  NoChown: null,
  TarStripSELinuxContext: null,
  BMap: null,
  Force: null,
  SecureBootCommonName: null,
  SecureBootValidDays: null,
  Tar: null,
  QCow2: null,
  Compress: null,
  BootProtocols: null,
  BootProtocol: null,
  RuntimeScratch: null,
});

/** legacy section names mapped to current ones */
export const LEGACY_SECTIONS: Record<string, string> = lookupTable({
  Packages: 'Content',
  Partitions: 'Partitions',
  Host: 'Runtime',
});

/** v14 and older `Format=` values: the modern format and the root filesystem it implied */
export const LEGACY_FORMATS: Record<string, { format: string; filesystem?: string }> = lookupTable({
  gpt_ext4: { format: 'disk', filesystem: 'ext4' },
  gpt_xfs: { format: 'disk', filesystem: 'xfs' },
  gpt_btrfs: { format: 'disk', filesystem: 'btrfs' },
  gpt_squashfs: { format: 'disk', filesystem: 'squashfs' },
  raw_gpt: { format: 'disk', filesystem: 'ext4' },
  raw_ext4: { format: 'disk', filesystem: 'ext4' },
  raw_btrfs: { format: 'disk', filesystem: 'btrfs' },
  raw_squashfs: { format: 'disk', filesystem: 'squashfs' },
  plain_squashfs: { format: 'disk', filesystem: 'squashfs' },
  subvolume: { format: 'directory' },
});

/** uname machine names that v14 configs used for Architecture= */
export const UNAME_TO_MKOSI_ARCH: Record<string, string> = lookupTable({
  aarch64: 'arm64',
  aarch64_be: 'arm64',
  armv7l: 'arm',
  armv7hl: 'arm',
  armv6l: 'arm',
  x86_64: 'x86-64',
  amd64: 'x86-64',
  i686: 'x86',
  i586: 'x86',
  i486: 'x86',
  i386: 'x86',
  ppc64le: 'ppc64-le',
  mips: 'mips-le',
  mips64: 'mips64-le',
  parisc64: 'parisc',
  riscv: 'riscv64',
});

/** mkosi architecture → the kernel/uname spelling the IR uses */
export const MKOSI_ARCH_TO_IR: Record<string, string> = lookupTable({
  'x86-64': 'x86_64',
  x86: 'i686',
  arm64: 'aarch64',
  arm: 'armv7l',
  'ppc64-le': 'ppc64le',
  'mips-le': 'mips',
  'mips64-le': 'mips64',
  alpha: 'alpha',
  arc: 'arc',
  ia64: 'ia64',
  loongarch64: 'loongarch64',
  parisc: 'parisc',
  ppc: 'ppc',
  ppc64: 'ppc64',
  riscv32: 'riscv32',
  riscv64: 'riscv64',
  s390: 's390',
  s390x: 's390x',
  tilegx: 'tilegx',
});

export function irArchToMkosi(arch: string): string | undefined {
  for (const [k, v] of Object.entries(MKOSI_ARCH_TO_IR)) if (v === arch) return k;
  return UNAME_TO_MKOSI_ARCH[arch] ?? (ENUMS.Architecture!.includes(arch) ? arch : undefined);
}

/** Release used when Release= is unset and the host runs another distribution (`default_release()`). */
export const DEFAULT_RELEASE: Record<string, string> = lookupTable({
  fedora: 'rawhide',
  debian: 'testing',
  kali: 'kali-rolling',
  ubuntu: 'devel',
  postmarketos: 'edge',
  arch: 'rolling',
  opensuse: 'tumbleweed',
  mageia: 'cauldron',
  centos: '10',
  rhel: '10',
  'rhel-ubi': '10',
  alma: '10',
  rocky: '10',
  openmandriva: 'cooker',
  azure: '3.0',
  custom: '',
});

/** `%F`: the distribution's default root filesystem */
export const DEFAULT_FILESYSTEM: Record<string, string> = lookupTable({
  fedora: 'btrfs',
  opensuse: 'btrfs',
  centos: 'xfs',
  rhel: 'xfs',
  'rhel-ubi': 'xfs',
  alma: 'xfs',
  rocky: 'xfs',
});

export const SETTINGS: readonly SettingSpec[] = SETTING_SPECS.map((s) =>
  s.name === 'Credentials' ? { ...s, kind: 'list', delimiter: 'space' } : s,
);

export const SETTINGS_BY_NAME = new Map<string, SettingSpec>(SETTINGS.map((s) => [s.name, s]));
export const SETTINGS_BY_SPECIFIER = new Map<string, SettingSpec>(
  SETTINGS.filter((s) => s.specifier).map((s) => [s.specifier!, s]),
);

/** the sections current mkosi reads settings from (`Host` is the pre-v25 name of Runtime) */
export const SETTING_SECTIONS = new Set<string>([...SETTINGS.map((s) => s.section), 'Host']);

export const MATCH_ONLY_KEYS = new Set(['PathExists', 'SystemdVersion', 'HostArchitecture', 'Image']);

export function isMainOnly(s: SettingSpec): boolean {
  return s.scope === 'main' || s.scope === 'multiversal' || s.scope === 'tools' || s.scope === 'initrd';
}

/** settings the sub-images take from the main image and may not set themselves */
export function isUniversal(s: SettingSpec): boolean {
  return s.scope === 'universal' || s.scope === 'multiversal';
}
