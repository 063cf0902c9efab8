/**
 * Runs a build plan: takes the cache lock, serves the longest cached prefix of the tree
 * chain from the tree cache, runs the remaining steps (backend steps through the backend
 * contract, core steps here), writes each output under a temporary name and renames it
 * into place. On failure or abort every child is stopped, the workspace is removed (chroot
 * mounts live in private namespaces and cannot outlive their command) and no partial output
 * is left.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, StepContext } from '../backends/contract.js';
import { StepError } from '../backends/contract.js';
import type { BackendRegistry } from '../backends/registry.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { goldenCodes } from '../diagnostics/codes/golden.js';
import { parallelCodes } from '../diagnostics/codes/parallel.js';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { SourceDateEpochError } from '../golden/sbom/identity.js';
import { goldenBaseName, writeGoldenFiles } from '../golden/write.js';
import { XattrToolMissing } from '../golden/xattrs.js';
import { appendAll } from '../input/append.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import {
  type BuildPlan,
  dependenciesOf,
  isStepOf,
  ofType,
  outputNameOf,
  type PlanStep,
  scriptStepTypes,
  treeStepTypes,
} from '../plan/steps.js';
import { commitOutput, reapStaleOutputs, tempOutputPath } from './atomic.js';
import { settleTree } from './build-noise.js';
import { coreStepRuntimes } from './core-steps.js';
import { acquireLock, LockTimeoutError } from './lock.js';
import { ancestorsOf, defaultJobs, runUnits, type ScheduledUnit } from './output-schedule.js';
import { packageOf } from './process.js';
import { type BuildEventInput, type EventSink, stamp } from './progress.js';
import { AbortedError, CommandError, ProcessRunner } from './runner.js';
import { runScriptFile, scriptOf } from './scripts.js';
import type { StepRuntimes } from './step-runtime.js';
import { TreeCache } from './tree-cache.js';
import {
  createWorkspace,
  reapStaleWorkspaces,
  removeTree,
  TMPFS_BASE,
  type Workspace,
  workspaceBases,
} from './workspace.js';

export interface ExecuteOptions {
  cacheDir: string;
  outputDir: string;
  backends: BackendRegistry;
  positions?: PositionTable;
  signal: AbortSignal;
  onEvent?: EventSink;
  /** false: neither read nor write the tree cache (the package cache is still used) */
  treeCache?: boolean;
  /** false: make every initrd afresh instead of reusing a cached one (src/outputs/initrd/cache.ts) */
  initrdCache?: boolean;
  /** keep at most this many tree snapshots */
  keepTrees?: number;
  /** build on /dev/shm when it has room (default true) */
  preferTmpfs?: boolean;
  lockTimeoutMs?: number;
  /** folder of the definition: post-output and error scripts see it as IMGC_SOURCE_DIR and SRCDIR */
  sourceDir?: string;
  /** what runs the core's step types; default: every built-in one */
  runtimes?: StepRuntimes;
  /** at most this many outputs assembled at a time (default: one per CPU, `defaultJobs()`) */
  jobs?: number;
}

export interface BuildResult {
  ok: boolean;
  outputs: { type: string; path: string }[];
  diagnostics: Diagnostic[];
  interrupted?: string;
}

/** what every build runs, whatever the backend */
const requiredTools = ['unshare', 'chroot', 'cp', 'tar'];

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => existsSync(join(d, tool)));
}

/** What the phases of one build share. */
interface Session {
  plan: BuildPlan;
  options: ExecuteOptions;
  backend: Backend;
  runtimes: StepRuntimes;
  runner: ProcessRunner;
  order: RunOrder;
  emit: (e: BuildEventInput) => void;
  report: (d: Diagnostic) => void;
  /** temporary outputs not yet renamed into place (removed on failure) */
  temps: Set<string>;
  outputs: BuildResult['outputs'];
  sourceEnv: Record<string, string>;
  workspace?: Workspace;
  tree?: string;
  /** files outputs of this build share, by key (OutputContext.sharedFile) */
  sharedFiles: Map<string, Promise<string>>;
}

