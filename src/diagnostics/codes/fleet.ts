import { defineCodes } from '../define.js';

/** IMGC8100–8149: build fleets, jobs on BullMQ queues in Redis (`imgc worker`, `submit`, `jobs`). */
export const fleetCodes = defineCodes({
  badRedisUrl: {
    code: 'IMGC8100',
    severity: 'error',
    summary: 'the --redis value is not a redis:// or rediss:// URL',
    message: (p: { value: string }) => `--redis ${p.value} is not a redis:// or rediss:// URL`,
    hint: 'give --redis redis://[user:password@]host:port[/db], or rediss://… for TLS (or set $IMGC_REDIS)',
  },
  noRedis: {
    code: 'IMGC8101',
    severity: 'error',
    summary: 'no Redis URL was given to a fleet command',
    message: () => 'this command needs the Redis server of the fleet',
    hint: 'give --redis redis://host:port, or set $IMGC_REDIS',
  },
  redisUnreachable: {
    code: 'IMGC8102',
    severity: 'error',
    summary: 'the Redis server of the fleet did not answer',
    message: (p: { url: string; detail: string }) => `cannot reach Redis at ${p.url}: ${p.detail}`,
    hint: 'check that redis-server runs there, the port, the password in the URL and, for rediss://, its certificate',
  },
  definitionTooLarge: {
    code: 'IMGC8103',
    severity: 'error',
    summary: "the definition's folder is too large to travel in a job",
    message: (p: { path: string; bytes: number; limit: number }) =>
      `the folder of ${p.path} holds ${p.bytes} bytes of files; a job carries at most ${p.limit}`,
    hint: 'move the definition into a folder of its own, with only the files it names (overlays, scripts)',
  },
  badQueueName: {
    code: 'IMGC8104',
    severity: 'error',
    summary: 'a queue name (architecture or capability) with characters other than letters, digits, _ and -',
    message: (p: { name: string }) => `${JSON.stringify(p.name)} is not a queue name`,
    hint: 'queue names are an architecture and optional capabilities, e.g. x86_64 or x86_64-kvm',
  },
  queueInferred: {
    code: 'IMGC8105',
    severity: 'info',
    summary: 'the queue of a job or a worker was inferred, not given',
    message: (p: { queue: string; how: string }) => `using queue ${p.queue}: ${p.how}`,
    hint: 'give --arch (submit) or --queue (worker) to choose it',
  },
  pinsResolved: {
    code: 'IMGC8106',
    severity: 'info',
    summary: 'the package set was resolved at submit time and pinned in the job',
    message: (p: { count: number; tool: string; name: string }) =>
      `${p.name}: ${p.count} package versions resolved with ${p.tool} and pinned in the job`,
  },
  pinsFailed: {
    code: 'IMGC8107',
    severity: 'error',
    summary: 'the package set could not be resolved at submit time, so it cannot be pinned',
    message: (p: { name: string; detail: string }) => `${p.name}: cannot pin the package set: ${p.detail}`,
    hint: 'fix what the resolver says, or submit with --no-pin to let each worker resolve at build time',
  },
  jobNotFound: {
    code: 'IMGC8108',
    severity: 'error',
    summary: 'no job with this id in any queue of the fleet',
    message: (p: { id: string }) => `no job ${p.id} in the fleet's queues`,
    hint: '`imgc jobs list` shows the jobs there are',
  },
  notCancellable: {
    code: 'IMGC8109',
    severity: 'error',
    summary: 'the job has finished, so there is nothing to cancel',
    message: (p: { id: string; state: string }) => `job ${p.id} is ${p.state}: there is nothing to cancel`,
  },
  notRetryable: {
    code: 'IMGC8110',
    severity: 'error',
    summary: 'only a failed job can be retried',
    message: (p: { id: string; state: string }) => `job ${p.id} is ${p.state}; only failed jobs are retried`,
  },
  cancelled: {
    code: 'IMGC8111',
    severity: 'error',
    summary: 'the job was cancelled (`imgc jobs cancel`); its build stopped and left nothing behind',
    message: (p: { id: string }) => `job ${p.id} was cancelled`,
  },
  buildCrashed: {
    code: 'IMGC8112',
    severity: 'error',
    summary: 'the build process of a job ended without a result (a signal or a crash); the job is retried',
    message: (p: { detail: string }) => `the build process ended without a result: ${p.detail}`,
    hint: 'the job is retried with backoff; `imgc jobs show ID` has its log',
  },
  storeFailed: {
    code: 'IMGC8113',
    severity: 'error',
    summary: 'the outputs could not be stored in the artifact store; the job is retried',
    message: (p: { store: string; detail: string }) => `cannot store the outputs in ${p.store}: ${p.detail}`,
    hint: 'check that the store folder exists, is writable and has room',
  },
  jobFailed: {
    code: 'IMGC8114',
    severity: 'error',
    summary: 'a job of the fleet failed after its attempts',
    message: (p: { id: string; reason: string; attempts: number }) =>
      `job ${p.id} failed after ${p.attempts} attempt(s): ${p.reason}`,
    hint: '`imgc jobs show ID` has its log; `imgc jobs retry ID` runs it again',
  },
  badStore: {
    code: 'IMGC8115',
    severity: 'error',
    summary: 'the --store value is not a folder the worker can write',
    message: (p: { path: string; detail: string }) => `--store ${p.path}: ${p.detail}`,
    hint: 'give --store a writable folder (local, or a shared mount every worker sees)',
  },
});
