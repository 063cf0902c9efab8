/**
 * IR + backend + outputs → build plan. The planner fixes the order of steps (the same for
 * every backend); the backend supplies release, repositories, package steps and runs its
 * own step types. Planning reads the files the definition copies in (to hash them) but runs
 * nothing and needs no root.
 */

import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Backend, HostFacts, ResolvedDistribution } from '../backends/contract.js';
import type { BackendRegistry } from '../backends/registry.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { outputCodes } from '../diagnostics/codes/outputs.js';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import { appendAll } from '../input/append.js';
import { InputRejected } from '../input/bounded.js';
import { applyDistroFlags, missingDistribution } from '../ir/distro-defaults.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import type {
  ImageIR,
  Output,
  OutputType,
  PackageRef,
  Repository,
  Script,
  ScriptPhase,
} from '../ir/schema.js';
import { fileDigest, treeDigest } from './digest.js';
import { stepId } from './hash.js';
import { injectionDiagnostics } from './injection.js';
import {
  livePackageDraft,
  makeInitrdDraft,
  notBuildableDetail,
  ostreeStackDrafts,
  outputStepDrafts,
} from './output-steps.js';
import {
  cleanScriptDraft,
  diskScriptDraft,
  errorScriptDraft,
  firstBootDrafts,
  postOutputDraft,
  runScriptDraft,
} from './script-steps.js';
import {
  type BuildPlan,
  outputNameOf,
  type PlanStep,
  type StepDraft,
  type StepOptions,
  type StepType,
  treeStepTypes,
} from './steps.js';

export const buildableOutputs: readonly OutputType[] = [
  'directory',
  'tar',
  'cpio',
  'disk',
  'esp',
  'uki',
  'iso',
  'pxe',
  'oci',
  'sysext',
  'confext',
  'portable',
  'ostree-commit',
  'ostree-disk',
  'bootc-oci',
];
const bootableOutputs: ReadonlySet<OutputType> = new Set([
  'disk',
  'esp',
  'uki',
  'iso',
  'pxe',
  'ostree-commit',
  'ostree-disk',
  'bootc-oci',
]);

export interface PlanRequest {
  /** effective IR: profiles already merged */
  ir: ImageIR;
  positions?: PositionTable;
  /** output types asked for on the command line; empty = the IR's outputs, or a directory */
  outputs?: OutputType[];
  backends: BackendRegistry;
  host: HostFacts;
  options?: FormatOptions;
  sourceDir: string;
  /** SOURCE_DATE_EPOCH for archives */
  sourceDateEpoch?: number;
  /**
   * A reproducible build (SOURCE_DATE_EPOCH set, or --reproducible): every output and the
   * tree's clean-up get the epoch, not only the archives; needs `sourceDateEpoch`.
   */
  reproducible?: boolean;
}

/** `{ sourceDateEpoch }` for the steps that take it only in a reproducible build. */
export function reproducibleEpoch(request: PlanRequest): { sourceDateEpoch?: number } {
  return request.reproducible && request.sourceDateEpoch !== undefined
    ? { sourceDateEpoch: request.sourceDateEpoch }
    : {};
}

export interface PlanResult {
  plan?: BuildPlan;
  /** the definition's clean scripts: not part of the build, `imgc clean` runs them */
  clean?: PlanStep<'clean-script'>[];
  diagnostics: Diagnostic[];
}

/** Gives diagnostics that carry a pointer the source position of that pointer. */
export function locate(diagnostics: Diagnostic[], positions: PositionTable | undefined): Diagnostic[] {
  if (!positions) return diagnostics;
  return diagnostics.map((d) => {
    if (d.file !== undefined || d.pointer === undefined) return d;
    const pos = positionOf(positions, d.pointer);
    return pos ? { ...d, file: pos.file, line: pos.line, column: pos.column } : d;
  });
}

const uniq = (xs: string[]) => [...new Set(xs)];

function chooseOutputs(ir: ImageIR, asked: OutputType[] | undefined): Output[] {
  if (asked?.length) return asked.map((type) => ir.outputs.find((o) => o.type === type) ?? { type });
  return ir.outputs.length ? ir.outputs : [{ type: 'directory' }];
}

