/**
 * Resolving with zypper: `zypper --xmlout install --dry-run` into an empty installroot, with the
 * plan's repositories in a private repos.d and their metadata cached between runs. The solver's
 * answer is read from the XML summary (`<to-install>` solvables), not from its table.
 * Nothing is installed, so signatures are not checked here; the build checks them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingResolver, resolverFailed, runResolver, settingText } from '../common/resolver.js';
import { KEY_DIR_PLACEHOLDER } from '../common/rpm-repos.js';
import type { PackageRequest, Resolution, ResolveContext, ResolvedPackage } from '../contract.js';

const SOLVABLE = /<solvable type="package" name="([^"]+)" edition="([^"]+)" arch="([^"]+)"/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlText = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/** The packages of the `<to-install>` section of zypper's XML install summary. */
export function zypperToInstall(xml: string): ResolvedPackage[] {
  const section = /<to-install>([\s\S]*?)<\/to-install>/.exec(xml)?.[1] ?? '';
  return [...section.matchAll(SOLVABLE)].map((m) => ({
    name: xmlText(m[1]!),
    version: xmlText(m[2]!),
    arch: xmlText(m[3]!),
  }));
}

/** The error and message lines of zypper's XML stream, as text. */
function messages(lines: readonly string[]): string[] {
  return lines
    .map((l) => {
      const message = /<message type="(?:error|warning)">([^<]*)/.exec(l)?.[1];
      return message !== undefined ? xmlText(message) : l.startsWith('<') ? '' : l;
    })
    .filter(Boolean);
}

export async function resolveWithZypper(
  request: PackageRequest,
  context: ResolveContext,
): Promise<Resolution> {
  const patterns = request.packages;
  const missing = missingResolver('zypper', 'zypper', patterns);
  if (missing) return missing;
  const key = createHash('sha256')
    .update(`${request.sources}\n${request.architecture}`)
    .digest('hex')
    .slice(0, 16);
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
  try {
    const repos = join(root, 'repos.d');
    await mkdir(repos, { recursive: true });
    await mkdir(join(root, 'keys'), { recursive: true });
    await mkdir(join(root, 'home'), { recursive: true });
    await writeFile(
      join(repos, 'imgc.repo'),
      (request.sources ?? '').replaceAll(KEY_DIR_PLACEHOLDER, join(root, 'keys')),
    );
    await writeFile(join(root, 'zypp.conf'), '[main]\nsolver.onlyRequires = true\n');
    const releasever = settingText(request, 'releasever') ?? request.suite;
    const base = [
      '--non-interactive',
      '--no-gpg-checks',
      `--installroot=${join(root, 'tree')}`,
      `--reposd-dir=${repos}`,
      `--cache-dir=${join(context.cacheDir, 'resolve', 'zypper', key)}`,
      ...(releasever ? [`--releasever=${releasever}`] : []),
    ];
    const env = { HOME: join(root, 'home'), ZYPP_CONF: join(root, 'zypp.conf'), RPM_FORCE_DEBIAN: '1' };
    // excluded packages are zypp locks in the root, as the build writes them into the image
    await mkdir(join(root, 'tree/etc/zypp'), { recursive: true });
    await writeFile(
      join(root, 'tree/etc/zypp/locks'),
      request.exclude.map((n) => `type: package\nmatch_type: glob\nsolvable_name: ${n}\n`).join('\n'),
    );
    const refresh = await runResolver('zypper', [...base, 'refresh'], context, env);
    if (refresh.code !== 0) return resolverFailed('zypper refresh', patterns, refresh.lines);
    const install = await runResolver(
      'zypper',
      [
        '--xmlout',
        ...base,
        '--no-refresh',
        'install',
        '--dry-run',
        request.installRecommends ? '--recommends' : '--no-recommends',
        '--',
        ...patterns,
      ],
      context,
      env,
    );
    if (install.code !== 0) return resolverFailed('zypper', patterns, messages(install.lines));
    return {
      tool: 'zypper',
      requested: patterns,
      packages: zypperToInstall(install.lines.join('\n')),
      diagnostics: [],
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
