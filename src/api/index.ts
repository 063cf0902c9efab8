/**
 * imgc as a library: read, write, translate, diff, plan and build OS image definitions from
 * JavaScript or TypeScript. Every function returns diagnostics as data (never prints, never
 * exits); the CLI is one consumer of these same layers.
 *
 * ```ts
 * import { read, translate } from 'imgc';
 * const { ir, diagnostics } = await read('image.kiwi');
 * const { files } = await translate('image.kiwi', { to: 'mkosi' });
 * ```
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BackendRegistry } from '../backends/registry.js';
import { defaultCacheDir, preparePlan } from '../cli/plan.js';
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { executeBuild } from '../exec/executor.js';
import type { EventSink } from '../exec/progress.js';
import type { FormatModule, FormatOptions, OutputFile } from '../formats/contract.js';
import { loadDefinition } from '../formats/load.js';
import { FormatRegistry } from '../formats/registry.js';
import { translateIr } from '../formats/translate.js';
import { writeOutputFiles } from '../formats/write-files.js';
import { diffIr, type IrChange } from '../ir/diff.js';
import type { PositionTable } from '../ir/positions.js';
import { mergeProfiles } from '../ir/profiles.js';
import type { ImageIR } from '../ir/schema.js';
import { validateIr } from '../ir/validate.js';
import type { BuildPlan } from '../plan/steps.js';

export { renderDiagnostics } from '../diagnostics/render.js';
export type { Diagnostic, Location, Severity } from '../diagnostics/types.js';
export { hasErrors } from '../diagnostics/types.js';
export type { BuildEvent, EventSink } from '../exec/progress.js';
export type {
  DetectCandidate,
  FormatModule,
  FormatOptions,
  FormatReader,
  FormatWriter,
  OutputFile,
} from '../formats/contract.js';
export type { DiffArea, FieldChange, IrChange } from '../ir/diff.js';
export type { PositionTable, SourcePosition } from '../ir/positions.js';
export { mergeProfiles } from '../ir/profiles.js';
export type * from '../ir/schema.js';
export { IR_VERSION } from '../ir/schema.js';
export { type Summary, summarize } from '../ir/summary.js';
export type { BuildPlan, PlanStep } from '../plan/steps.js';
export { FormatRegistry };

/** How a definition is read; every field is optional. */
export interface ReadOptions {
  /** format id (`kiwi`, `mkosi`, `kickstart`, `blueprint`, `blueprint-json`, `containerfile`, `ir`); detected when absent */
  from?: string;
  /** profiles to activate (the format's own defaults apply when empty) */
  profiles?: string[];
  /** `id[:release]`: wins over what the definition says or implies, as `--distro` */
  distro?: string;
  arch?: string;
  /** format-specific settings, the CLI's `-O key=value` and named format flags (`ksVersion`, `host`, `kiwiType`) */
  options?: FormatOptions;
  /** a registry with plugin formats added; the built-in formats otherwise */
  registry?: FormatRegistry;
}

export interface Definition {
  /** absent when errors prevented reading */
  ir?: ImageIR;
  /** the format it was read as */
  format?: string;
  /** where each IR value came from, keyed by JSON Pointer */
  positions: PositionTable;
  /** every file read, the main one first */
  files: string[];
  diagnostics: Diagnostic[];
}

function optionsOf(o: ReadOptions): FormatOptions {
  return { ...o.options, distro: o.distro ?? o.options?.distro, arch: o.arch ?? o.options?.arch };
}

/** Reads a definition (a file, or a folder holding one) into the IR. */
export async function read(path: string, options: ReadOptions = {}): Promise<Definition> {
  const loaded = await loadDefinition(options.registry ?? new FormatRegistry(), path, {
    from: options.from,
    profiles: options.profiles ?? [],
    options: optionsOf(options),
  });
  return {
    ...(loaded.ir ? { ir: loaded.ir } : {}),
    ...(loaded.format ? { format: loaded.format.id } : {}),
    positions: loaded.positions,
    files: loaded.files,
    diagnostics: loaded.diagnostics,
  };
}

export interface WriteOptions {
  /** folder of the source definition: file sources in the IR are relative to it */
  sourceDir?: string;
  positions?: PositionTable;
  /** output type for targets that need one when the IR has none, e.g. `disk:qcow2` */
  output?: string;
  options?: FormatOptions;
  registry?: FormatRegistry;
  /** also write the files into this folder */
  outputDir?: string;
}

export interface Written {
  /** the target's files (content in memory) */
  files: OutputFile[];
  /** paths written into `outputDir`, when one was given */
  paths: string[];
  /** losses (IMGC6001), approximations (IMGC6002), assumptions (IMGC6003) and errors */
  diagnostics: Diagnostic[];
}

function writerOf(registry: FormatRegistry, to: string): FormatModule | Diagnostic {
  const target = registry.get(to);
  if (target?.writer) return target;
  if (target) return diag(coreCodes.formatCannotWrite, { id: to });
  const known = registry
    .list()
    .filter((f) => f.writer)
    .map((f) => f.id)
    .join(', ');
  return diag(coreCodes.unknownFormat, { id: to, known });
}