/** What the phases of one plan share once the backend has resolved the distribution. */
interface Planning {
  request: PlanRequest;
  ir: ImageIR;
  options: FormatOptions;
  outputs: Output[];
  backend: Backend;
  dist: ResolvedDistribution;
  diagnostics: Diagnostic[];
}

export async function planBuild(request: PlanRequest): Promise<PlanResult> {
  const diagnostics: Diagnostic[] = [];
  const done = (plan?: BuildPlan, clean?: PlanStep<'clean-script'>[]): PlanResult => ({
    plan,
    ...(plan && clean ? { clean } : {}),
    diagnostics: locate(diagnostics, request.positions),
  });
  const options = request.options ?? {};
  // --distro wins here too for callers that did not read through loadDefinition
  const ir: ImageIR = { ...request.ir, distribution: { ...request.ir.distribution } };
  appendAll(diagnostics, applyDistroFlags(ir, {}, options));
  const outputs = chooseOutputs(ir, request.outputs);
  appendAll(diagnostics, unbuildableOutputs(ir, outputs));
  // Readers refuse these already; an IR from the API or a plugin must not get past the plan either.
  appendAll(diagnostics, injectionDiagnostics(ir));
  if (hasErrors(diagnostics)) return done();

  const backend = chooseBackend(ir, request, options, diagnostics);
  if (!backend) return done();
  const resolved = await backend.resolveDistribution(ir, options, request.host);
  appendAll(diagnostics, resolved.diagnostics);
  if (!resolved.distribution || hasErrors(diagnostics)) return done();
  const planning: Planning = {
    request,
    ir,
    options,
    outputs,
    backend,
    dist: resolved.distribution,
    diagnostics,
  };

  const repositories = await chooseRepositories(planning);
  if (hasErrors(diagnostics)) return done();
  const drafts = await treeDrafts(planning, repositories);
  if (hasErrors(diagnostics)) return done();
  markCachePoint(drafts);
  // after the cache point, so a live build starts from the same cached tree as a disk build
  const last = drafts.splice(drafts.length - 1);
  appendAll(appendAll(drafts, await lateTreeDrafts(planning)), last);
  if (hasErrors(diagnostics)) return done();

  const steps = chain(drafts, backend);
  const phaseSteps = await planPhaseScripts(ir, outputs, request, diagnostics);
  appendAll(steps, outputSteps(planning, steps.length ? [steps.at(-1)!.id] : [], phaseSteps));
  // post-output scripts consume every output; error scripts consume nothing and run only on failure
  let produced = steps.filter((s) => !treeStepTypes.has(s.type)).map((s) => s.id);
  for (const d of phaseSteps.postOutput) {
    const step = toStep(d, produced, backend);
    steps.push(step);
    produced = [step.id];
  }
  for (const d of phaseSteps.onError) steps.push(toStep(d, [], backend));
  const clean = phaseSteps.clean.map((d) => toStep(d, [], backend));
  if (hasErrors(diagnostics)) return done();
  const plan: BuildPlan = {
    planVersion: 1,
    backend: backend.id,
    distribution: { ...resolved.distribution },
    outputs: outputs.map((o) => o.type),
    ...(ir.sbom?.length ? { sbom: [...new Set(ir.sbom)].sort() } : {}),
    steps,
  };
  return done(plan, clean);
}

function unbuildableOutputs(ir: ImageIR, outputs: Output[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const o of outputs) {
    const index = ir.outputs.indexOf(o);
    const at = index >= 0 ? { pointer: `/outputs/${index}` } : {};
    if (!buildableOutputs.includes(o.type))
      out.push(
        diag(buildCodes.unsupportedOutput, { type: o.type, known: buildableOutputs.join(', ') }, {}, at),
      );
    const detail = notBuildableDetail(o);
    if (detail) out.push(diag(outputCodes.notBuildable, { type: o.type, detail }, {}, at));
  }
  return out;
}

