/**
 * Runs the plan steps of the outputs in src/outputs/{cpio,uki,esp,iso,pxe,oci,extension}:
 * the executor hands over the step, its context and the temporary path the output must be
 * written to; extra files an output makes beside its main one (the OCI archive) are
 * returned with their own temporary paths so the executor commits them the same way.
 */
import type { StepContext } from '../backends/contract.js';
import type { PlanStep, StepOptions, StepType } from '../plan/steps.js';
import { writeCpioOutput } from './cpio/index.js';
import { assembleEsp } from './esp/index.js';
import { writeExtension } from './extension/index.js';
import { assembleIso } from './iso/index.js';
import { writeOciOutput } from './oci/index.js';
import { assemblePxe } from './pxe/index.js';
import { assembleUki } from './uki/index.js';

export const outputStepTypes: ReadonlySet<StepType> = new Set([
  'output-cpio',
  'assemble-uki',
  'assemble-esp',
  'assemble-iso',
  'assemble-pxe',
  'output-oci',
  'output-extension',
]);

export interface ExtraOutput {
  /** where the step wrote it */
  temp: string;
  /** the name it gets in the output folder */
  name: string;
}

/** `temp(name)` gives the temporary path for an extra output called `name`. */
export async function runOutputStep(
  step: PlanStep,
  context: StepContext,
  dest: string,
  temp: (name: string) => string,
): Promise<ExtraOutput[]> {
  const signal = context.signal;
  const note = (m: string) => context.progress.note(m);
  switch (step.type) {
    case 'output-cpio': {
      const o = step.options as StepOptions<'output-cpio'>;
      const r = await writeCpioOutput({
        tree: context.tree,
        dest,
        compression: o.compression,
        ...(o.sourceDateEpoch !== undefined ? { epoch: o.sourceDateEpoch } : {}),
        signal,
      });
      note(`${r.entries} entries`);
      return [];
    }
    case 'assemble-uki':
    case 'assemble-esp': {
      const o = step.options as StepOptions<'assemble-uki'>;
      const request = {
        tree: context.tree,
        output: dest,
        workDir: context.workDir,
        cmdline: o.cmdline,
        ...(o.signCommand ? { signCommand: o.signCommand } : {}),
        signal,
      };
      const r = step.type === 'assemble-uki' ? await assembleUki(request) : await assembleEsp(request);
      note(`kernel ${r.kernelVersion}${r.signed ? ', signed' : ''}`);
      return [];
    }
    case 'assemble-iso': {
      const o = step.options as StepOptions<'assemble-iso'>;
      await assembleIso({
        tree: context.tree,
        output: dest,
        workDir: context.workDir,
        cmdline: o.cmdline,
        volumeId: o.volumeId,
        ...(o.publisher ? { publisher: o.publisher } : {}),
        ...(o.application ? { application: o.application } : {}),
        filesystem: o.filesystem,
        bios: o.bios,
        ...epochOf(),
        signal,
        onProgress: note,
      });
      return [];
    }
    case 'assemble-pxe': {
      const o = step.options as StepOptions<'assemble-pxe'>;
      await assemblePxe({
        tree: context.tree,
        output: dest,
        cmdline: o.cmdline,
        baseUrl: o.baseUrl,
        filesystem: o.filesystem,
        ...epochOf(),
        signal,
        onProgress: note,
      });
      return [];
    }
    case 'output-oci': {
      const o = step.options as StepOptions<'output-oci'>;
      const archiveName = `${o.name}.tar`;
      const archive = temp(archiveName);
      await writeOciOutput({
        tree: context.tree,
        output: dest,
        archive,
        workDir: context.workDir,
        architecture: o.architecture,
        tag: o.tag,
        config: o.config,
        ...(o.sourceDateEpoch !== undefined ? { epoch: o.sourceDateEpoch } : {}),
        signal,
        onProgress: note,
      });
      return [{ temp: archive, name: archiveName }];
    }
    case 'output-extension': {
      const o = step.options as StepOptions<'output-extension'>;
      await writeExtension({
        tree: context.tree,
        output: dest,
        workDir: context.workDir,
        kind: o.kind,
        filesystem: o.filesystem,
        extensionName: o.extensionName,
        os: o.os,
        architecture: o.architecture,
        ...epochOf(),
        signal,
      });
      return [];
    }
    default:
      throw new Error(`no executor for ${step.type} steps`);
  }
}

function epochOf(): { epoch?: number } {
  const v = process.env.SOURCE_DATE_EPOCH;
  return v && /^\d+$/.test(v) ? { epoch: Number(v) } : {};
}
