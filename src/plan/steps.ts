/**
 * The build plan's step types. Each step is plain data: a type, its options (one schema per
 * type, published in schemas/plan/) and the ids of the steps it consumes. A step's id hashes
 * its type, options and input ids, so an unchanged prefix keeps its ids and is served from
 * the tree cache.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Boot, Storage } from '../ir/schema.js';

const Str = (description?: string) => Type.String(description ? { description } : {});
const StrList = (description?: string) => Type.Array(Type.String(), description ? { description } : {});
const closed = <T extends Record<string, TSchema>>(props: T, description: string) =>
  Type.Object(props, { additionalProperties: false, description });
const Owner = Type.Union([Type.String(), Type.Integer({ minimum: 0 })]);

/**
 * What only one package manager needs (dnf module streams, the rpm database path, pacman's
 * SigLevel): the backend that planned the step defines and reads it. `sources` then holds
 * that family's repository configuration text (deb822, .repo, pacman.conf sections).
 */
const FamilySettings = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Boolean(), Type.Integer(), Type.Array(Type.String())]),
  { description: 'package-manager specific settings, defined by the backend that planned the step' },
);

export const BootstrapOptions = closed(
  {
    distribution: Str('os-release ID of the image: debian, fedora, opensuse-tumbleweed, arch, ...'),
    suite: Str('release code name handed to the bootstrapper'),
    architecture: Str('package architecture, e.g. amd64'),
    variant: Str(
      "the package set the backend starts from, in its own terms (mmdebstrap's minbase, important, ...)",
    ),
    sources: Str(
      "the repositories the tree is built from, in the family's format (deb822, .repo, pacman.conf)",
    ),
    keyrings: StrList('keyring files the package manager trusts while bootstrapping'),
    packages: StrList('packages installed by this step'),
    exclude: StrList('packages the package manager must never install'),
    installRecommends: Type.Boolean(),
    installDocs: Type.Boolean(),
    languages: StrList('translations kept under /usr/share/locale; empty = all'),
    settings: Type.Optional(FamilySettings),
  },
  'create a root tree from nothing and install packages into it',
);

export const InstallPackagesOptions = closed(
  {
    packages: StrList(),
    exclude: StrList('packages held back from installation'),
    installRecommends: Type.Boolean(),
    deferInitrd: Type.Optional(
      Type.Boolean({
        description:
          'a later make-initrd step makes the initrd: the package scripts do not (Debian: update-initramfs is a no-op during the install)',
      }),
    ),
    settings: Type.Optional(FamilySettings),
  },
  'install packages into an existing tree with the distribution package manager',
);

export const RemovePackagesOptions = closed(
  { packages: StrList(), settings: Type.Optional(FamilySettings) },
  'remove packages from the tree',
);

export const ConfigureSystemOptions = closed(
  {
    hostname: Type.Optional(Str()),
    locale: Type.Optional(Str()),
    extraLocales: StrList(),
    keymap: Type.Optional(Str()),
    timezone: Type.Optional(Str()),
    utc: Type.Optional(Type.Boolean()),
    machineId: Type.Optional(Str()),
    kernelCmdline: StrList(),
    rootShell: Type.Optional(Str()),
    ntpServers: StrList(),
    caCertificates: StrList(),
  },
  'hostname, locale, keymap, timezone, machine id, kernel command line',
);

const PasswordSpec = closed(
  {
    hash: Type.Optional(Str()),
    plain: Type.Optional(Str()),
    locked: Type.Optional(Type.Boolean()),
    empty: Type.Optional(Type.Boolean()),
    forceChange: Type.Optional(Type.Boolean()),
  },
  'a password',
);

