/**
 * Build fleets on BullMQ and Redis (docs/fleet.md): `imgc worker`, `imgc submit`,
 * `imgc jobs list|show|cancel|retry`. The work is in src/fleet; this file wires flags and prints.
 */
import { resolve } from 'node:path';
import { localHost } from '../backends/registry.js';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { BuildEvent } from '../exec/progress.js';
import { runBuildProcess } from '../fleet/build-process.js';
import { checkQueueName, checkRedisUrl, RedisUnreachable } from '../fleet/connection.js';
import { Fleet, type JobSummary, outcomeOf } from '../fleet/jobs.js';
import { queueArch, submitJobs } from '../fleet/submit.js';
import { runWorker } from '../fleet/worker.js';
import { appendAll } from '../input/append.js';
import type { OutputType } from '../ir/schema.js';
import { progressRenderer } from './build.js';
import { type FormatFlags, formatOptionsFrom } from './options.js';
import { EXIT, type Io, printDiagnostics, printJson, say, shown } from './output.js';
import { defaultCacheDir, parseOutputTypes } from './plan.js';
import type { CommandContext } from './register.js';
import { chooseEpoch } from './source-date-epoch.js';

/** The command that starts this same imgc again: node, its flags (e.g. a loader) and the CLI entry. */
function selfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!];
}

function failWith(io: Io, diagnostics: Diagnostic[], code: number): number {
  printDiagnostics(io, diagnostics);
  return code;
}

/** Opens the fleet, or says why not; the callback's exit code is the command's. */
async function withFleet(io: Io, redis: string | undefined, run: (fleet: Fleet) => Promise<number>) {
  const bad = checkRedisUrl(redis);
  if (bad) return failWith(io, [bad], EXIT.usage);
  let fleet: Fleet;
  try {
    fleet = await Fleet.open(redis!);
  } catch (e) {
    if (e instanceof RedisUnreachable) return failWith(io, [e.diagnostic()], EXIT.usage);
    throw e;
  }
  try {
    return await run(fleet);
  } finally {
    await fleet.close();
  }
}

export interface WorkerFlags {
  redis?: string;
  queue: string[];
  concurrency?: string;
  store?: string;
  cacheDir?: string;
  lockSeconds?: string;
  treeCache?: boolean;
  tmpfs?: boolean;
  runJob?: string;
}

