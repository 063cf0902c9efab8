/**
 * What a build leaves in a tree that says when or where it was built rather than what the
 * image is: removed by finalize in a reproducible build (docs/reproducible.md lists each with
 * its reason). Paths are relative to the tree; a trailing `/*` empties a folder and keeps it.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '../backends/contract.js';
import { clampTimes } from './clamp-times.js';
import { removeInTree, writeFileInTree } from './tree-path.js';

/** Removed outright: regenerated on first boot or by the next package operation. */
export const NOISE_FILES: readonly string[] = [
  'var/lib/systemd/random-seed',
  'var/lib/systemd/credential.secret',
  'var/cache/ldconfig/aux-cache',
  'var/log/apt/eipp.log.xz',
  'var/log/bootstrap.log',
  'var/lib/dpkg/status-old',
  'var/lib/dpkg/diversions-old',
  'var/lib/dpkg/statoverride-old',
  'var/cache/debconf/config.dat-old',
  'var/cache/debconf/templates.dat-old',
  'var/cache/debconf/passwords.dat-old',
  'etc/passwd-',
  'etc/group-',
  'etc/shadow-',
  'etc/gshadow-',
  'etc/subuid-',
  'etc/subgid-',
];

/** Emptied, kept as folders. */
export const NOISE_FOLDERS: readonly string[] = [
  'var/cache/apt',
  'var/lib/apt/lists',
  'var/cache/man',
  'var/cache/dnf',
  'var/cache/zypp',
  'var/cache/pacman/pkg',
  'tmp',
  'var/tmp',
];

const SSH_KEY = /^ssh_host_.*_key(\.pub)?$/;

/** A drop-in that makes ssh.service create the host keys removed from the image when it first starts. */
export const SSH_KEYGEN_DROPIN = {
  path: 'etc/systemd/system/ssh.service.d/imgc-host-keys.conf',
  content:
    '# written by imgc: the image ships without SSH host keys (reproducible build)\n[Service]\nExecStartPre=/usr/bin/ssh-keygen -A\n',
};

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

async function emptyFolder(tree: string, rel: string): Promise<number> {
  const dir = join(tree, rel);
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    // apt's lock files and partial folders are what apt itself recreates empty
    if (name === 'lock' || name === 'partial') continue;
    await removeInTree(tree, `${rel}/${name}`, { recursive: true });
    removed++;
  }
  return removed;
}

/** Python byte code: compiled at install time, with the install's timestamps and order. */
async function removeByteCode(tree: string, rel: string): Promise<number> {
  const dir = join(tree, rel);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const child = `${rel}/${name}`;
    const s = lstatSync(join(tree, child));
    if (s.isDirectory() && name === '__pycache__') {
      await removeInTree(tree, child, { recursive: true });
      removed++;
    } else if (s.isDirectory()) removed += await removeByteCode(tree, child);
    else if (s.isFile() && name.endsWith('.pyc')) {
      await removeInTree(tree, child);
      removed++;
    }
  }
  return removed;
}

/**
 * Removes the build noise from `tree`; `hostResolvConf` is the host's /etc/resolv.conf text (a
 * tree's copy of it is emptied, one the definition wrote is kept). Returns what it removed.
 */
export async function removeBuildNoise(tree: string, hostResolvConf?: string): Promise<string[]> {
  const done: string[] = [];
  for (const rel of NOISE_FILES)
    if (isFile(join(tree, rel))) {
      await removeInTree(tree, rel);
      done.push(rel);
    }
  for (const rel of NOISE_FOLDERS) if ((await emptyFolder(tree, rel)) > 0) done.push(`${rel}/*`);
  const dbusId = 'var/lib/dbus/machine-id';
  if (isFile(join(tree, dbusId))) {
    await removeInTree(tree, dbusId);
    done.push(dbusId);
  }
  let byteCode = 0;
  for (const lib of ['usr/lib', 'usr/local/lib', 'usr/share']) byteCode += await removeByteCode(tree, lib);
  if (byteCode) done.push(`${byteCode} Python byte-code files or __pycache__ folders`);
  const sshDir = join(tree, 'etc/ssh');
  const keys = existsSync(sshDir) ? readdirSync(sshDir).filter((n) => SSH_KEY.test(n)) : [];
  for (const k of keys) await removeInTree(tree, `etc/ssh/${k}`);
  if (keys.length) {
    await writeFileInTree(tree, SSH_KEYGEN_DROPIN.path, SSH_KEYGEN_DROPIN.content, 0o644);
    done.push(`etc/ssh/ssh_host_* (${keys.length} files; ssh.service creates them on first start)`);
  }
  const resolv = join(tree, 'etc/resolv.conf');
  if (hostResolvConf !== undefined && isFile(resolv) && readFileSync(resolv, 'utf8') === hostResolvConf) {
    await writeFileInTree(tree, 'etc/resolv.conf', '', 0o644);
    done.push("etc/resolv.conf (the host's copy, emptied)");
  }
  return done;
}

/**
 * The last touch of a reproducible build, after the finalize step whoever ran it (a family's
 * or a plugin's): the build noise removed, then every time in the tree clamped to the epoch.
 */
export async function settleTree(context: StepContext, epoch: number): Promise<void> {
  const hostResolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => undefined);
  const removed = await removeBuildNoise(context.tree, hostResolv);
  if (removed.length) context.progress.note(`removed build noise: ${removed.join(', ')}`);
  const clamped = await clampTimes(context.tree, epoch);
  context.progress.note(`${clamped} entries clamped to SOURCE_DATE_EPOCH ${epoch}`);
}