/** --backend, or the backend of the distribution; there is no default distribution (decision 0016). */
function chooseBackend(
  ir: ImageIR,
  request: PlanRequest,
  options: FormatOptions,
  diagnostics: Diagnostic[],
): Backend | undefined {
  // no default distribution: the definition, its reader's inference or --distro must name it
  const missing = missingDistribution(ir, request.positions ?? {}, 'a build', true);
  if (missing.length) {
    appendAll(diagnostics, missing);
    return undefined;
  }
  const distroId = ir.distribution.id!;
  const chosen = typeof options.backend === 'string' ? options.backend : undefined;
  const backend = chosen ? request.backends.get(chosen) : request.backends.forDistribution(distroId);
  if (!backend) {
    const known = request.backends
      .list()
      .map((b) => `${b.id} (${b.distributions.join(', ')})`)
      .join('; ');
    diagnostics.push(
      diag(buildCodes.noBackend, { distribution: distroId, known }, {}, { pointer: '/distribution/id' }),
    );
  }
  return backend;
}

/** The IR's repositories of types the backend builds from, or else the backend's defaults. */
async function chooseRepositories({ ir, backend, dist, options, request, diagnostics }: Planning) {
  const repoTypes = backend.repositoryTypes;
  const usable = ir.repositories.filter((r) => !r.type || repoTypes.includes(r.type));
  for (const [i, r] of ir.repositories.entries()) {
    if (usable.includes(r)) continue;
    diagnostics.push(
      diag(
        buildCodes.fieldIgnored,
        { field: `repository ${r.id}`, reason: `type ${r.type} is not one of ${repoTypes.join(', ')}` },
        {},
        { pointer: `/repositories/${i}`, severity: 'warning' },
      ),
    );
  }
  if (usable.length) return usable;
  const defaults = await backend.defaultRepositories(dist, options, request.host);
  appendAll(diagnostics, defaults.diagnostics);
  return defaults.repositories;
}

/** Every package the image needs, spelled by the backend, its own additions included. */
async function imagePackages({ ir, backend, dist, outputs }: Planning) {
  const bootable = outputs.some((o) => bootableOutputs.has(o.type));
  const bootPackages = bootable
    ? [
        ...(await backend.kernelPackages(dist, ir)),
        ...(await backend.initrdPackages(ir.system.initrd)),
        ...(await backend.bootloaderPackages(ir)),
      ]
    : [];
  const spec = (p: PackageRef) => backend.packageSpec(p);
  const packages = uniq([
    ...ir.packages.bootstrap.map(spec),
    ...ir.packages.install.map(spec),
    ...(await backend.systemPackages(ir)),
    ...bootPackages,
  ]);
  return { bootable, packages, bootstrapPackages: ir.packages.bootstrap.map(spec) };
}

