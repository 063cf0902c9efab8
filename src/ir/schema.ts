/**
 * Image IR v1 — the single source of truth for the IR's shape.
 *
 * TypeScript types (`Static<>`), the JSON Schema in `schemas/ir.schema.json` and ajv
 * validation all derive from these definitions; `test/ir/schema-drift.test.ts` fails when
 * the committed JSON Schema differs from what this file emits.
 *
 * Conventions: every list is present (possibly empty) after `normalizeIr`, optional scalars
 * are simply absent when unknown, sizes are bytes, modes are octal strings ("0644").
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

export const IR_VERSION = 1 as const;

const Str = (description?: string) => Type.String(description ? { description } : {});
const StrList = (description?: string) => Type.Array(Type.String(), description ? { description } : {});
const Bytes = (description: string) => Type.Integer({ minimum: 0, description });
const Mode = Type.String({ pattern: '^0?[0-7]{3,4}$', description: 'octal permission bits, e.g. "0644"' });
const Owner = Type.Union([Type.String(), Type.Integer({ minimum: 0 })], {
  description: 'user or group name, or numeric id',
});
const open = <T extends Record<string, TSchema>>(props: T, description: string) =>
  Type.Object(props, { additionalProperties: false, description });

export const Distribution = open(
  {
    id: Type.Optional(
      Str(
        'distribution id as os-release ID: debian, ubuntu, fedora, rhel, centos, opensuse, sles, arch, ...',
      ),
    ),
    release: Type.Optional(
      Str('release as the distribution names it: bookworm, 12, 41, 9.6, tumbleweed, rolling'),
    ),
    architecture: Type.Optional(
      Str('target architecture in the kernel/uname spelling: x86_64, aarch64, ...'),
    ),
    variant: Type.Optional(Str('edition or flavour where the distribution has one (server, cloud, ...)')),
  },
  'what is installed',
);

export const Repository = open(
  {
    id: Str('stable identifier, unique within the image'),
    name: Type.Optional(Str('human-readable name')),
    type: Type.Optional(
      Type.Union(
        [
          Type.Literal('rpm-md'),
          Type.Literal('apt'),
          Type.Literal('apt-deb822'),
          Type.Literal('pacman'),
          Type.Literal('yast2'),
          Type.Literal('plaindir'),
          Type.Literal('oci'),
        ],
        { description: 'repository metadata kind; absent = the backend family default' },
      ),
    ),
    urls: StrList('base URLs; may contain $releasever/$basearch style variables as written by the source'),
    mirrorlist: Type.Optional(Str()),
    metalink: Type.Optional(Str()),
    suites: Type.Optional(StrList('apt: suites/distributions (e.g. bookworm, bookworm-updates)')),
    components: Type.Optional(StrList('apt: components (main, contrib, ...)')),
    enabled: Type.Optional(Type.Boolean()),
    gpgCheck: Type.Optional(Type.Boolean()),
    repoGpgCheck: Type.Optional(Type.Boolean()),
    gpgKeys: Type.Optional(StrList('key URLs, file paths or inline armored keys')),
    sslVerify: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer()),
    cost: Type.Optional(Type.Integer()),
    moduleHotfixes: Type.Optional(Type.Boolean()),
    usage: Type.Optional(
      Type.Union([Type.Literal('build-and-image'), Type.Literal('build-only'), Type.Literal('image-only')], {
        description:
          'build-only: used to install packages but not configured in the image; image-only: written into the image only',
      }),
    ),
    includePackages: Type.Optional(StrList('only these packages may come from this repository')),
    excludePackages: Type.Optional(StrList('packages never taken from this repository')),
    proxy: Type.Optional(Str()),
    username: Type.Optional(Str()),
    password: Type.Optional(Str()),
    fileName: Type.Optional(
      Str('file name to write the repository config under, where the source named one'),
    ),
  },
  'a package source',
);

export const PackageRef = open(
  {
    name: Str('package name, glob or virtual provide as the source wrote it'),
    version: Type.Optional(Str()),
    arch: Type.Optional(Str()),
  },
  'a package',
);

export const PackageGroup = open(
  {
    name: Str('group/pattern/environment id'),
    kind: Type.Optional(
      Type.Union([Type.Literal('group'), Type.Literal('environment'), Type.Literal('pattern')], {
        description: 'comps group, comps environment or zypper pattern; default group',
      }),
    ),
    optional: Type.Optional(Type.Boolean({ description: 'also install optional members' })),
    nodefaults: Type.Optional(Type.Boolean({ description: 'install mandatory members only' })),
    exclude: Type.Optional(Type.Boolean({ description: 'exclude the whole group' })),
  },
  'a package group',
);

export const PackageModule = open(
  {
    name: Str(),
    stream: Type.Optional(Str()),
    profile: Type.Optional(Str()),
    state: Type.Optional(
      Type.Union([Type.Literal('enabled'), Type.Literal('disabled'), Type.Literal('installed')]),
    ),
  },
  'a dnf module stream',
);

export const Packages = open(
  {
    install: Type.Array(PackageRef, { description: 'packages installed into the image' }),
    exclude: Type.Array(PackageRef, { description: 'packages never installed' }),
    groups: Type.Array(PackageGroup),
    modules: Type.Array(PackageModule),
    remove: Type.Array(PackageRef, { description: 'packages removed after installation' }),
    bootstrap: Type.Array(PackageRef, { description: 'packages of the bootstrap/buildroot phase' }),
    build: Type.Array(PackageRef, { description: 'packages only needed by build scripts' }),
    installDocs: Type.Optional(Type.Boolean()),
    installWeakDeps: Type.Optional(Type.Boolean({ description: 'recommends / weak dependencies' })),
    languages: Type.Optional(StrList('languages to install translations for; ["all"] or ["none"] allowed')),
    core: Type.Optional(
      Type.Boolean({ description: 'install the distribution core set (kickstart --nocore = false)' }),
    ),
    multilib: Type.Optional(Type.Boolean()),
  },
  'what to install',
);

export const Services = open(
  { enable: StrList(), disable: StrList(), mask: StrList() },
  'systemd unit presets applied to the image',
);

export const Firewall = open(
  {
    enabled: Type.Optional(Type.Boolean()),
    ports: StrList('"port/proto" or "from-to/proto"'),
    services: open({ enable: StrList(), disable: StrList() }, 'firewalld services'),
    zones: Type.Array(open({ name: Str(), sources: StrList() }, 'a firewalld zone')),
    trust: Type.Optional(StrList('interfaces in the trusted zone')),
  },
  'firewall settings',
);

export const Kernel = open(
  {
    package: Type.Optional(Str('kernel package name')),
    cmdline: StrList('kernel command line arguments, one per item'),
    cmdlineRemove: Type.Optional(StrList('arguments removed from the default command line')),
    modules: Type.Optional(
      open({ include: StrList(), exclude: StrList() }, 'kernel modules kept or dropped'),
    ),
  },
  'kernel selection and command line',
);

export const Initrd = open(
  {
    generator: Type.Optional(
      Type.Union([
        Type.Literal('dracut'),
        Type.Literal('initramfs-tools'),
        Type.Literal('mkinitcpio'),
        Type.Literal('kiwi'),
        Type.Literal('none'),
      ]),
    ),
    modules: Type.Optional(StrList('dracut modules or equivalents added')),
    omitModules: Type.Optional(StrList()),
    drivers: Type.Optional(StrList('kernel drivers added')),
    compression: Type.Optional(Str()),
    profile: Type.Optional(
      Type.Literal('vm', {
        description:
          'vm: only the drivers a QEMU/KVM guest needs to find and mount its root (virtio, SCSI/NVMe/AHCI disks, ext4/xfs/btrfs); such an initrd does not boot bare metal that needs other drivers',
      }),
    ),
  },
  'how the image initrd is made',
);

export const System = open(
  {
    hostname: Type.Optional(Str()),
    locale: Type.Optional(Str('primary locale, e.g. en_US.UTF-8')),
    extraLocales: Type.Optional(StrList()),
    keymap: Type.Optional(Str('console keymap, e.g. us, de-latin1')),
    timezone: Type.Optional(Str('IANA zone, e.g. Europe/Berlin')),
    utc: Type.Optional(Type.Boolean({ description: 'hardware clock in UTC' })),
    ntpServers: Type.Optional(StrList()),
    selinux: Type.Optional(
      Type.Union([Type.Literal('enforcing'), Type.Literal('permissive'), Type.Literal('disabled')]),
    ),
    firewall: Type.Optional(Firewall),
    services: Services,
    kernel: Kernel,
    initrd: Type.Optional(Initrd),
    fips: Type.Optional(Type.Boolean()),
    caCertificates: Type.Optional(StrList('PEM certificates added to the trust store')),
    machineId: Type.Optional(Str('fixed machine-id, or "uninitialized"')),
    rootShell: Type.Optional(Str()),
  },
  'system configuration',
);

export const Password = open(
  {
    hash: Type.Optional(Str('crypt(3) hash, e.g. $6$...')),
    plain: Type.Optional(Str('clear-text password as written in the source (hashed at build time)')),
    locked: Type.Optional(Type.Boolean()),
    empty: Type.Optional(Type.Boolean({ description: 'an empty password that allows login' })),
    forceChange: Type.Optional(Type.Boolean({ description: 'must be changed at first login' })),
  },
  'a password',
);

export const User = open(
  {
    name: Str(),
    uid: Type.Optional(Type.Integer({ minimum: 0 })),
    gid: Type.Optional(Type.Integer({ minimum: 0 })),
    primaryGroup: Type.Optional(Str()),
    groups: StrList('supplementary groups'),
    description: Type.Optional(Str('GECOS')),
    home: Type.Optional(Str()),
    shell: Type.Optional(Str()),
    password: Type.Optional(Password),
    sshKeys: StrList('authorized_keys lines'),
    system: Type.Optional(Type.Boolean()),
    expireDate: Type.Optional(Type.Integer({ description: 'days since the epoch' })),
  },
  'a user account',
);

export const Group = open(
  { name: Str(), gid: Type.Optional(Type.Integer({ minimum: 0 })), system: Type.Optional(Type.Boolean()) },
  'a group',
);

export const Accounts = open(
  {
    root: Type.Optional(
      open(
        { password: Type.Optional(Password), sshKeys: StrList(), shell: Type.Optional(Str()) },
        'the root account',
      ),
    ),
    users: Type.Array(User),
    groups: Type.Array(Group),
  },
  'accounts',
);

export const FileEntry = open(
  {
    path: Str('absolute path in the image'),
    content: Type.Optional(Str('UTF-8 text content')),
    contentBase64: Type.Optional(Str('binary content')),
    source: Type.Optional(Str('path of a file next to the definition (relative to its folder) or a URI')),
    mode: Type.Optional(Mode),
    user: Type.Optional(Owner),
    group: Type.Optional(Owner),
  },
  'a file written into the image',
);

export const DirectoryEntry = open(
  {
    path: Str(),
    mode: Type.Optional(Mode),
    user: Type.Optional(Owner),
    group: Type.Optional(Owner),
    ensureParents: Type.Optional(Type.Boolean()),
  },
  'a directory created in the image',
);

export const SymlinkEntry = open({ path: Str(), target: Str() }, 'a symbolic link created in the image');

export const Overlay = open(
  {
    source: Str('folder or archive next to the definition (relative to its folder)'),
    destination: Type.Optional(Str('where it lands in the image; default /')),
    kind: Type.Optional(
      Type.Union(
        [
          Type.Literal('extra'),
          Type.Literal('skeleton'),
          Type.Literal('archive'),
          Type.Literal('package-manager'),
        ],
        {
          description:
            'extra: copied after packages; skeleton: before packages; archive: a tarball unpacked; package-manager: config for the build tools',
        },
      ),
    ),
  },
  'a tree copied into the image',
);

export const ScriptPhase = Type.Union(
  [
    Type.Literal('sync'),
    Type.Literal('pre-install'),
    Type.Literal('pre-packages'),
    Type.Literal('prepare'),
    Type.Literal('build'),
    Type.Literal('post-install'),
    Type.Literal('finalize'),
    Type.Literal('pre-disk'),
    Type.Literal('disk'),
    Type.Literal('post-output'),
    Type.Literal('first-boot'),
    Type.Literal('on-error'),
    Type.Literal('traceback'),
    Type.Literal('clean'),
  ],
  {
    description:
      'sync: before anything (host); pre-install: before storage/bootstrap; pre-packages: after bootstrap, before packages; prepare: after base packages; build: build sources; post-install: after all packages; finalize: last change of the tree; pre-disk/disk: while the disk is assembled; post-output: after outputs; first-boot: on the booted system; on-error/traceback: when the build fails',
  },
);

export const Script = open(
  {
    name: Type.Optional(Str('a file name where the source had one (config.sh, mkosi.postinst)')),
    phase: ScriptPhase,
    chroot: Type.Boolean({ description: 'runs inside the image root (true) or on the build host (false)' }),
    interpreter: Type.Optional(Str('e.g. /bin/bash, /usr/bin/python3')),
    body: Type.Optional(Str('inline script text')),
    source: Type.Optional(Str('script file next to the definition (relative to its folder)')),
    onError: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('ignore')])),
    log: Type.Optional(Str('where the output is logged')),
    network: Type.Optional(Type.Boolean()),
  },
  'a script run during the build or on the booted system',
);

export const SizeRange = open(
  { min: Type.Optional(Bytes('minimum size')), max: Type.Optional(Bytes('maximum size')) },
  'a size in bytes',
);

export const Encryption = open(
  {
    type: Type.Optional(Str('luks1, luks2, ...')),
    passphrase: Type.Optional(Str()),
    cipher: Type.Optional(Str()),
    keyFile: Type.Optional(Str()),
    tpm: Type.Optional(Type.Boolean()),
  },
  'block encryption',
);

export const Subvolume = open(
  { name: Str(), mountpoint: Type.Optional(Str()), options: Type.Optional(StrList()) },
  'a btrfs subvolume',
);

export const PartitionRole = Type.Union([
  Type.Literal('esp'),
  Type.Literal('bios-boot'),
  Type.Literal('prep'),
  Type.Literal('boot'),
  Type.Literal('xbootldr'),
  Type.Literal('root'),
  Type.Literal('usr'),
  Type.Literal('home'),
  Type.Literal('var'),
  Type.Literal('srv'),
  Type.Literal('tmp'),
  Type.Literal('swap'),
  Type.Literal('root-verity'),
  Type.Literal('usr-verity'),
  Type.Literal('lvm'),
  Type.Literal('raid'),
  Type.Literal('data'),
]);

export const Partition = open(
  {
    role: Type.Optional(PartitionRole),
    name: Type.Optional(Str('partition label (GPT name)')),
    mountpoint: Type.Optional(Str()),
    filesystem: Type.Optional(Str('ext4, xfs, btrfs, vfat, swap, squashfs, erofs, none, ...')),
    fsLabel: Type.Optional(Str()),
    size: Type.Optional(SizeRange),
    grow: Type.Optional(Type.Boolean({ description: 'takes the remaining space' })),
    typeUuid: Type.Optional(Str('GPT type GUID or MBR type id')),
    uuid: Type.Optional(Str()),
    fsOptions: Type.Optional(StrList('mkfs options')),
    mountOptions: Type.Optional(StrList()),
    format: Type.Optional(Type.Boolean({ description: 'false = reuse the existing contents' })),
    readOnly: Type.Optional(Type.Boolean()),
    encryption: Type.Optional(Encryption),
    subvolumes: Type.Optional(Type.Array(Subvolume)),
    volumeGroup: Type.Optional(Str('this partition is a physical volume of that LVM group')),
    raid: Type.Optional(Str('this partition is a member of that RAID device')),
    onDisk: Type.Optional(Str('target disk where the source named one')),
    copyFiles: Type.Optional(
      StrList('host:image paths copied into the filesystem (systemd-repart CopyFiles)'),
    ),
    minimize: Type.Optional(Type.Boolean()),
  },
  'a partition',
);

export const LogicalVolume = open(
  {
    name: Str(),
    mountpoint: Type.Optional(Str()),
    filesystem: Type.Optional(Str()),
    fsLabel: Type.Optional(Str()),
    size: Type.Optional(SizeRange),
    grow: Type.Optional(Type.Boolean()),
    encryption: Type.Optional(Encryption),
  },
  'an LVM logical volume',
);

export const VolumeGroup = open(
  {
    name: Str(),
    physicalVolumes: Type.Optional(StrList()),
    extentSize: Type.Optional(Bytes('physical extent size')),
    logicalVolumes: Type.Array(LogicalVolume),
  },
  'an LVM volume group',
);

export const RaidDevice = open(
  {
    name: Str(),
    level: Str('raid0, raid1, ...'),
    members: StrList(),
    mountpoint: Type.Optional(Str()),
    filesystem: Type.Optional(Str()),
    encryption: Type.Optional(Encryption),
  },
  'a software RAID device',
);

export const Storage = open(
  {
    partitionTable: Type.Optional(Type.Union([Type.Literal('gpt'), Type.Literal('dos')])),
    mode: Type.Optional(
      Type.Union(
        [
          Type.Literal('explicit'),
          Type.Literal('auto'),
          Type.Literal('auto-lvm'),
          Type.Literal('lvm'),
          Type.Literal('btrfs'),
          Type.Literal('raw'),
        ],
        {
          description:
            'explicit: the partitions below are the layout; auto*: the builder chooses, the lists add constraints',
        },
      ),
    ),
    size: Type.Optional(SizeRange),
    sectorSize: Type.Optional(Type.Integer({ minimum: 512 })),
    startOffset: Type.Optional(Bytes('offset of the first partition')),
    partitions: Type.Array(Partition),
    volumeGroups: Type.Array(VolumeGroup),
    raid: Type.Array(RaidDevice),
    mountpoints: Type.Array(
      open(
        { mountpoint: Str(), size: SizeRange },
        'a minimum size for a mountpoint, the layout left to the builder',
      ),
    ),
    clear: Type.Optional(
      open(
        {
          initLabel: Type.Optional(Type.Boolean()),
          scope: Type.Optional(
            Type.Union([
              Type.Literal('all'),
              Type.Literal('linux'),
              Type.Literal('none'),
              Type.Literal('list'),
            ]),
          ),
          drives: Type.Optional(StrList()),
          zeroMbr: Type.Optional(Type.Boolean()),
        },
        'installer: what to clear on the target disk',
      ),
    ),
    installationDevice: Type.Optional(Str()),
    encryption: Type.Optional(Encryption),
  },
  'disk layout',
);

export const Boot = open(
  {
    firmware: Type.Optional(Type.Union([Type.Literal('uefi'), Type.Literal('bios'), Type.Literal('hybrid')])),
    bootloader: Type.Optional(
      Type.Union([
        Type.Literal('systemd-boot'),
        Type.Literal('grub'),
        Type.Literal('uki'),
        Type.Literal('zipl'),
        Type.Literal('custom'),
        Type.Literal('none'),
      ]),
    ),
    timeout: Type.Optional(Type.Integer({ minimum: 0, description: 'menu timeout in seconds' })),
    console: Type.Optional(Str('serial/gfx console setup as the source wrote it')),
    uki: Type.Optional(Type.Boolean({ description: 'boot a unified kernel image' })),
    secureBoot: Type.Optional(
      open(
        {
          enabled: Type.Boolean(),
          key: Type.Optional(Str()),
          certificate: Type.Optional(Str()),
        },
        'secure boot signing',
      ),
    ),
    password: Type.Optional(Str('bootloader password (hash)')),
    menuEntry: Type.Optional(Str('title of the boot entry')),
  },
  'boot configuration',
);

export const OutputType = Type.Union(
  [
    Type.Literal('directory'),
    Type.Literal('tar'),
    Type.Literal('cpio'),
    Type.Literal('disk'),
    Type.Literal('esp'),
    Type.Literal('uki'),
    Type.Literal('iso'),
    Type.Literal('installer'),
    Type.Literal('pxe'),
    Type.Literal('oci'),
    Type.Literal('sysext'),
    Type.Literal('confext'),
    Type.Literal('portable'),
    Type.Literal('wsl'),
    Type.Literal('ostree-commit'),
    Type.Literal('ostree-disk'),
    Type.Literal('bootc-oci'),
  ],
  {
    description:
      'directory: a plain tree; tar/cpio: archives of the tree; disk: a partitioned disk image (see format); esp/uki: boot artefacts; iso: a live ISO; installer: an installer ISO; pxe: kernel+initrd+root for network boot; oci: container image; sysext/confext/portable: systemd extension images; wsl: a root file system archive for WSL; ostree-commit: a bootable OSTree commit of the tree; ostree-disk: a disk with that commit deployed; bootc-oci: an OCI image of the tree in the OSTree layout, labelled for bootc',
  },
);

export const ContainerConfig = open(
  {
    name: Type.Optional(Str()),
    tag: Type.Optional(Str()),
    additionalTags: Type.Optional(StrList()),
    maintainer: Type.Optional(Str()),
    user: Type.Optional(Str()),
    workingDir: Type.Optional(Str()),
    entrypoint: Type.Optional(StrList()),
    cmd: Type.Optional(StrList()),
    env: Type.Optional(Type.Record(Type.String(), Type.String())),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    exposedPorts: Type.Optional(StrList()),
    volumes: Type.Optional(StrList()),
    stopSignal: Type.Optional(Str()),
  },
  'OCI image configuration',
);

export const OstreeSettings = open(
  {
    ref: Type.Optional(Str('the ref the commit goes on (blueprint ostree.ref, kickstart --ref)')),
    parent: Type.Optional(Str('the commit the new one must follow (blueprint ostree.parent)')),
    url: Type.Optional(
      Str('the repository URL deployments upgrade from (blueprint ostree.url, kickstart --url)'),
    ),
    remote: Type.Optional(Str('the remote name for url (kickstart --remote)')),
    osName: Type.Optional(Str('the stateroot the commit is deployed in (kickstart --osname)')),
  },
  'OSTree commit and deployment settings of ostree-commit and ostree-disk outputs',
);

export const Output = open(
  {
    type: OutputType,
    name: Type.Optional(Str('file name stem')),
    format: Type.Optional(
      Str('container/file format: raw, qcow2, vmdk, vhdx, vhd, vdi, ova, gce, ami, tar.xz, ...'),
    ),
    compression: Type.Optional(Str('none, gzip, xz, zstd, ...')),
    filesystem: Type.Optional(Str('root filesystem of iso/pxe/sysext outputs: squashfs, erofs, ext4, ...')),
    volumeId: Type.Optional(Str('ISO volume id')),
    publisher: Type.Optional(Str()),
    application: Type.Optional(Str()),
    container: Type.Optional(ContainerConfig),
    ostree: Type.Optional(OstreeSettings),
  },
  'an artefact to produce',
);

export const Container = open(
  {
    source: Str('image reference'),
    name: Type.Optional(Str()),
    tlsVerify: Type.Optional(Type.Boolean()),
    localStorage: Type.Optional(Type.Boolean()),
  },
  'a container image embedded in the OS image',
);

export const Metadata = open(
  {
    name: Type.Optional(Str()),
    version: Type.Optional(Str()),
    description: Type.Optional(Str()),
    author: Type.Optional(Str()),
    contact: Type.Optional(Str()),
    license: Type.Optional(Str()),
  },
  'who made the definition and what it is',
);

/*
 * Extension data of the built-in formats is typed where its writer reads it, so that `validate`
 * refuses type-confused data at a position instead of a writer crashing on it. Objects stay open
 * (a newer imgc may keep more); blueprint data is any JSON, and its writer reports what TOML
 * cannot hold.
 */
