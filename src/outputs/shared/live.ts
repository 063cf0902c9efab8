/** What live ISO and PXE outputs share: the live-boot command line and the squashfs root. */
import { copyFile, link } from 'node:fs/promises';
import { type FsImageRequest, fsImageKey, makeFsImage } from './image-fs.js';

export const LIVE_EXCLUDES = ['boot/*'];

/** How an output gets a file the build's other outputs may need too (OutputContext.sharedFile). */
export type SharedFile = (key: string, make: (path: string) => Promise<void>) => Promise<string>;

/**
 * The squashfs root of a live output at `output`: made once per build when the outputs share it
 * (iso and pxe of one tree make the same image), hard-linked when it lies on the same file
 * system, else copied.
 */
export async function liveRootImage(
  request: Omit<FsImageRequest, 'exclude' | 'filesystem'>,
  shared?: SharedFile,
): Promise<void> {
  const r: FsImageRequest = { ...request, filesystem: 'squashfs', exclude: LIVE_EXCLUDES };
  if (!shared) return makeFsImage(r);
  const made = await shared(fsImageKey(r), (path) => makeFsImage({ ...r, output: path }));
  await link(made, r.output).catch(() => copyFile(made, r.output));
}

/** boot=live first, then the definition's arguments without root= (live-boot finds its own root). */
export function liveCmdline(args: string[], extra: string[] = []): string[] {
  const kept = args.filter((a) => !a.startsWith('root=') && a !== 'boot=live');
  return ['boot=live', ...extra, ...kept];
}
