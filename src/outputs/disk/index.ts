/**
 * The `disk` output: a GPT disk image that boots with UEFI through systemd-boot, assembled from a
 * finished root tree without mounting anything (the host kernel may lack vfat, loop partitions
 * and device-mapper). Supported: an ESP (vfat, made with mkfs.vfat + mtools) holding
 * systemd-boot, the tree's kernels and initrds and Boot Loader Spec entries; an ext4 root
 * (mkfs.ext4 -d); swap and empty ext4/vfat partitions; sizes from the IR storage bounds or
 * computed from the tree with headroom. Not yet: BIOS/GRUB, UKIs, LVM, RAID, encryption,
 * btrfs/xfs, content split across several partitions. See docs/backends/disk.md.
 */
import { stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { diskCodes } from '../../diagnostics/codes/disk.js';
import type { Boot } from '../../ir/schema.js';
import { bootEntries, type EntryFile, kernelCmdline } from './boot-entries.js';
import { DiskError, diskError } from './errors.js';
import { type FsContext, writeEsp, writeExt4, writeSwap } from './filesystems.js';
import { uuidSource } from './ids.js';
import { findKernels, findSystemdBoot } from './kernels.js';
import { type DiskLayout, type PlannedPartition, planLayout, sfdiskScript } from './layout.js';
import { fileBytes, measureTree, treeHasContent } from './measure.js';
import { runTool } from './run.js';
import type { DiskInfo, DiskRequest, DiskResult } from './types.js';

export { convertDisk, convertImage, type DiskFormat } from './convert.js';
export { DiskError } from './errors.js';
export type { DiskInfo, DiskPartitionInfo, DiskRequest, DiskResult } from './types.js';

function checkBoot(boot: Boot | undefined): void {
  const unsupported = (detail: string) => diskError(diskCodes.unsupportedBoot, { detail });
  if (boot?.firmware === 'bios') throw unsupported('BIOS firmware');
  if (boot?.bootloader === 'grub' || boot?.bootloader === 'zipl' || boot?.bootloader === 'custom')
    throw unsupported(`the ${boot.bootloader} boot loader`);
  if (boot?.bootloader === 'uki' || boot?.uki) throw unsupported('unified kernel images');
  if (boot?.secureBoot?.enabled) throw unsupported('secure boot signing');
}

async function checkTree(tree: string): Promise<void> {
  const s = await stat(tree).catch(() => undefined);
  if (!s?.isDirectory()) throw diskError(diskCodes.treeMissing, { path: tree });
}

/** Runs tasks together; the first failure cancels the others, and is what the caller sees. */
async function allOrCancel(controller: AbortController, tasks: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(
    tasks.map((t) =>
      t().catch((e) => {
        controller.abort();
        throw e;
      }),
    ),
  );
  const failures = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason);
  const real = failures.find(
    (e) => !(e instanceof DiskError && e.diagnostic.code === diskCodes.aborted.code),
  );
  if (failures.length > 0) throw real ?? failures[0];
}

export async function assembleDisk(request: DiskRequest): Promise<DiskResult> {
  const progress = request.onProgress ?? (() => {});
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;
  let created = false;
  try {
    if (request.signal?.aborted) throw diskError(diskCodes.aborted, undefined);
    checkBoot(request.boot);
    await checkTree(request.tree);
    const withLoader = request.boot?.bootloader !== 'none';
    const loader = withLoader ? findSystemdBoot(request.tree) : undefined;
    const kernels = withLoader ? findKernels(request.tree) : [];
    if (loader?.fromHost) progress(`the tree has no systemd-boot; using the host's ${loader.path}`);
    const measure = await measureTree(request.tree, signal);
    const epoch = request.reproducible?.epoch;
    const uuid = uuidSource(request.reproducible?.seed);
    const espContent =
      fileBytes(kernels.flatMap((k) => [k.kernel, k.initrd])) + (loader ? fileBytes([loader.path]) : 0);
    const layout = planLayout({
      ...(request.storage ? { storage: request.storage } : {}),
      arch: loader?.arch ?? 'x86_64',
      tree: measure,
      espContent,
      hasContent: (mp) => treeHasContent(request.tree, mp),
      uuid,
    });
    const root = layout.partitions.find((p) => p.role === 'root')!;
    const espFiles: EntryFile[] = [];
    if (loader) {
      espFiles.push({ path: `EFI/BOOT/${loader.fallbackName}`, from: loader.path });
      const cmdline = kernelCmdline(request.cmdline, root.uuid);
      espFiles.push(
        ...bootEntries({ os: request.os, kernels, cmdline, ...(request.boot ? { boot: request.boot } : {}) }),
      );
    }
    progress(describe(layout));

    await unlink(request.output).catch(() => {});
    await writeFile(request.output, '', { flag: 'wx' });
    created = true;
    await truncate(request.output, layout.sizeBytes);
    await runTool('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', '--wipe', 'never', request.output], {
      signal,
      input: sfdiskScript(layout),
    });

    const info: DiskInfo = {
      image: request.output,
      sizeBytes: layout.sizeBytes,
      diskUuid: layout.diskUuid,
      partitions: layout.partitions.map((p) => ({
        number: p.number,
        role: p.role,
        filesystem: p.filesystem,
        uuid: p.uuid,
        fsUuid: p.fsUuid,
        start: p.start,
        size: p.size,
      })),
    };
    if (request.beforeFilesystems) {
      progress('running the disk scripts that change the tree');
      await request.beforeFilesystems(info);
    }

    const ctx: FsContext = {
      image: request.output,
      workDir: request.workDir,
      signal,
      ...(epoch !== undefined ? { epoch } : {}),
    };
    // the root filesystem is by far the longest step; everything else runs beside it
    const tasks = layout.partitions.map(
      (p) => () => writePartition(ctx, p, request.tree, measure, espFiles, progress),
    );
    await allOrCancel(controller, tasks);
    if (request.afterFilesystems) {
      progress('running the disk scripts on the image');
      await request.afterFilesystems(info);
    }

    const size = (await stat(request.output)).size;
    progress(`disk image written: ${request.output} (${(size / 1024 / 1024).toFixed(0)} MiB)`);
    return {
      output: request.output,
      sizeBytes: size,
      partitions: layout.partitions.map((p) => ({
        role: p.role,
        uuid: p.uuid,
        start: p.start,
        size: p.size,
      })),
    };
  } catch (e) {
    if (created) await unlink(request.output).catch(() => {});
    if (request.signal?.aborted && !(e instanceof DiskError)) throw diskError(diskCodes.aborted, undefined);
    throw e;
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
  }
}

async function writePartition(
  ctx: FsContext,
  p: PlannedPartition,
  tree: string,
  measure: { bytes: number; inodes: number },
  espFiles: EntryFile[],
  progress: (m: string) => void,
): Promise<void> {
  const t0 = Date.now();
  if (p.content === 'esp') await writeEsp(ctx, p, espFiles);
  else if (p.content === 'tree') await writeExt4(ctx, p, { tree, measure });
  else if (p.content === 'swap') await writeSwap(ctx, p);
  else if (p.filesystem === 'ext4') await writeExt4(ctx, p, undefined);
  else if (p.filesystem === 'vfat') await writeEsp(ctx, p, []);
  else return;
  progress(
    `partition ${p.number} (${p.role}, ${p.filesystem}) done in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

function describe(layout: DiskLayout): string {
  const parts = layout.partitions.map(
    (p) => `${p.role} ${p.filesystem} ${Math.round(p.size / 1024 / 1024)} MiB`,
  );
  return `disk layout: GPT, ${parts.join(', ')}`;
}