export async function runWorkerCommand(io: Io, flags: WorkerFlags): Promise<number> {
  if (flags.runJob) {
    // the worker reads stdout; once it is gone (SIGKILL) a write must neither crash nor end
    // the process (bin/imgc.js exits on EPIPE) before the build has cleaned up
    let reading = true;
    process.stdout.removeAllListeners('error');
    process.stdout.on('error', () => {
      reading = false;
    });
    return runBuildProcess(flags.runJob, (line) => {
      if (reading) io.stdout(line);
    });
  }
  const diagnostics: Diagnostic[] = [];
  const redisProblem = checkRedisUrl(flags.redis);
  if (redisProblem) diagnostics.push(redisProblem);
  if (!flags.store)
    diagnostics.push(diag(fleetCodes.badStore, { path: '(none)', detail: 'give --store or $IMGC_STORE' }));
  let queues = flags.queue;
  if (!queues.length) {
    queues = [queueArch(localHost().architecture)];
    diagnostics.push(
      diag(fleetCodes.queueInferred, { queue: queues[0]!, how: 'the architecture of this machine' }),
    );
  }
  for (const q of queues) {
    const bad = checkQueueName(q);
    if (bad) diagnostics.push(bad);
  }
  const concurrency = positive(flags.concurrency ?? '1', '--concurrency', diagnostics);
  const lockSeconds = positive(flags.lockSeconds ?? '30', '--lock-seconds', diagnostics);
  printDiagnostics(io, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return EXIT.usage;

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runWorker(
      {
        redis: flags.redis!,
        queues,
        concurrency,
        cacheDir: resolve(flags.cacheDir ?? defaultCacheDir()),
        store: resolve(flags.store!),
        self: selfCommand(),
        lockSeconds,
        treeCache: flags.treeCache ?? true,
        preferTmpfs: flags.tmpfs ?? true,
        say: (line) => say(io, `${new Date().toISOString()} ${line}`),
      },
      controller.signal,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof RedisUnreachable) return failWith(io, [e.diagnostic()], EXIT.usage);
    throw e;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function positive(value: string, flag: string, diagnostics: Diagnostic[]): number {
  const n = Number(value);
  if (Number.isInteger(n) && n > 0) return n;
  diagnostics.push(
    diag(fleetCodes.badQueueName, { name: `${flag} ${value}` }, undefined, {
      hint: `${flag} takes a whole number above 0`,
    }),
  );
  return 1;
}

export interface SubmitFlags extends FormatFlags {
  redis?: string;
  output?: string[];
  capability: string[];
  from?: string;
  profile?: string[];
  pin?: boolean;
  locked?: boolean;
  lock?: string;
  reproducible?: boolean;
  cacheDir?: string;
  attempts?: string;
  backoffSeconds?: string;
  wait?: boolean;
  json?: boolean;
}

export async function runSubmitCommand(ctx: CommandContext, definitions: string[], flags: SubmitFlags) {
  const { io } = ctx;
  const outputSets: OutputType[][] = [];
  const diagnostics: Diagnostic[] = [];
  for (const value of flags.output?.length ? flags.output : ['']) {
    const parsed = parseOutputTypes([value]);
    appendAll(diagnostics, parsed.diagnostics);
    outputSets.push(parsed.types);
  }
  const attempts = positive(flags.attempts ?? '3', '--attempts', diagnostics);
  const backoffSeconds = positive(flags.backoffSeconds ?? '10', '--backoff-seconds', diagnostics);
  for (const c of flags.capability) {
    const bad = checkQueueName(c);
    if (bad) diagnostics.push(bad);
  }
  const redisProblem = checkRedisUrl(flags.redis);
  if (redisProblem) diagnostics.push(redisProblem);
  if (diagnostics.some((d) => d.severity === 'error')) return failWith(io, diagnostics, EXIT.usage);

  let submitted: Awaited<ReturnType<typeof submitJobs>>;
  try {
    submitted = await submitJobs(ctx.registry, {
      redis: flags.redis!,
      definitions,
      outputSets,
      ...(flags.arch ? { arch: flags.arch } : {}),
      capabilities: flags.capability,
      ...(flags.from ? { from: flags.from } : {}),
      profiles: flags.profile ?? [],
      options: formatOptionsFrom(flags),
      epoch: (files) => {
        const chosen = chooseEpoch({
          env: process.env.SOURCE_DATE_EPOCH,
          reproducible: flags.reproducible === true,
          files,
        });
        return { value: chosen.epoch, reproducible: chosen.reproducible, diagnostics: chosen.diagnostics };
      },
      ...(flags.locked || flags.lock ? { locked: flags.lock ? { file: flags.lock } : {} } : {}),
      pin: flags.pin ?? true,
      cacheDir: resolve(flags.cacheDir ?? defaultCacheDir()),
      attempts,
      backoffSeconds,
    });
  } catch (e) {
    if (e instanceof RedisUnreachable) return failWith(io, [e.diagnostic()], EXIT.usage);
    throw e;
  }
  if (!submitted.releaseId) {
    if (flags.json) printJson(io, { diagnostics: submitted.diagnostics });
    return failWith(flags.json ? { ...io, stderr: () => {} } : io, submitted.diagnostics, EXIT.inputErrors);
  }
  if (flags.json && !flags.wait)
    printJson(io, {
      release: submitted.releaseId,
      images: submitted.images,
      diagnostics: submitted.diagnostics,
    });
  else {
    printDiagnostics(io, submitted.diagnostics);
    if (!flags.json) {
      io.stdout(`release ${submitted.releaseId}\n`);
      for (const i of submitted.images)
        io.stdout(`${i.id}  ${i.queue}  ${i.name} → ${i.outputs.join(',') || "the definition's outputs"}\n`);
    }
  }
  if (!flags.wait) return EXIT.ok;
  return withFleet(io, flags.redis, (fleet) => waitFor(io, fleet, submitted.images, Boolean(flags.json)));
}

/** `submit --wait`: each job's build events as a local build prints them, then the exit code of the worst. */
async function waitFor(io: Io, fleet: Fleet, images: { id: string; queue: string }[], json: boolean) {
  const renderers = new Map<string, (e: BuildEvent) => void>();
  const rendererOf = (id: string) => {
    let r = renderers.get(id);
    if (!r) {
      r = progressRenderer({ ...io, stderr: (t) => io.stderr(`[${id}] ${t}`) }, 'plain');
      renderers.set(id, r);
    }
    return r;
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  try {
    const finals = await fleet.follow(
      images,
      (id, e) => {
        if (json) io.stdout(`${JSON.stringify(shown(io, { job: id, ...e }))}\n`);
        else if (e.event === 'job-start')
          io.stderr(`[${id}] ${e.time} started on ${(e as { worker?: string }).worker}\n`);
        else rendererOf(id)(shown(io, e as BuildEvent));
      },
      controller.signal,
    );
    if (controller.signal.aborted) return EXIT.interrupted;
    return reportFinals(io, fleet, finals, json);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

async function reportFinals(io: Io, fleet: Fleet, finals: Record<string, JobSummary>, json: boolean) {
  let code: number = EXIT.ok;
  const rank = { ok: 0, definition: 1, failed: 2, cancelled: 3, running: 2 } as const;
  const exitOf = {
    ok: EXIT.ok,
    definition: EXIT.inputErrors,
    failed: EXIT.buildFailed,
    cancelled: EXIT.interrupted,
    running: EXIT.buildFailed,
  };
  let worst: keyof typeof rank = 'ok';
  for (const s of Object.values(finals)) {
    const outcome = outcomeOf(s);
    if (rank[outcome] > rank[worst]) worst = outcome;
    const found = await fleet.find(s.id);
    const detail = found ? await fleet.detail(found.queue, found.job) : undefined;
    if (json)
      io.stdout(`${JSON.stringify(shown(io, { job: s.id, event: 'job-end', outcome, ...detail }))}\n`);
    else if (outcome === 'ok') {
      const files =
        (detail?.result as { artifacts?: { files: { name: string; sha256: string }[] } })?.artifacts?.files ??
        [];
      io.stderr(
        `[${s.id}] done: ${files.map((f) => `${f.name} sha256:${f.sha256.slice(0, 12)}`).join(', ')}\n`,
      );
    } else if (outcome !== 'definition')
      io.stderr(
        `[${s.id}] ${diag(fleetCodes.jobFailed, { id: s.id, reason: s.failedReason ?? '', attempts: s.attemptsMade }).message}\n`,
      );
  }
  code = exitOf[worst];
  return code;
}

function renderSummary(s: JobSummary): string {
  const attempts = `${s.attemptsMade}/${s.attempts}`;
  const state =
    s.cancelRequested && !['completed', 'failed'].includes(s.state) ? `${s.state}, cancelling` : s.state;
  return `${s.id.padEnd(16)} ${state.padEnd(18)} ${s.queue.padEnd(16)} ${attempts.padEnd(5)} ${s.name}${s.outputs.length ? ` → ${s.outputs.join(',')}` : ''}`;
}

function notFound(io: Io, id: string): number {
  return failWith(io, [diag(fleetCodes.jobNotFound, { id })], EXIT.inputErrors);
}

/** `imgc jobs list` */
export function runJobsList(io: Io, opts: { redis?: string; json?: boolean }): Promise<number> {
  return withFleet(io, opts.redis, async (fleet) => {
    const all = await fleet.list();
    if (opts.json) printJson(io, { jobs: all });
    else for (const s of all) io.stdout(`${renderSummary(s)}\n`);
    return EXIT.ok;
  });
}

/** `imgc jobs show` */
export function runJobsShow(io: Io, id: string, opts: { redis?: string; json?: boolean }): Promise<number> {
  return withFleet(io, opts.redis, async (fleet) => {
    const found = await fleet.find(id);
    if (!found) return notFound(io, id);
    const detail = await fleet.detail(found.queue, found.job);
    if (opts.json) printJson(io, detail);
    else {
      io.stdout(`${renderSummary(detail)}\n`);
      if (detail.failedReason) io.stdout(`failed: ${detail.failedReason}\n`);
      if (detail.result) io.stdout(`result: ${JSON.stringify(shown(io, detail.result), null, 2)}\n`);
      for (const line of detail.log) io.stdout(`${line}\n`);
    }
    return EXIT.ok;
  });
}

/** `imgc jobs cancel` */
export function runJobsCancel(io: Io, id: string, opts: { redis?: string }): Promise<number> {
  return withFleet(io, opts.redis, async (fleet) => {
    const found = await fleet.find(id);
    if (!found) return notFound(io, id);
    const state = await found.job.getState();
    if (state === 'completed' || state === 'failed')
      return failWith(io, [diag(fleetCodes.notCancellable, { id, state })], EXIT.inputErrors);
    await fleet.cancel(id);
    say(io, `job ${id} (${state}): cancel requested`);
    return EXIT.ok;
  });
}

/** `imgc jobs retry` */
export function runJobsRetry(io: Io, id: string, opts: { redis?: string }): Promise<number> {
  return withFleet(io, opts.redis, async (fleet) => {
    const found = await fleet.find(id);
    if (!found) return notFound(io, id);
    const state = await found.job.getState();
    if (state !== 'failed')
      return failWith(io, [diag(fleetCodes.notRetryable, { id, state })], EXIT.inputErrors);
    await fleet.retry(found.job);
    say(io, `job ${id}: queued again`);
    return EXIT.ok;
  });
}