export const ConfigureAccountsOptions = closed(
  {
    groups: Type.Array(
      closed(
        { name: Str(), gid: Type.Optional(Type.Integer()), system: Type.Optional(Type.Boolean()) },
        'a group',
      ),
    ),
    users: Type.Array(
      closed(
        {
          name: Str(),
          uid: Type.Optional(Type.Integer()),
          gid: Type.Optional(Type.Integer()),
          primaryGroup: Type.Optional(Str()),
          groups: StrList(),
          description: Type.Optional(Str()),
          home: Type.Optional(Str()),
          shell: Type.Optional(Str()),
          system: Type.Optional(Type.Boolean()),
          expireDate: Type.Optional(Type.Integer()),
          password: Type.Optional(PasswordSpec),
          sshKeys: StrList(),
        },
        'a user',
      ),
    ),
    root: Type.Optional(
      closed(
        { password: Type.Optional(PasswordSpec), sshKeys: StrList(), shell: Type.Optional(Str()) },
        'root',
      ),
    ),
  },
  'groups, users, passwords and SSH keys',
);

export const ConfigureServicesOptions = closed(
  { enable: StrList(), disable: StrList(), mask: StrList() },
  'systemd units enabled, disabled and masked',
);

export const WriteFilesOptions = closed(
  {
    entries: Type.Array(
      closed(
        {
          kind: Type.Union([
            Type.Literal('file'),
            Type.Literal('directory'),
            Type.Literal('symlink'),
            Type.Literal('overlay'),
            Type.Literal('archive'),
          ]),
          path: Str('destination in the image'),
          content: Type.Optional(Str('inline content, base64')),
          source: Type.Optional(Str('absolute host path to copy from')),
          digest: Type.Optional(Str('sha256 of the source contents (a whole tree for overlays)')),
          target: Type.Optional(Str('symlink target')),
          mode: Type.Optional(Str()),
          user: Type.Optional(Owner),
          group: Type.Optional(Owner),
        },
        'one thing written into the tree',
      ),
    ),
  },
  'files, directories, symlinks and overlay trees copied into the tree',
);

const OnError = Type.Union([Type.Literal('fail'), Type.Literal('ignore')]);
const ScriptLog = Type.Optional(
  Str('file the script output is appended to (in the image for chroot scripts, else on the host)'),
);

const KiwiEnv = Type.Optional(
  closed(
    {
      variables: Type.Record(Type.String(), Type.String(), {
        description: 'the kiwi_* variables of /.profile',
      }),
      kconfigDigest: Str('sha256 of the /.kconfig text, so that a change of the helpers is a new step'),
    },
    "KIWI's script environment: /.kconfig and /.profile in the tree while the script runs, the variables in its environment",
  ),
);

export const RunScriptOptions = closed(
  {
    name: Str(),
    phase: Str(),
    chroot: Type.Boolean(),
    interpreter: Str(),
    body: Str('the script text'),
    onError: OnError,
    network: Type.Boolean(),
    log: ScriptLog,
    kiwiEnv: KiwiEnv,
  },
  'run a script of the definition in the tree (chroot with /proc, /sys, /dev) or on the host',
);

export const FirstBootScriptOptions = closed(
  {
    name: Str(),
    interpreter: Str('the interpreter in the image that runs the script'),
    body: Str('the script text'),
    onError: OnError,
    network: Type.Boolean({ description: 'order the unit after network-online.target' }),
    log: Type.Optional(Str('file in the image the output is appended to; absent = journal and console')),
    unit: Str('the systemd unit written to /etc/systemd/system and wanted by multi-user.target'),
    path: Str('where the script is installed in the image'),
    after: StrList('first-boot units of earlier scripts; this one starts after them'),
  },
  'install a script and a oneshot systemd unit that runs it once, on the first boot of the image',
);

export const DiskScriptOptions = closed(
  {
    name: Str(),
    phase: Type.Union([Type.Literal('pre-disk'), Type.Literal('disk')]),
    chroot: Type.Boolean(),
    interpreter: Str(),
    body: Str('the script text'),
    onError: OnError,
    network: Type.Boolean(),
    log: ScriptLog,
    kiwiEnv: KiwiEnv,
  },
  'a script run while a disk image is assembled: pre-disk before the layout is computed, disk once the partition table exists (chroot: before the filesystems are written from the tree; host: on the complete raw image)',
);

