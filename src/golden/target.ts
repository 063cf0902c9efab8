/**
 * A drift target read into a manifest: a directory tree (or `/`), a tar archive, or a raw
 * disk or ext4 image. Images are read without mounting (the kernel may lack the filesystem
 * or partition scanning): debugfs copies the ext4 root out (decision 0108, src/golden/debugfs.ts).
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DebugfsError, debugfsCopy, debugfsModes } from './debugfs.js';
import { type IgnoreRule, prunable } from './ignore.js';
import { buildManifest } from './manifest.js';
import type { GoldenManifest } from './schema.js';

const run = promisify(execFile);

export type TargetKind = 'directory' | 'tar' | 'disk' | 'ext4';

export class TargetError extends Error {
  constructor(
    readonly reason: 'missing' | 'unknown-kind' | 'no-root-partition' | 'unreadable',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface ReadTarget {
  manifest: GoldenManifest;
  kind: TargetKind;
  /** false when the copy the manifest was made from cannot hold xattrs */
  xattrs: boolean;
}

const GPT_LINUX_ROOTS = new Set([
  '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709', // root x86-64
  'B921B045-1DF0-41C3-AF44-4C6F280D3FAE', // root arm64
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4', // generic Linux data
]);

function readBytes(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, offset);
    return buf;
  } finally {
    closeSync(fd);
  }
}

const isExt = (path: string, offset: number) => readBytes(path, offset + 1080, 2).readUInt16LE(0) === 0xef53;

export function kindOf(path: string): TargetKind {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) throw new TargetError('missing', `${path}: no such file or directory`);
  if (s.isDirectory()) return 'directory';
  const head = readBytes(path, 0, 1024);
  if (head.subarray(257, 262).toString() === 'ustar') return 'tar';
  if (head.subarray(0, 4).toString('latin1') === 'QFI\xfb')
    throw new TargetError(
      'unknown-kind',
      `${path} is a qcow2 image`,
      'convert it first: qemu-img convert -O raw IMAGE disk.raw',
    );
  if (readBytes(path, 512, 8).toString() === 'EFI PART') return 'disk';
  if (s.size > 1082 && isExt(path, 0)) return 'ext4';
  throw new TargetError(
    'unknown-kind',
    `${path} is neither a directory, a tar archive, a GPT disk image nor an ext2/3/4 image`,
    'compressed tar archives: decompress them first (zstd -d, xz -d)',
  );
}

/** Byte offset of the ext4 root filesystem in a GPT disk image. */
export async function rootOffset(image: string): Promise<number> {
  const { stdout } = await run('sfdisk', ['--json', image]).catch((e) => {
    throw new TargetError(
      'unreadable',
      `${image}: sfdisk cannot read the partition table: ${String(e.stderr ?? e).trim()}`,
    );
  });
  const table = JSON.parse(stdout).partitiontable as {
    sectorsize?: number;
    partitions?: { start: number; size: number; type: string }[];
  };
  const sector = table.sectorsize ?? 512;
  const candidates = (table.partitions ?? [])
    .filter((p) => GPT_LINUX_ROOTS.has(p.type.toUpperCase()) && isExt(image, p.start * sector))
    .sort((a, b) => Number(a.type.startsWith('0FC')) - Number(b.type.startsWith('0FC')));
  if (!candidates.length)
    throw new TargetError(
      'no-root-partition',
      `${image}: no ext2/3/4 root partition (GPT type Linux root or Linux data) in the partition table`,
    );
  return candidates[0]!.start * sector;
}

export async function readTarget(path: string, rules: readonly IgnoreRule[]): Promise<ReadTarget> {
  try {
    return await readTargetOnce(path, rules);
  } catch (e) {
    const errno = e as NodeJS.ErrnoException;
    if (e instanceof TargetError || !errno.code || !errno.syscall) throw e;
    throw new TargetError('unreadable', `${path}: cannot read ${errno.path ?? 'the target'}: ${errno.code}`);
  }
}

async function readTargetOnce(path: string, rules: readonly IgnoreRule[]): Promise<ReadTarget> {
  const kind = kindOf(path);
  const skip = (p: string) => prunable(p, rules);
  if (kind === 'directory')
    return {
      kind,
      xattrs: true,
      manifest: await buildManifest(path, { skip, xattrRoots: topLevel(path, skip) }),
    };
  const scratch = await mkdtemp(join(tmpdir(), 'imgc-drift-'));
  try {
    if (kind === 'tar') {
      await run('tar', [
        '--extract',
        `--file=${path}`,
        `--directory=${scratch}`,
        '--numeric-owner',
        '--xattrs',
        '--xattrs-include=*',
        '--acls',
      ]).catch((e) => {
        throw new TargetError(
          'unreadable',
          `${path}: tar cannot read the archive: ${String(e.stderr ?? e).trim()}`,
        );
      });
      return { kind, xattrs: true, manifest: await buildManifest(scratch, { skip }) };
    }
    return { kind, xattrs: false, manifest: await imageManifest(path, kind, scratch, skip) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The manifest of the ext4 root of a disk or filesystem image, copied out with debugfs. */
async function imageManifest(image: string, kind: TargetKind, scratch: string, skip: (p: string) => boolean) {
  const offset = kind === 'disk' ? await rootOffset(image) : 0;
  const device = offset ? `${image}?offset=${offset}` : image;
  const tree = join(scratch, 'tree');
  await mkdir(tree);
  try {
    await debugfsCopy(device, tree);
    const manifest = await buildManifest(tree, { skip, xattrs: false });
    const dirs = manifest.paths.filter((p) => p.type === 'dir').map((p) => p.path);
    const modes = await debugfsModes(device, dirs, join(scratch, 'ls-commands'));
    for (const p of manifest.paths) p.mode = modes.get(p.path) ?? p.mode;
    return manifest;
  } catch (e) {
    if (e instanceof DebugfsError) throw new TargetError('unreadable', `${image}: ${e.message}`);
    throw e;
  }
}

/** What getfattr should read: the top-level entries a walk does not prune (never /proc of a live system). */
function topLevel(root: string, skip: (p: string) => boolean): Promise<string[]> {
  return readdir(root).then((names) => names.filter((n) => !skip(`/${n}`)).sort());
}
