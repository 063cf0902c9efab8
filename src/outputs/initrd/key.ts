/**
 * What determines an initramfs-tools initrd, read from the tree before mkinitramfs runs
 * (docs/decisions/0140-initrd-cache-key.md). Two parts: the key (hashed into the cache entry's
 * name) and, per entry, the content hashes of the tree files that went into the initrd, recorded
 * on the miss that made it and checked again before any reuse.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { existingInTree } from '../../exec/tree-path.js';

/** Bumped whenever what goes into the key changes, so older entries are never taken. */
export const INITRD_KEY_VERSION = 'imgc-initrd-cache-1';

/** Trees whose every file (content, mode, symlink target) goes into the key. */
export const HASHED_TREES = [
  // hooks, boot scripts and configuration of mkinitramfs itself
  'usr/share/initramfs-tools',
  'etc/initramfs-tools',
  // copied into the initrd or read by its hooks
  'etc/modprobe.d',
  'usr/lib/modprobe.d',
  'etc/udev',
  'etc/console-setup',
  'etc/mdadm',
  'etc/lvm',
  // post-update hooks update-initramfs runs (a reused initrd runs them too)
  'etc/initramfs',
];

/** Single files read by hooks without being copied at the same path (fsck, cryptroot, keymap). */
export const HASHED_FILES = [
  'etc/fstab',
  'etc/crypttab',
  'etc/default/keyboard',
  'etc/e2fsck.conf',
  'etc/kernel-img.conf',
  'etc/os-release',
  'usr/lib/os-release',
];

/** Trees whose listing (paths and sizes) goes into the key: a new module or firmware file is picked up. */
export const LISTED_TREES = ['usr/lib/firmware'];

/**
 * Packages whose versions go into the key whatever the manifest says: the generator, the tools
 * it runs and the libraries they load. The packages that ship files in the hook trees are added
 * from dpkg's file lists.
 */
export const CORE_PACKAGES = [
  'initramfs-tools',
  'initramfs-tools-core',
  'initramfs-tools-bin',
  'kmod',
  'libkmod2',
  'udev',
  'systemd',
  'libc6',
  'busybox',
  'klibc-utils',
  'libklibc',
  'cpio',
  'zstd',
  'libzstd1',
  'gzip',
  'xz-utils',
  'liblzma5',
  'lz4',
  'e2fsprogs',
  'util-linux',
  'dracut',
  'dracut-core',
];

export interface InitrdKeyInput {
  generator: string;
  kernels: string[];
  sourceDateEpoch?: number;
  /** anything else the caller's configuration adds (the step's options) */
  settings: Record<string, unknown>;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Host path of `path` in the tree, or undefined when it is absent. */
async function inTree(tree: string, path: string): Promise<string | undefined> {
  const host = await existingInTree(tree, path).catch(() => undefined);
  return host && (await lstat(host).catch(() => undefined)) ? host : undefined;
}

/** Every entry under `dir` (relative paths, sorted): files hashed, symlinks by target. */
async function describeTree(tree: string, dir: string, mode: 'hash' | 'list'): Promise<string[]> {
  const root = await inTree(tree, dir);
  if (!root) return [`${dir}: absent`];
  const lines: string[] = [];
  const walk = async (host: string, rel: string) => {
    const info = await lstat(host);
    if (info.isSymbolicLink()) lines.push(`${rel} -> ${await readlink(host)}`);
    else if (info.isDirectory()) {
      const names = (await readdir(host)).sort();
      lines.push(`${rel}/ ${(info.mode & 0o7777).toString(8)}`);
      for (const name of names) await walk(join(host, name), `${rel}/${name}`);
    } else if (info.isFile()) {
      const what = mode === 'hash' ? await sha256File(host) : String(info.size);
      lines.push(`${rel} ${(info.mode & 0o7777).toString(8)} ${what}`);
    } else lines.push(`${rel} special ${info.mode.toString(8)}`);
  };
  await walk(root, dir);
  return lines;
}

/** Installed versions from dpkg's status file, by package name (architecture qualifiers dropped). */
export function installedVersions(status: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const stanza of status.split(/\n\n+/)) {
    const name = /^Package: (.+)$/m.exec(stanza)?.[1];
    const version = /^Version: (.+)$/m.exec(stanza)?.[1];
    const installed = /^Status: .* installed$/m.test(stanza);
    if (name && version && installed) versions.set(name, version);
  }
  return versions;
}