const StrMap = (description?: string) =>
  Type.Record(Type.String(), Type.String(), description ? { description } : {});
const closed = <T extends Record<string, TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });
/** `x-imgc: as-written`: IR printers keep these keys in the order the reader made them. */
const ext = <T extends Record<string, TSchema>>(props: T, description: string) =>
  Type.Object(props, { additionalProperties: true, description, 'x-imgc': 'as-written' });

/** Kept XML elements nest without limit: one definition under the IR's `$defs`, referenced. */
const KIWI_ELEMENT_REF = '#/$defs/KiwiElement';
interface KiwiElementShape {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: KiwiElementShape[];
}
const KiwiElement = Type.Unsafe<KiwiElementShape>({ $ref: KIWI_ELEMENT_REF });
const KiwiElementDef = Type.Object(
  {
    name: Type.String(),
    attrs: Type.Optional(StrMap()),
    text: Type.Optional(Type.String()),
    children: Type.Optional(Type.Array(KiwiElement)),
  },
  { additionalProperties: false, description: 'an XML element kept as written' },
);

const kiwiScope = {
  attrs: Type.Optional(Type.Record(Type.String(), StrMap())),
  children: Type.Optional(Type.Record(Type.String(), Type.Array(KiwiElement))),
  sections: Type.Optional(Type.Array(KiwiElement)),
  selectedType: Type.Optional(Type.Integer({ minimum: 0 })),
  forcedRemove: Type.Optional(StrList()),
  typePackages: Type.Optional(Type.Array(closed({ type: Type.String(), names: StrList() }))),
};

