/**
 * Runs a build plan: takes the cache lock, serves the longest cached prefix of the tree
 * chain from the tree cache, runs the remaining steps (backend steps through the backend
 * contract, core steps here), writes each output under a temporary name and renames it
 * into place. On failure or abort every child is stopped, the workspace is removed (chroot
 * mounts live in private namespaces and cannot outlive their command) and no partial output
 * is left.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, StepContext } from '../backends/contract.js';
import { StepError } from '../backends/contract.js';
import type { BackendRegistry } from '../backends/registry.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import { writeDirectoryOutput } from '../outputs/directory/index.js';
import { assembleDisk, convertImage, type DiskInfo } from '../outputs/disk/index.js';
import { makeInitrd } from '../outputs/initrd/index.js';
import { outputStepTypes, runOutputStep as runBootOutputStep } from '../outputs/run-step.js';
import { writeTarOutput } from '../outputs/tar/index.js';
import type { BuildPlan, PlanStep, StepOptions } from '../plan/steps.js';
import { scriptStepTypes, treeStepTypes } from '../plan/steps.js';
import { commitOutput, reapStaleOutputs, tempOutputPath } from './atomic.js';
import { installFirstBoot } from './first-boot.js';
import { acquireLock, LockTimeoutError } from './lock.js';
import { type BuildEventInput, type EventSink, stamp } from './progress.js';
import { runScript } from './run-script.js';
import { AbortedError, CommandError, ProcessRunner } from './runner.js';
import { runScriptFile, scriptFailure, scriptOf } from './scripts.js';
import { TreeCache } from './tree-cache.js';
import {
  createWorkspace,
  reapStaleWorkspaces,
  removeTree,
  TMPFS_BASE,
  type Workspace,
  workspaceBases,
} from './workspace.js';
import { writeFiles } from './write-files.js';

export interface ExecuteOptions {
  cacheDir: string;
  outputDir: string;
  backends: BackendRegistry;
  positions?: PositionTable;
  signal: AbortSignal;
  onEvent?: EventSink;
  /** false: neither read nor write the tree cache (the package cache is still used) */
  treeCache?: boolean;
  /** keep at most this many tree snapshots */
  keepTrees?: number;
  /** build on /dev/shm when it has room (default true) */
  preferTmpfs?: boolean;
  lockTimeoutMs?: number;
  /** folder of the definition: post-output and error scripts see it as IMGC_SOURCE_DIR and SRCDIR */
  sourceDir?: string;
}

export interface BuildResult {
  ok: boolean;
  outputs: { type: string; path: string }[];
  diagnostics: Diagnostic[];
  interrupted?: string;
}