/** Writes an IR in format `to`, reporting every field the target cannot express. */
export async function write(ir: ImageIR, to: string, options: WriteOptions = {}): Promise<Written> {
  const target = writerOf(options.registry ?? new FormatRegistry(), to);
  if (!('id' in target)) return { files: [], paths: [], diagnostics: [target] };
  const invalid = validateIr(ir).map((e) =>
    diag(coreCodes.irInvalid, { pointer: e.pointer, detail: e.message }),
  );
  if (invalid.length) return { files: [], paths: [], diagnostics: invalid };
  const translated = await translateIr({
    ir,
    positions: options.positions ?? {},
    ...(options.sourceDir ? { sourceDir: options.sourceDir } : {}),
    target,
    options: { ...options.options, output: options.output },
  });
  const diagnostics = [...translated.diagnostics];
  let paths: string[] = [];
  if (options.outputDir && !hasErrors(diagnostics))
    paths = await writeOutputFiles(options.outputDir, translated.files);
  return { files: translated.files, paths, diagnostics };
}

/** Reads a definition and writes it in format `to`: `read` then `write`, diagnostics of both. */
export async function translate(
  path: string,
  options: ReadOptions & Omit<WriteOptions, 'positions' | 'sourceDir'> & { to: string },
): Promise<Written & { format?: string }> {
  const registry = options.registry ?? new FormatRegistry();
  const target = writerOf(registry, options.to);
  if (!('id' in target)) return { files: [], paths: [], diagnostics: [target] };
  const source = await read(path, { ...options, registry });
  if (!source.ir || hasErrors(source.diagnostics))
    return { files: [], paths: [], diagnostics: source.diagnostics };
  const sourceDir = (await stat(path)).isDirectory() ? resolve(path) : dirname(resolve(path));
  const written = await write(source.ir, options.to, {
    ...options,
    registry,
    options: optionsOf(options),
    positions: source.positions,
    sourceDir,
  });
  return {
    ...written,
    ...(source.format ? { format: source.format } : {}),
    diagnostics: [...source.diagnostics, ...written.diagnostics],
  };
}

export interface DiffResult {
  equal: boolean;
  changes: IrChange[];
}

/**
 * Semantic diff of two IRs (packages and services as sets, users, files and partitions by
 * identity, settings field by field), profiles merged. `restrictTo` limits it to fields every
 * given capability table holds, as `imgc diff --common`.
 */
export function diff(a: ImageIR, b: ImageIR, restrictTo?: readonly (readonly string[])[]): DiffResult {
  const changes = diffIr(a, b, restrictTo ? { restrictTo } : {});
  return { equal: changes.length === 0, changes };
}

/** The capability table of a format's writer: the IR fields it can express (for `diff`'s `restrictTo`). */
export function capabilities(format: string, registry = new FormatRegistry()): readonly string[] | undefined {
  return registry.get(format)?.writer?.capabilities;
}

/** The effective image: the IR with its active profiles merged. */
export function effective(ir: ImageIR): ImageIR {
  return mergeProfiles(ir);
}

export interface PlanOptions extends ReadOptions {
  /** output types (`directory`, `tar`, `disk`, `iso`, ...); the definition's when empty */
  outputs?: string[];
  /** plugin folders, as the CLI's `--plugin` */
  plugins?: string[];
}

export interface Planned {
  /** the typed build steps with hash-chained ids; absent when the definition has errors */
  plan?: BuildPlan;
  diagnostics: Diagnostic[];
}

async function prepare(path: string, options: PlanOptions) {
  return preparePlan(options.registry ?? new FormatRegistry(), path, {
    from: options.from,
    profile: options.profiles ?? [],
    output: options.outputs ?? [],
    plugin: options.plugins ?? [],
    distro: options.distro,
    arch: options.arch,
    formatOption: Object.entries(options.options ?? {})
      .filter(([, v]) => v !== undefined && v !== false)
      .map(([k, v]) => (v === true ? k : `${k}=${v}`)),
  });
}

/** The build steps of a definition, without running anything (no root needed). */
export async function plan(path: string, options: PlanOptions = {}): Promise<Planned> {
  const prepared = await prepare(path, options);
  try {
    return { ...(prepared.plan ? { plan: prepared.plan } : {}), diagnostics: prepared.diagnostics };
  } finally {
    await prepared.close?.();
  }
}

export interface BuildOptions extends PlanOptions {
  outputDir: string;
  /** package and tree cache; /var/cache/imgc as root, else the XDG cache */
  cacheDir?: string;
  /** progress events (the CLI's `--json` prints these) */
  onEvent?: EventSink;
  /** abort to stop the build; it cleans up mounts and partial outputs */
  signal?: AbortSignal;
  treeCache?: boolean;
  /** false: make every initrd afresh (default: reuse one made from the same inputs) */
  initrdCache?: boolean;
}

export interface Built {
  ok: boolean;
  outputs: { type: string; path: string }[];
  diagnostics: Diagnostic[];
  interrupted?: string;
}

/** Builds the image with the distribution's own package manager. Needs root. */
export async function build(path: string, options: BuildOptions): Promise<Built> {
  const prepared = await prepare(path, options);
  try {
    if (!prepared.plan || hasErrors(prepared.diagnostics))
      return { ok: false, outputs: [], diagnostics: prepared.diagnostics };
    const result = await executeBuild(prepared.plan, {
      cacheDir: resolve(options.cacheDir ?? defaultCacheDir()),
      outputDir: resolve(options.outputDir),
      backends: prepared.backends ?? new BackendRegistry(),
      positions: prepared.positions,
      signal: options.signal ?? new AbortController().signal,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      treeCache: options.treeCache ?? true,
      initrdCache: options.initrdCache ?? true,
      ...(prepared.sourceDir ? { sourceDir: prepared.sourceDir } : {}),
    });
    return { ...result, diagnostics: [...prepared.diagnostics, ...result.diagnostics] };
  } finally {
    await prepared.close?.();
  }
}
