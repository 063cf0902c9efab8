/** `imgc jobs list|show|cancel|retry` and `submit --wait`: the jobs of the fleet, read from Redis. */
import { type Job, type JobState, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BuildEvent } from '../exec/progress.js';
import {
  buildQueueName,
  cancelKey,
  KEY_PREFIX,
  openRedis,
  QUEUE_SET_KEY,
  RELEASE_QUEUE,
  redisConnection,
} from './connection.js';
import { FAILURE_MARK, type ImageJobResult } from './job-data.js';

export interface JobSummary {
  id: string;
  queue: string;
  kind: 'image' | 'release';
  state: JobState | 'unknown';
  name: string;
  outputs: string[];
  attemptsMade: number;
  attempts: number;
  failedReason?: string;
  cancelRequested: boolean;
  createdAt: string;
  finishedAt?: string;
}

export interface JobDetail extends JobSummary {
  result?: unknown;
  progress?: unknown;
  log: string[];
  worker?: string;
}

/** The fleet's queues, opened on demand and closed together. */
export class Fleet {
  private queues = new Map<string, Queue>();
  private constructor(
    readonly redis: string,
    readonly client: Redis,
  ) {}

  static async open(redis: string): Promise<Fleet> {
    return new Fleet(redis, await openRedis(redis));
  }

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: redisConnection(this.redis), prefix: KEY_PREFIX });
      this.queues.set(name, q);
    }
    return q;
  }

  async queueNames(): Promise<string[]> {
    const builds = (await this.client.smembers(QUEUE_SET_KEY)).sort().map(buildQueueName);
    return [RELEASE_QUEUE, ...builds];
  }

  async find(id: string): Promise<{ queue: string; job: Job } | undefined> {
    for (const queue of await this.queueNames()) {
      const job = await this.queue(queue).getJob(id);
      if (job) return { queue, job };
    }
    return undefined;
  }

  async summary(queue: string, job: Job): Promise<JobSummary> {
    const release = queue === RELEASE_QUEUE;
    const data = job.data as { name?: string; outputs?: string[]; images?: { name: string }[] };
    return {
      id: String(job.id),
      queue,
      kind: release ? 'release' : 'image',
      state: await job.getState(),
      name: release ? `${data.images?.length ?? 0} image(s)` : (data.name ?? ''),
      outputs: data.outputs ?? [],
      attemptsMade: job.attemptsMade,
      attempts: Math.max(job.opts.attempts ?? 1, 1),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      cancelRequested: Boolean(await this.client.exists(cancelKey(String(job.id)))),
      createdAt: new Date(job.timestamp).toISOString(),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    };
  }

  async list(): Promise<JobSummary[]> {
    const out: JobSummary[] = [];
    for (const queue of await this.queueNames()) {
      const jobs = await this.queue(queue).getJobs(
        ['waiting', 'waiting-children', 'prioritized', 'delayed', 'active', 'completed', 'failed'],
        0,
        -1,
        true,
      );
      for (const job of jobs) if (job) out.push(await this.summary(queue, job));
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async detail(queue: string, job: Job): Promise<JobDetail> {
    const logs = await this.queue(queue).getJobLogs(String(job.id), 0, -1, true);
    const result = job.returnvalue as ImageJobResult | undefined;
    return {
      ...(await this.summary(queue, job)),
      ...(job.returnvalue !== undefined && job.returnvalue !== null ? { result: job.returnvalue } : {}),
      ...(job.progress !== undefined ? { progress: job.progress } : {}),
      log: logs.logs,
      ...(result?.worker ? { worker: result.worker } : {}),
    };
  }

  /** Marks the job cancelled: a running build is stopped by its worker, a waiting job fails when taken. */
  async cancel(id: string): Promise<void> {
    await this.client.set(cancelKey(id), '1', 'EX', 7 * 24 * 3600);
  }

  async cancelRequested(id: string): Promise<boolean> {
    return Boolean(await this.client.exists(cancelKey(id)));
  }

  async retry(job: Job): Promise<void> {
    await this.client.del(cancelKey(String(job.id)));
    await job.retry('failed');
  }

  /** Follows image jobs to their end, handing on each build event; returns their final summaries. */
  async follow(
    images: { id: string; queue: string }[],
    onEvent: (jobId: string, event: BuildEvent | { event: string; time: string }) => void,
    signal?: AbortSignal,
  ): Promise<Record<string, JobSummary>> {
    const queues = [...new Set(images.map((i) => buildQueueName(i.queue)))];
    const ids = new Set(images.map((i) => i.id));
    const events = queues.map(
      (q) => new QueueEvents(q, { connection: redisConnection(this.redis), prefix: KEY_PREFIX }),
    );
    for (const e of events)
      e.on('progress', ({ jobId, data }) => {
        if (ids.has(jobId) && data && typeof data === 'object') onEvent(jobId, data as BuildEvent);
      });
    const finals: Record<string, JobSummary> = {};
    try {
      await Promise.all(events.map((e) => e.waitUntilReady()));
      while (Object.keys(finals).length < ids.size && !signal?.aborted) {
        for (const image of images) {
          if (finals[image.id]) continue;
          const queue = buildQueueName(image.queue);
          const job = await this.queue(queue).getJob(image.id);
          if (!job) continue;
          const state = await job.getState();
          // a job that will be retried waits or is delayed: 'failed' is final
          if (state === 'completed' || state === 'failed') finals[image.id] = await this.summary(queue, job);
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      await Promise.all(events.map((e) => e.close()));
    }
    return finals;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.client.disconnect();
  }
}

/** How an image job ended, for exit codes: retries only follow infrastructure failures. */
export function outcomeOf(s: JobSummary): 'ok' | 'definition' | 'failed' | 'cancelled' | 'running' {
  if (s.state === 'completed') return 'ok';
  if (s.state !== 'failed') return 'running';
  if (s.failedReason?.startsWith(FAILURE_MARK.cancelled)) return 'cancelled';
  if (s.failedReason?.startsWith(FAILURE_MARK.definition)) return 'definition';
  return 'failed';
}