const requiredTools: Record<string, string> = {
  unshare: 'util-linux',
  chroot: 'coreutils',
  cp: 'coreutils',
  tar: 'tar',
};

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => existsSync(join(d, tool)));
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

  if (process.getuid?.() !== 0) {
    report(diag(buildCodes.needsRoot, undefined));
    return finish(false, []);
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
    return finish(false, []);
  }
  for (const [tool, pkg] of Object.entries({
    ...requiredTools,
    ...backend.hostTools,
  })) {
    if (!onPath(tool)) report(diag(buildCodes.toolMissing, { tool, pkg }));
  }
  if (diagnostics.some((d) => d.severity === 'error')) return finish(false, []);

  await mkdir(options.cacheDir, { recursive: true });
  await mkdir(options.outputDir, { recursive: true });
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(join(options.cacheDir, 'lock'), {
      timeoutMs: options.lockTimeoutMs,
      signal: options.signal,
      onWait: (holder) => emit({ event: 'lock-wait', holder }),
    });
  } catch (e) {
    if (e instanceof LockTimeoutError)
      report(diag(buildCodes.lockTimeout, { path: e.path, pid: e.holder, seconds: e.seconds }));
    else report(diag(buildCodes.interrupted, { signal: String(options.signal.reason ?? 'abort') }));
    return finish(false, [], options.signal.aborted ? String(options.signal.reason) : undefined);
  }

  const bases = workspaceBases(options.cacheDir, options.preferTmpfs ?? true);
  let workspace: Workspace | undefined;
  let tree: string | undefined;
  const temps = new Set<string>();
  const outputs: BuildResult['outputs'] = [];
  const runner = new ProcessRunner({ signal: options.signal });
  const order = runOrder(plan);
  const total = order.run.length;
  const sourceEnv: Record<string, string> = options.sourceDir
    ? { IMGC_SOURCE_DIR: options.sourceDir, SRCDIR: options.sourceDir }
    : {};
  try {
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
    workspace = await createWorkspace(wantsDirectory && !onTmpfs ? options.outputDir : bases[0]!);
    tree = join(workspace.path, 'tree');
    const treePath = tree;
    emit({
      event: 'build-start',
      backend: backend.id,
      steps: total,
      outputs: plan.outputs,
      cacheDir: options.cacheDir,
      workDir: workspace.path,
    });

    const cache = new TreeCache(options.cacheDir);
    const useCache = options.treeCache ?? true;
    const treeSteps = order.tree;
    let resumeAt = 0;
    if (useCache) {
      for (let i = treeSteps.length - 1; i >= 0; i--) {
        const s = treeSteps[i]!;
        if (s.cache && cache.has(s.id)) {
          resumeAt = i + 1;
          break;
        }
      }
    }
    if (resumeAt > 0) {
      const hit = treeSteps[resumeAt - 1]!;
      for (const [i, s] of treeSteps.slice(0, resumeAt).entries()) {
        emit({ event: 'step-cached', id: s.id, type: s.type, title: s.title, index: i + 1, total });
      }
      await cache.restore(hit.id, treePath, runner);
      await cache.touch(hit.id);
    }

    const contextFor = async (step: PlanStep): Promise<StepContext> => {
      const workDir = join(workspace!.path, 'steps', step.id);
      await mkdir(workDir, { recursive: true });
      return {
        tree: treePath,
        workDir,
        packageCache: join(
          options.cacheDir,
          'packages',
          backend.id,
          `${plan.distribution.suite}-${plan.distribution.architecture}`,
        ),
        signal: options.signal,
        runner,
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
        report,
      };
    };
    /** One step with its start and end events; a failure carries the step (the innermost one). */
    const track = async <T>(step: PlanStep, run: (context: StepContext) => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      const index = order.run.indexOf(step) + 1;
      emit({ event: 'step-start', id: step.id, type: step.type, title: step.title, index, total });
      let result: T;
      try {
        result = await run(await contextFor(step));
      } catch (e) {
        throw attachStep(e, step);
      }
      emit({
        event: 'step-end',
        id: step.id,
        type: step.type,
        title: step.title,
        elapsedMs: Date.now() - t0,
      });
      return result;
    };

    for (let i = resumeAt; i < treeSteps.length; i++) {
      const step = treeSteps[i]!;
      const t0 = Date.now();
      emit({ event: 'step-start', id: step.id, type: step.type, title: step.title, index: i + 1, total });
      try {
        await runTreeStep(step, backend, await contextFor(step));
      } catch (e) {
        throw attachStep(e, step);
      }
      let saved = false;
      if (useCache && step.cache) {
        emit({ event: 'step-progress', id: step.id, note: 'saving the tree to the cache' });
        await cache.save(step.id, treePath, runner, { type: step.type, title: step.title });
        saved = true;
      }
      await rm(join(workspace.path, 'steps', step.id), { recursive: true, force: true });
      emit({
        event: 'step-end',
        id: step.id,
        type: step.type,
        title: step.title,
        elapsedMs: Date.now() - t0,
        saved,
      });
    }
    if (useCache) await cache.prune(options.keepTrees ?? 4);

    const preDiskDone = new Set<string>();
    const diskScripts: DiskScripts = {
      run: (step, env) =>
        track(step, (context) =>
          runDiskScript(step, context, { IMGC_OUTPUT_DIR: options.outputDir, ...env }),
        ),
    };
    const pending: Array<WrittenOutput & { type: string }> = [];
    for (const [k, step] of order.outputs.entries()) {
      const isLast = k === order.outputs.length - 1;
      for (const pre of order.preDisk.get(step.id) ?? []) {
        if (preDiskDone.has(pre.id)) continue;
        await diskScripts.run(pre, {});
        preDiskDone.add(pre.id);
      }
      await track(step, async (context) => {
        const written = await runOutputStep(step, context, options.outputDir, temps, isLast, {
          ...diskScripts,
          scripts: order.disk.get(step.id) ?? [],
        });
        pending.push({ ...written, type: step.type });
      });
    }
    // Every output is complete: they are put in place together, so a build that fails or is
    // interrupted half-way leaves none of its outputs, not some next to older ones.
    if (options.signal.aborted) throw new AbortedError(String(options.signal.reason));
    for (const p of pending) {
      for (const { temp, final } of [...p.extras, p.main]) {
        if (await commitOutput(temp, final)) report(diag(buildCodes.outputExists, { path: final }));
        temps.delete(temp);
      }
      outputs.push({ type: p.type.replace(/^output-|^assemble-/, ''), path: p.main.final });
      emit({ event: 'output', type: p.type, path: p.main.final, sizeBytes: await sizeOf(p.main.final) });
    }

    // mkosi's mkosi.postoutput: on the host, once every output is in place
    for (const step of order.postOutput) {
      await track(step, async (context) => {
        const o = step.options as StepOptions<'post-output-script'>;
        try {
          await runScriptFile({
            ...scriptOf(step.id, o, { phase: 'post-output', chroot: false }),
            workDir: context.workDir,
            env: {
              ...sourceEnv,
              IMGC_OUTPUT_DIR: options.outputDir,
              OUTPUTDIR: options.outputDir,
              IMGC_OUTPUTS: outputs.map((x) => x.path).join('\n'),
            },
            runner: context.runner,
            onLine: (line) => context.progress.log(line),
          });
        } catch (e) {
          scriptFailure(e, o, step.origin[0], report);
        }
      });
    }
    return finish(true, outputs);
  } catch (e) {
    const interrupted = options.signal.aborted ? String(options.signal.reason ?? 'abort') : undefined;
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
          tree,
          workDir: workspace?.path,
          outputDir: options.outputDir,
          sourceEnv,
          runner,
          emit,
          report,
        });
    }
    for (const t of temps) await removeTree(t);
    await waitForChildren(runner);
    await new TreeCache(options.cacheDir).dropUnfinished();
    return finish(false, outputs, interrupted);
  } finally {
    await waitForChildren(runner);
    if (workspace) await workspace.dispose();
    await lock.release();
  }
}