/** The signal and runner a step runs with: the build's, or its output phase's (stopped when an output fails). */
interface Lane {
  signal: AbortSignal;
  runner: ProcessRunner;
}

export async function executeBuild(plan: BuildPlan, options: ExecuteOptions): Promise<BuildResult> {
  const started = Date.now();
  const diagnostics: Diagnostic[] = [];
  const emit = (e: BuildEventInput) => options.onEvent?.(stamp(e));
  const report = (d: Diagnostic) => {
    const located = locateDiagnostic(d, options.positions);
    diagnostics.push(located);
    emit({ event: 'diagnostic', diagnostic: located });
  };
  const finish = (ok: boolean, outputs: BuildResult['outputs'], interrupted?: string): BuildResult => {
    emit({
      event: 'build-end',
      ok,
      elapsedMs: Date.now() - started,
      ...(interrupted ? { interrupted } : {}),
    });
    return { ok, outputs, diagnostics, ...(interrupted ? { interrupted } : {}) };
  };

  const backend = preflight(plan, options, report);
  if (!backend) return finish(false, []);
  const lock = await lockCache(options, emit, report);
  if (!lock) return finish(false, [], options.signal.aborted ? String(options.signal.reason) : undefined);

  const session: Session = {
    plan,
    options,
    backend,
    runtimes: options.runtimes ?? coreStepRuntimes(),
    runner: new ProcessRunner({ signal: options.signal }),
    order: runOrder(plan),
    emit,
    report,
    temps: new Set(),
    outputs: [],
    sharedFiles: new Map(),
    sourceEnv: options.sourceDir ? { IMGC_SOURCE_DIR: options.sourceDir, SRCDIR: options.sourceDir } : {},
  };
  try {
    await prepareWorkspace(session);
    await runTreeSteps(session, await restoreCachedPrefix(session));
    const { written, golden } = await writeOutputs(session);
    await commitOutputs(session, written);
    if (golden) await commitGolden(session, golden);
    await runPostOutputScripts(session);
    return finish(true, session.outputs);
  } catch (e) {
    const interrupted = options.signal.aborted ? String(options.signal.reason ?? 'abort') : undefined;
    await recoverFromFailure(session, e, interrupted);
    return finish(false, session.outputs, interrupted);
  } finally {
    await waitForChildren(session.runner);
    if (session.workspace) await session.workspace.dispose();
    await lock.release();
  }
}

/** Root, the plan's backend and the host tools; undefined (with the reason reported) when one is missing. */
function preflight(plan: BuildPlan, options: ExecuteOptions, report: (d: Diagnostic) => void) {
  if (process.getuid?.() !== 0) {
    report(diag(buildCodes.needsRoot, undefined));
    return undefined;
  }
  const backend = options.backends.get(plan.backend);
  if (!backend) {
    report(
      diag(buildCodes.noBackend, {
        distribution: plan.distribution.id,
        known: options.backends
          .list()
          .map((b) => b.id)
          .join(', '),
      }),
    );
    return undefined;
  }
  let missing = false;
  const core = Object.fromEntries(requiredTools.map((tool) => [tool, packageOf(tool)]));
  for (const [tool, pkg] of Object.entries({ ...core, ...backend.hostTools })) {
    if (onPath(tool)) continue;
    report(diag(buildCodes.toolMissing, { tool, pkg }));
    missing = true;
  }
  return missing ? undefined : backend;
}

async function lockCache(
  options: ExecuteOptions,
  emit: (e: BuildEventInput) => void,
  report: (d: Diagnostic) => void,
) {
  await mkdir(options.cacheDir, { recursive: true });
  await mkdir(options.outputDir, { recursive: true });
  try {
    return await acquireLock(join(options.cacheDir, 'lock'), {
      timeoutMs: options.lockTimeoutMs,
      signal: options.signal,
      onWait: (holder) => emit({ event: 'lock-wait', holder }),
    });
  } catch (e) {
    if (e instanceof LockTimeoutError)
      report(diag(buildCodes.lockTimeout, { path: e.path, pid: e.holder, seconds: e.seconds }));
    else report(diag(buildCodes.interrupted, { signal: String(options.signal.reason ?? 'abort') }));
    return undefined;
  }
}

