/**
 * Resolving with pacman: `-Sy` fetches the plan's repository databases into a scratch database
 * folder kept in the cache, then `-Sp --print-format` prints what `-S` would install into an
 * empty root, dependencies included, without downloading a package.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingResolver, resolverFailed, runResolver, settingText } from '../common/resolver.js';
import type { PackageRequest, Resolution, ResolveContext, ResolvedPackage } from '../contract.js';

const FORMAT = 'imgc-resolved %n %v %r';

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

export async function resolveWithPacman(
  request: PackageRequest,
  context: ResolveContext,
): Promise<Resolution> {
  const requested = request.packages;
  const missing = missingResolver('pacman', 'pacman-package-manager', requested);
  if (missing) return missing;
  const key = createHash('sha256').update(pacmanConf(request)).digest('hex').slice(0, 16);
  const dbpath = join(context.cacheDir, 'resolve', 'pacman', key);
  await mkdir(dbpath, { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
  try {
    await writeFile(join(root, 'pacman.conf'), pacmanConf(request));
    await mkdir(join(root, 'tree'), { recursive: true });
    await mkdir(join(root, 'gnupg'), { recursive: true });
    const base = [
      '--root',
      join(root, 'tree'),
      '--config',
      join(root, 'pacman.conf'),
      '--dbpath',
      dbpath,
      '--cachedir',
      join(root, 'pkg'),
      '--gpgdir',
      join(root, 'gnupg'),
      '--noconfirm',
      '--noprogressbar',
    ];
    const sync = await runResolver('pacman', [...base, '-Sy'], context);
    if (sync.code !== 0) return resolverFailed('pacman -Sy', requested, sync.lines);
    const print = await runResolver(
      'pacman',
      [...base, '-Sp', '--print-format', FORMAT, '--', ...requested],
      context,
    );
    if (print.code !== 0) return resolverFailed('pacman', requested, print.lines);
    return { tool: 'pacman', requested, packages: pacmanPrinted(print.lines), diagnostics: [] };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
