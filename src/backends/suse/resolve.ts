/**
 * Resolving with zypper: `zypper --xmlout install --dry-run` into an empty installroot, with the
 * plan's repositories in a private repos.d and their metadata cached between runs. The solver's
 * answer is read from the XML summary (`<to-install>` solvables), not from its table.
 * Nothing is installed, so signatures are not checked here; the build checks them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lookupTable } from '../../lib/lookup-table.js';
import { metadataCache, refreshAndSolve, resolveInScratch, settingText } from '../common/resolver.js';
import { KEY_DIR_PLACEHOLDER } from '../common/rpm-repos.js';
import type { PackageRequest, Resolution, ResolveContext, ResolvedPackage } from '../contract.js';

const ENTITIES: Record<string, string> = lookupTable({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
const xmlText = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

const SOLVABLE = /<solvable type="package" name="([^"]+)" edition="([^"]+)" arch="([^"]+)"/g;

/** The packages of the `<to-install>` section of zypper's XML install summary. */
export function zypperToInstall(lines: readonly string[]): ResolvedPackage[] {
  const section = /<to-install>([\s\S]*?)<\/to-install>/.exec(lines.join('\n'))?.[1] ?? '';
  return [...section.matchAll(SOLVABLE)].map((m) => ({
    name: xmlText(m[1]!),
    version: xmlText(m[2]!),
    arch: xmlText(m[3]!),
  }));
}

/** The error and warning messages of zypper's XML stream, and its plain lines, as text. */
function messages(lines: readonly string[]): string[] {
  return lines
    .map((l) => {
      const message = /<message type="(?:error|warning)">([^<]*)/.exec(l)?.[1];
      return message !== undefined ? xmlText(message) : l.startsWith('<') ? '' : l;
    })
    .filter(Boolean);
}

const lockEntry = (name: string) => `type: package\nmatch_type: glob\nsolvable_name: ${name}\n`;

async function prepareRoot(root: string, request: PackageRequest): Promise<void> {
  for (const d of ['repos.d', 'keys', 'home', 'tree/etc/zypp'])
    await mkdir(join(root, d), { recursive: true });
  await writeFile(
    join(root, 'repos.d/imgc.repo'),
    (request.sources ?? '').replaceAll(KEY_DIR_PLACEHOLDER, join(root, 'keys')),
  );
  await writeFile(join(root, 'zypp.conf'), '[main]\nsolver.onlyRequires = true\n');
  // excluded packages are zypp locks in the root, as the build writes them into the image
  await writeFile(join(root, 'tree/etc/zypp/locks'), request.exclude.map(lockEntry).join('\n'));
}

export function resolveWithZypper(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
  const requested = request.packages;
  return resolveInScratch({ tool: 'zypper', debianPackage: 'zypper', requested }, async (root) => {
    await prepareRoot(root, request);
    const releasever = settingText(request, 'releasever') ?? request.suite;
    const cache = await metadataCache(context, 'zypper', `${request.sources}\n${request.architecture}`);
    const base = [
      ...['--non-interactive', '--no-gpg-checks', `--installroot=${join(root, 'tree')}`],
      ...[`--reposd-dir=${join(root, 'repos.d')}`, `--cache-dir=${cache}`],
      ...(releasever ? [`--releasever=${releasever}`] : []),
    ];
    const recommends = request.installRecommends ? '--recommends' : '--no-recommends';
    return refreshAndSolve(
      {
        tool: 'zypper',
        requested,
        env: { HOME: join(root, 'home'), ZYPP_CONF: join(root, 'zypp.conf'), RPM_FORCE_DEBIAN: '1' },
        refresh: [...base, 'refresh'],
        solve: ['--xmlout', ...base, '--no-refresh', 'install', '--dry-run', recommends, '--', ...requested],
        failure: messages,
        read: zypperToInstall,
      },
      context,
    );
  });
}