export const PostOutputScriptOptions = closed(
  {
    name: Str(),
    interpreter: Str(),
    body: Str('the script text'),
    onError: OnError,
    log: ScriptLog,
  },
  'a script run on the host after every output has been written, with the output folder and files in its environment',
);

export const ErrorScriptOptions = closed(
  {
    name: Str(),
    phase: Type.Union([Type.Literal('on-error'), Type.Literal('traceback')]),
    chroot: Type.Boolean(),
    interpreter: Str(),
    body: Str('the script text'),
    log: ScriptLog,
  },
  'a script run only when the build fails (not when it is interrupted), before the workspace is removed; its own failure is a warning',
);

export const CleanScriptOptions = closed(
  {
    name: Str(),
    interpreter: Str(),
    body: Str('the script text'),
    onError: OnError,
    log: ScriptLog,
  },
  'a script run on the host by `imgc clean` after the outputs are removed',
);

const ReproducibleEpoch = Type.Optional(
  Type.Integer({
    minimum: 0,
    description:
      "reproducible build (SOURCE_DATE_EPOCH or --reproducible): every time written is this, ids derive from the step's hash; absent = current times, random ids",
  }),
);

export const FinalizeOptions = closed(
  {
    cleanPackageCache: Type.Boolean(),
    resetMachineId: Type.Boolean(),
    sourceDateEpoch: ReproducibleEpoch,
  },
  'last touches: drop caches and logs, reset machine-id; in a reproducible build also remove the build noise and clamp mtimes',
);

export const OutputDirectoryOptions = closed(
  { name: Str('folder name in the output dir') },
  'copy the tree out',
);

export const OutputTarOptions = closed(
  {
    name: Str('file name in the output dir'),
    compression: Type.Union([
      Type.Literal('none'),
      Type.Literal('gzip'),
      Type.Literal('zstd'),
      Type.Literal('xz'),
    ]),
    sourceDateEpoch: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'mtimes are clamped to this (SOURCE_DATE_EPOCH); absent = kept',
      }),
    ),
  },
  'a deterministic tar archive: sorted names, owners root/0, mtimes clamped',
);

export const AssembleDiskOptions = closed(
  {
    name: Str('file name in the output dir'),
    format: Type.Union([
      Type.Literal('raw'),
      Type.Literal('qcow2'),
      Type.Literal('vmdk'),
      Type.Literal('vhdx'),
      Type.Literal('vhd'),
    ]),
    storage: Type.Optional(Storage),
    boot: Type.Optional(Boot),
    cmdline: StrList(),
    os: closed(
      { id: Str(), versionId: Type.Optional(Str()), prettyName: Type.Optional(Str()) },
      'os-release facts for boot entries',
    ),
    sourceDateEpoch: ReproducibleEpoch,
  },
  'a partitioned, bootable disk image made from the tree',
);

const Compression = Type.Union([
  Type.Literal('none'),
  Type.Literal('gzip'),
  Type.Literal('zstd'),
  Type.Literal('xz'),
]);
const OsFacts = closed(
  { id: Str(), versionId: Type.Optional(Str()), prettyName: Type.Optional(Str()) },
  'os-release facts',
);
const ImageFilesystem = Type.Union([Type.Literal('squashfs'), Type.Literal('erofs')]);