/** Reaps what killed builds left, and makes the workspace the tree is built in. */
async function prepareWorkspace(session: Session) {
  const { options, plan, report } = session;
  const bases = workspaceBases(options.cacheDir, options.preferTmpfs ?? true);
  for (const stale of await reapStaleWorkspaces([
    ...new Set([...bases, join(options.cacheDir, 'work'), options.outputDir]),
  ])) {
    report(diag(buildCodes.staleWorkspace, stale));
  }
  for (const name of await reapStaleOutputs(options.outputDir)) {
    report(diag(buildCodes.staleWorkspace, { path: join(options.outputDir, name), pid: 0 }));
  }
  // The tree is built on tmpfs when there is one with room: dpkg and the maintainer scripts
  // run ~30 % faster there even with unsafe-io, which pays for copying a directory output
  // to disk afterwards (bench/directory-tar.sh). Without tmpfs a directory output is built
  // on the output's filesystem and renamed into place.
  const wantsDirectory = plan.steps.some((s) => s.type === 'output-directory');
  const onTmpfs = bases[0] === TMPFS_BASE;
  session.workspace = await createWorkspace(wantsDirectory && !onTmpfs ? options.outputDir : bases[0]!);
  session.tree = join(session.workspace.path, 'tree');
  session.emit({
    event: 'build-start',
    backend: session.backend.id,
    steps: session.order.run.length,
    outputs: plan.outputs,
    cacheDir: options.cacheDir,
    workDir: session.workspace.path,
  });
}

/** Restores the tree after the last cached step of the chain; the index of the first step to run. */
async function restoreCachedPrefix(session: Session): Promise<number> {
  if (session.options.treeCache === false) return 0;
  const cache = new TreeCache(session.options.cacheDir);
  const treeSteps = session.order.tree;
  const hit = treeSteps.findLastIndex((s) => s.cache && cache.has(s.id));
  if (hit < 0) return 0;
  const total = session.order.run.length;
  for (const [i, s] of treeSteps.slice(0, hit + 1).entries()) {
    session.emit({ event: 'step-cached', id: s.id, type: s.type, title: s.title, index: i + 1, total });
  }
  await cache.restore(treeSteps[hit]!.id, session.tree!, session.runner);
  await cache.touch(treeSteps[hit]!.id);
  return hit + 1;
}

/** The context a step runs in: its scratch folder, the shared runner and its progress events. */
async function contextFor(session: Session, step: PlanStep, lane?: Lane): Promise<StepContext> {
  const { options, plan, emit } = session;
  const workDir = join(session.workspace!.path, 'steps', step.id);
  await mkdir(workDir, { recursive: true });
  return {
    tree: session.tree!,
    workDir,
    packageCache: join(
      options.cacheDir,
      'packages',
      session.backend.id,
      `${plan.distribution.suite}-${plan.distribution.architecture}`,
    ),
    ...(options.initrdCache === false ? {} : { initrdCache: join(options.cacheDir, 'initrd') }),
    signal: lane?.signal ?? options.signal,
    runner: lane?.runner ?? session.runner,
    progress: {
      log: (line) => emit({ event: 'log', id: step.id, line }),
      packages: (done, count) =>
        emit({
          event: 'step-progress',
          id: step.id,
          packages: count === undefined ? { done } : { done, total: count },
        }),
      note: (note) => emit({ event: 'step-progress', id: step.id, note }),
    },
    report: session.report,
  };
}

/** One step with its start and end events; a failure carries the step (the innermost one). */
async function track(
  session: Session,
  step: PlanStep,
  run: (context: StepContext) => Promise<void>,
  index = session.order.run.indexOf(step) + 1,
  lane?: Lane,
): Promise<{ elapsedMs: number }> {
  const t0 = Date.now();
  const total = session.order.run.length;
  session.emit({ event: 'step-start', id: step.id, type: step.type, title: step.title, index, total });
  try {
    await run(await contextFor(session, step, lane));
  } catch (e) {
    throw attachStep(e, step);
  }
  return { elapsedMs: Date.now() - t0 };
}

const FINALIZE: ReadonlySet<'finalize'> = new Set(['finalize'] as const);