export const KiwiExtensionSchema = ext(
  {
    ...kiwiScope,
    obs: Type.Optional(Type.Array(closed({ key: Type.String(), value: Type.String() }))),
    unsupported: Type.Optional(
      Type.Array(
        closed({
          in: Type.String(),
          reason: Type.String(),
          attribute: Type.Optional(closed({ name: Type.String(), value: Type.String() })),
          element: Type.Optional(KiwiElement),
        }),
      ),
    ),
  },
  'what only KIWI says',
);

const MkosiValue = Type.Union([Type.String(), Type.Boolean(), StrList(), StrMap()], {
  description: 'a setting value: text, yes/no, a list or a map',
});
const MkosiSettings = Type.Record(Type.String(), MkosiValue);

export const MkosiExtensionSchema = ext(
  {
    settings: Type.Optional(MkosiSettings),
    legacy: Type.Optional(
      Type.Array(closed({ name: Type.String(), section: Type.String(), value: Type.String() })),
    ),
    repositoryPaths: Type.Optional(StrList()),
    images: Type.Optional(Type.Array(closed({ name: Type.String(), settings: MkosiSettings }))),
    repart: Type.Optional(
      Type.Array(closed({ file: Type.String(), extra: Type.Record(Type.String(), StrList()) })),
    ),
    sysusers: Type.Optional(Type.Array(closed({ file: Type.String(), users: StrList(), groups: StrList() }))),
    builtinIncludes: Type.Optional(StrList()),
  },
  'what only mkosi says',
);

