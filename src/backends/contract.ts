/**
 * The backend contract: what a distribution family provides to plan and build an image.
 * Built-in backends (src/backends/<id>/) implement exactly this interface; third-party
 * backend plugins will implement it too (in process, or behind the plugin bridge), so
 * nothing here may reach into imgc internals beyond the types it names.
 *
 * The planner (src/plan/planner.ts) owns the order of steps; a backend answers questions
 * (which release, which repositories, which packages) and runs the step types it owns.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import type { ImageIR, Initrd, PackageRef, Repository } from '../ir/schema.js';
import type { LockedPackage, RepositoryState } from '../plan/lock-file.js';
import type { PlanStep, StepDraft, StepType } from '../plan/steps.js';

export const BACKEND_API_VERSION = 1 as const;

/** Planning answers may come back later: a backend behind the plugin bridge answers over a pipe. */
export type Awaitable<T> = T | Promise<T>;

/** What the backend may learn about the build host. Injected so plans are testable. */
export interface HostFacts {
  /** kernel spelling: x86_64, aarch64 */
  architecture: string;
  /** a text file of the host, undefined when absent */
  readText(path: string): string | undefined;
  /** entries of a host folder, [] when absent */
  listDir(path: string): string[];
}

export interface ResolvedDistribution {
  /** os-release ID */
  id: string;
  /** the release as the user would name it (bookworm, 24.04) */
  release: string;
  /** the name the package tools use (bookworm, noble) */
  suite: string;
  /** package architecture (amd64, arm64) */
  architecture: string;
  versionId?: string;
}

export interface PlanInput {
  /** the effective IR (profiles merged) */
  ir: ImageIR;
  distribution: ResolvedDistribution;
  /** repositories to build from: the IR's, or the backend defaults */
  repositories: Repository[];
  /** every package the image needs, in IR order, the backend's own additions included */
  packages: string[];
  /** true when an output boots (a kernel, an initrd generator and a bootloader are needed) */
  bootable: boolean;
  /**
   * true when something must happen between bootstrap and package installation (skeleton
   * overlays, pre-packages scripts): bootstrap installs only `bootstrapPackages`, and a
   * second step installs `packages`
   */
  separateInstall: boolean;
  bootstrapPackages: string[];
  options: FormatOptions;
  /** folder of the definition; relative sources in the IR are resolved against it */
  sourceDir: string;
  host: HostFacts;
}

export interface Progress {
  /** one line of tool output, for the log */
  log(line: string): void;
  /** package counts while installing */
  packages(done: number, total?: number): void;
  /** a short note shown on the step's progress line */
  note(message: string): void;
}

/** A command runner that registers the child so it is stopped on Ctrl-C or failure. */
export interface Runner {
  run(
    command: string,
    args: readonly string[],
    options?: {
      env?: Record<string, string>;
      input?: string;
      cwd?: string;
      onLine?: (line: string) => void;
      /** run in a private mount namespace: whatever the command mounts is gone when it exits */
      privateMounts?: boolean;
    },
  ): Promise<{ stdout: string }>;
  /**
   * Runs `command` chrooted into `root` with /proc, /sys and /dev (and /dev/pts) bound,
   * inside a private mount namespace so the mounts cannot outlive the command.
   */
  chroot(
    root: string,
    command: readonly string[],
    options?: {
      env?: Record<string, string>;
      input?: string;
      onLine?: (line: string) => void;
      network?: boolean;
    },
  ): Promise<{ stdout: string }>;
}

export interface StepContext {
  /** the root tree being built */
  tree: string;
  /** scratch space for this step, removed afterwards */
  workDir: string;
  /** a package cache shared between builds, private to this backend */
  packageCache: string;
  /** where initrds are cached by what determines them; absent with --no-initrd-cache */
  initrdCache?: string;
  signal: AbortSignal;
  runner: Runner;
  progress: Progress;
  /** add a warning or note to the build report */
  report(diagnostic: Diagnostic): void;
}

/**
 * What `imgc packages --resolve` asks a backend to resolve: the plan's package steps merged
 * (bootstrap options, with the install step's packages and exclusions added).
 */
export interface PackageRequest {
  distribution?: string;
  suite?: string;
  architecture?: string;
  /** the bootstrap variant the backend planned (minbase, dnf, zypper, pacman, ...) */
  variant?: string;
  /** repository configuration in the backend's own syntax, as the plan holds it */
  sources?: string;
  packages: string[];
  exclude: string[];
  installRecommends?: boolean;
  settings?: Record<string, unknown>;
}

export interface ResolvedPackage {
  name: string;
  version: string;
  arch?: string;
  /** the repository or suite it comes from, as the resolver names it */
  from?: string;
}