async function runTreeSteps(session: Session, resumeAt: number) {
  const { backend, options, runtimes, emit } = session;
  const useCache = options.treeCache ?? true;
  const cache = new TreeCache(options.cacheDir);
  const treeSteps = session.order.tree;
  for (let i = resumeAt; i < treeSteps.length; i++) {
    const step = treeSteps[i]!;
    const { elapsedMs } = await track(
      session,
      step,
      async (context) => {
        await (step.executor === `backend:${backend.id}`
          ? backend.execute(step, context)
          : runtimes.run('tree', step, context));
        const epoch = isStepOf(step, FINALIZE) ? step.options.sourceDateEpoch : undefined;
        if (epoch !== undefined) await settleTree(context, epoch);
      },
      i + 1,
    );
    let saved = false;
    if (useCache && step.cache) {
      emit({ event: 'step-progress', id: step.id, note: 'saving the tree to the cache' });
      await cache.save(step.id, session.tree!, session.runner, { type: step.type, title: step.title });
      saved = true;
    }
    await rm(join(session.workspace!.path, 'steps', step.id), { recursive: true, force: true });
    emit({ event: 'step-end', id: step.id, type: step.type, title: step.title, elapsedMs, saved });
  }
  if (useCache) await cache.prune(options.keepTrees ?? 4);
}

/** An output written under its temporary name, with the files it wrote beside it. */
interface WrittenOutput {
  type: string;
  main: { temp: string; final: string };
  extras: Array<{ temp: string; final: string }>;
}

/** A step run with its events and end event; the script kind gets `env` added. */
async function runTracked(session: Session, step: PlanStep, env: Record<string, string>, lane?: Lane) {
  const { elapsedMs } = await track(
    session,
    step,
    (context) => session.runtimes.run('script', step, { ...context, env: { ...session.sourceEnv, ...env } }),
    undefined,
    lane,
  );
  session.emit({ event: 'step-end', id: step.id, type: step.type, title: step.title, elapsedMs });
}

/**
 * The outputs, side by side where the plan lets them (decision 0143): each unit starts once
 * the units it waits for are done, at most `jobs` at a time. The first failure stops the
 * others (their own signal and runner) and is thrown once all have settled.
 */
async function writeOutputs(
  session: Session,
): Promise<{ written: WrittenOutput[]; golden: WrittenOutput | undefined }> {
  const { order, options } = session;
  const phase = new AbortController();
  const forward = () => phase.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  options.signal.addEventListener('abort', forward, { once: true });
  const lane: Lane = { signal: phase.signal, runner: new ProcessRunner({ signal: phase.signal }) };
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  const outputs = order.units.filter((u) => u.step.type !== 'disk-script');
  if (outputs.length > 1)
    session.report(
      diag(parallelCodes.sideBySide, {
        count: outputs.length,
        jobs: Math.min(jobs, outputs.length),
        how:
          options.jobs !== undefined
            ? `--jobs ${options.jobs}`
            : `one per CPU of this machine, ${defaultJobs()}, the default of --jobs`,
      }),
    );
  const written = new Map<string, WrittenOutput>();
  let golden: WrittenOutput | undefined;
  const units = withGoldenManifest(session);
  const titleOf = (id: string | undefined) =>
    units.find((u) => u.id === id)?.output?.step.title ?? 'the golden manifest';
  try {
    await runUnits(
      units,
      jobs,
      async ({ output: unit }) => {
        if (!unit) golden = await writeGolden(session);
        else if (unit.step.type === 'disk-script')
          await runTracked(session, unit.step, { IMGC_OUTPUT_DIR: options.outputDir }, lane);
        else written.set(unit.id, await writeOutput(session, unit, lane));
      },
      (failed) => phase.abort(`${titleOf(failed.id)} failed`),
      (unit, end) => {
        if (!end.ok && end.stoppedBy && !options.signal.aborted)
          session.report(
            diag(parallelCodes.stoppedForFailure, {
              output: titleOf(unit.id),
              failed: titleOf(end.stoppedBy),
            }),
          );
      },
    );
  } finally {
    options.signal.removeEventListener('abort', forward);
    await waitForChildren(lane.runner);
  }
  // committed in run order, whatever order they finished in
  return { written: order.units.flatMap((u) => written.get(u.id) ?? []), golden };
}