export const KickstartExtensionSchema = ext(
  {
    commands: Type.Optional(Type.Array(closed({ name: Type.String(), args: StrList() }))),
    sections: Type.Optional(
      Type.Array(closed({ name: Type.String(), args: StrList(), body: Type.String() })),
    ),
    options: Type.Optional(Type.Record(Type.String(), StrList())),
    refs: Type.Optional(StrMap()),
    installSource: Type.Optional(Type.String()),
    ntpDisabled: Type.Optional(Type.Boolean()),
  },
  'what only a kickstart says',
);

export const ContainerfileExtensionSchema = ext(
  {
    from: Type.Optional(Type.String()),
    platform: Type.Optional(Type.String()),
    globalArgs: Type.Optional(StrList()),
    env: Type.Optional(StrList()),
    labels: Type.Optional(StrMap()),
    stages: Type.Optional(StrList()),
    instructions: Type.Optional(StrList()),
    scriptFlags: Type.Optional(StrMap()),
    packageManager: Type.Optional(
      Type.Union([Type.Literal('dnf'), Type.Literal('apt'), Type.Literal('zypper'), Type.Literal('pacman')], {
        description: 'the package manager of the RUN lines, when the distribution would not give it back',
      }),
    ),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  'what only a Containerfile says',
);

/** Typed as a plain record: code reads each format's part through that format's own interface. */
export const Extensions = Type.Unsafe<Record<string, unknown>>(
  Type.Object(
    {
      kiwi: Type.Optional(KiwiExtensionSchema),
      mkosi: Type.Optional(MkosiExtensionSchema),
      kickstart: Type.Optional(KickstartExtensionSchema),
      containerfile: Type.Optional(ContainerfileExtensionSchema),
    },
    {
      additionalProperties: true,
      description:
        'per-format data keyed by format id (kiwi, mkosi, kickstart, blueprint, ...): what only that format can say',
      'x-imgc': 'as-written',
    },
  ),
);

export const SbomFormat = Type.Union([Type.Literal('spdx'), Type.Literal('cyclonedx')], {
  description: 'spdx: SPDX 2.3 JSON; cyclonedx: CycloneDX 1.6 JSON',
});
export const SbomFormats = Type.Array(SbomFormat, {
  description: 'software bills of materials the build writes beside the golden manifest',
});

/** The image fields a profile may contribute; merged into the image when the profile is active. */
const imageBody = {
  metadata: Type.Optional(Metadata),
  distribution: Distribution,
  repositories: Type.Array(Repository),
  packages: Packages,
  system: System,
  accounts: Accounts,
  files: Type.Array(FileEntry),
  directories: Type.Array(DirectoryEntry),
  symlinks: Type.Array(SymlinkEntry),
  overlays: Type.Array(Overlay),
  scripts: Type.Array(Script),
  storage: Type.Optional(Storage),
  boot: Type.Optional(Boot),
  outputs: Type.Array(Output),
  sbom: Type.Optional(SbomFormats),
  containers: Type.Array(Container),
  extensions: Extensions,
};

export const ProfileOverlay = Type.Partial(Type.Object(imageBody, { additionalProperties: false }), {
  description: 'what a profile adds: lists are appended, scalars replace',
});

export const Profile = open(
  {
    name: Str(),
    description: Type.Optional(Str()),
    default: Type.Optional(Type.Boolean({ description: 'active unless profiles are chosen explicitly' })),
    requires: Type.Optional(StrList('profiles that are activated with this one')),
    overlay: ProfileOverlay,
  },
  'a named variant of the image',
);

export const ImageIR = Type.Object(
  {
    irVersion: Type.Literal(IR_VERSION),
    ...imageBody,
    profiles: Type.Array(Profile),
    activeProfiles: StrList('profiles selected for this image; merge them with mergeProfiles()'),
  },
  {
    $id: 'https://imgc.dev/schemas/ir-v1.json',
    title: 'imgc Image IR v1',
    $defs: { KiwiElement: KiwiElementDef },
    additionalProperties: false,
    description: 'what an OS image should be, independent of any format or distribution tool',
  },
);

export type ImageIR = Static<typeof ImageIR>;
export type Distribution = Static<typeof Distribution>;
export type Repository = Static<typeof Repository>;
export type PackageRef = Static<typeof PackageRef>;
export type PackageGroup = Static<typeof PackageGroup>;
export type PackageModule = Static<typeof PackageModule>;
export type Packages = Static<typeof Packages>;
export type System = Static<typeof System>;
export type Firewall = Static<typeof Firewall>;
export type Kernel = Static<typeof Kernel>;
export type Initrd = Static<typeof Initrd>;
export type Password = Static<typeof Password>;
export type User = Static<typeof User>;
export type Group = Static<typeof Group>;
export type Accounts = Static<typeof Accounts>;
export type FileEntry = Static<typeof FileEntry>;
export type DirectoryEntry = Static<typeof DirectoryEntry>;
export type SymlinkEntry = Static<typeof SymlinkEntry>;
export type Overlay = Static<typeof Overlay>;
export type Script = Static<typeof Script>;
export type ScriptPhase = Static<typeof ScriptPhase>;
export type SizeRange = Static<typeof SizeRange>;
export type Partition = Static<typeof Partition>;
export type PartitionRole = Static<typeof PartitionRole>;
export type VolumeGroup = Static<typeof VolumeGroup>;
export type LogicalVolume = Static<typeof LogicalVolume>;
export type RaidDevice = Static<typeof RaidDevice>;
export type Storage = Static<typeof Storage>;
export type Boot = Static<typeof Boot>;
export type Output = Static<typeof Output>;
export type OutputType = Static<typeof OutputType>;

/** Every output type the IR knows, in the schema's order: the one list `--output` is checked against. */
export const OUTPUT_TYPES: readonly OutputType[] = OutputType.anyOf.map((literal) => literal.const);
export type ContainerConfig = Static<typeof ContainerConfig>;
export type Container = Static<typeof Container>;
export type Metadata = Static<typeof Metadata>;
export type Profile = Static<typeof Profile>;
export type ProfileOverlay = Static<typeof ProfileOverlay>;
