/** The `assemble-disk` step: the disk image made from the tree, with the disk scripts chained to it. */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep } from '../../exec/step-runtime.js';
import { assembleDisk, convertImage, type DiskInfo } from './index.js';

/** What disk scripts see of the image: IMGC_DISK_* (the image path only on the host). */
export function diskEnv(
  info: DiskInfo,
  disk: { name: string; format: string },
  host: boolean,
): Record<string, string> {
  return {
    ...(host ? { IMGC_DISK_IMAGE: info.image } : {}),
    IMGC_DISK_NAME: disk.name,
    IMGC_DISK_FORMAT: disk.format,
    IMGC_DISK_SIZE: String(info.sizeBytes),
    IMGC_DISK_UUID: info.diskUuid,
    IMGC_DISK_PARTITIONS: info.partitions
      .map((p) => `${p.number} ${p.role} ${p.filesystem} ${p.start} ${p.size} ${p.uuid}`)
      .join('\n'),
  };
}

async function osRelease(tree: string): Promise<Record<string, string>> {
  const text =
    (await readFile(join(tree, 'etc/os-release'), 'utf8').catch(() => undefined)) ??
    (await readFile(join(tree, 'usr/lib/os-release'), 'utf8').catch(() => ''));
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim());
    if (m) out[m[1]!] = m[3]!;
  }
  return out;
}

export const diskStep = defineStep('output', ['assemble-disk'], async (step, context) => {
  const o = step.options;
  const rel = await osRelease(context.tree);
  const os = {
    ...o.os,
    ...(rel.VERSION_ID ? { versionId: rel.VERSION_ID } : {}),
    ...(rel.PRETTY_NAME ? { prettyName: rel.PRETTY_NAME } : {}),
  };
  const raw = o.format === 'raw' ? context.dest : `${context.dest}.raw`;
  // chroot disk scripts change the tree before the filesystems are made from it; host ones see the finished image
  const scripts = context.diskScripts;
  const inTree = scripts.steps.filter((s) => s.options.chroot);
  const onImage = scripts.steps.filter((s) => !s.options.chroot);
  const runAll = (chained: typeof scripts.steps, host: boolean) => async (info: DiskInfo) => {
    for (const s of chained) await scripts.run(s, diskEnv(info, o, host));
  };
  await assembleDisk({
    tree: context.tree,
    output: raw,
    workDir: context.workDir,
    storage: o.storage,
    boot: o.boot,
    cmdline: o.cmdline,
    os,
    ...(o.sourceDateEpoch !== undefined ? { reproducible: { epoch: o.sourceDateEpoch, seed: step.id } } : {}),
    signal: context.signal,
    onProgress: (m: string) => context.progress.note(m),
    ...(inTree.length ? { beforeFilesystems: runAll(inTree, false) } : {}),
    ...(onImage.length ? { afterFilesystems: runAll(onImage, true) } : {}),
  });
  if (o.format !== 'raw') {
    try {
      await convertImage(raw, context.dest, o.format, context.signal);
    } finally {
      await rm(raw, { force: true });
    }
  }
});
