/**
 * The `sysext`, `confext` and `portable` outputs: read-only squashfs or erofs images for
 * systemd-sysext (the tree's /usr and /opt), systemd-confext (its /etc) and portablectl
 * (the whole tree without /boot), each with its extension-release file. The image content is
 * staged as hard links beside the tree, so the tree itself is never changed.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { outputError } from '../shared/errors.js';
import { makeFsImage } from '../shared/image-fs.js';
import { runTool } from '../shared/run.js';

export type ExtensionKind = 'sysext' | 'confext' | 'portable';

export interface ExtensionRequest {
  tree: string;
  output: string;
  workDir: string;
  kind: ExtensionKind;
  filesystem: 'squashfs' | 'erofs';
  /** must equal the image file name without .raw for systemd to accept it */
  extensionName: string;
  os: { id: string; versionId?: string };
  architecture: string;
  epoch?: number;
  signal?: AbortSignal;
}

export const CONTENT: Record<ExtensionKind, string[]> = {
  sysext: ['usr', 'opt'],
  confext: ['etc'],
  portable: ['.'],
};

/** Where the release file goes and which os-release files must not shadow the host's. */
export function releasePath(kind: ExtensionKind, name: string): string | undefined {
  if (kind === 'sysext') return `usr/lib/extension-release.d/extension-release.${name}`;
  if (kind === 'confext') return `etc/extension-release.d/extension-release.${name}`;
  return undefined;
}

export function extensionRelease(r: Pick<ExtensionRequest, 'kind' | 'os' | 'architecture'>): string {
  const lines = [`ID=${r.os.id}`];
  if (r.os.versionId) lines.push(`VERSION_ID=${r.os.versionId}`);
  lines.push(`ARCHITECTURE=${r.architecture}`);
  if (r.kind === 'sysext') lines.push('EXTENSION_RELOAD_MANAGER=1');
  return `${lines.join('\n')}\n`;
}

export async function writeExtension(r: ExtensionRequest): Promise<void> {
  const opts = { output: r.kind, ...(r.signal ? { signal: r.signal } : {}) };
  const stage = join(r.workDir, 'stage');
  await mkdir(stage, { recursive: true });
  const dirs = CONTENT[r.kind].filter((d) => existsSync(join(r.tree, d)));
  if (!dirs.length)
    throw outputError(
      outputCodes.emptyExtension,
      { output: r.kind, dirs: CONTENT[r.kind].join(', ') },
      r.kind,
    );
  for (const d of dirs) {
    if (d === '.') await runTool('cp', ['-al', '--', `${r.tree}/.`, stage], opts);
    else await runTool('cp', ['-al', '--', join(r.tree, d), join(stage, d)], opts);
  }
  if (r.kind === 'portable')
    await rm(join(stage, 'boot'), { recursive: true, force: true }).then(() => mkdir(join(stage, 'boot')));
  const release = releasePath(r.kind, r.extensionName);
  if (release) {
    // an extension carries extension-release, never os-release: that one belongs to the host
    await rm(join(stage, 'usr/lib/os-release'), { force: true });
    await rm(join(stage, 'etc/os-release'), { force: true });
    await mkdir(join(stage, release, '..'), { recursive: true });
    await writeFile(join(stage, release), extensionRelease(r));
  }
  await makeFsImage({
    source: stage,
    output: r.output,
    filesystem: r.filesystem,
    ...(r.epoch !== undefined ? { epoch: r.epoch } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
    outputName: r.kind,
  });
}
