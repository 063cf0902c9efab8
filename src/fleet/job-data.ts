/** What travels in Redis: the data of image and release jobs, and what they return. */
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import type { OutputType } from '../ir/schema.js';
import type { LockFile } from '../plan/lock-file.js';
import type { DefinitionBundle } from './bundle.js';
import type { PackagePins } from './pins.js';
import type { JobEpoch } from './plan-job.js';
import type { ArtifactRecord } from './store.js';

export const JOB_DATA_VERSION = 1;

export interface ImageJobData {
  version: typeof JOB_DATA_VERSION;
  /** the definition as the user named it, for listings */
  name: string;
  definition: DefinitionBundle;
  from?: string;
  profiles: string[];
  options: FormatOptions;
  outputs: OutputType[];
  /** chosen once at submit, as `imgc build` chooses it, so every worker builds with the same one */
  epoch: JobEpoch;
  pins?: PackagePins;
  /** `submit --locked`: the lock file checked at submit; the worker builds exactly its set */
  lock?: LockFile;
  queue: string;
}

export interface ReleaseJobData {
  version: typeof JOB_DATA_VERSION;
  images: { id: string; name: string; outputs: OutputType[]; queue: string }[];
}

export interface ImageJobResult {
  artifacts: ArtifactRecord;
  /** warnings and notes of the build (errors fail the job instead) */
  diagnostics: Diagnostic[];
  /** the job on the worker: build process, then the store */
  elapsedMs: number;
  /** of which storing the outputs */
  storeMs: number;
  worker: string;
}

export interface ReleaseJobResult {
  completed: Record<string, ImageJobResult>;
  failed: Record<string, string>;
}

/**
 * A failed job's reason starts with one of these when retrying cannot help, so `submit --wait`
 * and `imgc jobs` tell a definition error (exit 1) and a cancel (exit 130) from a build that
 * failed after its retries (exit 3).
 */
export const FAILURE_MARK = { definition: 'definition error: ', cancelled: 'cancelled: ' } as const;
