/**
 * `imgc submit`: one BullMQ flow per call, a release job whose children are the image jobs
 * (one per definition × output set). The parent completes when every child has finished, so
 * it reports them together; a failed child does not block it (ignoreDependencyOnFailure).
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { FlowProducer } from 'bullmq';
import { BackendRegistry, localHost } from '../backends/registry.js';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { checkedLock } from '../exec/package-lock.js';
import type { FormatOptions } from '../formats/contract.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { OutputType } from '../ir/schema.js';
import { lookupTable } from '../lib/lookup-table.js';
import { bundleDefinition } from './bundle.js';
import {
  buildQueueName,
  checkQueueName,
  KEY_PREFIX,
  openRedis,
  QUEUE_SET_KEY,
  RELEASE_QUEUE,
  redisConnection,
} from './connection.js';
import { type ImageJobData, JOB_DATA_VERSION, type ReleaseJobData } from './job-data.js';
import { type PinSource, resolverPins } from './pins.js';
import { type EpochChooser, type JobEpoch, planDefinition } from './plan-job.js';

export interface SubmitRequest {
  redis: string;
  definitions: string[];
  /** each set is built by one job: `--output disk,uki --output tar` is two jobs per definition */
  outputSets: OutputType[][];
  arch?: string;
  capabilities: string[];
  from?: string;
  profiles: string[];
  options: FormatOptions;
  /** SOURCE_DATE_EPOCH and reproducibility, chosen per definition as `imgc build` chooses them */
  epoch: EpochChooser;
  /** `--locked`: pin each job to its lock file (`file`, default `<name>.lock` beside the definition) */
  locked?: { file?: string };
  /** false: no pins, each worker resolves at build time */
  pin: boolean;
  pinSource?: PinSource;
  /** where the resolver keeps repository metadata */
  cacheDir: string;
  attempts: number;
  backoffSeconds: number;
}

export interface SubmittedImage {
  id: string;
  name: string;
  outputs: OutputType[];
  queue: string;
}

export interface SubmitResult {
  releaseId?: string;
  images: SubmittedImage[];
  diagnostics: Diagnostic[];
}

const ARCH_OF: Record<string, string> = lookupTable({ amd64: 'x86_64', arm64: 'aarch64', x64: 'x86_64' });
export const queueArch = (arch: string) => ARCH_OF[arch] ?? arch;
const newId = (kind: string) => `${kind}-${randomBytes(6).toString('hex')}`;

export async function submitJobs(registry: FormatRegistry, request: SubmitRequest): Promise<SubmitResult> {
  const diagnostics: Diagnostic[] = [];
  const jobs: ImageJobData[] = [];
  const images: SubmittedImage[] = [];
  const backends = new BackendRegistry();
  for (const definition of request.definitions) {
    const bundled = await bundleDefinition(definition);
    diagnostics.push(...bundled.diagnostics);
    if (!bundled.bundle) continue;
    // chosen at the first plan of the definition, then the same for each of its output sets;
    // its notes (and an unusable SOURCE_DATE_EPOCH) are submit's to report
    let epoch: JobEpoch | EpochChooser = (files) => {
      const chosen = request.epoch(files);
      diagnostics.push(...chosen.diagnostics);
      return chosen;
    };
    for (const outputs of request.outputSets) {
      // planned here only to learn the architecture and pin the packages; a definition with
      // errors still goes to the fleet, whose build reports them (and fails without retry)
      const planned = await planDefinition(registry, backends, definition, {
        ...(request.from ? { from: request.from } : {}),
        profiles: request.profiles,
        options: request.options,
        outputs,
        epoch,
      });
      // a definition that did not load takes its own file's, as a local build would report its errors
      if (typeof epoch === 'function') epoch = planned.epoch ?? epoch([resolve(definition)]);
      const queue = queueFor(request, planned.plan?.distribution.architecture, diagnostics);
      if (!queue) return { images: [], diagnostics };
      const job: ImageJobData = {
        version: JOB_DATA_VERSION,
        name: definition,
        definition: bundled.bundle,
        ...(request.from ? { from: request.from } : {}),
        profiles: request.profiles,
        options: request.options,
        outputs,
        epoch: { value: epoch.value, reproducible: epoch.reproducible },
        queue,
      };
      if (request.locked && planned.plan && !hasErrors(planned.diagnostics)) {
        const file = resolve(
          request.locked.file ?? join(planned.sourceDir, `${planned.name ?? 'image'}.lock`),
        );
        const locking = await checkedLock(planned.plan, backends, request.cacheDir, file);
        diagnostics.push(...locking.diagnostics);
        if (!locking.lock) continue;
        job.lock = locking.lock;
      } else if (request.pin && planned.plan && !hasErrors(planned.diagnostics)) {
        const pinned = await (request.pinSource ?? resolverPins).pin(planned.plan, backends, {
          name: definition,
          cacheDir: request.cacheDir,
        });
        diagnostics.push(...pinned.diagnostics);
        if (!pinned.pins) continue;
        job.pins = pinned.pins;
      }
      jobs.push(job);
      images.push({ id: newId('img'), name: definition, outputs, queue });
    }
  }
  if (hasErrors(diagnostics)) return { images: [], diagnostics };

  const releaseId = newId('rel');
  const client = await openRedis(request.redis);
  const flow = new FlowProducer({ connection: redisConnection(request.redis), prefix: KEY_PREFIX });
  try {
    await client.sadd(QUEUE_SET_KEY, ...new Set(images.map((i) => i.queue)));
    const release: ReleaseJobData = { version: JOB_DATA_VERSION, images };
    await flow.add({
      name: 'release',
      queueName: RELEASE_QUEUE,
      data: release,
      opts: { jobId: releaseId },
      children: jobs.map((data, i) => ({
        name: 'image',
        queueName: buildQueueName(data.queue),
        data,
        opts: {
          jobId: images[i]!.id,
          attempts: request.attempts,
          backoff: { type: 'exponential', delay: request.backoffSeconds * 1000 },
          ignoreDependencyOnFailure: true,
        },
      })),
    });
  } finally {
    await flow.close();
    client.disconnect();
  }
  return { releaseId, images, diagnostics };
}

function queueFor(
  request: SubmitRequest,
  planned: string | undefined,
  diagnostics: Diagnostic[],
): string | undefined {
  let arch = request.arch;
  if (!arch && planned) arch = planned;
  if (!arch) {
    arch = localHost().architecture;
    diagnostics.push(
      diag(fleetCodes.queueInferred, {
        queue: arch,
        how: 'the definition did not plan, so the architecture of this machine was taken',
      }),
    );
  }
  const queue = [queueArch(arch), ...request.capabilities].join('-');
  const bad = checkQueueName(queue);
  if (bad) diagnostics.push(bad);
  return bad ? undefined : queue;
}
