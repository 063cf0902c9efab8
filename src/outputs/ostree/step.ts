/** The step runtimes of the OSTree outputs: output-ostree, assemble-ostree-disk, output-bootc-oci. */
import { join } from 'node:path';
import { defineStep } from '../../exec/step-runtime.js';
import { writeBootcOci } from './bootc.js';
import { assembleOstreeDisk } from './disk.js';
import { buildOstreeCommit, writeCommitRecord } from './index.js';
import { upgradeOstreeDisk } from './upgrade.js';

export const ostreeCommitStep = defineStep('output', ['output-ostree'], async (step, context) => {
  const o = step.options;
  const result = await buildOstreeCommit({
    output: 'ostree-commit',
    signal: context.signal,
    tree: context.tree,
    workDir: context.workDir,
    ref: o.ref,
    subject: o.subject,
    timestamp: o.timestamp,
    metadata: o.metadata,
    ...(o.repo ? { repo: o.repo } : { newRepo: context.dest }),
    ...(o.parent ? { parent: o.parent } : {}),
    onProgress: (m) => context.progress.note(m),
  });
  if (o.repo) await writeCommitRecord(context.dest, result);
});

export const ostreeDiskStep = defineStep('output', ['assemble-ostree-disk'], async (step, context) => {
  const o = step.options;
  const common = {
    output: 'ostree-disk',
    signal: context.signal,
    tree: context.tree,
    workDir: context.workDir,
    image: context.dest,
    osName: o.osName,
    ref: o.ref,
    subject: o.subject,
    timestamp: o.timestamp,
    metadata: o.metadata,
    timeout: o.timeout,
    ...(o.parent ? { parent: o.parent } : {}),
    onProgress: (m: string) => context.progress.note(m),
  };
  if (o.upgradeFrom) {
    const r = await upgradeOstreeDisk({ ...common, from: o.upgradeFrom });
    context.progress.note(`deployed ${r.checksum}; boot entries ${r.entries.join(', ')}`);
    return;
  }
  const r = await assembleOstreeDisk({
    ...common,
    kargs: o.kargs,
    ...(o.remote ? { remote: o.remote } : {}),
    epoch: o.timestamp,
  });
  context.progress.note(`deployed ${r.checksum}`);
});

export const bootcOciStep = defineStep('output', ['output-bootc-oci'], async (step, context) => {
  const o = step.options;
  await writeBootcOci({
    tree: context.tree,
    output: context.dest,
    archive: context.extra(`${o.name}.tar`),
    workDir: join(context.workDir),
    architecture: o.architecture,
    tag: o.tag,
    config: o.config,
    ...(o.sourceDateEpoch !== undefined ? { epoch: o.sourceDateEpoch } : {}),
    signal: context.signal,
    onProgress: (m) => context.progress.note(m),
  });
});
