/**
 * The fleet's commands (`imgc worker`, `submit`, `jobs list|show|cancel|retry`): their flags here,
 * their work in ./fleet.ts, loaded only when one of them runs. BullMQ and ioredis are over a third
 * of the bundle; every other command started slower for loading them (issue 22).
 */
import { type Command, Option } from 'commander';
import type { SubmitFlags, WorkerFlags } from './fleet.js';
import { collect } from './options.js';
import type { CommandContext } from './register.js';

const fleetRunners = () => import('./fleet.js');

const redisOption = () =>
  new Option(
    '--redis <url>',
    'the Redis of the fleet: redis://[user:pass@]host:port[/db], rediss:// for TLS',
  ).env('IMGC_REDIS');

export function registerFleet(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('worker')
    .description('take build jobs from the fleet (BullMQ on Redis) and build them, one process per job')
    .addOption(redisOption())
    .option(
      '--queue <name>',
      "a queue to take jobs from: an architecture and capabilities, e.g. x86_64-kvm (repeatable; default this machine's architecture)",
      collect,
      [],
    )
    .option('--concurrency <n>', 'how many jobs to build at once (default 1)')
    .addOption(
      new Option('--store <dir>', 'the artifact store the outputs go to (a folder, local or shared)').env(
        'IMGC_STORE',
      ),
    )
    .option('--cache-dir <dir>', 'package and tree cache of this worker (default as for build)')
    .option(
      '--lock-seconds <n>',
      "how long a silent worker's job stays locked before another takes it over (default 30)",
    )
    .option('--no-tree-cache', 'neither reuse nor save tree snapshots')
    .option('--no-tmpfs', 'build on disk under the cache dir instead of /dev/shm')
    .addOption(
      new Option('--run-job <file>', 'internal: build one job (the process the worker starts)').hideHelp(),
    )
    .action(async (opts: WorkerFlags) => {
      ctx.exit.code = await (await fleetRunners()).runWorkerCommand(io, opts);
    });

  ctx
    .withFormatFlags(
      program
        .command('submit')
        .description(
          'send build jobs to the fleet: one per definition and --output set, under one release job',
        )
        .argument('<path...>', 'definition files or folders')
        .addOption(redisOption())
        .option('--from <format>', 'input format (detected when absent)')
        .addOption(
          new Option(
            '--output <types>',
            'output types of one job (comma-separated); repeat for more jobs per definition',
          ).argParser(collect),
        )
        .option(
          '--capability <name>',
          'a capability the worker must have, e.g. kvm: the queue is <arch>-<capability> (repeatable)',
          collect,
          [],
        )
        .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
        .option('--no-pin', 'do not resolve and pin the package set now; each worker resolves when it builds')
        .option(
          '--locked',
          'pin each job to the lock file <name>.lock beside its definition, checked now as `build --locked` checks it',
        )
        .option('--lock <file>', 'the lock file for --locked (implies it)')
        .option(
          '--reproducible',
          "reproducible builds on every worker (SOURCE_DATE_EPOCH from the definition's files unless set)",
        )
        .option('--cache-dir <dir>', 'where the resolver keeps repository metadata (default as for build)')
        .option('--attempts <n>', 'how often a job is tried when the build infrastructure fails (default 3)')
        .option('--backoff-seconds <n>', 'the first wait before a retry, doubled each time (default 10)')
        .option('--wait', "follow the jobs' progress like a local build and exit as `imgc build` would")
        .option('--json', 'print the job ids as JSON (with --wait: NDJSON events, each with its job id)'),
    )
    .action(async (paths: string[], opts: SubmitFlags) => {
      ctx.exit.code = await (await fleetRunners()).runSubmitCommand(ctx, paths, opts);
    });

  const jobs = program.command('jobs').description('the jobs of the fleet: queued, running, done, failed');
  jobs
    .command('list')
    .description('list the jobs in every queue of the fleet')
    .addOption(redisOption())
    .option('--json', 'machine-readable output')
    .action(async (opts: { redis?: string; json?: boolean }) => {
      ctx.exit.code = await (await fleetRunners()).runJobsList(io, opts);
    });
  jobs
    .command('show')
    .description("a job's state, attempts, result (stored outputs) and log")
    .argument('<id>', 'a job id (img-… or rel-…)')
    .addOption(redisOption())
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { redis?: string; json?: boolean }) => {
      ctx.exit.code = await (await fleetRunners()).runJobsShow(io, id, opts);
    });
  jobs
    .command('cancel')
    .description(
      'cancel a job: a running build stops and cleans up, a waiting job fails when a worker takes it',
    )
    .argument('<id>', 'a job id')
    .addOption(redisOption())
    .action(async (id: string, opts: { redis?: string }) => {
      ctx.exit.code = await (await fleetRunners()).runJobsCancel(io, id, opts);
    });
  jobs
    .command('retry')
    .description('run a failed job again')
    .argument('<id>', 'a job id')
    .addOption(redisOption())
    .action(async (id: string, opts: { redis?: string }) => {
      ctx.exit.code = await (await fleetRunners()).runJobsRetry(io, id, opts);
    });
}