export const MakeInitrdOptions = closed(
  {
    generator: Type.Union([Type.Literal('initramfs-tools'), Type.Literal('dracut')]),
    compression: Type.Union([Type.Literal('zstd'), Type.Literal('xz'), Type.Literal('gzip')]),
    modules: StrList('dracut modules added (initramfs-tools: ignored)'),
    omitModules: StrList('dracut modules left out'),
    drivers: StrList('kernel drivers added'),
    profile: Type.Optional(
      Type.Literal('vm', {
        description: 'only the drivers listed in vmDrivers (initramfs-tools MODULES=list, dracut drivers=)',
      }),
    ),
    vmDrivers: Type.Optional(StrList('the kernel modules the vm profile puts in the initrd')),
    sourceDateEpoch: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  "regenerate the image's own initrd with its generator, compressed as asked, reproducibly",
);

export const OutputCpioOptions = closed(
  {
    name: Str('file name in the output dir'),
    compression: Compression,
    sourceDateEpoch: Type.Optional(Type.Integer({ minimum: 0, description: 'every mtime; absent = 0' })),
  },
  'the tree as a deterministic newc cpio archive (an initrd): sorted, owners 0, fixed mtimes',
);

const UkiFields = {
  cmdline: StrList('kernel command line embedded in the UKI'),
  os: OsFacts,
  signCommand: Type.Optional(Str('shell command run with the UKI path as $1; it signs the file in place')),
  sourceDateEpoch: ReproducibleEpoch,
};

export const AssembleUkiOptions = closed(
  { name: Str('file name in the output dir'), ...UkiFields },
  'a unified kernel image: systemd-stub + kernel + initrd + command line + os-release (objcopy)',
);

export const AssembleEspOptions = closed(
  { name: Str('file name in the output dir'), ...UkiFields },
  'a GPT disk image holding only an ESP with the UKI as the removable-media boot file',
);

export const AssembleIsoOptions = closed(
  {
    name: Str('file name in the output dir'),
    cmdline: StrList('kernel command line (boot=live is added)'),
    volumeId: Str(),
    publisher: Type.Optional(Str()),
    application: Type.Optional(Str()),
    filesystem: ImageFilesystem,
    bios: Type.Boolean({ description: 'also boot on BIOS through ISOLINUX' }),
    os: OsFacts,
    sourceDateEpoch: ReproducibleEpoch,
  },
  'a hybrid live ISO (xorriso): squashfs root, kernel, initrd with live-boot, GRUB for UEFI, ISOLINUX for BIOS',
);

export const AssemblePxeOptions = closed(
  {
    name: Str('folder name in the output dir'),
    cmdline: StrList('kernel command line (boot=live, fetch= and ip=dhcp are added)'),
    baseUrl: Str('the HTTP URL the bundle folder is served from'),
    filesystem: ImageFilesystem,
    sourceDateEpoch: ReproducibleEpoch,
  },
  'a network boot bundle: kernel, initrd, root image, iPXE script and kernel command line file',
);

export const OutputOciOptions = closed(
  {
    name: Str('folder name of the OCI image layout; the archive gets .tar appended'),
    architecture: Str('OCI architecture: amd64, arm64, ...'),
    tag: Str('org.opencontainers.image.ref.name of the manifest'),
    config: closed(
      {
        user: Type.Optional(Str()),
        workingDir: Type.Optional(Str()),
        entrypoint: Type.Optional(StrList()),
        cmd: Type.Optional(StrList()),
        env: StrList('KEY=value'),
        labels: Type.Record(Type.String(), Type.String()),
        exposedPorts: StrList(),
        volumes: StrList(),
        stopSignal: Type.Optional(Str()),
      },
      'the image config (OCI image-spec config.config)',
    ),
    sourceDateEpoch: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  'an OCI image layout with one layer made from the tree, and its tar archive',
);

export const OutputExtensionOptions = closed(
  {
    name: Str('file name in the output dir'),
    kind: Type.Union([Type.Literal('sysext'), Type.Literal('confext'), Type.Literal('portable')]),
    filesystem: ImageFilesystem,
    extensionName: Str('the name in extension-release.<name>'),
    os: OsFacts,
    architecture: Str('systemd architecture name: x86-64, arm64, ...'),
    sourceDateEpoch: ReproducibleEpoch,
  },
  'a systemd system/configuration extension or portable service image (squashfs or erofs)',
);

const OstreeCommitFields = {
  ref: Str('the OSTree ref the commit goes on'),
  subject: Str('the commit subject'),
  timestamp: Type.Integer({
    minimum: 0,
    description: 'commit timestamp: SOURCE_DATE_EPOCH, else the planning time',
  }),
  parent: Type.Optional(Str('the commit that must be the head of the ref')),
  metadata: Type.Record(Type.String(), Type.String(), { description: 'commit metadata strings' }),
};

export const OutputOstreeOptions = closed(
  {
    name: Str('the new archive repository, or the commit record when repo is given'),
    repo: Type.Optional(Str('an existing repository to commit into (--ostree-repo)')),
    ...OstreeCommitFields,
  },
  'a bootable OSTree commit of the tree in the OSTree layout',
);

export const AssembleOstreeDiskOptions = closed(
  {
    name: Str('file name of the raw disk image'),
    osName: Str('the OSTree stateroot (os) the commit is deployed in'),
    kargs: StrList('kernel arguments of the deployment'),
    remote: Type.Optional(closed({ name: Str(), url: Str() }, 'the remote the deployment upgrades from')),
    upgradeFrom: Type.Optional(
      Str('an ostree-disk image to deploy into (a copy of it), keeping its deployment as rollback'),
    ),
    timeout: Type.Integer({ minimum: 0, description: 'systemd-boot menu timeout (seconds)' }),
    ...OstreeCommitFields,
  },
  'a GPT disk with an ESP and an OSTree sysroot with the commit deployed',
);

export const stepOptionSchemas = {
  bootstrap: BootstrapOptions,
  'install-packages': InstallPackagesOptions,
  'remove-packages': RemovePackagesOptions,
  'configure-system': ConfigureSystemOptions,
  'configure-accounts': ConfigureAccountsOptions,
  'configure-services': ConfigureServicesOptions,
  'write-files': WriteFilesOptions,
  'run-script': RunScriptOptions,
  'first-boot-script': FirstBootScriptOptions,
  finalize: FinalizeOptions,
  'output-directory': OutputDirectoryOptions,
  'output-tar': OutputTarOptions,
  'assemble-disk': AssembleDiskOptions,
  'make-initrd': MakeInitrdOptions,
  'output-cpio': OutputCpioOptions,
  'assemble-uki': AssembleUkiOptions,
  'assemble-esp': AssembleEspOptions,
  'assemble-iso': AssembleIsoOptions,
  'assemble-pxe': AssemblePxeOptions,
  'output-oci': OutputOciOptions,
  'output-bootc-oci': OutputOciOptions,
  'output-ostree': OutputOstreeOptions,
  'assemble-ostree-disk': AssembleOstreeDiskOptions,
  'output-extension': OutputExtensionOptions,
  'disk-script': DiskScriptOptions,
  'post-output-script': PostOutputScriptOptions,
  'error-script': ErrorScriptOptions,
  'clean-script': CleanScriptOptions,
} as const;

export type StepType = keyof typeof stepOptionSchemas;
export const stepTypes = Object.keys(stepOptionSchemas) as StepType[];

export type StepOptions<T extends StepType> = Static<(typeof stepOptionSchemas)[T]>;

/** The steps a package manager runs. */
export const PACKAGE_STEP_TYPES = ['bootstrap', 'install-packages', 'remove-packages'] as const;

/** The steps that apply the IR's system, account and service fields to the tree. */
export const CONFIGURE_STEP_TYPES = ['configure-system', 'configure-accounts', 'configure-services'] as const;

/** Steps that change the root tree; the rest read it and produce an artifact. */
export const treeStepTypes: ReadonlySet<StepType> = new Set<StepType>([
  ...PACKAGE_STEP_TYPES,
  ...CONFIGURE_STEP_TYPES,
  'write-files',
  'run-script',
  'first-boot-script',
  'finalize',
  'make-initrd',
]);

/**
 * Script steps that are not outputs: `disk-script` runs inside the assembly of the disk
 * output it is chained to, `post-output-script` after every output, `error-script` only
 * when the build fails, `clean-script` only in `imgc clean`.
 */
export const scriptStepTypes: ReadonlySet<StepType> = new Set([
  'disk-script',
  'post-output-script',
  'error-script',
  'clean-script',
]);

export const PlanStep = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'hash of type, options and input ids' }),
    type: Type.Union(stepTypes.map((t) => Type.Literal(t))),
    title: Str('one line for progress output'),
    executor: Str('who runs it: "core" or "backend:<id>"'),
    inputs: StrList('ids of the steps this one consumes'),
    after: Type.Optional(
      StrList(
        'ids of steps that must finish before this one starts though it does not consume what they make: they read the tree this one changes or moves away',
      ),
    ),
    options: Type.Record(Type.String(), Type.Unknown(), {
      description: 'validated by the schema of the step type',
    }),
    origin: StrList('JSON Pointers into the IR of the fields that asked for this step'),
    cache: Type.Boolean({ description: 'the tree after this step is kept in the tree cache' }),
  },
  { additionalProperties: false, description: 'one step of a build plan' },
);