/** Packages whose dpkg file list has a path under one of `dirs` (hooks, modules, firmware). */
async function packagesShipping(tree: string, dirs: string[]): Promise<string[]> {
  const info = await inTree(tree, 'var/lib/dpkg/info');
  if (!info) return [];
  const prefixes = dirs.flatMap((d) => [`/${d}/`, `/${d.replace(/^usr\//, '')}/`]);
  const found: string[] = [];
  for (const name of (await readdir(info)).filter((n) => n.endsWith('.list')).sort()) {
    const list = await readFile(join(info, name), 'utf8');
    if (prefixes.some((p) => list.includes(`\n${p}`) || list.startsWith(p)))
      found.push(name.slice(0, -'.list'.length).replace(/:.*$/, ''));
  }
  return found;
}

/** The text whose sha256 names the cache entry; kept in the entry for `diff` when a key changes. */
export async function initrdKeyText(tree: string, input: InitrdKeyInput): Promise<string> {
  const lines = [
    INITRD_KEY_VERSION,
    `generator ${input.generator}`,
    `kernels ${input.kernels.join(' ')}`,
    `SOURCE_DATE_EPOCH ${input.sourceDateEpoch ?? 'unset'}`,
    `settings ${JSON.stringify(input.settings)}`,
  ];
  const statusPath = await inTree(tree, 'var/lib/dpkg/status');
  const versions = installedVersions(statusPath ? await readFile(statusPath, 'utf8') : '');
  const shipping = await packagesShipping(tree, [
    'usr/share/initramfs-tools',
    'etc/initramfs-tools',
    'usr/lib/modules',
    'usr/lib/firmware',
    'usr/lib/dracut',
  ]);
  const packages = [...new Set([...CORE_PACKAGES, ...shipping])].sort();
  for (const p of packages) lines.push(`package ${p} ${versions.get(p) ?? 'absent'}`);
  for (const dir of HASHED_TREES) lines.push(...(await describeTree(tree, dir, 'hash')));
  for (const file of HASHED_FILES) {
    const host = await inTree(tree, file);
    lines.push(`${file} ${host ? await sha256File(host) : 'absent'}`);
  }
  for (const k of input.kernels) lines.push(...(await describeTree(tree, `usr/lib/modules/${k}`, 'list')));
  for (const dir of LISTED_TREES) lines.push(...(await describeTree(tree, dir, 'list')));
  return `${lines.join('\n')}\n`;
}

export function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Content hashes of the tree's regular files at the paths an initrd holds; paths that are not
 * a regular file in the tree (generated files, directories, the microcode archive) are skipped.
 */
export async function treeFileHashes(tree: string, initrdPaths: string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const path of [...new Set(initrdPaths)].sort()) {
    const host = await inTree(tree, path);
    if (!host) continue;
    const info = await lstat(host).catch(() => undefined);
    if (info?.isFile()) hashes[path] = await sha256File(host);
  }
  return hashes;
}

/** The first recorded file whose content differs now (or is gone), else undefined. */
export async function changedFile(
  tree: string,
  recorded: Record<string, string>,
): Promise<string | undefined> {
  for (const [path, hash] of Object.entries(recorded)) {
    const host = await inTree(tree, path);
    if (!host || (await sha256File(host).catch(() => '')) !== hash) return path;
  }
  return undefined;
}
