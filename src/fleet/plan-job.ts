/**
 * Loads and plans a definition the way `imgc build` does (cli/plan.ts), for both ends of a job:
 * `submit` plans to learn the queue and pin the packages, the build process plans what it runs.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type BackendRegistry, localHost } from '../backends/registry.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { PositionTable } from '../ir/positions.js';
import { mergeProfiles } from '../ir/profiles.js';
import type { OutputType } from '../ir/schema.js';
import { imageName, planBuild } from '../plan/planner.js';
import type { BuildPlan } from '../plan/steps.js';
import { applyPins, type PackagePins } from './pins.js';

/** SOURCE_DATE_EPOCH of a job, and whether the build is a reproducible one (decision 0100). */
export interface JobEpoch {
  value: number;
  reproducible: boolean;
}

/** Chooses the epoch from the files the definition was read from (the definition first), as `imgc build` does. */
export type EpochChooser = (files: string[]) => JobEpoch & { diagnostics: Diagnostic[] };

export interface JobDefinitionOptions {
  from?: string;
  profiles: string[];
  options: FormatOptions;
  outputs: OutputType[];
  /** fixed in the job; a chooser at submit */
  epoch: JobEpoch | EpochChooser;
  pins?: PackagePins;
}

export interface PlannedJob {
  plan?: BuildPlan;
  /** the epoch planned with; absent when the definition did not load */
  epoch?: JobEpoch;
  /** the image's name as its outputs are named (the lock beside them is `<name>.lock`) */
  name?: string;
  sourceDir: string;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

export async function planDefinition(
  registry: FormatRegistry,
  backends: BackendRegistry,
  path: string,
  job: JobDefinitionOptions,
): Promise<PlannedJob> {
  const info = await stat(path).catch(() => undefined);
  const sourceDir = info?.isDirectory() ? resolve(path) : dirname(resolve(path));
  const loaded = await loadDefinition(registry, path, {
    from: job.from,
    profiles: job.profiles,
    options: job.options,
  });
  const positions = loaded.positions;
  if (!loaded.ir || hasErrors(loaded.diagnostics))
    return { sourceDir, positions, diagnostics: loaded.diagnostics };
  let ir = job.profiles.length ? { ...loaded.ir, activeProfiles: job.profiles } : loaded.ir;
  ir = mergeProfiles(ir);
  if (job.pins) ir = applyPins(ir, job.pins);
  const chosen =
    typeof job.epoch === 'function'
      ? job.epoch([...new Set([resolve(path), ...loaded.files.map((f) => resolve(sourceDir, f))])])
      : { ...job.epoch, diagnostics: [] };
  const epoch = { value: chosen.value, reproducible: chosen.reproducible };
  const diagnostics = [...loaded.diagnostics, ...chosen.diagnostics];
  if (hasErrors(chosen.diagnostics)) return { sourceDir, positions, diagnostics };
  const planned = await planBuild({
    ir,
    positions,
    outputs: job.outputs,
    backends,
    host: localHost(),
    options: job.options,
    sourceDir,
    sourceDateEpoch: epoch.value,
    reproducible: epoch.reproducible,
  });
  return {
    ...(planned.plan ? { plan: planned.plan } : {}),
    epoch,
    name: imageName(ir),
    sourceDir,
    positions,
    diagnostics: [...diagnostics, ...planned.diagnostics],
  };
}
