/**
 * Resolving with pacman: `-Sy` fetches the plan's repository databases into a scratch database
 * folder kept in the cache, then `-Sp --print-format` prints what `-S` would install into an
 * empty root, dependencies included, without downloading a package.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { metadataCache, refreshAndSolve, resolveInScratch, settingText } from '../common/resolver.js';
import type { PackageRequest, Resolution, ResolveContext, ResolvedPackage } from '../contract.js';

const FORMAT = 'imgc-resolved %n %v %r';

/** The lines `-Sp --print-format FORMAT` prints; pacman has no architecture field there. */
export function pacmanPrinted(lines: readonly string[]): ResolvedPackage[] {
  return lines.flatMap((l) => {
    const m = /^imgc-resolved (\S+) (\S+) (\S+)$/.exec(l);
    return m ? [{ name: m[1]!, version: m[2]!, from: m[3]! }] : [];
  });
}

function pacmanConf(request: PackageRequest): string {
  const options = [
    '[options]',
    `Architecture = ${request.architecture ?? 'auto'}`,
    `SigLevel = ${settingText(request, 'sigLevel') ?? 'Required DatabaseOptional'}`,
    ...(request.exclude.length ? [`IgnorePkg = ${request.exclude.join(' ')}`] : []),
  ];
  return `${options.join('\n')}\n\n${request.sources ?? ''}\n`;
}

/** pacman's options for a scratch root whose sync databases are kept in the cache, and that folder. */
export async function pacmanBase(
  request: PackageRequest,
  context: ResolveContext,
  root: string,
): Promise<{ base: string[]; dbPath: string }> {
  const conf = pacmanConf(request);
  await writeFile(join(root, 'pacman.conf'), conf);
  for (const d of ['tree', 'gnupg']) await mkdir(join(root, d), { recursive: true });
  const dbPath = await metadataCache(context, 'pacman', conf);
  const base = [
    ...['--root', join(root, 'tree'), '--config', join(root, 'pacman.conf')],
    ...['--dbpath', dbPath, '--cachedir', join(root, 'pkg')],
    ...['--gpgdir', join(root, 'gnupg'), '--noconfirm', '--noprogressbar'],
  ];
  return { base, dbPath };
}

export const pacmanResolver = (requested: string[]) => ({
  tool: 'pacman',
  debianPackage: 'pacman-package-manager',
  requested,
});

export function resolveWithPacman(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
  const requested = request.packages;
  return resolveInScratch(pacmanResolver(requested), async (root) => {
    const { base } = await pacmanBase(request, context, root);
    return refreshAndSolve(
      {
        tool: 'pacman',
        requested,
        refresh: [...base, '-Sy'],
        solve: [...base, '-Sp', '--print-format', FORMAT, '--', ...requested],
        read: pacmanPrinted,
      },
      context,
    );
  });
}