const GOLDEN_UNIT = 'golden-manifest';

/**
 * The golden manifest of the finished tree is one more reader beside the outputs; a unit that
 * changes the tree (pre-disk and disk scripts) or takes it away (the directory) waits for it.
 */
function withGoldenManifest(session: Session): Array<ScheduledUnit & { output?: OutputUnit }> {
  const units = session.order.units;
  if (!units.some((u) => outputNameOf(u.step) !== undefined)) return units.map((u) => ({ ...u, output: u }));
  const changesTree = (u: OutputUnit) =>
    u.mayMove || u.step.type === 'disk-script' || Boolean(session.order.disk.get(u.id)?.length);
  return [
    { id: GOLDEN_UNIT, waitsFor: [] },
    ...units.map((u) => ({
      ...u,
      output: u,
      waitsFor: changesTree(u) ? [...u.waitsFor, GOLDEN_UNIT] : u.waitsFor,
    })),
  ];
}

/** A file outputs share: made by the first that asks, under the workspace, named by its key's hash. */
function sharedFile(session: Session, key: string, make: (path: string) => Promise<void>): Promise<string> {
  let made = session.sharedFiles.get(key);
  if (!made) {
    const dir = join(session.workspace!.path, 'shared');
    const path = join(dir, createHash('sha256').update(key).digest('hex').slice(0, 16));
    made = mkdir(dir, { recursive: true })
      .then(() => make(path))
      .then(() => path);
    session.sharedFiles.set(key, made);
  }
  return made;
}

/** One output (with its disk scripts) written under its temporary name. */
async function writeOutput(session: Session, unit: OutputUnit, lane: Lane): Promise<WrittenOutput> {
  const { order, options, temps } = session;
  const step = unit.step;
  const name = outputNameOf(step);
  if (name === undefined) throw new Error(`${step.type} is not an output step`);
  const out: WrittenOutput = {
    type: step.type,
    main: { temp: tempOutputPath(options.outputDir, name), final: join(options.outputDir, name) },
    extras: [],
  };
  temps.add(out.main.temp);
  await removeTree(out.main.temp);
  const { elapsedMs } = await track(
    session,
    step,
    (context) =>
      session.runtimes.run('output', step, {
        ...context,
        dest: out.main.temp,
        final: out.main.final,
        mayMove: unit.mayMove,
        sharedFile: (key, make) => sharedFile(session, key, make),
        extra: (extraName: string) => {
          const temp = tempOutputPath(options.outputDir, extraName);
          temps.add(temp);
          out.extras.push({ temp, final: join(options.outputDir, extraName) });
          return temp;
        },
        diskScripts: {
          steps: order.disk.get(step.id) ?? [],
          run: (s: PlanStep<'disk-script'>, env: Record<string, string>) =>
            runTracked(session, s, { IMGC_OUTPUT_DIR: options.outputDir, ...env }, lane),
        },
      }),
    undefined,
    lane,
  );
  session.emit({ event: 'step-end', id: step.id, type: step.type, title: step.title, elapsedMs });
  return out;
}

/**
 * The golden manifest of the finished tree (with its mtree and AIDE exports), taken beside the
 * outputs that only read the tree, before any that changes or moves it. Committed with them.
 */
async function writeGolden(session: Session): Promise<WrittenOutput | undefined> {
  const first = session.order.outputs.map(outputNameOf).find((n): n is string => n !== undefined);
  if (!first) return undefined;
  const { outputDir } = session.options;
  const out: WrittenOutput = { type: 'golden-manifest', main: { temp: '', final: '' }, extras: [] };
  const pathFor = (name: string) => {
    const temp = tempOutputPath(outputDir, name);
    session.temps.add(temp);
    const entry = { temp, final: join(outputDir, name) };
    if (!out.main.temp) out.main = entry;
    else out.extras.push(entry);
    return temp;
  };
  try {
    await writeGoldenFiles(session.tree!, goldenBaseName(first), pathFor, session.plan.sbom ?? []);
  } catch (e) {
    if (e instanceof XattrToolMissing) throw new StepError(diag(goldenCodes.xattrToolMissing, undefined));
    if (e instanceof SourceDateEpochError)
      throw new StepError(diag(goldenCodes.sourceDateEpoch, { value: e.message }));
    throw new StepError(
      diag(goldenCodes.goldenFailed, { reason: e instanceof Error ? e.message : String(e) }),
    );
  }
  return out;
}

