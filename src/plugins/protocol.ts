/**
 * The backend plugin protocol: JSON-RPC 2.0, one message per line on the plugin's stdin and
 * stdout (stderr is the plugin's log). Every method's parameters and result, as TypeBox
 * schemas published in schemas/plugin-protocol.schema.json for plugin authors.
 *
 * Order: initialize → describe → (resolveDistribution, defaultRepositories, kernelPackages,
 * initrdPackages, bootloaderPackages, systemPackages, unappliedFields, plan, planRemove)
 * → execute… → shutdown; `resolvePackages` (optional) after describe, for `imgc packages --resolve`; `lockPackages` (optional), for `imgc lock` and the lock of every build. During execute the plugin sends `progress` and `diagnostic`
 * notifications; the host may send `cancel` at any time, then stops the process.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { LockedPackage, RepositoryState } from '../plan/lock-file.js';

const Json = Type.Unknown({ description: 'JSON as defined by the IR / plan schemas' });
const Diagnostic = Type.Object(
  {
    code: Type.String(),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
    message: Type.String(),
    hint: Type.Optional(Type.String()),
    pointer: Type.Optional(
      Type.String({ description: 'JSON Pointer into the IR; the host adds file:line:column' }),
    ),
  },
  { description: 'a diagnostic (see docs/diagnostics.md)' },
);
const Diagnostics = Type.Array(Diagnostic);
const Distribution = Type.Object({
  id: Type.String(),
  release: Type.String(),
  suite: Type.String(),
  architecture: Type.String(),
  versionId: Type.Optional(Type.String()),
});
const HostInfo = Type.Object({ architecture: Type.String() }, { description: 'the build host' });
const StepDraft = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the step type schema in schemas/plan/',
    }),
    origin: Type.Array(Type.String()),
    cache: Type.Optional(Type.Boolean()),
  },
  { description: 'a step before the host gives it its id' },
);
const StrList = Type.Array(Type.String());

/** resolvePackages and lockPackages are asked alike: the plan's package steps merged, and a cache. */
const ResolveParams = Type.Object({
  request: Type.Object(
    {
      distribution: Type.Optional(Type.String()),
      suite: Type.Optional(Type.String()),
      architecture: Type.Optional(Type.String()),
      variant: Type.Optional(Type.String()),
      sources: Type.Optional(Type.String()),
      packages: StrList,
      exclude: StrList,
      installRecommends: Type.Optional(Type.Boolean()),
      settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    },
    { description: "the plan's package steps merged (the contract's PackageRequest)" },
  ),
  context: Type.Object({
    cacheDir: Type.String({ description: 'a cache kept between runs, for repository metadata' }),
  }),
});

const method = (params: TSchema, result: TSchema, description: string) =>
  Type.Object({ params, result }, { description });