/** The tree chain in its fixed order: scripts, packages, system, accounts, files, services, finalize. */
async function treeDrafts(planning: Planning, repositories: Repository[]): Promise<StepDraft[]> {
  const { ir, backend, request, diagnostics } = planning;
  const { bootable, packages, bootstrapPackages } = await imagePackages(planning);
  appendAll(diagnostics, await backend.unappliedFields(ir));
  appendAll(diagnostics, unappliedEverywhere(ir));

  const scriptsIn = (phases: ScriptPhase[]) =>
    ir.scripts.map((s, i) => ({ s, i })).filter(({ s }) => phases.includes(s.phase));
  const runScripts = async (phases: ScriptPhase[]) => {
    for (const { s, i } of scriptsIn(phases)) drafts.push(await runScriptDraft(s, i, request, diagnostics));
  };
  const skeletons = ir.overlays.map((o, i) => ({ o, i })).filter(({ o }) => o.kind === 'skeleton');
  const separateInstall = skeletons.length > 0 || scriptsIn(['pre-packages']).length > 0;

  const drafts: StepDraft[] = [];
  await runScripts(['sync', 'pre-install']);
  const pkgSteps = await backend.planPackages({
    ir,
    distribution: planning.dist,
    repositories,
    packages,
    bootstrapPackages,
    bootable,
    separateInstall,
    options: planning.options,
    sourceDir: request.sourceDir,
    host: request.host,
  });
  appendAll(diagnostics, pkgSteps.diagnostics);
  drafts.push(pkgSteps.bootstrap);
  if (separateInstall) {
    if (skeletons.length) {
      const overlays = skeletons.map(({ i }) => i);
      drafts.push(await writeFilesDraft(ir, request, diagnostics, { overlays, only: true }));
    }
    await runScripts(['pre-packages']);
    if (pkgSteps.install) drafts.push(pkgSteps.install);
  }
  await runScripts(['prepare', 'build']);
  if (ir.packages.remove.length)
    drafts.push(
      await backend.planRemove(
        ir.packages.remove.map((p) => p.name),
        ['/packages/remove'],
      ),
    );

  drafts.push(systemDraft(ir));
  if (ir.accounts.users.length || ir.accounts.groups.length || ir.accounts.root)
    drafts.push(accountsDraft(ir));
  const nonSkeleton = ir.overlays.map((o, i) => ({ o, i })).filter(({ o }) => o.kind !== 'skeleton');
  if (ir.files.length || ir.directories.length || ir.symlinks.length || nonSkeleton.length) {
    const overlays = nonSkeleton.map(({ i }) => i);
    drafts.push(await writeFilesDraft(ir, request, diagnostics, { overlays, only: false }));
  }
  // after the files: a unit that comes from the definition's files or overlays can be enabled
  const svc = ir.system.services;
  if (svc.enable.length || svc.disable.length || svc.mask.length) {
    drafts.push({
      type: 'configure-services',
      title: `services: ${svc.enable.length} enabled, ${svc.disable.length} disabled, ${svc.mask.length} masked`,
      options: { enable: svc.enable, disable: svc.disable, mask: svc.mask },
      origin: ['/system/services'],
    });
  }
  await runScripts(['post-install', 'finalize']);
  appendAll(drafts, await firstBootDrafts(scriptsIn(['first-boot']), request, diagnostics));
  drafts.push({
    type: 'finalize',
    title: 'finalize the tree',
    options: {
      cleanPackageCache: true,
      resetMachineId: ir.system.machineId === undefined,
      ...reproducibleEpoch(request),
    },
    origin: [],
  });
  return drafts;
}

/** The live boot stack and the initrd: they go after the cache point, before finalize. */
async function lateTreeDrafts({ ir, outputs, backend, request, diagnostics }: Planning) {
  const late: StepDraft[] = [];
  const live = await livePackageDraft(outputs, backend, ir, diagnostics);
  if (live) late.push(live);
  const ostree = await ostreeStackDrafts(outputs, backend, ir, request.sourceDateEpoch, diagnostics);
  // the OSTree stack makes the initrd itself (with ostree-prepare-root), with the definition's settings
  if (ostree.length) return [...late, ...ostree];
  const bootable = outputs.some((o) => bootableOutputs.has(o.type));
  const initrd = bootable ? makeInitrdDraft(ir, request.sourceDateEpoch, diagnostics) : undefined;
  if (initrd) late.push(initrd);
  return late;
}

/** Drafts as a chain of steps, each consuming the one before; the first also runs after `after`. */
function chain(
  drafts: StepDraft[],
  backend: Backend,
  first: string[] = [],
  after: string[] = [],
): PlanStep[] {
  const steps: PlanStep[] = [];
  let previous = first;
  for (const d of drafts) {
    const step = toStep(d, previous, backend, steps.length ? [] : after);
    steps.push(step);
    previous = [step.id];
  }
  return steps;
}

/** The image's name as output files are named: the metadata name made safe, else `image`. */
export function imageName(ir: ImageIR): string {
  return ir.metadata?.name?.replace(/[^A-Za-z0-9._-]/g, '-') || 'image';
}