/** The golden files go in place with the outputs; they are not outputs (not in IMGC_OUTPUTS). */
async function commitGolden(session: Session, golden: WrittenOutput) {
  const files = [golden.main, ...golden.extras];
  for (const { temp, final } of files) {
    if (await commitOutput(temp, final)) session.report(diag(buildCodes.outputExists, { path: final }));
    session.temps.delete(temp);
  }
  session.report(diag(goldenCodes.goldenWritten, { files: files.map((f) => f.final).join(', ') }));
}

/**
 * Every output is complete: they are put in place together, so a build that fails or is
 * interrupted half-way leaves none of its outputs, not some next to older ones.
 */
async function commitOutputs(session: Session, written: WrittenOutput[]) {
  if (session.options.signal.aborted) throw new AbortedError(String(session.options.signal.reason));
  for (const p of written) {
    for (const { temp, final } of [...p.extras, p.main]) {
      if (await commitOutput(temp, final)) session.report(diag(buildCodes.outputExists, { path: final }));
      session.temps.delete(temp);
    }
    session.outputs.push({ type: p.type.replace(/^output-|^assemble-/, ''), path: p.main.final });
    session.emit({
      event: 'output',
      type: p.type,
      path: p.main.final,
      sizeBytes: await sizeOf(p.main.final),
    });
  }
}

/** mkosi's mkosi.postoutput: on the host, once every output is in place. */
async function runPostOutputScripts(session: Session) {
  const { outputDir } = session.options;
  for (const step of session.order.postOutput) {
    await runTracked(session, step, {
      IMGC_OUTPUT_DIR: outputDir,
      OUTPUTDIR: outputDir,
      IMGC_OUTPUTS: session.outputs.map((x) => x.path).join('\n'),
    });
  }
}

/** Reports the failure, runs the error scripts, and removes what the build left half-done. */
async function recoverFromFailure(session: Session, e: unknown, interrupted: string | undefined) {
  const { order, report, runner } = session;
  const failure = interrupted ? undefined : failureDiagnostic(e);
  if (interrupted) report(diag(buildCodes.interrupted, { signal: interrupted }));
  else report(failure!);
  await waitForChildren(runner);
  if (order.onError.length) {
    // A Ctrl-C is no failure, and the runner refuses every command once the build is aborted.
    if (interrupted)
      report(diag(scriptCodes.handlersSkipped, { count: order.onError.length, signal: interrupted }));
    else
      await runErrorScripts(order.onError, {
        failed: (e as FailedStep)?.step,
        failure: failure!,
        tree: session.tree,
        workDir: session.workspace?.path,
        outputDir: session.options.outputDir,
        sourceEnv: session.sourceEnv,
        runner,
        emit: session.emit,
        report,
      });
  }
  for (const t of session.temps) await removeTree(t);
  await waitForChildren(runner);
  await new TreeCache(session.options.cacheDir).dropUnfinished();
}

/**
 * The order steps run in. Tree steps first; then the outputs, the directory output last so it
 * may take the tree itself instead of a copy, unless a disk output has pre-disk or disk
 * scripts: they change the tree, so such disks come after every other output. A disk's
 * pre-disk scripts run right before it (once, however many disks share them), its disk
 * scripts inside its assembly. Then the post-output scripts. Error scripts are not in it.
 */
export type RunOrder = ReturnType<typeof runOrder>;