export const protocolMethods = {
  initialize: method(
    Type.Object({
      apiVersion: Type.Integer({ description: 'the newest API version the host speaks' }),
      supportedApiVersions: Type.Array(Type.Integer()),
      host: Type.Object({ name: Type.Literal('imgc'), version: Type.String() }),
    }),
    Type.Object({ apiVersion: Type.Integer(), name: Type.String(), version: Type.Optional(Type.String()) }),
    'handshake: the host refuses an apiVersion it does not speak (IMGC8002)',
  ),
  describe: method(
    Type.Object({}),
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      distributions: StrList,
      releases: Type.Record(Type.String(), StrList),
      executes: StrList,
      repositoryTypes: Type.Optional(StrList),
      hostTools: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
    'what the backend builds and which step types it runs',
  ),
  resolveDistribution: method(
    Type.Object({ ir: Json, options: Type.Record(Type.String(), Type.Unknown()), host: HostInfo }),
    Type.Object({ distribution: Type.Optional(Distribution), diagnostics: Diagnostics }),
    'the IR distribution → what the tools need',
  ),
  defaultRepositories: method(
    Type.Object({
      distribution: Distribution,
      options: Type.Record(Type.String(), Type.Unknown()),
      host: HostInfo,
    }),
    Type.Object({ repositories: Type.Array(Json), diagnostics: Diagnostics }),
    'repositories used when the IR names none',
  ),
  kernelPackages: method(Type.Object({ distribution: Distribution, ir: Json }), StrList, 'kernel packages'),
  initrdPackages: method(Type.Object({ initrd: Type.Optional(Json) }), StrList, 'initrd generator packages'),
  bootloaderPackages: method(Type.Object({ ir: Json }), StrList, 'bootloader packages'),
  systemPackages: method(Type.Object({ ir: Json }), StrList, 'packages the system fields need'),
  unappliedFields: method(
    Type.Object({ ir: Json }),
    Diagnostics,
    'optional: warnings for the IR fields the backend does not apply (method not found = the default warnings)',
  ),
  plan: method(
    Type.Object({
      input: Type.Object({
        ir: Json,
        distribution: Distribution,
        repositories: Type.Array(Json),
        packages: StrList,
        bootstrapPackages: StrList,
        bootable: Type.Boolean(),
        separateInstall: Type.Boolean(),
        options: Type.Record(Type.String(), Type.Unknown()),
        sourceDir: Type.String(),
        host: HostInfo,
      }),
    }),
    Type.Object({ bootstrap: StepDraft, install: Type.Optional(StepDraft), diagnostics: Diagnostics }),
    'the package steps',
  ),
  planRemove: method(
    Type.Object({ packages: StrList, origin: StrList }),
    StepDraft,
    'the remove-packages step',
  ),
  resolvePackages: method(
    ResolveParams,
    Type.Object({
      tool: Type.String(),
      requested: StrList,
      packages: Type.Array(
        Type.Object({
          name: Type.String(),
          version: Type.String(),
          arch: Type.Optional(Type.String()),
          from: Type.Optional(Type.String()),
        }),
      ),
      diagnostics: Diagnostics,
    }),
    'optional: resolve the package set without installing (imgc packages --resolve); method not found = IMGC7052',
  ),
  lockPackages: method(
    ResolveParams,
    Type.Object({
      tool: Type.String(),
      packages: Type.Array(LockedPackage),
      repositories: Type.Array(RepositoryState),
      diagnostics: Diagnostics,
    }),
    "optional: resolve as resolvePackages with each package's URL, sha256 and size and each repository's metadata time (imgc lock, build --locked); method not found = IMGC7732",
  ),
  execute: method(
    Type.Object({
      step: Type.Object(
        {
          id: Type.String(),
          type: Type.String(),
          title: Type.String(),
          options: Type.Record(Type.String(), Type.Unknown()),
        },
        { description: 'a plan step (schemas/plan/)' },
      ),
      context: Type.Object({
        tree: Type.String({ description: 'the root tree being built' }),
        workDir: Type.String({ description: 'scratch space for this step' }),
        packageCache: Type.String({ description: 'package cache kept between builds' }),
      }),
    }),
    Type.Null(),
    'run one step; an error answer fails the build (data.diagnostic is shown when given)',
  ),
  shutdown: method(Type.Object({}), Type.Null(), 'exit now'),
};

export const protocolNotifications = {
  progress: Type.Object(
    {
      log: Type.Optional(Type.String({ description: 'a line for the build log' })),
      note: Type.Optional(Type.String({ description: 'a short note for the progress line' })),
      packages: Type.Optional(Type.Object({ done: Type.Integer(), total: Type.Optional(Type.Integer()) })),
    },
    { description: 'plugin → host, during execute' },
  ),
  diagnostic: Type.Object(
    { diagnostic: Diagnostic },
    { description: 'plugin → host: a warning or note for the report' },
  ),
  cancel: Type.Object({ reason: Type.String() }, { description: 'host → plugin: stop the running step' }),
};

export const PluginProtocol = Type.Object(
  {
    methods: Type.Object(protocolMethods),
    notifications: Type.Object(protocolNotifications),
  },
  {
    $id: 'https://imgc.dev/schemas/plugin-protocol.json',
    title: 'imgc backend plugin protocol (JSON-RPC 2.0 over newline-delimited JSON on stdio)',
    description:
      'methods.<name>.params / .result describe each request; notifications.<name> each notification',
  },
);