/**
 * One step (or chain) per output, each consuming the finished tree; disks with their scripts.
 * Outputs that only read the tree run side by side; `after` orders the rest (decision 0143):
 * the last directory output, which may move the tree away, waits for every other output;
 * when pre-disk or disk scripts change the tree, the first of them waits for every output
 * that reads the tree unchanged, and the disks then run one after another.
 */
function outputSteps(planning: Planning, treeId: string[], phaseSteps: PhaseSteps): PlanStep[] {
  const { ir, outputs, backend } = planning;
  const name = imageName(ir);
  const place = (o: Output) => {
    const idx = ir.outputs.indexOf(o);
    return { origin: idx >= 0 ? [`/outputs/${idx}`] : [], stem: o.name ?? name };
  };
  const slots: PlanStep[][] = outputs.map(() => []);
  const readers: string[] = [];
  const directories: number[] = [];
  const disks: number[] = [];
  const changers =
    phaseSteps.preDisk.length + phaseSteps.disk.length > 0 && outputs.some((o) => o.type === 'disk');
  for (const [k, o] of outputs.entries()) {
    if (o.type === 'directory') directories.push(k);
    else if (o.type === 'disk' && changers) disks.push(k);
    else {
      const drafts =
        o.type === 'disk' ? [diskDraft(planning, o, place(o))] : readingDrafts(planning, o, place(o));
      slots[k] = drafts.map((d) => toStep(d, treeId, backend));
      readers.push(...slots[k]!.map((s) => s.id));
    }
  }
  const copies: string[] = [];
  for (const [j, k] of directories.entries()) {
    const { origin, stem } = place(outputs[k]!);
    const draft: StepDraft<'output-directory'> = {
      type: 'output-directory',
      title: `directory ${stem}`,
      options: { name: stem },
      origin,
    };
    const takesTree = !changers && j === directories.length - 1;
    slots[k] = [toStep(draft, treeId, backend, takesTree ? [...readers, ...copies] : [])];
    copies.push(slots[k]![0]!.id);
  }
  if (changers) {
    // pre-disk scripts run once, before the first disk output, and every disk output starts from them
    const preDisk = chain(phaseSteps.preDisk, backend, treeId, [...readers, ...copies]);
    const diskInput = preDisk.length ? [preDisk.at(-1)!.id] : treeId;
    let waitFor = preDisk.length ? [] : [...readers, ...copies];
    for (const [j, k] of disks.entries()) {
      const disk = toStep(diskDraft(planning, outputs[k]!, place(outputs[k]!)), diskInput, backend, waitFor);
      // disk scripts are chained to the disk they run for: each disk output runs them for its image
      const scripts = chain(phaseSteps.disk, backend, [disk.id]);
      slots[k] = [...(j === 0 ? preDisk : []), disk, ...scripts];
      waitFor = [(scripts.at(-1) ?? disk).id];
    }
  }
  return slots.flat();
}

function diskDraft(
  { ir, dist, request }: Planning,
  o: Output,
  { origin, stem }: { origin: string[]; stem: string },
): StepDraft<'assemble-disk'> {
  const diskFormats = ['raw', 'qcow2', 'vmdk', 'vhdx', 'vhd'] as const;
  const format = diskFormats.find((f) => f === o.format?.toLowerCase()) ?? 'raw';
  const opts: StepOptions<'assemble-disk'> = {
    name: `${stem}.${format}`,
    format,
    cmdline: ir.system.kernel.cmdline,
    os: { id: dist.id, ...(dist.versionId ? { versionId: dist.versionId } : {}) },
    ...reproducibleEpoch(request),
  };
  if (ir.storage) opts.storage = ir.storage;
  if (ir.boot) opts.boot = ir.boot;
  return { type: 'assemble-disk', title: `disk ${opts.name}`, options: opts, origin };
}