export function runOrder(plan: BuildPlan) {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const diskScripts = plan.steps.filter(ofType('disk-script'));
  const tree = plan.steps.filter((s) => treeStepTypes.has(s.type));
  const preDisk = new Map<string, PlanStep<'disk-script'>[]>();
  const disk = new Map<string, PlanStep<'disk-script'>[]>();
  for (const s of plan.steps.filter(ofType('assemble-disk'))) {
    const before: PlanStep<'disk-script'>[] = [];
    for (let up = byId.get(s.inputs[0] ?? ''); up?.type === 'disk-script'; up = byId.get(up.inputs[0] ?? ''))
      before.unshift(up);
    const after: PlanStep<'disk-script'>[] = [];
    for (let cur = s.id; ; ) {
      const next = diskScripts.find((x) => x.inputs[0] === cur);
      if (!next) break;
      after.push(next);
      cur = next.id;
    }
    preDisk.set(s.id, before);
    disk.set(s.id, after);
  }
  const changesTree = (s: PlanStep) => Boolean(preDisk.get(s.id)?.length) || Boolean(disk.get(s.id)?.length);
  const rank = (s: PlanStep) => (changesTree(s) ? 2 : s.type === 'output-directory' ? 1 : 0);
  const outputs = plan.steps
    .filter((s) => !treeStepTypes.has(s.type) && !scriptStepTypes.has(s.type))
    .sort((a, b) => rank(a) - rank(b));
  const postOutput = plan.steps.filter(ofType('post-output-script'));
  const errorScripts = plan.steps.filter(ofType('error-script'));
  const onError = [
    ...errorScripts.filter((s) => s.options.phase === 'on-error'),
    ...errorScripts.filter((s) => s.options.phase !== 'on-error'),
  ];
  const run: PlanStep[] = [...tree];
  for (const s of outputs) {
    for (const p of preDisk.get(s.id) ?? []) if (!run.includes(p)) run.push(p);
    run.push(s, ...(disk.get(s.id) ?? []));
  }
  appendAll(run, postOutput);
  return {
    tree,
    outputs,
    preDisk,
    disk,
    postOutput,
    onError,
    run,
    units: outputUnits(run, outputs, preDisk, disk),
  };
}

/** A unit of the output phase: a pre-disk script, or an output with the disk scripts chained to it. */
export interface OutputUnit extends ScheduledUnit {
  step: PlanStep;
  /** a directory output every other unit runs before may take the tree itself instead of a copy */
  mayMove: boolean;
}

function outputUnits(
  run: PlanStep[],
  outputs: PlanStep[],
  preDisk: Map<string, PlanStep<'disk-script'>[]>,
  disk: Map<string, PlanStep<'disk-script'>[]>,
): OutputUnit[] {
  const owner = new Map<string, string>();
  for (const s of outputs) {
    owner.set(s.id, s.id);
    for (const d of disk.get(s.id) ?? []) owner.set(d.id, s.id);
  }
  const preDiskSteps = new Set([...preDisk.values()].flat());
  for (const p of preDiskSteps) owner.set(p.id, p.id);
  const units = run
    .filter((s) => owner.get(s.id) === s.id)
    .map((step) => {
      const waits = dependenciesOf(step).map((d) => owner.get(d));
      return {
        id: step.id,
        step,
        waitsFor: [...new Set(waits.filter((d): d is string => d !== undefined && d !== step.id))],
      };
    });
  return units.map((u) => ({
    ...u,
    mayMove: u.step.type === 'output-directory' && ancestorsOf(units, u.id).size === units.length - 1,
  }));
}

interface ErrorScriptContext {
  failed?: PlanStep;
  failure: Diagnostic;
  tree?: string;
  workDir?: string;
  outputDir: string;
  sourceEnv: Record<string, string>;
  runner: ProcessRunner;
  emit: (e: BuildEventInput) => void;
  report: (d: Diagnostic) => void;
}

/**
 * The definition's on-error and traceback scripts, after a failure and before anything is
 * cleaned up. Their own failure is a warning (IMGC7303): the build error reported before
 * them is what failed the build.
 */
