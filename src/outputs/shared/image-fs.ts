/** Read-only filesystem images of a folder (squashfs, erofs) for live roots and extension images. */
import { runTool } from './run.js';

export interface FsImageRequest {
  source: string;
  output: string;
  filesystem: 'squashfs' | 'erofs';
  /** paths relative to `source` left out */
  exclude?: string[];
  /** files get this mtime (SOURCE_DATE_EPOCH) */
  epoch?: number;
  signal?: AbortSignal;
  outputName: string;
}

/** What makes two images of a request alike: everything but where it is written and for whom. */
export function fsImageKey(r: FsImageRequest): string {
  return JSON.stringify(['fs-image', r.source, r.filesystem, r.exclude ?? [], r.epoch ?? null]);
}

/** zstd level 3: level 15 (the default) is 20 times slower on two cores for a few percent. */
export async function makeFsImage(r: FsImageRequest): Promise<void> {
  const opts = { output: r.outputName, ...(r.signal ? { signal: r.signal } : {}) };
  if (r.filesystem === 'squashfs') {
    const args = [r.source, r.output, '-noappend', '-quiet', '-no-progress', '-comp', 'zstd'];
    args.push('-Xcompression-level', '3');
    if (r.epoch !== undefined) args.push('-mkfs-time', String(r.epoch), '-all-time', String(r.epoch));
    if (r.exclude?.length) args.push('-wildcards', '-e', ...r.exclude);
    await runTool('mksquashfs', args, opts);
    return;
  }
  const args = ['-zlz4'];
  if (r.epoch !== undefined) args.push('-T', String(r.epoch));
  for (const e of r.exclude ?? []) args.push(`--exclude-path=${e}`);
  args.push(r.output, r.source);
  await runTool('mkfs.erofs', args, opts);
}
