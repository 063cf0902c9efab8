/**
 * The worker's side of one image job: it starts the job's own build process (build-process.ts),
 * turns the build's events into job progress and log lines, stores the outputs, and tells
 * BullMQ how the job ended. A definition error fails the job at once (UnrecoverableError: no
 * retry); a crash, a failed step or a store error is thrown as an ordinary error, which BullMQ
 * retries with backoff.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { type Job, UnrecoverableError } from 'bullmq';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { BuildEvent } from '../exec/progress.js';
import { BUILD_EXIT, type BuildProcessInput, outputDirOf } from './build-process.js';
import { FAILURE_MARK, type ImageJobData, type ImageJobResult } from './job-data.js';
import type { ArtifactStore } from './store.js';

/** Build errors that are the definition's fault: retrying cannot help. */
const DEFINITION_FAULTS = new Set(['IMGC7016', 'IMGC7019']);
const PROGRESS_EVERY_MS = 1000;

export interface ProcessorOptions {
  /** the command that starts this imgc: node, its flags and the CLI entry */
  self: string[];
  cacheDir: string;
  /** where each job's scratch folder is made */
  scratchBase: string;
  store: ArtifactStore;
  treeCache: boolean;
  preferTmpfs: boolean;
  worker: string;
  /**
   * Takes the removal of a finished job's folder, which the worker awaits before it exits:
   * removing a tree of thousands of files takes seconds the next job need not wait for.
   */
  deferCleanup: (removal: Promise<unknown>) => void;
}

export function imageProcessor(options: ProcessorOptions) {
  return async (job: Job<ImageJobData, ImageJobResult>, _token?: string, signal?: AbortSignal) => {
    await mkdir(options.scratchBase, { recursive: true });
    const scratch = await mkdtemp(join(options.scratchBase, `job-${job.id}-`));
    const remove = () => rm(scratch, { recursive: true, force: true });
    let result: ImageJobResult;
    try {
      result = await runJob(job, scratch, options, signal);
    } catch (e) {
      // a failed or cancelled job's folder goes before the job is reported, so it leaves nothing
      await remove();
      throw e;
    }
    options.deferCleanup(remove());
    return result;
  };
}

async function runJob(
  job: Job<ImageJobData, ImageJobResult>,
  scratch: string,
  options: ProcessorOptions,
  signal?: AbortSignal,
): Promise<ImageJobResult> {
  const started = Date.now();
  const input: BuildProcessInput = {
    job: job.data,
    scratch,
    cacheDir: options.cacheDir,
    treeCache: options.treeCache,
    preferTmpfs: options.preferTmpfs,
  };
  const inputFile = join(scratch, 'job.json');
  await writeFile(inputFile, JSON.stringify(input), { mode: 0o600 });
  await mkdir(outputDirOf(scratch), { recursive: true });
  await job.updateProgress({ time: new Date().toISOString(), event: 'job-start', worker: options.worker });

  const [command, ...args] = options.self;
  // its own process group: a Ctrl-C at the worker's terminal is the worker's to handle
  const child = spawn(command!, [...args, 'worker', '--run-job', inputFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stop = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', stop, { once: true });
  const diagnostics: Diagnostic[] = [];
  const tail: string[] = [];
  let lastProgress = 0;
  const pending: Promise<unknown>[] = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    let e: BuildEvent;
    try {
      e = JSON.parse(line) as BuildEvent;
    } catch {
      tail.push(line);
      return;
    }
    if (e.event === 'log') {
      tail.push(e.line);
      if (tail.length > 40) tail.shift();
      return;
    }
    if (e.event === 'diagnostic') {
      diagnostics.push(e.diagnostic);
      pending.push(job.log(renderDiagnostic(e.diagnostic, { color: false })));
    }
    if (e.event === 'step-progress') {
      if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
    }
    pending.push(job.updateProgress(e as unknown as object));
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-8000);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, sig) => resolve({ code, signal: sig })),
  );
  signal?.removeEventListener('abort', stop);
  await Promise.allSettled(pending);

  const errors = diagnostics.filter((d) => d.severity === 'error');
  const rendered = () => errors.map((d) => renderDiagnostic(d, { color: false })).join('\n');
  if (signal?.aborted) throw cancelledError(String(job.id));
  if (exit.code === BUILD_EXIT.definition)
    throw new UnrecoverableError(`${FAILURE_MARK.definition}${rendered() || stderr}`);
  if (exit.code === BUILD_EXIT.failed) {
    if (tail.length) await job.log(`last output of the failing step:\n${tail.join('\n')}`);
    const message = rendered() || stderr;
    if (errors.some((d) => DEFINITION_FAULTS.has(d.code)))
      throw new UnrecoverableError(`${FAILURE_MARK.definition}${message}`);
    throw new Error(message);
  }
  if (exit.code !== BUILD_EXIT.ok) {
    const detail = exit.signal
      ? `killed by ${exit.signal}`
      : `exit ${exit.code}: ${stderr.trim().slice(-2000)}`;
    throw new Error(diag(fleetCodes.buildCrashed, { detail }).message);
  }
  const storing = Date.now();
  const artifacts = await storeOutputs(job, scratch, options.store);
  return {
    artifacts,
    diagnostics: diagnostics.filter((d) => d.severity !== 'error'),
    elapsedMs: Date.now() - started,
    storeMs: Date.now() - storing,
    worker: options.worker,
  };
}

const run = promisify(execFile);

/** Every file the build wrote into its output folder (outputs and what it writes beside them). */
async function storeOutputs(job: Job, scratch: string, store: ArtifactStore) {
  const out = outputDirOf(scratch);
  const files: { name: string; path: string }[] = [];
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (entry.name.startsWith('.imgc-')) continue;
    const path = join(out, entry.name);
    if (entry.isFile()) files.push({ name: entry.name, path });
    else if (entry.isDirectory()) {
      // a directory output travels as one tar, ownership and modes kept
      const tar = join(scratch, `${entry.name}.tar`);
      await run('tar', ['--sort=name', '--numeric-owner', '--xattrs', '-cf', tar, '-C', path, '.']);
      files.push({ name: `${entry.name}.tar`, path: tar });
    }
  }
  try {
    return await store.put(String(job.id), files);
  } catch (e) {
    throw new Error(diag(fleetCodes.storeFailed, { store: store.location, detail: String(e) }).message);
  }
}

export function cancelledError(jobId: string): UnrecoverableError {
  const d = diag(fleetCodes.cancelled, { id: jobId });
  return new UnrecoverableError(`${FAILURE_MARK.cancelled}${d.code} ${d.message}`);
}