/** The steps of an output that only reads the finished tree (every type but directory and disk). */
function readingDrafts(
  planning: Planning,
  o: Output,
  { origin, stem }: { origin: string[]; stem: string },
): StepDraft[] {
  const { ir, dist, request, diagnostics } = planning;
  if (o.type === 'tar') {
    const compression = tarCompression(o.compression ?? o.format);
    const ext = { none: '', gzip: '.gz', zstd: '.zst', xz: '.xz' }[compression];
    const opts: StepOptions<'output-tar'> = { name: `${stem}.tar${ext}`, compression };
    if (request.sourceDateEpoch !== undefined) opts.sourceDateEpoch = request.sourceDateEpoch;
    return [{ type: 'output-tar', title: `tar ${opts.name}`, options: opts, origin }];
  }
  return outputStepDrafts({
    output: o,
    origin,
    stem,
    ir,
    distribution: dist,
    options: planning.options,
    ...(request.sourceDateEpoch !== undefined ? { sourceDateEpoch: request.sourceDateEpoch } : {}),
    reproducible: request.reproducible === true,
    diagnostics,
  });
}

/**
 * The names the plan's outputs get in the output folder: each output step's `name`, and the
 * OCI archive written beside the OCI layout.
 */
export function outputNames(plan: BuildPlan): string[] {
  const names: string[] = [];
  for (const s of plan.steps) {
    const name = outputNameOf(s);
    if (name === undefined) continue;
    names.push(name);
    if (s.type === 'output-oci' || s.type === 'output-bootc-oci') names.push(`${name}.tar`);
  }
  return [...new Set(names)];
}

/**
 * Besides the package steps, keep the tree right before the first step that copies host
 * files or runs the definition's scripts: those change most often, and everything before
 * them (packages, locale-gen, accounts) then comes from the cache.
 */
function markCachePoint(drafts: StepDraft[]) {
  const packagesDone = drafts.findLastIndex((d) => d.type === 'bootstrap' || d.type === 'install-packages');
  const volatile = drafts.findIndex(
    (d, i) =>
      i > packagesDone &&
      (d.type === 'write-files' || d.type === 'run-script' || d.type === 'first-boot-script'),
  );
  const point = (volatile < 0 ? drafts.length - 1 : volatile) - 1;
  if (point > packagesDone) drafts[point]!.cache = true;
}

function tarCompression(value: string | undefined): StepOptions<'output-tar'>['compression'] {
  const v = (value ?? 'none').toLowerCase();
  if (v.includes('zst')) return 'zstd';
  if (v.includes('xz')) return 'xz';
  if (v.includes('gz') || v.includes('gzip')) return 'gzip';
  return 'none';
}

function toStep<T extends StepType>(
  d: StepDraft<T>,
  inputs: string[],
  backend: Backend,
  after: string[] = [],
): PlanStep<T> {
  const executor = d.executor ?? (backend.executes.includes(d.type) ? `backend:${backend.id}` : 'core');
  const { type, title, options, origin } = d;
  // the draft's type and options travel together; TypeScript cannot see it through the spread
  return {
    id: stepId(type, options, inputs, after),
    type,
    title,
    executor,
    inputs,
    ...(after.length ? { after } : {}),
    options,
    origin,
    cache: d.cache ?? false,
  } as PlanStep<T>;
}

function systemDraft(ir: ImageIR): StepDraft<'configure-system'> {
  const s = ir.system;
  const options: StepOptions<'configure-system'> = {
    extraLocales: s.extraLocales ?? [],
    kernelCmdline: s.kernel.cmdline,
    ntpServers: s.ntpServers ?? [],
    caCertificates: s.caCertificates ?? [],
  };
  for (const k of ['hostname', 'locale', 'keymap', 'timezone', 'utc', 'machineId', 'rootShell'] as const) {
    if (s[k] !== undefined) (options as Record<string, unknown>)[k] = s[k];
  }
  return { type: 'configure-system', title: 'configure system', options, origin: ['/system'] };
}

function accountsDraft(ir: ImageIR): StepDraft<'configure-accounts'> {
  const a = ir.accounts;
  const options: StepOptions<'configure-accounts'> = {
    groups: a.groups.map((g) => ({ ...g })),
    users: a.users.map((u) => ({ ...u })),
  };
  if (a.root) options.root = { ...a.root };
  return {
    type: 'configure-accounts',
    title: `accounts: ${a.users.length} users, ${a.groups.length} groups`,
    options,
    origin: ['/accounts'],
  };
}

