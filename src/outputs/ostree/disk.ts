/**
 * The `ostree-disk` output (RHEL for edge's raw image): a GPT disk with an ESP and an ext4
 * root, where the root is an OSTree sysroot with the commit deployed by `ostree admin` and the
 * ESP holds systemd-boot, ostree's Boot Loader Spec entries and the kernels they name. Nothing
 * is mounted: the sysroot is a folder, the ESP is written with mtools and the root with
 * mkfs.ext4 -d, as the `disk` output does (disk/filesystems.ts).
 */
import { truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FsContext, writeEsp, writeExt4 } from '../disk/filesystems.js';
import { uuidSource } from '../disk/ids.js';
import { type BootLoaderBinary, findSystemdBoot } from '../disk/kernels.js';
import { planLayout, sfdiskScript } from '../disk/layout.js';
import { fileBytes, measureTree } from '../disk/measure.js';
import { runTool } from '../shared/run.js';
import { deployCommit, espBootFiles, initSysroot, releaseDeployments } from './deploy.js';
import { buildOstreeCommit, type OstreeCommitRequest, type OstreeCommitResult } from './index.js';

export interface OstreeDiskRequest extends Omit<OstreeCommitRequest, 'repo' | 'newRepo' | 'keepEtc'> {
  /** the raw disk image to write */
  image: string;
  osName: string;
  kargs: string[];
  remote?: { name: string; url: string };
  timeout?: number;
  /** seed for the disk's UUIDs (SOURCE_DATE_EPOCH); random without it */
  epoch?: number;
}

export interface OstreeDiskResult {
  checksum: string;
  sizeBytes: number;
}

export async function assembleOstreeDisk(r: OstreeDiskRequest): Promise<OstreeDiskResult> {
  const progress = r.onProgress ?? (() => {});
  const run = { output: r.output, ...(r.signal ? { signal: r.signal } : {}) };
  const commit = await buildOstreeCommit({ ...r, newRepo: join(r.workDir, 'repo'), newRepoMode: 'bare' });
  const loader = findSystemdBoot(commit.tree);
  const sysroot = join(r.workDir, 'sysroot');
  progress('deploying into the sysroot');
  try {
    return await deployAndWrite(r, commit, sysroot, loader);
  } finally {
    await releaseDeployments(sysroot, r.osName, run);
  }
}

async function deployAndWrite(
  r: OstreeDiskRequest,
  commit: OstreeCommitResult,
  sysroot: string,
  loader: BootLoaderBinary,
): Promise<OstreeDiskResult> {
  const progress = r.onProgress ?? (() => {});
  const run = { output: r.output, ...(r.signal ? { signal: r.signal } : {}) };
  await initSysroot(sysroot, r.osName, run);
  await deployCommit({
    ...run,
    sysroot,
    osName: r.osName,
    repo: commit.repo,
    ref: commit.ref,
    kargs: r.kargs,
    ...(r.remote ? { remote: r.remote } : {}),
  });
  const espFiles = [
    { path: `EFI/BOOT/${loader.fallbackName}`, from: loader.path },
    ...espBootFiles(sysroot, r.timeout ?? 0),
  ];
  const measure = await measureTree(sysroot, r.signal);
  const uuid = uuidSource(r.epoch === undefined ? undefined : `${r.epoch}/${r.osName}/ostree`);
  const layout = planLayout({
    arch: loader.arch,
    tree: measure,
    espContent: fileBytes(espFiles.flatMap((f) => (f.from ? [f.from] : []))),
    hasContent: () => false,
    uuid,
  });
  progress(`disk layout: GPT, ${layout.partitions.map((p) => `${p.role} ${p.size >> 20} MiB`).join(', ')}`);
  await unlink(r.image).catch(() => {});
  await writeFile(r.image, '', { flag: 'wx' });
  await truncate(r.image, layout.sizeBytes);
  await runTool('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', '--wipe', 'never', r.image], {
    ...run,
    input: sfdiskScript(layout),
  });
  const ctx: FsContext = { image: r.image, workDir: r.workDir, ...(r.signal ? { signal: r.signal } : {}) };
  if (r.epoch !== undefined) ctx.epoch = r.epoch;
  for (const p of layout.partitions) {
    if (p.content === 'esp') await writeEsp(ctx, p, espFiles);
    else if (p.content === 'tree') await writeExt4(ctx, p, { tree: sysroot, measure });
  }
  return { checksum: commit.checksum, sizeBytes: layout.sizeBytes };
}