export const BuildPlan = Type.Object(
  {
    planVersion: Type.Literal(1),
    backend: Str(),
    distribution: closed(
      { id: Str(), release: Str(), suite: Str(), architecture: Str(), versionId: Type.Optional(Str()) },
      'what the backend resolved the IR distribution to',
    ),
    outputs: StrList(),
    sbom: Type.Optional(
      Type.Array(Type.Union([Type.Literal('spdx'), Type.Literal('cyclonedx')]), {
        description: 'SBOMs written beside the golden manifest (the IR sbom field and --sbom)',
      }),
    ),
    steps: Type.Array(PlanStep),
  },
  {
    $id: 'https://imgc.dev/schemas/plan-v1.json',
    title: 'imgc build plan v1',
    additionalProperties: false,
    description: 'typed steps that turn an image IR into outputs',
  },
);

type StepFields = Omit<Static<typeof PlanStep>, 'type' | 'options'>;

/** Every step this one waits for: what it consumes and what must be done with the tree first. */
export function dependenciesOf(step: Pick<StepFields, 'inputs' | 'after'>): string[] {
  return [...step.inputs, ...(step.after ?? [])];
}

/**
 * One step; `PlanStep` alone is the union over every step type, tagged by `type`, so that
 * checking the type gives the options of that type (the JSON schema above stays one object
 * whose options each type's schema validates).
 */