function resolveSource(request: PlanRequest, source: string): string {
  return isAbsolute(source) ? source : resolve(request.sourceDir, source);
}

async function writeFilesDraft(
  ir: ImageIR,
  request: PlanRequest,
  diagnostics: Diagnostic[],
  select: { overlays: number[]; only: boolean },
): Promise<StepDraft<'write-files'>> {
  type Entry = StepOptions<'write-files'>['entries'][number];
  const entries: Entry[] = [];
  const origin: string[] = [];
  const missing = (pointer: string, path: string, e: unknown) =>
    diagnostics.push(
      e instanceof InputRejected
        ? { ...e.diagnostic(), pointer }
        : diag(buildCodes.sourceMissing, { path, reason: (e as Error).message }, {}, { pointer }),
    );
  const owner = (x: { mode?: string; user?: string | number; group?: string | number }) => {
    const o: Partial<Entry> = {};
    if (x.mode !== undefined) o.mode = x.mode;
    if (x.user !== undefined) o.user = x.user;
    if (x.group !== undefined) o.group = x.group;
    return o;
  };
  if (!select.only) {
    for (const [i, d] of ir.directories.entries()) {
      entries.push({ kind: 'directory', path: d.path, ...owner(d) });
      origin.push(`/directories/${i}`);
    }
    for (const [i, f] of ir.files.entries()) {
      const entry: Entry = { kind: 'file', path: f.path, ...owner(f) };
      if (f.content !== undefined) entry.content = Buffer.from(f.content, 'utf8').toString('base64');
      else if (f.contentBase64 !== undefined) entry.content = f.contentBase64;
      else if (f.source !== undefined) {
        entry.source = resolveSource(request, f.source);
        try {
          entry.digest = await fileDigest(entry.source);
        } catch (e) {
          missing(`/files/${i}/source`, f.source, e);
        }
      } else entry.content = '';
      entries.push(entry);
      origin.push(`/files/${i}`);
    }
    for (const [i, l] of ir.symlinks.entries()) {
      entries.push({ kind: 'symlink', path: l.path, target: l.target });
      origin.push(`/symlinks/${i}`);
    }
  }
  for (const i of select.overlays) {
    const o = ir.overlays[i]!;
    if (o.kind === 'package-manager') {
      diagnostics.push(
        diag(
          buildCodes.fieldIgnored,
          {
            field: `overlay ${o.source}`,
            reason: 'package-manager overlays configure build tools imgc does not use',
          },
          {},
          {
            pointer: `/overlays/${i}`,
            severity: 'warning',
          },
        ),
      );
      continue;
    }
    const source = resolveSource(request, o.source);
    let kind: Entry['kind'] = o.kind === 'archive' ? 'archive' : 'overlay';
    let digest: string | undefined;
    try {
      const info = await stat(source);
      if (!info.isDirectory()) kind = 'archive';
      digest = info.isDirectory() ? await treeDigest(source) : await fileDigest(source);
    } catch (e) {
      missing(`/overlays/${i}/source`, o.source, e);
    }
    const entry: Entry = { kind, path: o.destination ?? '/', source };
    if (digest) entry.digest = digest;
    entries.push(entry);
    origin.push(`/overlays/${i}`);
  }
  const title = select.only
    ? `skeleton overlays (${entries.length})`
    : `write ${entries.length} files and trees`;
  return { type: 'write-files', title, options: { entries }, origin };
}

interface PhaseSteps {
  preDisk: StepDraft<'disk-script'>[];
  disk: StepDraft<'disk-script'>[];
  postOutput: StepDraft<'post-output-script'>[];
  onError: StepDraft<'error-script'>[];
  clean: StepDraft<'clean-script'>[];
}

/**
 * The scripts that run outside the tree chain, and what this build does not run of them
 * (IMGC7301) or runs differently from the source tool (IMGC7302).
 */
