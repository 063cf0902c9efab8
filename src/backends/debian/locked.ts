/**
 * A locked Debian build (`imgc build --locked`): the locked .debs are put into the package
 * cache first, each checked against its SHA-256 (downloaded from its URL when the cache lacks
 * it or holds other bytes), apt is pinned to every locked version, and after each package
 * step the tree's dpkg status must hold nothing outside the lock.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockCodes } from '../../diagnostics/codes/lock.js';
import { diag } from '../../diagnostics/define.js';
import { repositoryFile } from '../common/repo-metadata.js';
import { type StepContext, StepError } from '../contract.js';

export interface LockedSettings {
  /** name:arch=version */
  locked: string[];
  /** sha256 size url, in the order of `locked` */
  lockedFiles: string[];
}

export function lockedSettings(settings: Record<string, unknown> | undefined): LockedSettings | undefined {
  const locked = settings?.locked;
  const lockedFiles = settings?.lockedFiles;
  if (!Array.isArray(locked) || !Array.isArray(lockedFiles)) return undefined;
  return { locked: locked as string[], lockedFiles: lockedFiles as string[] };
}

function parsePin(pin: string) {
  const m = /^([^:=]+):([^=]+)=(.+)$/.exec(pin)!;
  return { name: m[1]!, arch: m[2]!, version: m[3]! };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Each locked .deb in the cache with its locked digest; downloads what is missing or differs. */
export async function fetchLocked(lock: LockedSettings, context: StepContext): Promise<number> {
  let downloaded = 0;
  for (const [i, pin] of lock.locked.entries()) {
    const { name, arch, version } = parsePin(pin);
    const [digest, , url] = lock.lockedFiles[i]!.split(' ');
    const file = join(context.packageCache, `${name}_${version.replaceAll(':', '%3a')}_${arch}.deb`);
    if (existsSync(file) && sha256(await readFile(file)) === digest) continue;
    let bytes: Buffer;
    try {
      bytes = await repositoryFile(url!, '');
    } catch (e) {
      throw new StepError(diag(lockCodes.download, { name, why: `${url}: ${(e as Error).message}` }));
    }
    const got = sha256(bytes);
    if (got !== digest)
      throw new StepError(
        diag(lockCodes.download, { name, why: `${url} has sha256 ${got}, locked ${digest}` }),
      );
    await writeFile(`${file}.partial`, bytes);
    await rename(`${file}.partial`, file);
    downloaded++;
  }
  context.progress.log(`locked packages: ${lock.locked.length}, downloaded ${downloaded}`);
  return downloaded;
}

/** apt preferences holding every package to its locked version. */
export function lockedPins(lock: LockedSettings): string {
  return lock.locked
    .map(parsePin)
    .map((p) => `Package: ${p.name}\nPin: version ${p.version}\nPin-Priority: 1001\n`)
    .join('\n');
}

/** name → version of the installed packages in a dpkg status file. */
export function dpkgInstalled(status: string): Map<string, string> {
  const installed = new Map<string, string>();
  for (const stanza of status.split(/\n\n+/)) {
    const field = (f: string) => new RegExp(`^${f}: (.+)$`, 'm').exec(stanza)?.[1];
    const name = field('Package');
    if (name && / installed$/.test(field('Status') ?? '')) installed.set(name, field('Version') ?? '');
  }
  return installed;
}

/** IMGC7736 when the tree holds a package outside the lock or at another version. */
export async function checkInstalledAgainstLock(lock: LockedSettings, tree: string): Promise<void> {
  const locked = new Map(lock.locked.map(parsePin).map((p) => [p.name, p.version]));
  const status = await readFile(join(tree, 'var/lib/dpkg/status'), 'utf8');
  const differences = [...dpkgInstalled(status)].flatMap(([name, version]) => {
    const want = locked.get(name);
    if (want === undefined) return [`  ${name} ${version}: not in the lock file`];
    return want === version ? [] : [`  ${name} ${version}: locked ${want}`];
  });
  if (differences.length)
    throw new StepError(diag(lockCodes.installedDiffers, { differences: differences.join('\n') }));
}
