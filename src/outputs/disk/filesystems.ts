/**
 * Writes each filesystem straight into its partition's byte range of the image file, with no
 * mounting and no intermediate copies: mkfs.vfat --offset + mtools for the ESP, mkfs.ext4
 * -E offset -d for the root, a mkswap header for swap. Ranges never overlap, so they run in
 * parallel on one file.
 */
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fatTimeEnv } from '../shared/fat-time.js';
import type { EntryFile } from './boot-entries.js';
import { settleExt4Times } from './ext4-times.js';
import type { PlannedPartition, TreeMeasure } from './layout.js';
import { runTool } from './run.js';

const SECTOR = 512;

export interface FsContext {
  image: string;
  workDir: string;
  signal?: AbortSignal;
  /** fixed timestamp (seconds) for reproducible filesystems */
  epoch?: number;
}

/** FAT32 needs at least 65525 clusters; pick the largest cluster (up to 4 KiB) that keeps that. */
export function fatGeometry(sizeBytes: number): { fatBits: 16 | 32; sectorsPerCluster?: number } {
  const sectors = sizeBytes / SECTOR;
  if (sizeBytes < 64 * 1024 * 1024) return { fatBits: 16 };
  let spc = 8;
  while (spc > 1 && sectors / spc < 66_000) spc /= 2;
  return { fatBits: 32, sectorsPerCluster: spc };
}

const fatLabel = (label: string | undefined) => (label ?? 'ESP').toUpperCase().slice(0, 11);

export async function writeEsp(ctx: FsContext, p: PlannedPartition, files: EntryFile[]): Promise<void> {
  const geometry = fatGeometry(p.size);
  const args = ['-F', String(geometry.fatBits), '-S', String(SECTOR), '-n', fatLabel(p.fsLabel)];
  if (geometry.sectorsPerCluster) args.push('-s', String(geometry.sectorsPerCluster));
  if (ctx.epoch !== undefined) args.push('--invariant');
  args.push(
    '-i',
    p.fsUuid.replace(/-/g, '').slice(0, 8),
    `--offset=${p.start / SECTOR}`,
    ctx.image,
    String(p.size / 1024),
  );
  const env = fatTimeEnv(ctx.epoch);
  await runTool('mkfs.vfat', args, { signal: ctx.signal, env });
  if (files.length === 0) return;
  // one mcopy call for everything: a staging folder of symlinks to the tree's files plus the generated texts
  const stage = join(ctx.workDir, `esp-${p.number}`);
  for (const f of files) {
    const target = join(stage, f.path);
    await mkdir(dirname(target), { recursive: true });
    if (f.from !== undefined) await symlink(f.from, target);
    else await writeFile(target, f.text ?? '');
  }
  const tops = [...new Set(files.map((f) => f.path.split('/')[0]!))].sort();
  await runTool(
    'mcopy',
    ['-s', '-Q', '-i', `${ctx.image}@@${p.start}`, ...tops.map((t) => join(stage, t)), '::/'],
    {
      signal: ctx.signal,
      env: { MTOOLS_SKIP_CHECK: '1', ...env },
    },
  );
}

/** Inodes for mkfs: what the tree needs with room to spare, never fewer than mke2fs's usual ratio gives. */
export function ext4Inodes(tree: TreeMeasure | undefined, sizeBytes: number): number {
  const byRatio = Math.floor(sizeBytes / 16384);
  return tree ? Math.max(byRatio, Math.ceil(tree.inodes * 1.5) + 4096) : byRatio;
}

export async function writeExt4(
  ctx: FsContext,
  p: PlannedPartition,
  source: { tree: string; measure: TreeMeasure } | undefined,
): Promise<void> {
  const extended = [`offset=${p.start}`];
  // the directory hash seed is random unless given; the filesystem UUID is already derived
  if (ctx.epoch !== undefined) extended.push(`hash_seed=${p.fsUuid}`);
  const args = ['-q', '-F', '-t', 'ext4', '-b', '4096', '-N', String(ext4Inodes(source?.measure, p.size))];
  args.push('-U', p.fsUuid, '-E', extended.join(','));
  if (p.fsLabel) args.push('-L', p.fsLabel.slice(0, 16));
  if (source) args.push('-d', source.tree);
  args.push(ctx.image, `${p.size / 1024}k`);
  const env: Record<string, string> = {};
  if (ctx.epoch !== undefined) env.E2FSPROGS_FAKE_TIME = String(ctx.epoch);
  // the image is a build artefact renamed into place afterwards; fsync-ing it is what costs here
  await runTool('mkfs.ext4', args, { signal: ctx.signal, env, noSync: true });
  if (ctx.epoch !== undefined && source) await settleExt4Times(ctx.image, p.start, ctx.epoch, ctx.signal);
}

/** mkswap cannot write at an offset; it only writes the first page, so make it on a sparse file and copy that page. */
export async function writeSwap(ctx: FsContext, p: PlannedPartition): Promise<void> {
  const scratch = join(ctx.workDir, `swap-${p.number}.img`);
  const f = await open(scratch, 'w');
  await f.truncate(p.size);
  await f.close();
  const args = ['-U', p.fsUuid];
  if (p.fsLabel) args.push('-L', p.fsLabel);
  await runTool('mkswap', [...args, scratch], { signal: ctx.signal });
  const header = Buffer.alloc(64 * 1024);
  const src = await open(scratch, 'r');
  await src.read(header, 0, header.length, 0);
  await src.close();
  const dst = await open(ctx.image, 'r+');
  try {
    await dst.write(header, 0, header.length, p.start);
  } finally {
    await dst.close();
  }
}