async function planPhaseScripts(
  ir: ImageIR,
  outputs: Output[],
  request: PlanRequest,
  diagnostics: Diagnostic[],
): Promise<PhaseSteps> {
  const out: PhaseSteps = { preDisk: [], disk: [], postOutput: [], onError: [], clean: [] };
  const hasDisk = outputs.some((o) => o.type === 'disk');
  const label = (s: Script, i: number) => s.name ?? s.source ?? `${i + 1}`;
  const notRun = (s: Script, i: number, reason: string, severity: 'warning' | 'info' = 'warning') =>
    diagnostics.push(
      diag(
        scriptCodes.phaseNotRun,
        { script: label(s, i), phase: s.phase, reason },
        {},
        { pointer: `/scripts/${i}`, severity },
      ),
    );
  const approximated = (s: Script, i: number, how: string) =>
    diagnostics.push(
      diag(
        scriptCodes.phaseApproximated,
        { script: label(s, i), phase: s.phase, how },
        {},
        { pointer: `/scripts/${i}` },
      ),
    );
  let firstBootBefore: Script | undefined;
  for (const [i, s] of ir.scripts.entries()) {
    switch (s.phase) {
      case 'pre-disk':
      case 'disk':
        if (!hasDisk) {
          notRun(
            s,
            i,
            `only a disk output runs ${s.phase} scripts, and this build makes ${outputs.map((o) => o.type).join(', ')}`,
          );
          break;
        }
        if (s.phase === 'pre-disk') {
          out.preDisk.push(await diskScriptDraft(s, i, request, diagnostics));
          approximated(
            s,
            i,
            'runs against the finished tree before the disk layout is measured (KIWI runs pre_disk_sync.sh once the partitions exist); the outputs that are not disks are written before it, so only disk images see its changes',
          );
        } else {
          out.disk.push(await diskScriptDraft(s, i, request, diagnostics));
          approximated(
            s,
            i,
            s.chroot
              ? 'runs chrooted in the tree once the partition table is written and before the filesystems are made from the tree, not in the mounted disk (imgc assembles disks without mounting them): its changes reach the image, but the ESP is not mounted and the partition sizes were computed before it ran'
              : 'runs on the host once the raw image is complete, before it is converted, with no arguments: the image is $IMGC_DISK_IMAGE and its partitions are listed in $IMGC_DISK_PARTITIONS (there are no loop devices); changes to the tree no longer reach the image',
          );
        }
        break;
      case 'post-output':
        if (s.chroot)
          notRun(
            s,
            i,
            'post-output scripts run on the host once the outputs exist; there is no tree to chroot into',
          );
        else out.postOutput.push(await postOutputDraft(s, i, request, diagnostics));
        break;
      case 'on-error':
      case 'traceback':
        out.onError.push(await errorScriptDraft(s, i, request, diagnostics));
        if (s.phase === 'traceback')
          approximated(
            s,
            i,
            'imgc does not tell a crash from a failed step: traceback scripts run after the on-error scripts whenever the build fails',
          );
        break;
      case 'clean':
        if (s.chroot) notRun(s, i, 'clean scripts run on the host; there is no tree to chroot into');
        else {
          out.clean.push(await cleanScriptDraft(s, i, request, diagnostics));
          notRun(s, i, 'clean scripts run with `imgc clean`, after it removed the outputs', 'info');
        }
        break;
      case 'first-boot':
        if (firstBootBefore && (firstBootBefore.onError ?? 'fail') === 'fail')
          approximated(
            s,
            i,
            'each first-boot script is a unit of its own, ordered after the earlier ones: it runs even when an earlier one failed',
          );
        firstBootBefore = s;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Fields no backend applies yet, whatever the family. */
function unappliedEverywhere(ir: ImageIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ignore = (pointer: string, field: string, reason: string) =>
    out.push(diag(buildCodes.fieldIgnored, { field, reason }, {}, { pointer, severity: 'warning' }));
  if (ir.packages.build.length)
    ignore('/packages/build', 'packages.build', 'build-only packages are not installed into the image');
  if (ir.containers.length)
    ignore('/containers', 'containers', 'embedding container images is not implemented');
  return out;
}
