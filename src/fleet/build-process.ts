/**
 * The one privileged process that builds one job (`imgc worker --run-job FILE`, started by the
 * worker for each job): it unpacks the definition, plans it with the job's pins and runs the
 * same engine as `imgc build`, printing the build's events as NDJSON on stdout. It stops its
 * build cleanly on SIGTERM (cancel, worker shutdown) and when its worker dies (SIGKILL): it is
 * then re-parented, notices, and cleans up as on Ctrl-C, so a killed worker leaves no build behind.
 */
import { readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BackendRegistry } from '../backends/registry.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { BuildLock } from '../exec/build-lock.js';
import { executeBuild } from '../exec/executor.js';
import type { BuildEvent } from '../exec/progress.js';
import { FormatRegistry } from '../formats/registry.js';
import { pinnedToLock } from '../plan/locked-plan.js';
import { originOf, unpackBundle } from './bundle.js';
import type { ImageJobData } from './job-data.js';
import { planDefinition } from './plan-job.js';

export interface BuildProcessInput {
  job: ImageJobData;
  /** a fresh folder the process owns: the definition and the outputs go below it */
  scratch: string;
  cacheDir: string;
  treeCache: boolean;
  preferTmpfs: boolean;
}

/** The exit codes the worker reads, the same as `imgc build`'s. */
export const BUILD_EXIT = { ok: 0, definition: 1, failed: 3, interrupted: 130 } as const;

export function outputDirOf(scratch: string): string {
  return join(scratch, 'out');
}

export async function runBuildProcess(inputFile: string, write: (line: string) => void): Promise<number> {
  const input = JSON.parse(await readFile(inputFile, 'utf8')) as BuildProcessInput;
  const { job } = input;
  const unpacked = join(input.scratch, 'definition');
  const entry = await unpackBundle(job.definition, unpacked);
  let observe: (e: BuildEvent) => void = () => {};
  const emit = (e: BuildEvent) => {
    observe(e);
    const shown =
      e.event === 'diagnostic' ? { ...e, diagnostic: originOf(job.definition, unpacked, e.diagnostic) } : e;
    write(`${JSON.stringify(shown)}\n`);
  };
  const report = (diagnostics: Diagnostic[]) => {
    for (const diagnostic of diagnostics)
      emit({ time: new Date().toISOString(), event: 'diagnostic', diagnostic });
  };
  const backends = new BackendRegistry();
  const planned = await planDefinition(new FormatRegistry(), backends, entry, {
    ...(job.from ? { from: job.from } : {}),
    profiles: job.profiles,
    options: job.options,
    outputs: job.outputs,
    epoch: job.epoch,
    ...(job.pins ? { pins: job.pins } : {}),
  });
  report(planned.diagnostics);
  if (!planned.plan || hasErrors(planned.diagnostics)) return BUILD_EXIT.definition;
  // as `imgc build` does: the lock beside the outputs, the job's own when it was submitted --locked
  const plan = job.lock ? pinnedToLock(planned.plan, job.lock) : planned.plan;
  const buildLock = new BuildLock(plan, backends, input.cacheDir, job.lock);
  observe = (e) => buildLock.observe(e);
  // as `imgc build` does: dpkg, useradd and the like in the tree read the epoch from there;
  // the job decides, not whatever the worker was started with
  if (job.epoch.reproducible) process.env.SOURCE_DATE_EPOCH = String(job.epoch.value);
  else delete process.env.SOURCE_DATE_EPOCH;

  const controller = new AbortController();
  const stop = (why: string) => {
    if (!controller.signal.aborted) controller.abort(why);
  };
  const onSignal = (sig: NodeJS.Signals) => stop(sig);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent) stop('the worker died');
  }, 250);
  try {
    const result = await executeBuild(plan, {
      cacheDir: input.cacheDir,
      outputDir: outputDirOf(input.scratch),
      backends,
      positions: planned.positions,
      signal: controller.signal,
      onEvent: emit,
      treeCache: input.treeCache,
      preferTmpfs: input.preferTmpfs,
      sourceDir: planned.sourceDir,
    });
    if (result.interrupted) return BUILD_EXIT.interrupted;
    if (!result.ok) return BUILD_EXIT.failed;
    report(await buildLock.write(join(outputDirOf(input.scratch), `${planned.name ?? 'image'}.lock`)));
    return BUILD_EXIT.ok;
  } finally {
    buildLock.cancel();
    clearInterval(orphanWatch);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // the dead worker cannot remove the job's folder (definition, partial outputs): its build does
    if (process.ppid !== parent) await removeOrphanedScratch(input.scratch);
  }
}

async function removeOrphanedScratch(scratch: string): Promise<void> {
  await rm(scratch, { recursive: true, force: true });
  // the worker's folder of job folders, when this was its last job
  await rmdir(dirname(scratch)).catch(() => undefined);
}
