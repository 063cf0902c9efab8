/** What live ISO and PXE outputs share: the live-boot command line and the squashfs root. */
export const LIVE_EXCLUDES = ['boot/*'];

/** boot=live first, then the definition's arguments without root= (live-boot finds its own root). */
export function liveCmdline(args: string[], extra: string[] = []): string[] {
  const kept = args.filter((a) => !a.startsWith('root=') && a !== 'boot=live');
  return ['boot=live', ...extra, ...kept];
}