/**
 * The order steps run in. Tree steps first; then the outputs, the directory output last so it
 * may take the tree itself instead of a copy, unless a disk output has pre-disk or disk
 * scripts: they change the tree, so such disks come after every other output. A disk's
 * pre-disk scripts run right before it (once, however many disks share them), its disk
 * scripts inside its assembly. Then the post-output scripts. Error scripts are not in it.
 */
export function runOrder(plan: BuildPlan) {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const tree = plan.steps.filter((s) => treeStepTypes.has(s.type));
  const preDisk = new Map<string, PlanStep[]>();
  const disk = new Map<string, PlanStep[]>();
  for (const s of plan.steps) {
    if (s.type !== 'assemble-disk') continue;
    const before: PlanStep[] = [];
    for (let up = byId.get(s.inputs[0] ?? ''); up?.type === 'disk-script'; up = byId.get(up.inputs[0] ?? ''))
      before.unshift(up);
    const after: PlanStep[] = [];
    for (let cur = s.id; ; ) {
      const next = plan.steps.find((x) => x.type === 'disk-script' && x.inputs[0] === cur);
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
  const postOutput = plan.steps.filter((s) => s.type === 'post-output-script');
  const onError = [
    ...plan.steps.filter((s) => s.type === 'error-script' && s.options.phase === 'on-error'),
    ...plan.steps.filter((s) => s.type === 'error-script' && s.options.phase !== 'on-error'),
  ];
  const run: PlanStep[] = [...tree];
  for (const s of outputs) {
    for (const p of preDisk.get(s.id) ?? []) if (!run.includes(p)) run.push(p);
    run.push(s, ...(disk.get(s.id) ?? []));
  }
  run.push(...postOutput);
  return { tree, outputs, preDisk, disk, postOutput, onError, run };
}

interface DiskScripts {
  /** runs one disk-script step with its events; env adds to the script's environment */
  run: (step: PlanStep, env: Record<string, string>) => Promise<void>;
}

async function runDiskScript(step: PlanStep, context: StepContext, env: Record<string, string>) {
  const o = step.options as StepOptions<'disk-script'>;
  try {
    await runScriptFile({
      ...scriptOf(step.id, o, { phase: o.phase, chroot: o.chroot }),
      tree: context.tree,
      workDir: context.workDir,
      env,
      // KIWI runs its host disk hooks (editbootconfig, editbootinstall) in the image root folder
      ...(o.chroot ? {} : { cwd: context.tree }),
      runner: context.runner,
      onLine: (line) => context.progress.log(line),
    });
  } catch (e) {
    scriptFailure(e, o, step.origin[0], context.report);
  }
}

/** What disk scripts see of the image: IMGC_DISK_* (the image path only on the host). */
export function diskEnv(
  info: DiskInfo,
  disk: { name: string; format: string },
  host: boolean,
): Record<string, string> {
  return {
    ...(host ? { IMGC_DISK_IMAGE: info.image } : {}),
    IMGC_DISK_NAME: disk.name,
    IMGC_DISK_FORMAT: disk.format,
    IMGC_DISK_SIZE: String(info.sizeBytes),
    IMGC_DISK_UUID: info.diskUuid,
    IMGC_DISK_PARTITIONS: info.partitions
      .map((p) => `${p.number} ${p.role} ${p.filesystem} ${p.start} ${p.size} ${p.uuid}`)
      .join('\n'),
  };
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
async function runErrorScripts(handlers: PlanStep[], cx: ErrorScriptContext): Promise<void> {
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
      const o = step.options as StepOptions<'error-script'>;
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

async function runTreeStep(step: PlanStep, backend: Backend, context: StepContext): Promise<void> {
  if (step.executor === `backend:${backend.id}`) return backend.execute(step, context);
  if (step.type === 'write-files') return writeFiles(step, context);
  if (step.type === 'run-script') return runScript(step, context);
  if (step.type === 'first-boot-script') return installFirstBoot(step, context);
  if (step.type === 'make-initrd') return makeInitrd(step, context);
  throw new Error(`no executor for ${step.type} steps`);
}

/** An output written under its temporary name, with the files some outputs add beside it. */
interface WrittenOutput {
  main: { temp: string; final: string };
  extras: Array<{ temp: string; final: string }>;
}

async function runOutputStep(
  step: PlanStep,
  context: StepContext,
  outputDir: string,
  temps: Set<string>,
  isLast: boolean,
  disk: DiskScripts & { scripts: PlanStep[] },
): Promise<WrittenOutput> {
  const extrasWritten: WrittenOutput['extras'] = [];
  const name = String((step.options as { name: string }).name);
  const temp = tempOutputPath(outputDir, name);
  const final = join(outputDir, name);
  temps.add(temp);
  await removeTree(temp);
  if (step.type === 'output-directory') {
    const how = await writeDirectoryOutput({
      tree: context.tree,
      dest: temp,
      mayMove: isLast,
      previous: final,
      runner: context.runner,
    });
    context.progress.note(
      how === 'moved'
        ? 'moved the tree into place'
        : how === 'copied'
          ? 'copied the tree'
          : 'copied the tree, hard-linking files unchanged since the previous output',
    );
  } else if (step.type === 'output-tar') {
    const o = step.options as StepOptions<'output-tar'>;
    await writeTarOutput({
      tree: context.tree,
      dest: temp,
      compression: o.compression,
      sourceDateEpoch: o.sourceDateEpoch,
      runner: context.runner,
    });
  } else if (step.type === 'assemble-disk') {
    await assembleDiskStep(step, context, temp, disk);
  } else if (outputStepTypes.has(step.type)) {
    const extras = await runBootOutputStep(step, context, temp, (n) => {
      const t = tempOutputPath(outputDir, n);
      temps.add(t);
      return t;
    });
    for (const extra of extras) extrasWritten.push({ temp: extra.temp, final: join(outputDir, extra.name) });
  } else {
    throw new Error(`no executor for ${step.type} steps`);
  }
  return { main: { temp, final }, extras: extrasWritten };
}

async function osRelease(tree: string): Promise<Record<string, string>> {
  const text =
    (await readFile(join(tree, 'etc/os-release'), 'utf8').catch(() => undefined)) ??
    (await readFile(join(tree, 'usr/lib/os-release'), 'utf8').catch(() => ''));
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim());
    if (m) out[m[1]!] = m[3]!;
  }
  return out;
}

async function assembleDiskStep(
  step: PlanStep,
  context: StepContext,
  temp: string,
  disk: DiskScripts & { scripts: PlanStep[] },
) {
  const o = step.options as StepOptions<'assemble-disk'>;
  const rel = await osRelease(context.tree);
  const os = {
    ...o.os,
    ...(rel.VERSION_ID ? { versionId: rel.VERSION_ID } : {}),
    ...(rel.PRETTY_NAME ? { prettyName: rel.PRETTY_NAME } : {}),
  };
  const raw = o.format === 'raw' ? temp : `${temp}.raw`;
  // chroot disk scripts change the tree before the filesystems are made from it; host ones see the finished image
  const inTree = disk.scripts.filter((s) => s.options.chroot === true);
  const onImage = disk.scripts.filter((s) => s.options.chroot !== true);
  const runAll = (scripts: PlanStep[], host: boolean) => async (info: DiskInfo) => {
    for (const s of scripts) await disk.run(s, diskEnv(info, o, host));
  };
  await assembleDisk({
    tree: context.tree,
    output: raw,
    workDir: context.workDir,
    storage: o.storage,
    boot: o.boot,
    cmdline: o.cmdline,
    os,
    signal: context.signal,
    onProgress: (m: string) => context.progress.note(m),
    ...(inTree.length ? { beforeFilesystems: runAll(inTree, false) } : {}),
    ...(onImage.length ? { afterFilesystems: runAll(onImage, true) } : {}),
  });
  if (o.format !== 'raw') {
    try {
      await convertImage(raw, temp, o.format, context.signal);
    } finally {
      await rm(raw, { force: true });
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  return 0;
}
