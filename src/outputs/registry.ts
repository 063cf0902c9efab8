/**
 * Every output step type and what runs it. An output writes `context.dest` (a temporary path
 * the executor renames into place once every output is done) and asks `context.extra(name)`
 * for files it writes beside it (the OCI archive).
 */
import { defineStep, type StepRuntime } from '../exec/step-runtime.js';
import { writeCpioOutput } from './cpio/index.js';
import { writeDirectoryOutput } from './directory/index.js';
import { diskStep } from './disk/step.js';
import { assembleEsp } from './esp/index.js';
import { writeExtension } from './extension/index.js';
import { assembleIso } from './iso/index.js';
import { writeOciOutput } from './oci/index.js';
import { bootcOciStep, ostreeCommitStep, ostreeDiskStep } from './ostree/step.js';
import { assemblePxe } from './pxe/index.js';
import { writeTarOutput } from './tar/index.js';
import { assembleUki } from './uki/index.js';

/** The epoch a reproducible build's step carries (plan data, not the environment). */
function epochOf(options: { sourceDateEpoch?: number }): { epoch?: number } {
  return options.sourceDateEpoch !== undefined ? { epoch: options.sourceDateEpoch } : {};
}

/** Times and, seeded by the step's hash, ids: what a reproducible output step gets. */
function reproducibleOf(step: { id: string; options: { sourceDateEpoch?: number } }) {
  const epoch = step.options.sourceDateEpoch;
  return epoch !== undefined ? { reproducible: { epoch, seed: step.id } } : {};
}

const directoryStep = defineStep('output', ['output-directory'], async (_step, context) => {
  const how = await writeDirectoryOutput({
    tree: context.tree,
    dest: context.dest,
    mayMove: context.mayMove,
    previous: context.final,
    runner: context.runner,
  });
  context.progress.note(
    how === 'moved'
      ? 'moved the tree into place'
      : how === 'copied'
        ? 'copied the tree'
        : 'copied the tree, hard-linking files unchanged since the previous output',
  );
});

const tarStep = defineStep('output', ['output-tar'], async (step, context) => {
  await writeTarOutput({
    tree: context.tree,
    dest: context.dest,
    compression: step.options.compression,
    sourceDateEpoch: step.options.sourceDateEpoch,
    runner: context.runner,
  });
});

const cpioStep = defineStep('output', ['output-cpio'], async (step, context) => {
  const o = step.options;
  const r = await writeCpioOutput({
    tree: context.tree,
    dest: context.dest,
    compression: o.compression,
    ...(o.sourceDateEpoch !== undefined ? { epoch: o.sourceDateEpoch } : {}),
    signal: context.signal,
  });
  context.progress.note(`${r.entries} entries`);
});

const ukiStep = defineStep('output', ['assemble-uki', 'assemble-esp'], async (step, context) => {
  const o = step.options;
  const request = {
    tree: context.tree,
    output: context.dest,
    workDir: context.workDir,
    cmdline: o.cmdline,
    ...(o.signCommand ? { signCommand: o.signCommand } : {}),
    ...reproducibleOf(step),
    signal: context.signal,
  };
  const r = step.type === 'assemble-uki' ? await assembleUki(request) : await assembleEsp(request);
  context.progress.note(`kernel ${r.kernelVersion}${r.signed ? ', signed' : ''}`);
});

const isoStep = defineStep('output', ['assemble-iso'], async (step, context) => {
  const o = step.options;
  await assembleIso({
    tree: context.tree,
    output: context.dest,
    workDir: context.workDir,
    cmdline: o.cmdline,
    volumeId: o.volumeId,
    ...(o.publisher ? { publisher: o.publisher } : {}),
    ...(o.application ? { application: o.application } : {}),
    filesystem: o.filesystem,
    bios: o.bios,
    ...epochOf(o),
    signal: context.signal,
    onProgress: (m) => context.progress.note(m),
    shared: context.sharedFile,
  });
});

const pxeStep = defineStep('output', ['assemble-pxe'], async (step, context) => {
  const o = step.options;
  await assemblePxe({
    tree: context.tree,
    output: context.dest,
    cmdline: o.cmdline,
    baseUrl: o.baseUrl,
    filesystem: o.filesystem,
    ...epochOf(o),
    signal: context.signal,
    onProgress: (m) => context.progress.note(m),
    shared: context.sharedFile,
  });
});

const ociStep = defineStep('output', ['output-oci'], async (step, context) => {
  const o = step.options;
  await writeOciOutput({
    tree: context.tree,
    output: context.dest,
    archive: context.extra(`${o.name}.tar`),
    workDir: context.workDir,
    architecture: o.architecture,
    tag: o.tag,
    config: o.config,
    ...(o.sourceDateEpoch !== undefined ? { epoch: o.sourceDateEpoch } : {}),
    signal: context.signal,
    onProgress: (m) => context.progress.note(m),
  });
});

const extensionStep = defineStep('output', ['output-extension'], async (step, context) => {
  const o = step.options;
  await writeExtension({
    tree: context.tree,
    output: context.dest,
    workDir: context.workDir,
    kind: o.kind,
    filesystem: o.filesystem,
    extensionName: o.extensionName,
    os: o.os,
    architecture: o.architecture,
    ...epochOf(o),
    signal: context.signal,
  });
});

export const outputRuntimes: readonly StepRuntime[] = [
  directoryStep,
  tarStep,
  diskStep,
  cpioStep,
  ukiStep,
  isoStep,
  pxeStep,
  ociStep,
  extensionStep,
  ostreeCommitStep,
  ostreeDiskStep,
  bootcOciStep,
];
