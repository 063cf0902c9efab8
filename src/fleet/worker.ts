/**
 * `imgc worker`: takes image jobs from its queues and builds each in a process of its own
 * (processor.ts), and completes release jobs once their images are done. On start it removes
 * what a killed predecessor left on this machine (workspaces, uploads, job folders); on SIGTERM
 * it stops taking jobs and finishes the ones it has.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Job, Worker } from 'bullmq';
import { processAlive } from '../exec/lock.js';
import { reapStaleWorkspaces, workspaceBases } from '../exec/workspace.js';
import {
  buildQueueName,
  cancelKey,
  KEY_PREFIX,
  openRedis,
  QUEUE_SET_KEY,
  RELEASE_QUEUE,
  redactUrl,
  redisConnection,
} from './connection.js';
import type { ImageJobData, ImageJobResult, ReleaseJobData, ReleaseJobResult } from './job-data.js';
import { cancelledError, imageProcessor } from './processor.js';
import { DirectoryStore } from './store.js';

export interface WorkerSettings {
  redis: string;
  queues: string[];
  concurrency: number;
  cacheDir: string;
  store: string;
  /** the command that starts this imgc (node, its flags, the CLI entry) */
  self: string[];
  /** how long a job stays locked to a worker that stopped answering (then another takes it) */
  lockSeconds: number;
  treeCache: boolean;
  preferTmpfs: boolean;
  say: (line: string) => void;
}

const CANCEL_POLL_MS = 500;

export async function runWorker(settings: WorkerSettings, stop: AbortSignal): Promise<void> {
  const name = `${hostname()}:${process.pid}`;
  const connection = redisConnection(settings.redis);
  const store = new DirectoryStore(settings.store);
  const scratchRoot = join(settings.cacheDir, 'fleet-jobs');
  await reapLeftovers(settings, store, scratchRoot);
  const scratchBase = join(scratchRoot, String(process.pid));

  const client = await openRedis(settings.redis);
  await client.sadd(QUEUE_SET_KEY, ...settings.queues);
  const lockDuration = settings.lockSeconds * 1000;
  const common = {
    connection,
    prefix: KEY_PREFIX,
    lockDuration,
    stalledInterval: Math.max(1000, lockDuration / 2),
    maxStalledCount: 2,
  };
  const active = new Set<string>();
  const cleanups = new Set<Promise<unknown>>();
  const processor = imageProcessor({
    self: settings.self,
    cacheDir: settings.cacheDir,
    scratchBase,
    store,
    treeCache: settings.treeCache,
    preferTmpfs: settings.preferTmpfs,
    worker: name,
    deferCleanup: (removal) => {
      const tracked = removal.catch((e) => settings.say(`worker: removing a job folder: ${e}`));
      cleanups.add(tracked);
      void tracked.finally(() => cleanups.delete(tracked));
    },
  });
  const builders = settings.queues.map(
    (q) =>
      new Worker<ImageJobData, ImageJobResult>(
        buildQueueName(q),
        async (job, token, signal) => {
          if (await client.exists(cancelKey(String(job.id)))) throw cancelledError(String(job.id));
          active.add(String(job.id));
          settings.say(`job ${job.id} (${job.data.name} → ${job.data.outputs.join(', ')}): started`);
          try {
            const result = await processor(job, token, signal);
            settings.say(`job ${job.id}: done in ${(result.elapsedMs / 1000).toFixed(1)} s`);
            return result;
          } catch (e) {
            settings.say(`job ${job.id}: failed: ${(e as Error).message.split('\n')[0]}`);
            throw e;
          } finally {
            active.delete(String(job.id));
          }
        },
        { ...common, concurrency: settings.concurrency },
      ),
  );
  const releaser = new Worker<ReleaseJobData, ReleaseJobResult>(RELEASE_QUEUE, releaseProcessor, common);
  for (const w of [...builders, releaser]) w.on('error', (e) => settings.say(`worker: ${e.message}`));

  // `imgc jobs cancel` marks the job in Redis; the worker that runs it stops its build
  const poll = setInterval(async () => {
    for (const id of active) {
      if (!(await client.exists(cancelKey(id)).catch(() => 0))) continue;
      for (const w of builders) w.cancelJob(id, 'cancelled');
    }
  }, CANCEL_POLL_MS);
  settings.say(
    `worker ${name}: queues ${settings.queues.join(', ')} on ${redactUrl(settings.redis)}, concurrency ${settings.concurrency}, store ${store.location}`,
  );
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  settings.say(`worker ${name}: stopping; finishing ${active.size} running job(s)`);
  clearInterval(poll);
  await Promise.all([...builders, releaser].map((w) => w.close()));
  await Promise.all(cleanups);
  client.disconnect();
  await rm(scratchBase, { recursive: true, force: true });
}

/** The release job runs once every image job has finished: it reports them together. */
async function releaseProcessor(job: Job<ReleaseJobData, ReleaseJobResult>): Promise<ReleaseJobResult> {
  const byKey = (key: string) => key.split(':').at(-1)!;
  const completed: ReleaseJobResult['completed'] = {};
  const failed: ReleaseJobResult['failed'] = {};
  for (const [key, value] of Object.entries(await job.getChildrenValues<ImageJobResult>()))
    completed[byKey(key)] = value;
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures()))
    failed[byKey(key)] = String(reason);
  return { completed, failed };
}

/** What a worker killed on this machine left: build workspaces, half-written uploads, job folders. */
async function reapLeftovers(settings: WorkerSettings, store: DirectoryStore, scratchRoot: string) {
  const workspaces = await reapStaleWorkspaces(workspaceBases(settings.cacheDir, settings.preferTmpfs));
  const uploads = await store.reapPartial();
  await mkdir(scratchRoot, { recursive: true });
  let jobs = 0;
  for (const name of await readdir(scratchRoot)) {
    const pid = Number(name);
    if (pid && processAlive(pid)) continue;
    await rm(join(scratchRoot, name), { recursive: true, force: true });
    jobs += 1;
  }
  if (workspaces.length + uploads.length + jobs)
    settings.say(
      `removed what killed builds left: ${workspaces.length} workspace(s), ${uploads.length} upload(s), ${jobs} job folder(s)`,
    );
}
