/**
 * Resolving with dnf: `dnf install --assumeno` into an empty installroot, with the plan's
 * repositories in a private repos.d (the host's never take part) and metadata cached between runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { refreshAndSolve, resolveInScratch, settingText } from '../common/resolver.js';
import { KEY_DIR_PLACEHOLDER } from '../common/rpm-repos.js';
import type { PackageRequest, Resolution, ResolveContext, ResolvedPackage } from '../contract.js';

/** A row of dnf's transaction table: name, arch, version, repository, size. */
const DNF_ROW = /^ (\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+[\d.]+\s+[kMG]$/;

function transactionRows(lines: readonly string[]): ResolvedPackage[] {
  let inTable = false;
  return lines.flatMap((line) => {
    if (/^Installing( dependencies| weak dependencies)?:$/.test(line)) inTable = true;
    else if (/^\S/.test(line)) inTable = false;
    const m = inTable ? DNF_ROW.exec(line) : null;
    return m ? [{ name: m[1]!, arch: m[2]!, version: m[3]!, from: m[4]! }] : [];
  });
}

export function resolveWithDnf(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
  const requested = request.packages;
  return resolveInScratch({ tool: 'dnf', debianPackage: 'dnf', requested }, async (root) => {
    const conf = join(root, 'conf');
    for (const d of ['repos.d', 'vars', 'keys']) await mkdir(join(conf, d), { recursive: true });
    await writeFile(
      join(conf, 'repos.d/imgc.repo'),
      (request.sources ?? '').replaceAll(KEY_DIR_PLACEHOLDER, join(conf, 'keys')),
    );
    await writeFile(join(conf, 'dnf.conf'), '[main]\nbest=True\nskip_if_unavailable=False\n');
    const solve = [
      `--installroot=${join(root, 'tree')}`,
      `--releasever=${settingText(request, 'releasever') ?? request.suite ?? ''}`,
      `--config=${join(conf, 'dnf.conf')}`,
      `--setopt=reposdir=${join(conf, 'repos.d')}`,
      `--setopt=varsdir=${join(conf, 'vars')}`,
      `--setopt=cachedir=${join(context.cacheDir, 'resolve', 'dnf')}`,
      `--setopt=install_weak_deps=${request.installRecommends ? 'True' : 'False'}`,
      '--noplugins',
      ...request.exclude.map((p) => `--exclude=${p}`),
      ...['install', '--assumeno', '--', ...requested],
    ];
    return refreshAndSolve(
      {
        tool: 'dnf',
        requested,
        env: { HOME: root, RPM_FORCE_DEBIAN: '1' },
        solve,
        // --assumeno ends with "Operation aborted." and exit 1 once it has printed the transaction
        answered: (out) => out.lines.some((l) => /Operation aborted/.test(l)),
        read: transactionRows,
      },
      context,
    );
  });
}