async function runErrorScripts(handlers: PlanStep<'error-script'>[], cx: ErrorScriptContext): Promise<void> {
  // the tree as far as it got (a directory output may have taken it away already)
  const tree = cx.tree && existsSync(cx.tree) ? cx.tree : undefined;
  const scratch = cx.workDir ?? (await mkdtemp(join(tmpdir(), 'imgc-on-error-')));
  const env = {
    ...cx.sourceEnv,
    IMGC_OUTPUT_DIR: cx.outputDir,
    IMGC_FAILED_STEP: cx.failed?.type ?? 'setup',
    IMGC_FAILED_STEP_TITLE: cx.failed?.title ?? '',
    IMGC_ERROR_CODE: cx.failure.code,
    IMGC_ERROR: cx.failure.message,
  };
  try {
    for (const [k, step] of handlers.entries()) {
      const o = step.options;
      const pointer = step.origin[0];
      const interpreter = o.interpreter.split(/\s+/)[0]!;
      const runnable = interpreter.startsWith('/') ? interpreter : 'bin/sh';
      if (o.chroot && (!tree || !existsSync(join(tree, runnable)))) {
        cx.report(
          diag(
            scriptCodes.phaseNotRun,
            {
              script: o.name,
              phase: o.phase,
              reason: tree
                ? `it runs in the image, and the tree has no ${runnable} yet`
                : 'it runs in the image, and the build failed before there was a tree',
            },
            {},
            pointer !== undefined ? { pointer } : {},
          ),
        );
        continue;
      }
      const t0 = Date.now();
      cx.emit({
        event: 'step-start',
        id: step.id,
        type: step.type,
        title: step.title,
        index: k + 1,
        total: handlers.length,
      });
      try {
        await runScriptFile({
          ...scriptOf(step.id, o, { phase: o.phase, chroot: o.chroot }),
          ...(tree ? { tree } : {}),
          workDir: join(scratch, 'error-scripts'),
          env,
          runner: cx.runner,
          onLine: (line) => cx.emit({ event: 'log', id: step.id, line }),
        });
      } catch (e) {
        const detail =
          e instanceof CommandError
            ? e.exitCode !== null
              ? `exit status ${e.exitCode}`
              : `signal ${e.signal}`
            : (e as Error).message;
        cx.report(
          diag(
            scriptCodes.handlerFailed,
            { script: o.name, phase: o.phase, detail },
            {},
            pointer !== undefined ? { pointer } : {},
          ),
        );
      }
      cx.emit({
        event: 'step-end',
        id: step.id,
        type: step.type,
        title: step.title,
        elapsedMs: Date.now() - t0,
      });
    }
  } finally {
    if (!cx.workDir) await rm(scratch, { recursive: true, force: true });
  }
}

async function waitForChildren(runner: ProcessRunner) {
  for (let i = 0; i < 100 && runner.running > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

interface FailedStep {
  step: PlanStep;
  cause: unknown;
}

function attachStep(cause: unknown, step: PlanStep): FailedStep {
  // a step that runs inside another one (a disk script in the disk assembly) keeps the blame
  if ((cause as FailedStep)?.step && 'cause' in (cause as object)) return cause as FailedStep;
  return { step, cause };
}

function failureDiagnostic(e: unknown): Diagnostic {
  const failed = (e as FailedStep)?.step ? (e as FailedStep) : undefined;
  const cause = failed ? failed.cause : e;
  const pointer = failed?.step.origin[0];
  const extra = { source: 'build', ...(pointer !== undefined ? { pointer } : {}) };
  if (cause instanceof StepError) {
    return {
      ...cause.diagnostic,
      ...extra,
      // a step that knows which of its entries failed points at that one
      ...(cause.diagnostic.pointer !== undefined ? { pointer: cause.diagnostic.pointer } : {}),
      message: failed ? `${failed.step.title}: ${cause.diagnostic.message}` : cause.diagnostic.message,
    };
  }
  const detail =
    cause instanceof CommandError || cause instanceof AbortedError || cause instanceof Error
      ? cause.message
      : String(cause);
  return diag(
    buildCodes.stepFailed,
    { step: failed ? `${failed.step.type} (${failed.step.title})` : 'setup', detail },
    {},
    extra,
  );
}

function locateDiagnostic(d: Diagnostic, positions: PositionTable | undefined): Diagnostic {
  if (!positions || d.file !== undefined || d.pointer === undefined) return d;
  const pos = positionOf(positions, d.pointer);
  return pos ? { ...d, file: pos.file, line: pos.line, column: pos.column } : d;
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  return 0;
}