type StepOfType = { [K in StepType]: StepFields & { type: K; options: StepOptions<K> } };
export type PlanStep<T extends StepType = StepType> = StepOfType[T];

export type BuildPlan = Omit<Static<typeof BuildPlan>, 'steps'> & { steps: PlanStep[] };

/** A step before it gets its id: what a backend or the planner contributes. */
export type StepDraft<T extends StepType = StepType> = {
  [K in T]: {
    type: K;
    title: string;
    options: StepOptions<K>;
    origin: string[];
    executor?: string;
    cache?: boolean;
  };
}[T];

/** Whether a step is of one of the given types, narrowing it to them. */
export function isStepOf<T extends StepType>(step: PlanStep, types: ReadonlySet<T>): step is PlanStep<T> {
  return (types as ReadonlySet<StepType>).has(step.type);
}

/** A filter predicate for steps of one type: `steps.filter(ofType('disk-script'))`. */
export function ofType<T extends StepType>(type: T): (step: PlanStep) => step is PlanStep<T> {
  return (step): step is PlanStep<T> => step.type === type;
}

/** The file or folder name an output step writes in the output folder; undefined for other steps. */
export function outputNameOf(step: PlanStep): string | undefined {
  if (treeStepTypes.has(step.type) || scriptStepTypes.has(step.type)) return undefined;
  return 'name' in step.options && typeof step.options.name === 'string' ? step.options.name : undefined;
}