export interface Resolution {
  /** the resolver that answered (apt-get, dnf, zypper, pacman) */
  tool: string;
  /** what was asked for: the plan's packages, plus the base set the family's bootstrap adds */
  requested: string[];
  packages: ResolvedPackage[];
  diagnostics: Diagnostic[];
}

/** What `imgc lock` asks for: the resolution with each package's download URL and digest. */
export interface LockResolution {
  tool: string;
  packages: LockedPackage[];
  /** the metadata of every repository taking part, with its timestamp */
  repositories: RepositoryState[];
  diagnostics: Diagnostic[];
}

export type { LockedPackage, RepositoryState };

export interface ResolveContext {
  /** a cache shared between runs (repository metadata), private to the resolving backend */
  cacheDir: string;
  signal?: AbortSignal;
}

export interface Backend {
  apiVersion: typeof BACKEND_API_VERSION;
  /** stable id, e.g. debian */
  id: string;
  name: string;
  /** os-release IDs this backend builds */
  distributions: readonly string[];
  /** release names it knows, per distribution, newest last */
  releases(distribution: string): readonly string[];

  /** release mapping: IR distribution (possibly partial) → what the tools need */
  resolveDistribution(
    ir: ImageIR,
    options: FormatOptions,
    host: HostFacts,
  ): Awaitable<{ distribution?: ResolvedDistribution; diagnostics: Diagnostic[] }>;

  /** repositories used when the IR names none */
  defaultRepositories(
    distribution: ResolvedDistribution,
    options: FormatOptions,
    host: HostFacts,
  ): Awaitable<{ repositories: Repository[]; diagnostics: Diagnostic[] }>;

  /** kernel package for bootable images */
  kernelPackages(distribution: ResolvedDistribution, ir: ImageIR): Awaitable<string[]>;
  /** packages providing the initrd generator */
  initrdPackages(initrd: Initrd | undefined): Awaitable<string[]>;
  /** packages providing the bootloader binaries the disk assembler copies */
  bootloaderPackages(ir: ImageIR): Awaitable<string[]>;
  /**
   * packages of the live boot stack (Debian: live-boot) that live ISO and PXE outputs need in
   * the image; absent = this backend cannot make live outputs
   */
  livePackages?(ir: ImageIR): Awaitable<string[]>;
  /**
   * packages that give the image ostree and ostree-prepare-root, for the OSTree outputs
   * (Debian: ostree, ostree-boot); absent = this backend cannot make them
   */
  ostreePackages?(ir: ImageIR): Awaitable<string[]>;
  /** packages the system fields need (locales for a locale, tzdata for a timezone, ...) */
  systemPackages(ir: ImageIR): Awaitable<string[]>;

  /** the bootstrap step, and the install step when `separateInstall` is set (then `install`) */
  planPackages(
    input: PlanInput,
  ): Awaitable<{ bootstrap: StepDraft; install?: StepDraft; diagnostics: Diagnostic[] }>;
  /** the step removing packages the IR lists under packages.remove */
  planRemove(packages: string[], origin: string[]): Awaitable<StepDraft>;

  /** repository types it builds from; IR repositories of other types are reported and skipped */
  repositoryTypes: readonly string[];
  /** how a package reference is spelled for its package manager (apt: name:arch=version) */
  packageSpec(p: PackageRef): string;
  /**
   * Warnings for the family-specific IR fields this backend does not apply (groups, modules,
   * SELinux, firewall, FIPS, repository usage); the planner adds none of its own for them.
   */
  unappliedFields(ir: ImageIR): Awaitable<Diagnostic[]>;
  /** host tools the build needs beyond the core's: command → the Debian package that provides it */
  hostTools: Readonly<Record<string, string>>;
  /**
   * Resolves a package request with the family's own resolver without installing anything and
   * without root (`imgc packages --resolve`); absent = this backend cannot resolve.
   */
  resolvePackages?(request: PackageRequest, context: ResolveContext): Promise<Resolution>;
  /**
   * Resolves as `resolvePackages` and adds, per package, the download URL, SHA-256 and size from
   * the repository metadata, plus each repository's metadata timestamp (`imgc lock`, every
   * build's `<name>.lock`, the check of `build --locked`); absent = this backend cannot lock.
   */
  lockPackages?(request: PackageRequest, context: ResolveContext): Promise<LockResolution>;
  /** releases what the backend holds (a plugin process); called when the registry is closed */
  close?(): Promise<void>;

  /** step types this backend runs; the core runs the rest */
  executes: readonly StepType[];
  execute(step: PlanStep, context: StepContext): Promise<void>;
}

/** A step failure that already knows its diagnostic (code, message, hint); throw it from `execute`. */
export class StepError extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    detail?: string,
  ) {
    super(detail ?? diagnostic.message);
  }
}
