/**
 * What the vmdb2 reader and writer agree on: the steps vmdb2 0.27 (Debian 12) knows with the
 * keys each declares, and the Debian architecture and release names.
 */
import { debianCodename } from '../../ir/distribution.js';
import { lookupTable } from '../../lib/lookup-table.js';

export type KeyKind = 'str' | 'list' | 'bool' | 'int' | 'map';

export interface StepSpec {
  /** keys vmdb2 refuses the step without (besides the step name itself) */
  required: readonly string[];
  optional: Readonly<Record<string, KeyKind>>;
}

const spec = (required: string[], optional: Record<string, KeyKind> = {}): StepSpec => ({
  required,
  optional,
});

/** Keys every step may carry. */
export const COMMON_KEYS: Readonly<Record<string, KeyKind>> = lookupTable({ unless: 'str' });

export const STEPS: Readonly<Record<string, StepSpec>> = lookupTable({
  mkimg: spec(['size']),
  mklabel: spec(['device']),
  mkpart: spec(['device', 'start', 'end'], { tag: 'str', 'part-tag': 'str', 'fs-type': 'str' }),
  kpartx: spec([]),
  mkfs: spec(['partition'], { label: 'str', options: 'str' }),
  mount: spec([], { dirname: 'str', 'mount-on': 'str', zerofree: 'bool', 'fs-tag': 'str' }),
  'unpack-rootfs': spec([]),
  'cache-rootfs': spec([], { options: 'str' }),
  debootstrap: spec(['target', 'mirror'], {
    arch: 'str',
    keyring: 'str',
    install_keyring: 'bool',
    variant: 'str',
    components: 'list',
    include: 'list',
    require_empty_target: 'bool',
  }),
  'qemu-debootstrap': spec(['target', 'mirror', 'arch'], {
    keyring: 'str',
    variant: 'str',
    components: 'list',
  }),
  apt: spec([], { packages: 'list', tag: 'str', 'fs-tag': 'str', clean: 'bool', recommends: 'bool' }),
  chroot: spec(['shell']),
  shell: spec(['root-fs']),
  grub: spec([], {
    'root-fs': 'str',
    efi: 'str',
    'efi-part': 'str',
    prep: 'str',
    console: 'str',
    tag: 'str',
    'image-dev': 'str',
    quiet: 'bool',
    timeout: 'int',
  }),
  fstab: spec([]),
  'virtual-filesystems': spec([]),
  'resize-rootfs': spec([]),
  'create-file': spec(['contents'], { perm: 'int', uid: 'int', gid: 'int' }),
  'copy-file': spec(['src'], { perm: 'int', uid: 'int', gid: 'int' }),
  'create-dir': spec([], { perm: 'int', uid: 'int', gid: 'int' }),
  'copy-dir': spec(['src'], { perm: 'int', umask: 'int', uid: 'int', gid: 'int', user: 'str', group: 'str' }),
  cryptsetup: spec([], { tag: 'str', 'key-file': 'str', 'key-cmd': 'str', password: 'str', name: 'str' }),
  vgcreate: spec([], { physical: 'list' }),
  lvcreate: spec(['name', 'size']),
  ansible: spec(['playbook'], { group: 'str', tags: 'str', config_file: 'str', extra_vars: 'map' }),
  set_part_flag: spec(['tag', 'flag'], { state: 'str' }),
  echo: spec([], { teardown: 'str' }),
  error: spec(['teardown']),
});

/** Steps that only drive the build: imgc's own builders do what they do. */
export const MECHANICS = new Set(['kpartx', 'fstab', 'virtual-filesystems', 'unpack-rootfs', 'cache-rootfs']);

/** The rootfs-cache condition vmdb2 sets when --rootfs-tarball was unpacked. */
export const ROOTFS_UNPACKED = 'rootfs_unpacked';

const DEBIAN_SUITES = [
  'jessie',
  'stretch',
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'sid',
  'unstable',
  'testing',
  'stable',
  'oldstable',
];
const UBUNTU_SUITES = [
  'xenial',
  'bionic',
  'focal',
  'jammy',
  'lunar',
  'mantic',
  'noble',
  'oracular',
  'plucky',
];

/** The distribution a debootstrap suite belongs to, when the suite name tells. */
export function distroOfSuite(suite: string): 'debian' | 'ubuntu' | undefined {
  if (DEBIAN_SUITES.includes(suite)) return 'debian';
  if (UBUNTU_SUITES.includes(suite)) return 'ubuntu';
  return undefined;
}

/** The debootstrap suite for a Debian release number ("12" → bookworm); other releases as they are. */
export function suiteOf(id: string | undefined, release: string): string {
  return id === 'debian' ? debianCodename(release) : release;
}

/** The template vmdb2 replaces with its --output (or --image) file. */
export const OUTPUT_TEMPLATE = '{{ output }}';

/** parted's file-system type hint for mkpart, from the filesystem mkfs makes. */
export function partedFsType(filesystem: string | undefined): string | undefined {
  if (filesystem === 'vfat') return 'fat32';
  if (filesystem === 'swap') return 'linux-swap';
  return undefined;
}
